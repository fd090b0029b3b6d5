/**
 * What the tools that apply the output read from an object: kubectl's ApplySet (through the
 * layout, which applies kept objects outside the set), Argo CD and Flux.
 */

/** The annotation Argo CD orders a sync by. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * What marks an object to outlive its program (a claim and its data): kubectl gets it applied
 * outside the ApplySet, so no prune reaches it; Argo CD and Flux read their own annotation.
 */
export const KEPT: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};

/** Whether a rendered object is kept: a Namespace (pruning one deletes all in it), or marked KEPT. */
export function isKept(object: any): boolean {
  if (object?.apiVersion === 'v1' && object?.kind === 'Namespace') {
    return true;
  }
  const annotations = object?.metadata?.annotations ?? {};
  return Object.entries(KEPT).every(([key, value]) => annotations[key] === value);
}

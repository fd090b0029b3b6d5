import { sortKeys } from '../core/_records';
import { isKept, SYNC_WAVE_ANNOTATION } from '../k8s/_appliers';
import { stringifyDocuments } from './_yaml';

/** How `WebStackApp.synth()` lays the manifests out in the output folder. */
export enum OutputLayout {
  /**
   * One file per chart, `<chart>.k8s.yaml` (cdk8s's own layout). With an ApplySet, the
   * Namespaces of every chart go to `namespaces.k8s.yaml` instead, applied outside the set.
   */
  FILE_PER_CHART = 'FILE_PER_CHART',
  /**
   * One folder per chart (per environment, when a chart is one), each with its
   * `namespace.yaml`, `manifests.yaml` and a `kustomization.yaml` listing them, and a
   * `kustomization.yaml` at the top listing the folders: what Flux's `Kustomization` and
   * Argo CD's `Application` point at. Plain YAML, no plugin.
   */
  FOLDER_PER_CHART = 'FOLDER_PER_CHART',
}

/** A chart's rendered objects, in apply order. */
export interface RenderedChart {
  /** The chart's DNS label: its file or folder name. */
  readonly label: string;
  readonly objects: readonly any[];
}

/** One file of the layout, and the charts whose objects it holds. */
export interface LaidOutFile {
  readonly fileName: string;
  /**
   * Its content. A chart's file writes it when read (each read writes it again), so that the
   * texts of a fleet's files are not all held at once, only the one being written.
   */
  readonly text: string;
  /** Labels of the charts whose objects it holds (none for a kustomization). */
  readonly charts: readonly string[];
  /**
   * What it holds: a chart's objects (the ApplySet's members); what is applied before them,
   * outside the set, and never pruned (the Namespaces, the ApplySet's definition); the
   * ApplySet's parent, created once; or a kustomization (read by Flux and Argo CD, never
   * applied by kubectl).
   */
  readonly role: 'objects' | 'kept' | 'parent' | 'kustomization';
}

/** The name of the file that holds every chart's Namespaces, in the one-file-per-chart layout. */
export const NAMESPACES_FILE = 'namespaces';
/** The name of the file that holds the other objects that outlive their program (claims kept with their data). */
export const KEPT_FILE = 'kept';

/**
 * The files of `charts` in `layout`. Namespaces are written apart (`keepNamespaces`) when the
 * output is applied as an ApplySet: a pruned Namespace takes every object in it along, the
 * ones the program never wrote (a Secret made by hand, another team's ConfigMap) included, so
 * the pipeline applies them outside the set, and a removed app's namespace stays. So do the
 * objects marked to be kept (a claim and its data), after the Namespaces they live in.
 */
export function layOut(layout: OutputLayout, charts: readonly RenderedChart[], options: { extension: string; keepNamespaces: boolean }): LaidOutFile[] {
  const isNamespace = (o: any) => o?.apiVersion === 'v1' && o?.kind === 'Namespace';
  const isOtherKept = (o: any) => isKept(o) && !isNamespace(o);
  if (layout === OutputLayout.FOLDER_PER_CHART) {
    const files: LaidOutFile[] = [];
    for (const chart of charts) {
      const namespaces = chart.objects.filter(isNamespace);
      const kept = chart.objects.filter(isOtherKept);
      const rest = chart.objects.filter(o => !isNamespace(o) && !kept.includes(o));
      const own = [
        ...(namespaces.length > 0 ? [{ name: 'namespace.yaml', objects: namespaces, role: 'kept' as const }] : []),
        ...(kept.length > 0 ? [{ name: 'kept.yaml', objects: kept, role: 'kept' as const }] : []),
        { name: 'manifests.yaml', objects: rest, role: 'objects' as const },
      ];
      for (const f of own) {
        files.push({ fileName: `${chart.label}/${f.name}`, text: stringifyDocuments(f.objects), charts: [chart.label], role: f.role });
      }
      files.push({ fileName: `${chart.label}/kustomization.yaml`, text: kustomization(own.map(f => f.name)), charts: [], role: 'kustomization' });
    }
    files.push({ fileName: 'kustomization.yaml', text: kustomization(charts.map(c => c.label)), charts: [], role: 'kustomization' });
    return files;
  }
  if (!options.keepNamespaces) {
    return charts.map(c => ({ fileName: `${c.label}${options.extension}`, get text() { return stringifyDocuments(c.objects); }, charts: [c.label], role: 'objects' }));
  }
  const files: LaidOutFile[] = charts.map(c => ({
    fileName: `${c.label}${options.extension}`,
    get text() {
      return stringifyDocuments(c.objects.filter(o => !isKept(o)));
    },
    charts: [c.label],
    role: 'objects',
  }));
  const withNamespaces = charts.filter(c => c.objects.some(isNamespace));
  if (withNamespaces.length > 0) {
    files.push({
      fileName: `${NAMESPACES_FILE}${options.extension}`,
      text: stringifyDocuments(withNamespaces.flatMap(c => c.objects.filter(isNamespace))),
      charts: withNamespaces.map(c => c.label),
      role: 'kept',
    });
  }
  const withKept = charts.filter(c => c.objects.some(isOtherKept));
  if (withKept.length > 0) {
    files.push({
      fileName: `${KEPT_FILE}${options.extension}`,
      text: stringifyDocuments(withKept.flatMap(c => c.objects.filter(isOtherKept))),
      charts: withKept.map(c => c.label),
      role: 'kept',
    });
  }
  return files;
}

function kustomization(resources: readonly string[]): string {
  return stringifyDocuments([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] }]);
}


/**
 * The Argo CD sync wave of each kind: namespaces, then what pods read (config, accounts,
 * policy), then the workloads and their Services, then what sends traffic and names them
 * (routes, DNS). A kind not named here goes with the workloads.
 */
const SYNC_WAVES: Readonly<Record<string, string>> = {
  'Namespace': '-3',
  'ServiceAccount': '-2',
  'ConfigMap': '-2',
  'PersistentVolumeClaim': '-2',
  'Secret': '-2',
  'NetworkPolicy': '-2',
  'ReferenceGrant': '-2',
  'Ingress': '1',
  'HTTPRoute': '1',
  'DNSEndpoint': '1',
};
const WORKLOAD_WAVE = '0';

/** `object` with its Argo CD sync wave, unless it names one itself (an escape-hatch patch). */
export function withSyncWave(object: any): any {
  const annotations = object?.metadata?.annotations ?? {};
  if (SYNC_WAVE_ANNOTATION in annotations) {
    return object;
  }
  const wave = SYNC_WAVES[object.kind] ?? WORKLOAD_WAVE;
  // Keys stay sorted, as cdk8s writes them.
  return { ...object, metadata: sortKeys({ ...object.metadata, annotations: sortKeys({ ...annotations, [SYNC_WAVE_ANNOTATION]: wave }) }) };
}

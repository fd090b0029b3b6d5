import { App, Chart, Testing, Yaml } from 'cdk8s';

/** Picks one resource out of a synthesized stack. */
export interface ResourceSelector {
  /** The `kind`, e.g. `Deployment`. */
  readonly kind: string;
  /** The `metadata.name`. */
  readonly name: string;
  /**
   * The `metadata.namespace`, to tell apart resources of the same kind and name.
   * @default - any namespace
   */
  readonly namespace?: string;
}

/**
 * The documents a chart or a whole app synthesizes, validated as `cdk8s synth` would, in
 * output order.
 */
export function synthManifests(scope: Chart | App): any[] {
  if (scope instanceof App) {
    return scope.charts.flatMap(chart => Testing.synth(chart));
  }
  return Testing.synth(scope);
}

/**
 * The YAML of a chart or app, or of one of its resources: deterministic text for
 * `expect(...).toMatchSnapshot()`.
 *
 * ```ts
 * expect(synthYaml(chart)).toMatchSnapshot();
 * expect(synthYaml(chart, { kind: 'Deployment', name: 'shop' })).toMatchSnapshot();
 * ```
 */
export function synthYaml(scope: Chart | App, select?: ResourceSelector): string {
  const docs = synthManifests(scope);
  return Yaml.stringify(...(select ? [findResource(docs, select)] : docs));
}

/** The one document of `docs` that `select` names; fails with the list of what there is. */
export function findResource(docs: any[], select: ResourceSelector): any {
  const found = docs.filter(d => d?.kind === select.kind && d?.metadata?.name === select.name
    && (select.namespace === undefined || d?.metadata?.namespace === select.namespace));
  if (found.length !== 1) {
    const have = docs.map(d => `${d?.kind}/${d?.metadata?.namespace ? d.metadata.namespace + '/' : ''}${d?.metadata?.name}`);
    throw new Error(`${found.length === 0 ? 'no' : found.length} ${select.kind} named "${select.name}"`
      + `${select.namespace ? ` in namespace "${select.namespace}"` : ''}; the stack has: ${have.join(', ')}`);
  }
  return found[0];
}

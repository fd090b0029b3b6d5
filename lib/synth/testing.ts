import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import type { WebStackApp } from './web-stack-app';

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

/**
 * Every file `app.synth()` writes (manifests, zone files, Route 53 templates, and whatever later
 * versions add), by name in sorted order, each as its text: deterministic, for one snapshot per
 * file. The app is synthesized into a temporary folder, removed again; its own `outdir` is not
 * touched.
 *
 * ```ts
 * for (const [name, text] of Object.entries(synthFiles(app))) {
 *   expect(text).toMatchSnapshot(name);
 * }
 * ```
 */
export function synthFiles(app: WebStackApp): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-webstack-files-'));
  const writable = app as unknown as { outdir: string };
  const original = writable.outdir;
  try {
    writable.outdir = path.join(dir, 'dist');
    app.synth();
    return Object.fromEntries(app.writtenFiles.map(f => [f, fs.readFileSync(path.join(dir, 'dist', f), 'utf8')]));
  } finally {
    writable.outdir = original;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderedJson, renderingOnce } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { isArtifactWriter, OutputClaims } from '../core/_artifacts';
import { LaidOutFile, layOut, OutputLayout, withSyncWave } from './_layout';
import { listFiles, OutputFolder, StepHook } from './_output-folder';
import { collectOutputs } from './_outputs';
import { checkShape, shape } from '../core/_shape';
import { ApplySet, ApplySetOptions } from './apply-set';
import { OUTPUTS_FILE } from './outputs';
import { stringifyDocuments } from './_yaml';

export { OutputLayout };

/** Props of `WebStackApp`: cdk8s's `AppProps`, and how the output is applied. */
export interface WebStackAppProps extends AppProps {
  /**
   * The ApplySet the output folder is applied and pruned as
   * (`kubectl apply --server-side --prune --applyset`), or `false` to turn it off. Its parent
   * and id go into `outputs.json`; the Namespaces are written apart, applied outside the set
   * and never pruned (a pruned Namespace would take objects the program never wrote along).
   * Give each repository its own `name`: two programs sharing a parent prune each other.
   * @default { name: 'cdk8s-webstack', namespace: 'default' }
   */
  readonly applySet?: ApplySetOptions | false;
  /**
   * How the manifests are laid out in the output folder.
   * @default OutputLayout.FILE_PER_CHART
   */
  readonly layout?: OutputLayout;
  /**
   * Whether every object carries an Argo CD sync wave (`argocd.argoproj.io/sync-wave`):
   * Namespaces first (-3), then config, accounts and policies (-2), workloads and Services
   * (0), then routes and DNS records (1).
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;
}

/**
 * A cdk8s `App` whose `synth()` changes the output folder as a whole or not at all, leaves
 * alone every file it did not write, and writes the files of DNS zones (zone files, Route 53
 * CloudFormation templates) next to the manifests.
 *
 * Every file is first written to a staging folder beside `outdir`; only when the whole app has
 * validated and synthesized are the files renamed into `outdir`, under a journal that lets the
 * next synth finish the change if this process dies halfway (see `_output.ts`). Only files an
 * earlier synth wrote (kept in a record beside `outdir`) are removed. Every output file name is
 * claimed by one construct; a second claim fails the synth, naming both.
 */
export class WebStackApp extends App {
  /** @internal Called at each step of the commit, for tests that interrupt a synth there. */
  public _onSynthStep?: StepHook;
  /** The ApplySet of the output folder, or `undefined` when turned off. */
  public readonly applySet?: ApplySet;
  /** How the manifests are laid out. */
  public readonly layout: OutputLayout;
  /** Whether objects carry Argo CD sync waves. */
  public readonly argoCdSyncWaves: boolean;
  private readonly recordsConstructMetadata: boolean;

  public constructor(props: WebStackAppProps = {}) {
    super(checkedAppProps(props));
    this.recordsConstructMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
    // Only a missing prop means the default set: null is a value, refused like any other non-object.
    this.applySet = props.applySet === false ? undefined : ApplySet.of(this, props.applySet === undefined ? DEFAULT_APPLY_SET : props.applySet);
    this.layout = props.layout ?? OutputLayout.FILE_PER_CHART;
    this.argoCdSyncWaves = props.argoCdSyncWaves ?? false;
  }

  public override synth(): void {
    const output = OutputFolder.open(this, this.outdir);
    const release = output.acquire();
    try {
      output.repair(this._onSynthStep);
      const staging = output.startStaging();
      let files: string[];
      try {
        const claims = new OutputClaims();
        const manifests = writeTo(this, staging, () => renderingOnce(() => this.synthOnce(claims)));
        this.writeArtifacts(staging, claims);
        claims.claim(this, 'the outputs for the pipeline', OUTPUTS_FILE, 'outdir', this.outdir, 'give the file of that name another name, or synth into another folder');
        fs.writeFileSync(path.join(staging, OUTPUTS_FILE), `${JSON.stringify(collectOutputs(this, manifests, this.applySet), null, 2)}\n`, { flag: 'wx' });
        files = output.stagedFiles();
        output.checkPlaces(files);
      } catch (error) {
        output.discardStaging();
        throw error;
      }
      output.commit(files, this._onSynthStep);
      this.writtenFiles = files;
    } finally {
      release();
    }
    if (process.env.CDK8S_OUTDIR !== undefined) {
      // Under `cdk8s synth`, whose own listing names only the manifests (and which swallows the
      // app's stdout): name every file written, zone files and templates too.
      process.stderr.write(`cdk8s-webstack: wrote ${this.writtenFiles.map(f => path.join(this.outdir, f)).join(', ')}\n`);
    }
  }

  /** The names of the files the last `synth()` wrote into `outdir`, sorted. */
  public writtenFiles: readonly string[] = [];

  /** Claims every artifact's name, then writes them all into `dir`. */
  private writeArtifacts(dir: string, claims: OutputClaims): void {
    const artifacts = this.node.findAll().filter(isArtifactWriter)
      .flatMap(writer => writer._artifacts().map(artifact => ({ writer, artifact })));
    for (const { writer, artifact: a } of artifacts) {
      claims.claim(writer, a.kind, a.fileName, a.prop, a.value, a.fix);
    }
    for (const { artifact: a } of artifacts) {
      fs.writeFileSync(path.join(dir, a.fileName), a.render(), { flag: 'wx' });
    }
  }

  /**
   * Validates the whole app once and writes each chart once.
   *
   * cdk8s's own `App.synth()` renders each chart through `Chart.toJson()`, which resolves and
   * validates the whole app again for every chart: quadratic in the number of charts (over
   * 200 s for 1,000 stacks here). The output is the same: the same validations, chart order,
   * file names and YAML, written by a faster writer whose output is byte-identical. Apps this path does not cover (dependencies between constructs,
   * nested charts, other output layouts, construct metadata) go through cdk8s's own synth.
   */
  private synthOnce(claims: OutputClaims): LaidOutFile[] {
    const all = this.node.findAll();
    const simple = this.yamlOutputType === YamlOutputType.FILE_PER_CHART && !this.recordsConstructMetadata
      && all.every(c => c.node.dependencies.length === 0 && (!(c instanceof Chart) || c.node.scope === this));
    if (!simple) {
      this.checkCdk8sSynthFits(all);
      super.synth();
      return [...this.claimFilesOfCdk8sSynth(claims), ...this.writeOwnFiles(this.applySetFiles(), [], claims)];
    }
    const errors = all.flatMap(c => c.node.validate().map(error => `[${c.node.path}] ${error}`));
    if (errors.length > 0) {
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }
    // Every chart is a child of the app here, and an object's path holds a '/': only the
    // charts can be reordered by the graph's keys.
    const charts = inGraphOrder(this.node.children).filter((x): x is Chart => x instanceof Chart).map(chart => {
      const objects = chart.node.findAll()
        .filter((x): x is ApiObject => x instanceof ApiObject)
        .map(renderedJson);
      return { chart, label: Names.toDnsLabel(chart), objects: this.argoCdSyncWaves ? objects.map(withSyncWave) : objects };
    });
    const files = [
      ...this.applySetFiles(),
      ...layOut(this.layout, charts, { extension: this.outputFileExtension, keepNamespaces: this.applySet !== undefined }),
    ];
    return this.writeOwnFiles(files, charts, claims);
  }

  /** Claims and writes `files`, each for its chart, or for the app when it holds no one chart's objects. */
  private writeOwnFiles(files: LaidOutFile[], charts: ReadonlyArray<{ chart: Chart; label: string }>, claims: OutputClaims): LaidOutFile[] {
    const byLabel = new Map<string, Chart>();
    for (const c of [...charts].reverse()) {
      byLabel.set(c.label, c.chart);
    }
    const folders = new Set<string>();
    for (const file of files) {
      const owner = file.charts.length === 1 ? byLabel.get(file.charts[0])! : this;
      if (owner === this) {
        claims.claim(this, WHAT[file.role], file.fileName, 'layout', this.layout, 'give the chart of that name another id');
      } else {
        claims.claim(owner, 'the chart\'s manifests', file.fileName, 'id', owner.node.id, 'give one of the charts another id');
      }
      const target = path.join(this.outdir, file.fileName);
      const folder = path.dirname(target);
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      fs.writeFileSync(target, file.text);
    }
    return files;
  }

  /** The ApplySet's definition (applied) and parent (created once), when it is on. */
  private applySetFiles(): LaidOutFile[] {
    const set = this.applySet;
    if (set === undefined) {
      return [];
    }
    return [
      { fileName: `applyset${this.outputFileExtension}`, text: stringifyDocuments([set.definition()]), charts: [], role: 'kept' },
      { fileName: `applyset-parent${this.outputFileExtension}`, text: stringifyDocuments([set.parent()]), charts: [], role: 'parent' },
    ];
  }

  /**
   * Refuses what cdk8s's own synth (taken for chart dependencies, nested charts, other output
   * types and construct metadata) cannot write: the folder layout, sync waves, and Namespaces
   * kept out of the ApplySet.
   */
  private checkCdk8sSynthFits(all: IConstruct[]): void {
    const why = 'with chart dependencies, nested charts, a yamlOutputType other than FILE_PER_CHART or construct metadata, cdk8s writes the files itself';
    if (this.layout !== OutputLayout.FILE_PER_CHART) {
      throw propError(this, 'layout', this.layout, `cannot be used here: ${why}`, 'use OutputLayout.FILE_PER_CHART, or drop what makes cdk8s write the files');
    }
    if (this.argoCdSyncWaves) {
      throw propError(this, 'argoCdSyncWaves', true, `cannot be used here: ${why}`, 'drop argoCdSyncWaves, or what makes cdk8s write the files');
    }
    const namespace = all.find(c => c instanceof ApiObject && c.apiVersion === 'v1' && c.kind === 'Namespace');
    if (this.applySet !== undefined && namespace !== undefined) {
      throw propError(this, 'applySet', this.applySet.name, `cannot keep the Namespace at ${namespace.node.path} out of the set: ${why}, Namespaces included, and pruning a Namespace deletes everything in it`,
        'set applySet to false, or drop what makes cdk8s write the files');
    }
  }

  /**
   * Claims what cdk8s's own synth wrote, each name for the chart it is named after (cdk8s
   * prefixes `0000-` when charts depend on each other), or else for the app.
   */
  private claimFilesOfCdk8sSynth(claims: OutputClaims): LaidOutFile[] {
    const byName = new Map(this.charts.map(chart => [Names.toDnsLabel(chart), chart]));
    const files: LaidOutFile[] = [];
    for (const entry of listFiles(this.outdir).sort()) {
      // A file of the chart, or a folder of the chart's files (FOLDER_PER_CHART_FILE_PER_RESOURCE).
      const label = entry.split('/')[0].replace(/^\d{4}-/, '').replace(this.outputFileExtension, '');
      const chart = byName.get(label);
      if (chart) {
        claims.claim(chart, 'the chart\'s manifests', entry, 'id', chart.node.id, 'give one of the charts another id');
      } else {
        claims.claim(this, 'the app\'s manifests', entry, 'yamlOutputType', YamlOutputType[this.yamlOutputType], 'give the other file another name');
      }
      files.push({ fileName: entry, text: '', charts: chart ? [label] : this.charts.map(c => Names.toDnsLabel(c)), role: 'objects' });
    }
    return files;
  }
}

const DEFAULT_APPLY_SET: ApplySetOptions = { name: 'cdk8s-webstack' };

/** What each kind of file the app itself writes is, for messages. */
const WHAT: Record<LaidOutFile['role'], string> = {
  objects: 'the chart\'s manifests',
  kept: 'the Namespaces, or the ApplySet\'s definition',
  parent: 'the ApplySet\'s parent',
  kustomization: 'the kustomization',
};

/**
 * The order of cdk8s's `DependencyGraph(...).topology()` (of `App.charts` and of each chart's
 * objects) when no construct depends on another, without building the graph: cdk8s keys the
 * vertices by construct path in a plain object and walks its values, so this is `findAll`'s
 * order, except that paths which are array indices ('7') come first, in numeric order.
 */
function inGraphOrder(constructs: readonly IConstruct[]): IConstruct[] {
  const byPath: Record<string, IConstruct> = {};
  for (const c of constructs) {
    byPath[c.node.path] = c;
  }
  return Object.values(byPath);
}

/** Runs `synth` with the app's `outdir` pointed at `dir`. */
function writeTo<T>(app: App, dir: string, synth: () => T): T {
  const original = app.outdir;
  const writable = app as { outdir: string };
  writable.outdir = dir;
  try {
    return synth();
  } finally {
    writable.outdir = original;
  }
}

const YAML_OUTPUT_TYPES = shape.enum({ FILE_PER_APP: '0', FILE_PER_CHART: '1', FILE_PER_RESOURCE: '2', FOLDER_PER_CHART_FILE_PER_RESOURCE: '3' }, 'YamlOutputType');

const APP_SHAPE = shape.object<WebStackAppProps>('WebStackAppProps', {
  applySet: shape.any,
  layout: shape.enum(OutputLayout, 'OutputLayout'),
  argoCdSyncWaves: shape.boolean,
  outdir: shape.string,
  outputFileExtension: shape.string,
  // A numeric enum: its members are named in the message as a string enum's are.
  yamlOutputType: shape.format(shape.number, (where, prop, type) => checkShape(where, prop, String(type), YAML_OUTPUT_TYPES)),
  recordConstructMetadata: shape.boolean,
  resolvers: shape.array(shape.any),
});

/** The props, checked before cdk8s's App reads them (a JavaScript caller may pass anything). */
function checkedAppProps(props: WebStackAppProps): AppProps {
  checkShape('WebStackApp', '', props, APP_SHAPE);
  return props;
}

import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderedJson } from './_api-object';
import { isArtifactWriter, OutputClaims } from './_artifacts';
import { OutputFolder, StepHook } from './_output';
import { checkShape, shape } from './_shape';
import { stringifyDocuments } from './_yaml';

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
  private readonly recordsConstructMetadata: boolean;

  public constructor(props: AppProps = {}) {
    super(checkedAppProps(props));
    this.recordsConstructMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
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
        writeTo(this, staging, () => this.synthOnce(claims));
        this.writeArtifacts(staging, claims);
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
  private synthOnce(claims: OutputClaims): void {
    const all = this.node.findAll();
    const simple = this.yamlOutputType === YamlOutputType.FILE_PER_CHART && !this.recordsConstructMetadata
      && all.every(c => c.node.dependencies.length === 0 && (!(c instanceof Chart) || c.node.scope === this));
    if (!simple) {
      super.synth();
      this.claimFilesOfCdk8sSynth(claims);
      return;
    }
    const errors = all.flatMap(c => c.node.validate().map(error => `[${c.node.path}] ${error}`));
    if (errors.length > 0) {
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }
    fs.mkdirSync(this.outdir, { recursive: true });
    for (const chart of inGraphOrder(all).filter((x): x is Chart => x instanceof Chart)) {
      const fileName = `${Names.toDnsLabel(chart)}${this.outputFileExtension}`;
      claims.claim(chart, 'the chart\'s manifests', fileName, 'id', chart.node.id, 'give one of the charts another id');
      const objects = inGraphOrder(chart.node.findAll())
        .filter((x): x is ApiObject => x instanceof ApiObject)
        .map(renderedJson);
      fs.writeFileSync(path.join(this.outdir, fileName), stringifyDocuments(objects));
    }
  }

  /**
   * Claims what cdk8s's own synth wrote, each name for the chart it is named after (cdk8s
   * prefixes `0000-` when charts depend on each other), or else for the app.
   */
  private claimFilesOfCdk8sSynth(claims: OutputClaims): void {
    const byName = new Map(this.charts.map(chart => [Names.toDnsLabel(chart), chart]));
    for (const entry of fs.readdirSync(this.outdir).sort()) {
      const label = entry.replace(/^\d{4}-/, '').replace(this.outputFileExtension, '');
      const chart = byName.get(label);
      if (chart) {
        claims.claim(chart, 'the chart\'s manifests', entry, 'id', chart.node.id, 'give one of the charts another id');
      } else {
        claims.claim(this, 'the app\'s manifests', entry, 'yamlOutputType', YamlOutputType[this.yamlOutputType], 'give the other file another name');
      }
    }
  }
}

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
function writeTo(app: App, dir: string, synth: () => void): void {
  const original = app.outdir;
  const writable = app as { outdir: string };
  writable.outdir = dir;
  try {
    synth();
  } finally {
    writable.outdir = original;
  }
}

const APP_SHAPE = shape.object<AppProps>('AppProps', {
  outdir: shape.string,
  outputFileExtension: shape.string,
  yamlOutputType: shape.number,
  recordConstructMetadata: shape.boolean,
  resolvers: shape.array(shape.any),
});

/** The props, checked before cdk8s's App reads them (a JavaScript caller may pass anything). */
function checkedAppProps(props: AppProps): AppProps {
  checkShape('WebStackApp', '', props, APP_SHAPE);
  const type = props.yamlOutputType;
  if (type !== undefined && !Object.values(YamlOutputType).includes(type)) {
    checkShape('WebStackApp', 'yamlOutputType', String(type), shape.enum({ FILE_PER_APP: '0', FILE_PER_CHART: '1', FILE_PER_RESOURCE: '2', FOLDER_PER_CHART_FILE_PER_RESOURCE: '3' }, 'YamlOutputType'));
  }
  return props;
}

/**
 * npm run bench: every case in a fresh process, a warm-up run then RUNS measured runs, medians
 * printed as a Markdown table with the machine, the versions and the date.
 *
 *   fleet       this library (WebStackApp, one chart per stack) vs raw cdk8s-plus-28 vs the
 *               `yaml` package writing the same documents, at 1 / 100 / 1,000 / 10,000 stacks
 *   helm        `helm template` of an equivalent chart: 1 stack, 1,000 stacks in one release,
 *               and 1,000 releases (1,000 invocations, measured once)
 *   cold start  `npx cdk8s synth` of apps/main.ts vs of an app with one empty chart
 *
 * Environment: BENCH_RUNS (default 3), BENCH_SIZES (default 1,100,1000,10000),
 * BENCH_PLUS_MAX (largest N for raw cdk8s-plus-28, default 1000: it is quadratic).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILT = path.join(ROOT, 'build', 'bench', 'fleet.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000,10000').split(',').map(Number);
const PLUS_MAX = Number(process.env.BENCH_PLUS_MAX ?? 1000);
const CACHE = process.env.CDK8S_WEBSTACK_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-webstack');
const HELM_MODULE = 'helm.sh/helm/v3/cmd/helm@v3.22.0';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-bench-'));

interface Sample { readonly ms: number; readonly rssMiB: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fleet(impl: string, n: number, extraEnv: Record<string, string> = {}): Sample {
  const out = path.join(work, `${impl}-${n}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  if (impl === 'yaml') {
    fs.copyFileSync(path.join(work, `docs-${n}.json`), path.join(out, 'docs.json'));
  }
  const r = spawnSync(process.execPath, [BUILT, impl, String(n), out], { encoding: 'utf8', env: { ...process.env, ...extraEnv }, maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    throw new Error(`${impl} ${n} failed: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

/** Wall time and peak RSS of a command, from GNU time. */
function timed(cmd: string, args: string[], cwd = ROOT): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  }
  const [seconds, kib] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms: seconds * 1000, rssMiB: kib / 1024 };
}

function measure(run: () => Sample, runs = RUNS): Sample {
  run();
  const samples = Array.from({ length: runs }, run);
  return { ms: median(samples.map(s => s.ms)), rssMiB: Math.max(...samples.map(s => s.rssMiB)) };
}

function helmBinary(): string {
  const bin = path.join(CACHE, 'bin', 'helm');
  if (!fs.existsSync(bin)) {
    console.error(`building helm: go install ${HELM_MODULE}`);
    execFileSync('go', ['install', HELM_MODULE], { env: { ...process.env, GOBIN: path.join(CACHE, 'bin') }, stdio: 'inherit' });
  }
  return bin;
}

function helmValues(n: number): string {
  const file = path.join(work, `values-${n}.yaml`);
  const apps = Array.from({ length: n }, (_, i) => `  - name: app${i}\n    host: app${i}.example.com\n`).join('');
  fs.writeFileSync(file, `apps:\n${apps}`);
  return file;
}

const rows: string[] = [];
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
function row(what: string, n: number | string, s: Sample, note = '') {
  const per = typeof n === 'number' ? `${(s.ms / n).toFixed(n >= 1000 ? 2 : 1)} ms` : '';
  rows.push(`| ${what} | ${n} | ${fmt(s.ms)} | ${per} | ${s.rssMiB.toFixed(0)} MiB | ${note} |`);
}

function main(): void {
  console.error('building (tsc) ...');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  const helm = helmBinary();
  const versions = {
    node: process.version,
    cdk8s: require(path.join(ROOT, 'node_modules/cdk8s/package.json')).version,
    'cdk8s-plus-28': require(path.join(ROOT, 'node_modules/cdk8s-plus-28/package.json')).version,
    'cdk8s-cli': require(path.join(ROOT, 'node_modules/cdk8s-cli/package.json')).version,
    yaml: require(path.join(ROOT, 'node_modules/yaml/package.json')).version,
    helm: execFileSync(helm, ['version', '--short']).toString().trim(),
  };

  const results: Record<string, Record<number, Sample>> = { webstack: {}, plus: {}, yaml: {} };
  for (const n of SIZES) {
    console.error(`fleet of ${n} ...`);
    // One extra run writes the documents the yaml floor serializes.
    fs.mkdirSync(path.join(work, 'dump'), { recursive: true });
    fleet('webstack', n, { BENCH_DUMP_DOCS: path.join(work, 'dump') });
    fs.renameSync(path.join(work, 'dump', 'docs.json'), path.join(work, `docs-${n}.json`));
    results.webstack[n] = measure(() => fleet('webstack', n));
    results.yaml[n] = measure(() => fleet('yaml', n));
    if (n <= PLUS_MAX) {
      results.plus[n] = measure(() => fleet('plus', n), n >= 1000 ? 1 : RUNS);
    }
  }

  rows.push('| Case | Stacks | Median wall time | Per stack | Peak RSS | Note |', '| --- | --- | --- | --- | --- | --- |');
  for (const n of SIZES) {
    const w = results.webstack[n];
    const y = results.yaml[n];
    const p = results.plus[n];
    row('cdk8s-webstack (WebStackApp, a chart per stack)', n, w, `${(w.ms / y.ms).toFixed(2)} × the yaml floor${p ? `; ${(p.ms / w.ms).toFixed(1)} × faster than raw cdk8s-plus-28` : ''}`);
    if (p) {
      row('raw cdk8s-plus-28 (cdk8s App, a chart per stack)', n, p, n >= 1000 ? 'one measured run' : '');
    } else {
      rows.push(`| raw cdk8s-plus-28 | ${n} | not run | | | quadratic: ${fmt(results.plus[PLUS_MAX]?.ms ?? NaN)} at ${PLUS_MAX} |`);
    }
    row('`yaml` package alone (serialize + write the same documents)', n, y);
  }

  console.error('helm template ...');
  const chart = path.join(ROOT, 'bench', 'helm', 'webapp');
  const h1 = measure(() => timed(helm, ['template', 'r', chart, '-f', helmValues(1)]), 5);
  const h1000 = measure(() => timed(helm, ['template', 'r', chart, '-f', helmValues(1000)]));
  row('`helm template`, 1 release', 1, h1);
  row('`helm template`, 1 release of 1,000 apps', 1000, h1000);
  const releases = (() => {
    const values = helmValues(1);
    const start = Date.now();
    let rss = 0;
    for (let i = 0; i < 1000; i++) {
      rss = Math.max(rss, timed(helm, ['template', `r${i}`, chart, '-f', values]).rssMiB);
    }
    return { ms: Date.now() - start, rssMiB: rss };
  })();
  row('`helm template`, 1,000 releases (1,000 runs)', 1000, releases, 'measured once');

  console.error('cold start: npx cdk8s synth ...');
  const cli = (app: string) => timed('npx', ['cdk8s', 'synth', '--check-upgrade=false', '--app', app, '--output', path.join(work, 'cli-out')]);
  const main = measure(() => cli('node bin/run.js apps/main.ts'), 5);
  const empty = measure(() => cli('node bin/run.js bench/empty-app.ts'), 5);
  const emptyJs = measure(() => cli(`node ${path.join(ROOT, 'build', 'bench', 'empty-app.js')}`), 5);
  rows.push('', '| Cold start (`npx cdk8s synth`) | Median wall time | Peak RSS | Ratio |', '| --- | --- | --- | --- |');
  rows.push(`| apps/main.ts (this repository's examples) | ${fmt(main.ms)} | ${main.rssMiB.toFixed(0)} MiB | ${(main.ms / empty.ms).toFixed(2)} × the empty chart |`);
  rows.push(`| one empty chart, same runner (bin/run.js) | ${fmt(empty.ms)} | ${empty.rssMiB.toFixed(0)} MiB | 1.00 |`);
  rows.push(`| one empty chart, precompiled JavaScript | ${fmt(emptyJs.ms)} | ${emptyJs.rssMiB.toFixed(0)} MiB | ${(main.ms / emptyJs.ms).toFixed(2)} × (apps/main.ts over it) |`);

  const n100 = results.webstack[100];
  const n10k = results.webstack[10000];
  const targets = [
    results.webstack[1000] && `fleet: 1,000 stacks at ${(results.webstack[1000].ms / results.yaml[1000].ms).toFixed(2)} × the yaml floor (target ≤ 1.5)`,
    n100 && n10k && `linear: per-stack cost at 10,000 is ${((n10k.ms / 10000) / (n100.ms / 100)).toFixed(2)} × that at 100 (target ≤ 1.2)`,
    n10k && `memory: peak RSS at 10,000 stacks ${n10k.rssMiB.toFixed(0)} MiB (target < 1024)`,
    `cold start: ${(main.ms / empty.ms).toFixed(2)} × an empty chart (target ≤ 1.3)`,
    ...[1, 1000].filter(n => results.plus[n] && results.webstack[n]).map(n => `vs raw cdk8s-plus-28 at ${n}: ${(results.plus[n].ms / results.webstack[n].ms).toFixed(2)} × faster (target > 1)`),
  ].filter(Boolean);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log([
    `Benchmark of ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    `Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}. Medians of ${RUNS} runs after a warm-up, each in a fresh process; peak RSS is the largest seen.`,
    '',
    ...rows,
    '',
    ...targets.map(t => `- ${t}`),
  ].join('\n'));
  fs.rmSync(work, { recursive: true, force: true });
}

main();

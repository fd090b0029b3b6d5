/**
 * npm run bench: every case in a fresh process, a warm-up run then RUNS measured runs, medians
 * printed as a Markdown table with the machine, the versions and the date. Wall times are of
 * the whole process (start-up and module loading included), side by side in one run.
 *
 *   fleet   this library (WebStackApp, one chart per stack, a file per chart) at 1 / 1,000 /
 *           10,000 stacks of the realistic stack of bench/fleet.ts
 *   floor   the very bytes it wrote, already in memory, written to the same files with plain `fs`
 *   helm    `helm template` of bench/helm/webapp, the same stacks as one release (checked to
 *           render the same documents first)
 *   node    a bare `node` start, for the one-stack case
 *   cold    `npx cdk8s synth` of apps/main.ts vs of an app with one empty chart
 *
 * Environment: BENCH_TMPDIR (where the cases write; default the system's temp folder), BENCH_FLEET (another build of bench/fleet.js, to compare builds), BENCH_RUNS (default 3), BENCH_SIZES (default 1,1000,10000), BENCH_PLUS_MAX
 * (largest N for raw cdk8s-plus-28 and its older, smaller stack; default 0: not run),
 * BENCH_HELM_RELEASES (1: also time 1,000 `helm template` runs of one app each).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILT = process.env.BENCH_FLEET ?? path.join(ROOT, 'build', 'bench', 'fleet.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '1,1000,10000').split(',').map(Number);
const PLUS_MAX = Number(process.env.BENCH_PLUS_MAX ?? 0);
const CACHE = process.env.CDK8S_WEBSTACK_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-webstack');
const HELM_MODULE = 'helm.sh/helm/v3/cmd/helm@v3.22.0';
const CHART = path.join(ROOT, 'bench', 'helm', 'webapp');
/** Where every case writes (BENCH_TMPDIR to change it: a disk shared with other work makes file creation slow and uneven). */
const work = fs.mkdtempSync(path.join(process.env.BENCH_TMPDIR ?? os.tmpdir(), 'webstack-bench-'));

interface Sample { readonly ms: number; readonly rssMiB: number; readonly innerMs?: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall time and peak RSS of a command, from GNU time, and its stdout (written to `toFile` instead, when given). */
function run(cmd: string, args: string[], env: Record<string, string> = {}, toFile?: string): Sample & { stdout: string } {
  const fd = toFile !== undefined ? fs.openSync(toFile, 'w') : undefined;
  try {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20, stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    });
    if (r.status !== 0) {
      throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
    }
    const [seconds, kib] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { ms: seconds * 1000, rssMiB: kib / 1024, stdout: r.stdout ?? '' };
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}

/** One case of bench/fleet.js in a fresh process, writing into a fresh folder. */
function fleet(impl: string, n: number, env: Record<string, string> = {}): Sample {
  const out = path.join(work, `${impl}-${n}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  if (impl === 'floor') {
    fs.copyFileSync(path.join(work, `bytes-${n}.json`), path.join(out, 'bytes.json'));
  }
  const r = run(process.execPath, [BUILT, impl, String(n), out], env);
  const inner = JSON.parse(r.stdout) as { ms: number };
  return { ms: r.ms, rssMiB: r.rssMiB, innerMs: inner.ms };
}

function measure(sample: () => Sample, runs = RUNS): Sample {
  sample();
  const samples = Array.from({ length: runs }, sample);
  const inner = samples.map(s => s.innerMs).filter((x): x is number => x !== undefined);
  return { ms: median(samples.map(s => s.ms)), rssMiB: Math.max(...samples.map(s => s.rssMiB)), innerMs: inner.length ? median(inner) : undefined };
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

/** The documents of a YAML stream, each with its keys sorted, sorted: what a cluster would receive. */
function documents(text: string): string[] {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sorted((v as Record<string, unknown>)[k])])) : v);
  return parseAllDocuments(text, { version: '1.1' }).map(d => d.toJS()).filter(d => d !== null).map(d => JSON.stringify(sorted(d))).sort();
}

/** Fails unless the Helm chart renders, for 2 apps, the documents the library writes for 2 stacks. */
function checkHelmEquivalent(helm: string): void {
  const out = path.join(work, 'equivalence');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  run(process.execPath, [BUILT, 'webstack', '2', out]);
  const ours = documents(fs.readdirSync(out).filter(f => f.endsWith('.yaml')).map(f => fs.readFileSync(path.join(out, f), 'utf8')).join('---\n'));
  run(helm, ['template', 'r', CHART, '-f', helmValues(2)], {}, path.join(out, 'helm.out'));
  const theirs = documents(fs.readFileSync(path.join(out, 'helm.out'), 'utf8'));
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    const diff = ours.find((d, i) => d !== theirs[i]);
    throw new Error(`bench/helm/webapp no longer renders what the library writes (${ours.length} documents against ${theirs.length}); first difference:\n${diff}\nkeep the chart equal to the stack of bench/fleet.ts`);
  }
}

const rows: string[] = [];
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
function row(what: string, n: number, s: Sample, note = '') {
  const per = `${(s.ms / n).toFixed(n >= 1000 ? 2 : 1)} ms`;
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
    helm: execFileSync(helm, ['version', '--short']).toString().trim(),
  };
  checkHelmEquivalent(helm);

  console.error('bare node ...');
  const node = measure(() => run(process.execPath, ['-e', '0']), 9);
  const results: Record<string, Record<number, Sample>> = { webstack: {}, floor: {}, helm: {}, plus: {} };
  for (const n of SIZES) {
    console.error(`fleet of ${n} ...`);
    const bytes = path.join(work, `bytes-${n}.json`);
    fleet('webstack', n, { BENCH_DUMP_BYTES: bytes });
    const values = helmValues(n);
    // Side by side: each measured run of one is next to a run of the others.
    const samples: Record<string, Sample[]> = { webstack: [], floor: [], helm: [] };
    const one = {
      webstack: () => fleet('webstack', n),
      floor: () => fleet('floor', n),
      helm: () => run(helm, ['template', 'r', CHART, '-f', values], {}, path.join(work, 'helm.out')),
    };
    for (const f of Object.values(one)) {
      f();
    }
    const runs = n === 1 ? Math.max(RUNS, 9) : RUNS;
    for (let i = 0; i < runs; i++) {
      for (const [name, f] of Object.entries(one)) {
        samples[name].push(f());
      }
    }
    for (const name of Object.keys(one)) {
      const s = samples[name];
      const inner = s.map(x => x.innerMs).filter((x): x is number => x !== undefined);
      results[name][n] = { ms: median(s.map(x => x.ms)), rssMiB: Math.max(...s.map(x => x.rssMiB)), innerMs: inner.length ? median(inner) : undefined };
    }
    fs.rmSync(bytes, { force: true });
    if (n <= PLUS_MAX) {
      results.plus[n] = measure(() => fleet('plus', n), n >= 1000 ? 1 : RUNS);
    }
  }

  rows.push('| Case | Stacks | Median wall time (process) | Per stack | Peak RSS | Note |', '| --- | --- | --- | --- | --- | --- |');
  rows.push(`| bare \`node -e 0\` | 1 | ${fmt(node.ms)} | | ${node.rssMiB.toFixed(0)} MiB | |`);
  for (const n of SIZES) {
    const w = results.webstack[n];
    const f = results.floor[n];
    const h = results.helm[n];
    const floorMs = node.ms + f.innerMs!;
    row('cdk8s-webstack (WebStackApp, a chart per stack, a file per chart)', n, w,
      `${(w.ms / h.ms).toFixed(2)} × Helm; ${(w.ms / floorMs).toFixed(2)} × the floor${n === 1 ? `; ${fmt(w.ms - node.ms)} over bare node` : ''}`);
    rows.push(`| floor: the same bytes written to the same files with plain \`fs\` | ${n} | ${fmt(f.innerMs!)} + node start = ${fmt(floorMs)} | ${(floorMs / n).toFixed(n >= 1000 ? 2 : 1)} ms | ${f.rssMiB.toFixed(0)} MiB | the bytes already in memory |`);
    row('`helm template`, one release of the equivalent chart (stdout to a file)', n, h);
    if (results.plus[n]) {
      row('raw cdk8s-plus-28 (cdk8s App, the older 6-object stack: not the same stack)', n, results.plus[n], n >= 1000 ? 'one measured run' : '');
    }
  }

  if (process.env.BENCH_HELM_RELEASES === '1') {
    console.error('helm template, 1,000 releases ...');
    const values = helmValues(1);
    const start = Date.now();
    let rss = 0;
    for (let i = 0; i < 1000; i++) {
      rss = Math.max(rss, run(helm, ['template', `r${i}`, CHART, '-f', values], {}, path.join(work, 'helm.out')).rssMiB);
    }
    row('`helm template`, 1,000 releases of one app (1,000 runs)', 1000, { ms: Date.now() - start, rssMiB: rss }, 'measured once');
  }

  console.error('cold start: npx cdk8s synth ...');
  const cli = (app: string) => run('npx', ['cdk8s', 'synth', '--check-upgrade=false', '--app', app, '--output', path.join(work, 'cli-out')]);
  const main = measure(() => cli('node bin/run.js apps/main.ts'), 5);
  const empty = measure(() => cli('node bin/run.js bench/empty-app.ts'), 5);
  const emptyJs = measure(() => cli(`node ${path.join(ROOT, 'build', 'bench', 'empty-app.js')}`), 5);
  rows.push('', '| Cold start (`npx cdk8s synth`) | Median wall time | Peak RSS | Ratio |', '| --- | --- | --- | --- |');
  rows.push(`| apps/main.ts (this repository's examples) | ${fmt(main.ms)} | ${main.rssMiB.toFixed(0)} MiB | ${(main.ms / empty.ms).toFixed(2)} × the empty chart |`);
  rows.push(`| one empty chart, same runner (bin/run.js) | ${fmt(empty.ms)} | ${empty.rssMiB.toFixed(0)} MiB | 1.00 |`);
  rows.push(`| one empty chart, precompiled JavaScript | ${fmt(emptyJs.ms)} | ${emptyJs.rssMiB.toFixed(0)} MiB | ${(main.ms / emptyJs.ms).toFixed(2)} × (apps/main.ts over it) |`);

  const w = results.webstack;
  const h = results.helm;
  const targets = [
    ...[1000, 10000].filter(n => w[n] && h[n]).map(n => `fleet of ${n}: ${(w[n].ms / h[n].ms).toFixed(2)} × Helm's wall time (target ≤ 0.5)`),
    w[10000] && h[10000] && `memory at 10,000: ${w[10000].rssMiB.toFixed(0)} MiB against Helm's ${h[10000].rssMiB.toFixed(0)} MiB (target below)`,
    w[1000] && w[10000] && `linear: per-stack cost at 10,000 is ${((w[10000].ms / 10000) / (w[1000].ms / 1000)).toFixed(2)} × that at 1,000 (target ≤ 1.1)`,
    w[1] && h[1] && `one stack: ${fmt(w[1].ms)} against bare node's ${fmt(node.ms)} (${fmt(w[1].ms - node.ms)} added) and Helm's ${fmt(h[1].ms)}`,
    `cold start: ${(main.ms / empty.ms).toFixed(2)} × an empty chart`,
  ].filter(Boolean);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log([
    `Benchmark of ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    `Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}. Medians of ${RUNS} runs (9 for one stack) after a warm-up, each in a fresh process, the cases of one size interleaved; peak RSS is the largest seen.`,
    '',
    ...rows,
    '',
    ...targets.map(t => `- ${t}`),
  ].join('\n'));
  fs.rmSync(work, { recursive: true, force: true });
}

main();

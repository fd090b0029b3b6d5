/**
 * The kill loop: a child process synthesizes many stacks into one dist/ and is killed (SIGKILL)
 * at seeded random moments; after each kill, dist/ is checked as it was left, then after the
 * next synth (one that fails validation, so it can only repair, never write a set of its own).
 *
 * What is asserted after each kill, with OLD the set dist/ held before the killed synth and NEW
 * the set that synth was writing (the two differ in every file, and in a tenth of the names):
 * 1. Right after the kill, dist/ (without the user's files) is exactly OLD, or exactly NEW, or —
 *    only when the journal exists, i.e. the kill came after the commit point — a mix in which
 *    every file is byte for byte OLD's or NEW's file of that name.
 * 2. After the next synth: exactly NEW if the journal existed or dist/ already was NEW, else
 *    exactly OLD; the record lists exactly those files; beside dist/ there is nothing but the
 *    record (no staging folder, journal, lock or temporary file); the user's files are intact.
 *
 * Used by test/synth-kill.test.ts (small, in `npm test`) and test/synth-kill.ts (`npm run
 * test:kill`, 2,000 stacks). Every child is waited for, and killed if it overruns; the temporary
 * folder is removed at the end.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { IngressVip, WebApp, WebStackApp } from '../lib';

const ROOT = path.join(__dirname, '..');
const CHILD = path.join(__dirname, 'fixtures', 'kill-child.ts');
const USER_FILES: Record<string, string> = { 'kustomization.yaml': 'resources: []\n', '.gitkeep': '', 'overlays/prod/patch.yaml': 'kind: Patch\n' };

export interface KillLoopOptions {
  /** Stacks (charts with a WebApp) per synth. */
  readonly stacks: number;
  /** Kills: even ones at any moment of the child's run, odd ones within its commit. */
  readonly kills: number;
  readonly seed: number;
  /** The whole loop fails past this. */
  readonly budgetMs: number;
  readonly log?: (line: string) => void;
}

export interface KillResult {
  readonly kill: number;
  /** When the kill was aimed: `Nms after start` or `Nms after staged`. */
  readonly aim: string;
  /** Whether the child was still running when killed (else it had finished). */
  readonly killed: boolean;
  /** dist/ right after: 'old', 'new' or 'mixed' (only ever with a journal). */
  readonly left: 'old' | 'new' | 'mixed';
  readonly journal: boolean;
  /** dist/ after the next synth. */
  readonly repaired: 'old' | 'new';
}

export interface KillLoopReport {
  readonly results: KillResult[];
  readonly synthMs: number;
  readonly commitMs: number;
  readonly totalMs: number;
}

type FileSet = Map<string, string>;

export async function killLoop(options: KillLoopOptions): Promise<KillLoopReport> {
  const started = Date.now();
  const random = mulberry32(options.seed);
  const log = options.log ?? (() => undefined);
  const children = new Set<ChildProcess>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-kill-'));
  const out = path.join(tmp, 'dist');
  try {
    fs.mkdirSync(out);
    for (const [file, text] of Object.entries(USER_FILES)) {
      fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      fs.writeFileSync(path.join(out, file), text);
    }
    const run = (variant: 'a' | 'b', plan?: KillPlan, timeoutMs = 120_000) => runChild(children, out, variant, options.stacks, timeoutMs, plan);

    // Calibrate, and learn the two complete sets.
    const first = await run('a');
    const sets: Record<'a' | 'b', FileSet> = { a: snapshot(out), b: new Map() };
    const second = await run('b');
    sets.b = snapshot(out);
    for (const r of [first, second]) {
      if (r.killed || !r.timings) {
        throw new Error(`a calibration synth did not finish: ${r.stderr}`);
      }
    }
    // From spawn to exit: a kill "after start" may land in start-up, synth or commit.
    const synthMs = Math.max(first.wallMs, second.wallMs);
    const commitMs = Math.max(first.timings!.commitMs, second.timings!.commitMs);
    const timeoutMs = Math.max(30_000, 10 * synthMs);
    log(`calibration: ${options.stacks} stacks, child run ${synthMs} ms, commit ${commitMs} ms; ${sets.a.size} and ${sets.b.size} files`);
    // A file per stack, the platform's, the Namespaces, the ApplySet's two and the outputs.
    if (sets.a.size !== options.stacks + 5 || sets.b.size !== options.stacks + 5) {
      throw new Error(`expected ${options.stacks + 5} files per set, found ${sets.a.size} and ${sets.b.size}`);
    }

    const results: KillResult[] = [];
    let current: 'a' | 'b' = 'b';
    for (let kill = 0; kill < options.kills; kill++) {
      if (Date.now() - started > options.budgetMs) {
        throw new Error(`the kill loop is over its budget of ${options.budgetMs} ms after ${kill} kills`);
      }
      const target: 'a' | 'b' = current === 'a' ? 'b' : 'a';
      const plan: KillPlan = kill % 2 === 0
        ? { after: 'start', delayMs: Math.floor(random() * synthMs * 1.1) }
        : { after: 'staged', delayMs: Math.floor(random() * commitMs * 1.5) };
      const child = await run(target, plan, timeoutMs);
      const oldSet: FileSet = sets[current];
      const newSet: FileSet = sets[target];

      // 1. As the kill left it.
      const journal = fs.existsSync(path.join(tmp, '.dist.webstack-journal'));
      const now = snapshot(out);
      const left: KillResult['left'] = sameSet(now, oldSet) ? 'old' : sameSet(now, newSet) ? 'new' : 'mixed';
      if (left === 'mixed') {
        const foreign = [...now].filter(([f, hash]) => hash !== oldSet.get(f) && hash !== newSet.get(f)).map(([f]) => f);
        if (!journal || foreign.length > 0) {
          throw new Error(`kill ${kill}: dist/ is a mix ${journal ? 'with' : 'without'} a journal; files of neither set: ${foreign.slice(0, 5).join(', ') || 'none'}`);
        }
      }

      // 2. After the next synth, which fails validation after repairing.
      let failed = false;
      try {
        brokenApp(out).synth();
      } catch (error) {
        failed = /both render/.test(String(error));
        if (!failed) {
          throw error;
        }
      }
      if (!failed) {
        throw new Error(`kill ${kill}: the broken app synthesized`);
      }
      const expected: FileSet = journal || left === 'new' ? newSet : oldSet;
      const after = snapshot(out);
      if (!sameSet(after, expected)) {
        throw new Error(`kill ${kill} (${left}, journal ${journal}): after the next synth dist/ is not the ${expected === newSet ? 'new' : 'old'} set`);
      }
      const beside = fs.readdirSync(tmp).sort();
      const record = JSON.parse(fs.readFileSync(path.join(tmp, '.dist.webstack-files'), 'utf8')).files;
      if (beside.join() !== '.dist.webstack-files,dist' || record.join() !== [...expected.keys()].sort().join()) {
        throw new Error(`kill ${kill}: beside dist/: ${beside.join(', ')}; the record does not list the set`);
      }
      for (const [file, text] of Object.entries(USER_FILES)) {
        if (fs.readFileSync(path.join(out, file), 'utf8') !== text) {
          throw new Error(`kill ${kill}: the user's ${file} changed`);
        }
      }
      const repaired: KillResult['repaired'] = expected === newSet ? 'new' : 'old';
      const result = { kill, aim: `${plan.delayMs} ms after ${plan.after}`, killed: child.killed, left, journal, repaired } as const;
      results.push(result);
      log(`kill ${String(kill).padStart(2)}: ${result.aim.padEnd(22)} ${child.killed ? 'killed' : 'had finished'}, left ${left}${journal ? ' with journal' : ''}, repaired to ${repaired}`);
      current = repaired === 'new' ? target : current;
    }
    return { results, synthMs, commitMs, totalMs: Date.now() - started };
  } finally {
    for (const child of children) {
      child.kill('SIGKILL');
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface KillPlan {
  readonly after: 'start' | 'staged';
  readonly delayMs: number;
}

interface ChildResult {
  readonly killed: boolean;
  /** From spawn to exit. */
  readonly wallMs: number;
  readonly timings?: { totalMs: number; commitMs: number };
  readonly stderr: string;
}

/** Runs the child to its end (or kill), and waits until it has been reaped. */
function runChild(children: Set<ChildProcess>, outdir: string, variant: string, stacks: number, timeoutMs: number, plan?: KillPlan): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), CHILD, outdir, variant, String(stacks)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const spawned = Date.now();
    let stdout = '';
    let stderr = '';
    let aimed = false;
    const timers: NodeJS.Timeout[] = [];
    const aim = () => {
      aimed = true;
      timers.push(setTimeout(() => child.kill('SIGKILL'), plan!.delayMs));
    };
    if (plan?.after === 'start') {
      aim();
    }
    const overrun = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`a child synth ran over ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (plan?.after === 'staged' && !aimed && stdout.includes('staged\n')) {
        aim();
      }
    });
    child.stderr!.on('data', (chunk) => stderr += chunk);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      clearTimeout(overrun);
      timers.forEach(clearTimeout);
      if (signal === null && code !== 0) {
        reject(new Error(`a child synth failed (${code}): ${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve({ killed: signal === 'SIGKILL', wallMs: Date.now() - spawned, timings: last.startsWith('{') ? JSON.parse(last) : undefined, stderr });
    });
  });
}

/** An app whose synth fails validation (two apps render the same objects): it can only repair. */
function brokenApp(outdir: string): WebStackApp {
  const app = new WebStackApp({ outdir });
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  for (const id of ['one', 'two']) {
    new WebApp(new Chart(app, id), id, { entryPoint: vip, name: 'shop', image: 'registry.example.com/team/shop:1.0.0', host: `${id}.example.com` });
  }
  return app;
}

/** The files synth wrote in `dir` (the user's left out), by name, as hashes. */
function snapshot(dir: string): FileSet {
  const user = new Set(Object.keys(USER_FILES).map(f => f.split('/')[0]));
  return new Map(fs.readdirSync(dir).filter(f => !user.has(f)).sort()
    .map(f => [f, crypto.createHash('sha1').update(fs.readFileSync(path.join(dir, f))).digest('hex')]));
}

function sameSet(a: FileSet, b: FileSet): boolean {
  return a.size === b.size && [...a].every(([f, hash]) => b.get(f) === hash);
}

/** A small seeded generator, so a failing run can be repeated. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

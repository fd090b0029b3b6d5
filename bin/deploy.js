// The cluster steps of a pipeline, from the outputs of a synth (DIR/outputs.json):
//   cdk8s-webstack diff   [DIR]   what the apply would change, and what it would prune
//   cdk8s-webstack deploy [DIR]   diff, apply with prune (each app's migration Job first, waited
//                                 for), wait for every rollout, then run the jobs after the release
//   cdk8s-webstack smoke  [DIR]   GET every app URL at its entry point's address
// DIR defaults to dist. kubectl comes from $KUBECTL or PATH, and talks to the cluster of
// $KUBECONFIG. Exit status: 0 when every step passed; 1 with the failing step named.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const FIELD_MANAGER = 'cdk8s-webstack';
const PART_OF = 'applyset.kubernetes.io/part-of';

function fail(message) {
  process.stderr.write(`cdk8s-webstack: ${message}\n`);
  process.exit(1);
}

function parseArgs(command, argv, flags) {
  const options = { dir: 'dist' };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s);
    if (!name.startsWith('--')) {
      options.dir = argv[i];
    } else if (name in flags) {
      options[flags[name]] = inline ?? argv[++i];
      if (options[flags[name]] === undefined) {
        fail(`${name} needs a value`);
      }
    } else {
      fail(require('./help.js').unknownOption(command, name));
    }
  }
  return options;
}

/**
 * The outputs of the synth in `dir`, checked by the library's own reader (every value's shape
 * and format: they reach kubectl), and every file they name a regular file inside `dir`.
 */
function outputsOf(dir, { applySet = true } = {}) {
  const { readOutputs } = require('../build/lib/synth/outputs.js');
  let outputs;
  try {
    outputs = readOutputs(path.join(dir, 'outputs.json'));
  } catch (error) {
    fail(error.message);
  }
  if (applySet && outputs.applySet === null) {
    fail(`${dir}/outputs.json has no ApplySet (the program sets applySet: false); apply its files with your own tooling`);
  }
  if (outputs.applySet !== null) {
    const set = outputs.applySet;
    [set.parentFile, ...set.keptFiles, ...set.files].forEach(f => insideFolder(dir, f));
  }
  return outputs;
}

/** Fails unless `file` (as outputs.json names it) is a regular file inside `dir`, symlinks resolved. */
function insideFolder(dir, file) {
  const root = fs.realpathSync(dir);
  let real;
  try {
    real = fs.realpathSync(path.join(dir, file));
  } catch {
    fail(`${dir}/outputs.json names '${file}', which the folder does not hold; synth again`);
  }
  if (!real.startsWith(`${root}${path.sep}`) || !fs.statSync(real).isFile()) {
    fail(`${dir}/outputs.json names '${file}', which is not a file inside ${dir}; synth again, and never link files into the output folder`);
  }
}

function kubectl(args, { input, env, allowed = [0] } = {}) {
  const bin = process.env.KUBECTL || 'kubectl';
  const r = spawnSync(bin, args, { input, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) {
    fail(`cannot run ${bin}: ${r.error.message}`);
  }
  if (!allowed.includes(r.status)) {
    process.stdout.write(r.stdout);
    fail(`kubectl ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  }
  return r;
}

function step(name) {
  process.stdout.write(`\n== ${name}\n`);
}

function files(dir, names) {
  return names.flatMap(f => ['-f', path.join(dir, f)]);
}

function documents(dir, names) {
  const cdk8s = path.dirname(require.resolve('cdk8s', { paths: [process.cwd(), __dirname] }));
  const YAML = require(require.resolve('yaml', { paths: [cdk8s] }));
  return names.flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJSON()))
    .filter(doc => doc !== null && typeof doc === 'object');
}

/**
 * The ApplySet's members as kubectl will have applied them: with the part-of label kubectl
 * adds. Without it, a server-side diff would show the label's removal on every object.
 */
function labelledMembers(dir, set) {
  return documents(dir, set.files).map(doc => ({ ...doc, metadata: { ...doc.metadata, labels: { ...doc.metadata.labels, [PART_OF]: set.id } } }));
}

function parentExists(set) {
  const r = kubectl(['get', '--ignore-not-found', '-o', 'name', '--', set.parent], { allowed: [0, 1] });
  return r.status === 0 && r.stdout.trim() !== '';
}

const APPLY_SET_ENV = { KUBECTL_APPLYSET: 'true' };

function applySetArgs(dir, set, extra = []) {
  return ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--prune', `--applyset=${set.parent}`, ...extra, ...files(dir, set.files)];
}

/**
 * Prints the server-side diff of `docs`; returns whether anything would change. A diff of an
 * object in a namespace that does not exist yet fails: those are counted instead.
 */
function diffDocuments(docs, namespaces) {
  const inNew = docs.filter(doc => doc.metadata.namespace !== undefined && !namespaces.has(doc.metadata.namespace));
  for (const ns of [...new Set(inNew.map(doc => doc.metadata.namespace))].sort()) {
    process.stdout.write(`namespace ${ns} is new: ${inNew.filter(doc => doc.metadata.namespace === ns).length} objects to create in it\n`);
  }
  const existing = docs.filter(doc => !inNew.includes(doc));
  const changed = existing.length === 0 ? { status: 0, stdout: '' }
    : kubectl(['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], { input: existing.map(doc => JSON.stringify(doc)).join('\n'), allowed: [0, 1] });
  process.stdout.write(changed.stdout || (inNew.length === 0 ? '(no change)\n' : ''));
  return changed.status === 1 || inNew.length > 0;
}

/** Prints what the apply would change and prune; returns whether anything would. */
function diff(dir, set) {
  const namespaces = new Set(kubectl(['get', 'namespaces', '-o', 'name']).stdout.split('\n').map(n => n.replace(/^namespace\//, '')));
  step('diff: what the Namespaces, the kept objects and the ApplySet\'s definition would change');
  const kept = diffDocuments(documents(dir, set.keptFiles), namespaces);
  step(`diff: what the apply of the ApplySet ${set.parent} would change`);
  const members = diffDocuments(labelledMembers(dir, set), namespaces);
  step('diff: what the apply would prune');
  let pruned = [];
  if (parentExists(set)) {
    const dry = kubectl(applySetArgs(dir, set, ['--dry-run=server']), { env: APPLY_SET_ENV });
    pruned = dry.stdout.split('\n').filter(line => / pruned\b/.test(line));
  }
  process.stdout.write(pruned.length > 0 ? `${pruned.join('\n')}\n` : '(nothing)\n');
  return kept || members || pruned.length > 0;
}

/** What runs the new release's pods: applied only once its migrations are done. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'HorizontalPodAutoscaler']);

/** The release jobs of every app: its migration, and the jobs after the release in their order. */
function releaseJobs(outputs) {
  return {
    migrations: outputs.apps.filter(app => app.migration !== null).map(app => ({ namespace: app.namespace, name: app.migration })),
    after: outputs.apps.flatMap(app => app.afterRelease.map(name => ({ namespace: app.namespace, name }))),
  };
}

function isJob(doc, job) {
  return doc.apiVersion === 'batch/v1' && doc.kind === 'Job' && doc.metadata.namespace === job.namespace && doc.metadata.name === job.name;
}

function jobExists(job) {
  return kubectl(['get', 'job', `--namespace=${job.namespace}`, '--ignore-not-found', '-o', 'name', '--', job.name]).stdout.trim() !== '';
}

/** Applies `docs` as the whole ApplySet (kubectl prunes every member not among them). */
function applyAsSet(set, docs) {
  const args = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--prune', `--applyset=${set.parent}`, '-f', '-'];
  process.stdout.write(kubectl(args, { env: APPLY_SET_ENV, input: docs.map(doc => JSON.stringify(doc)).join('\n') }).stdout);
}

function timeoutMs(timeout) {
  const match = /^(\d+)(s|m|h)?$/.exec(timeout);
  if (!match) {
    fail(`--timeout '${timeout}' is not a duration; write seconds, minutes or hours, e.g. 5m`);
  }
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'];
}

/**
 * Waits until `job` completes; fails, with the end of its logs, when it fails or the time runs
 * out. A migration that fails stops the deploy before the new release's workloads are applied.
 */
function waitForJob(job, timeout, what) {
  const deadline = Date.now() + timeoutMs(timeout);
  for (;;) {
    const status = JSON.parse(kubectl(['get', 'job', `--namespace=${job.namespace}`, '-o', 'json', '--', job.name]).stdout).status ?? {};
    const condition = type => (status.conditions ?? []).find(c => c.type === type && c.status === 'True');
    if (condition('Complete')) {
      process.stdout.write(`job.batch/${job.name} complete (${job.namespace})\n`);
      return;
    }
    const failed = condition('Failed');
    if (failed || Date.now() > deadline) {
      const logs = kubectl(['logs', `--namespace=${job.namespace}`, '--all-containers', '--tail=40', '--', `job/${job.name}`], { allowed: [0, 1] });
      process.stdout.write(logs.stdout);
      fail(`${what} Job ${job.namespace}/${job.name} ${failed ? `failed (${failed.reason}: ${failed.message})` : `did not complete within ${timeout}`}; `
        + (what === 'migration' ? 'the running release is untouched: fix it and deploy again' : 'the release itself is out: fix the job and deploy again'));
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  }
}

/**
 * Applies the output: the kept files, the parent once, then the set. An app with a migration
 * first gets what the migration needs (everything but the workloads, applied outside the
 * prune), and the migration is waited for. Jobs after the release that have not run are left
 * out, and returned, for `deploy` to run after the rollouts.
 */
function apply(dir, outputs, { wait, timeout }) {
  const set = outputs.applySet;
  step('apply: the ApplySet\'s definition, the Namespaces and the kept objects (outside the set: never pruned)');
  process.stdout.write(kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...files(dir, set.keptFiles)]).stdout);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', '--', `crd/${set.parent.split('/')[0]}`]);
  if (!parentExists(set)) {
    step(`create: the ApplySet's parent ${set.parent} (kubectl keeps it from now on)`);
    process.stdout.write(kubectl(['create', ...files(dir, [set.parentFile])]).stdout);
  }
  const jobs = releaseJobs(outputs);
  if (!wait || (jobs.migrations.length === 0 && jobs.after.length === 0)) {
    step(`apply: the ApplySet ${set.parent}, pruning what the program no longer declares`);
    process.stdout.write(kubectl(applySetArgs(dir, set), { env: APPLY_SET_ENV }).stdout);
    return { set, docs: [], pending: [] };
  }
  const docs = documents(dir, set.files);
  const pending = jobs.after.filter(job => !jobExists(job));
  if (jobs.migrations.length > 0) {
    step('apply: what the migrations need, and the migrations (not the workloads, nothing pruned)');
    const before = docs.filter(doc => !WORKLOAD_KINDS.has(doc.kind) && !jobs.after.some(job => isJob(doc, job)));
    process.stdout.write(kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], { input: before.map(doc => JSON.stringify(doc)).join('\n') }).stdout);
    step('wait: the migrations of this release');
    jobs.migrations.forEach(job => waitForJob(job, timeout, 'migration'));
  }
  step(`apply: the ApplySet ${set.parent}, pruning what the program no longer declares${pending.length > 0 ? ' (the jobs after the release wait for the rollouts)' : ''}`);
  applyAsSet(set, docs.filter(doc => !pending.some(job => isJob(doc, job))));
  return { set, docs, pending };
}

/** Runs the jobs after the release, one by one, each applied with the set (so that it is a member). */
function afterRelease({ set, docs, pending }, timeout) {
  pending.forEach((job, i) => {
    step(`after the release: Job ${job.namespace}/${job.name}`);
    applyAsSet(set, docs.filter(doc => !pending.slice(i + 1).some(later => isJob(doc, later))));
    waitForJob(job, timeout, 'after-release');
  });
}

function rollouts(outputs, timeout) {
  step('rollout status: every Deployment and StatefulSet of every app');
  for (const app of outputs.apps) {
    const workloads = [...app.deployments.map(name => `deployment/${name}`), ...app.statefulSets.map(name => `statefulset/${name}`)];
    for (const workload of workloads) {
      process.stdout.write(kubectl(['rollout', 'status', `--namespace=${app.namespace}`, `--timeout=${timeout}`, '--', workload]).stdout);
    }
  }
}

/** GETs every URL at the entry point's address (not through DNS), following no redirect. */
async function smoke(outputs, options) {
  const https = require('https');
  const http = require('http');
  const ca = options.ca ? fs.readFileSync(options.ca) : undefined;
  let failed = 0;
  for (const app of outputs.apps) {
    const address = app.entryPoint.address;
    if (address === null) {
      // A cloud assigns the address: there is none to go to without DNS, which may not point there yet.
      for (const url of app.urls) {
        failed += 1;
        process.stdout.write(`FAIL ${url}: ${app.entryPoint.description} has no pinned address to test at; pin one, or smoke the app through DNS once its record is published\n`);
      }
      continue;
    }
    for (const url of app.urls) {
      const client = url.startsWith('https:') ? https : http;
      const lookup = (host, opts, callback) => (opts && opts.all
        ? callback(null, [{ address, family: address.includes(':') ? 6 : 4 }])
        : callback(null, address, address.includes(':') ? 6 : 4));
      const result = await new Promise(resolve => {
        const req = client.get(url, { lookup, ca, timeout: 10_000 }, res => {
          res.resume();
          resolve(`${res.statusCode}`);
        });
        req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
        req.on('error', error => resolve(error.message));
      });
      const ok = /^[23]\d\d$/.test(result);
      failed += ok ? 0 : 1;
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${url} at ${address}: ${result}\n`);
    }
  }
  if (failed > 0) {
    fail(`smoke: ${failed} URL(s) failed`);
  }
}

module.exports = {
  diff(argv) {
    const options = parseArgs('diff', argv, {});
    diff(options.dir, outputsOf(options.dir).applySet);
  },
  deploy(argv) {
    const options = parseArgs('deploy', argv, { '--timeout': 'timeout', '--wait': 'wait' });
    const outputs = outputsOf(options.dir);
    const timeout = options.timeout ?? '5m';
    const wait = options.wait !== 'false';
    timeoutMs(timeout);
    diff(options.dir, outputs.applySet);
    const applied = apply(options.dir, outputs, { wait, timeout });
    if (!wait) {
      step('rollout status: not waited for (--wait=false; the release jobs were applied with the rest)');
    } else {
      rollouts(outputs, timeout);
      afterRelease(applied, timeout);
    }
  },
  smoke(argv) {
    const options = parseArgs('smoke', argv, { '--ca': 'ca' });
    step('smoke: every URL of every app, at its entry point\'s address');
    return smoke(outputsOf(options.dir, { applySet: false }), options);
  },
};

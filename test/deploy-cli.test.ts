// The pipeline commands of bin/deploy.js that need no cluster: smoke, and the refusals. The
// cluster steps (diff, deploy) run against real API servers in npm run test:cluster.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

const CLI = path.join(__dirname, '..', 'bin', 'cdk8s-webstack.js');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

function outputsOf(urls: string[], applySet: unknown = null): any {
  return {
    version: 1,
    applySet,
    apps: [{
      path: 'shop/shop', name: 'shop', namespace: 'shop', image: 'r.example.com/shop:1', routeKind: 'Ingress',
      hosts: ['shop.test'], urls, deployments: ['shop'], statefulSets: [], migration: null, afterRelease: [], files: [], dns: [],
      entryPoint: { path: 'platform/IngressVip', description: 'IngressVip', namespace: 'ingress-nginx', address: '127.0.0.1' },
    }],
    dnsRecords: [],
  };
}

function outputs(dir: string, urls: string[], applySet: unknown = null): void {
  fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(outputsOf(urls, applySet)));
}

describe('cdk8s-webstack smoke', () => {
  let server: http.Server;
  let port: number;
  const hosts: string[] = [];
  let dir: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.statusCode = req.url === '/broken' ? 503 : 200;
      res.end('ok');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'));
  });
  afterAll(async () => {
    await new Promise(r => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GETs every URL at the entry point\'s address with the app\'s host, and passes on 2xx and 3xx', async () => {
    outputs(dir, [`http://shop.test:${port}/`]);
    const r = await cli(['smoke', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`ok   http://shop.test:${port}/ at 127.0.0.1: 200`);
    expect(hosts).toContain(`shop.test:${port}`);
  });

  test('fails, naming each URL that did not answer well', async () => {
    outputs(dir, [`http://shop.test:${port}/`, `http://shop.test:${port}/broken`]);
    const r = await cli(['smoke', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`FAIL http://shop.test:${port}/broken at 127.0.0.1: 503`);
    expect(r.stderr).toContain('cdk8s-webstack: smoke: 1 URL(s) failed');
  });
});

describe('cdk8s-webstack deploy refuses, before touching a cluster', () => {
  test('a folder without outputs, an app that turned the ApplySet off, an unknown option', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
    try {
      expect((await cli(['deploy', dir])).stderr).toMatch(/outputs\.json: cannot read the outputs of a synth .*run `cdk8s synth` first/);
      outputs(dir, ['https://shop.test/']);
      expect((await cli(['deploy', dir])).stderr).toMatch(/outputs\.json has no ApplySet \(the program sets applySet: false\)/);
      const r = await cli(['deploy', dir, '--prune-all']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("unknown option '--prune-all'; the options are --timeout, --wait");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk8s-webstack takes nothing in outputs.json on trust', () => {
  const SET = {
    parent: 'applysets.cdk8s-webstack.io/web', id: `applyset-${'A'.repeat(43)}-v1`,
    parentFile: 'applyset-parent.k8s.yaml', keptFiles: ['applyset.k8s.yaml'], files: ['shop.k8s.yaml'],
  };
  let dir: string;
  let marker: string;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
    for (const f of ['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'shop.k8s.yaml']) {
      fs.writeFileSync(path.join(dir, f), '');
    }
    // A kubectl that only records that it ran: every case must stop before it.
    marker = path.join(dir, 'kubectl-ran');
    fs.writeFileSync(path.join(dir, 'kubectl'), `#!/bin/sh\necho "$@" >> '${marker}'\nexit 0\n`, { mode: 0o755 });
    env = { KUBECTL: path.join(dir, 'kubectl') };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const edit = (change: (o: any) => void) => {
    const o = outputsOf(['https://shop.test/'], { ...SET, keptFiles: [...SET.keptFiles], files: [...SET.files] });
    change(o);
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(o));
  };

  test.each<[string, (o: any) => void, RegExp]>([
    ['a parent that kubectl would read as an option', o => (o.applySet.parent = '--kubeconfig=/tmp/x'), /'applySet\.parent' \("--kubeconfig=\/tmp\/x"\) is not an ApplySet parent/],
    ['a parent of another group', o => (o.applySet.parent = 'secrets/web'), /'applySet\.parent'/],
    ['a file outside the folder', o => (o.applySet.files = ['../outside.yaml']), /'applySet\.files\[0\]' \("\.\.\/outside\.yaml"\) is not a file synth writes/],
    ['an absolute file', o => (o.applySet.keptFiles = ['/etc/passwd']), /'applySet\.keptFiles\[0\]'/],
    ['a file that is an option', o => (o.applySet.parentFile = '-'), /'applySet\.parentFile'/],
    ['an address that is a number', o => (o.apps[0].entryPoint.address = 5), /'apps\[0\]\.entryPoint\.address' \(5\)/],
    ['a DNS type MX', o => (o.apps[0].dns = [{ name: 'shop.test', type: 'MX', target: '127.0.0.1', ttl: 300, provider: 'x' }]), /'apps\[0\]\.dns\[0\]\.type' \("MX"\)/],
    ['a TTL that is text', o => (o.apps[0].dns = [{ name: 'shop.test', type: 'A', target: '127.0.0.1', ttl: 'x', provider: 'x' }]), /'apps\[0\]\.dns\[0\]\.ttl' \("x"\)/],
    ['a namespace that is an option', o => (o.apps[0].namespace = '--all-namespaces'), /'apps\[0\]\.namespace'/],
    ['a deployment that is an option', o => (o.apps[0].deployments = ['--selector=x']), /'apps\[0\]\.deployments\[0\]'/],
    ['a StatefulSet that is an option', o => (o.apps[0].statefulSets = ['--all']), /'apps\[0\]\.statefulSets\[0\]' \("--all"\)/],
    ['no statefulSets (an older synth)', o => delete o.apps[0].statefulSets, /'apps\[0\]\.statefulSets' \(undefined\) is required/],
    ['a URL of another scheme', o => (o.apps[0].urls = ['file:///etc/passwd']), /'apps\[0\]\.urls\[0\]'/],
    ['a field it does not know', o => (o.apps[0].extra = 1), /'apps\[0\]\.extra'/],
    ['a missing field', o => delete o.apps[0].deployments, /'apps\[0\]\.deployments' \(undefined\) is required/],
    ['another version', o => (o.version = 2), /its "version" is 2, not 1/],
  ])('refuses %s in one line, before kubectl runs', async (_, change, message) => {
    edit(change);
    const r = await cli(['deploy', dir], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('refuses a listed file that is a symlink out of the folder', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.yaml'), '');
      fs.rmSync(path.join(dir, 'shop.k8s.yaml'));
      fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'shop.k8s.yaml'));
      edit(() => undefined);
      const r = await cli(['diff', dir], env);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/names 'shop\.k8s\.yaml', which is not a file inside/);
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a missing outputs.json is one line naming the file and the fix', async () => {
    const r = await cli(['deploy', dir], env);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/outputs\.json: cannot read the outputs of a synth .*run `cdk8s synth` first$/)]);
  });

  test('passes the parent after -- when it looks it up', async () => {
    edit(() => undefined);
    await cli(['diff', dir], env);
    const calls = fs.readFileSync(marker, 'utf8').split('\n');
    expect(calls).toContain('get --ignore-not-found -o name -- applysets.cdk8s-webstack.io/web');
  });

  test('deploy waits for every Deployment, then every StatefulSet, of every app, each after --', async () => {
    edit(o => {
      o.apps[0].deployments = ['shop-orders'];
      o.apps[0].statefulSets = ['shop'];
    });
    const r = await cli(['deploy', dir, '--timeout', '2m'], env);
    expect(r.status).toBe(0);
    const calls = fs.readFileSync(marker, 'utf8').split('\n').filter(c => c.startsWith('rollout'));
    expect(calls).toEqual([
      'rollout status --namespace=shop --timeout=2m -- deployment/shop-orders',
      'rollout status --namespace=shop --timeout=2m -- statefulset/shop',
    ]);
  });

  test('smoke reports each URL of an app without a pinned address, and fails, instead of crashing', async () => {
    edit(o => (o.apps[0].entryPoint.address = null));
    const r = await cli(['smoke', dir], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL https://shop.test/: IngressVip has no pinned address to test at');
    expect(r.stderr.trim()).toBe('cdk8s-webstack: smoke: 1 URL(s) failed');
  });
});

describe('cdk8s-webstack deploy with release jobs: the order of its kubectl calls', () => {
  // The order is what matters here; test:e2e runs it against a control plane whose Job
  // controller completes the Jobs.
  const SET = {
    parent: 'applysets.cdk8s-webstack.io/web', id: `applyset-${'A'.repeat(43)}-v1`,
    parentFile: 'applyset-parent.k8s.yaml', keptFiles: ['applyset.k8s.yaml'], files: ['shop.k8s.yaml'],
  };
  const object = (kind: string, name: string, apiVersion = 'v1') => ({ apiVersion, kind, metadata: { name, namespace: 'shop' } });
  let dir: string;
  let log: string;

  /** A kubectl that records each call (and the objects it is given), and answers as a cluster where the Jobs end as `outcome`. */
  function setUp(outcome: 'Complete' | 'Failed', existing: string[] = []): Record<string, string> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
    log = path.join(dir, 'calls');
    fs.writeFileSync(path.join(dir, 'applyset-parent.k8s.yaml'), '');
    fs.writeFileSync(path.join(dir, 'applyset.k8s.yaml'), '');
    fs.writeFileSync(path.join(dir, 'shop.k8s.yaml'), [
      object('ConfigMap', 'shop-settings'), object('Deployment', 'shop', 'apps/v1'), object('Job', 'shop-migrate-aaaa', 'batch/v1'), object('Job', 'shop-warm-aaaa', 'batch/v1'),
    ].map(o => JSON.stringify(o)).join('\n---\n'));
    const o = outputsOf(['https://shop.test/'], SET);
    Object.assign(o.apps[0], { migration: 'shop-migrate-aaaa', afterRelease: ['shop-warm-aaaa'] });
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(o));
    fs.writeFileSync(path.join(dir, 'kubectl'), `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
const input = args.includes('-') ? fs.readFileSync(0, 'utf8') : '';
const names = input.split('\\n').filter(Boolean).map(l => JSON.parse(l).metadata.name);
fs.appendFileSync(${JSON.stringify(log)}, args.filter(a => !a.startsWith('--field-manager')).join(' ') + (names.length ? ' <- ' + names.join(',') : '') + '\\n');
const job = args[args.length - 1];
if (args[0] === 'get' && args[1] === 'namespaces') process.stdout.write('namespace/shop\\n');
else if (args[0] === 'get' && args.includes('--ignore-not-found') && args[1] === 'job') process.stdout.write(${JSON.stringify(existing)}.includes(job) ? 'job.batch/' + job + '\\n' : '');
else if (args[0] === 'get' && args.includes('--ignore-not-found')) process.stdout.write('applyset/web\\n');
else if (args[0] === 'get' && args[1] === 'job') process.stdout.write(JSON.stringify({ status: { conditions: [{ type: ${JSON.stringify(outcome)}, status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } }));
else if (args[0] === 'logs') process.stdout.write('migration 0042: column exists\\n');
`, { mode: 0o755 });
    return { KUBECTL: path.join(dir, 'kubectl') };
  }
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const calls = () => fs.readFileSync(log, 'utf8').trim().split('\n').filter(c => !/^(get|diff|wait) /.test(c) && !c.includes('--dry-run'));

  test('what the migration needs and the migration, waited for; then the set without the job after the release; rollouts; then that job with the set', async () => {
    const env = setUp('Complete');
    const r = await cli(['deploy', dir], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(calls()).toEqual([
      expect.stringMatching(/^apply --server-side -f .*applyset\.k8s\.yaml$/),
      'apply --server-side -f - <- shop-settings,shop-migrate-aaaa',
      'apply --server-side --prune --applyset=applysets.cdk8s-webstack.io/web -f - <- shop-settings,shop,shop-migrate-aaaa',
      'rollout status --namespace=shop --timeout=5m -- deployment/shop',
      'apply --server-side --prune --applyset=applysets.cdk8s-webstack.io/web -f - <- shop-settings,shop,shop-migrate-aaaa,shop-warm-aaaa',
    ]);
    expect(r.stdout).toMatch(/job\.batch\/shop-migrate-aaaa complete[\s\S]*after the release: Job shop\/shop-warm-aaaa[\s\S]*job\.batch\/shop-warm-aaaa complete/);
  }, 30_000);

  test('a failed migration stops the deploy before the workloads, with its logs, naming the running release as untouched', async () => {
    const env = setUp('Failed');
    const r = await cli(['deploy', dir], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/migration Job shop\/shop-migrate-aaaa failed \(BackoffLimitExceeded: Job has reached the specified backoff limit\); the running release is untouched/);
    expect(r.stdout).toContain('migration 0042: column exists');
    expect(calls().some(c => c.includes('--prune'))).toBe(false);
  }, 30_000);

  test('a job after the release that ran already (the same release applied again) is applied with the set, not run again', async () => {
    const env = setUp('Complete', ['shop-warm-aaaa']);
    const r = await cli(['deploy', dir], env);
    expect(r.status).toBe(0);
    expect(calls().filter(c => c.includes('--prune'))).toEqual([
      'apply --server-side --prune --applyset=applysets.cdk8s-webstack.io/web -f - <- shop-settings,shop,shop-migrate-aaaa,shop-warm-aaaa',
    ]);
    expect(r.stdout).not.toMatch(/after the release: Job/);
  }, 30_000);

  test('--timeout that is not a duration is refused before kubectl runs', async () => {
    const env = setUp('Complete');
    const r = await cli(['deploy', dir, '--timeout=soon'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--timeout 'soon' is not a duration/);
    expect(fs.existsSync(log)).toBe(false);
  });
});

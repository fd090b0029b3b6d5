// The pipeline commands of bin/deploy.js that need no cluster: smoke, and the refusals. The
// cluster steps (diff, deploy) run against real API servers in npm run test:cluster.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

const CLI = path.join(__dirname, '..', 'bin', 'cdk8s-webstack.js');

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

function outputs(dir: string, urls: string[], applySet: unknown = null): void {
  fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify({
    version: 1,
    applySet,
    apps: [{
      path: 'shop/shop', name: 'shop', namespace: 'shop', image: 'r.example.com/shop:1', routeKind: 'Ingress',
      hosts: ['shop.test'], urls, deployments: ['shop'], files: [], dns: [],
      entryPoint: { path: 'platform/IngressVip', description: 'IngressVip', namespace: 'ingress-nginx', address: '127.0.0.1' },
    }],
  }));
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

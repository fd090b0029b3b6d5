// bin/run.js, the runner cdk8s.yaml names (here and in generated projects): what a user sees
// under `cdk8s synth` when the program fails.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const RUNNER = path.join(ROOT, 'bin', 'run.js');

function run(body: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  try {
    // Packages stay external to the bundle: the program finds them as a project would.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), text);
    }
    fs.writeFileSync(path.join(dir, 'main.ts'), [
      'import { App, Chart } from \'cdk8s\';',
      `import { IngressVip, WebApp } from ${JSON.stringify(path.join(ROOT, 'lib'))};`,
      `const app = new App({ outdir: ${JSON.stringify(path.join(dir, 'dist'))} });`,
      'const chart = new Chart(app, \'web\');',
      'const vip = new IngressVip(chart, \'vip\', { address: \'192.0.2.10\' });',
      body,
      'app.synth();',
    ].join('\n'));
    const r = spawnSync(process.execPath, [RUNNER, path.join(dir, 'main.ts')], { encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: r.status, stderr: r.stderr, main: path.join(dir, 'main.ts') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const LATEST = 'new WebApp(chart, \'shop\', { entryPoint: vip, image: \'registry.example.com/shop:latest\', host: \'shop.example.com\' });';

describe('bin/run.js', () => {
  test('prints a WebStackError as its one line and the line of the user\'s .ts file that passed the value, and exits 1', () => {
    const r = run(LATEST);
    expect(r.status).toBe(1);
    // main.ts line 6 is the body: `new WebApp(...)`, source-mapped from the in-memory bundle.
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^web\/shop: 'image' \("registry\.example\.com\/shop:latest"\) uses the moving tag 'latest'; pin a version tag/),
      `  at ${r.main}:6:1`, '']);
  });

  test('names the line of a misspelt prop in a file the entry imports, not the bundle', () => {
    const r = run('require(\'./stack\');', {}, {
      'stack.ts': ['import { Chart, Testing } from \'cdk8s\';', `import { IngressVip, WebApp } from ${JSON.stringify(path.join(ROOT, 'lib'))};`,
        'const chart = new Chart(Testing.app(), \'web\');', 'const vip = new IngressVip(chart, \'vip\', { address: \'192.0.2.10\' });',
        'export const web = new WebApp(chart, \'shop\', {', '  entryPoint: vip, image: \'registry.example.com/shop:1.0\', host: \'shop.example.com\',', '  replicaz: 3,', '} as any);'].join('\n'),
    });
    expect(r.stderr.split('\n')).toEqual([expect.stringContaining('\'replicaz\' (3) is not a prop of WebAppProps; did you mean \'replicas\'?'), `  at ${path.join(path.dirname(r.main), 'stack.ts')}:5:20`, '']);
  });

  test('--help prints its usage; a missing entry file and a syntax error are one clear message each', () => {
    const help = spawnSync(process.execPath, [RUNNER, '--help'], { encoding: 'utf8' });
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(/^usage: cdk8s-webstack run APP\.ts\n/)]);
    const missing = spawnSync(process.execPath, [RUNNER, 'no-such.ts'], { encoding: 'utf8' });
    expect([missing.status, missing.stderr]).toEqual([1, 'cdk8s-webstack run: no-such.ts does not exist; give the app\'s entry file, e.g. main.ts (cdk8s-webstack run --help)\n']);
    const r = run('const x = ;');
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/does not build:\n {2}.*main\.ts:6:11: Unexpected ";"\n$/)]);
  });

  test('prints a failed synth-time check as its message, without a stack', () => {
    const r = run('const web = new WebApp(chart, \'shop\', { entryPoint: vip, image: \'registry.example.com/shop:1.0\', host: \'shop.example.com\' });\n'
      + 'web.service.addJsonPatch(require(\'cdk8s\').JsonPatch.replace(\'/spec/selector\', { app: \'other\' }));');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Validation failed with the following errors:/);
    expect(r.stderr).toMatch(/Service "shop" selects \{"app":"other"\}/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('keeps the stack of an error that is not the library\'s', () => {
    const r = run('throw new TypeError(\'a bug in the program\');');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/TypeError: a bug in the program\n\s+at /);
  });

  test('shows the stack of a WebStackError when CDK8S_WEBSTACK_STACK=1', () => {
    const r = run(LATEST, { CDK8S_WEBSTACK_STACK: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/WebStackError: web\/shop: 'image'[^\n]*\n\s+at /);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { IngressVip, WebApp, WebStackApp } from '../lib';
import { IMAGE } from './_fixtures';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-'));
}

function listing(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** An app with a VIP chart and one chart per app name. */
function stack(outdir: string, apps: string[], broken?: 'at-validation' | 'while-writing') {
  const app = new WebStackApp({ outdir });
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  for (const name of apps) {
    new WebApp(new Chart(app, name), name, { entryPoint: vip, image: IMAGE, host: `${name}.example.com` });
  }
  if (broken === 'at-validation') {
    // Two apps named alike: caught by the synth-time uniqueness check.
    new WebApp(new Chart(app, 'zz-clash'), 'clash', { entryPoint: vip, name: apps[0], image: IMAGE, host: 'clash.example.com' });
  }
  if (broken === 'while-writing') {
    // A value that throws only when the last chart is rendered, after others were written.
    new ApiObject(new Chart(app, 'zz-late'), 'Late', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' },
      data: { value: Lazy.any({ produce: () => { throw new Error('boom while writing'); } }) },
    });
  }
  return app;
}

describe('WebStackApp', () => {
  test('writes one file per chart into outdir', () => {
    const out = path.join(tempDir(), 'dist');
    stack(out, ['shop', 'blog']).synth();
    expect(Object.keys(listing(out))).toEqual(['blog.k8s.yaml', 'platform.k8s.yaml', 'shop.k8s.yaml']);
    expect(fs.statSync(out).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  test('is deterministic: the same program gives byte-identical files', () => {
    const a = path.join(tempDir(), 'dist');
    const b = path.join(tempDir(), 'dist');
    stack(a, ['shop', 'blog']).synth();
    stack(b, ['shop', 'blog']).synth();
    expect(listing(a)).toEqual(listing(b));
  });

  test('removes files of charts that no longer exist', () => {
    const out = path.join(tempDir(), 'dist');
    stack(out, ['shop', 'blog']).synth();
    stack(out, ['shop']).synth();
    expect(Object.keys(listing(out))).toEqual(['platform.k8s.yaml', 'shop.k8s.yaml']);
  });

  test.each(['at-validation', 'while-writing'] as const)('a failure %s leaves the previous output as it was, and no staging folder', (when) => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    stack(out, ['shop', 'blog']).synth();
    const before = listing(out);

    expect(() => stack(out, ['shop', 'blog', 'new'], when).synth()).toThrow(when === 'at-validation' ? /both render/ : /boom while writing/);

    expect(listing(out)).toEqual(before);
    // Beside dist/ only the record of the files the first synth wrote.
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
  });

  test('a failure on the first synth leaves no output folder', () => {
    const parent = tempDir();
    expect(() => stack(path.join(parent, 'dist'), ['shop'], 'while-writing').synth()).toThrow(/boom/);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  test('under the cdk8s CLI (which empties the output folder first), a failing app leaves no manifests at all', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'old.k8s.yaml'), 'kind: Stale\n');
    const cli = path.join(__dirname, '..', 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    // The CLI re-quotes the command itself, so it is given unquoted.
    const app = `${process.execPath} -r ts-node/register/transpile-only ${path.join(__dirname, 'fixtures', 'failing-app.ts')}`;

    const run = spawnSync(process.execPath, [cli, 'synth', '--app', app, '--output', out, '--check-upgrade=false'],
      { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('boom while writing');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    expect(fs.readdirSync(parent).filter(f => f.includes('staging'))).toEqual([]);
  }, 60_000);

  test('refuses to replace the working folder', () => {
    expect(() => new WebStackApp({ outdir: '.' }).synth()).toThrow(/is the working folder or one of its parents/);
    expect(() => new WebStackApp({ outdir: '..' }).synth()).toThrow(/is the working folder or one of its parents/);
  });
});

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
    expect(Object.keys(listing(out))).toEqual(['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'blog.k8s.yaml', 'namespaces.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
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
    expect(Object.keys(listing(out))).toEqual(['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'namespaces.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
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

/** The files of `dir`, recursively, as relative path → text. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    Object.assign(out, entry.isDirectory() ? tree(dir, rel) : { [rel]: fs.readFileSync(path.join(dir, rel), 'utf8') });
  }
  return out;
}

/** Files a user keeps in dist/ next to what synth writes. */
const USER_FILES: Record<string, string> = {
  'kustomization.yaml': 'resources: [platform.k8s.yaml, shop.k8s.yaml]\n',
  '.gitkeep': '',
  'overlays/prod/patch.yaml': 'kind: Patch\n',
};

function addUserFiles(out: string): void {
  for (const [file, text] of Object.entries(USER_FILES)) {
    fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    fs.writeFileSync(path.join(out, file), text);
  }
}

/** `tree(out)` without the user's files. */
function written(out: string): Record<string, string> {
  return Object.fromEntries(Object.entries(tree(out)).filter(([f]) => !(f in USER_FILES)));
}

/** Every file name beside and in `parent`, with a trailing '/' on folders. */
function everything(parent: string): string[] {
  return fs.readdirSync(parent, { recursive: true, withFileTypes: true })
    .map(e => `${path.relative(parent, path.join(e.parentPath, e.name))}${e.isDirectory() ? '/' : ''}`).sort();
}

describe('WebStackApp output safety: what synth may touch', () => {
  test('keeps the files it did not write (kustomization.yaml, .gitkeep, a sub-folder) and removes only its own stale ones', () => {
    // Given a dist/ the library wrote, with the user's files added.
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    stack(out, ['shop', 'blog']).synth();
    addUserFiles(out);

    // When the blog chart goes away.
    stack(out, ['shop']).synth();

    // Then blog's manifest is gone and every user file is there, byte for byte.
    expect(Object.keys(written(out)).sort()).toEqual(['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'namespaces.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
    for (const [file, text] of Object.entries(USER_FILES)) {
      expect(fs.readFileSync(path.join(out, file), 'utf8')).toBe(text);
    }
    expect(JSON.parse(fs.readFileSync(path.join(parent, '.dist.webstack-files'), 'utf8')).files).toEqual(['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'namespaces.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
  });

  test('a folder with no record (written before this version, or by hand): removes nothing, replaces files of its own names, then records', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'blog.k8s.yaml'), 'kind: Old\n');
    fs.writeFileSync(path.join(out, 'shop.k8s.yaml'), 'kind: Old\n');

    stack(out, ['shop']).synth();

    expect(fs.readFileSync(path.join(out, 'blog.k8s.yaml'), 'utf8')).toBe('kind: Old\n');
    expect(fs.readFileSync(path.join(out, 'shop.k8s.yaml'), 'utf8')).toContain('kind: Deployment');
    expect(JSON.parse(fs.readFileSync(path.join(parent, '.dist.webstack-files'), 'utf8')).files).toEqual(['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'namespaces.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
  });

  test('refuses an outdir that is a regular file, and touches nothing', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    fs.writeFileSync(out, 'my notes\n');

    expect(() => stack(out, ['shop']).synth()).toThrow(`<app>: 'outdir' (${JSON.stringify(out)}) is a file, not a folder, and synth would have to replace it; move the file away, or give another outdir, e.g. 'dist'`);

    expect(everything(parent)).toEqual(['dist']);
    expect(fs.readFileSync(out, 'utf8')).toBe('my notes\n');
  });

  test.each([
    ['the working folder', () => process.cwd(), /is the working folder or one of its parents \(.*, reached through a symbolic link\)/],
    ['a parent of the working folder', () => path.dirname(process.cwd()), /is the working folder or one of its parents \(.*, reached through a symbolic link\)/],
    ['the home folder', () => os.homedir(), /is the (home folder|working folder) or one of its parents/],
    ['the filesystem root', () => path.parse(process.cwd()).root, /is the filesystem root/],
  ])('refuses an outdir that reaches %s through a symbolic link, and touches nothing', (_, target, message) => {
    const parent = tempDir();
    const link = path.join(parent, 'dist');
    fs.symlinkSync(target(), link);
    const before = fs.readdirSync(target()).sort();

    expect(() => stack(link, ['shop']).synth()).toThrow(message);

    expect(everything(parent)).toEqual(['dist']);
    expect(fs.readlinkSync(link)).toBe(target());
    expect(fs.readdirSync(target()).sort()).toEqual(before);
  });

  test('a symbolic link outdir: writes into the folder it points at, keeps the link, keeps the target\'s other files', () => {
    // Given dist -> ../shared/manifests, a folder with a file of the user's.
    const parent = tempDir();
    const real = path.join(parent, 'shared', 'manifests');
    fs.mkdirSync(real, { recursive: true });
    fs.writeFileSync(path.join(real, 'kustomization.yaml'), 'resources: []\n');
    const link = path.join(parent, 'project', 'dist');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(path.join('..', 'shared', 'manifests'), link);

    stack(link, ['shop', 'blog']).synth();
    stack(link, ['shop']).synth();

    // Then the link is still a link to the same place, and the files are in its target.
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(path.join('..', 'shared', 'manifests'));
    expect(fs.readdirSync(real).sort()).toEqual(['applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'kustomization.yaml', 'namespaces.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
    // The bookkeeping lives beside the target, on its filesystem; nothing lands beside the link.
    expect(fs.readdirSync(path.join(parent, 'shared')).sort()).toEqual(['.manifests.webstack-files', 'manifests']);
    expect(fs.readdirSync(path.join(parent, 'project'))).toEqual(['dist']);
  });

  test('refuses a symbolic link to a missing folder, and touches nothing', () => {
    const parent = tempDir();
    fs.symlinkSync(path.join(parent, 'nowhere'), path.join(parent, 'dist'));
    expect(() => stack(path.join(parent, 'dist'), ['shop']).synth()).toThrow(/is a symbolic link to ".*nowhere", which does not exist; create that folder/);
    expect(everything(parent)).toEqual(['dist']);
  });

  test('refuses, before touching dist/, a user\'s folder where a file of the synth goes', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    stack(out, ['shop']).synth();
    const before = tree(out);
    fs.mkdirSync(path.join(out, 'blog.k8s.yaml'));

    expect(() => stack(out, ['shop', 'blog']).synth()).toThrow(/holds ".*blog.k8s.yaml", a folder where synth writes the file "blog.k8s.yaml"; move .* away/);

    expect(tree(out)).toEqual(before);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
  });

  test('refuses while another synth holds the lock; takes over the lock of a process that is gone', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    const lock = path.join(parent, '.dist.webstack-lock');
    fs.writeFileSync(lock, `${process.ppid}\n`);
    expect(() => stack(out, ['shop']).synth()).toThrow(`is being written by another synth (process ${process.ppid}`);
    expect(everything(parent)).toEqual(['.dist.webstack-lock']);

    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(lock, `${gone}\n`);
    stack(out, ['shop']).synth();
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
  });
});

/** Thrown by a step hook: the synth stops there, as if the process had been killed. */
class Killed extends Error {}

/** Two sets that differ in every file (tag), in a chart removed (blog) and one added (news). */
function generation(outdir: string, which: 'old' | 'new' | 'broken'): WebStackApp {
  const app = new WebStackApp({ outdir });
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: which === 'old' ? '192.0.2.10' : '192.0.2.20' });
  const image = `registry.example.com/team/app:${which === 'old' ? '1.0.0' : '2.0.0'}`;
  for (const name of which === 'old' ? ['shop', 'blog'] : ['shop', 'news']) {
    new WebApp(new Chart(app, name), name, { entryPoint: vip, image, host: `${name}.example.com` });
  }
  if (which === 'broken') {
    new WebApp(new Chart(app, 'zz-clash'), 'clash', { entryPoint: vip, name: 'shop', image, host: 'clash.example.com' });
  }
  return app;
}

/** Synthesizes `app`, "killed" at the `at`-th step of its commit (0-based); returns the steps seen. */
function synthKilledAt(app: WebStackApp, at: number): string[] {
  const steps: string[] = [];
  app._onSynthStep = (step) => {
    steps.push(step);
    if (steps.length - 1 === at) {
      throw new Killed(step);
    }
  };
  try {
    app.synth();
  } catch (error) {
    if (!(error instanceof Killed)) {
      throw error;
    }
  }
  return steps;
}

describe('WebStackApp output safety: interrupted synths', () => {
  const reference = (which: 'old' | 'new') => {
    const out = path.join(tempDir(), 'dist');
    generation(out, which).synth();
    return tree(out);
  };
  const OLD = reference('old');
  const NEW = reference('new');
  const STEPS = synthKilledAt(generation(path.join(tempDir(), 'dist'), 'new'), -1);

  test('the commit goes through these steps', () => {
    expect(STEPS).toEqual(['staged', 'journal', 'moved applyset-parent.k8s.yaml', 'moved applyset.k8s.yaml', 'moved namespaces.k8s.yaml', 'moved news.k8s.yaml', 'moved outputs.json', 'moved platform.k8s.yaml', 'moved shop.k8s.yaml',
      'recorded', 'journal removed', 'staging removed']);
    // From old to new, the commit also removes blog.
    const out = path.join(tempDir(), 'dist');
    generation(out, 'old').synth();
    expect(synthKilledAt(generation(out, 'new'), -1)).toEqual([...STEPS.slice(0, 9), 'removed blog.k8s.yaml', ...STEPS.slice(9)]);
  });

  // The state a kill at each step leaves, and what the next synth makes of it, even one that
  // then fails validation: the repair comes before anything else.
  test.each([0, 1, 2, 3, 4, 5, 6, 7, 8])('killed at step %i of old -> new: dist/ holds the old set, or files of the two sets until the next synth completes the new one', (at) => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    addUserFiles(out);

    const steps = synthKilledAt(generation(out, 'new'), at);
    const killedAt = steps[at];
    const committed = killedAt !== 'staged';

    // Right after the kill: before the journal, exactly the old set; after it, every file is
    // one of the old set's or one of the new set's, byte for byte.
    const now = written(out);
    if (!committed) {
      expect(now).toEqual(OLD);
    }
    for (const [file, text] of Object.entries(now)) {
      expect([OLD[file], NEW[file]]).toContain(text);
    }

    // The next synth fails validation, but first repairs dist/.
    expect(() => generation(out, 'broken').synth()).toThrow(/both render/);

    const complete = committed ? NEW : OLD;
    expect(written(out)).toEqual(complete);
    for (const [file, text] of Object.entries(USER_FILES)) {
      expect(fs.readFileSync(path.join(out, file), 'utf8')).toBe(text);
    }
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
    expect(JSON.parse(fs.readFileSync(path.join(parent, '.dist.webstack-files'), 'utf8')).files).toEqual(Object.keys(complete).sort());
  });

  test('a kill during the repair is repaired by the synth after it', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    synthKilledAt(generation(out, 'new'), STEPS.indexOf('moved platform.k8s.yaml'));

    // The repair moves shop.k8s.yaml and removes blog.k8s.yaml: killed after the move.
    expect(synthKilledAt(generation(out, 'broken'), 0)).toEqual(['moved shop.k8s.yaml']);
    expect(fs.existsSync(path.join(parent, '.dist.webstack-journal'))).toBe(true);

    expect(() => generation(out, 'broken').synth()).toThrow(/both render/);
    expect(written(out)).toEqual(NEW);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
  });

  test('a new synth after a kill writes its own set, not the interrupted one', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    synthKilledAt(generation(out, 'new'), STEPS.indexOf('moved news.k8s.yaml'));

    generation(out, 'old').synth();

    expect(written(out)).toEqual(OLD);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
  });

  test('leftovers of the older whole-folder swap: a kill between its renames is undone, its staging folders removed', () => {
    // Given what a kill between the two renames of the old swap left: no dist/, the old set
    // in .dist.staging-XXXXXX.old and the new one in .dist.staging-XXXXXX.
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    fs.rmSync(path.join(parent, '.dist.webstack-files'));
    fs.renameSync(out, path.join(parent, '.dist.staging-AbC123.old'));
    fs.mkdirSync(path.join(parent, '.dist.staging-AbC123'));
    fs.writeFileSync(path.join(parent, '.dist.staging-AbC123', 'shop.k8s.yaml'), 'half\n');
    fs.mkdirSync(path.join(parent, '.dist.staging-Zz9999'));

    expect(() => generation(out, 'broken').synth()).toThrow(/both render/);

    expect(tree(out)).toEqual(OLD);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('a failed clean-up after the new set is in place warns, and does not fail the synth; the next synth finishes it', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // The record cannot be written: a folder sits where its temporary file goes.
      const app = generation(out, 'new');
      app._onSynthStep = (step) => step === 'journal' && fs.mkdirSync(path.join(parent, '.dist.webstack-files.tmp'));
      expect(() => app.synth()).not.toThrow();
      expect(written(out)).toEqual(NEW);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^cdk8s-webstack: the new files are in ".*dist", but clean-up failed \(.*\); the next synth finishes it$/));

      warn.mockClear();
      generation(out, 'new').synth();
      expect(warn).not.toHaveBeenCalled();
      expect(written(out)).toEqual(NEW);
      expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
    } finally {
      warn.mockRestore();
    }
  });

  test('a clean-up that keeps failing stops the next synth before it writes, with the new set still in place', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    const realFs = require('fs');
    const rename = realFs.renameSync;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const spy = jest.spyOn(realFs, 'renameSync').mockImplementation((...args: unknown[]) => {
      if (String(args[1]).endsWith('.dist.webstack-files')) {
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      }
      return rename(...args);
    });
    try {
      generation(out, 'new').synth();
      expect(written(out)).toEqual(NEW);

      expect(() => generation(out, 'old').synth()).toThrow(/'outdir' \(".*"\) holds the files of an interrupted synth whose clean-up fails again \(see the warning above\); fix the cause, then synth again/);
      expect(written(out)).toEqual(NEW);
    } finally {
      spy.mockRestore();
      warn.mockRestore();
    }
    generation(out, 'old').synth();
    expect(written(out)).toEqual(OLD);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.webstack-files', 'dist']);
  });

  test('a stale file it cannot remove warns, stays on the record, and goes at the next synth', () => {
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    generation(out, 'old').synth();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const unlink = jest.spyOn(require('fs'), 'unlinkSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    try {
      generation(out, 'new').synth();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not remove ".*blog.k8s.yaml", a file an earlier synth wrote \(EACCES: permission denied\); the next synth tries again/));
      expect(Object.keys(written(out)).sort()).toEqual([...Object.keys(NEW), 'blog.k8s.yaml'].sort());
      expect(JSON.parse(fs.readFileSync(path.join(parent, '.dist.webstack-files'), 'utf8')).files).toContain('blog.k8s.yaml');

      generation(out, 'new').synth();
      expect(written(out)).toEqual(NEW);
    } finally {
      unlink.mockRestore();
      warn.mockRestore();
    }
  });
});

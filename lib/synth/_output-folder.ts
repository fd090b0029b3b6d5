import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * The output folder of `WebStackApp.synth()`, changed as a small transaction that survives the
 * process being killed at any instant.
 *
 * Beside the folder (in its parent, so on the same filesystem) live:
 * - `.<name>.webstack-files`: the record, the sorted list of files the last synth wrote. Only
 *   files on it are ever removed; everything else in the folder (a `kustomization.yaml`, a
 *   `.gitkeep`, a sub-folder) is the user's and stays.
 * - `.<name>.webstack-staging/`: every file of a synth is written here first.
 * - `.<name>.webstack-journal`: written (atomically, by rename) once staging is complete; it
 *   lists the new set and is the commit point. Before it exists the folder is untouched; once it
 *   exists the new set wins: the files are renamed into place one by one, files of the old
 *   record not in the new set are removed, the record is replaced, then the journal removed.
 *   A synth that finds a journal first finishes that work (roll forward); one that finds only a
 *   staging folder removes it (the old set was never touched).
 * - `.<name>.webstack-lock`: the process id of the synth at work, so two synths never interleave.
 *
 * The guarantee is against the process dying (kill -9, a crash, an out-of-memory kill), not
 * against the machine losing power: nothing is fsync'd, to keep synth fast.
 */
export class OutputFolder {
  /**
   * Checks `outdir` and says where everything goes, touching nothing. Refuses a path that is a
   * file, a symbolic link to a missing folder or to a file, and one that resolves (through any
   * symbolic links) to the filesystem root, the home folder, the working folder or a parent of
   * either.
   *
   * A symbolic link `outdir` is followed on purpose: the files are written into the folder it
   * points at and the link is kept, so whatever else points at that folder stays current. The
   * bookkeeping files live beside the target folder, on its filesystem.
   */
  public static open(app: IConstruct, outdir: string): OutputFolder {
    const given = path.resolve(outdir);
    const refuse = (problem: string, fix: string) => propError(app, 'outdir', outdir, problem, fix);
    const kind = lstatOrUndefined(given);
    let dir: string;
    if (kind === undefined) {
      dir = realpathOfMissing(given);
    } else if (kind.isSymbolicLink()) {
      const target = path.resolve(path.dirname(given), fs.readlinkSync(given));
      const real = statOrUndefined(given);
      if (real === undefined) {
        throw refuse(`is a symbolic link to ${JSON.stringify(target)}, which does not exist`,
          'create that folder (synth writes into the folder a link points at), or remove the link');
      }
      if (!real.isDirectory()) {
        throw refuse(`is a symbolic link to ${JSON.stringify(target)}, which is not a folder`, 'point the link at a folder, or give another outdir');
      }
      dir = fs.realpathSync(given);
    } else if (kind.isDirectory()) {
      dir = fs.realpathSync(given);
    } else {
      throw refuse('is a file, not a folder, and synth would have to replace it', 'move the file away, or give another outdir, e.g. \'dist\'');
    }
    const cwd = fs.realpathSync(process.cwd());
    const home = realpathOfMissing(os.homedir());
    const reason = dir === path.parse(dir).root ? 'the filesystem root'
      : isSameOrAncestor(dir, cwd) ? 'the working folder or one of its parents'
        : isSameOrAncestor(dir, home) ? 'the home folder or one of its parents' : undefined;
    if (reason) {
      throw refuse(`is ${reason} (${JSON.stringify(dir)}${dir === given ? '' : ', reached through a symbolic link'}), where synth must not write and remove files`,
        'use a folder of its own, e.g. \'dist\'');
    }
    return new OutputFolder(app, outdir, dir);
  }

  /** The folder the files land in: `outdir`, or the folder its symbolic link points at. */
  public readonly dir: string;
  /** The record of the files the last synth wrote. */
  public readonly record: string;
  /** Where a synth writes its files before they are moved into `dir`. */
  public readonly staging: string;
  /** The commit point: lists the new set while it is being moved into `dir`. */
  public readonly journal: string;
  /** Holds the process id of the synth at work. */
  public readonly lock: string;

  private constructor(private readonly app: IConstruct, private readonly outdir: string, dir: string) {
    this.dir = dir;
    const beside = (suffix: string) => path.join(path.dirname(dir), `.${path.basename(dir)}.webstack-${suffix}`);
    this.record = beside('files');
    this.staging = beside('staging');
    this.journal = beside('journal');
    this.lock = beside('lock');
  }

  /**
   * Takes the lock; returns its release. A lock left by a process that no longer runs (killed)
   * is taken over.
   */
  public acquire(): () => void {
    fs.mkdirSync(path.dirname(this.dir), { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(this.lock, `${process.pid}\n`, { flag: 'wx' });
        return () => fs.rmSync(this.lock, { force: true });
      } catch (error) {
        if (code(error) !== 'EEXIST') {
          throw error;
        }
      }
      const holder = Number(readOrUndefined(this.lock)?.trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw propError(this.app, 'outdir', this.outdir, `is being written by another synth (process ${holder}, see ${JSON.stringify(this.lock)})`,
          'wait for it to finish; if that process is not a synth, remove the lock file');
      }
      fs.rmSync(this.lock, { force: true });
    }
    throw propError(this.app, 'outdir', this.outdir, `has a lock (${JSON.stringify(this.lock)}) that keeps coming back`, 'run one synth at a time');
  }

  /**
   * Brings the folder back to one complete set after an interrupted synth, before anything
   * else: finishes a committed change (journal present), drops an uncommitted one (staging
   * only), and cleans the leftovers of the older whole-folder swap (`.<name>.staging-*`).
   */
  public repair(step: StepHook = noop): void {
    this.repairWholeFolderSwap();
    // A temporary file is never the commit point: the journal and the record count only once renamed.
    for (const leftover of [`${this.journal}.tmp`, `${this.record}.tmp`]) {
      fs.rmSync(leftover, { recursive: true, force: true });
    }
    const journal = readOrUndefined(this.journal);
    if (journal !== undefined && !this.rollForward(parseFileList(journal, this.journal), step)) {
      // Going on would write a new journal over this one, and lose which files to remove.
      throw propError(this.app, 'outdir', this.outdir, 'holds the files of an interrupted synth whose clean-up fails again (see the warning above)',
        `fix the cause, then synth again; ${JSON.stringify(this.journal)} lists the files of that synth`);
    }
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /** Creates an empty staging folder. */
  public startStaging(): string {
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging);
    return this.staging;
  }

  /** Removes the staging folder of a synth that failed before its commit point. */
  public discardStaging(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /** The files in the staging folder, as sorted paths relative to it with '/' separators. */
  public stagedFiles(): string[] {
    return listFiles(this.staging).sort();
  }

  /**
   * Refuses, before the commit point, a new file whose place in `dir` holds a folder, or whose
   * parent folder is a file there (the rename would fail halfway through) or a symbolic link
   * (the files would be written through it, wherever it points).
   */
  public checkPlaces(files: readonly string[]): void {
    for (const file of files) {
      const parts = file.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const place = path.join(this.dir, ...parts.slice(0, i));
        const found = statOrUndefined(place);
        const wantFolder = i < parts.length;
        if (wantFolder && lstatOrUndefined(place)?.isSymbolicLink()) {
          // Written through, the files would land wherever the link points, over what is there.
          throw propError(this.app, 'outdir', this.outdir, `holds ${JSON.stringify(place)}, a symbolic link where synth writes the folder of ${JSON.stringify(file)}; synth would write through it into ${JSON.stringify(fs.realpathSync(place))}`,
            `remove the link ${JSON.stringify(place)}: synth makes the folder itself`);
        }
        if (found && (wantFolder ? !found.isDirectory() : lstatOrUndefined(place)!.isDirectory())) {
          throw propError(this.app, 'outdir', this.outdir, `holds ${JSON.stringify(place)}, a ${wantFolder ? 'file' : 'folder'} where synth writes the ${wantFolder ? 'folder' : 'file'} ${JSON.stringify(file)}`,
            `move ${JSON.stringify(place)} away`);
        }
      }
    }
  }

  /**
   * Moves the staged `files` into place, past the commit point: from the journal on, the new
   * set wins, and an interrupted run is finished by the next synth.
   */
  public commit(files: readonly string[], step: StepHook = noop): void {
    step('staged');
    writeAtomically(this.journal, formatFileList(files));
    step('journal');
    this.rollForward(files, step);
  }

  /**
   * Renames every staged file of `files` into `dir` (a file no longer staged was moved
   * already), removes the files of the old record that are not in `files`, writes the new
   * record, removes the journal and the staging folder. Safe to repeat from any point. Once
   * the renames are done, a failure only warns: the new set is in place, and the next synth
   * finishes the clean-up. Returns whether the journal is gone.
   */
  private rollForward(files: readonly string[], step: StepHook): boolean {
    const previous = readRecord(this.record);
    fs.mkdirSync(this.dir, { recursive: true });
    const folders = new Set([this.dir]);
    for (const file of files) {
      const staged = path.join(this.staging, file);
      if (lstatOrUndefined(staged) !== undefined) {
        const target = path.join(this.dir, file);
        const folder = path.dirname(target);
        if (!folders.has(folder)) {
          fs.mkdirSync(folder, { recursive: true });
          folders.add(folder);
        }
        fs.renameSync(staged, target);
        step(`moved ${file}`);
      }
    }
    const wanted = new Set(files);
    const kept: string[] = [];
    for (const file of previous.filter(f => !wanted.has(f))) {
      const problem = removeFile(this.dir, file);
      if (problem) {
        kept.push(file);
        warn(`could not remove ${JSON.stringify(path.join(this.dir, file))}, a file an earlier synth wrote (${problem}); the next synth tries again`);
      }
      step(`removed ${file}`);
    }
    const cleanUp: Array<[string, () => void]> = [
      ['recorded', () => writeAtomically(this.record, formatFileList([...files, ...kept]))],
      ['journal removed', () => fs.rmSync(this.journal, { force: true })],
      ['staging removed', () => fs.rmSync(this.staging, { recursive: true, force: true })],
    ];
    for (const [name, run] of cleanUp) {
      try {
        run();
      } catch (error) {
        warn(`the new files are in ${JSON.stringify(this.dir)}, but clean-up failed (${(error as Error).message}); the next synth finishes it`);
        return name !== 'recorded' && name !== 'journal removed';
      }
      step(name);
    }
    return true;
  }

  /**
   * Earlier versions swapped the whole folder: `<name>` to `.<name>.staging-XXXXXX.old`, then
   * the staging folder to `<name>`. A kill between the two renames left no folder at all: put
   * the old one back, then remove what is left of such runs.
   */
  private repairWholeFolderSwap(): void {
    const parent = path.dirname(this.dir);
    const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(this.dir))}\\.staging-[A-Za-z0-9]{6}(\\.old)?$`);
    const leftovers = (fs.existsSync(parent) ? fs.readdirSync(parent) : []).filter(f => pattern.test(f)).sort();
    const retired = leftovers.find(f => f.endsWith('.old'));
    if (retired && lstatOrUndefined(this.dir) === undefined) {
      fs.renameSync(path.join(parent, retired), this.dir);
    }
    for (const f of leftovers) {
      fs.rmSync(path.join(parent, f), { recursive: true, force: true });
    }
  }
}

/** Called at each step of a commit, for tests that interrupt a synth there. */
export type StepHook = (step: string) => void;

function noop(): void {}

/** The record's or journal's text: deterministic, one sorted list. */
function formatFileList(files: readonly string[]): string {
  return `${JSON.stringify({ writtenBy: 'cdk8s-webstack', files: [...files].sort() }, null, 1)}\n`;
}

function parseFileList(text: string, file: string): string[] {
  let files: unknown;
  try {
    files = JSON.parse(text).files;
  } catch {
    files = undefined;
  }
  if (!Array.isArray(files) || !files.every(isSafeRelativePath)) {
    throw new Error(`${file} is not a list of files written by cdk8s-webstack; look at it, then remove it`);
  }
  return files;
}

/** The files of the record, or none when there is none (a folder no synth of this version wrote). */
function readRecord(file: string): string[] {
  const text = readOrUndefined(file);
  return text === undefined ? [] : parseFileList(text, file);
}

/** A path the record may hold: relative, inside the folder, '/'-separated. */
function isSafeRelativePath(p: unknown): p is string {
  return typeof p === 'string' && p.length > 0 && !p.startsWith('/') && !p.includes('\\')
    && p.split('/').every(part => part !== '' && part !== '.' && part !== '..');
}

/** Removes `file` from `dir`, and the folders it leaves empty; returns a problem, or undefined. */
function removeFile(dir: string, file: string): string | undefined {
  const target = path.join(dir, file);
  const found = lstatOrUndefined(target);
  if (found === undefined || found.isDirectory()) {
    // Gone, or the user made a folder of that name: not ours any more.
    return undefined;
  }
  try {
    fs.unlinkSync(target);
  } catch (error) {
    return code(error) === 'ENOENT' ? undefined : (error as Error).message;
  }
  for (let parent = path.dirname(target); parent !== dir && parent.startsWith(dir + path.sep); parent = path.dirname(parent)) {
    try {
      fs.rmdirSync(parent);
    } catch {
      break;
    }
  }
  return undefined;
}

function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

/** The files under `root`, as '/'-separated paths relative to it. */
export function listFiles(root: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(root, prefix), { withFileTypes: true }).flatMap(entry => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(root, rel) : [rel];
  });
}

/** The real path of `p`, which may not exist yet: its nearest existing parent, resolved. */
function realpathOfMissing(p: string): string {
  const rest: string[] = [];
  let at = p;
  while (lstatOrUndefined(at) === undefined && path.dirname(at) !== at) {
    rest.unshift(path.basename(at));
    at = path.dirname(at);
  }
  return path.join(fs.realpathSync(at), ...rest);
}

function isSameOrAncestor(folder: string, of: string): boolean {
  return of === folder || of.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  return fs.lstatSync(p, { throwIfNoEntry: false });
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function readOrUndefined(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function warn(message: string): void {
  console.warn(`cdk8s-webstack: ${message}`);
}

// Runs a TypeScript app for `cdk8s synth` without type-checking it: esbuild transpiles and
// bundles the app's own files in memory (packages stay external), then node runs the result.
// Type checking belongs to `npm run build` and `npm test`; this keeps synth close to the CLI's
// own floor.   usage: node bin/run.js apps/main.ts
// A WebStackError (bad input: construct path, prop, value, fix) is printed as its message and
// the place in the user's own source that passed it (source-mapped: the .ts file and line), a
// failed synth-time check as its message alone, each with exit status 1: it is the user's to
// fix, not a crash. Any other error keeps its stack trace, source-mapped too;
// CDK8S_WEBSTACK_STACK=1 shows the stack of every error.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const help = require('./help.js');

const given = process.argv[2];
if (given === undefined || help.wantsHelp(process.argv.slice(2))) {
  process[given === undefined ? 'stderr' : 'stdout'].write(help.commandHelp('run'));
  process.exit(given === undefined ? 1 : 0);
}
const entry = path.resolve(given);
if (!fs.existsSync(entry)) {
  process.stderr.write(`cdk8s-webstack run: ${given} does not exist; give the app's entry file, e.g. main.ts (cdk8s-webstack run --help)\n`);
  process.exit(1);
}
const esbuild = require('esbuild');
let outputFiles;
try {
  ({ outputFiles } = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    sourcemap: 'inline',
    // The map's sources are relative to this folder, and node reads them relative to the bundle's
    // name (beside the entry): the same folder, whatever the working directory.
    absWorkingDir: path.dirname(entry),
    logLevel: 'silent',
  }));
} catch (error) {
  // esbuild's own message names the file, line and column of each syntax error.
  const messages = (error.errors ?? []).map(e => `${e.location ? `${path.relative(process.cwd(), path.resolve(path.dirname(entry), e.location.file))}:${e.location.line}:${e.location.column + 1}: ` : ''}${e.text}`);
  process.stderr.write(`cdk8s-webstack run: ${given} does not build:\n${(messages.length > 0 ? messages : [error.message]).map(m => `  ${m}`).join('\n')}\n`);
  process.exit(1);
}
// Stack traces through the in-memory bundle name the user's .ts files and lines.
process.setSourceMapsEnabled(true);
const filename = entry.replace(/\.ts$/, '.js');
const app = new Module(filename, module);
app.filename = filename;
app.paths = Module._nodeModulePaths(path.dirname(entry));
try {
  app._compile(outputFiles[0].text, filename);
} catch (error) {
  const ours = error instanceof Error && (error.name === 'WebStackError' || /^Validation failed with the following errors:/.test(error.message));
  if (!ours || process.env.CDK8S_WEBSTACK_STACK === '1') {
    throw error;
  }
  // Where the bad value was written; a synth-time check fails at synth(), which says nothing.
  const at = error.name === 'WebStackError' ? userFrame(error) : undefined;
  process.stderr.write(`${error.message.trimEnd()}\n${at ? `  at ${at}\n` : ''}`);
  process.exitCode = 1;
}

/**
 * The first frame of `error`'s stack in the user's own files (source-mapped: their .ts file and
 * line), not in a package or in this library: where the bad value was written.
 */
function userFrame(error) {
  const library = path.resolve(__dirname, '..');
  const theLibrary = file => file.split(path.sep).includes('node_modules')
    || ['lib', 'build', 'bin'].some(dir => file.startsWith(`${path.join(library, dir)}${path.sep}`));
  for (const line of String(error.stack).split('\n').slice(1)) {
    const match = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    const file = match && path.resolve(match[1]);
    if (file && fs.existsSync(file) && !theLibrary(file)) {
      const relative = path.relative(process.cwd(), file);
      return `${relative.startsWith('..') || path.isAbsolute(relative) ? file : relative}:${match[2]}:${match[3]}`;
    }
  }
  return undefined;
}

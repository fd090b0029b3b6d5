// Runs a TypeScript app for `cdk8s synth` without type-checking it: esbuild transpiles and
// bundles the app's own files in memory (packages stay external), then node runs the result.
// Type checking belongs to `npm run build` and `npm test`; this keeps synth close to the CLI's
// own floor.   usage: node bin/run.js apps/main.ts
// A WebStackError (bad input: construct path, prop, value, fix) or a failed synth-time check is
// printed as its message alone, with exit status 1: it is the user's to fix, not a crash. Any
// other error keeps its stack trace; CDK8S_WEBSTACK_STACK=1 shows the stack of every error.
'use strict';
const path = require('path');
const Module = require('module');
const esbuild = require('esbuild');

const entry = path.resolve(process.argv[2] || path.join(__dirname, 'main.ts'));
const { outputFiles } = esbuild.buildSync({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  write: false,
  sourcemap: 'inline',
  logLevel: 'error',
});
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
  process.stderr.write(`${error.message.trimEnd()}\n`);
  process.exitCode = 1;
}

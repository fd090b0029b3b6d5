// Runs a TypeScript app for `cdk8s synth` without type-checking it: esbuild transpiles and
// bundles the app's own files in memory (packages stay external), then node runs the result.
// Type checking belongs to `npm run build` and `npm test`; this keeps synth close to the CLI's
// own floor.   usage: node bin/run.js apps/main.ts
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
app._compile(outputFiles[0].text, filename);

/**
 * Compares the exports of an installed package's `index.d.ts` with test/public-api.txt, so a
 * name that the build drops (an `@internal` tag, a file left out of `files`) fails the consumer
 * test.   usage: node bin/run.js test/consumer/exports.ts <node_modules/cdk8s-webstack>
 */
import * as fs from 'fs';
import * as path from 'path';
import { exportsOf } from '../_public-api';

/** test/public-api.txt (bin/run.js bundles this file, so `__dirname` is its folder). */
const PUBLIC_API_FILE = path.join(__dirname, '..', 'public-api.txt');

// Run by bin/run.js, whose own argument (this file) comes first.
const pkg = path.resolve(process.argv[3]);
const types = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).exports['.'].types;
const exported = exportsOf(path.join(pkg, types));
const promised = fs.readFileSync(PUBLIC_API_FILE, 'utf8').trim().split('\n');
const missing = promised.filter(name => !exported.includes(name));
const extra = exported.filter(name => !promised.includes(name));
if (missing.length > 0 || extra.length > 0) {
  console.error(`consumer: ${types} of the installed package differs from test/public-api.txt: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
  process.exit(1);
}
console.log(`consumer: ${types} of the installed package exports the ${exported.length} names of test/public-api.txt`);

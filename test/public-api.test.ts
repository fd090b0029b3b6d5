import * as fs from 'fs';
import * as path from 'path';
import { exportsOf, PUBLIC_API_FILE } from './_public-api';

describe('public API', () => {
  test('lib/index.ts exports exactly the names of test/public-api.txt, each of its kind', () => {
    // Given the list the package promises (test/consumer/run.sh checks the installed .d.ts against it too)
    const promised = fs.readFileSync(PUBLIC_API_FILE, 'utf8').trim().split('\n');
    // When the compiler reads the entry point
    const exported = exportsOf(path.join(__dirname, '..', 'lib', 'index.ts'));
    // Then no name is added, dropped or changes kind without the list changing with it
    expect(exported).toEqual(promised);
  });

  test('the list reads kinds, so it fails on a name it cannot resolve', () => {
    expect(fs.readFileSync(PUBLIC_API_FILE, 'utf8')).not.toMatch(/unresolved/);
    expect(exportsOf(path.join(__dirname, '..', 'lib', 'index.ts'))).toContain('WebApp (class)');
  });
});

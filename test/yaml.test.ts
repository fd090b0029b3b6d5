import * as fc from 'fast-check';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { stringifyDocuments } from '../lib/_yaml';
import { synthManifests } from '../lib';
import { referenceApp } from '../apps/reference';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123), numRuns: Number(process.env.FC_RUNS ?? 300) });

/** Strings that Go's yaml.v2 (under kubectl) reads as numbers, booleans, null or the merge key, and that cdk8s writes plain. */
const GO_LOOKALIKES = ['0o17', '0O17', '+0o17', '-0o7', '<<'];

describe('the fast YAML writer', () => {
  test('writes the example apps byte for byte as cdk8s does', () => {
    const docs = synthManifests(referenceApp({ outdir: 'unused' }));
    expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
  });

  test('writes names and words the way cdk8s does, plain or quoted', () => {
    const word = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_./-]{0,12}$/),
      fc.constantFrom('y', 'Y', 'n', 'yes', 'No', 'ON', 'off', 'True', 'FALSE', 'null', 'Null', 'e', 'inf', 'nan', 'x-1.5', 'a/b', 'a..b', 'E0', 'e12', 'E0.5', 'E_1'),
      fc.stringMatching(/^[eEx][0-9._-]{0,4}$/));
    fc.assert(fc.property(fc.dictionary(word, fc.oneof(word, fc.array(word, { maxLength: 3 }))), doc => {
      expect(stringifyDocuments([doc])).toBe(Yaml.stringify(doc));
    }));
  });

  test('writes any JSON document byte for byte as cdk8s does', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('y', 'n', 'on', 'off', 'true', '80', '<<', '? x', '-', 'a: b', '#c', '', ' k', 'app.kubernetes.io/name'));
    const scalar = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
      fc.constantFrom('', 'yes', 'No', '0x1F', '1e3', '1.4.2', '25%', '~', '*.x', '@x', ' lead', 'trail ', 'multi\nline', '- x', '"q', "it's", '2001:db8::1',
        '0o17', '012', '1_000', '.inf', 'off', '2026-11-25', '1:20', '0b101', '+12', '<<', '='));
    const { value } = fc.letrec(tie => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      seq: fc.array(tie('value'), { maxLength: 4 }),
    }));
    const doc = fc.dictionary(key, value, { minKeys: 0, maxKeys: 6 });
    fc.assert(fc.property(fc.array(fc.oneof(doc, fc.constant(undefined)), { minLength: 1, maxLength: 3 }), docs => {
      const ours = stringifyDocuments(docs);
      // Reads back as the same documents under YAML 1.1 and 1.2 ...
      for (const version of ['1.1', '1.2'] as const) {
        // (an undefined document is written as an empty one, which reads back as nothing)
        expect(parseAllDocuments(ours, { version }).map(d => d.toJS()).filter(d => d !== null)).toEqual(docs.filter(d => d !== undefined));
      }
      // ... and is cdk8s's text byte for byte, unless it holds a string cdk8s leaves plain and Go reads as another type.
      if (!strings(docs).some(s => GO_LOOKALIKES.includes(s))) {
        expect(ours).toBe(Yaml.stringify(...docs));
      }
    }));
  });

  test.each(GO_LOOKALIKES)('double-quotes %j, which kubectl would read as another type, as a value and as a key', (text) => {
    const out = stringifyDocuments([{ value: text, map: { [text]: 'v' } }]);
    expect(out).toBe(`value: ${JSON.stringify(text)}\nmap:\n  ${JSON.stringify(text)}: v\n`);
  });
});


function strings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  }
  return [];
}

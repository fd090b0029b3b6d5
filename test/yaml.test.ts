import * as fc from 'fast-check';
import { Yaml } from 'cdk8s';
import { stringifyDocuments } from '../lib/_yaml';
import { synthManifests } from '../lib';
import { referenceApp } from '../apps/reference';
import { WebStackApp } from '../lib';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123), numRuns: Number(process.env.FC_RUNS ?? 300) });

describe('the fast YAML writer', () => {
  test('writes the example apps byte for byte as cdk8s does', () => {
    const docs = synthManifests(referenceApp(new WebStackApp({ outdir: 'unused' })));
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
      fc.constantFrom('', 'yes', 'No', '0x1F', '1e3', '1.4.2', '25%', '~', '*.x', '@x', ' lead', 'trail ', 'multi\nline', '- x', '"q', "it's", '2001:db8::1'));
    const { value } = fc.letrec(tie => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      seq: fc.array(tie('value'), { maxLength: 4 }),
    }));
    const doc = fc.dictionary(key, value, { minKeys: 0, maxKeys: 6 });
    fc.assert(fc.property(fc.array(fc.oneof(doc, fc.constant(undefined)), { minLength: 1, maxLength: 3 }), docs => {
      expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
    }));
  });
});

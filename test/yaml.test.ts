import * as fc from 'fast-check';
import { Yaml } from 'cdk8s';
import { stringifyDocuments } from '../lib/_yaml';
import { synthManifests } from '../lib';
import { referenceApp } from '../apps/main';
import { WebStackApp } from '../lib';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123), numRuns: Number(process.env.FC_RUNS ?? 300) });

describe('the fast YAML writer', () => {
  test('writes the example apps byte for byte as cdk8s does', () => {
    const docs = synthManifests(referenceApp(new WebStackApp({ outdir: 'unused' })));
    expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
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

import * as fc from 'fast-check';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { stringifyDocuments, stringifyWhole } from '../lib/synth/_yaml';
import { synthManifests } from '../lib';
import { referenceApp } from '../apps/reference';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123), numRuns: Number(process.env.FC_RUNS ?? 300) });

/** Strings that Go's yaml.v2 (under kubectl) reads as numbers, booleans, null or the merge key, and that cdk8s writes plain. */
const GO_LOOKALIKES = ['0o17', '0O17', '+0o17', '-0o7', '<<'];

/**
 * A multi-line string whose block form Go's reader refuses or changes (a line of only spaces and
 * tabs, a line starting with a tab): the writer double-quotes it where cdk8s writes a block.
 * test/cluster/yaml-roundtrip.ts holds the writer to Go's reader itself.
 */
/** Characters Go's reader refuses raw or reads otherwise, which the writer escapes where cdk8s writes them raw. */
const AWKWARD = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

function goMisreadsBlock(text: string): boolean {
  return text.includes('\n') && text.split('\n').some(line => line.startsWith('\t') || /^[ \t]+$/.test(line));
}

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
      if (!strings(docs).some(s => GO_LOOKALIKES.includes(s) || goMisreadsBlock(s) || AWKWARD.test(s))) {
        expect(ours).toBe(Yaml.stringify(...docs));
      }
    }));
  });

  test('writes multi-line strings (config files) at any depth byte for byte as cdk8s does', () => {
    const line = fc.oneof(fc.constantFrom('', ' ', '  ', '\t', '#', '# c', '- a', 'a: b', '  indented', 'trail ', 'key: |', '---', '...', '"q"', "'s'", '%x', 'ü', '0o17', '2026-11-25'),
      fc.stringMatching(/^[ -~]{0,12}$/));
    const text = fc.array(line, { minLength: 2, maxLength: 6 }).map(lines => lines.join('\n'));
    const { value } = fc.letrec(tie => ({
      value: fc.oneof({ depthSize: 'small' }, text, tie('map'), tie('seq')),
      map: fc.dictionary(fc.constantFrom('a', 'data', 'app.yaml', 'x'), tie('value'), { maxKeys: 3 }),
      seq: fc.array(tie('value'), { maxLength: 3 }),
    }));
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('data', 'spec', 'k'), value, { minKeys: 1, maxKeys: 3 }), doc => {
      // (a text that starts with a date is double-quoted on purpose: Go would read a timestamp)
      fc.pre(!strings(doc).some(t => /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/.test(t)));
      const ours = stringifyDocuments([doc]);
      expect(parseAllDocuments(ours, { version: '1.1' }).map(d => d.toJS())).toEqual([doc]);
      if (!strings(doc).some(goMisreadsBlock)) {
        expect(ours).toBe(Yaml.stringify(doc));
      } else if (ours !== Yaml.stringify(doc)) {
        // Double-quoted, one line per string, where cdk8s writes a block Go would misread.
        expect(strings(doc).filter(goMisreadsBlock).some(t => ours.includes(JSON.stringify(t)))).toBe(true);
      }
    }));
  });

  test('spells the scalars it knows without the yaml package as the yaml package does', () => {
    // The reference: the yaml package's writer, with the strings Go would misread double-quoted.
    const scalar = fc.oneof(
      fc.stringMatching(/^[0-9][0-9A-Za-z.%]{0,10}$/),
      fc.stringMatching(/^[0-9][0-9a-f]{0,70}$/),
      fc.stringMatching(/^[A-Za-z/][A-Za-z0-9_./@:-]{0,14}$/),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _.,()/:#'"-]{0,24}$/),
      fc.array(fc.stringMatching(/^[ -~]{0,10}$/), { minLength: 1, maxLength: 4 }).map(lines => `${lines.join('\n')}\n`),
      fc.constantFrom('0b101', '0x1F', '1e5', '1.5', '1.4.2', '10.0.0.1', '25%', '512Mi', '1..', 'e1:2', 'yes', 'n:1', 'a:', 'a::b', 'http://x/y', '---\n', '...\n', 'a\n---\n'),
      fc.integer(), fc.constant(-0), fc.constant(2 ** 60), fc.double(), fc.boolean(), fc.constant(null));
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), scalar, { minKeys: 1, maxKeys: 3 }), values => {
      const doc = { map: { ...values }, list: Object.values(values), nested: [{ k: { ...values } }] };
      expect(stringifyDocuments([doc])).toBe(stringifyWhole(doc));
    }), { numRuns: Number(process.env.FC_RUNS ?? 300) * 5 });
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

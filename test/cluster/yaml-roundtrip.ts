/**
 * The YAML writer against kubectl's reader: strings made of Unicode's awkward characters and
 * YAML's indicators (seeded, so a failure comes back), written by the library's writer as
 * values and keys of Kubernetes documents, must read back, through apimachinery's YAML reader
 * and sigs.k8s.io/yaml (Go's yaml.v2) as kubectl reads a file, as the same strings.
 */
import { spawnSync } from 'child_process';
import { stringifyDocuments } from '../../lib/synth/_yaml';
import { seeded } from '../_harness';

type Check = (name: string, ok: boolean, detail?: string) => void;

/** Every C0 and C1 control, DEL, Latin-1, and the code points YAML or JSON treat specially. */
const CHARACTERS = [
  ...Array.from({ length: 0x100 }, (_, i) => String.fromCharCode(i)),
  '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ufffd', '\u200b', '\u200e', '\u202e', '\u00a0', '\u3000', '\u0301',
  '\ud83d\ude00', '\u{10ffff}', '\ue000',
];
/** YAML's indicators and the shapes of its syntax. */
const PIECES = [
  '-', '- ', '?', '? ', ':', ': ', ',', '[', ']', '{', '}', '#', ' #', '&a', '*a', '!', '!!str', '|', '|-', '>', '>+', '\'', '"', '%', '@', '`',
  '---', '...', '--- x', '... x', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', '\n ', '\n\t', ' \n', 'true', 'null', '~', '0o17', '1_0', '<<', '=',
  'x', 'key: value', 'a\\b', '\\n', '\\u0041', '0x1F', '1e3', '.inf', 'y', 'NO',
];

function strings(count: number, seed: number): string[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const out = [...CHARACTERS, ...PIECES, ...CHARACTERS.map(c => `${c}x`), ...CHARACTERS.map(c => `x${c}`), ...CHARACTERS.map(c => `${c}\nline\n`)];
  while (out.length < count) {
    const parts = Math.floor(random() * 8) + 1;
    out.push(Array.from({ length: parts }, () => (random() < 0.4 ? pick(CHARACTERS) : pick(PIECES))).join(''));
  }
  return out;
}

/** JSON with every map's keys sorted, as Go's encoding/json writes a map. */
function canonical(value: unknown): string {
  const sorted = (v: any): any => (Array.isArray(v) ? v.map(sorted)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sorted(v[k])])) : v);
  return JSON.stringify(sorted(value));
}

export function yamlRoundTrip(reader: string, check: Check): void {
  const values = strings(4000, 20261203);
  // As values (a ConfigMap's data, an annotation), and as keys of a map (a ConfigMap's data), on
  // both of the writer's paths.
  const docs = values.map((v, i) => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, annotations: { note: v } },
    data: { value: v, [v]: 'as a key', list: undefined }, list: [v, { inner: v }],
    // Every other document has a nested list, which the writer hands to the \`yaml\` package whole.
    ...(i % 2 === 1 ? { nested: [[v]] } : {}),
  })).map(d => JSON.parse(JSON.stringify(d)));
  const written = stringifyDocuments(docs);
  const r = spawnSync(reader, [], { input: written, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const lines = (r.stdout ?? '').split('\n').filter(l => l !== '');
  const wrong: string[] = [];
  docs.forEach((doc, i) => {
    const line = lines[i];
    const read = line === undefined || line.startsWith('ERROR ') ? undefined : JSON.parse(line);
    if (read === undefined || canonical(read) !== canonical(doc)) {
      wrong.push(`${JSON.stringify(values[i])}: ${line === undefined ? 'no document read' : line.startsWith('ERROR ') ? line : `read back as ${JSON.stringify(read.data?.value)}`}`);
    }
  });
  check(`kubectl's YAML reader reads back every string the writer writes (${docs.length} documents of ${values.length} strings, as values and keys)`,
    r.status === 0 && lines.length === docs.length && wrong.length === 0,
    `${r.stderr ?? ''}${lines.length !== docs.length ? `${lines.length} documents read of ${docs.length}\n` : ''}${wrong.slice(0, 40).join('\n')}${wrong.length > 40 ? `\n... and ${wrong.length - 40} more` : ''}`);
}

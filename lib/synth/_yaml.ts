import * as path from 'path';
import { Yaml } from 'cdk8s';

/** The `yaml` package that cdk8s itself writes with, so that the fallback spells alike. */
const CDK8S_YAML: typeof import('yaml') = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));
/** cdk8s's own options (cdk8s/lib/yaml.js). */
const CDK8S_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/**
 * A fast YAML writer for Kubernetes documents whose output is byte-identical to cdk8s's
 * `Yaml.stringify` (the `yaml` package, YAML 1.1, no line folding), which it asks for the
 * spelling of every distinct key and scalar once, and remembers. Documents with anything it does
 * not lay out itself (multi-line strings, nested sequences, non-finite numbers) are handed to
 * `Yaml.stringify` whole. Tests compare both writers on generated and real documents.
 *
 * One difference, on purpose: a string that `kubectl` (Go's yaml.v2 resolver, under
 * sigs.k8s.io/yaml) would read as another type is double-quoted even where the `yaml` package
 * leaves it plain (`0o17` would reach the API server as the integer 15, `1_0` as 10, `<<` as a
 * merge key).
 */
export function stringifyDocuments(docs: readonly unknown[]): string {
  return docs.map(doc => (doc === undefined ? '\n' : stringifyDocument(doc))).join('---\n');
}

class Unsupported extends Error {}

/**
 * Words and names the `yaml` package writes as they are (plain): a letter, then letters, digits
 * and `_ . / -`, and not a YAML 1.1 boolean or null, nor `e` and digits (which the `yaml` package
 * quotes as a would-be float). Checked against `Yaml.stringify` in tests.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]{0,127}$/;
const YAML11_WORDS = /^(y|n|yes|no|true|false|on|off|null)$|^[eE][-+]?[0-9]/i;

function plain(text: string): boolean {
  return PLAIN.test(text) && !YAML11_WORDS.test(text);
}

/** The spelling of every key, string and other scalar met so far. */
const keys = new Map<string, string>();
const strings = new Map<string, string | Block>();
const scalars = new Map<unknown, string>();

function stringifyDocument(doc: unknown): string {
  const lines: string[] = [];
  try {
    if (!isMap(doc) || Object.keys(doc).length === 0) {
      throw new Unsupported();
    }
    writeMap(doc, '', lines);
  } catch (error) {
    if (error instanceof Unsupported) {
      return stringifyWhole(doc);
    }
    throw error;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `Yaml.stringify` of one document, with the strings Go would misread double-quoted. Strings the
 * `yaml` package would write in a way Go's reader refuses or changes (awkward characters, block
 * lines Go reads otherwise) stand in the document as plain placeholders, then their escaped
 * double-quoted spelling replaces them in the text.
 */
export function stringifyWhole(doc: unknown): string {
  const json = JSON.stringify(doc) ?? '';
  let marker = 'wsq';
  while (json.includes(marker)) {
    marker += 'z';
  }
  const escaped: string[] = [];
  const stand = (text: string) => {
    if (!AWKWARD.test(text) && !(text.includes('\n') && !goReadsBlock(text.split('\n').map(l => (l === '' ? '' : `  ${l}`)))) && !(text.includes('\t') && text.includes('\n'))) {
      return text;
    }
    escaped.push(quoted(text));
    return `${marker}${escaped.length - 1}q`;
  };
  const replaced = replaceStrings(doc, stand);
  const text = writeWhole(replaced);
  return escaped.length === 0 ? text : text.replace(new RegExp(`${marker}(\\d+)q`, 'g'), (_, i) => escaped[Number(i)]);
}

/** `value` with `replace` applied to every string in it, keys included. */
function replaceStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return replace(value);
  }
  if (Array.isArray(value)) {
    return value.map(v => replaceStrings(v, replace));
  }
  if (isMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [replace(k), replaceStrings(v, replace)]));
  }
  return value;
}

function writeWhole(doc: unknown): string {
  const document = new CDK8S_YAML.Document(doc, CDK8S_OPTIONS);
  const quote = (node: import('yaml').Scalar) => {
    if (typeof node.value === 'string' && goReadsAsNonString(node.value)) {
      node.type = 'QUOTE_DOUBLE';
      if (node.value === '<<') {
        // YAML 1.1's merge tag claims '<<' whatever its style: name the tag (`!!str "<<"`).
        node.tag = 'tag:yaml.org,2002:str';
      }
    }
  };
  CDK8S_YAML.visit(document, {
    Pair(_, pair) {
      // Keys made from a JavaScript object are plain strings until they are wrapped.
      if (typeof pair.key === 'string' && goReadsAsNonString(pair.key)) {
        pair.key = new CDK8S_YAML.Scalar(pair.key);
      }
      if (CDK8S_YAML.isScalar(pair.key)) {
        quote(pair.key);
      }
    },
    Scalar(_, node) {
      quote(node);
    },
  });
  return document.toString(CDK8S_OPTIONS);
}

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function writeMap(map: Record<string, unknown>, indent: string, lines: string[], firstPrefix?: string): void {
  let first = true;
  for (const k in map) {
    const v = map[k];
    const prefix = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const key = keyOf(k);
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        if (v.length > 0) {
          lines.push(`${prefix}${key}:`);
          writeSeq(v, `${indent}  `, lines);
          continue;
        }
      } else if (hasKeys(v)) {
        lines.push(`${prefix}${key}:`);
        writeMap(v as Record<string, unknown>, `${indent}  `, lines);
        continue;
      }
    }
    const text = leaf(v);
    if (typeof text === 'string') {
      lines.push(`${prefix}${key}: ${text}`);
    } else {
      writeBlock(`${prefix}${key}: `, text, indent, lines);
    }
  }
}

function writeSeq(seq: readonly unknown[], indent: string, lines: string[]): void {
  for (const item of seq) {
    if (item !== null && typeof item === 'object') {
      if (Array.isArray(item)) {
        if (item.length > 0) {
          throw new Unsupported();
        }
      } else if (hasKeys(item)) {
        writeMap(item as Record<string, unknown>, `${indent}  `, lines, `${indent}- `);
        continue;
      }
    }
    const text = leaf(item);
    if (typeof text === 'string') {
      lines.push(`${indent}- ${text}`);
    } else {
      writeBlock(`${indent}- `, text, indent, lines);
    }
  }
}

function hasKeys(map: object): boolean {
  for (const _ in map) {
    return true;
  }
  return false;
}

/**
 * A block scalar (`|`, `|-`, `|+`, `|2`) after `lead`, its lines indented two more than the key
 * or dash at `indent`: the `yaml` package writes the same lines at every depth, each non-empty
 * one indented by the depth (checked against `Yaml.stringify` in tests).
 */
function writeBlock(lead: string, block: Block, indent: string, lines: string[]): void {
  lines.push(`${lead}${block.header}`);
  for (const line of block.lines) {
    lines.push(line === '' ? '' : `${indent}${line}`);
  }
}

/** A multi-line string as the `yaml` package writes it as the value of a top-level key. */
interface Block {
  readonly header: string;
  /** Its lines as written at depth 0: indented by two spaces, or empty. */
  readonly lines: readonly string[];
}

/** An empty collection or a scalar, as it stands after `key: ` or `- `: one line, or a block. */
function leaf(value: unknown): string | Block {
  if (typeof value === 'string') {
    let text = strings.get(value);
    if (text === undefined) {
      text = stringText(value);
      strings.set(value, text);
    }
    return text;
  }
  if (Array.isArray(value)) {
    return '[]';
  }
  if (isMap(value)) {
    return '{}';
  }
  const type = typeof value;
  if (value !== null && type !== 'boolean' && !(type === 'number' && Number.isFinite(value))) {
    throw new Unsupported();
  }
  if (value === null) {
    return 'null';
  }
  if (type === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    return String(value);
  }
  let text = scalars.get(value);
  if (text === undefined) {
    text = singleLine(Yaml.stringify({ k: value }));
    scalars.set(value, text);
  }
  return text;
}

/**
 * Characters Go's YAML reader (under kubectl) refuses raw or reads as something else: the C0
 * controls but tab and newline (a carriage return is a line break), DEL and the C1 controls (NEL
 * is a YAML 1.1 line break), the line and paragraph separators, the byte-order mark and the
 * noncharacters U+FFFE and U+FFFF. A string with one is written double-quoted, each escaped.
 */
const AWKWARD = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const ESCAPED_RAW = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;


/**
 * Whether Go's reader reads a block scalar of these lines (as the `yaml` package writes them, two
 * spaces in) back as they were: no line's content starts with a tab (Go refuses it) or is only
 * spaces and tabs (Go drops them); a line of the indentation alone is an empty line.
 */
function goReadsBlock(lines: readonly string[]): boolean {
  return lines.every(line => {
    const content = line.slice(2);
    return !content.startsWith('\t') && (content === '' || !/^[ \t]+$/.test(content));
  });
}

/** A string's spelling: plain, double-quoted where Go would misread it, else as cdk8s writes it. */
function stringText(value: string): string | Block {
  if (plain(value)) {
    return value;
  }
  if (AWKWARD.test(value)) {
    return quoted(value);
  }
  if (goReadsAsNonString(value)) {
    return quoted(value);
  }
  const known = knownSpelling(value);
  if (known !== undefined) {
    return known;
  }
  const whole = Yaml.stringify({ k: value });
  if (whole.indexOf('\n') === whole.length - 1) {
    return singleLine(whole);
  }
  const [first, ...rest] = whole.slice(0, -1).split('\n');
  if (!/^k: \|[-+0-9]*$/.test(first) || !rest.every(line => line === '' || line.startsWith('  '))) {
    throw new Unsupported();
  }
  return goReadsBlock(rest) ? { header: first.slice(3), lines: rest } : quoted(value);
}

/**
 * Words, quantities, versions, paths, image references, sentences and simple config files,
 * spelled as the `yaml` package spells them without asking it (the first call of its writer
 * costs a one-stack synth several milliseconds). Each rule is held to `Yaml.stringify` by
 * property tests; anything else is asked. Strings Go would misread never get here.
 */
function knownSpelling(value: string): string | Block | undefined {
  // A digit, then digits, letters, dots and %, that cannot be a YAML 1.1 int or float: with a
  // letter other than e, a % or two dots, and no 0b/0o/0x prefix (`512Mi`, `25%`, `1.4.2`, a hex digest).
  if (/^[0-9][0-9A-Za-z.%]{0,127}$/.test(value) && /[A-DF-Za-df-z%]|\..*\./.test(value) && !/^0[bBoOxX]/.test(value)) {
    return value;
  }
  // A path, or a name with a port, tag, digest or scheme: `/readyz`, `registry.example.com/app:1.4.2`.
  if (/^[A-Za-z/][A-Za-z0-9_./@:-]{0,127}$/.test(value) && !value.endsWith(':') && !YAML11_WORDS.test(value)) {
    return value;
  }
  // A sentence: words, spaces and punctuation that mean nothing to YAML in the middle of a value.
  if (/^[A-Za-z][A-Za-z0-9 _.,()/-]{0,1022}[A-Za-z0-9_.)/]$/.test(value) && !YAML11_WORDS.test(value)) {
    return value;
  }
  // One that holds `: `, which YAML reads as a key: double-quoted, as JSON writes it.
  if (/^[A-Za-z][ -~]{0,1023}$/.test(value) && value.includes(': ') && !/["\\]/.test(value) && !value.endsWith(' ')) {
    return quoted(value);
  }
  // A file of lines that start with no space, end with no space, and a newline at the end.
  if (/^[!-~](?:[ -~]*[!-~])?(?:\n[!-~](?:[ -~]*[!-~])?)*\n$/.test(value) && !/(?:^|\n)(?:---|\.\.\.)/.test(value)) {
    return { header: '|', lines: value.slice(0, -1).split('\n').map(line => `  ${line}`) };
  }
  return undefined;
}

/** The scalar of `k: <scalar>\n`, which must be one line. */
function singleLine(whole: string): string {
  if (!whole.startsWith('k: ') || whole.indexOf('\n') !== whole.length - 1) {
    throw new Unsupported();
  }
  return whole.slice(3, -1);
}

function keyOf(key: string): string {
  let text = keys.get(key);
  if (text === undefined) {
    text = keyText(key);
    keys.set(key, text);
  }
  return text;
}

function keyText(key: string): string {
  if (plain(key)) {
    return key;
  }
  if (AWKWARD.test(key) || key.includes('\n') || key.includes('\t')) {
    return quoted(key);
  }
  if (goReadsAsNonString(key)) {
    return quoted(key);
  }
  const whole = Yaml.stringify({ [key]: 0 });
  if (!whole.endsWith(': 0\n') || whole.indexOf('\n') !== whole.length - 1) {
    throw new Unsupported();
  }
  return whole.slice(0, -4);
}

/** Plain scalars that Go's yaml.v2 resolves to a bool, null, float or the merge key. */
const GO_WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '', '<<',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
/** Go's strconv.ParseInt with base 0, after yaml.v2 drops every `_`. */
const GO_INT = /^[-+]?(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
/** yaml.v2's float pattern (any all-digit string also lands here when it overflows an int). */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** yaml.v2's timestamp formats all start with a date. */
const GO_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

/** Whether Go's yaml.v2 would read `text`, written plain, as something other than this string. */
function goReadsAsNonString(text: string): boolean {
  if (GO_WORDS.has(text)) {
    return true;
  }
  if (!/^[-+.0-9]/.test(text)) {
    return false;
  }
  const digits = text.replace(/_/g, '');
  return GO_INT.test(digits) || GO_FLOAT.test(digits) || GO_TIMESTAMP.test(text);
}

/**
 * A double-quoted YAML scalar: JSON's string syntax, which YAML shares, with `\\uXXXX` also for
 * the characters JSON leaves raw and Go's reader refuses or changes (DEL, C1, U+2028, ...).
 */
function quoted(text: string): string {
  return JSON.stringify(text).replace(ESCAPED_RAW, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

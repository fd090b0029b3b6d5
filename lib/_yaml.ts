import { Yaml } from 'cdk8s';

/**
 * A fast YAML writer for Kubernetes documents whose output is byte-identical to cdk8s's
 * `Yaml.stringify` (the `yaml` package, YAML 1.1, no line folding), which it asks for the
 * spelling of every distinct key and scalar once, and remembers. Documents with anything it does
 * not lay out itself (multi-line strings, nested sequences, non-finite numbers) are handed to
 * `Yaml.stringify` whole. Tests compare both writers on generated and real documents.
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

const keys = new Map<string, string>();
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
      return Yaml.stringify(doc);
    }
    throw error;
  }
  return `${lines.join('\n')}\n`;
}

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function writeMap(map: Record<string, unknown>, indent: string, lines: string[], firstPrefix?: string): void {
  let first = true;
  for (const [k, v] of Object.entries(map)) {
    const prefix = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const key = keyOf(k);
    if (isMap(v) && Object.keys(v).length > 0) {
      lines.push(`${prefix}${key}:`);
      writeMap(v, `${indent}  `, lines);
    } else if (Array.isArray(v) && v.length > 0) {
      lines.push(`${prefix}${key}:`);
      writeSeq(v, `${indent}  `, lines);
    } else {
      lines.push(`${prefix}${key}: ${leaf(v)}`);
    }
  }
}

function writeSeq(seq: readonly unknown[], indent: string, lines: string[]): void {
  for (const item of seq) {
    if (isMap(item) && Object.keys(item).length > 0) {
      writeMap(item, `${indent}  `, lines, `${indent}- `);
    } else if (Array.isArray(item) && item.length > 0) {
      throw new Unsupported();
    } else {
      lines.push(`${indent}- ${leaf(item)}`);
    }
  }
}

/** An empty collection or a scalar, as it stands after `key: ` or `- `. */
function leaf(value: unknown): string {
  if (Array.isArray(value)) {
    return '[]';
  }
  if (isMap(value)) {
    return '{}';
  }
  const type = typeof value;
  if (value !== null && type !== 'string' && type !== 'boolean' && !(type === 'number' && Number.isFinite(value))) {
    throw new Unsupported();
  }
  if (type === 'string' && plain(value as string)) {
    return value as string;
  }
  let text = scalars.get(value);
  if (text === undefined) {
    const whole = Yaml.stringify({ k: value });
    if (!whole.startsWith('k: ') || whole.indexOf('\n') !== whole.length - 1) {
      throw new Unsupported();
    }
    text = whole.slice(3, -1);
    scalars.set(value, text);
  }
  return text;
}

function keyOf(key: string): string {
  if (plain(key)) {
    return key;
  }
  let text = keys.get(key);
  if (text === undefined) {
    const whole = Yaml.stringify({ [key]: 0 });
    if (!whole.endsWith(': 0\n') || whole.indexOf('\n') !== whole.length - 1) {
      throw new Unsupported();
    }
    text = whole.slice(0, -4);
    keys.set(key, text);
  }
  return text;
}

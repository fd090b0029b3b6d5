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
      return stringifyWhole(doc);
    }
    throw error;
  }
  return `${lines.join('\n')}\n`;
}

/** `Yaml.stringify` of one document, with the strings Go would misread double-quoted. */
function stringifyWhole(doc: unknown): string {
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
  if (type === 'string' && goReadsAsNonString(value as string)) {
    return quoted(value as string);
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
  if (goReadsAsNonString(key)) {
    return quoted(key);
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

/** A double-quoted YAML scalar: JSON's string syntax is valid YAML. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

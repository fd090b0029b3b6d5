import { errorAt, Where, WebStackError } from './errors';
import {
  checkAnnotations, checkCidr, checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, checkEnvName, checkHostName, checkHttpPath,
  checkImage, checkInt, checkIp, checkLabels, checkObjectLabels, checkLabelValue, checkPort, checkPortName, checkQuantity, checkRoutePath,
} from './_validate';

export type { Where };

/**
 * The run-time contract of a prop: what its TypeScript type says, checked for JavaScript callers,
 * who pass what the types forbid, and its format, range or enum members, each with the fix its
 * error gives. Declared once per props interface; resolvers keep the defaults and the rules that
 * span several props.
 */
export type Shape =
  | { readonly type: 'string' | 'number' | 'boolean' | 'false' | 'null' | 'any' }
  | { readonly type: 'format'; readonly base: Shape; readonly check: Check }
  | { readonly type: 'enum'; readonly values: Record<string, string>; readonly name: string }
  | { readonly type: 'instance'; readonly of: Class; readonly name: string; readonly fix: string }
  | { readonly type: 'object'; readonly name: string; readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[]; readonly renamed?: Readonly<Record<string, string>> }
  | { readonly type: 'record'; readonly value: Shape; readonly key?: Check }
  | { readonly type: 'array'; readonly item: Shape }
  | { readonly type: 'oneOf'; readonly options: readonly Shape[] };

/** A format or range check on a value of the right type: it throws a `WebStackError` naming `prop`. */
export type Check = (where: Where, prop: string, value: any) => unknown;

/** A class, whatever its constructor's visibility (the library's value classes have private ones). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

/** The shape of every field of `T`, so that a prop added to the interface cannot be forgotten here. */
export type Fields<T> = { readonly [K in keyof Required<T>]: Shape };

const STRING: Shape = { type: 'string' };
const NUMBER: Shape = { type: 'number' };
const format = (base: Shape, check: Check): Shape => ({ type: 'format', base, check });

export const shape = {
  string: STRING,
  number: NUMBER,
  boolean: { type: 'boolean' } as Shape,
  false: { type: 'false' } as Shape,
  /** `null`, in data a program reads (JSON), where the library writes it for "none". */
  null: { type: 'null' } as Shape,
  /** Checked elsewhere (a union the resolver tells apart with a better message). */
  any: { type: 'any' } as Shape,
  enum: (values: Record<string, string>, name: string): Shape => ({ type: 'enum', values, name }),
  instance: (of: Class, name: string, fix: string): Shape => ({ type: 'instance', of, name, fix }),
  object: <T>(name: string, fields: Fields<T>, options: { required?: Array<keyof T & string>; renamed?: Record<string, string> } = {}): Shape =>
    ({ type: 'object', name, fields, required: options.required, renamed: options.renamed }),
  /** A map of `value`s; `key` checks each key's format. */
  record: (value: Shape, key?: Check): Shape => ({ type: 'record', value, key }),
  array: (item: Shape): Shape => ({ type: 'array', item }),
  oneOf: (...options: Shape[]): Shape => ({ type: 'oneOf', options }),
  /** `base`, then `check` on the value. */
  format,

  /** An integer from `min` to `max`; `fix` replaces the generic hint. */
  int: (min: number, max: number, fix?: string): Shape => format(NUMBER, (w, p, v) => checkInt(w, p, v, min, max, fix)),
  port: format(NUMBER, checkPort),
  portName: format(STRING, checkPortName),
  /** A whole number as written, `-0` as `0` (YAML would write `-0`): for an integer prop checked by its shape. */
  whole: (value: number): number => value + 0,
  /** Most object names and namespaces. */
  dns1123Label: format(STRING, checkDns1123Label),
  /** Names that also name a Service. */
  dns1035Label: format(STRING, checkDns1035Label),
  /** Names of Secrets, ConfigMaps and other objects that allow dots. */
  subdomain: format(STRING, checkDns1123Subdomain),
  hostName: format(STRING, checkHostName),
  /** A host name that may start with `*.`. */
  wildcardHostName: format(STRING, (w, p, v) => checkHostName(w, p, v, { wildcard: true })),
  ip: format(STRING, checkIp),
  cidr: format(STRING, checkCidr),
  httpPath: format(STRING, checkHttpPath),
  /** A path both an Ingress and an HTTPRoute accept. */
  routePath: format(STRING, checkRoutePath),
  envName: format(STRING, checkEnvName),
  /** A pinned image reference: a registry, and a version tag or digest. */
  image: format(STRING, checkImage),
  labelValue: format(STRING, checkLabelValue),
  /** A map of label keys to label values. */
  labels: format({ type: 'record', value: STRING }, checkLabels),
  /** Labels written on an emitted object (not a selector): without the ApplySet's member label. */
  objectLabels: format({ type: 'record', value: STRING }, checkObjectLabels),
  /** Labels that select pods: at least one, since an empty selector selects every pod. */
  podSelector: format({ type: 'record', value: STRING }, (w, p, v: Record<string, string>) => {
    checkLabels(w, p, v);
    if (Object.keys(v).length === 0) {
      throw errorAt(w, p, v, 'is empty, so it would select every pod in the namespace', 'give the labels of the pods');
    }
  }),
  /** A map of annotation keys to values, within the API server's size limit. */
  annotations: format({ type: 'record', value: STRING }, checkAnnotations),
  /** A percentage of pods, `<n>%` from `min`% to 100%; `problem` and `fix` word its error. */
  percent: (min: number, problem: string, fix: string): Shape => format(STRING, (w, p, v: string) => {
    const percent = /^(\d{1,3})%$/.exec(v);
    if (!percent || Number(percent[1]) < min || Number(percent[1]) > 100) {
      throw errorAt(w, p, v, problem, fix);
    }
  }),
  /** A positive Kubernetes quantity; `example` shows one in the hint. */
  quantity: (example: string): Shape => format(STRING, (w, p, v) => checkQuantity(w, p, v, example)),
};

function fail(where: Where, prop: string, value: unknown, problem: string, fix: string): never {
  throw errorAt(where, prop, value, problem, fix);
}

/** `value`, once it has `s`: a default derived from other input, checked against the prop's own contract. */
export function checked<T>(where: Where, prop: string, value: T, s: Shape): T {
  checkShape(where, prop, value, s);
  return value;
}

/** Fails unless `value` has `shape`; `prop` is its dotted name (`''` for the props object itself). */
export function checkShape(where: Where, prop: string, value: unknown, s: Shape): void {
  if (value === undefined && prop === '' && s.type === 'object' && (s.required ?? []).length > 0) {
    // `new WebApp(chart, 'shop')` from JavaScript: the props object itself is missing.
    fail(where, 'props', undefined, `are missing: ${s.name} needs ${s.required!.join(', ')}`, `pass the ${s.name} object as the third argument`);
  }
  if (value === undefined || s.type === 'any') {
    return;
  }
  const name = prop || 'props';
  switch (s.type) {
    case 'string':
    case 'boolean':
      if (typeof value !== s.type) {
        fail(where, name, value, `is not a ${s.type}`, `write a ${s.type}${s.type === 'boolean' ? ' (true or false)' : ''}`);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(where, name, value, 'is not a finite number', 'write a number');
      }
      return;
    case 'false':
      if (value !== false) {
        fail(where, name, value, 'is not false', 'write false');
      }
      return;
    case 'null':
      if (value !== null) {
        fail(where, name, value, 'is not null', 'write null');
      }
      return;
    case 'enum':
      if (!Object.values(s.values).includes(value as string)) {
        // JavaScript callers write the value itself: name it beside each member.
        fail(where, name, value, `is not a member of ${s.name}`, `use ${Object.entries(s.values).map(([k, v]) => `${s.name}.${k} ('${v}')`).join(', ')}`);
      }
      return;
    case 'instance':
      if (!(value instanceof s.of)) {
        fail(where, name, value, `is not ${article(s.name)}`, s.fix);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) {
        fail(where, name, value, 'is not a list', 'give an array');
      }
      value.forEach((item, i) => checkShape(where, `${prop}[${i}]`, item, s.item));
      return;
    case 'record':
      checkPlainObject(where, name, value, 'a map');
      for (const [key, item] of Object.entries(value as object)) {
        s.key?.(where, `${prop}["${key}"]`, key);
        checkShape(where, `${prop}["${key}"]`, item, s.value);
      }
      return;
    case 'object':
      checkObject(where, prop, value, s);
      return;
    case 'oneOf':
      checkOneOf(where, prop, value, s.options);
      return;
    case 'format':
      checkShape(where, prop, value, s.base);
      s.check(where, name, value);
      return;
  }
}

function checkPlainObject(where: Where, prop: string, value: unknown, what: string): void {
  if (!isPlainObject(value)) {
    fail(where, prop, value, `is not ${what}`, `give ${what} written as an object literal, { ... }`);
  }
}

/** Plain: its prototype is an Object.prototype (of any realm: vm contexts, structuredClone) or null. */
function isPlainObject(value: unknown): boolean {
  const proto = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.getPrototypeOf(value) : undefined;
  return proto !== undefined && (proto === null || Object.getPrototypeOf(proto) === null);
}

function checkObject(where: Where, prop: string, value: unknown, s: Extract<Shape, { type: 'object' }>): void {
  checkPlainObject(where, prop || 'props', value, `the ${s.name} object`);
  const record = value as Record<string, unknown>;
  const at = (key: string) => (prop ? `${prop}.${key}` : key);
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(s.fields, key)) {
      const renamed = s.renamed && Object.hasOwn(s.renamed, key) ? s.renamed[key] : undefined;
      const near = renamed ?? nearest(key, Object.keys(s.fields));
      fail(where, at(key), record[key], `is not a prop of ${s.name}`,
        near !== undefined ? `did you mean '${prop ? `${prop}.` : ''}${near}'?` : `the props are ${Object.keys(s.fields).join(', ')}`);
    }
  }
  for (const key of s.required ?? []) {
    if (record[key] === undefined) {
      fail(where, at(key), undefined, 'is required', `give ${s.name}'s ${key}`);
    }
  }
  for (const [key, field] of Object.entries(s.fields)) {
    checkShape(where, at(key), record[key], field);
  }
}

function checkOneOf(where: Where, prop: string, value: unknown, options: readonly Shape[]): void {
  // The usual case first, without building an error per option: the options before the first
  // one the value's kind fits fail at their first test, so if that one passes, the value does.
  const fitting = options.find(option => fitsAtTop(value, option));
  if (fitting !== undefined && passes(where, prop, value, fitting)) {
    return;
  }
  const errors: WebStackError[] = [];
  for (const option of options) {
    try {
      checkShape(where, prop, value, option);
      return;
    } catch (error) {
      if (!(error instanceof WebStackError)) {
        throw error;
      }
      errors.push(error);
    }
  }
  // The option the value came closest to (an error deeper inside it) says most.
  const deepest = errors.reduce((a, b) => (b.prop.length > a.prop.length ? b : a));
  if (deepest.prop !== (prop || 'props')) {
    throw deepest;
  }
  // A value of the right type for an option that fails its format: that option's message says why.
  if (fitting !== undefined) {
    throw errors[options.indexOf(fitting)];
  }
  fail(where, prop || 'props', value, `is none of: ${options.map(describe).join(', ')}`, `give ${options.map(describe).join(' or ')}`);
}

/**
 * Whether `value` gets past the first test of `s` (its type, kind of object or enum member),
 * which an option that fails without a deeper error fails at.
 */
function fitsAtTop(value: unknown, s: Shape): boolean {
  if (value === undefined) {
    return true;
  }
  switch (s.type) {
    case 'any': return true;
    case 'string':
    case 'boolean': return typeof value === s.type;
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'false': return value === false;
    case 'null': return value === null;
    case 'enum': return Object.values(s.values).includes(value as string);
    case 'instance': return value instanceof s.of;
    case 'array': return Array.isArray(value);
    case 'record':
    case 'object': return isPlainObject(value);
    case 'oneOf': return s.options.some(o => fitsAtTop(value, o));
    case 'format': return fitsAtTop(value, s.base);
  }
}

function passes(where: Where, prop: string, value: unknown, s: Shape): boolean {
  try {
    checkShape(where, prop, value, s);
    return true;
  } catch (error) {
    if (error instanceof WebStackError) {
      return false;
    }
    throw error;
  }
}

function describe(s: Shape): string {
  switch (s.type) {
    case 'false': return 'false';
    case 'null': return 'null';
    case 'object': return `the ${s.name} object`;
    case 'instance': return article(s.name);
    case 'enum': return article(s.name);
    case 'array': return 'a list';
    case 'record': return 'a map';
    case 'oneOf': return s.options.map(describe).join(' or ');
    case 'format': return describe(s.base);
    default: return `a ${s.type}`;
  }
}

/** The known name closest to a misspelt one (same letters in another case, or two edits away). */
function nearest(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find(k => k.toLowerCase() === lower);
  if (exact !== undefined) {
    return exact;
  }
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= Math.max(2, Math.floor(name.length / 4)) && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

function article(name: string): string {
  return `${/^[aeiouAEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

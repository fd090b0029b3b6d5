import {
  ApiObject, ApiObjectMetadataDefinition, ApiObjectProps, App, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver,
} from 'cdk8s';
import { Construct } from 'constructs';
import { applyUnsafeStrings } from './_apply-safe';
import { unknownFields } from './_fields';
import { OWN_MANIFESTS } from './_manifest';

/**
 * An ApiObject whose escape-hatch patches fail loudly: a patch that would replace, remove,
 * move, copy or test a field the object does not have, add under a parent that does not exist,
 * or change the object's identity is an error at synth that names the object and the path,
 * never a silent no-op or a half-applied change.
 *
 * It renders what cdk8s's `ApiObject.toJson()` renders, without cdk8s's resolver where nothing
 * needs resolving: an object whose fields are plain JSON (what every renderer of this library
 * writes) under an app with cdk8s's default resolvers is sanitized once, at construction (keys
 * sorted, null and undefined left out, as cdk8s does), and each rendering only adds the
 * metadata, which may still change. Anything else (a `Lazy`, a class instance, an app's own
 * resolvers) takes cdk8s's path. Tests hold both paths equal on every object of the examples.
 */
export class StrictApiObject extends ApiObject {
  private readonly strictPatches: JsonPatch[] = [];
  /** The fields besides apiVersion, kind and metadata as cdk8s would render them; undefined when cdk8s must. */
  private readonly plainBody?: Record<string, unknown>;

  public constructor(scope: Construct, id: string, props: ApiObjectProps) {
    const body = hasDefaultResolvers(scope) && !process.env.CDK8S_DISABLE_SORT ? plainFields(props) : undefined;
    super(scope, id, body === undefined ? hideKeys(props)
      : { apiVersion: props.apiVersion, kind: props.kind, metadata: hasConstructorKey(props.metadata) ? hideKeys(props.metadata) : props.metadata });
    this.plainBody = body;
    // At synth, after any escape-hatch patches: every string must survive kubectl's server-side apply.
    this.node.addValidation({ validate: () => applyUnsafeStrings(this._renderShared(), `${this.kind} "${this.name}"`) });
  }

  public override addJsonPatch(...ops: JsonPatch[]): void {
    this.strictPatches.push(...ops);
  }

  /** The rendered object, patched; a new object at each call, as cdk8s's. */
  public override toJson(): any {
    return this.render(true);
  }

  /**
   * @internal The rendered object for the library's own readers (its validations and its
   * writer), which do not change it: it may share its fields with the next rendering.
   */
  public _renderShared(): any {
    if (session === undefined) {
      return this.render(false);
    }
    let doc = session.get(this);
    if (doc === undefined) {
      doc = this.render(false);
      session.set(this, doc);
    }
    return doc;
  }

  /** @internal What cdk8s's own `ApiObject.toJson()` renders, patched: for tests that compare the two paths. */
  public _renderThroughCdk8s(): any {
    return this.patched(this.throughCdk8s());
  }

  private render(fresh: boolean): any {
    const body = this.plainBody;
    if (body === undefined) {
      return this.patched(this.throughCdk8s());
    }
    const copy = fresh || this.strictPatches.length > 0;
    const doc: Record<string, unknown> = {};
    if (this.apiVersion !== undefined && this.apiVersion !== null) {
      doc.apiVersion = this.apiVersion;
    }
    if (this.kind !== undefined && this.kind !== null) {
      doc.kind = this.kind;
    }
    const metadata = plainMetadata(this.metadata, !copy) ?? showKeys(this.metadata.toJson());
    if (metadata !== undefined) {
      doc.metadata = metadata;
    }
    for (const key in body) {
      doc[key] = copy ? deepCopy(body[key]) : body[key];
    }
    return this.patched(doc);
  }

  private throughCdk8s(): any {
    if (this.plainBody === undefined) {
      return showKeys(super.toJson());
    }
    // cdk8s holds only the identity and metadata: render those, then the fields as cdk8s would.
    const doc = showKeys(super.toJson());
    for (const key in this.plainBody) {
      doc[key] = deepCopy(this.plainBody[key]);
    }
    return doc;
  }

  private patched(rendered: any): any {
    if (this.strictPatches.length === 0) {
      return rendered;
    }
    let doc = rendered;
    const before = identity(doc);
    for (const patch of this.strictPatches) {
      const op = patch._toJson() as { op: string; path: string; from?: string };
      const problem = patchProblem(doc, op);
      if (problem) {
        throw new Error(`${this.node.path}: JSON patch '${op.op} ${op.path}' on ${this.kind} "${this.name}" ${problem}`);
      }
      doc = JsonPatch.apply(doc, patch);
    }
    // A patch that adds fields: every field of the result must be one the kind's schema has.
    if (this.strictPatches.some(p => ['add', 'copy', 'move'].includes((p._toJson() as { op: string }).op))) {
      const unknown = unknownFields(doc);
      if (unknown.length > 0) {
        throw new Error(`${this.node.path}: JSON patches on ${this.kind} "${this.name}" leave ${unknown.map(u => `'${u}'`).join(', ')}, `
          + `which ${doc.apiVersion} ${this.kind} does not have, and the API server would refuse (or, without strict validation, drop); check the name against the Kubernetes API`);
      }
    }
    // Judge the result, not the operations: a patch of '/metadata' as a whole moves the object too.
    const after = identity(doc);
    if (after !== before) {
      throw new Error(`${this.node.path}: JSON patches on ${this.kind} "${this.name}" change its identity from ${before} to ${after}, `
        + 'which other objects refer to; set the name and namespace with the construct\'s props');
    }
    return doc;
  }
}

/** The renderings of one synth, while it runs. */
let session: WeakMap<StrictApiObject, any> | undefined;

/**
 * Runs `synth` (validate every construct, then write every object) rendering each object once:
 * the library's validations and its writer read the same rendering. Constructs do not change
 * during a synth, so it is the one each of them would make.
 */
export function renderingOnce<T>(synth: () => T): T {
  const outer = session;
  session = new WeakMap();
  try {
    return synth();
  } finally {
    session = outer;
  }
}

/** The library's reading of an object: shared with the next rendering when it can be. */
export function renderedJson(object: ApiObject): any {
  // Not `instanceof`: cdk8s's ApiObject answers it for every ApiObject, whatever the subclass.
  const strict = object as Partial<Pick<StrictApiObject, '_renderShared'>>;
  return typeof strict._renderShared === 'function' ? strict._renderShared() : object.toJson();
}

/** Whether the app resolves with cdk8s's default resolvers only, which leave plain JSON as it is. */
function hasDefaultResolvers(scope: Construct): boolean {
  const root = scope.node.root;
  if (!(root instanceof App)) {
    return false;
  }
  let known = DEFAULT_RESOLVERS.get(root);
  if (known === undefined) {
    const r = root.resolvers;
    known = r.length === 3 && r[0].constructor === LazyResolver && r[1].constructor === ImplicitTokenResolver
      && r[2].constructor === NumberStringUnionResolver;
    DEFAULT_RESOLVERS.set(root, known);
  }
  return known;
}
const DEFAULT_RESOLVERS = new WeakMap<App, boolean>();

/** A value that is not plain JSON: cdk8s's resolver must see it. */
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * The fields besides apiVersion, kind and metadata, as cdk8s's resolve and sanitize would
 * render them (keys sorted, null and undefined map values left out, null list items undefined),
 * or undefined when any value is not plain JSON.
 */
function plainFields(props: ApiObjectProps): Record<string, unknown> | undefined {
  const fields: Record<string, unknown> = {};
  // What manifestOf() made is the object's own: parts already as cdk8s would render them are taken as they are.
  const own = OWN_MANIFESTS.has(props);
  for (const key of Object.keys(props).sort()) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') {
      continue;
    }
    const value = sanitized(props[key], false, own);
    if (value === NOT_PLAIN) {
      return undefined;
    }
    if (value !== undefined) {
      fields[key] = value;
    }
  }
  return fields;
}

/**
 * cdk8s's `sanitizeValue` of a plain JSON value (with `filterEmpty`, as for metadata: empty maps
 * and lists left out), or NOT_PLAIN. Keys named `constructor` that travelled hidden come back.
 * With `adopt`, a map or list that sanitizing would leave as it is (see `isSanitized`) is
 * returned itself rather than copied: only for values nothing else will change.
 */
function sanitized(value: unknown, filterEmpty: boolean, adopt = false): unknown {
  if (value === null || value === undefined) {
    return undefined;
  }
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') {
    return value;
  }
  if (type !== 'object') {
    return NOT_PLAIN;
  }
  if (adopt && isSanitized(value, filterEmpty)) {
    return value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const list = value as unknown[];
    if (filterEmpty && list.length === 0) {
      return undefined;
    }
    const out = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const item = sanitized(list[i], filterEmpty, adopt);
      if (item === NOT_PLAIN) {
        return NOT_PLAIN;
      }
      out[i] = item;
    }
    return out;
  }
  if (proto !== Object.prototype) {
    return NOT_PLAIN;
  }
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  let hidden = false;
  for (const key of keys) {
    if (key === '__proto__' || key === 'constructor') {
      return NOT_PLAIN;
    }
    hidden ||= key === HIDDEN;
  }
  const names = hidden ? keys.map(k => (k === HIDDEN ? 'constructor' : k)) : keys;
  names.sort();
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const name of names) {
    const item = sanitized(map[name === 'constructor' && hidden ? HIDDEN : name], filterEmpty, adopt);
    if (item === NOT_PLAIN) {
      return NOT_PLAIN;
    }
    if (item !== undefined) {
      out[name] = item;
      empty = false;
    }
  }
  return filterEmpty && empty ? undefined : out;
}

/**
 * Whether `sanitized(value, filterEmpty)` would make a copy equal to `value`, key order included:
 * plain maps and lists all the way down, every map's keys sorted, none named `constructor` (or
 * hidden so), no null or undefined map values nor null list items, and with `filterEmpty` no
 * empty map or list. Allocates nothing.
 */
function isSanitized(value: unknown, filterEmpty: boolean): boolean {
  if (value === null) {
    return false;
  }
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') {
    return true;
  }
  if (type !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const list = value as unknown[];
    if (filterEmpty && list.length === 0) {
      return false;
    }
    for (let i = 0; i < list.length; i++) {
      if (!(i in list)) {
        return false;
      }
      const item = list[i];
      if (item !== undefined && !isSanitized(item, filterEmpty)) {
        return false;
      }
    }
    return true;
  }
  if (proto !== Object.prototype) {
    return false;
  }
  const map = value as Record<string, unknown>;
  let previous: string | undefined;
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key) || key === 'constructor' || key === '__proto__' || key === HIDDEN
      || (previous !== undefined && previous >= key)) {
      return false;
    }
    previous = key;
    const item = map[key];
    if (item === undefined || !isSanitized(item, filterEmpty)) {
      return false;
    }
  }
  return !(filterEmpty && previous === undefined);
}

/**
 * What cdk8s's `ApiObjectMetadataDefinition.toJson()` renders, read from its fields, or undefined
 * when they are not plain JSON or not where cdk8s 2.x keeps them (then cdk8s renders it). With
 * `share`, maps and lists that need no sanitizing are the metadata's own (for readers that
 * change nothing).
 */
function plainMetadata(metadata: ApiObjectMetadataDefinition, share = false): unknown {
  const m = metadata as unknown as MetadataFields;
  if (!(metadata instanceof ApiObjectMetadataDefinition) || !isObject(m._additionalAttributes) || !isObject(m.labels)
    || !isObject(m.annotations) || !Array.isArray(m.finalizers) || !Array.isArray(m.ownerReferences)) {
    return undefined;
  }
  if (!hasKeys(m._additionalAttributes)) {
    // The fields cdk8s renders, in its (sorted) order, each sanitized as its own.
    const out: Record<string, unknown> = {};
    let empty = true;
    for (const name of METADATA_FIELDS) {
      const item = sanitized(m[name], true, share);
      if (item === NOT_PLAIN) {
        return undefined;
      }
      if (item !== undefined) {
        out[name] = item;
        empty = false;
      }
    }
    return empty ? undefined : out;
  }
  const rendered = sanitized({
    ...m._additionalAttributes,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }, true);
  return rendered === NOT_PLAIN ? undefined : rendered;
}

/** The fields of ApiObjectMetadataDefinition that its `toJson()` renders, sorted. */
const METADATA_FIELDS = ['annotations', 'finalizers', 'labels', 'name', 'namespace', 'ownerReferences'] as const;

function hasKeys(map: object): boolean {
  for (const _ in map) {
    return true;
  }
  return false;
}

interface MetadataFields {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly labels: unknown;
  readonly annotations: unknown;
  readonly finalizers: unknown;
  readonly ownerReferences: unknown;
  readonly _additionalAttributes: unknown;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** A deep copy of sanitized JSON. */
function deepCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(deepCopy);
  }
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    out[key] = deepCopy((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** What other objects and the duplicate check know an object by. */
function identity(doc: any): string {
  const namespace = doc?.metadata?.namespace;
  return `${doc?.kind} ${namespace !== undefined ? `${namespace}/` : ''}${doc?.metadata?.name} (${doc?.apiVersion})`;
}

function patchProblem(doc: any, op: { op: string; path: string; from?: string }): string | undefined {
  const needsTarget = ['replace', 'remove', 'test'].includes(op.op);
  if (needsTarget && !exists(doc, op.path)) {
    return 'targets a field the rendered object does not have; use JsonPatch.add to create a field, and check its name against the Kubernetes API';
  }
  if ((op.op === 'move' || op.op === 'copy') && (!op.from || !exists(doc, op.from))) {
    return `copies or moves from '${op.from}', which the rendered object does not have`;
  }
  if (op.op === 'add' && !exists(doc, parentOf(op.path))) {
    return `adds under '${parentOf(op.path)}', which the rendered object does not have; add the parent first`;
  }
  return undefined;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function exists(doc: any, pointer: string): boolean {
  if (pointer === '') {
    return true;
  }
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') {
      return false;
    }
    if (Array.isArray(node)) {
      if (key === '-' || !/^\d+$/.test(key) || Number(key) >= node.length) {
        return false;
      }
    } else if (!Object.prototype.hasOwnProperty.call(node, key)) {
      return false;
    }
    node = node[key];
  }
  return true;
}

/**
 * cdk8s's resolver takes a map with its own `constructor` key (a label or annotation named
 * `constructor`, which Kubernetes allows) for a class instance: it refuses to render it, or
 * replaces it with its `value` entry. Such keys travel through cdk8s under another name.
 */
const HIDDEN = '\u0000constructor';

/** Whether a map in `value` has a key named `constructor` (which then must travel hidden); cdk8s copies the metadata it keeps. */
function hasConstructorKey(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasConstructorKey);
  }
  if (value === null || typeof value !== 'object' || !isPlainMap(value)) {
    return false;
  }
  for (const key in value) {
    if (key === 'constructor' || hasConstructorKey((value as Record<string, unknown>)[key])) {
      return true;
    }
  }
  return false;
}

function hideKeys<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(hideKeys) as T;
  }
  if (value === null || typeof value !== 'object' || !isPlainMap(value)) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === 'constructor' ? HIDDEN : k, hideKeys(v)])) as T;
}

function showKeys(value: any): any {
  if (Array.isArray(value)) {
    return value.map(showKeys);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value).map(([k, v]) => [k === HIDDEN ? 'constructor' : k, showKeys(v)] as [string, unknown]);
  // cdk8s sorted the keys under the hidden name: sort again where one was shown.
  if (Object.prototype.hasOwnProperty.call(value, HIDDEN)) {
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return Object.fromEntries(entries);
}

/** A map written as a literal (or from JSON), as opposed to a class instance such as `Lazy`. */
function isPlainMap(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

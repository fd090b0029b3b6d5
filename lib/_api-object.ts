import { ApiObject, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { unknownFields } from './_fields';

/**
 * An ApiObject whose escape-hatch patches fail loudly: a patch that would replace, remove,
 * move, copy or test a field the object does not have, add under a parent that does not exist,
 * or change the object's identity is an error at synth that names the object and the path,
 * never a silent no-op or a half-applied change.
 */
export class StrictApiObject extends ApiObject {
  private readonly strictPatches: JsonPatch[] = [];

  public constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, hideKeys(props));
  }

  public override addJsonPatch(...ops: JsonPatch[]): void {
    this.strictPatches.push(...ops);
  }

  public override toJson(): any {
    let doc = showKeys(super.toJson());
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

import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { checkShape, shape } from './_shape';
import { checkDns1123Label, checkDns1123Subdomain, checkEnum } from './_validate';

/** The kinds kubectl takes as an ApplySet parent without a custom resource definition. */
export enum ApplySetParentKind {
  /** A Secret: kubectl's default (`--applyset=NAME`). */
  SECRET = 'Secret',
  /** A ConfigMap (`--applyset=configmaps/NAME`). */
  CONFIG_MAP = 'ConfigMap',
}

/** Options of the ApplySet (KEP-3659) a program's output folder is applied and pruned as. */
export interface ApplySetOptions {
  /**
   * Name of the parent object. It names the set on the cluster: two programs that share a
   * parent prune each other's objects, so give each repository its own.
   */
  readonly name: string;
  /**
   * Namespace of the parent object. It must exist before the first apply (kubectl writes the
   * parent before any object of the set).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Kind of the parent object.
   * @default ApplySetParentKind.SECRET
   */
  readonly parentKind?: ApplySetParentKind;
}

const APPLY_SET_SHAPE = shape.object<ApplySetOptions>('ApplySetOptions', {
  name: shape.string,
  namespace: shape.string,
  parentKind: shape.enum(ApplySetParentKind, 'ApplySetParentKind'),
}, { required: ['name'] });

/**
 * The ApplySet of an output folder: the parent object kubectl records the set in, and the id
 * kubectl labels every member with.
 *
 * kubectl writes both itself, at apply time: it creates or updates the parent (a Secret or
 * ConfigMap) with the `applyset.kubernetes.io/id` label and the tooling, contains-group-kinds
 * and additional-namespaces annotations, and adds `applyset.kubernetes.io/part-of: <id>` to
 * every object it applies. It refuses input that carries that label already ("ApplySet label
 * ... already set in input data"), so the manifests leave it out, and this class says what
 * kubectl will write.
 */
export class ApplySet {
  /** Reads and checks the `applySet` prop of `scope`. */
  public static of(scope: IConstruct, options: ApplySetOptions): ApplySet {
    checkShape(scope, 'applySet', options, APPLY_SET_SHAPE);
    if (options === null || typeof options !== 'object') {
      checkShape(scope, 'applySet', options, shape.oneOf(APPLY_SET_SHAPE, shape.false));
    }
    const name = checkDns1123Subdomain(scope, 'applySet.name', options.name);
    const namespace = checkDns1123Label(scope, 'applySet.namespace', options.namespace ?? 'default');
    const kind = checkEnum(scope, 'applySet.parentKind', options.parentKind ?? ApplySetParentKind.SECRET, ApplySetParentKind, 'ApplySetParentKind');
    return new ApplySet(name, namespace, kind);
  }

  /** `applyset-<hash>-v1`: the value of every member's `applyset.kubernetes.io/part-of` label. */
  public readonly id: string;
  /** The parent as kubectl's `--applyset` flag takes it, e.g. `secrets/web-platform`. */
  public readonly parentRef: string;

  private constructor(
    /** The parent object's name. */
    public readonly name: string,
    /** The parent object's namespace: kubectl's `--namespace` on apply. */
    public readonly namespace: string,
    /** The parent object's kind. */
    public readonly parentKind: ApplySetParentKind,
  ) {
    this.id = applySetId({ name, namespace, kind: parentKind, group: '' });
    this.parentRef = `${parentKind === ApplySetParentKind.SECRET ? 'secrets' : 'configmaps'}/${name}`;
  }
}

/** The label kubectl puts on every member of a set. */
export const APPLY_SET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';

/**
 * The id of the ApplySet whose parent is the given object, as kubectl computes it:
 * `applyset-` + base64url (no padding) of the SHA-256 of `<name>.<namespace>.<kind>.<group>` + `-v1`.
 */
export function applySetId(parent: { name: string; namespace: string; kind: string; group: string }): string {
  const hash = createHash('sha256').update([parent.name, parent.namespace, parent.kind, parent.group].join('.')).digest('base64url');
  return `applyset-${hash}-v1`;
}

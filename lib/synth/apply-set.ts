import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { checkShape, shape } from '../core/_shape';

/** The API group of the ApplySet parent type the library defines. */
export const APPLY_SET_GROUP = 'cdk8s-webstack.io';

/** Options of the ApplySet (KEP-3659) a program's output folder is applied and pruned as. */
export interface ApplySetOptions {
  /**
   * Name of the parent object. It names the set on the cluster: two programs that share a
   * parent prune each other's objects, so give each repository its own.
   */
  readonly name: string;
}

const APPLY_SET_SHAPE = shape.object<ApplySetOptions>('ApplySetOptions', {
  name: shape.subdomain,
}, { required: ['name'] });

/**
 * The ApplySet of an output folder: the parent object kubectl records the set in, and the id
 * kubectl labels every member with. What kubectl requires (`kubectl apply --prune --applyset`,
 * pkg/cmd/apply/applyset.go):
 *
 * - A Secret or ConfigMap parent is namespaced, needs `--namespace`, and kubectl then refuses
 *   every object outside that namespace. A program's apps live in many namespaces, so the
 *   parent is a cluster-scoped custom resource (`ApplySet.cdk8s-webstack.io`), whose
 *   CustomResourceDefinition carries `applyset.kubernetes.io/is-parent-type`.
 * - kubectl creates Secret and ConfigMap parents itself, but expects a custom resource parent
 *   in place, with the `applyset.kubernetes.io/id` label, a `kubectl/...` tooling annotation
 *   and an annotation listing its kinds (contains-group-kinds from kubectl 1.29,
 *   contains-group-resources before; both start empty); from then on kubectl rewrites the annotations
 *   (contains-group-kinds, additional-namespaces) at every apply. So the parent is created
 *   once, never applied again.
 * - kubectl adds `applyset.kubernetes.io/part-of: <id>` to every object it applies, and
 *   refuses input that carries that label already ("ApplySet label ... already set in input
 *   data"): the manifests leave it out.
 */
export class ApplySet {
  /** Reads and checks the `applySet` prop of `scope`. */
  public static of(scope: IConstruct, options: ApplySetOptions): ApplySet {
    if (options === null || typeof options !== 'object') {
      checkShape(scope, 'applySet', options, shape.oneOf(APPLY_SET_SHAPE, shape.false));
    }
    checkShape(scope, 'applySet', options, APPLY_SET_SHAPE);
    return new ApplySet(options.name);
  }

  /** `applyset-<hash>-v1`: the value of every member's `applyset.kubernetes.io/part-of` label. */
  public readonly id: string;
  /** The parent as kubectl's `--applyset` flag takes it: `applysets.cdk8s-webstack.io/<name>`. */
  public readonly parentRef: string;

  private constructor(
    /** The parent object's name. */
    public readonly name: string,
  ) {
    this.id = applySetId({ name, namespace: '', kind: 'ApplySet', group: APPLY_SET_GROUP });
    this.parentRef = `applysets.${APPLY_SET_GROUP}/${name}`;
  }

  /** The CustomResourceDefinition of the parent type, marked as one kubectl may use. */
  public definition(): object {
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { labels: { 'applyset.kubernetes.io/is-parent-type': 'true' }, name: `applysets.${APPLY_SET_GROUP}` },
      spec: {
        group: APPLY_SET_GROUP,
        names: { kind: 'ApplySet', listKind: 'ApplySetList', plural: 'applysets', singular: 'applyset' },
        scope: 'Cluster',
        versions: [{
          name: 'v1',
          schema: { openAPIV3Schema: { description: 'The parent of an ApplySet (KEP-3659): kubectl records the set\'s kinds and namespaces in its annotations.', type: 'object' } },
          served: true,
          storage: true,
        }],
      },
    };
  }

  /** The parent object as kubectl expects to find it before the first apply. */
  public parent(): object {
    return {
      apiVersion: `${APPLY_SET_GROUP}/v1`,
      kind: 'ApplySet',
      metadata: {
        // kubectl 1.29 and later read contains-group-kinds; 1.27 and 1.28 read contains-group-resources.
        annotations: {
          'applyset.kubernetes.io/contains-group-kinds': '',
          'applyset.kubernetes.io/contains-group-resources': '',
          'applyset.kubernetes.io/tooling': 'kubectl/v1',
        },
        labels: { 'applyset.kubernetes.io/id': this.id },
        name: this.name,
      },
    };
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

import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

const guarded = new WeakSet<IConstruct>();

/** Kinds without a namespace, by `group/kind` (`core` for the core group, as cdk8s names it). */
const CLUSTER_SCOPED = new Set([
  'core/Namespace', 'core/Node', 'core/PersistentVolume', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'networking.k8s.io/IngressClass', 'storage.k8s.io/StorageClass', 'scheduling.k8s.io/PriorityClass', 'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'gateway.networking.k8s.io/GatewayClass',
]);

/**
 * Makes synth fail when two API objects of the app share group, kind, namespace and name:
 * `kubectl apply` would silently let the last one win.
 *
 * The check is added once to the root of `scope`'s tree, so it runs once per synth however
 * many stacks the app holds.
 */
export function ensureUniqueObjects(scope: IConstruct): void {
  const root = scope.node.root;
  if (guarded.has(root)) {
    return;
  }
  guarded.add(root);
  root.node.addValidation({ validate: () => findDuplicateObjects(root) });
}

/**
 * One message per pair of constructs whose API objects clash in group, kind, namespace and
 * name, listing every clashing object.
 */
export function findDuplicateObjects(root: IConstruct): string[] {
  const seen = new Map<string, ApiObject>();
  const clashes = new Map<string, string[]>();
  for (const node of root.node.findAll()) {
    if (!(node instanceof ApiObject)) {
      continue;
    }
    // A cluster-scoped object has no namespace, whatever its chart says.
    const namespace = CLUSTER_SCOPED.has(`${node.apiGroup}/${node.kind}`) ? '' : node.metadata.namespace ?? Chart.of(node).namespace ?? '';
    const key = `${node.apiGroup}/${node.kind}/${namespace}/${node.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, node);
      continue;
    }
    const pair = `${owner(first)} and ${owner(node)}`;
    const what = `${node.kind} "${node.name}"${namespace ? ` in namespace "${namespace}"` : ''}`;
    clashes.set(pair, [...(clashes.get(pair) ?? []), what]);
  }
  return [...clashes].map(([pair, objects]) => `duplicate objects: ${pair} both render ${objects.join(', ')}; `
    + 'the second would silently replace the first in the cluster: '
    + (objects.every(o => o.startsWith('Namespace "'))
      ? 'if the apps are meant to share the namespace, set namespace.create: false on all but one of them (or give each a namespace of its own)'
      : 'give one of them another name or namespace'));
}

/** The path of the top construct in the chart that made `object` (the WebApp, not its `Deployment`). */
function owner(object: ApiObject): string {
  let top: IConstruct = object;
  while (top.node.scope && !(top.node.scope instanceof Chart)) {
    top = top.node.scope;
  }
  return top.node.path;
}

import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

const guarded = new WeakSet<IConstruct>();

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

/** One message per clash of group, kind, namespace and name among the API objects under `root`. */
export function findDuplicateObjects(root: IConstruct): string[] {
  const seen = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const node of root.node.findAll()) {
    if (!(node instanceof ApiObject)) {
      continue;
    }
    const namespace = node.metadata.namespace ?? Chart.of(node).namespace ?? '';
    const key = `${node.apiGroup}/${node.kind}/${namespace}/${node.name}`;
    const first = seen.get(key);
    if (first) {
      const where = namespace ? ` in namespace "${namespace}"` : '';
      errors.push(`${first.node.path} and ${node.node.path} both render ${node.kind} "${node.name}"${where}; `
        + 'the second would silently replace the first in the cluster: give one of them another name or namespace');
    } else {
      seen.set(key, node);
    }
  }
  return errors;
}

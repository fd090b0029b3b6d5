import { Construct } from 'constructs';
import { propError } from '../core/errors';
import type { EntryPoint } from '../entry-points/entry-point';

/** Namespaces the cluster or the platform owns, and why an app may not take them. */
const SYSTEM_NAMESPACES: Record<string, string> = {
  'default': 'the cluster\'s default namespace, shared by everything that names none',
  'kube-system': 'the namespace of the cluster\'s own components',
  'kube-public': 'the namespace whose contents every client may read',
  'kube-node-lease': 'the namespace of the nodes\' heartbeats',
};

/**
 * Fails when `namespace` belongs to the cluster or to the entry point: the app would label it
 * Pod Security restricted (breaking what runs there) and share its NetworkPolicies and quotas.
 */
export function checkOwnNamespace(scope: Construct, namespace: string, entryPoint: EntryPoint): void {
  const owners = [entryPoint.namespace, entryPoint.dataPlane?.namespace].filter(n => n !== undefined);
  const reason = Object.hasOwn(SYSTEM_NAMESPACES, namespace) ? SYSTEM_NAMESPACES[namespace]
    : owners.includes(namespace) ? `the namespace of ${entryPoint.description} or its data plane` : undefined;
  if (reason !== undefined) {
    throw propError(scope, 'namespace.name', namespace, `is ${reason}; an app there would relabel it and share its policies`,
      'give the app a namespace of its own (the default is the app\'s name)');
  }
}

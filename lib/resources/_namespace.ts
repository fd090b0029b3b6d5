import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

export interface NamespaceSpec {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Add the Pod Security Standards `restricted` labels (enforce, warn, audit). */
  readonly podSecurityRestricted: boolean;
}

/** The app's own Namespace. */
export function renderNamespace(scope: Construct, spec: NamespaceSpec): ApiObject {
  const podSecurity = spec.podSecurityRestricted
    ? Object.fromEntries(['enforce', 'warn', 'audit'].flatMap(mode => [
      [`pod-security.kubernetes.io/${mode}`, 'restricted'],
      [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
    ]))
    : {};
  return new StrictApiObject(scope, 'Namespace', manifestOf(KINDS.KubeNamespace, {
    metadata: { name: spec.name, labels: { ...spec.labels, ...podSecurity } },
  }));
}

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface NamespaceSpec {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Add the Pod Security Standards `restricted` labels (enforce, warn, audit). */
  readonly podSecurityRestricted: boolean;
}

/** The app's own Namespace. */
export function renderNamespace(scope: Construct, spec: NamespaceSpec): k8s.KubeNamespace {
  const podSecurity = spec.podSecurityRestricted
    ? Object.fromEntries(['enforce', 'warn', 'audit'].flatMap(mode => [
      [`pod-security.kubernetes.io/${mode}`, 'restricted'],
      [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
    ]))
    : {};
  return new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: { name: spec.name, labels: { ...spec.labels, ...podSecurity } },
  });
}

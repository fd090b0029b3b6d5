import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

/** One rule of a Role or ClusterRole, as the API writes it. */
export interface RuleSpec {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}

export interface RbacSpec {
  /** Of the Role and RoleBinding in the app's namespace. */
  readonly name: string;
  /** Of the ClusterRole and ClusterRoleBinding: unique in the cluster. */
  readonly clusterName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** The ServiceAccount bound. */
  readonly serviceAccount: string;
  readonly rules: RuleSpec[];
  readonly clusterRules: RuleSpec[];
}

/** A Role (and ClusterRole) with these rules, bound to the app's ServiceAccount alone. */
export function renderRbac(scope: Construct, spec: RbacSpec): ApiObject[] {
  const subjects = [{ kind: 'ServiceAccount', name: spec.serviceAccount, namespace: spec.namespace }];
  const annotations = Object.keys(spec.annotations).length > 0 ? { annotations: spec.annotations } : {};
  const objects: ApiObject[] = [];
  if (spec.rules.length > 0) {
    const metadata = { name: spec.name, namespace: spec.namespace, labels: spec.labels };
    objects.push(
      new StrictApiObject(scope, 'Role', manifestOf(KINDS.KubeRole, { metadata: { ...metadata, ...annotations }, rules: spec.rules })),
      new StrictApiObject(scope, 'RoleBinding', manifestOf(KINDS.KubeRoleBinding, {
        metadata, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: spec.name },
      })),
    );
  }
  if (spec.clusterRules.length > 0) {
    const metadata = { name: spec.clusterName, labels: spec.labels };
    objects.push(
      new StrictApiObject(scope, 'ClusterRole', manifestOf(KINDS.KubeClusterRole, { metadata: { ...metadata, ...annotations }, rules: spec.clusterRules })),
      new StrictApiObject(scope, 'ClusterRoleBinding', manifestOf(KINDS.KubeClusterRoleBinding, {
        metadata, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: spec.clusterName },
      })),
    );
  }
  return objects;
}

/** What the app's ServiceAccount may do in one API group: a rule of its Role or ClusterRole. */
export interface PolicyRule {
  /** The API groups, `''` for the core group (Pods, ConfigMaps, Secrets). */
  readonly apiGroups: string[];
  /** The resources, by plural name (`configmaps`, `leases`, `pods/log`). */
  readonly resources: string[];
  /** The verbs: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`. */
  readonly verbs: string[];
  /**
   * Only these objects, by name (not with `list`, `watch`, `create` or `deletecollection`, which
   * name no object).
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/** RBAC for the app's ServiceAccount: `ServiceAccountOptions.rbac`. */
export interface RbacOptions {
  /**
   * Rules in the app's namespace: a Role and a RoleBinding named after the app.
   * @default - none
   */
  readonly rules?: PolicyRule[];
  /**
   * Rules across the cluster: a ClusterRole and a ClusterRoleBinding named `<namespace>-<app>`.
   * @default - none
   */
  readonly clusterRules?: PolicyRule[];
  /**
   * Why a rule may grant every verb on every resource (`*` on `*`), which is refused without
   * one; written into the role's policy-exception annotation.
   * @default - refused
   */
  readonly wildcardReason?: string;
}

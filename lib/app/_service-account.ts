import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { errorAt, propError, Where } from '../core/errors';
import { isDnsSubdomain } from '../core/_validate';
import { REASON_ANNOTATION } from '../k8s/_policy';
import { RuleSpec } from '../resources/_rbac';
import { PolicyRule, RbacOptions } from './rbac';
import { shape } from '../core/_shape';
import { ServiceAccountOptions, WorkloadIdentity } from './service-account';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate', 'bind', 'escalate', 'use', 'approve', 'sign', '*'];
/** Verbs that name no object, so resourceNames cannot narrow them. */
const UNNAMED_VERBS = ['list', 'watch', 'create', 'deletecollection'];

const RULE = shape.format(shape.object<PolicyRule>('PolicyRule', {
  apiGroups: shape.array(shape.format(shape.string, (w, p, g: string) => {
    if (g !== '' && g !== '*' && !isDnsSubdomain(g)) {
      throw errorAt(w, p, g, 'is not an API group', 'write \'\' for the core group, or a group such as \'apps\' or \'coordination.k8s.io\'');
    }
  })),
  resources: shape.array(shape.format(shape.string, (w, p, r: string) => {
    if (r !== '*' && !/^[a-z][a-z0-9]*(\/[a-z][a-z0-9]*)?$/.test(r)) {
      throw errorAt(w, p, r, 'is not a resource name', 'write its plural, lower case, with an optional subresource: \'configmaps\', \'pods/log\'');
    }
  })),
  verbs: shape.array(shape.format(shape.string, (w, p, v: string) => {
    if (!VERBS.includes(v)) {
      throw errorAt(w, p, v, 'is not a Kubernetes API verb', `use ${VERBS.join(', ')}`);
    }
  })),
  resourceNames: shape.array(shape.subdomain),
}, { required: ['apiGroups', 'resources', 'verbs'] }), checkRule);

/** A rule grants something, and names objects only for verbs that act on one. */
function checkRule(where: Where, prop: string, rule: PolicyRule): void {
  for (const key of ['apiGroups', 'resources', 'verbs'] as const) {
    if (rule[key].length === 0) {
      throw errorAt(where, `${prop}.${key}`, rule[key], 'is empty, so the rule grants nothing', 'name at least one, or drop the rule');
    }
  }
  const unnamed = (rule.resourceNames ?? []).length > 0 ? rule.verbs.find(v => UNNAMED_VERBS.includes(v)) : undefined;
  if (unnamed !== undefined) {
    throw errorAt(where, `${prop}.resourceNames`, rule.resourceNames, `cannot narrow '${unnamed}', which names no object, so the rule would grant it on every object`,
      `put '${unnamed}' in a rule of its own, without resourceNames`);
  }
}

/** The rules, and the reason for a rule that grants every verb on every resource, which needs one. */
function resolveRbac(scope: IConstruct, rbac: RbacOptions): NonNullable<ServiceAccountSpec['rbac']> {
  const copy = (rules: PolicyRule[] | undefined): RuleSpec[] => (rules ?? []).map(r => ({
    apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs],
    ...(r.resourceNames !== undefined ? { resourceNames: [...r.resourceNames] } : {}),
  }));
  const rules = copy(rbac.rules);
  const clusterRules = copy(rbac.clusterRules);
  const everything = [...rules.map((r, i) => [r, `serviceAccount.rbac.rules[${i}]`] as const), ...clusterRules.map((r, i) => [r, `serviceAccount.rbac.clusterRules[${i}]`] as const)]
    .find(([r]) => r.verbs.includes('*') && r.resources.includes('*'));
  if (everything !== undefined && !rbac.wildcardReason?.trim()) {
    throw propError(scope, everything[1], everything[0], 'grants every verb on every resource, which makes the app a cluster (or namespace) administrator',
      'name the verbs and resources the app uses, or give serviceAccount.rbac.wildcardReason to acknowledge it');
  }
  return { rules, clusterRules, annotations: everything !== undefined ? { [REASON_ANNOTATION]: `wildcard: ${rbac.wildcardReason!.trim()}` } : {} };
}

/** The run-time shape of `ServiceAccountOptions`. */
export const SERVICE_ACCOUNT_SHAPE = shape.object<ServiceAccountOptions>('ServiceAccountOptions', {
  name: shape.subdomain,
  create: shape.boolean,
  workloadIdentity: shape.instance(WorkloadIdentity, 'WorkloadIdentity', 'use WorkloadIdentity.eks(roleArn), .gke(serviceAccount) or .azure(clientId)'),
  mountToken: shape.boolean,
  rbac: shape.object<RbacOptions>('RbacOptions', {
    rules: shape.array(RULE), clusterRules: shape.array(RULE), wildcardReason: shape.string,
  }),
});

/** The app's ServiceAccount, validated: what the pod runs as and whether it is emitted. */
export interface ServiceAccountSpec {
  readonly name: string;
  readonly create: boolean;
  readonly annotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly mountToken: boolean;
  /** Its rules, validated, and the roles' annotations (a wildcard's reason). */
  readonly rbac?: { readonly rules: RuleSpec[]; readonly clusterRules: RuleSpec[]; readonly annotations: Record<string, string> };
}

/** Validates `serviceAccount`; `undefined` when the app runs as the namespace's default, without a token. */
export function resolveServiceAccount(scope: IConstruct, options: ServiceAccountOptions | undefined, app: { readonly name: string }): ServiceAccountSpec | undefined {
  if (options === undefined) {
    return undefined;
  }
  const identity = options.workloadIdentity;
  if (identity !== undefined && !identity.pattern.test(identity.value)) {
    throw propError(scope, 'serviceAccount.workloadIdentity', identity.value, `is not ${/^[AEIOU]/.test(identity.cloud) ? 'an' : 'a'} ${identity.cloud} ${identity.argument}`,
      `give the ${identity.argument} as ${identity.cloud} shows it`);
  }
  const create = options.create ?? true;
  if (!create && identity !== undefined) {
    throw propError(scope, 'serviceAccount.workloadIdentity', identity.value, 'is set, but the ServiceAccount is not emitted here',
      'annotate the existing ServiceAccount where it is managed, or let the app create its own');
  }
  return {
    name: options.name ?? app.name,
    create,
    annotations: { ...(identity?.annotations ?? {}) },
    podLabels: { ...(identity?.podLabels ?? {}) },
    mountToken: options.mountToken ?? false,
    ...(options.rbac !== undefined ? { rbac: resolveRbac(scope, options.rbac) } : {}),
  };
}

/** The ServiceAccount, with no token of its own mounted anywhere unless the pod asks. */
export function renderServiceAccount(scope: Construct, spec: ServiceAccountSpec, meta: { namespace: string; labels: Record<string, string> }): ApiObject {
  return new StrictApiObject(scope, 'ServiceAccount', manifestOf(KINDS.KubeServiceAccount, {
    metadata: {
      name: spec.name, namespace: meta.namespace, labels: meta.labels,
      ...(Object.keys(spec.annotations).length > 0 ? { annotations: spec.annotations } : {}),
    },
    automountServiceAccountToken: false,
  }));
}

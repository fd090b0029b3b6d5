import { PolicyRule, WorkloadIdentity } from '../lib';
import { docs, errorOf, kind, kinds, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const podSpec = (chart: any) => kind(chart, 'Deployment').spec.template.spec;

describe('serviceAccount', () => {
  test('none asked: the namespace\'s default, no token, and no ServiceAccount emitted', () => {
    const { chart, web } = webApp();
    expect(kinds(chart)).not.toContain('ServiceAccount');
    expect(podSpec(chart).serviceAccountName).toBeUndefined();
    expect(podSpec(chart).automountServiceAccountToken).toBe(false);
    expect(web.serviceAccount).toBeUndefined();
  });

  test('its own, named after the app, emitted before the Deployment, token not mounted', () => {
    const { chart } = webApp({ serviceAccount: {} });
    expect(kinds(chart).slice(0, 3)).toEqual(['Namespace', 'ServiceAccount', 'Deployment']);
    expect(kind(chart, 'ServiceAccount')).toMatchObject({ metadata: { name: 'shop', namespace: 'shop' }, automountServiceAccountToken: false });
    expect(podSpec(chart)).toMatchObject({ serviceAccountName: 'shop', automountServiceAccountToken: false });
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test.each([
    ['EKS', WorkloadIdentity.eks('arn:aws:iam::123456789012:role/shop'), { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop' }, {}],
    ['GKE', WorkloadIdentity.gke('shop-runner@my-project.iam.gserviceaccount.com'), { 'iam.gke.io/gcp-service-account': 'shop-runner@my-project.iam.gserviceaccount.com' }, {}],
    ['Azure', WorkloadIdentity.azure('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'), { 'azure.workload.identity/client-id': '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' },
      { 'azure.workload.identity/use': 'true' }],
  ])('%s workload identity', (_, workloadIdentity, annotations, podLabels) => {
    const { chart } = webApp({ serviceAccount: { workloadIdentity } });
    expect(kind(chart, 'ServiceAccount').metadata.annotations).toEqual(annotations);
    const deployment = kind(chart, 'Deployment');
    expect(deployment.spec.template.metadata.labels).toMatchObject(podLabels);
    expect(Object.keys(deployment.metadata.labels)).not.toContain('azure.workload.identity/use');
  });

  test('an existing one by name, and the token when asked', () => {
    const { chart } = webApp({ serviceAccount: { name: 'shop-runner', create: false, mountToken: true } });
    expect(kinds(chart)).not.toContain('ServiceAccount');
    expect(podSpec(chart)).toMatchObject({ serviceAccountName: 'shop-runner', automountServiceAccountToken: true });
  });

  test.each([
    ['an EKS role that is no ARN', { workloadIdentity: WorkloadIdentity.eks('shop-role') }, /'serviceAccount.workloadIdentity' \("shop-role"\) is not an EKS roleArn/],
    ['an identity on an existing ServiceAccount', { create: false, workloadIdentity: WorkloadIdentity.gke('shop-runner@p-12345.iam.gserviceaccount.com') },
      /'serviceAccount.workloadIdentity' .* is set, but the ServiceAccount is not emitted here/],
    ['a bad name', { name: 'Shop_Runner' }, /'serviceAccount.name' \("Shop_Runner"\) is not a valid object name/],
    ['a misspelt option', { mountTokens: true }, /'serviceAccount.mountTokens' \(true\) is not a prop of ServiceAccountOptions; did you mean 'serviceAccount.mountToken'\?/],
  ])('fails on %s', (_, serviceAccount, message) => {
    expect(errorOf(() => webApp({ serviceAccount: serviceAccount as any })).message).toMatch(message);
  });
});

describe('RBAC for the app\'s ServiceAccount', () => {
  const leases: PolicyRule = { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] };
  const nodes: PolicyRule = { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] };

  test('a Role and a ClusterRole, each bound to the app\'s ServiceAccount alone', () => {
    const { chart, web } = webApp({ serviceAccount: { rbac: { rules: [leases], clusterRules: [nodes] } } });
    const subjects = [{ kind: 'ServiceAccount', name: 'shop', namespace: 'shop' }];
    expect(kind(chart, 'Role')).toMatchObject({ metadata: { name: 'shop', namespace: 'shop' }, rules: [leases] });
    expect(kind(chart, 'RoleBinding')).toMatchObject({ metadata: { name: 'shop', namespace: 'shop' }, subjects, roleRef: { kind: 'Role', name: 'shop' } });
    expect(kind(chart, 'ClusterRole')).toMatchObject({ metadata: { name: 'shop-shop' }, rules: [nodes] });
    expect(kind(chart, 'ClusterRole').metadata.namespace).toBeUndefined();
    expect(kind(chart, 'ClusterRoleBinding')).toMatchObject({ subjects, roleRef: { kind: 'ClusterRole', name: 'shop-shop' } });
    expect(web.roles.map(r => r.kind)).toEqual(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('an existing ServiceAccount is bound by its name; no rules, no roles', () => {
    const { chart } = webApp({ serviceAccount: { create: false, name: 'runner', rbac: { rules: [leases] } } });
    expect(kind(chart, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'runner', namespace: 'shop' }]);
    expect(docs(webApp({ serviceAccount: {} }).chart).filter(d => /Role/.test(d.kind))).toEqual([]);
  });

  test('every verb on every resource needs a reason, written into the role', () => {
    const all: PolicyRule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    const error = errorOf(() => webApp({ serviceAccount: { rbac: { clusterRules: [all] } } }));
    expect(error.prop).toBe('serviceAccount.rbac.clusterRules[0]');
    expect(error.message).toMatch(/grants every verb on every resource.*; name the verbs and resources the app uses, or give serviceAccount\.rbac\.wildcardReason/);
    const { chart } = webApp({ serviceAccount: { rbac: { clusterRules: [all], wildcardReason: 'the operator manages every kind' } } });
    expect(kind(chart, 'ClusterRole').metadata.annotations['cdk8s-webstack/policy-exceptions']).toBe('wildcard: the operator manages every kind');
  });

  test.each<[string, Partial<PolicyRule>, string, RegExp]>([
    ['an unknown verb', { verbs: ['read'] }, 'rules[0].verbs[0]', /is not a Kubernetes API verb/],
    ['a resource in capitals', { resources: ['ConfigMaps'] }, 'rules[0].resources[0]', /is not a resource name/],
    ['a group that is no name', { apiGroups: ['Apps!'] }, 'rules[0].apiGroups[0]', /is not an API group/],
    ['no verbs', { verbs: [] }, 'rules[0].verbs', /is empty, so the rule grants nothing/],
    ['resourceNames with list', { verbs: ['get', 'list'], resourceNames: ['a'] }, 'rules[0].resourceNames', /cannot narrow 'list', which names no object/],
  ])('refuses %s', (_, change, prop, message) => {
    const error = errorOf(() => webApp({ serviceAccount: { rbac: { rules: [{ ...leases, ...change }] } } }));
    expect(error.prop).toBe(`serviceAccount.rbac.${prop}`);
    expect(error.message).toMatch(message);
  });
});

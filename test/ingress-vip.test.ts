import { Chart, JsonPatch, Testing } from 'cdk8s';
import { ExternalTrafficPolicy, IngressVip, VipAddressMode } from '../lib';
import { errorOf } from './_fixtures';
import { schemaErrors } from './_schema';

function vip(props: ConstructorParameters<typeof IngressVip>[2]) {
  const chart = new Chart(Testing.app(), 'platform');
  const construct = new IngressVip(chart, 'IngressVip', props);
  const [service] = Testing.synth(chart);
  return { construct, service };
}

/** The checkers' ignore annotations for the known exceptions, with their reasons. */
const EXCEPTIONS = {
  'kube-score/ignore': 'service-targets-pod',
  'ignore-check.kube-linter.io/dangling-service': 'selects the ingress controller pods, deployed by their own chart',
  'ignore-check.kube-linter.io/exposed-services': 'the VIP is the entry point of the cluster: a LoadBalancer by design',
  'cdk8s-webstack/policy-exceptions': 'service-targets-pod, dangling-service: the selected ingress controller pods are deployed by their own chart, not by this bundle; exposed-services: the VIP is the entry point, a LoadBalancer by design',
};

describe('IngressVip', () => {
  test('defaults: a MetalLB-pinned LoadBalancer in ingress-nginx, selecting the controller', () => {
    const { construct, service } = vip({ address: '192.0.2.10' });

    expect(service).toMatchSnapshot();
    expect(schemaErrors(service)).toEqual([]);
    expect(service.metadata).toMatchObject({ name: 'ingress-node-vip', namespace: 'ingress-nginx' });
    expect(service.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '192.0.2.10', ...EXCEPTIONS });
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(service.spec.loadBalancerIP).toBeUndefined();
    expect(service.spec.selector).toEqual({
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    });
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
    ]);
    expect(construct.ingressClassName).toBe('nginx');
    expect(construct.address).toBe('192.0.2.10');
    expect(construct.ipFamily).toBe(4);
  });

  test('kube-vip writes its own annotation', () => {
    const { service } = vip({ address: '192.0.2.10', addressMode: VipAddressMode.KUBE_VIP });
    expect(service.metadata.annotations).toEqual({ 'kube-vip.io/loadbalancerIPs': '192.0.2.10', ...EXCEPTIONS });
  });

  test('the legacy field is written only when asked for', () => {
    const { service } = vip({ address: '192.0.2.10', addressMode: VipAddressMode.LEGACY_SPEC_FIELD });
    expect(service.spec.loadBalancerIP).toBe('192.0.2.10');
    expect(service.metadata.annotations).toEqual(EXCEPTIONS);
  });

  test('a cloud-assigned VIP has no address', () => {
    const { construct, service } = vip({ addressMode: VipAddressMode.CLOUD_ASSIGNED });
    expect(construct.address).toBeUndefined();
    expect(service.metadata.annotations).toEqual(EXCEPTIONS);
    expect(service.spec.loadBalancerIP).toBeUndefined();
  });

  test('an IPv6 address makes a single-stack IPv6 Service', () => {
    const { construct, service } = vip({ address: '2001:db8::10' });
    expect(construct.ipFamily).toBe(6);
    expect(service.spec.ipFamilies).toEqual(['IPv6']);
    expect(service.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(service.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('2001:db8::10');
  });

  test('options: namespace, labels, class, policy, source ranges, load-balancer class, annotations', () => {
    const { construct, service } = vip({
      address: '192.0.2.10',
      name: 'edge',
      namespace: 'ingress',
      controllerLabels: { app: 'edge-controller' },
      ingressClassName: 'edge',
      externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER,
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/48'],
      loadBalancerClass: 'metallb.io/metallb',
      annotations: { 'metallb.io/address-pool': 'public' },
    });
    expect(service.metadata).toMatchObject({ name: 'edge', namespace: 'ingress' });
    expect(service.spec.selector).toEqual({ app: 'edge-controller' });
    expect(service.spec.externalTrafficPolicy).toBe('Cluster');
    expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '2001:db8::/48']);
    expect(service.spec.loadBalancerClass).toBe('metallb.io/metallb');
    expect(service.metadata.annotations).toEqual({ 'metallb.io/address-pool': 'public', 'metallb.io/loadBalancerIPs': '192.0.2.10', ...EXCEPTIONS });
    expect(construct.ingressClassName).toBe('edge');
    expect(construct.namespace).toBe('ingress');
  });

  test('escape hatch: a JSON patch uses the Kubernetes field names and is never dropped', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const construct = new IngressVip(chart, 'IngressVip', { address: '192.0.2.10' });
    construct.service.addJsonPatch(JsonPatch.add('/spec/loadBalancerIP', '192.0.2.10'));
    construct.service.addJsonPatch(JsonPatch.add('/spec/allocateLoadBalancerNodePorts', false));
    const [service] = Testing.synth(chart);
    expect(service.spec.loadBalancerIP).toBe('192.0.2.10');
    expect(service.spec.allocateLoadBalancerNodePorts).toBe(false);
  });

  describe('fails', () => {
    const cases: Array<[string, ConstructorParameters<typeof IngressVip>[2], RegExp]> = [
      ['if the address is missing', {}, /'address' \(undefined\) is required with addressMode metallb/],
      ['if the address is not an IP', { address: '192.0.2.300' }, /'address' \("192.0.2.300"\) is not an IPv4 or IPv6 address/],
      ['if the address has a prefix', { address: '192.0.2.10/32' }, /'address' .* without a prefix length/],
      ['if a cloud-assigned VIP gets an address', { address: '192.0.2.10', addressMode: VipAddressMode.CLOUD_ASSIGNED }, /CLOUD_ASSIGNED/],
      ['if a source range is not a CIDR', { address: '192.0.2.10', loadBalancerSourceRanges: ['10.0.0.0/33'] }, /'loadBalancerSourceRanges\[0\]' \("10.0.0.0\/33"\) is not a CIDR block/],
      ['if the name is not a DNS-1035 label', { address: '192.0.2.10', name: '1vip' }, /'name' \("1vip"\) is not a valid DNS-1035 label/],
      ['if the namespace is invalid', { address: '192.0.2.10', namespace: 'Ingress_NGINX' }, /'namespace' \("Ingress_NGINX"\) is not a valid DNS-1123 label/],
      ['if the controller labels are empty', { address: '192.0.2.10', controllerLabels: {} }, /would select every pod/],
      ['if an annotation overrides the address', { address: '192.0.2.10', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.11' } }, /would override the address/],
      ['if the load-balancer class has no prefix', { address: '192.0.2.10', loadBalancerClass: 'metallb' }, /is not a prefixed name/],
    ];
    test.each(cases)('%s', (_, props, message) => {
      const error = errorOf(() => new IngressVip(new Chart(Testing.app(), 'platform'), 'IngressVip', props));
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/^platform\/IngressVip: '[^']+' \(.*\) .*; .+/);
      expect(error.constructPath).toBe('platform/IngressVip');
    });
  });
});

import { Chart, Testing } from 'cdk8s';
import { DnsProvider, DnsRecord, DnsRecordType, Gateway, GatewayImplementation, IngressVip, VipAddressMode } from '../lib';
import { errorOf } from './_fixtures';
import { schemaErrors } from './_schema';

function record(vipAddress: string | undefined, props: Partial<ConstructorParameters<typeof DnsRecord>[2]> = {}) {
  const app = Testing.app();
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip',
    vipAddress ? { address: vipAddress } : { addressMode: VipAddressMode.CLOUD_ASSIGNED });
  const chart = new Chart(app, 'dns', { namespace: 'dns' });
  const construct = new DnsRecord(chart, 'Shop', { hostName: 'shop.example.com', entryPoint: vip, ...props });
  return { chart, construct };
}

describe('DnsRecord', () => {
  test('an ExternalDNS DNSEndpoint, valid against the upstream CRD schema', () => {
    const { chart, construct } = record('192.0.2.10');
    const [endpoint] = Testing.synth(chart);
    expect(endpoint).toEqual({
      apiVersion: 'externaldns.k8s.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: { name: 'shop', namespace: 'dns' },
      spec: { endpoints: [{ dnsName: 'shop.example.com', recordType: 'A', targets: ['192.0.2.10'], recordTTL: 300 }] },
    });
    expect(schemaErrors(endpoint)).toEqual([]);
    expect(construct.recordType).toBe(DnsRecordType.A);
    expect(construct.provider.name).toBe('ExternalDNS DNSEndpoint');
  });

  test('AAAA for an IPv6 VIP; ttl, object name, namespace and wildcard host', () => {
    const { chart } = record('2001:db8::10', {
      hostName: '*.apps.example.com', ttl: 60, objectName: 'apps-wildcard', namespace: 'edge', provider: DnsProvider.externalDns(),
    });
    const [endpoint] = Testing.synth(chart);
    expect(endpoint.metadata).toEqual({ name: 'apps-wildcard', namespace: 'edge' });
    expect(endpoint.spec.endpoints).toEqual([{ dnsName: '*.apps.example.com', recordType: 'AAAA', targets: ['2001:db8::10'], recordTTL: 60 }]);
    expect(schemaErrors(endpoint)).toEqual([]);
  });

  test('in a chart without a namespace, the DNSEndpoint takes the entry point\'s, never none (kubectl\'s context would pick it)', () => {
    // Given a record on its own, as the README shows it, in a chart that names no namespace
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    const www = new DnsRecord(new Chart(app, 'dns'), 'Www', { hostName: 'www.example.com', entryPoint: vip });
    // Then it is in the VIP's namespace, which exists since the VIP's Service is there
    expect(www.namespace).toBe('ingress-nginx');
    expect(Testing.synth(Chart.of(www))[0].metadata).toEqual({ name: 'www', namespace: 'ingress-nginx' });
    // And behind a Gateway, in the Gateway's
    const gateway = new Gateway(new Chart(app, 'gateways'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    expect(new DnsRecord(new Chart(app, 'dns2'), 'Api', { hostName: 'api.example.com', entryPoint: gateway }).namespace).toBe('gateway');
  });

  test('the chart\'s namespace comes before the entry point\'s, and the prop before both', () => {
    expect(record('192.0.2.10').construct.namespace).toBe('dns');
    expect(record('192.0.2.10', { namespace: 'edge' }).construct.namespace).toBe('edge');
  });

  test('fails if the chart\'s namespace, its default, is not a DNS label', () => {
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    expect(errorOf(() => new DnsRecord(new Chart(app, 'dns', { namespace: 'DNS_Records' }), 'Www', { hostName: 'www.example.com', entryPoint: vip })).message)
      .toMatch(/^dns\/Www: 'namespace' \("DNS_Records"\) is not a valid DNS-1123 label/);
  });

  test('the schema check catches a record the CRD refuses', () => {
    const bad = { apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'x' }, spec: { endpoints: [{ dnsName: 'x', recordType: 'AA', typo: 1 }] } };
    const errors = schemaErrors(bad);
    expect(errors).toContain('DNSEndpoint/x: /spec/endpoints/0/recordType must be equal to one of the allowed values');
    expect(errors).toContain('DNSEndpoint/x: /spec/endpoints/0 must NOT have additional properties');
  });

  test('fails if the VIP has no pinned address', () => {
    expect(errorOf(() => record(undefined)).message).toMatch(/^dns\/Shop: 'entryPoint' \("platform\/IngressVip"\) has no pinned address/);
  });

  test('fails if the host is invalid', () => {
    expect(errorOf(() => record('192.0.2.10', { hostName: 'shop..example.com' })).message).toMatch(/^dns\/Shop: 'hostName' .* has an empty label/);
  });

  test('fails if the record type does not fit the VIP family', () => {
    expect(errorOf(() => record('2001:db8::10', { recordType: DnsRecordType.A })).message)
      .toBe('dns/Shop: \'recordType\' ("A") does not fit the address 2001:db8::10 (an IPv6 address needs AAAA); use DnsRecordType.AAAA, or leave recordType out to derive it from the address');
  });

  test('fails if the TTL is out of range', () => {
    expect(errorOf(() => record('192.0.2.10', { ttl: 2 ** 31 })).message).toMatch(/'ttl' \(2147483648\) must be a whole number from 1 to 2147483647/);
  });
});

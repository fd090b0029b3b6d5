import { Chart, Testing } from 'cdk8s';
import { DnsProvider, DnsZone, Gateway, GatewayImplementation, TlsCertificate, WebApp } from '../lib';
import { docs, errorOf, IMAGE, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const HOSTS = { host: 'shop.example.com', otherHosts: ['www.shop.example.com'] };

describe('several hosts', () => {
  test('behind an IngressVip: a rule per host, every host in the TLS entry, a DNS record per host', () => {
    const { chart, web } = webApp({ ...HOSTS, route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    const ingress = kind(chart, 'Ingress');
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(['shop.example.com', 'www.shop.example.com']);
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com', 'www.shop.example.com'], secretName: 'shop-tls' }]);
    const endpoints = docs(chart).filter(d => d.kind === 'DNSEndpoint');
    expect(endpoints.map(e => [e.metadata.name, e.spec.endpoints[0].dnsName])).toEqual([['shop', 'shop.example.com'], ['shop-2', 'www.shop.example.com']]);
    expect(web.hosts).toEqual(['shop.example.com', 'www.shop.example.com']);
    expect(web.dnsRecords).toHaveLength(2);
    expect(web.dnsRecord).toBe(web.dnsRecords[0]);
  });

  test('behind a Gateway: a listener per host, the route on each, both hosts routed and redirected', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const gateway = new Gateway(platform, 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    const chart = new Chart(app, 'web');
    new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, ...HOSTS, route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    expect(kind(platform, 'Gateway').spec.listeners.map((l: any) => [l.name, l.tls?.certificateRefs[0].name])).toEqual([
      ['http', undefined], ['https-shop.example.com', 'shop.example.com-tls'], ['https-www.shop.example.com', 'www.shop.example.com-tls'],
    ]);
    const routes = docs(chart).filter(d => d.kind === 'HTTPRoute');
    expect(routes.map(r => [r.metadata.name, r.spec.hostnames, r.spec.parentRefs.map((p: any) => p.sectionName)])).toEqual([
      ['shop', ['shop.example.com', 'www.shop.example.com'], ['https-shop.example.com', 'https-www.shop.example.com']],
      ['shop-https-redirect', ['shop.example.com', 'www.shop.example.com'], ['http']],
    ]);
    expect([...docs(platform), ...docs(chart)].flatMap(schemaErrors)).toEqual([]);
  });

  test('one named Secret covers every host', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const gateway = new Gateway(platform, 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    new WebApp(new Chart(app, 'web'), 'shop', { entryPoint: gateway, image: IMAGE, ...HOSTS, route: { tls: TlsCertificate.fromSecret('shop-san') } });
    const refs = kind(platform, 'Gateway').spec.listeners.slice(1).map((l: any) => l.tls.certificateRefs[0]);
    expect(refs).toEqual([{ group: '', kind: 'Secret', name: 'shop-san', namespace: 'shop' }, { group: '', kind: 'Secret', name: 'shop-san', namespace: 'shop' }]);
  });

  test('ExternalDNS annotations name every host, comma-separated', () => {
    const { chart } = webApp({ ...HOSTS, dns: { provider: DnsProvider.externalDnsAnnotations() } });
    expect(kind(chart, 'Ingress').metadata.annotations['external-dns.kubernetes.io/hostname']).toBe('shop.example.com,www.shop.example.com');
  });

  test('a zone file gets a record per host', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const zone = new DnsZone(platform, 'Zone', { zoneName: 'example.com' });
    const { IngressVip } = require('../lib');
    const vip = new IngressVip(platform, 'IngressVip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'web'), 'shop', { entryPoint: vip, image: IMAGE, ...HOSTS, dns: { provider: DnsProvider.zoneFile(zone) } });
    expect(zone.render()).toContain('shop.example.com. 300 IN A 192.0.2.10\nwww.shop.example.com. 300 IN A 192.0.2.10\n');
  });

  test.each([
    ['the host again', { otherHosts: ['shop.example.com'] }, /'otherHosts\[0\]' \("shop.example.com"\) is named twice among the app's hosts/],
    ['a host twice', { otherHosts: ['a.example.com', 'a.example.com'] }, /'otherHosts\[1\]' \("a.example.com"\) is named twice/],
    ['a bad host', { otherHosts: ['www_shop.example.com'] }, /'otherHosts\[0\]' \("www_shop.example.com"\) has the label "www_shop"/],
    ['not a list', { otherHosts: 'www.shop.example.com' }, /'otherHosts' \("www.shop.example.com"\) is not a list/],
  ])('fails on %s', (_, props, message) => {
    expect(errorOf(() => webApp(props as any)).message).toMatch(message);
  });

  test('a host of one app among another app\'s other hosts is a conflict, naming it', () => {
    const { vip, chart } = webApp(HOSTS);
    expect(errorOf(() => new WebApp(chart, 'other', { entryPoint: vip, image: IMAGE, host: 'www.shop.example.com', namespace: { name: 'other' } })).message)
      .toMatch(/^web\/other: 'host' \("www.shop.example.com"\) and path "\/" are already routed through IngressVip platform\/IngressVip by web\/shop/);
  });
});

describe('redirecting the other hosts to the first', () => {
  test('behind ingress-nginx: a second Ingress with permanent-redirect, the main one serves the first host only', () => {
    const { chart, web } = webApp({ ...HOSTS, redirectOtherHosts: true, route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    const ingresses = docs(chart).filter(d => d.kind === 'Ingress');
    expect(ingresses.map(i => [i.metadata.name, i.spec.rules.map((r: any) => r.host)])).toEqual([
      ['shop', ['shop.example.com']], ['shop-host-redirect', ['www.shop.example.com']],
    ]);
    expect(ingresses[1].metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/permanent-redirect': 'https://shop.example.com',
      'nginx.ingress.kubernetes.io/permanent-redirect-code': '301',
    });
    expect(ingresses[1].spec.tls).toEqual([{ hosts: ['www.shop.example.com'], secretName: 'shop-tls' }]);
    expect(web.hostRedirect).toBeDefined();
    expect(docs(chart).filter(d => d.kind === 'DNSEndpoint')).toHaveLength(2);
  });

  test('behind a Gateway: an HTTPRoute that redirects the other hosts on their listeners', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const gateway = new Gateway(platform, 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    const chart = new Chart(app, 'web');
    new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, ...HOSTS, redirectOtherHosts: true, route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    const routes = docs(chart).filter(d => d.kind === 'HTTPRoute');
    expect(routes.map(r => [r.metadata.name, r.spec.hostnames, r.spec.parentRefs.map((p: any) => p.sectionName)])).toEqual([
      ['shop', ['shop.example.com'], ['https-shop.example.com']],
      ['shop-host-redirect', ['www.shop.example.com'], ['https-www.shop.example.com']],
      ['shop-https-redirect', ['shop.example.com', 'www.shop.example.com'], ['http']],
    ]);
    expect(routes[1].spec.rules[0].filters).toEqual([{ type: 'RequestRedirect', requestRedirect: { hostname: 'shop.example.com', scheme: 'https', statusCode: 301 } }]);
    expect([...docs(platform), ...docs(chart)].flatMap(schemaErrors)).toEqual([]);
  });

  test('fails without other hosts, and on a controller that cannot redirect, naming it', () => {
    expect(errorOf(() => webApp({ redirectOtherHosts: true })).message).toMatch(/'redirectOtherHosts' \(true\) is set, but the app has no other hosts/);
    const { IngressController } = require('../lib');
    expect(errorOf(() => webApp({ ...HOSTS, redirectOtherHosts: true }, { address: '192.0.2.10', controller: IngressController.haproxy() })).message)
      .toMatch(/'redirectOtherHosts' \("http:\/\/shop.example.com"\) has no per-Ingress annotation in HAProxy Kubernetes Ingress Controller/);
  });
});

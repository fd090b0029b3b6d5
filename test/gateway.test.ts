import { Chart, JsonPatch, Testing } from 'cdk8s';
import {
  AddressesHandling, DnsProvider, ExistingGateway, Gateway, GatewayAddressMode, GatewayImplementation, GatewayProps,
  IngressVip, PathType, TlsCertificate, WebApp, WebAppProps,
} from '../lib';
import { docs, errorOf, IMAGE, kind } from './_fixtures';
import { schemaErrors } from './_schema';

/** A Gateway in a platform chart, and an app chart beside it. */
function givenGateway(props: Partial<GatewayProps> = {}) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const gateway = new Gateway(platform, 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20', ...props });
  const chart = new Chart(app, 'web');
  return { app, platform, gateway, chart };
}

function appOn(gateway: Gateway | ExistingGateway | IngressVip, chart: Chart, props: Partial<WebAppProps> = {}, id = 'shop') {
  return new WebApp(chart, id, { entryPoint: gateway, image: IMAGE, host: `${id}.example.com`, ...props });
}

function gatewayDoc(platform: Chart): any {
  return kind(platform, 'Gateway');
}

function byName(chart: Chart, k: string, name: string): any {
  return docs(chart).find(d => d.kind === k && d.metadata.name === name);
}

const ALLOWED = (gateway = 'web', namespace = 'gateway') => ({
  kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
  namespaces: { from: 'Selector', selector: { matchLabels: { [`gateway.cdk8s-webstack/${gateway}`]: namespace } } },
});

describe('Gateway', () => {
  test('defaults: Envoy Gateway class, MetalLB address through infrastructure annotations, one HTTP listener limited to app namespaces', () => {
    const { platform, gateway } = givenGateway();
    const doc = gatewayDoc(platform);
    expect(doc).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'web', namespace: 'gateway', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-webstack' } },
      spec: {
        gatewayClassName: 'eg',
        infrastructure: { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.20' } },
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: ALLOWED() }],
      },
    });
    expect(gateway.addressMode).toBe(GatewayAddressMode.METALLB);
    expect(gateway.ipFamily).toBe(4);
    expect(gateway.routeNamespaceLabels).toEqual({ 'gateway.cdk8s-webstack/web': 'gateway' });
    expect(schemaErrors(doc)).toEqual([]);
  });

  test('no listener ever admits routes from all namespaces', () => {
    const { platform, gateway, chart } = givenGateway({
      wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromSecret('wildcard') },
    });
    appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    appOn(gateway, chart, { route: { tls: TlsCertificate.fromGatewayListener() } }, 'blog');
    appOn(gateway, chart, {}, 'docs');
    const listeners = gatewayDoc(platform).spec.listeners;
    expect(listeners.map((l: any) => l.name)).toEqual(['http', 'https', 'https-shop.example.com']);
    expect(listeners.every((l: any) => l.allowedRoutes.namespaces.from === 'Selector')).toBe(true);
  });

  test.each([
    ['kube-vip', { addressMode: GatewayAddressMode.KUBE_VIP }, { infrastructure: { annotations: { 'kube-vip.io/loadbalancerIPs': '192.0.2.20' } } }],
    ['spec.addresses', { addressMode: GatewayAddressMode.ADDRESSES }, { addresses: [{ type: 'IPAddress', value: '192.0.2.20' }] }],
    ['IPv6 in spec.addresses', { addressMode: GatewayAddressMode.ADDRESSES, address: '2001:db8::20' }, { addresses: [{ type: 'IPAddress', value: '2001:db8::20' }] }],
  ])('the address through %s', (_, props, expected) => {
    const { platform } = givenGateway(props as Partial<GatewayProps>);
    const spec = gatewayDoc(platform).spec;
    expect(spec).toMatchObject(expected);
    expect(Object.keys(spec).filter(k => ['addresses', 'infrastructure'].includes(k))).toEqual(Object.keys(expected));
    expect(schemaErrors(gatewayDoc(platform))).toEqual([]);
  });

  test('no address written when it is pinned elsewhere or cloud-assigned', () => {
    for (const props of [{ addressMode: GatewayAddressMode.PINNED_ELSEWHERE }, { addressMode: GatewayAddressMode.CLOUD_ASSIGNED, address: undefined }]) {
      const spec = gatewayDoc(givenGateway(props).platform).spec;
      expect(spec.addresses).toBeUndefined();
      expect(spec.infrastructure).toBeUndefined();
    }
  });

  describe('presets', () => {
    test.each([
      ['envoyGateway', GatewayImplementation.envoyGateway(), 'eg', AddressesHandling.EXTERNAL_IPS, GatewayAddressMode.METALLB, 80,
        { namespace: 'envoy-gateway-system', podLabels: {
          'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy',
          'gateway.envoyproxy.io/owning-gateway-name': 'web', 'gateway.envoyproxy.io/owning-gateway-namespace': 'gateway',
        } }],
      ['envoyGateway in GatewayNamespace mode', GatewayImplementation.envoyGateway({ gatewayNamespaceMode: true }), 'eg', AddressesHandling.EXTERNAL_IPS,
        GatewayAddressMode.METALLB, 80, { namespace: 'gateway', podLabels: expect.objectContaining({ 'gateway.envoyproxy.io/owning-gateway-name': 'web' }) }],
      ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric(), 'nginx', AddressesHandling.EXTERNAL_IPS, GatewayAddressMode.METALLB, 80,
        { namespace: 'gateway', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'web' } }],
      ['istio', GatewayImplementation.istio(), 'istio', AddressesHandling.LOAD_BALANCER_IP, GatewayAddressMode.METALLB, 80,
        { namespace: 'gateway', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'web' } }],
      ['cilium', GatewayImplementation.cilium(), 'cilium', AddressesHandling.CILIUM_LB_IPAM, GatewayAddressMode.METALLB, 80, undefined],
      ['traefik', GatewayImplementation.traefik(), 'traefik', AddressesHandling.IGNORED, GatewayAddressMode.PINNED_ELSEWHERE, 8000,
        { namespace: 'traefik', podLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-traefik' } }],
    ])('%s', (_, implementation, className, addresses, mode, httpPort, dataPlane) => {
      const { platform, gateway } = givenGateway({ implementation });
      expect(implementation.addresses).toBe(addresses);
      expect(gateway.gatewayClassName).toBe(className);
      expect(gateway.addressMode).toBe(mode);
      expect(gateway.dataPlane).toEqual(dataPlane);
      expect(gatewayDoc(platform).spec.listeners[0].port).toBe(httpPort);
    });

    test('Traefik listeners bind its entry points\' container ports, and its instance label follows the release', () => {
      const { platform, gateway, chart } = givenGateway({ implementation: GatewayImplementation.traefik({ namespace: 'edge', release: 'proxy' }) });
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromSecret('shop-tls') } });
      expect(gatewayDoc(platform).spec.listeners.map((l: any) => l.port)).toEqual([8000, 8443]);
      expect(gateway.dataPlane!.podLabels['app.kubernetes.io/instance']).toBe('proxy-edge');
    });
  });

  describe('HTTPRoute', () => {
    test('plain HTTP: the app\'s HTTPRoute attaches to the http listener and sends every path to the Service port', () => {
      const { gateway, chart } = givenGateway();
      const web = appOn(gateway, chart, { route: { paths: ['/', '/api'], pathType: PathType.EXACT } });
      expect(web.routeKind).toBe('HTTPRoute');
      const route = kind(chart, 'HTTPRoute');
      expect(route.metadata).toMatchObject({ name: 'shop', namespace: 'shop' });
      expect(route.metadata.annotations).toBeUndefined();
      expect(route.spec).toEqual({
        parentRefs: [{ name: 'web', namespace: 'gateway', sectionName: 'http' }],
        hostnames: ['shop.example.com'],
        rules: [{
          matches: [{ path: { type: 'Exact', value: '/' } }, { path: { type: 'Exact', value: '/api' } }],
          backendRefs: [{ name: 'shop', port: 80 }],
        }],
      });
      expect(docs(chart).map(d => d.kind)).toEqual(['Namespace', 'Deployment', 'Service', 'HTTPRoute', 'PodDisruptionBudget', 'NetworkPolicy', 'DNSEndpoint']);
      expect(kind(chart, 'Namespace').metadata.labels['gateway.cdk8s-webstack/web']).toBe('gateway');
    });

    test('TLS from cert-manager: a listener for the host, the issuer on the Gateway, a redirect route on the http listener', () => {
      const { platform, gateway, chart } = givenGateway();
      const web = appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
      const gw = gatewayDoc(platform);
      expect(gw.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
      expect(gw.spec.listeners[1]).toEqual({
        name: 'https-shop.example.com', hostname: 'shop.example.com', port: 443, protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'shop.example.com-tls' }] },
        allowedRoutes: ALLOWED(),
      });
      const main = byName(chart, 'HTTPRoute', 'shop');
      expect(main.spec.parentRefs).toEqual([{ name: 'web', namespace: 'gateway', sectionName: 'https-shop.example.com' }]);
      const redirect = byName(chart, 'HTTPRoute', 'shop-https-redirect');
      expect(redirect.spec).toEqual({
        parentRefs: [{ name: 'web', namespace: 'gateway', sectionName: 'http' }],
        hostnames: ['shop.example.com'],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
        }],
      });
      expect(web.httpsRedirect).toBeDefined();
      expect(web.referenceGrant).toBeUndefined();
      expect(docs(chart).filter(d => d.kind === 'ReferenceGrant')).toEqual([]);
    });

    test('TLS without the redirect: one route on both listeners', () => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromSecret('shop-tls', { namespace: 'gateway' }), sslRedirect: false } });
      const routes = docs(chart).filter(d => d.kind === 'HTTPRoute');
      expect(routes).toHaveLength(1);
      expect(routes[0].spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['https-shop.example.com', 'http']);
    });

    test('an existing Secret in the app\'s namespace: a cross-namespace certificateRef and a ReferenceGrant for that Secret only', () => {
      const { platform, gateway, chart } = givenGateway();
      const web = appOn(gateway, chart, { route: { tls: TlsCertificate.fromSecret('shop-cert') } });
      expect(gatewayDoc(platform).spec.listeners[1].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'shop-cert', namespace: 'shop' }]);
      expect(gatewayDoc(platform).metadata.annotations).toBeUndefined();
      const grant = kind(chart, 'ReferenceGrant');
      expect(grant.metadata).toMatchObject({ name: 'shop-tls-from-gateway', namespace: 'shop' });
      expect(grant.spec).toEqual({
        from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gateway' }],
        to: [{ group: '', kind: 'Secret', name: 'shop-cert' }],
      });
      expect(web.referenceGrant).toBeDefined();
    });

    test('the wildcard listener\'s certificate for TlsCertificate.fromGatewayListener()', () => {
      const { platform, gateway, chart } = givenGateway({
        wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromClusterIssuer('dns01', 'wildcard-example-com') },
      });
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromGatewayListener() } });
      const gw = gatewayDoc(platform);
      expect(gw.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'dns01' });
      expect(gw.spec.listeners[1]).toMatchObject({ name: 'https', hostname: '*.example.com', tls: { certificateRefs: [{ name: 'wildcard-example-com' }] } });
      expect(byName(chart, 'HTTPRoute', 'shop').spec.parentRefs[0].sectionName).toBe('https');
    });

    test('timeouts from the typed options', () => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart, { route: { requestTimeoutSeconds: 60, backendRequestTimeoutSeconds: 30 } });
      expect(kind(chart, 'HTTPRoute').spec.rules[0].timeouts).toEqual({ request: '60s', backendRequest: '30s' });
    });

    test('apps on one host with different paths share the host\'s listener', () => {
      const { platform, gateway, chart } = givenGateway();
      const tls = TlsCertificate.fromClusterIssuer('letsencrypt');
      appOn(gateway, chart, { host: 'example.com', route: { tls, paths: ['/'] } }, 'site');
      appOn(gateway, chart, { host: 'example.com', route: { tls, paths: ['/api'] } }, 'api');
      expect(gatewayDoc(platform).spec.listeners.map((l: any) => l.name)).toEqual(['http', 'https-example.com']);
    });

    test('listeners are in the same order whatever order apps attach in', () => {
      const render = (order: string[]) => {
        const { platform, gateway, chart } = givenGateway();
        order.forEach(id => appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } }, id));
        return gatewayDoc(platform).spec.listeners.map((l: any) => l.name);
      };
      expect(render(['shop', 'blog', 'docs'])).toEqual(render(['docs', 'shop', 'blog']));
    });

    test('every Gateway, HTTPRoute and ReferenceGrant validates against the v1.6.1 CRD schemas, objects closed', () => {
      const { app, gateway, chart } = givenGateway({ wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromSecret('wild') } });
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromSecret('shop-cert'), requestTimeoutSeconds: 10 } });
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromGatewayListener(), sslRedirect: false } }, 'blog');
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } }, 'docs');
      appOn(gateway, chart, {}, 'plain');
      const all = app.charts.flatMap(c => Testing.synth(c));
      const gatewayKinds = all.filter(d => d.apiVersion.startsWith('gateway.networking.k8s.io/'));
      expect(gatewayKinds.map(d => d.kind).sort()).toEqual(['Gateway', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'ReferenceGrant']);
      expect(all.flatMap(schemaErrors)).toEqual([]);
    });

    test('the schema check is not blind: an unknown field and a wrong enum value are caught', () => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart);
      const route = kind(chart, 'HTTPRoute');
      expect(schemaErrors({ ...route, spec: { ...route.spec, hostname: ['x'] } }).join()).toMatch(/must NOT have additional properties/);
      const bad = structuredClone(route);
      bad.spec.rules[0].matches[0].path.type = 'Prefix';
      expect(schemaErrors(bad).join()).toMatch(/must be equal to one of the allowed values/);
    });
  });

  describe('one prop switches an app between Ingress and HTTPRoute', () => {
    test('the same props give an Ingress behind a VIP and an HTTPRoute behind a Gateway; everything else is the same', () => {
      const props: Partial<WebAppProps> = { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } };
      // Two clusters: the seed's, and one with a Gateway at the same address.
      const [one, two] = [Testing.app(), Testing.app()];
      const vip = new IngressVip(new Chart(one, 'platform'), 'Vip', { address: '192.0.2.10' });
      const gateway = new Gateway(new Chart(two, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.10' });
      const [a, b] = [new Chart(one, 'web'), new Chart(two, 'web')];
      appOn(vip, a, props);
      appOn(gateway, b, props);
      const kindsA = docs(a).map(d => d.kind);
      const kindsB = docs(b).map(d => d.kind);
      expect(kindsA).toEqual(['Namespace', 'Deployment', 'Service', 'Ingress', 'PodDisruptionBudget', 'NetworkPolicy', 'DNSEndpoint']);
      expect(kindsB).toEqual(['Namespace', 'Deployment', 'Service', 'HTTPRoute', 'HTTPRoute', 'PodDisruptionBudget', 'NetworkPolicy', 'DNSEndpoint']);
      for (const k of ['Deployment', 'Service', 'PodDisruptionBudget', 'DNSEndpoint']) {
        expect(kind(b, k)).toEqual(kind(a, k));
      }
      expect(kind(b, 'NetworkPolicy').spec.ingress[0].from).toEqual([{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
        podSelector: { matchLabels: gateway.dataPlane!.podLabels },
      }]);
    });
  });

  describe('DNS follows the entry point', () => {
    test('the record points at the Gateway\'s address, AAAA for IPv6', () => {
      const { gateway, chart } = givenGateway({ address: '2001:db8::20' });
      appOn(gateway, chart);
      expect(kind(chart, 'DNSEndpoint').spec.endpoints).toEqual([{ dnsName: 'shop.example.com', recordType: 'AAAA', targets: ['2001:db8::20'], recordTTL: 300 }]);
    });

    test('ExternalDNS annotations: hostname and ttl on the HTTPRoute, target on the Gateway', () => {
      const { platform, gateway, chart } = givenGateway();
      appOn(gateway, chart, { dns: { provider: DnsProvider.externalDnsAnnotations(), ttl: 60 } });
      expect(kind(chart, 'HTTPRoute').metadata.annotations).toEqual({
        'external-dns.kubernetes.io/hostname': 'shop.example.com',
        'external-dns.kubernetes.io/ttl': '60',
      });
      expect(gatewayDoc(platform).metadata.annotations).toEqual({ 'external-dns.kubernetes.io/target': '192.0.2.20' });
      expect(docs(chart).map(d => d.kind)).not.toContain('DNSEndpoint');
    });

    test('every provider works behind a Gateway', () => {
      const { gateway, chart } = givenGateway();
      expect(appOn(gateway, chart, { dns: { provider: DnsProvider.externalDns() } }).dnsRecord!.target).toBe('192.0.2.20');
    });
  });

  describe('synth-time checks', () => {
    test.each([
      ['a hostname that is not the app\'s host', JsonPatch.replace('/spec/hostnames/0', 'other.example.com'), /HTTPRoute "shop" has hostnames \["other.example.com"\], but the app's host is "shop.example.com"/],
      ['a backend port the Service does not have', JsonPatch.replace('/spec/rules/0/backendRefs/0/port', 8080), /HTTPRoute "shop" sends traffic to Service "shop" port 8080, but the app's Service is "shop" with ports http, 80/],
      ['a parent that is not the app\'s Gateway', JsonPatch.replace('/spec/parentRefs/0/name', 'other'), /HTTPRoute "shop" attaches to Gateway gateway\/other, but the app is served through Gateway gateway\/web/],
      ['a listener the Gateway does not have', JsonPatch.replace('/spec/parentRefs/0/sectionName', 'https'), /attaches to listener "https", which Gateway gateway\/web .* does not have/],
      ['a listener whose certificate does not cover the host', JsonPatch.replace('/spec/parentRefs/0/sectionName', 'https-blog.example.com'), /listener "https-blog.example.com" for "blog.example.com", whose certificate does not cover the app's host "shop.example.com"/],
    ])('fail on %s', (_, patch, message) => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } }, 'blog');
      const web = appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
      web.route.addJsonPatch(patch);
      expect(() => docs(chart)).toThrow(message);
    });

    test('fail when a DNS record is patched away from the entry point', () => {
      const { gateway, chart } = givenGateway();
      const web = appOn(gateway, chart);
      (web.dnsRecord as { target: string }).target = '192.0.2.99';
      expect(() => docs(chart)).toThrow(/DNS record points at 192.0.2.99, but Gateway gateway\/web .* is at 192.0.2.20/);
    });
  });

  describe('fails', () => {
    const gatewayCases: Array<[string, () => unknown, RegExp]> = [
      ['without an implementation', () => givenGateway({ implementation: 'envoy' as unknown as GatewayImplementation }),
        /^platform\/Gateway: 'implementation' \("envoy"\) is not a GatewayImplementation; use GatewayImplementation.envoyGateway\(\)/],
      ['with an address mode outside the enum', () => givenGateway({ addressMode: 'metal' as GatewayAddressMode }),
        /'addressMode' \("metal"\) is not a member of GatewayAddressMode; use GatewayAddressMode.METALLB \('metallb'\), /],
      ['with MetalLB annotations on Traefik, which provisions no Service', () => givenGateway({ implementation: GatewayImplementation.traefik(), addressMode: GatewayAddressMode.METALLB }),
        /'addressMode' \("metallb"\) writes spec.infrastructure.annotations, which Traefik does not copy to any Service; pin the address on the implementation's own Service and use PINNED_ELSEWHERE/],
      ['with spec.addresses on Traefik, which ignores it', () => givenGateway({ implementation: GatewayImplementation.traefik(), addressMode: GatewayAddressMode.ADDRESSES }),
        /'addressMode' \("addresses"\) writes spec.addresses, which Traefik ignores/],
      ['without an address', () => givenGateway({ address: undefined }), /'address' \(undefined\) is required with addressMode metallb/],
      ['with an address and CLOUD_ASSIGNED', () => givenGateway({ addressMode: GatewayAddressMode.CLOUD_ASSIGNED }), /'address' \("192.0.2.20"\) is set, but addressMode is CLOUD_ASSIGNED/],
      ['with empty route namespace labels', () => givenGateway({ routeNamespaceLabels: {} }), /'routeNamespaceLabels' \(\{\}\) is empty, so the Gateway would admit routes from every namespace/],
      ['with an annotation the apps write', () => givenGateway({ annotations: { 'cert-manager.io/cluster-issuer': 'x' } }),
        /'annotations\["cert-manager.io\/cluster-issuer"\]' \("x"\) is written from the apps' props/],
      ['with a wildcard listener that is no wildcard', () => givenGateway({ wildcardListener: { hostname: 'example.com', certificate: TlsCertificate.fromSecret('w') } }),
        /'wildcardListener.hostname' \("example.com"\) is not a wildcard name/],
      ['with a wildcard certificate from the listener itself', () => givenGateway({ wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromGatewayListener() } }),
        /'wildcardListener.certificate' .* is not a certificate the Gateway can hold/],
    ];
    test.each(gatewayCases)('a Gateway %s', (_, build, message) => {
      expect(errorOf(build).message).toMatch(message);
    });

    const appCases: Array<[string, (g: Gateway, c: Chart) => unknown, RegExp]> = [
      ['a body size, which Gateway API cannot express', (g, c) => appOn(g, c, { route: { proxyBodySize: '8m' } }),
        /^web\/shop: 'route.proxyBodySize' \("8m"\) has no Gateway API equivalent, and the app is served through Gateway gateway\/web \(platform\/Gateway\); limit the body size in the app/],
      ['an nginx read timeout', (g, c) => appOn(g, c, { route: { proxyReadTimeoutSeconds: 30 } }),
        /'route.proxyReadTimeoutSeconds' \(30\) has no Gateway API equivalent.*; use route.backendRequestTimeoutSeconds/],
      ['a backend timeout above the request timeout', (g, c) => appOn(g, c, { route: { requestTimeoutSeconds: 10, backendRequestTimeoutSeconds: 20 } }),
        /'route.backendRequestTimeoutSeconds' \(20\) is above 'route.requestTimeoutSeconds' \(10\)/],
      ['the listener certificate without a wildcard listener', (g, c) => appOn(g, c, { route: { tls: TlsCertificate.fromGatewayListener() } }),
        /'route.tls' \("TlsCertificate.fromGatewayListener\(\)"\) needs a wildcard listener that covers "shop.example.com", and Gateway gateway\/web .* has none/],
      ['a Secret in a third namespace', (g, c) => appOn(g, c, { route: { tls: TlsCertificate.fromSecret('s', { namespace: 'certs' }) } }),
        /'route.tls.namespace' \("certs"\) is neither the app's namespace nor the Gateway's \("gateway"\)/],
      ['a Cilium Gateway with the NetworkPolicy on', (_, c) => {
        const cilium = new Gateway(c, 'Cilium', { implementation: GatewayImplementation.cilium(), name: 'cilium', address: '192.0.2.30' });
        return appOn(cilium, c);
      }, /'networkPolicy' \("on"\) cannot admit the data plane of Gateway gateway\/cilium .*: its proxy is no pod a Kubernetes NetworkPolicy selects; set networkPolicy to false and admit the proxy with .* CiliumNetworkPolicy/],
      ['a route option that is not an object', (g, c) => appOn(g, c, { route: 'tls' as any }), /'route' \("tls"\) is not the RouteOptions object/],
      ['a path type outside the enum', (g, c) => appOn(g, c, { route: { pathType: 'Prefixed' as PathType } }),
        /'route.pathType' \("Prefixed"\) is not a member of PathType; use PathType.PREFIX \('Prefix'\), PathType.EXACT \('Exact'\)/],
      ['an entry point that is not one', (_, c) => new WebApp(c, 'shop', { entryPoint: { address: '192.0.2.1' } as any, image: IMAGE, host: 'shop.example.com' }),
        /^web\/shop: 'entryPoint' \(\{"address":"192.0.2.1"\}\) is not an entry point; pass the IngressVip, Gateway or ExistingGateway/],
    ];
    test.each(appCases)('an app with %s', (_, build, message) => {
      const { gateway, chart } = givenGateway();
      expect(errorOf(() => build(gateway, chart)).message).toMatch(message);
    });

    test('two apps claiming one host and path on one entry point, naming both', () => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart, { host: 'example.com' }, 'site');
      expect(errorOf(() => appOn(gateway, chart, { host: 'example.com', route: { paths: ['/api', '/'] } }, 'other')).message)
        .toMatch(/^web\/other: 'host' \("example.com"\) and path "\/" are already routed through Gateway gateway\/web \(platform\/Gateway\) by web\/site/);
    });

    test('two certificates for one host', () => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart, { host: 'example.com', route: { tls: TlsCertificate.fromSecret('a', { namespace: 'gateway' }) } }, 'site');
      expect(errorOf(() => appOn(gateway, chart, { host: 'example.com', route: { tls: TlsCertificate.fromSecret('b', { namespace: 'gateway' }), paths: ['/api'] } }, 'api')).message)
        .toMatch(/'route.tls' \("gateway\/b"\) differs from the certificate gateway\/a that web\/site serves for "example.com"/);
    });

    test('two cluster issuers on one Gateway', () => {
      const { gateway, chart } = givenGateway();
      appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
      expect(errorOf(() => appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('internal-ca') } }, 'blog')).message)
        .toMatch(/'route.tls.clusterIssuer' \("internal-ca"\) differs from the cluster issuer "letsencrypt" that web\/shop set on Gateway gateway\/web .*; cert-manager reads one issuer per Gateway/);
    });

    test('an existing Secret beside the Gateway that cert-manager would overwrite, in either order', () => {
      const first = givenGateway();
      appOn(first.gateway, first.chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
      expect(errorOf(() => appOn(first.gateway, first.chart, { route: { tls: TlsCertificate.fromSecret('blog', { namespace: 'gateway' }) } }, 'blog')).message)
        .toMatch(/'route.tls' \("gateway\/blog"\) is an existing Secret in the Gateway's namespace, and cert-manager .* would issue into it and overwrite it/);
      const second = givenGateway();
      appOn(second.gateway, second.chart, { route: { tls: TlsCertificate.fromSecret('blog', { namespace: 'gateway' }) } }, 'blog');
      expect(errorOf(() => appOn(second.gateway, second.chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } })).message)
        .toMatch(/would make cert-manager issue into every HTTPS listener's Secret .* including gateway\/blog, an existing Secret of web\/blog/);
    });

    test('a 65th listener, naming the way out', () => {
      const { gateway, chart } = givenGateway();
      for (let i = 0; i < 63; i++) {
        appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } }, `app${i}`);
      }
      expect(errorOf(() => appOn(gateway, chart, { route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } }, 'one-more')).message)
        .toMatch(/'route.tls' \("one-more.example.com"\) would be listener 65 of Gateway gateway\/web .*, over Gateway API's 64; serve the hosts under one wildcardListener/);
    });

    test('a wildcard certificate used for a host two labels below it', () => {
      const { gateway, chart } = givenGateway({ wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromSecret('w') } });
      expect(errorOf(() => appOn(gateway, chart, { host: 'a.b.example.com', route: { tls: TlsCertificate.fromGatewayListener() } })).message)
        .toMatch(/needs a wildcard listener that covers "a.b.example.com", and Gateway gateway\/web .* has only "\*.example.com"/);
    });
  });
});

describe('ExistingGateway', () => {
  function existing(props: Partial<ConstructorParameters<typeof ExistingGateway>[2]> = {}) {
    const app = Testing.app();
    const gateway = new ExistingGateway(new Chart(app, 'platform'), 'Shared', {
      name: 'shared', namespace: 'infra', listeners: { http: 'web', https: 'websecure' }, address: '192.0.2.40',
      implementation: GatewayImplementation.istio(), ...props,
    });
    return { app, gateway, chart: new Chart(app, 'web') };
  }

  test('emits nothing itself; apps attach HTTPRoutes to its listeners by name', () => {
    const { app, gateway, chart } = existing();
    appOn(gateway, chart, { route: { tls: TlsCertificate.fromGatewayListener() } });
    expect(Testing.synth(app.charts[0])).toEqual([]);
    expect(byName(chart, 'HTTPRoute', 'shop').spec.parentRefs).toEqual([{ name: 'shared', namespace: 'infra', sectionName: 'websecure' }]);
    expect(byName(chart, 'HTTPRoute', 'shop-https-redirect').spec.parentRefs).toEqual([{ name: 'shared', namespace: 'infra', sectionName: 'web' }]);
    expect(kind(chart, 'DNSEndpoint').spec.endpoints[0].targets).toEqual(['192.0.2.40']);
    expect(kind(chart, 'NetworkPolicy').spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } },
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'shared' } },
    });
  });

  test('its route namespace labels go on the app namespaces', () => {
    const { gateway, chart } = existing({ routeNamespaceLabels: { 'shared-gateway-access': 'true' } });
    appOn(gateway, chart);
    expect(kind(chart, 'Namespace').metadata.labels['shared-gateway-access']).toBe('true');
  });

  test.each([
    ['no listener', { listeners: {} }, /'listeners' \(\{\}\) names no listener, so no app could attach/],
    ['neither implementation nor data plane', { implementation: undefined }, /'dataPlane' \(undefined\) is needed for the apps' NetworkPolicies/],
    ['a bad listener name', { listeners: { http: 'Web' } }, /'listeners.http' \("Web"\) is not a valid object name/],
  ])('fails with %s', (_, props, message) => {
    expect(errorOf(() => existing(props as any)).message).toMatch(message);
  });

  test('fails when an app brings its own certificate, or needs a listener the Gateway lacks', () => {
    const { gateway, chart } = existing({ listeners: { https: 'websecure' } });
    expect(errorOf(() => appOn(gateway, chart, { route: { tls: TlsCertificate.fromSecret('x') } })).message)
      .toMatch(/'route.tls' \("secret"\) brings a certificate, but Gateway infra\/shared .* holds its own; use TlsCertificate.fromGatewayListener\(\)/);
    expect(errorOf(() => appOn(gateway, chart, {}, 'plain')).message).toMatch(/'host' \("plain.example.com"\) needs a listener that Gateway infra\/shared .* does not have; give the Gateway an HTTP listener/);
    expect(errorOf(() => appOn(gateway, chart, { route: { tls: TlsCertificate.fromGatewayListener() } }, 'blog')).message)
      .toMatch(/'route.sslRedirect' \("blog.example.com"\) needs a listener .*; set sslRedirect to false/);
  });
});

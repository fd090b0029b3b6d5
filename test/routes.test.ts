/** Routes to other ports (issue 23 part 2, HTTP and gRPC): an Ingress, HTTPRoute or GRPCRoute per route. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AppProtocol, DataPlane, ExistingGateway, Gateway, GatewayImplementation, IngressController, IngressVip, PortProtocol, PortRouteOptions,
  RouteKind, TlsCertificate, WebApp, WebAppProps, WebStackApp,
} from '../lib';
import { docs, errorOf, IMAGE, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const GRPC_PORT = { name: 'grpc', port: 9000, appProtocol: AppProtocol.H2C };
const ADMIN_PORT = { name: 'admin', port: 9901, servicePort: 8081 };
const ISSUER = TlsCertificate.fromClusterIssuer('letsencrypt');
const GRPC: PortRouteOptions = { name: 'api', port: 'grpc', host: 'api.shop.example.com', grpc: [{ service: 'shop.v1.Orders' }, { service: 'shop.v1.Carts', method: 'Get' }], tls: ISSUER };
const ADMIN: PortRouteOptions = { name: 'admin', port: 'admin', host: 'admin.shop.example.com', paths: ['/'], tls: ISSUER };
const byName = (all: any[], k: string, name: string) => all.find(d => d.kind === k && d.metadata.name === name);

function onGateway(props: Partial<WebAppProps>, implementation = GatewayImplementation.envoyGateway(), id = 'shop') {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const gateway = new Gateway(platform, 'Gateway', { implementation, address: '192.0.2.20' });
  const chart = new Chart(app, 'web');
  // Only the routed ports: a port nobody may reach is an error.
  const ports = [GRPC_PORT, ADMIN_PORT].filter(p => (props.routes ?? []).some(route => route.port === p.name));
  const web = new WebApp(chart, id, { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', ports, ...props });
  return { app, platform, gateway, chart, web };
}

/** An implementation that serves HTTPRoute only, as an older release might. */
class HttpOnly extends GatewayImplementation {
  public readonly name = 'HTTP-only Gateway';
  public readonly gatewayClassName = 'http-only';
  public readonly addresses = GatewayImplementation.envoyGateway().addresses;
  public readonly copiesInfrastructureAnnotations = true;
  public readonly routeKinds = [RouteKind.HTTP];
  public dataPlane(): DataPlane {
    return { namespace: 'gateway', podLabels: { app: 'proxy' } };
  }
}

describe('routes behind a Gateway', () => {
  test('a gRPC route is a GRPCRoute on the HTTPS listener of its host, which admits GRPCRoute only', () => {
    const { platform, chart, web } = onGateway({ routes: [GRPC] });
    const all = docs(chart);
    const grpc = byName(all, 'GRPCRoute', 'shop-api');
    expect(grpc.spec).toEqual({
      parentRefs: [{ name: 'web', namespace: 'gateway', sectionName: 'https-api.shop.example.com' }],
      hostnames: ['api.shop.example.com'],
      rules: [{
        matches: [
          { method: { type: 'Exact', service: 'shop.v1.Orders' } },
          { method: { type: 'Exact', service: 'shop.v1.Carts', method: 'Get' } },
        ],
        backendRefs: [{ name: 'shop', port: 9000 }],
      }],
    });
    // No HTTPS redirect for gRPC: a gRPC client follows none.
    expect(all.filter(d => d.kind === 'HTTPRoute').map(d => d.metadata.name)).toEqual(['shop']);
    const listeners = docs(platform).find(d => d.kind === 'Gateway').spec.listeners;
    const kindsOf = (name: string) => listeners.find((l: any) => l.name === name)?.allowedRoutes.kinds.map((k: any) => k.kind);
    expect(kindsOf('http')).toEqual(['HTTPRoute']);
    expect(kindsOf('https-api.shop.example.com')).toEqual(['GRPCRoute']);
    expect(web.routes.map(r => [r.name, r.kind, r.port, r.host, r.urls])).toEqual([
      ['api', 'GRPCRoute', 'grpc', 'api.shop.example.com', ['https://api.shop.example.com/shop.v1.Orders', 'https://api.shop.example.com/shop.v1.Carts/Get']],
    ]);
    expect([...all, ...docs(platform)].flatMap(schemaErrors)).toEqual([]);
    expect(Testing.synth(chart)).toBeDefined();
  });

  test('an HTTP route is an HTTPRoute of its own, with its HTTPS redirect, to the port\'s Service port', () => {
    const { platform, chart, web } = onGateway({ routes: [ADMIN] });
    const all = docs(chart);
    const route = byName(all, 'HTTPRoute', 'shop-admin');
    expect(route.spec.hostnames).toEqual(['admin.shop.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'shop', port: 8081 }]);
    expect(byName(all, 'HTTPRoute', 'shop-admin-https-redirect').spec.hostnames).toEqual(['admin.shop.example.com']);
    expect(web.routes[0].httpsRedirect).toBeDefined();
    const listener = docs(platform).find(d => d.kind === 'Gateway').spec.listeners.find((l: any) => l.hostname === 'admin.shop.example.com');
    expect(listener.allowedRoutes.kinds).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]);
    expect([...all, ...docs(platform)].flatMap(schemaErrors)).toEqual([]);
  });

  test('a wildcard listener admits both kinds once a GRPCRoute attaches to it', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const gateway = new Gateway(platform, 'Gateway', {
      implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20',
      wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromSecret('wildcard') },
    });
    const chart = new Chart(app, 'web');
    new WebApp(chart, 'shop', {
      entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route: { tls: TlsCertificate.fromGatewayListener() }, ports: [GRPC_PORT],
      routes: [{ ...GRPC, host: 'api.example.com', tls: TlsCertificate.fromGatewayListener() }],
    });
    const wildcard = docs(platform).find(d => d.kind === 'Gateway').spec.listeners.find((l: any) => l.name === 'https');
    expect(wildcard.allowedRoutes.kinds.map((k: any) => k.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
    expect(byName(docs(chart), 'GRPCRoute', 'shop-api').spec.parentRefs).toEqual([{ name: 'web', namespace: 'gateway', sectionName: 'https' }]);
  });

  test('every preset serves GRPCRoute; TCPRoute and TLSRoute v1 where its release reads them', () => {
    const kinds = (impl: GatewayImplementation) => impl.routeKinds;
    const all = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TCP, RouteKind.TLS_PASSTHROUGH];
    const noTcp = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TLS_PASSTHROUGH];
    expect(kinds(GatewayImplementation.envoyGateway())).toEqual(all);
    expect(kinds(GatewayImplementation.cilium())).toEqual(all);
    expect(kinds(GatewayImplementation.nginxGatewayFabric())).toEqual(noTcp);
    expect(kinds(GatewayImplementation.istio())).toEqual(noTcp);
    expect(kinds(GatewayImplementation.traefik())).toEqual(noTcp);
  });

  test('fails if the implementation does not serve GRPCRoute, naming it', () => {
    expect(errorOf(() => onGateway({ routes: [GRPC] }, new HttpOnly())).message)
      .toMatch(/web\/shop: 'routes\[0\]\.grpc' .* is a GRPCRoute, which HTTP-only Gateway \(the implementation of Gateway gateway\/web .*\) does not serve/);
  });

  test('fails if an HTTPRoute and a GRPCRoute would share a host, in either order', () => {
    expect(errorOf(() => onGateway({ routes: [{ ...GRPC, host: 'shop.example.com' }] })).message)
      .toMatch(/'routes\[0\]\.host' \("shop\.example\.com"\) would carry a GRPCRoute, but web\/shop routes it with a HTTPRoute .*give the gRPC API a host of its own/);
    expect(errorOf(() => onGateway({ routes: [GRPC, { ...ADMIN, host: GRPC.host }] })).message)
      .toMatch(/'routes\[1\]\.host' .* would carry a HTTPRoute, but web\/shop routes it with a GRPCRoute/);
  });

  test('an ExistingGateway without an implementation allows GRPCRoute; with one, takes its word', () => {
    const build = (implementation?: GatewayImplementation) => {
      const app = Testing.app();
      const gateway = new ExistingGateway(new Chart(app, 'platform'), 'Gateway', {
        name: 'shared', namespace: 'infra', listeners: { http: 'http', https: 'https' }, dataPlane: { namespace: 'infra', podLabels: { app: 'proxy' } }, implementation,
      });
      const chart = new Chart(app, 'web');
      new WebApp(chart, 'shop', {
        entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route: { tls: TlsCertificate.fromGatewayListener() }, ports: [GRPC_PORT],
        routes: [{ ...GRPC, tls: TlsCertificate.fromGatewayListener() }], dns: false,
      });
      return chart;
    };
    const grpc = byName(docs(build()), 'GRPCRoute', 'shop-api');
    expect(grpc.spec.parentRefs).toEqual([{ name: 'shared', namespace: 'infra', sectionName: 'https' }]);
    expect(docs(build()).flatMap(schemaErrors)).toEqual([]);
    expect(errorOf(() => build(new HttpOnly())).message).toMatch(/'routes\[0\]\.grpc' .* HTTP-only Gateway/);
  });
});

describe('routes behind an IngressVip', () => {
  test('a gRPC route is an Ingress <app>-<name> of the services\' paths with ingress-nginx\'s backend-protocol', () => {
    const { chart, web } = webApp({ ports: [GRPC_PORT], routes: [GRPC] });
    const all = docs(chart);
    const ingress = byName(all, 'Ingress', 'shop-api');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC', 'nginx.ingress.kubernetes.io/ssl-redirect': 'false', 'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.shop.example.com'], secretName: 'shop-api-tls' }]);
    expect(ingress.spec.rules).toEqual([{
      host: 'api.shop.example.com',
      http: {
        paths: ['/shop.v1.Orders', '/shop.v1.Carts/Get'].map(path => ({ path, pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'grpc' } } } })),
      },
    }]);
    expect(web.routes[0].kind).toBe('Ingress');
    expect(byName(all, 'Ingress', 'shop').metadata.annotations['nginx.ingress.kubernetes.io/backend-protocol']).toBeUndefined();
    expect(all.flatMap(schemaErrors)).toEqual([]);
  });

  test.each([
    ['F5 NGINX', IngressController.f5Nginx(), { 'nginx.org/grpc-services': 'shop' }],
    ['HAProxy', IngressController.haproxy(), { 'haproxy.org/server-proto': 'h2' }],
    ['Traefik', IngressController.traefik(), { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' }],
  ])('%s gets its own gRPC backend annotation', (_name, controller, annotations) => {
    const { chart } = webApp({ ports: [GRPC_PORT], routes: [GRPC] }, { address: '192.0.2.10', controller });
    expect(byName(docs(chart), 'Ingress', 'shop-api').metadata.annotations).toMatchObject(annotations);
    expect(controller.routeKinds).toContain(RouteKind.GRPC);
  });

  test('fails if the controller has no gRPC backend annotation, naming it', () => {
    class HttpOnlyController extends IngressController {
      public readonly name = 'Plain controller';
      public readonly defaults = IngressController.haproxy().defaults;
      public readonly timeouts = IngressController.haproxy().timeouts;
      public readonly routeKinds = [RouteKind.HTTP];
      public _annotations(): Record<string, string> {
        return {};
      }
    }
    const controller = new HttpOnlyController();
    expect(errorOf(() => webApp({ ports: [GRPC_PORT], routes: [GRPC] }, { address: '192.0.2.10', controller })).message)
      .toMatch(/web\/shop: 'routes\[0\]\.grpc' .* is a gRPC route, and Plain controller \(behind IngressVip platform\/IngressVip\) has no annotation/);
  });

  test('an HTTP route to another port on the app\'s own host is a second Ingress of its paths, to the named port', () => {
    const { chart } = webApp({ ports: [ADMIN_PORT], routes: [{ name: 'admin', port: 'admin', host: 'shop.example.com', paths: ['/admin'] }] });
    const ingress = byName(docs(chart), 'Ingress', 'shop-admin');
    expect(ingress.spec.rules[0]).toEqual({
      host: 'shop.example.com', http: { paths: [{ path: '/admin', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'admin' } } } }] },
    });
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('false');
  });

  test('fails if two routes claim one host and path, or a route claims the app\'s', () => {
    expect(errorOf(() => webApp({ ports: [ADMIN_PORT], routes: [{ name: 'admin', port: 'admin', host: 'shop.example.com' }] })).message)
      .toMatch(/'routes\[0\]\.host' \("shop\.example\.com"\) and path "\/" are already routed through IngressVip .* by web\/shop/);
    expect(errorOf(() => webApp({ ports: [ADMIN_PORT, { name: 'other', port: 9902 }], routes: [ADMIN, { ...ADMIN, name: 'other', port: 'other' }] })).message)
      .toMatch(/'routes\[1\]\.host'/);
  });
});

describe('routes: the port, the policy and the record', () => {
  test('the NetworkPolicy admits the data plane to each routed port, which is then not a port nobody may reach', () => {
    const { chart } = webApp({ ports: [GRPC_PORT, ADMIN_PORT], routes: [GRPC, ADMIN] });
    const rules = kind(chart, 'NetworkPolicy').spec.ingress;
    expect(rules.map((r: any) => [r.ports[0].port, r.from])).toEqual([
      [8080, [rules[0].from[0]]], [9000, [rules[0].from[0]]], [9901, [rules[0].from[0]]],
    ]);
  });

  test('each new host gets a DNS record of its own, published from its route; a host of the app or an earlier route gets none', () => {
    const { chart, web } = webApp({
      ports: [GRPC_PORT, ADMIN_PORT],
      routes: [GRPC, ADMIN, { name: 'admin2', port: 'admin', host: 'admin.shop.example.com', paths: ['/v2'] }],
    });
    expect(web.routes.map(r => r.dnsRecord?.hostName)).toEqual(['api.shop.example.com', 'admin.shop.example.com', undefined]);
    const endpoints = docs(chart).filter(d => d.kind === 'DNSEndpoint');
    expect(endpoints.map(d => [d.metadata.name, d.spec.endpoints[0].dnsName])).toEqual([
      ['shop', 'shop.example.com'], ['shop-api', 'api.shop.example.com'], ['shop-admin', 'admin.shop.example.com'],
    ]);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
    const none = webApp({ ports: [GRPC_PORT], routes: [GRPC], dns: false });
    expect(none.web.routes[0].dnsRecord).toBeUndefined();
  });

  test('outputs.json lists the routes\' records with the app\'s', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'routes-')), 'dist');
    const app = new WebStackApp({ outdir });
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'web'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', ports: [GRPC_PORT], routes: [GRPC] });
    app.synth();
    const outputs = JSON.parse(fs.readFileSync(path.join(outdir, 'outputs.json'), 'utf8'));
    expect(outputs.apps[0].dns.map((r: any) => r.name)).toEqual(['shop.example.com', 'api.shop.example.com']);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  test.each<[string, Partial<WebAppProps>, RegExp]>([
    ['the port is not in ports', { routes: [{ ...ADMIN, port: 'nope' }] }, /'routes\[0\]\.port' \("nope"\) names no port of ports; name one of 'grpc', 'admin'/],
    ['the port is the serving port', { routes: [{ ...ADMIN, port: 'http' }] }, /'routes\[0\]\.port' \("http"\) is the serving port/],
    ['the port is UDP', { ports: [{ name: 'syslog', port: 5514, protocol: PortProtocol.UDP }], routes: [{ ...ADMIN, port: 'syslog' }] }, /is a UDP port \(ports\[0\]\)/],
    ['a gRPC port does not speak h2c', { ports: [{ name: 'grpc', port: 9000 }], routes: [GRPC] },
      /'routes\[0\]\.port' \("grpc"\) is a gRPC route's port, and ports\[0\]\.appProtocol is unset.*set ports\[0\]\.appProtocol to AppProtocol\.H2C/],
    ['two routes share a name', { routes: [ADMIN, { ...ADMIN, host: 'x.example.com' }] }, /'routes\[1\]\.name' \("admin"\) is already the name of another route/],
    ['a gRPC route has no TLS', { routes: [{ ...GRPC, tls: undefined }] }, /'routes\[0\]\.tls' \(undefined\) is required for a gRPC route/],
    ['a gRPC route sets sslRedirect', { routes: [{ ...GRPC, sslRedirect: true }] }, /'routes\[0\]\.sslRedirect' \(true\) is set on a gRPC route/],
    ['a gRPC route sets paths', { routes: [{ ...GRPC, paths: ['/'] }] }, /'routes\[0\]\.paths' .* is set on a gRPC route/],
    ['a gRPC route has no services', { routes: [{ ...GRPC, grpc: [] }] }, /'routes\[0\]\.grpc' \(\[\]\) is empty/],
    ['a gRPC route lists a method twice', { routes: [{ ...GRPC, grpc: [{ service: 'a.B' }, { service: 'a.B' }] }] }, /'routes\[0\]\.grpc' .* lists "\/a\.B" twice/],
    ['a service is no protobuf name', { routes: [{ ...GRPC, grpc: [{ service: 'shop/v1' }] }] }, /'routes\[0\]\.grpc\[0\]\.service' \("shop\/v1"\) is not a protobuf name/],
    ['a method is no protobuf name', { routes: [{ ...GRPC, grpc: [{ service: 'a.B', method: 'a.b' }] }] }, /'routes\[0\]\.grpc\[0\]\.method' \("a\.b"\) is not a protobuf name/],
    ['an HTTP route redirects without TLS', { routes: [{ ...ADMIN, tls: undefined, sslRedirect: true }] }, /'routes\[0\]\.sslRedirect' \(true\) is true, but the route has no TLS; give routes\[0\]\.tls/],
    ['an HTTP route has no paths', { routes: [{ ...ADMIN, paths: [] }] }, /'routes\[0\]\.paths' \(\[\]\) is empty/],
    ['a route has no host', { routes: [{ name: 'admin', port: 'admin' } as any] }, /'routes\[0\]\.host'/],
    ['a route\'s name is no DNS label', { routes: [{ ...ADMIN, name: 'Admin' }] }, /'routes\[0\]\.name' \("Admin"\)/],
  ])('fails if %s', (_what, props, message) => {
    expect(errorOf(() => webApp({ ports: [GRPC_PORT, ADMIN_PORT], ...props })).message).toMatch(message);
  });

  test('fails behind an IngressVip if a gRPC route takes its certificate from a Gateway listener', () => {
    expect(errorOf(() => webApp({ ports: [GRPC_PORT], routes: [{ ...GRPC, tls: TlsCertificate.fromGatewayListener() }] })).message)
      .toMatch(/'routes\[0\]\.tls' .* has no listener to take a certificate from/);
  });

  test('the synth-time check finds a route whose backend was patched to a port the Service lacks', () => {
    const { app, web } = webApp({ ports: [GRPC_PORT], routes: [GRPC] });
    web.routes[0].route.addJsonPatch(JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service/port/name', 'nope'));
    expect(() => app.synth()).toThrow(/Ingress path "\/shop\.v1\.Orders" points at service "shop" port "nope"/);
  });
});

describe('routes behind F5 NGINX', () => {
  test('fails if a route takes a host another Ingress serves, which it would drop', () => {
    const controller = IngressController.f5Nginx();
    expect(errorOf(() => webApp({ ports: [ADMIN_PORT], routes: [{ ...ADMIN, host: 'shop.example.com', paths: ['/admin'] }] }, { address: '192.0.2.10', controller })).message)
      .toMatch(/'routes\[0\]\.host' \("shop\.example\.com"\) already has an Ingress \(web\/shop route\), and F5 NGINX Ingress Controller serves only one plain Ingress per host/);
    const { chart } = webApp({ ports: [ADMIN_PORT], routes: [ADMIN] }, { address: '192.0.2.10', controller });
    expect(byName(docs(chart), 'Ingress', 'shop-admin').spec.rules[0].host).toBe('admin.shop.example.com');
  });
});

describe('routes: properties', () => {
  const HOSTS = ['shop.example.com', 'api.example.com', 'admin.example.com'];
  const route = fc.record({
    port: fc.constantFrom('grpc', 'admin'),
    host: fc.constantFrom(...HOSTS),
    path: fc.constantFrom('/', '/a', '/b'),
    service: fc.constantFrom('a.v1.A', 'b.v1.B'),
  });
  const entryPoints = ['vip', 'gateway'] as const;

  test('every backend is a port of the Service, no host and path is routed twice, and the output is schema-valid', () => {
    fc.assert(fc.property(fc.constantFrom(...entryPoints), fc.array(route, { maxLength: 4 }), (where, given) => {
      const routes: PortRouteOptions[] = given.map((r, i) => (r.port === 'grpc'
        ? { name: `r${i}`, port: 'grpc', host: r.host, grpc: [{ service: r.service }], tls: ISSUER }
        : { name: `r${i}`, port: 'admin', host: r.host, paths: [r.path] }));
      const ports = [GRPC_PORT, ADMIN_PORT].filter(p => routes.some(r => r.port === p.name));
      let chart: Chart;
      let platform: Chart | undefined;
      try {
        if (where === 'vip') {
          chart = webApp({ ports, routes }).chart;
        } else {
          ({ chart, platform } = onGateway({ routes }));
        }
      } catch (error) {
        // Refused input: one clear error, about a route's host (a claim, or kinds mixed on a host).
        expect((error as Error).message).toMatch(/'routes\[\d\]\.host'/);
        return;
      }
      const all = docs(chart);
      const service = all.find(d => d.kind === 'Service' && d.metadata.name === 'shop');
      const ports_ = service.spec.ports.map((p: any) => p.port);
      const names = service.spec.ports.map((p: any) => p.name);
      const claims: string[] = [];
      for (const doc of all) {
        if (doc.kind === 'Ingress') {
          for (const rule of doc.spec.rules) {
            for (const p of rule.http.paths) {
              expect(names).toContain(p.backend.service.port.name);
              claims.push(`${rule.host}${p.path}`);
            }
          }
        }
        if ((doc.kind === 'HTTPRoute' || doc.kind === 'GRPCRoute') && !doc.metadata.name.endsWith('-https-redirect')) {
          for (const rule of doc.spec.rules) {
            for (const b of rule.backendRefs ?? []) {
              expect(ports_).toContain(b.port);
            }
            for (const m of rule.matches) {
              claims.push(...doc.spec.hostnames.map((h: string) => `${h}${m.path?.value ?? `/${m.method.service}`}`));
            }
          }
        }
      }
      expect(claims.length).toBe(new Set(claims).size);
      expect([...all, ...(platform ? docs(platform) : [])].flatMap(schemaErrors)).toEqual([]);
    }), { numRuns: 40 });
  });
});

describe('routes: ExternalDNS annotations', () => {
  test('a gRPC route behind a Gateway carries its host\'s annotations; the target is on the Gateway', async () => {
    const { DnsProvider } = await import('../lib');
    const { chart, platform } = onGateway({ routes: [GRPC], dns: { provider: DnsProvider.externalDnsAnnotations() } });
    const grpc = byName(docs(chart), 'GRPCRoute', 'shop-api');
    expect(grpc.metadata.annotations['external-dns.kubernetes.io/hostname']).toBe('api.shop.example.com');
    expect(docs(platform).find(d => d.kind === 'Gateway').metadata.annotations['external-dns.kubernetes.io/target']).toBe('192.0.2.20');
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });
});

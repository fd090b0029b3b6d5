import { Chart, Testing } from 'cdk8s';
import { ExistingGateway, Gateway, GatewayAddressMode, GatewayImplementation, RouteOptions, TlsCertificate, WebApp } from '../lib';
import { errorOf, IMAGE } from './_fixtures';
import { schemaErrors } from './_schema';

/** The documents of an app with `route`, behind a Gateway that `implementation` runs. */
function behind(implementation: GatewayImplementation, route: RouteOptions) {
  const app = Testing.app();
  const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', {
    implementation, address: '192.0.2.20',
    ...(implementation.copiesInfrastructureAnnotations ? {} : { addressMode: GatewayAddressMode.PINNED_ELSEWHERE }),
  });
  const chart = new Chart(app, 'web');
  // Cilium's proxy is no pod a NetworkPolicy can admit.
  new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route, ...(gateway.dataPlane ? {} : { networkPolicy: false }) });
  const docs = app.charts.flatMap(c => Testing.synth(c));
  return { docs, route: docs.find(d => d.kind === 'HTTPRoute' && d.metadata.name === 'shop') };
}

/** The same, behind an ExistingGateway that knows its implementation, or only its data plane. */
function behindExisting(implementation: GatewayImplementation | undefined, route: RouteOptions) {
  const app = Testing.app();
  const gateway = new ExistingGateway(new Chart(app, 'platform'), 'Shared', {
    name: 'shared', namespace: 'infra', listeners: { http: 'http', https: 'https' }, address: '192.0.2.40', implementation,
    ...(implementation ? {} : { dataPlane: { namespace: 'infra', podLabels: { app: 'proxy' } } }),
  });
  const chart = new Chart(app, 'web');
  new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route });
  return Testing.synth(chart).find(d => d.kind === 'HTTPRoute' && d.metadata.name === 'shop');
}

const LONG_LIVED: RouteOptions = { longLivedConnections: true };

describe('GatewayImplementation timeouts', () => {
  test('each preset states what it does with an HTTPRoute\'s timeouts', () => {
    for (const honours of [GatewayImplementation.envoyGateway(), GatewayImplementation.istio(), GatewayImplementation.cilium()]) {
      expect(honours.timeouts).toEqual({ honoured: true });
    }
    expect(GatewayImplementation.nginxGatewayFabric().timeouts).toMatchObject({
      honoured: false, instead: expect.stringMatching(/ProxySettingsPolicy/), cutsLongLived: expect.stringMatching(/60 s/),
    });
    expect(GatewayImplementation.traefik().timeouts).toEqual({ honoured: false, instead: expect.stringMatching(/^drop it/) });
  });

  describe('long-lived connections', () => {
    test.each([
      ['Envoy Gateway', GatewayImplementation.envoyGateway()],
      ['Istio', GatewayImplementation.istio()],
      ['Cilium', GatewayImplementation.cilium()],
    ])('%s: the request timeout off (0s), on the main route only', (_, implementation) => {
      // Given an app that holds connections open, when a Gateway that honours HTTPRoute
      // timeouts serves it, then its route turns the request timeout off.
      const { docs, route } = behind(implementation, { ...LONG_LIVED, tls: TlsCertificate.fromClusterIssuer('letsencrypt') });
      expect(route.spec.rules[0].timeouts).toEqual({ request: '0s' });
      const redirect = docs.find(d => d.metadata.name === 'shop-https-redirect');
      expect(redirect.spec.rules[0].timeouts).toBeUndefined();
      expect(docs.flatMap(schemaErrors)).toEqual([]);
    });

    test('Traefik: nothing, since nothing of its own cuts them', () => {
      const { docs, route } = behind(GatewayImplementation.traefik(), LONG_LIVED);
      expect(route.spec.rules[0]).not.toHaveProperty('timeouts');
      expect(docs.flatMap(schemaErrors)).toEqual([]);
    });

    test('NGINX Gateway Fabric: an error naming its ProxySettingsPolicy, never a shorter timeout', () => {
      const error = errorOf(() => behind(GatewayImplementation.nginxGatewayFabric(), LONG_LIVED));
      expect(error.message).toMatch(/^web\/shop: 'route.longLivedConnections' \(true\) cannot be written on an HTTPRoute for NGINX Gateway Fabric, which runs Gateway gateway\/web \(platform\/Gateway\): it ignores HTTPRoute timeouts, and nginx's proxy_read_timeout of 60 s, which closes a connection the app sends nothing on for a minute; attach a ProxySettingsPolicy \(gateway.nginx.org\/v1alpha1, NGINX Gateway Fabric 2.6 or later\) to the app's HTTPRoute, with spec.timeout.read and spec.timeout.send/);
      expect(error.message).not.toMatch(/'(60|3600)s?'/);
    });

    test('an ExistingGateway of a known implementation writes what that implementation needs', () => {
      expect(behindExisting(GatewayImplementation.istio(), LONG_LIVED).spec.rules[0].timeouts).toEqual({ request: '0s' });
      expect(behindExisting(GatewayImplementation.traefik(), LONG_LIVED).spec.rules[0]).not.toHaveProperty('timeouts');
      expect(errorOf(() => behindExisting(GatewayImplementation.nginxGatewayFabric(), LONG_LIVED)).message)
        .toMatch(/'route.longLivedConnections' \(true\) cannot be written on an HTTPRoute for NGINX Gateway Fabric, which runs Gateway infra\/shared/);
    });

    test('an ExistingGateway of an unknown implementation gets the portable value, 0s', () => {
      const route = behindExisting(undefined, LONG_LIVED);
      expect(route.spec.rules[0].timeouts).toEqual({ request: '0s' });
      expect(schemaErrors(route)).toEqual([]);
    });
  });

  describe('route timeouts', () => {
    test('0 is no limit, written 0s; a backend timeout may exceed a request timeout of 0', () => {
      const { docs, route } = behind(GatewayImplementation.envoyGateway(), { requestTimeoutSeconds: 0, backendRequestTimeoutSeconds: 30 });
      expect(route.spec.rules[0].timeouts).toEqual({ request: '0s', backendRequest: '30s' });
      expect(docs.flatMap(schemaErrors)).toEqual([]);
      expect(behind(GatewayImplementation.istio(), { backendRequestTimeoutSeconds: 0 }).route.spec.rules[0].timeouts).toEqual({ backendRequest: '0s' });
    });

    test('the longest, a day', () => {
      const { docs, route } = behind(GatewayImplementation.cilium(), { requestTimeoutSeconds: 86400 });
      expect(route.spec.rules[0].timeouts).toEqual({ request: '86400s' });
      expect(docs.flatMap(schemaErrors)).toEqual([]);
    });

    test.each([
      ['NGINX Gateway Fabric', 'requestTimeoutSeconds', GatewayImplementation.nginxGatewayFabric(), 30, /attach a ProxySettingsPolicy/],
      ['NGINX Gateway Fabric', 'backendRequestTimeoutSeconds', GatewayImplementation.nginxGatewayFabric(), 0, /attach a ProxySettingsPolicy/],
      ['Traefik', 'requestTimeoutSeconds', GatewayImplementation.traefik(), 0, /drop it: Traefik sets no response timeout by default/],
      ['Traefik', 'backendRequestTimeoutSeconds', GatewayImplementation.traefik(), 30, /responseHeaderTimeout .* bounds only the wait for the response headers/],
    ])('%s ignores HTTPRoute timeouts: %s is an error naming it, not a silent drop', (name, prop, implementation, value, fix) => {
      const message = errorOf(() => behind(implementation as GatewayImplementation, { [prop as string]: value })).message;
      expect(message).toMatch(new RegExp(`^web/shop: 'route.${prop}' \\(${value}\\) would be ignored: ${name}, which runs Gateway gateway/web \\(platform/Gateway\\), does not implement HTTPRoute timeouts; `));
      expect(message).toMatch(fix as RegExp);
    });

    test('an ExistingGateway of an implementation that ignores them refuses them too', () => {
      expect(errorOf(() => behindExisting(GatewayImplementation.traefik(), { requestTimeoutSeconds: 10 })).message)
        .toMatch(/'route.requestTimeoutSeconds' \(10\) would be ignored: Traefik, which runs Gateway infra\/shared/);
      expect(behindExisting(undefined, { requestTimeoutSeconds: 10 }).spec.rules[0].timeouts).toEqual({ request: '10s' });
    });
  });
});

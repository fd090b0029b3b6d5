import { Chart, Testing } from 'cdk8s';
import { Gateway, GatewayImplementation, RouteOptions, WebApp } from '../lib';
import { errorOf, IMAGE, webApp } from './_fixtures';

/** An app with `route` behind an Envoy Gateway. */
function onGateway(route: RouteOptions) {
  const app = Testing.app();
  const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
  return new WebApp(new Chart(app, 'web'), 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route });
}

describe('RouteOptions', () => {
  describe('longLivedConnections sets the timeouts that cut open connections, so none may be given beside it', () => {
    test.each([
      ['proxyReadTimeoutSeconds', 3600, (route: RouteOptions) => webApp({ route })],
      ['proxySendTimeoutSeconds', 60, (route: RouteOptions) => webApp({ route })],
      ['requestTimeoutSeconds', 30, onGateway],
      ['requestTimeoutSeconds', 0, onGateway],
      ['backendRequestTimeoutSeconds', 30, onGateway],
    ])('%s (%s)', (prop, value, build) => {
      expect(errorOf(() => build({ longLivedConnections: true, [prop]: value })).message).toBe(
        `web/shop: 'route.${prop}' (${value}) is given beside 'route.longLivedConnections', which sets that timeout itself (off, or as long as the entry point allows); drop ${prop}`);
    });

    test('whatever the entry point: the same refusal behind a Gateway for an Ingress-only timeout', () => {
      expect(errorOf(() => onGateway({ longLivedConnections: true, proxyReadTimeoutSeconds: 30 })).message)
        .toMatch(/'route.proxyReadTimeoutSeconds' \(30\) is given beside 'route.longLivedConnections'/);
    });

    test('the connect timeout is free: it never cuts an open connection', () => {
      expect(() => webApp({ route: { longLivedConnections: true, proxyConnectTimeoutSeconds: 5 } })).not.toThrow();
    });
  });

  describe('shapes, for JavaScript callers and out-of-range values', () => {
    test.each([
      ['longLivedConnections', 'yes', /'route.longLivedConnections' \("yes"\) is not a boolean; write a boolean \(true or false\)/],
      ['proxyReadTimeoutSeconds', 86401, /'route.proxyReadTimeoutSeconds' \(86401\) must be a whole number from 0 to 86400; give whole seconds up to 86400 \(a day\); for WebSockets, server-sent events and gRPC streams set route.longLivedConnections instead/],
      ['proxyConnectTimeoutSeconds', -1, /'route.proxyConnectTimeoutSeconds' \(-1\) must be a whole number from 0 to 86400/],
      ['requestTimeoutSeconds', 1.5, /'route.requestTimeoutSeconds' \(1.5\) must be a whole number from 0 to 86400; give whole seconds up to 86400 \(a day\), or 0 for no limit/],
      ['backendRequestTimeoutSeconds', 90000, /'route.backendRequestTimeoutSeconds' \(90000\) must be a whole number from 0 to 86400; .*or 0 for no limit/],
    ])('%s: %s', (prop, value, message) => {
      expect(errorOf(() => onGateway({ [prop]: value } as RouteOptions)).message).toMatch(message);
    });
  });
});

import { IngressController, TlsCertificate, WebAppProps } from '../lib';
import { docs, errorOf, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

function ingressOf(controller: IngressController, props: Partial<WebAppProps>) {
  const { chart, vip } = webApp(props, { address: '192.0.2.10', controller });
  return { ingress: kind(chart, 'Ingress'), policy: kind(chart, 'NetworkPolicy'), vip, docs: docs(chart) };
}

/** The timeout (and WebSocket) annotations of the app's Ingress behind `controller`. */
function timeoutAnnotations(controller: IngressController, route: WebAppProps['route']): Record<string, string> {
  const annotations: Record<string, string> = ingressOf(controller, { route }).ingress.metadata.annotations ?? {};
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => /timeout|websocket/.test(k)));
}

const TLS = { tls: TlsCertificate.fromClusterIssuer('letsencrypt') };
const OPTIONS = { ...TLS, proxyBodySize: '8m', proxyConnectTimeoutSeconds: 5, proxyReadTimeoutSeconds: 30, proxySendTimeoutSeconds: 30 };

describe('IngressController', () => {
  test('ingress-nginx (the default): unitless seconds, ssl-redirect and force-ssl-redirect', () => {
    const { ingress, vip } = ingressOf(IngressController.ingressNginx(), { route: OPTIONS });
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
      'nginx.ingress.kubernetes.io/proxy-connect-timeout': '5',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '30',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '30',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
    });
    expect(vip.namespace).toBe('ingress-nginx');
    expect(vip.ingressClassName).toBe('nginx');
  });

  test('F5 NGINX: nginx.org annotations with time units, its chart\'s namespace, labels and class', () => {
    const { ingress, policy, vip } = ingressOf(IngressController.f5Nginx(), { route: OPTIONS });
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.org/client-max-body-size': '8m',
      'nginx.org/proxy-connect-timeout': '5s',
      'nginx.org/proxy-read-timeout': '30s',
      'nginx.org/proxy-send-timeout': '30s',
      'nginx.org/ssl-redirect': 'true',
    });
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(vip.namespace).toBe('nginx-ingress');
    expect(policy.spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nginx-ingress' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nginx-ingress', 'app.kubernetes.io/instance': 'nginx-ingress' } },
    });
  });

  test('HAProxy: redirect to port 443 with 301, and the server timeout', () => {
    const { ingress, vip } = ingressOf(IngressController.haproxy(), { route: { ...TLS, proxyReadTimeoutSeconds: 30 } });
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'haproxy.org/ssl-redirect': 'true',
      'haproxy.org/ssl-redirect-code': '301',
      'haproxy.org/ssl-redirect-port': '443',
      'haproxy.org/timeout-server': '30s',
    });
    expect(ingress.spec.ingressClassName).toBe('haproxy');
    expect(vip.namespace).toBe('haproxy-controller');
    expect(vip.controllerLabels).toEqual({ 'app.kubernetes.io/name': 'kubernetes-ingress', 'app.kubernetes.io/instance': 'kubernetes-ingress' });
  });

  test('Traefik: ingress-nginx\'s annotations for its NGINX provider, its chart\'s namespace, labels and ports', () => {
    const { ingress, policy, vip } = ingressOf(IngressController.traefik(), { route: OPTIONS });
    expect(ingress.metadata.annotations).toEqual(ingressOf(IngressController.ingressNginx(), { route: OPTIONS }).ingress.metadata.annotations);
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(vip.namespace).toBe('traefik');
    expect(vip.service.toJson().spec.ports).toEqual([
      expect.objectContaining({ name: 'http', port: 80, targetPort: 'web' }),
      expect.objectContaining({ name: 'https', port: 443, targetPort: 'websecure' }),
    ]);
    expect(policy.spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-traefik' } },
    });
    const other = ingressOf(IngressController.traefik({ namespace: 'edge', release: 'proxy' }), {}).vip;
    expect([other.namespace, other.controllerLabels['app.kubernetes.io/instance']]).toEqual(['edge', 'proxy-edge']);
  });

  test('Traefik: a misspelt option names the known ones', () => {
    expect(errorOf(() => IngressController.traefik({ namespaces: 'edge' } as any)).message).toMatch(/namespaces/);
  });

  test('redirect off, and no TLS: each controller writes only what applies', () => {
    expect(ingressOf(IngressController.f5Nginx(), { route: { ...TLS, sslRedirect: false } }).ingress.metadata.annotations['nginx.org/ssl-redirect']).toBe('false');
    expect(ingressOf(IngressController.haproxy(), {}).ingress.metadata.annotations).toBeUndefined();
    expect(ingressOf(IngressController.f5Nginx(), {}).ingress.metadata.annotations).toBeUndefined();
  });

  test.each([
    ['HAProxy', IngressController.haproxy(), { proxyBodySize: '8m' }, /'route.proxyBodySize' \("8m"\) has no per-Ingress annotation in HAProxy Kubernetes Ingress Controller/],
    ['HAProxy', IngressController.haproxy(), { proxyConnectTimeoutSeconds: 5 }, /'route.proxyConnectTimeoutSeconds' \(5\) has no per-Ingress annotation in HAProxy .*; set timeout-connect in the controller's ConfigMap/],
    ['HAProxy', IngressController.haproxy(), { proxySendTimeoutSeconds: 5 }, /one server inactivity timeout for both directions: set proxyReadTimeoutSeconds/],
    ['ingress-nginx', IngressController.ingressNginx(), { requestTimeoutSeconds: 5 }, /'route.requestTimeoutSeconds' \(5\) has no per-Ingress annotation in ingress-nginx; it is an HTTPRoute timeout: behind an Ingress use proxyReadTimeoutSeconds, or longLivedConnections for connections that must stay open/],
    ['ingress-nginx', IngressController.ingressNginx(), { requestTimeoutSeconds: 0 }, /'route.requestTimeoutSeconds' \(0\) has no per-Ingress annotation in ingress-nginx; .*longLivedConnections/],
    ['HAProxy', IngressController.haproxy(), { backendRequestTimeoutSeconds: 5 }, /'route.backendRequestTimeoutSeconds' \(5\) has no per-Ingress annotation in HAProxy/],
    ['Traefik', IngressController.traefik(), { requestTimeoutSeconds: 5 }, /'route.requestTimeoutSeconds' \(5\) has no per-Ingress annotation in Traefik \(Kubernetes Ingress NGINX provider\)/],
    ['F5 NGINX', IngressController.f5Nginx(), { backendRequestTimeoutSeconds: 5 }, /'route.backendRequestTimeoutSeconds' \(5\) has no per-Ingress annotation in F5 NGINX Ingress Controller/],
  ])('%s refuses an option it cannot express, naming the controller', (_, controller, route, message) => {
    expect(errorOf(() => ingressOf(controller, { route })).message).toMatch(message);
  });

  describe('long-lived connections', () => {
    test.each([
      ['ingress-nginx: a day, unitless', IngressController.ingressNginx(), {
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '86400', 'nginx.ingress.kubernetes.io/proxy-send-timeout': '86400',
      }],
      ['Traefik: 0, no deadline, as a bare integer its provider parses', IngressController.traefik(), {
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '0', 'nginx.ingress.kubernetes.io/proxy-send-timeout': '0',
      }],
      ['F5 NGINX: a day, and the app\'s Service among its WebSocket services', IngressController.f5Nginx(), {
        'nginx.org/proxy-read-timeout': '86400s', 'nginx.org/proxy-send-timeout': '86400s', 'nginx.org/websocket-services': 'shop',
      }],
      ['HAProxy: its one server timeout, a day', IngressController.haproxy(), { 'haproxy.org/timeout-server': '86400s' }],
    ])('%s', (_, controller, expected) => {
      // Given an app that holds connections open, when it is served through the controller,
      // then the timeouts that would cut them are off or as long as the controller allows.
      const route = { ...TLS, longLivedConnections: true };
      expect(timeoutAnnotations(controller, route)).toEqual(expected);
      expect(ingressOf(controller, { route }).docs.flatMap(schemaErrors)).toEqual([]);
    });

    test('the connect timeout stays the user\'s, beside long-lived connections', () => {
      expect(timeoutAnnotations(IngressController.ingressNginx(), { longLivedConnections: true, proxyConnectTimeoutSeconds: 5 }))
        .toMatchObject({ 'nginx.ingress.kubernetes.io/proxy-connect-timeout': '5', 'nginx.ingress.kubernetes.io/proxy-read-timeout': '86400' });
    });

    test('false writes nothing', () => {
      for (const controller of [IngressController.ingressNginx(), IngressController.f5Nginx(), IngressController.haproxy(), IngressController.traefik()]) {
        expect(timeoutAnnotations(controller, { longLivedConnections: false })).toEqual({});
      }
    });

    test('each preset states the timeouts it takes', () => {
      expect(IngressController.ingressNginx().timeouts).toEqual({
        connect: 'nginx.ingress.kubernetes.io/proxy-connect-timeout', read: 'nginx.ingress.kubernetes.io/proxy-read-timeout',
        send: 'nginx.ingress.kubernetes.io/proxy-send-timeout', unit: '', zeroIsNoLimit: false,
      });
      expect(IngressController.traefik().timeouts).toEqual({ ...IngressController.ingressNginx().timeouts, zeroIsNoLimit: true });
      expect(IngressController.f5Nginx().timeouts).toMatchObject({ read: 'nginx.org/proxy-read-timeout', unit: 's', zeroIsNoLimit: false });
      expect(IngressController.haproxy().timeouts).toEqual({ read: 'haproxy.org/timeout-server', unit: 's', zeroIsNoLimit: false });
    });
  });

  describe('a timeout of 0', () => {
    test('Traefik: no limit, written as 0', () => {
      expect(timeoutAnnotations(IngressController.traefik(), { proxyConnectTimeoutSeconds: 0, proxyReadTimeoutSeconds: 0, proxySendTimeoutSeconds: 0 })).toEqual({
        'nginx.ingress.kubernetes.io/proxy-connect-timeout': '0',
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '0',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '0',
      });
    });

    test.each([
      ['ingress-nginx', 'proxyReadTimeoutSeconds', IngressController.ingressNginx(), /^web\/shop: 'route.proxyReadTimeoutSeconds' \(0\) is not "no limit" in ingress-nginx; for WebSockets, server-sent events and gRPC streams set route.longLivedConnections \(a day of inactivity/],
      ['ingress-nginx', 'proxyConnectTimeoutSeconds', IngressController.ingressNginx(), /'route.proxyConnectTimeoutSeconds' \(0\) is not "no limit" in ingress-nginx; give whole seconds: the connect timeout never cuts a connection once it is open/],
      ['F5 NGINX', 'proxySendTimeoutSeconds', IngressController.f5Nginx(), /'route.proxySendTimeoutSeconds' \(0\) is not "no limit" in F5 NGINX Ingress Controller; .*route.longLivedConnections/],
      ['HAProxy', 'proxyReadTimeoutSeconds', IngressController.haproxy(), /'route.proxyReadTimeoutSeconds' \(0\) is not "no limit" in HAProxy Kubernetes Ingress Controller/],
    ])('%s refuses %s, never suggesting a shorter timeout', (_, prop, controller, message) => {
      const error = errorOf(() => ingressOf(controller, { route: { [prop]: 0 } }));
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/give an integer|3600/);
    });
  });

  test('behind an IngressVip, the listener certificate and a Secret in another namespace are refused', () => {
    expect(errorOf(() => webApp({ route: { tls: TlsCertificate.fromGatewayListener() } })).message)
      .toMatch(/'route.tls' \("TlsCertificate.fromGatewayListener\(\)"\) has no listener to take a certificate from behind IngressVip platform\/IngressVip/);
    expect(errorOf(() => webApp({ route: { tls: TlsCertificate.fromSecret('x', { namespace: 'certs' }) } })).message)
      .toMatch(/'route.tls.namespace' \("certs"\) is not the app's namespace \("shop"\), and an Ingress reads its certificate from its own namespace/);
  });

  test('a controller that is not an IngressController', () => {
    expect(errorOf(() => webApp({}, { address: '192.0.2.10', controller: 'nginx' as unknown as IngressController })).message)
      .toMatch(/^platform\/IngressVip: 'controller' \("nginx"\) is not an IngressController; use IngressController.ingressNginx\(\)/);
  });
});

import { IngressController, TlsCertificate, WebAppProps } from '../lib';
import { errorOf, kind, webApp } from './_fixtures';

function ingressOf(controller: IngressController, props: Partial<WebAppProps>) {
  const { chart, vip } = webApp(props, { address: '192.0.2.10', controller });
  return { ingress: kind(chart, 'Ingress'), policy: kind(chart, 'NetworkPolicy'), vip };
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
    ['ingress-nginx', IngressController.ingressNginx(), { requestTimeoutSeconds: 5 }, /'route.requestTimeoutSeconds' \(5\) has no per-Ingress annotation in ingress-nginx; it is an HTTPRoute timeout: behind an Ingress use proxyReadTimeoutSeconds/],
    ['Traefik', IngressController.traefik(), { requestTimeoutSeconds: 5 }, /'route.requestTimeoutSeconds' \(5\) has no per-Ingress annotation in Traefik \(Kubernetes Ingress NGINX provider\)/],
    ['F5 NGINX', IngressController.f5Nginx(), { backendRequestTimeoutSeconds: 5 }, /'route.backendRequestTimeoutSeconds' \(5\) has no per-Ingress annotation in F5 NGINX Ingress Controller/],
  ])('%s refuses an option it cannot express, naming the controller', (_, controller, route, message) => {
    expect(errorOf(() => ingressOf(controller, { route })).message).toMatch(message);
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

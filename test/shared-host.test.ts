/** Several apps under one host (issue 23 part 3): an API app on `/api` under the web app's `/`. */
import { Chart, Testing } from 'cdk8s';
import { Gateway, GatewayImplementation, IngressController, IngressVip, TlsCertificate, WebApp, WebAppProps } from '../lib';
import { errorOf, IMAGE } from './_fixtures';
import { schemaErrors } from './_schema';

type EntryKind = 'vip' | 'gateway';

function stack(kind: EntryKind, api: Partial<WebAppProps> = {}, web: Partial<WebAppProps> = {}, controller?: IngressController) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const entryPoint = kind === 'vip'
    ? new IngressVip(platform, 'vip', { address: '192.0.2.10', ...(controller ? { controller } : {}) })
    : new Gateway(platform, 'gw', { address: '192.0.2.20', implementation: GatewayImplementation.envoyGateway() });
  const chart = new Chart(app, 'realtime');
  const owner = new WebApp(chart, 'board', { entryPoint, image: IMAGE, host: 'board.example.com', route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') }, ...web });
  const joiner = new WebApp(chart, 'board-api', { entryPoint, image: IMAGE, host: 'board.example.com', hostOwner: owner, route: { paths: ['/api'] }, ...api });
  return { app, chart, platform, owner, joiner };
}

const docsOf = (chart: Chart) => Testing.synth(chart);
const find = (docs: any[], kind: string, name: string) => docs.find(d => d.kind === kind && d.metadata.name === name);

describe('hostOwner', () => {
  test('behind an IngressVip: the API app\'s Ingress routes /api to its Service, in the owner\'s namespace, with the owner\'s certificate and no record or Namespace of its own', () => {
    const { chart, owner, joiner } = stack('vip');
    const docs = docsOf(chart);
    expect(joiner.namespace).toBe('board');
    expect(docs.filter(d => d.kind === 'Namespace').map(d => d.metadata.name)).toEqual(['board']);
    expect(docs.filter(d => d.kind === 'DNSEndpoint').map(d => d.metadata.name)).toEqual(['board']);
    const web = find(docs, 'Ingress', 'board');
    const api = find(docs, 'Ingress', 'board-api');
    expect(web.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    // Only the owner asks cert-manager: two Certificates of one Secret would fight over it.
    expect(api.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(api.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
    expect(api.spec.tls).toEqual(web.spec.tls);
    expect(api.spec.rules).toEqual([{ host: 'board.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'board-api', port: { name: 'http' } } } }] } }]);
    expect(owner.urls).toEqual(['https://board.example.com/']);
    expect(joiner.urls).toEqual(['https://board.example.com/api']);
    expect(joiner.dnsRecords).toEqual([]);
    expect(docs.flatMap(schemaErrors)).toEqual([]);
  });

  test('behind a Gateway: the API app\'s HTTPRoute attaches to the host\'s one HTTPS listener; no second listener or ReferenceGrant', () => {
    const { chart, platform } = stack('gateway');
    const docs = docsOf(chart);
    const gateway = Testing.synth(platform).find(d => d.kind === 'Gateway');
    expect(gateway.spec.listeners.map((l: any) => l.name)).toEqual(['http', 'https-board.example.com']);
    const routes = docs.filter(d => d.kind === 'HTTPRoute');
    const api = routes.find(r => r.metadata.name === 'board-api');
    expect(api.spec.parentRefs).toEqual([expect.objectContaining({ sectionName: 'https-board.example.com' })]);
    expect(api.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
    expect(api.spec.rules[0].backendRefs).toEqual([expect.objectContaining({ name: 'board-api', port: 80 })]);
    expect(docs.filter(d => d.kind === 'ReferenceGrant')).toEqual([]);
    expect(docs.filter(d => d.kind === 'DNSEndpoint')).toHaveLength(1);
    expect(docs.flatMap(schemaErrors)).toEqual([]);
  });

  test.each<[string, Partial<WebAppProps>, string, RegExp]>([
    ['another host', { host: 'api.example.com' }, 'host', /\("api\.example\.com"\) is not a host of the owner \(board\.example\.com\), but the host belongs to realtime\/board \(hostOwner\); give the owner's host, 'board\.example\.com'/],
    ['another namespace', { namespace: { name: 'api' } }, 'namespace.name', /is not the owner's namespace "board", where the host's certificate Secret is/],
    ['a Namespace of its own', { namespace: { create: true } }, 'namespace.create', /would emit the owner's Namespace a second time/],
    ['a certificate of its own', { route: { paths: ['/api'], tls: TlsCertificate.fromSecret('api-tls') } }, 'route.tls', /is set, but the host belongs to realtime\/board.*the host's certificate and HTTPS redirect are the owner's/],
    ['a redirect of its own', { route: { paths: ['/api'], sslRedirect: false } }, 'route.sslRedirect', /is set/],
    ['a DNS record of its own', { dns: false }, 'dns', /the owner publishes the host's record/],
    ['other hosts', { otherHosts: ['www.board.example.com'] }, 'otherHosts', /give the owner the hosts/],
    ['the owner\'s path', { route: { paths: ['/'] } }, 'host', /and path "\/" are already routed through .* by realtime\/board/],
    ['something that is not a WebApp', { hostOwner: new Chart(Testing.app(), 'x') as any }, 'hostOwner', /is not a WebApp/],
  ])('refuses %s', (_, props, prop, message) => {
    const error = errorOf(() => stack('vip', props));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test('refuses another entry point, and F5 NGINX, which serves one Ingress per host', () => {
    const error = errorOf(() => {
      const app = Testing.app();
      const platform = new Chart(app, 'platform');
      const a = new IngressVip(platform, 'a', { address: '192.0.2.10' });
      const b = new IngressVip(platform, 'b', { address: '192.0.2.11', ingressClassName: 'other' });
      const chart = new Chart(app, 'c');
      const owner = new WebApp(chart, 'board', { entryPoint: a, image: IMAGE, host: 'board.example.com' });
      new WebApp(chart, 'api', { entryPoint: b, image: IMAGE, host: 'board.example.com', hostOwner: owner, route: { paths: ['/api'] } });
    });
    expect(error.prop).toBe('entryPoint');
    expect(error.message).toMatch(/is not IngressVip .*, through which the owner serves the host/);
    const f5 = errorOf(() => stack('vip', {}, {}, IngressController.f5Nginx()));
    expect(f5.prop).toBe('hostOwner');
    expect(f5.message).toMatch(/F5 NGINX Ingress Controller serves only one Ingress per host/);
  });
});

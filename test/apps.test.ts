import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { referenceApp } from '../apps/reference';
import { ENVIRONMENTS } from '../apps/environments';
import { Template } from 'aws-cdk-lib/assertions';
import { DnsZone, Route53HostedZone, synthManifests } from '../lib';
import { schemaErrors } from './_schema';

describe('example apps', () => {
  const app = referenceApp({ outdir: 'unused' });
  const charts = app.charts;

  test('one chart for the platform, one for the shop, one per blog environment, one per team app', () => {
    expect(charts.map(c => c.node.id)).toEqual(['platform', 'shop-prod', 'blog-dev', 'blog-staging', 'blog-prod', 'forge', 'ops-console', 'registry-cache', 'board']);
  });

  test.each(['platform', 'shop-prod', 'blog-dev', 'blog-staging', 'blog-prod', 'forge', 'ops-console', 'registry-cache', 'board'])('chart %s: snapshot, and every document is schema-valid', (id) => {
    const chart = charts.find(c => c.node.id === id)!;
    const docs = Testing.synth(chart);
    expect(docs).toMatchSnapshot();
    expect(docs.flatMap(schemaErrors)).toEqual([]);
  });

  test('every app points its DNS record at its entry point, and its route at that entry point', () => {
    const docs = synthManifests(app);
    const vip = docs.find(d => d.kind === 'Service' && d.spec.type === 'LoadBalancer' && d.metadata.name === 'ingress-node-vip');
    const vipAddress = vip.metadata.annotations['metallb.io/loadBalancerIPs'];
    const gateway = docs.find(d => d.kind === 'Gateway');
    const gatewayAddress = gateway.spec.infrastructure.annotations['metallb.io/loadBalancerIPs'];
    expect([vipAddress, gatewayAddress]).toEqual(['192.0.2.10', '192.0.2.20']);
    const ingresses = docs.filter(d => d.kind === 'Ingress');
    const routes = docs.filter(d => d.kind === 'HTTPRoute');
    const endpoints = docs.filter(d => d.kind === 'DNSEndpoint');
    const behind = (entry: string) => ENVIRONMENTS.filter(e => e.entryPoint === entry).map(e => e.host);
    expect(ingresses.map(i => i.spec.rules[0].host)).toEqual(['shop.example.com', 'www.shop.example.com', ...behind('ingress'), 'git.example.com']);
    expect(ingresses.every(i => i.spec.ingressClassName === 'nginx')).toBe(true);
    expect(routes.map(r => [r.metadata.name, r.spec.hostnames, r.spec.parentRefs])).toEqual([
      ['blog', behind('gateway'), [{ name: 'web', namespace: 'gateway', sectionName: 'https-blog.example.com' }]],
      ['blog-https-redirect', behind('gateway'), [{ name: 'web', namespace: 'gateway', sectionName: 'http' }]],
      ['ops-console', ['ops.internal.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'https-ops.internal.example.com' }]],
      ['ops-console-https-redirect', ['ops.internal.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'http' }]],
      ['registry-cache', ['mirror.internal.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'https-mirror.internal.example.com' }]],
      ['registry-cache-https-redirect', ['mirror.internal.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'http' }]],
      // The board's API under /api of the board's host: the same listeners.
      ['board', ['board.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'https-board.example.com' }]],
      ['board-https-redirect', ['board.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'http' }]],
      ['board-api', ['board.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'https-board.example.com' }]],
      ['board-api-https-redirect', ['board.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'http' }]],
    ]);
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.hostname])).toEqual([
      ['http', undefined], ['https-blog.example.com', 'blog.example.com'], ['https-board.example.com', 'board.example.com'], ['https-mirror.internal.example.com', 'mirror.internal.example.com'],
      ['https-ops-api.internal.example.com', 'ops-api.internal.example.com'], ['https-ops.internal.example.com', 'ops.internal.example.com'],
    ]);
    // The ops console's gRPC API: a GRPCRoute on the listener of its own host, which admits only GRPCRoute.
    expect(docs.filter(d => d.kind === 'GRPCRoute').map(r => [r.metadata.name, r.spec.hostnames, r.spec.parentRefs, r.spec.rules[0].backendRefs])).toEqual([
      ['ops-console-api', ['ops-api.internal.example.com'], [{ name: 'web', namespace: 'gateway', sectionName: 'https-ops-api.internal.example.com' }], [{ name: 'ops-console', port: 9090 }]],
    ]);
    expect(gateway.spec.listeners.map((l: any) => l.allowedRoutes.kinds.map((k: any) => k.kind).join())).toEqual(['HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'GRPCRoute', 'HTTPRoute']);
    expect(endpoints.map(e => [e.spec.endpoints[0].dnsName, e.spec.endpoints[0].targets])).toEqual([
      // The forge's SSH on its LoadBalancer Service's own address.
      ['shop.example.com', [vipAddress]], ['www.shop.example.com', [vipAddress]], ['git.example.com', [vipAddress]], ['ssh.git.example.com', ['192.0.2.12']], ['ops.internal.example.com', [gatewayAddress]],
      ['ops-api.internal.example.com', [gatewayAddress]], ['mirror.internal.example.com', [gatewayAddress]], ['board.example.com', [gatewayAddress]],
    ]);
    // It sends port 22 of that address to the forge's pods: an Ingress carries no SSH.
    const ssh = docs.find(d => d.kind === 'Service' && d.metadata.name === 'forge-ssh');
    expect([ssh.spec.type, ssh.metadata.annotations['metallb.io/loadBalancerIPs'], ssh.spec.ports]).toEqual(['LoadBalancer', '192.0.2.12', [{ name: 'ssh', port: 22, protocol: 'TCP', targetPort: 'ssh' }]]);
    const zone = app.node.findAll().find(c => c instanceof DnsZone) as DnsZone;
    expect(zone.render()).toContain(`blog.dev 300 IN A ${vipAddress}\nblog.staging 300 IN A ${vipAddress}\n`);
    const route53 = app.node.findAll().find(c => c instanceof Route53HostedZone) as Route53HostedZone;
    Template.fromJSON(route53.template()).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'blog.example.com.', ResourceRecords: [gatewayAddress] });
  });

  test('the environments differ only where the config says so', () => {
    const deployments = synthManifests(app).filter(d => d.kind === 'Deployment' && d.metadata.name === 'blog');
    expect(deployments.map(d => [d.metadata.namespace, d.spec.replicas, d.spec.template.spec.containers[0].image])).toEqual([
      ['blog-dev', 2, 'registry.internal.example.com/web/blog:2.1.0-rc.3'],
      ['blog-staging', 3, 'registry.internal.example.com/web/blog:2.0.4'],
      ['blog-prod', undefined, 'registry.internal.example.com/web/blog:2.0.4'],
    ]);
  });

  test('synthesizing twice gives byte-identical documents', () => {
    const again = referenceApp({ outdir: 'unused' });
    expect(JSON.stringify(synthManifests(again))).toBe(JSON.stringify(synthManifests(app)));
  });
});

describe('dist/', () => {
  test('holds exactly what `npm run synth` writes for the example apps today', () => {
    // Given the committed dist/ and a fresh synth of apps/main.ts into a temporary folder.
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dist-')), 'dist');
    referenceApp({ outdir: fresh }).synth();
    const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    // Then they match byte for byte; if not, run `npm run synth` and commit dist/.
    expect(read(path.join(__dirname, '..', 'dist'))).toEqual(read(fresh));
  });
});

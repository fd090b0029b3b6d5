import { findResource, synthManifests, synthYaml } from '../lib';
import { webApp } from './_fixtures';

describe('snapshot helpers', () => {
  test('synthYaml gives the YAML of a chart, or of one resource by kind and name', () => {
    const { chart } = webApp();
    const all = synthYaml(chart);
    const deployment = synthYaml(chart, { kind: 'Deployment', name: 'shop' });
    expect(all.split('\n---\n')).toHaveLength(7);
    expect(deployment).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(all).toContain(deployment.trimEnd());
    expect(synthYaml(chart)).toBe(all);
  });

  test('synthManifests of an app covers every chart', () => {
    const { app } = webApp();
    expect(synthManifests(app).map(d => d.kind)).toEqual(['Service', 'Namespace', 'Deployment', 'Service', 'Ingress', 'PodDisruptionBudget', 'NetworkPolicy', 'DNSEndpoint']);
  });

  test('findResource tells what the stack has when nothing matches', () => {
    const { chart } = webApp();
    expect(() => findResource(synthManifests(chart), { kind: 'Deployment', name: 'blog' }))
      .toThrow('no Deployment named "blog"; the stack has: Namespace/shop, Deployment/shop/shop, Service/shop/shop, Ingress/shop/shop, PodDisruptionBudget/shop/shop, NetworkPolicy/shop/shop, DNSEndpoint/shop/shop');
    expect(findResource(synthManifests(chart), { kind: 'Service', name: 'shop', namespace: 'shop' }).spec.type).toBe('ClusterIP');
  });
});

describe('synthFiles', () => {
  test('returns every file synth writes, zone files and templates included, and leaves outdir and the temp folder alone', () => {
    const { referenceApp } = require('../apps/reference');
    const { synthFiles } = require('../lib');
    const outdir = require('path').join(require('os').tmpdir(), 'never-written');
    const app = referenceApp({ outdir });
    const before = require('fs').readdirSync(require('os').tmpdir()).sort();
    const files = synthFiles(app);
    expect(Object.keys(files)).toEqual([
      'applyset-parent.k8s.yaml', 'applyset.k8s.yaml', 'blog-dev.k8s.yaml', 'blog-prod.k8s.yaml', 'blog-staging.k8s.yaml', 'board.k8s.yaml', 'dns-example-com.template.json', 'example.com.zone', 'forge.k8s.yaml', 'kept.k8s.yaml', 'namespaces.k8s.yaml', 'ops-console.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'registry-cache.k8s.yaml', 'shop-prod.k8s.yaml',
    ]);
    expect(files['example.com.zone']).toContain('blog.dev 300 IN A 192.0.2.10');
    expect(require('fs').existsSync(outdir)).toBe(false);
    expect(require('fs').readdirSync(require('os').tmpdir()).sort()).toEqual(before);
    // Deterministic: a second synth gives the same text.
    expect(synthFiles(referenceApp({ outdir }))).toEqual(files);
  });

  test('a zone file change shows in its snapshot', () => {
    const { Chart } = require('cdk8s');
    const { DnsProvider, DnsZone, IngressVip, WebApp, WebStackApp, synthFiles } = require('../lib');
    const render = (ttl: number) => {
      const app = new WebStackApp({ outdir: 'unused' });
      const platform = new Chart(app, 'platform');
      const vip = new IngressVip(platform, 'IngressVip', { address: '192.0.2.10' });
      const zone = new DnsZone(platform, 'Zone', { zoneName: 'example.com' });
      new WebApp(new Chart(app, 'shop'), 'shop', { entryPoint: vip, image: 'registry.example.com/a/shop:1.0', host: 'shop.example.com', dns: { provider: DnsProvider.zoneFile(zone), ttl } });
      return synthFiles(app)['example.com.zone'];
    };
    expect(render(300)).toMatchSnapshot();
    expect(render(60)).not.toBe(render(300));
  });
});

test('under cdk8s synth (CDK8S_OUTDIR set), the app names every file it wrote, zone files and templates too', () => {
  const { referenceApp } = require('../apps/reference');
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'listing-')), 'dist');
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.env.CDK8S_OUTDIR = outdir;
  let logged = '';
  try {
    referenceApp({ outdir }).synth();
    logged = write.mock.calls.map(c => String(c[0])).join('');
  } finally {
    delete process.env.CDK8S_OUTDIR;
    write.mockRestore();
  }
  for (const file of ['example.com.zone', 'dns-example-com.template.json', 'shop-prod.k8s.yaml']) {
    expect(logged).toContain(path.join(outdir, file));
  }
});

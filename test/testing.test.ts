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

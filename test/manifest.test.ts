import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { generatedK8s, KINDS } from '../lib/k8s/_k8s';
import { manifestOf, RENAMED_FIELDS } from '../lib/k8s/_manifest';
import { DnsEndpoint, DnsEndpointSpecEndpointsRecordType } from '../lib/imports/externaldns.k8s.io';

describe('manifests written without the generated toJson_ functions', () => {
  test('the suite compares every manifest with the generated one', () => {
    expect(process.env.CDK8S_WEBSTACK_CHECK_MANIFESTS).toBe('1');
  });

  test('every field whose JSON name differs from its generated name is known', () => {
    const sources = [require.resolve('cdk8s-plus-28/lib/imports/k8s'), ...fs.readdirSync(path.join(__dirname, '..', 'lib', 'imports'))
      .filter(f => f.endsWith('.ts')).map(f => path.join(__dirname, '..', 'lib', 'imports', f))];
    const renamed = new Set<string>();
    for (const source of sources) {
      for (const [, json, prop] of fs.readFileSync(source, 'utf8').matchAll(/'([^']+)': (?:toJson_\w+\()?obj\.(\w+)/g)) {
        if (json !== prop) {
          renamed.add(prop);
        }
      }
    }
    expect([...renamed].sort()).toEqual([...RENAMED_FIELDS].sort());
  });

  test('IntOrString and Quantity are written as their values, undefined fields left out', () => {
    const props: k8s.KubePodDisruptionBudgetProps = { metadata: { name: 'a', labels: { x: 'y' } }, spec: { maxUnavailable: k8s.IntOrString.fromString('10%'), minAvailable: undefined } };
    expect(manifestOf(k8s.KubePodDisruptionBudget, props)).toEqual(k8s.KubePodDisruptionBudget.manifest(props));
    expect(JSON.stringify(manifestOf(k8s.KubePodDisruptionBudget, props))).not.toContain('minAvailable');
  });

  test('a renamed field goes through the generated manifest(), which renames it', () => {
    const props: k8s.KubeServiceProps = { metadata: { name: 's' }, spec: { clusterIp: 'None', ports: [{ port: 80 }] } };
    expect(manifestOf(k8s.KubeService, props).spec).toEqual({ clusterIP: 'None', ports: [{ port: 80 }] });
    const record = { metadata: { name: 'r' }, spec: { endpoints: [{ dnsName: 'a.example.com', recordType: DnsEndpointSpecEndpointsRecordType.A, recordTtl: 300 }] } };
    expect(manifestOf(DnsEndpoint, record).spec.endpoints[0].recordTTL).toBe(300);
  });

  test('a field the generated types do not have fails the comparison the tests make', () => {
    const props = { metadata: { name: 'a' }, data: { k: 'v' }, unknown: 1 } as k8s.KubeConfigMapProps;
    expect(() => manifestOf(k8s.KubeConfigMap, props)).toThrow(/manifest\(\) of ConfigMap differs from the generated one/);
  });

  test.each(Object.entries(KINDS))('%s is the generated kind of that name', (name, kind) => {
    const generated = (generatedK8s() as any)[name];
    expect(kind.GVK).toEqual(generated.GVK);
    const props = { metadata: { name: 'x' } };
    expect(kind.manifest(props as any)).toEqual(generated.manifest(props));
  });

  test('importing the library and synthesizing a typical stack never loads the generated Kubernetes bindings', () => {
    const out = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'no-k8s-'));
    const script = `
      require('ts-node/register/transpile-only');
      const lib = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
      const { Chart } = require('cdk8s');
      const app = new lib.WebStackApp({ outdir: ${JSON.stringify(out)} });
      const vip = new lib.IngressVip(new Chart(app, 'p'), 'V', { address: '192.0.2.10' });
      new lib.WebApp(new Chart(app, 'w'), 'shop', {
        entryPoint: vip, image: 'registry.example.com/t/shop:1.0', host: 'shop.example.com',
        env: { LOG_LEVEL: lib.EnvValue.fromValue('info') }, probes: { readiness: lib.Probe.httpGet('/readyz') },
        configFiles: [{ name: 'settings', mountPath: '/etc/shop', files: { 'shop.yaml': 'a: 1\\n' } }],
        autoscaling: { maxReplicas: 10 }, metrics: { port: 9090 }, route: { tls: lib.TlsCertificate.fromClusterIssuer('letsencrypt') },
      });
      app.synth();
      process.stdout.write(String(Object.keys(require.cache).some(k => k.includes('cdk8s-plus-28'))));`;
    const env = { ...process.env };
    delete env.CDK8S_WEBSTACK_CHECK_MANIFESTS;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('false');
    expect(fs.readdirSync(out)).toContain('w.k8s.yaml');
  });
});

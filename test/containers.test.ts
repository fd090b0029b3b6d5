import { Probe, SidecarMode } from '../lib';
import { docs, errorOf, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const podSpec = (chart: any) => kind(chart, 'Deployment').spec.template.spec;

describe('init containers and sidecars', () => {
  test('a migration with the app\'s image, env, config and security context', () => {
    const { chart } = webApp({
      env: { LOG: require('../lib').EnvValue.fromValue('info') },
      configFiles: [{ name: 'app', mountPath: '/etc/shop', files: { a: '1' } }],
      initContainers: [{ name: 'migrate', command: ['/app/shop', 'migrate'], resources: { cpu: { request: '50m', limit: false } } }],
    });
    const spec = podSpec(chart);
    const [migrate] = spec.initContainers;
    expect(migrate).toMatchObject({
      name: 'migrate', image: spec.containers[0].image, command: ['/app/shop', 'migrate'], imagePullPolicy: 'Always',
      env: [{ name: 'LOG', value: 'info' }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config-app', mountPath: '/etc/shop', readOnly: true }],
      resources: { requests: { 'cpu': '50m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' }, limits: { 'memory': '256Mi', 'ephemeral-storage': '1Gi' } },
    });
    expect(migrate.securityContext).toEqual(spec.containers[0].securityContext);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('native sidecars come first among the init containers, with restartPolicy Always and their probes', () => {
    const { chart } = webApp({
      initContainers: [{ name: 'migrate', command: ['migrate'] }],
      sidecars: [{ name: 'proxy', image: 'registry.example.com/infra/proxy:2.1', port: 15000, readiness: Probe.httpGet('/ready') }],
    });
    const spec = podSpec(chart);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['proxy', 'Always'], ['migrate', undefined]]);
    expect(spec.initContainers[0]).toMatchObject({
      ports: [{ name: 'proxy', containerPort: 15000, protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: '/ready', port: 'proxy' } },
    });
    expect(spec.containers).toHaveLength(1);
  });

  test('plain sidecars for older clusters', () => {
    const { chart } = webApp({ sidecars: [{ name: 'logs', image: 'registry.example.com/infra/fluent-bit:3.2' }], sidecarMode: SidecarMode.PLAIN });
    const spec = podSpec(chart);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((c: any) => c.name)).toEqual(['shop', 'logs']);
    expect(spec.containers[1].restartPolicy).toBeUndefined();
    expect(spec.containers[1].securityContext).toEqual(spec.containers[0].securityContext);
  });

  test.each([
    ['a name taken by the app', { initContainers: [{ name: 'shop' }] }, /'initContainers\[0\].name' \("shop"\) is the name of another container of the pod/],
    ['a name used twice', { initContainers: [{ name: 'a' }], sidecars: [{ name: 'a', image: 'registry.example.com/a:1' }] }, /'sidecars\[0\].name' \("a"\) is the name of another container/],
    ['an unpinned image', { sidecars: [{ name: 'a', image: 'registry.example.com/a:latest' }] }, /'sidecars\[0\].image' .* uses the moving tag 'latest'/],
    ['a probe without a port', { sidecars: [{ name: 'a', image: 'registry.example.com/a:1', liveness: Probe.httpGet('/') }] }, /'sidecars\[0\].liveness.port' \(undefined\) is left out, and the sidecar has no port to probe by default; give the sidecar its port \(sidecars\[0\].port\), or use Probe.exec/],
    ['bad resources', { initContainers: [{ name: 'm', resources: { cpu: '1' } }] }, /'initContainers\[0\].resources.cpu' \("1"\) is none of: false, the ResourceQuantities object/],
    ['a command that is not a list', { initContainers: [{ name: 'm', command: 'migrate' }] }, /'initContainers\[0\].command' \("migrate"\) is not a list/],
  ])('fails on %s', (_, props, message) => {
    expect(errorOf(() => webApp(props as any)).message).toMatch(message);
  });
});

import { JsonPatch } from 'cdk8s';
import { MetricsMonitor } from '../lib';
import { docs, errorOf, kind, kinds, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

describe('metrics', () => {
  test('a ServiceMonitor on a Service port of its own, the container port, and Prometheus admitted to that port only', () => {
    const { chart, web } = webApp({ metrics: { port: 9090, monitorLabels: { release: 'prometheus' } } });
    expect(kinds(chart)).toContain('ServiceMonitor');
    const monitor = kind(chart, 'ServiceMonitor');
    expect(monitor).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      metadata: { name: 'shop', namespace: 'shop', labels: { release: 'prometheus' } },
      spec: {
        selector: { matchLabels: web.selectorLabels },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
      },
    });
    expect(kind(chart, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' },
    ]);
    expect(kind(chart, 'Deployment').spec.template.spec.containers[0].ports[1]).toEqual({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
    expect(kind(chart, 'NetworkPolicy').spec.ingress[1]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('a PodMonitor leaves the Service alone', () => {
    const { chart } = webApp({ metrics: { port: 9090, monitor: MetricsMonitor.POD_MONITOR, path: '/stats', intervalSeconds: 15,
      scrapedFrom: { namespace: 'observability', podLabels: { 'app.kubernetes.io/name': 'prometheus' } } } });
    expect(kind(chart, 'PodMonitor').spec).toMatchObject({ podMetricsEndpoints: [{ port: 'metrics', path: '/stats', interval: '15s' }] });
    expect(kind(chart, 'Service').spec.ports).toHaveLength(1);
    expect(kind(chart, 'NetworkPolicy').spec.ingress[1].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    }]);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test.each([
    ['the app port', { port: 8080 }, /'metrics.port' \("metrics:8080"\) collides with the app port http:8080/],
    ['the name http', { port: 9090, portName: 'http' }, /collides with the app port/],
    ['a monitor outside the enum', { port: 9090, monitor: 'Probe' }, /'metrics.monitor' \("Probe"\) is not a member of MetricsMonitor/],
    ['no port', {}, /'metrics.port' \(undefined\) is required/],
  ])('fails on %s', (_, metrics, message) => {
    expect(errorOf(() => webApp({ metrics: metrics as any })).message).toMatch(message);
  });

  test('fails at synth when the monitor scrapes a port the Service does not have', () => {
    const { chart, web } = webApp({ metrics: { port: 9090 } });
    web.monitor!.addJsonPatch(JsonPatch.replace('/spec/endpoints/0/port', 'prom'));
    expect(() => docs(chart)).toThrow(/ServiceMonitor scrapes port "prom", which the Service does not have \(http, metrics\)/);
  });
});

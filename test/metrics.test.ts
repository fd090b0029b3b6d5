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

  test('on the app\'s own port: no port of their own, the ServiceMonitor scrapes the Service\'s http port, Prometheus admitted to the serving port', () => {
    const plain = webApp();
    for (const metrics of [{}, { port: 8080 }, { path: '/stats', portName: 'http' }]) {
      const { chart } = webApp({ metrics });
      expect(kind(chart, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'http', path: (metrics as any).path ?? '/metrics', interval: '30s', scheme: 'http' }]);
      expect(kind(chart, 'Service').spec.ports).toEqual(kind(plain.chart, 'Service').spec.ports);
      expect(kind(chart, 'Deployment').spec.template.spec.containers[0].ports).toEqual(kind(plain.chart, 'Deployment').spec.template.spec.containers[0].ports);
      const ingress = kind(chart, 'NetworkPolicy').spec.ingress;
      expect(ingress).toHaveLength(1);
      expect(ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
      expect(ingress[0].from).toEqual([...kind(plain.chart, 'NetworkPolicy').spec.ingress[0].from, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
      expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
    }
    // A PodMonitor names the container port, by the app's port name.
    const { chart } = webApp({ portName: 'web', metrics: { monitor: MetricsMonitor.POD_MONITOR } });
    expect(kind(chart, 'PodMonitor').spec.podMetricsEndpoints[0].port).toBe('web');
    expect(() => docs(chart)).not.toThrow();
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a name of their own on the app port', { metrics: { port: 8080, portName: 'prom' } },
      /'metrics.portName' \("prom"\) names the metrics port, but the metrics are served on the app's port http:8080, which has its name/],
    ['the name http', { metrics: { port: 9090, portName: 'http' } }, /'metrics.portName' \("http"\) is already the name of .*leave metrics.port out/],
    ['the number of a port of ports', { metrics: { port: 9000 }, ports: [{ name: 'admin', port: 9000 }], networkPolicy: false },
      /'metrics.port' \(9000\) is already the TCP container port of 'admin'/],
    ['a monitor outside the enum', { metrics: { port: 9090, monitor: 'Probe' } }, /'metrics.monitor' \("Probe"\) is not a member of MetricsMonitor/],
  ])('fails on %s', (_, props, message) => {
    expect(errorOf(() => webApp(props as any)).message).toMatch(message);
  });

  test('fails at synth when the monitor scrapes a port the Service does not have', () => {
    const { chart, web } = webApp({ metrics: { port: 9090 } });
    web.monitor!.addJsonPatch(JsonPatch.replace('/spec/endpoints/0/port', 'prom'));
    expect(() => docs(chart)).toThrow(/ServiceMonitor scrapes port "prom", which the Service does not have \(http, metrics\)/);
  });
});

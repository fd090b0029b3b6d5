import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { NetworkPeerSpec } from '../resources/_network-policy';
import { shape } from '../core/_shape';
import { MetricsMonitor, MetricsOptions, MetricsScraper } from './metrics';

/** The run-time shape of `MetricsOptions`. */
export const METRICS_SHAPE = shape.object<MetricsOptions>('MetricsOptions', {
  port: shape.port,
  portName: shape.portName,
  path: shape.httpPath,
  intervalSeconds: shape.int(1, 3600),
  monitor: shape.enum(MetricsMonitor, 'MetricsMonitor'),
  monitorLabels: shape.objectLabels,
  scrapedFrom: shape.object<MetricsScraper>('MetricsScraper', { namespace: shape.dns1123Label, podLabels: shape.labels }, { required: ['namespace'] }),
});

/** The app's metrics endpoint, validated. */
export interface MetricsSpec {
  /** The container port, and its name. */
  readonly port: number;
  readonly portName: string;
  /** Served on the app's serving port: no port of their own. */
  readonly onAppPort: boolean;
  /** The Service port of a port of their own, for a ServiceMonitor; `undefined` for a PodMonitor, which scrapes the pods. */
  readonly servicePort?: number;
  /** The port the monitor names: a Service port's name (ServiceMonitor) or a container port's (PodMonitor). */
  readonly endpointPort: string;
  readonly path: string;
  readonly interval: string;
  readonly monitor: MetricsMonitor;
  readonly monitorLabels: Record<string, string>;
  /** Who may reach the metrics port. */
  readonly scraper: NetworkPeerSpec;
}

/** Resolves `metrics`: on a port of their own, or on the app's serving port. */
export function resolveMetrics(scope: IConstruct, options: MetricsOptions | undefined,
  app: { readonly port: number; readonly portName: string; readonly servicePortName: string }): MetricsSpec | undefined {
  if (options === undefined) {
    return undefined;
  }
  const port = options.port ?? app.port;
  const onAppPort = port === app.port;
  if (onAppPort && options.portName !== undefined && options.portName !== app.portName) {
    throw propError(scope, 'metrics.portName', options.portName, `names the metrics port, but the metrics are served on the app's port ${app.portName}:${app.port}, which has its name`,
      'leave portName out, or serve the metrics on a port of their own (metrics.port)');
  }
  const portName = onAppPort ? app.portName : options.portName ?? 'metrics';
  const monitor = options.monitor ?? MetricsMonitor.SERVICE_MONITOR;
  const scraper = options.scrapedFrom ?? { namespace: 'monitoring' };
  return {
    port,
    portName,
    onAppPort,
    servicePort: !onAppPort && monitor === MetricsMonitor.SERVICE_MONITOR ? port : undefined,
    endpointPort: monitor === MetricsMonitor.SERVICE_MONITOR && onAppPort ? app.servicePortName : portName,
    path: options.path ?? '/metrics',
    interval: `${options.intervalSeconds ?? 30}s`,
    monitor,
    monitorLabels: { ...(options.monitorLabels ?? {}) },
    scraper: {
      namespace: scraper.namespace,
      ...(scraper.podLabels !== undefined ? { podLabels: { ...scraper.podLabels } } : {}),
    },
  };
}

/** The ServiceMonitor or PodMonitor (`monitoring.coreos.com/v1`) that scrapes the app's pods. */
export function renderMonitor(scope: Construct, spec: MetricsSpec,
  meta: { name: string; namespace: string; labels: Record<string, string>; selector: Record<string, string> }): ApiObject {
  const endpoint = { port: spec.endpointPort, path: spec.path, interval: spec.interval, scheme: 'http' };
  return new StrictApiObject(scope, 'Monitor', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: spec.monitor,
    metadata: { name: meta.name, namespace: meta.namespace, labels: { ...meta.labels, ...spec.monitorLabels } },
    spec: {
      selector: { matchLabels: meta.selector },
      ...(spec.monitor === MetricsMonitor.SERVICE_MONITOR ? { endpoints: [endpoint] } : { podMetricsEndpoints: [endpoint] }),
    },
  });
}

/** Synth-time check of the rendered monitor: each port it scrapes is a port name of the Service, or of the pods. */
export function monitorErrors(monitor: any, service: any, workload: any): string[] {
  const scraped: string[] = monitor.kind === 'ServiceMonitor'
    ? (service.spec.ports ?? []).map((p: any) => p.name)
    : (workload.spec.template.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
  return [...(monitor.spec.endpoints ?? []), ...(monitor.spec.podMetricsEndpoints ?? [])]
    .filter(endpoint => !scraped.includes(endpoint.port))
    .map(endpoint => `${monitor.kind} scrapes port "${endpoint.port}", which the ${monitor.kind === 'ServiceMonitor' ? 'Service does' : 'pods do'} not have (${scraped.join(', ')}); scrape the metrics port`);
}

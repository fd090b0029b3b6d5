/** Which prometheus-operator resource scrapes the app's metrics. */
export enum MetricsMonitor {
  /** A `ServiceMonitor`: the metrics port is also a port of the app's Service. */
  SERVICE_MONITOR = 'ServiceMonitor',
  /** A `PodMonitor`: Prometheus scrapes the pods directly; the Service is left as it is. */
  POD_MONITOR = 'PodMonitor',
}

/** Where the scraping Prometheus runs: the NetworkPolicy admits it to the metrics port only. */
export interface MetricsScraper {
  /** Its namespace. */
  readonly namespace: string;
  /**
   * Labels of its pods.
   * @default - every pod of that namespace
   */
  readonly podLabels?: Record<string, string>;
}

/** A metrics endpoint scraped by Prometheus: `WebAppProps.metrics`. */
export interface MetricsOptions {
  /**
   * The container port the metrics are served on: a port of their own, or the app's serving
   * port (a dashboard that serves `/metrics` beside its pages). Not a port of `ports`.
   * @default - the app's serving port
   */
  readonly port?: number;
  /**
   * The name of a port of their own.
   * @default 'metrics' (on the app's port: its name)
   */
  readonly portName?: string;
  /**
   * The HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Seconds between two scrapes.
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * The resource that tells Prometheus to scrape.
   * @default MetricsMonitor.SERVICE_MONITOR
   */
  readonly monitor?: MetricsMonitor;
  /**
   * Labels of the monitor, for the Prometheus's `serviceMonitorSelector` or `podMonitorSelector`.
   * @default - none
   */
  readonly monitorLabels?: Record<string, string>;
  /**
   * The Prometheus pods, which the NetworkPolicy admits to the metrics port.
   * @default - every pod of the `monitoring` namespace
   */
  readonly scrapedFrom?: MetricsScraper;
}

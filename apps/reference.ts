import { Chart } from 'cdk8s';
import * as path from 'path';
import {
  EnvValue, FileContent, Gateway, SidecarMode, VolumeSource, GatewayAddressMode, GatewayImplementation, IngressVip, Probe, TlsCertificate, VipAddressMode, WebApp, WebStackApp, WebStackAppProps,
} from '../lib';
import { blogEnvironments, platformDns } from './environments';
import { board, forge, opsConsole, registryCache } from './teams';

// The reference setup: a cluster in the middle of its move off ingress-nginx (retired in March
// 2026) to Gateway API. It has both entry points, each behind its own MetalLB VIP: the seed's
// ingress-nginx, where the shop still runs, and an Envoy Gateway, where blog-prod has moved.
// apps/main.ts synthesizes it: `npx cdk8s synth` writes one file per chart into dist/, the
// Namespaces into dist/namespaces.k8s.yaml, and dist/outputs.json for the pipeline, which applies
// the folder as the ApplySet `secrets/web-platform` in `default` and prunes what the program dropped.
export function referenceApp(props: WebStackAppProps = {}): WebStackApp {
  const app = new WebStackApp({ applySet: { name: 'web-platform' }, ...props });
  // platform.k8s.yaml: the ingress-node VIP, a MetalLB address in front of ingress-nginx.
  const platform = new Chart(app, 'platform');
  const vip = new IngressVip(platform, 'IngressVip', {
    address: '192.0.2.10',
    addressMode: VipAddressMode.METALLB,
  });
  // And the Gateway API entry point: a Gateway for Envoy Gateway, its VIP pinned through the
  // infrastructure annotations that Envoy Gateway copies to its Service (it would put
  // spec.addresses into externalIPs, which MetalLB ignores).
  const gateway = new Gateway(platform, 'Gateway', {
    implementation: GatewayImplementation.envoyGateway(),
    address: '192.0.2.20',
    addressMode: GatewayAddressMode.METALLB,
  });

  // shop-prod.k8s.yaml: the app, from the internal registry, served at https://shop.example.com.
  const prod = new Chart(app, 'shop-prod');
  new WebApp(prod, 'shop', {
    entryPoint: vip,
    image: 'registry.internal.example.com/web/shop:1.4.2',
    imagePullSecrets: ['internal-registry'],
    host: 'shop.example.com',
    // www is published and covered by the certificate, and redirects to the shop's own host.
    otherHosts: ['www.shop.example.com'],
    redirectOtherHosts: true,
    partOf: 'storefront',
    port: 8080,
    env: {
      LOG_LEVEL: EnvValue.fromValue('info'),
      DATABASE_PASSWORD: EnvValue.fromSecret('shop-database', 'password'),
      FEATURE_FLAGS: EnvValue.fromConfigMap('shop-config', 'feature-flags'),
    },
    resources: {
      cpu: { request: '250m', limit: '1' },
      memory: { request: '512Mi', limit: '512Mi' },
    },
    probes: {
      readiness: Probe.httpGet('/readyz', { periodSeconds: 5 }),
      liveness: Probe.httpGet('/healthz', { periodSeconds: 10 }),
    },
    autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70 },
    // Its settings file from the repository, a client certificate from an existing Secret,
    // and a disk cache counted in its ephemeral-storage request and limit.
    configFiles: [{ name: 'settings', mountPath: '/etc/shop', files: { 'shop.yaml': FileContent.fromFile(path.join(__dirname, 'config', 'shop.yaml')) } }],
    secretFiles: [{ secretName: 'shop-client-tls', mountPath: '/etc/shop-tls', keys: ['tls.crt', 'tls.key'] }],
    scratchVolumes: [{ name: 'cache', mountPath: '/var/cache/shop', sizeLimit: '512Mi' }],
    // The app's log files, shared with the log shipper below.
    volumes: [{ name: 'logs', source: VolumeSource.scratch({ sizeLimit: '256Mi' }), mountPath: '/var/log/shop' }],
    // A ServiceAccount of its own (no API token mounted), for RBAC and audit logs to name it.
    serviceAccount: {},
    // The database migration, from the app's own image: once per release, before the new
    // version's pods start (not in each of its 3 to 20 pods), and the search index rebuilt
    // once the release is out.
    release: {
      migration: { name: 'migrate', command: ['/app/shop', 'migrate', 'up'], backoffLimit: 0 },
      afterRelease: [{ name: 'reindex', command: ['/app/shop', 'search', 'reindex'] }],
    },
    // A log shipper beside it, reading the log files and nothing else of the app's (no env, no
    // secrets). Plain, not native: this cluster's oldest nodes run Kubernetes 1.28, whose API
    // server drops a native sidecar's restartPolicy.
    sidecars: [{
      name: 'logs', image: 'registry.internal.example.com/infra/fluent-bit:3.2.4', port: 2020,
      mounts: [{ volume: 'logs', mountPath: '/var/log/shop', readOnly: true }],
      readiness: Probe.httpGet('/api/v1/health'), liveness: Probe.httpGet('/'),
      resources: { cpu: { request: '20m', limit: '200m' }, memory: { request: '64Mi', limit: '64Mi' } },
    }],
    sidecarMode: SidecarMode.PLAIN,
    // The order queue's worker and the nightly report, from the same image, env and config.
    workers: [{ name: 'orders', command: ['/app/shop', 'work', 'orders'], autoscaling: { minReplicas: 2, maxReplicas: 8 } }],
    scheduledJobs: [{ name: 'nightly-report', schedule: '30 2 * * *', timeZone: 'Europe/Berlin', command: ['/app/shop', 'report', 'nightly'] }],
    // Prometheus metrics on their own port, scraped from the monitoring namespace only.
    metrics: { port: 9090, monitorLabels: { release: 'kube-prometheus-stack' } },
    route: {
      tls: TlsCertificate.fromClusterIssuer('letsencrypt'),
      proxyBodySize: '8m',
      proxyReadTimeoutSeconds: 30,
    },
    dns: { ttl: 300 },
  });

  // blog-dev, blog-staging, blog-prod: one app in three environments from one typed config, dev
  // and staging behind ingress-nginx, prod behind the Gateway; its records in the internal zone
  // file (example.com.zone) and in Route 53 (dns-example-com.template.json).
  blogEnvironments(app, { ingress: vip, gateway }, platformDns(platform));

  // forge, ops-console, registry-cache: other teams' apps (apps/teams.ts): the forge behind
  // ingress-nginx (large pushes need its body size), the others behind the Gateway.
  forge(app, vip);
  opsConsole(app, gateway);
  registryCache(app, gateway);
  board(app, gateway);
  return app;
}

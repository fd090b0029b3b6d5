import { Chart } from 'cdk8s';
import { EnvValue, TlsCertificate, IngressVip, Probe, VipAddressMode, WebApp, WebStackApp } from '../lib';
import { blogEnvironments, platformDns } from './environments';

// The reference setup: one ingress VIP for the cluster, and the production stack of one web app.
// apps/main.ts synthesizes it: `npx cdk8s synth` writes one file per chart into dist/.
export function referenceApp(app: WebStackApp = new WebStackApp()): WebStackApp {
  // platform.k8s.yaml: the ingress-node VIP, a MetalLB address in front of ingress-nginx.
  const platform = new Chart(app, 'platform');
  const vip = new IngressVip(platform, 'IngressVip', {
    address: '192.0.2.10',
    addressMode: VipAddressMode.METALLB,
  });

  // shop-prod.k8s.yaml: the app, from the internal registry, served at https://shop.example.com.
  const prod = new Chart(app, 'shop-prod');
  new WebApp(prod, 'shop', {
    entryPoint: vip,
    image: 'registry.internal.example.com/web/shop:1.4.2',
    imagePullSecrets: ['internal-registry'],
    host: 'shop.example.com',
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
    route: {
      tls: TlsCertificate.fromClusterIssuer('letsencrypt'),
      proxyBodySize: '8m',
      proxyReadTimeoutSeconds: 30,
    },
    dns: { ttl: 300 },
  });

  // blog-dev, blog-staging, blog-prod: one app in three environments from one typed config, its
  // records in the internal zone file (example.com.zone) and in Route 53
  // (dns-example-com.template.json).
  blogEnvironments(app, vip, platformDns(platform));
  return app;
}

/**
 * One benchmark case in a fresh process: builds N stacks with one implementation, synthesizes
 * them to files in OUTDIR, and prints {"ms": wall time, "rssMiB": peak RSS} as JSON.
 *   node build/bench/fleet.js <webstack|plus|floor|empty> <N> <OUTDIR>
 * `floor` writes the files of OUTDIR/bytes.json ({ file: text }, what a webstack run wrote) into
 * OUTDIR/floor with plain `fs.writeFileSync`, and times only the writes.
 */
import * as fs from 'fs';
import * as path from 'path';

const [impl, countArg, outdir] = process.argv.slice(2);
const n = Number(countArg);
const IMAGE = 'registry.example.com/team/app:1.4.2';

/**
 * The realistic stack of the day: what a typical app turns on. TLS from cert-manager,
 * autoscaling, an ExternalDNS record, env (a value and a Secret reference), a config file
 * (mounted, its hash in the pod template), probes, requests and limits, and Prometheus metrics
 * (a ServiceMonitor, the port on the Service and the NetworkPolicy). Ten objects: Namespace,
 * ConfigMap, Deployment, Service, Ingress, HPA, PDB, NetworkPolicy, ServiceMonitor, DNSEndpoint.
 * bench/helm/webapp renders the same documents (bench/run.ts checks they are equal).
 */
function webstack(): void {
  const { Chart } = require('cdk8s');
  const lib = require('../lib');
  const app = new lib.WebStackApp({ outdir });
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  const tls = lib.TlsCertificate.fromClusterIssuer('letsencrypt');
  for (let i = 0; i < n; i++) {
    new lib.WebApp(new Chart(app, `app${i}`), `app${i}`, {
      entryPoint: vip, image: IMAGE, host: `app${i}.example.com`,
      env: { LOG_LEVEL: lib.EnvValue.fromValue('info'), DATABASE_URL: lib.EnvValue.fromSecret(`app${i}-database`, 'url') },
      resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '512Mi' } },
      probes: { readiness: lib.Probe.httpGet('/readyz'), liveness: lib.Probe.httpGet('/livez') },
      configFiles: [{ name: 'settings', mountPath: '/etc/app', files: { 'app.yaml': `name: app${i}\nlisten: 8080\n` } }],
      autoscaling: { minReplicas: 2, maxReplicas: 10 },
      metrics: { port: 9090 },
      route: { tls },
      dns: { ttl: 300 },
    });
  }
  app.synth();
}

/** An older, smaller stack (Deployment, Service, Ingress, HPA, VIP, DNSEndpoint) with cdk8s-plus-28 used directly, the way its docs show. */
function plus(): void {
  const { App, ApiObject, Chart } = require('cdk8s');
  const kplus = require('cdk8s-plus-28');
  const app = new App({ outdir });
  for (let i = 0; i < n; i++) {
    const chart = new Chart(app, `app${i}`, { namespace: `app${i}` });
    const deployment = new kplus.Deployment(chart, 'Deployment', {
      metadata: { name: `app${i}` },
      containers: [{ image: IMAGE, portNumber: 8080, resources: {} }],
    });
    const service = deployment.exposeViaService({ name: `app${i}`, ports: [{ port: 80, targetPort: 8080 }] });
    const ingress = new kplus.Ingress(chart, 'Ingress', { metadata: { name: `app${i}` } });
    ingress.addHostRule(`app${i}.example.com`, '/', kplus.IngressBackend.fromService(service));
    new kplus.HorizontalPodAutoscaler(chart, 'Hpa', { target: deployment, maxReplicas: 10, metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))] });
    new kplus.Service(chart, 'Vip', {
      metadata: { name: `vip${i}`, namespace: 'ingress-nginx' }, type: kplus.ServiceType.LOAD_BALANCER,
      ports: [{ port: 80, targetPort: 80 }], selector: kplus.Pods.select(chart, 'Controller', { labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }),
    });
    new ApiObject(chart, 'Dns', {
      apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: `app${i}` },
      spec: { endpoints: [{ dnsName: `app${i}.example.com`, recordType: 'A', targets: ['192.0.2.10'], recordTTL: 300 }] },
    });
  }
  app.synth();
}

/** The floor: the very bytes webstack wrote, already in memory, written to the same files with plain `fs`. */
function floor(): number {
  const files: Record<string, string> = JSON.parse(fs.readFileSync(path.join(outdir, 'bytes.json'), 'utf8'));
  const dir = path.join(outdir, 'floor');
  const start = process.hrtime.bigint();
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), text);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function empty(): void {
  const { App, Chart } = require('cdk8s');
  const app = new App({ outdir });
  new Chart(app, 'empty');
  app.synth();
}

const start = process.hrtime.bigint();
let ms: number;
if (impl === 'floor') {
  ms = floor();
} else {
  ({ webstack, plus, empty } as Record<string, () => void>)[impl]();
  ms = Number(process.hrtime.bigint() - start) / 1e6;
}
if (impl === 'webstack' && process.env.BENCH_DUMP_BYTES) {
  // Feed the floor the very bytes this run wrote.
  const files = Object.fromEntries(fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).sort()
    .map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  fs.writeFileSync(process.env.BENCH_DUMP_BYTES, JSON.stringify(files));
}
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024 }));

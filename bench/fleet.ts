/**
 * One benchmark case in a fresh process: builds N stacks with one implementation, synthesizes
 * them to files in OUTDIR, and prints {"ms": wall time, "rssMiB": peak RSS} as JSON.
 *   node build/bench/fleet.js <webstack|plus|yaml|empty> <N> <OUTDIR>
 */
import * as fs from 'fs';
import * as path from 'path';

const [impl, countArg, outdir] = process.argv.slice(2);
const n = Number(countArg);
const IMAGE = 'registry.example.com/team/app:1.4.2';

function webstack(): void {
  const { Chart } = require('cdk8s');
  const lib = require('../lib');
  const app = new lib.WebStackApp({ outdir });
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  for (let i = 0; i < n; i++) {
    new lib.WebApp(new Chart(app, `app${i}`), `app${i}`, {
      vip, image: IMAGE, host: `app${i}.example.com`, autoscaling: { maxReplicas: 10 },
    });
  }
  app.synth();
}

/** The same stack with cdk8s-plus-28 used directly, the way its docs show. */
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

/** The floor: the `yaml` package serializing and writing the documents webstack produces. */
function yamlFloor(): number {
  const YAML = require('yaml');
  const docs: Array<[string, unknown[]]> = JSON.parse(fs.readFileSync(path.join(outdir, 'docs.json'), 'utf8'));
  const start = process.hrtime.bigint();
  fs.mkdirSync(path.join(outdir, 'yaml'), { recursive: true });
  for (const [file, objects] of docs) {
    fs.writeFileSync(path.join(outdir, 'yaml', file), objects.map(o => YAML.stringify(o)).join('---\n'));
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
if (impl === 'yaml') {
  ms = yamlFloor();
} else {
  ({ webstack, plus, empty } as Record<string, () => void>)[impl]();
  ms = Number(process.hrtime.bigint() - start) / 1e6;
}
if (impl === 'webstack' && process.env.BENCH_DUMP_DOCS) {
  // Feed the yaml floor the very documents this run wrote.
  const YAML = require('yaml');
  const docs = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).sort()
    .map(f => [f, YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d: any) => d.toJS())]);
  fs.writeFileSync(path.join(process.env.BENCH_DUMP_DOCS, 'docs.json'), JSON.stringify(docs));
}
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024 }));

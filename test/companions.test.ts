import { ConcurrencyPolicy, EnvValue, Probe } from '../lib';
import { docs, errorOf, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const byName = (chart: any, kind: string, name: string) => docs(chart).find((d: any) => d.kind === kind && d.metadata.name === name);

describe('workers and scheduled jobs', () => {
  test('a worker: the app\'s pod template without ports or probes, its own command, scale, PDB and a NetworkPolicy that admits nothing', () => {
    const { chart, web } = webApp({
      env: { LOG: EnvValue.fromValue('info') },
      configFiles: [{ name: 'app', mountPath: '/etc/shop', files: { a: '1' } }],
      initContainers: [{ name: 'migrate', command: ['migrate'] }],
      workers: [{ name: 'orders', command: ['/app/shop', 'work'], env: { QUEUE: EnvValue.fromValue('orders') } }],
    });
    const app = byName(chart, 'Deployment', 'shop');
    const worker = byName(chart, 'Deployment', 'shop-orders');
    expect(worker.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop-orders', 'app.kubernetes.io/component': 'worker' });
    expect(worker.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop-orders' });
    expect(worker.spec.replicas).toBe(2);
    const [w, a] = [worker.spec.template.spec, app.spec.template.spec];
    expect(w.securityContext).toEqual(a.securityContext);
    expect(w.containers[0].securityContext).toEqual(a.containers[0].securityContext);
    expect(w.containers[0]).toMatchObject({ command: ['/app/shop', 'work'], env: [{ name: 'LOG', value: 'info' }, { name: 'QUEUE', value: 'orders' }] });
    expect(w.containers[0].ports).toBeUndefined();
    expect(w.containers[0].readinessProbe).toBeUndefined();
    expect(w.containers[0].lifecycle).toBeUndefined();
    expect(w.initContainers).toBeUndefined();
    expect(w.volumes).toEqual(a.volumes);
    expect(worker.spec.template.metadata.annotations).toEqual(app.spec.template.metadata.annotations);
    expect(byName(chart, 'PodDisruptionBudget', 'shop-orders').spec.selector.matchLabels).toEqual(worker.spec.selector.matchLabels);
    const policy = byName(chart, 'NetworkPolicy', 'shop-orders');
    expect(policy.spec).toEqual({ podSelector: { matchLabels: worker.spec.selector.matchLabels }, policyTypes: ['Ingress'] });
    // The app's Service does not select the worker's pods.
    const service = byName(chart, 'Service', 'shop');
    expect(Object.entries(service.spec.selector).every(([k, v]) => worker.spec.template.metadata.labels[k] === v)).toBe(false);
    expect(web.workers).toHaveLength(1);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('an autoscaled worker', () => {
    const { chart } = webApp({ workers: [{ name: 'orders', autoscaling: { minReplicas: 2, maxReplicas: 6 } }] });
    expect(byName(chart, 'Deployment', 'shop-orders').spec.replicas).toBeUndefined();
    expect(byName(chart, 'HorizontalPodAutoscaler', 'shop-orders').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { name: 'shop-orders' } });
  });

  test('a scheduled job: a CronJob from the app\'s pod template, with its limits', () => {
    const { chart } = webApp({ scheduledJobs: [{ name: 'nightly', schedule: '30 2 * * *', timeZone: 'Europe/Berlin', command: ['report'] }] });
    const job = byName(chart, 'CronJob', 'shop-nightly');
    expect(job.spec).toMatchObject({
      schedule: '30 2 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600, template: { spec: { restartPolicy: 'OnFailure' } } } },
    });
    expect(job.spec.jobTemplate.spec.template.spec.containers[0].command).toEqual(['report']);
    expect(byName(chart, 'NetworkPolicy', 'shop-nightly')).toBeDefined();
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test.each([
    ['a bad schedule', { scheduledJobs: [{ name: 'n', schedule: 'every night' }] }, /'scheduledJobs\[0\].schedule' \("every night"\) is not a cron schedule/],
    ['a minute out of range', { scheduledJobs: [{ name: 'n', schedule: '61 * * * *' }] }, /'scheduledJobs\[0\].schedule' \("61 \* \* \* \*"\) is not a cron schedule/],
    ['a backwards range', { scheduledJobs: [{ name: 'n', schedule: '0 9-5 * * *' }] }, /is not a cron schedule/],
    ['a zero step', { scheduledJobs: [{ name: 'n', schedule: '*/0 * * * *' }] }, /is not a cron schedule/],
    ['a bad time zone', { scheduledJobs: [{ name: 'n', schedule: '@daily', timeZone: 'CET+1 hour' }] }, /is not an IANA time zone name/],
    ['a name used twice', { workers: [{ name: 'a' }], scheduledJobs: [{ name: 'a', schedule: '@daily' }] }, /'scheduledJobs\[0\].name' \("a"\) names two workers or jobs/],
    ['replicas with autoscaling', { workers: [{ name: 'a', replicas: 3, autoscaling: { maxReplicas: 5 } }] }, /'workers\[0\].replicas' \(3\) is set, but autoscaling owns the replica count/],
    ['a concurrency policy outside the enum', { scheduledJobs: [{ name: 'n', schedule: '@daily', concurrencyPolicy: 'Never' }] }, /is not a member of ConcurrencyPolicy/],
    ['a budget on one replica', { workers: [{ name: 'a', replicas: 1, disruptionBudget: { maxUnavailable: 1 } }] }, /'workers\[0\].disruptionBudget' .* runs as few as 1 replica/],
  ])('fails on %s', (_, props, message) => {
    expect(errorOf(() => webApp(props as any)).message).toMatch(message);
  });

  test.each(['*/15 * * * *', '0 2 * * mon-fri', '30 2 1,15 * *', '0 0 1 jan *', '@weekly', '5 4 * * 0', '0 0 * * sun-sat', '5/15 * ? * *'])('accepts the schedule %s', (schedule) => {
    expect(byName(webApp({ scheduledJobs: [{ name: 'n', schedule }] }).chart, 'CronJob', 'shop-n').spec.schedule).toBe(schedule);
  });

  test('concurrency policy', () => {
    const { chart } = webApp({ scheduledJobs: [{ name: 'n', schedule: '@hourly', concurrencyPolicy: ConcurrencyPolicy.REPLACE }] });
    expect(byName(chart, 'CronJob', 'shop-n').spec.concurrencyPolicy).toBe('Replace');
  });
});

test('a job takes native sidecars, which stop with it, but not plain ones, which would keep it from completing', () => {
  const { SidecarMode } = require('../lib');
  const sidecars = [{ name: 'logs', image: 'registry.example.com/infra/fluent-bit:3.2' }];
  const job = (sidecarMode: any) => byName(webApp({ sidecars, sidecarMode, scheduledJobs: [{ name: 'n', schedule: '@daily' }] }).chart, 'CronJob', 'shop-n')
    .spec.jobTemplate.spec.template.spec;
  expect(job(SidecarMode.NATIVE).initContainers.map((c: any) => c.name)).toEqual(['logs']);
  const plain = job(SidecarMode.PLAIN);
  expect(plain.containers.map((c: any) => c.name)).toEqual(['shop-n']);
  expect(plain.initContainers).toBeUndefined();
});

describe('worker probes', () => {
  const worker = (chart: any) => byName(chart, 'Deployment', 'shop-orders');
  const main = (chart: any) => worker(chart).spec.template.spec.containers[0];
  const TIMING = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 };

  test('readiness on a port number and an exec liveness, on the worker\'s container; its startup probe asks what liveness asks', () => {
    const { chart } = webApp({
      workers: [{
        name: 'orders',
        readiness: Probe.httpGet('/ready', { port: 9000, headers: { 'X-Probe': 'ready' } }),
        liveness: Probe.exec(['/app/shop', 'alive'], { timeoutSeconds: 3 }),
      }],
    });
    const c = main(chart);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 9000, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'ready' }] }, ...TIMING });
    expect(c.livenessProbe).toEqual({ exec: { command: ['/app/shop', 'alive'] }, ...TIMING, timeoutSeconds: 3 });
    expect(c.startupProbe).toEqual({ exec: { command: ['/app/shop', 'alive'] }, ...TIMING, timeoutSeconds: 3, periodSeconds: 2, failureThreshold: 30 });
    // Still no ports: the probe names the number its process listens on.
    expect(c.ports).toBeUndefined();
    // Both probes there: no Polaris exemption for missing ones, and no reason to give.
    expect(worker(chart).metadata.annotations).toBeUndefined();
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('liveness alone keeps the readiness exemption, with its own reason', () => {
    const { chart } = webApp({ workers: [{ name: 'orders', liveness: Probe.tcpSocket({ port: 9000 }) }] });
    expect(main(chart).readinessProbe).toBeUndefined();
    expect(main(chart).livenessProbe.tcpSocket).toEqual({ port: 9000 });
    expect(worker(chart).metadata.annotations).toEqual({
      'polaris.fairwinds.com/readinessProbeMissing-exempt': 'true',
      'cdk8s-webstack/policy-exceptions': 'readinessProbeMissing: it serves no port',
    });
  });

  test('readiness alone keeps the liveness exemption, and there is no startup probe without liveness', () => {
    const { chart } = webApp({ workers: [{ name: 'orders', readiness: Probe.grpc({ port: 9000, service: 'orders' }) }] });
    expect(main(chart).readinessProbe.grpc).toEqual({ port: 9000, service: 'orders' });
    expect(main(chart).livenessProbe).toBeUndefined();
    expect(main(chart).startupProbe).toBeUndefined();
    expect(worker(chart).metadata.annotations).toEqual({
      'polaris.fairwinds.com/livenessProbeMissing-exempt': 'true',
      'cdk8s-webstack/policy-exceptions': 'livenessProbeMissing: Kubernetes restarts it when its process exits',
    });
  });

  test('an autoscaled worker with both probes gives only the autoscaler\'s reason', () => {
    const { chart } = webApp({ workers: [{ name: 'orders', autoscaling: { maxReplicas: 6 }, readiness: Probe.exec(['ready']), liveness: Probe.exec(['alive']) }] });
    const annotations = worker(chart).metadata.annotations;
    expect(Object.keys(annotations).filter(k => k.includes('ProbeMissing'))).toEqual([]);
    expect(annotations['cdk8s-webstack/policy-exceptions']).toMatch(/^deploymentMissingReplicas, minimum-three-replicas: /);
  });

  test('a startup probe of its own, or none', () => {
    const own = webApp({ workers: [{ name: 'orders', liveness: Probe.exec(['alive']), startup: Probe.exec(['started'], { failureThreshold: 60 }) }] });
    expect(main(own.chart).startupProbe).toEqual({ exec: { command: ['started'] }, ...TIMING, failureThreshold: 60 });
    const none = webApp({ workers: [{ name: 'orders', liveness: Probe.exec(['alive']), startup: false }] });
    expect(main(none.chart).startupProbe).toBeUndefined();
  });

  test('the app\'s probes reach neither a worker without probes nor a scheduled job', () => {
    const { chart } = webApp({ workers: [{ name: 'orders' }], scheduledJobs: [{ name: 'report', schedule: '@daily' }] });
    const job = byName(chart, 'CronJob', 'shop-report').spec.jobTemplate.spec.template.spec.containers[0];
    for (const c of [main(chart), job]) {
      expect([c.readinessProbe, c.livenessProbe, c.startupProbe]).toEqual([undefined, undefined, undefined]);
    }
  });

  test.each([
    ['an HTTP probe without a port', { readiness: Probe.httpGet('/ready') }, 'workers[0].readiness.port',
      /^web\/shop: 'workers\[0\].readiness.port' \(undefined\) is left out, and a worker has no port to probe by default; give the port number its process listens on \(port: 8080\), or use Probe.exec\(\[...\]\)$/],
    ['a TCP probe without a port', { liveness: Probe.tcpSocket() }, 'workers[0].liveness.port', /is left out, and a worker has no port/],
    ['a port name', { liveness: Probe.tcpSocket({ port: 'http' }) }, 'workers[0].liveness.port',
      /\("http"\) names no port of the worker, whose ports are none; give the port number its process listens on/],
    ['a startup probe without a port', { startup: Probe.httpGet('/started') }, 'workers[0].startup.port', /a worker has no port/],
    ['a port out of range', { readiness: Probe.grpc({ port: 70000 }) }, 'workers[0].readiness.port', /from 1 to 65535/],
    ['an empty command', { liveness: Probe.exec([]) }, 'workers[0].liveness.command', /names no program to run/],
    ['a probe that is not a Probe', { liveness: { httpGet: { path: '/' } } }, 'workers[0].liveness', /is not a Probe; use Probe.httpGet\(path\), Probe.tcpSocket\(\), Probe.exec\(command\) or Probe.grpc/],
    ['a startup that is true', { startup: true }, 'workers[0].startup', /is none of: false, a Probe/],
  ])('refuses %s', (_, probes, prop, message) => {
    const error = errorOf(() => webApp({ workers: [{ name: 'orders', ...probes } as any] }));
    expect([error.prop, error.message]).toEqual([prop, expect.stringMatching(message)]);
  });
});

/** Stateful workloads (issue 22 part 2): the app as a StatefulSet, with a claim per replica and the headless Service it names. */
import { Chart, JsonPatch } from 'cdk8s';
import {
  AccessMode, ClaimRetention, IngressVip, PodManagement, PreStopMode, Probe, StackOutputs, StatefulSetOptions, StatefulSetUpdateStrategy, synthFiles, UpdateStrategy,
  VolumeMode, VolumeSource, WebApp, WebAppProps, WebStackApp, WorkerOptions,
} from '../lib';
import { docs, errorOf, IMAGE, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const DATA = { name: 'data', size: '10Gi', mountPath: '/data' };
const stateful = (options: StatefulSetOptions = {}, props: Partial<WebAppProps> = {}) => webApp({ ...props, statefulSet: options });
const containerOf = (doc: any, name: string) => [...(doc.spec.template.spec.initContainers ?? []), ...doc.spec.template.spec.containers].find((c: any) => c.name === name);

describe('statefulSet', () => {
  test('defaults: a StatefulSet with the pod template a Deployment would have, a headless Service, and everything else as before', () => {
    // Given the same app as a Deployment and as a StatefulSet
    const plain = webApp();
    const { chart, web } = stateful();
    const all = docs(chart);
    // Then the kinds are the Deployment app's, the Deployment swapped for a StatefulSet, plus the headless Service
    const kindsOf = (list: any[]) => list.map(d => `${d.kind}/${d.metadata.name}`).sort();
    expect(kindsOf(all)).toEqual(kindsOf(docs(plain.chart)).map(k => (k === 'Deployment/shop' ? 'StatefulSet/shop' : k)).concat('Service/shop-headless').sort());
    const sts = kind(chart, 'StatefulSet');
    const deployment = kind(plain.chart, 'Deployment');
    expect(sts.metadata).toEqual(deployment.metadata);
    expect(sts.spec).toEqual({
      replicas: 2,
      revisionHistoryLimit: 5,
      // The Deployment's minReadySeconds; a StatefulSet has no progress deadline.
      minReadySeconds: 5,
      serviceName: 'shop-headless',
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: web.selectorLabels },
      updateStrategy: { type: 'RollingUpdate' },
      template: deployment.spec.template,
    });
    // The pods spread and repel each other as a Deployment's do.
    expect(sts.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(sts.spec.template.spec.topologySpreadConstraints).toHaveLength(1);
    const headless = all.find(d => d.kind === 'Service' && d.metadata.name === 'shop-headless');
    expect(headless).toEqual({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'shop-headless', namespace: 'shop', labels: web.labels },
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: web.selectorLabels,
        ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' }],
      },
    });
    // The route's Service is unchanged.
    expect(all.find(d => d.kind === 'Service' && d.metadata.name === 'shop')).toEqual(kind(plain.chart, 'Service'));
    expect(all.flatMap(schemaErrors)).toEqual([]);
    // Read back
    expect(web.workload).toBe(web.statefulSet);
    expect(web.deployment).toBeUndefined();
    expect(web.headlessService?.name).toBe('shop-headless');
    expect(plain.web.workload).toBe(plain.web.deployment);
    expect(plain.web.statefulSet).toBeUndefined();
    expect(plain.web.headlessService).toBeUndefined();
  });

  test('claims: a volumeClaimTemplates entry each, with stable labels only, mounted by the app at its path, with subPath and readOnly', () => {
    const { chart, web } = stateful({
      claims: [
        { ...DATA, storageClass: 'fast-ssd' },
        { name: 'wal', size: '1Gi', accessModes: [AccessMode.READ_WRITE_ONCE_POD], mountPath: '/wal', subPath: 'pg', readOnly: true },
        { name: 'raw', size: '5Gi', volumeMode: VolumeMode.BLOCK, mountPath: '/dev/xvdb' },
      ],
    }, { replicas: 3 });
    const sts = kind(chart, 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: web.selectorLabels },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast-ssd', volumeMode: 'Filesystem' },
      },
      {
        metadata: { name: 'wal', labels: web.selectorLabels },
        spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      },
      {
        metadata: { name: 'raw', labels: web.selectorLabels },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, volumeMode: 'Block' },
      },
    ]);
    // The claims are the controller's to add: not volumes of the template, and no PersistentVolumeClaim of the app's.
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp']);
    expect(docs(chart).some(d => d.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(web.claims).toEqual([]);
    const app = containerOf(sts, 'shop');
    expect(app.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
      { name: 'wal', mountPath: '/wal', subPath: 'pg', readOnly: true },
    ]);
    expect(app.volumeDevices).toEqual([{ name: 'raw', devicePath: '/dev/xvdb' }]);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('other containers and the app\'s own mounts name a claim like any volume', () => {
    const { chart } = stateful({ claims: [DATA] }, {
      mounts: [{ volume: 'data', mountPath: '/etc/app', subPath: 'conf', readOnly: true }],
      initContainers: [{ name: 'init-dirs', inherit: false, mounts: [{ volume: 'data', mountPath: '/work' }] }],
      sidecars: [{ name: 'backup', image: 'registry.example.com/infra/restic:0.17.3', mounts: [{ volume: 'data', mountPath: '/data', readOnly: true }] }],
    });
    const sts = kind(chart, 'StatefulSet');
    expect(containerOf(sts, 'shop').volumeMounts).toContainEqual({ name: 'data', mountPath: '/etc/app', subPath: 'conf', readOnly: true });
    expect(containerOf(sts, 'init-dirs').volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/work' }]);
    expect(containerOf(sts, 'backup').volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data', readOnly: true }]);
  });

  test('a ReadWriteOnce claim per replica holds any replica count and an autoscaler, which scales the StatefulSet', () => {
    const { chart, web } = stateful({ claims: [DATA] }, { autoscaling: { maxReplicas: 6 } });
    const sts = kind(chart, 'StatefulSet');
    expect(sts.spec.replicas).toBeUndefined();
    expect(kind(chart, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'shop' });
    expect(kind(chart, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(web.selectorLabels);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('podManagement, a partitioned rolling update, onDelete and the retention policy are written as given', () => {
    const parallel = kind(stateful({
      claims: [DATA], podManagement: PodManagement.PARALLEL,
      updateStrategy: StatefulSetUpdateStrategy.rollingUpdate({ partition: 2 }),
      retention: { whenScaled: ClaimRetention.DELETE },
    }, { replicas: 3 }).chart, 'StatefulSet');
    expect(parallel.spec.podManagementPolicy).toBe('Parallel');
    expect(parallel.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    expect(parallel.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(schemaErrors(parallel)).toEqual([]);
    const onDelete = kind(stateful({ claims: [DATA], updateStrategy: StatefulSetUpdateStrategy.onDelete(), retention: { whenDeleted: ClaimRetention.DELETE } }).chart, 'StatefulSet');
    expect(onDelete.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(onDelete.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    // Retaining both is the API server's default: left unwritten, so it reads back on every version.
    const retained = kind(stateful({ claims: [DATA], retention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.RETAIN } }).chart, 'StatefulSet');
    expect(retained.spec.persistentVolumeClaimRetentionPolicy).toBeUndefined();
    expect(StatefulSetUpdateStrategy.rollingUpdate()).toEqual(expect.objectContaining({ type: 'RollingUpdate', partition: undefined }));
  });

  test('probes, security, the preStop sleep action and the policy annotation come with the pod, as on a Deployment', () => {
    const props: Partial<WebAppProps> = { security: { runAsUser: 1000, runAsGroup: 1000, exception: { reason: 'the image runs as 1000', lowIds: true } }, shutdown: { preStopMode: PreStopMode.SLEEP_ACTION } };
    const sts = kind(stateful({}, props).chart, 'StatefulSet');
    const deployment = kind(webApp(props).chart, 'Deployment');
    expect(sts.metadata.annotations).toEqual(deployment.metadata.annotations);
    expect(sts.spec.template).toEqual(deployment.spec.template);
    expect(containerOf(sts, 'shop').lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
  });

  test('outputs.json lists the StatefulSet under statefulSets, and its workers under deployments', () => {
    const app = new WebStackApp({ outdir: 'unused' });
    const vip = new IngressVip(new Chart(app, 'platform'), 'vip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'search'), 'search', { entryPoint: vip, image: IMAGE, host: 'search.example.com', statefulSet: {}, workers: [{ name: 'indexer' }] });
    new WebApp(new Chart(app, 'shop'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com' });
    const outputs = JSON.parse(synthFiles(app)['outputs.json']) as StackOutputs;
    expect(outputs.apps.map(a => [a.name, a.deployments, a.statefulSets])).toEqual([
      ['search', ['search-indexer'], ['search']],
      ['shop', ['shop'], []],
    ]);
  });

  test('a ReadWriteOnce claim of volumes is still one claim for every pod: refused above one replica, naming statefulSet.claims; fine at one, without Recreate', () => {
    const shared = { volumes: [{ name: 'shared', source: VolumeSource.newClaim({ size: '5Gi' }), mountPath: '/shared' }] };
    const error = errorOf(() => stateful({}, { ...shared, replicas: 2 }));
    expect(error.prop).toBe('volumes[0].source');
    expect(error.message).toMatch(/the app runs 2 replicas/);
    expect(error.message).toMatch(/statefulSet: \{ claims: \[\{ name: 'shared', size: '5Gi', mountPath \}\] \} instead of this volume/);
    expect(error.message).not.toMatch(/UpdateStrategy\.recreate/);
    // A StatefulSet stops a pod before it starts its replacement: one replica needs no Recreate.
    const { chart } = stateful({}, { ...shared, replicas: 1 });
    expect(() => docs(chart)).not.toThrow();
  });

  test('a Deployment app\'s ReadWriteOnce claim names statefulSet.claims as a fix', () => {
    expect(errorOf(() => webApp({ volumes: [{ name: 'data', source: VolumeSource.newClaim({ size: '10Gi' }), mountPath: '/data' }] })).message)
      .toMatch(/UpdateStrategy\.recreate\(\).*READ_WRITE_MANY.*statefulSet: \{ claims: \[\{ name: 'data', size: '10Gi', mountPath \}\] \}.*\(a StatefulSet\)/);
  });
});

describe('statefulSet refuses', () => {
  test.each<[string, () => unknown, string, RegExp]>([
    ['a Deployment\'s update strategy beside it', () => stateful({}, { updateStrategy: UpdateStrategy.recreate() }), 'updateStrategy',
      /'updateStrategy' \("Recreate"\) is a Deployment's update strategy, but the app is a StatefulSet.*use statefulSet\.updateStrategy: StatefulSetUpdateStrategy\.rollingUpdate/],
    ['a name over 52 characters', () => stateful({}, { name: `s${'a'.repeat(52)}` }), 'name', /makes the StatefulSet "sa+" 53 characters long, over the 52 a StatefulSet's name may have.*controller-revision-hash/],
    ['claims beside workers', () => stateful({ claims: [DATA] }, { workers: [{ name: 'q' }] }), 'statefulSet.claims', /and so would its workers, in pods that have no such claim.*READ_WRITE_MANY/],
    ['claims beside scheduled jobs', () => stateful({ claims: [DATA] }, { scheduledJobs: [{ name: 'nightly', schedule: '0 3 * * *' }] }), 'statefulSet.claims', /and so would its scheduled jobs/],
    ['two claims of one name', () => stateful({ claims: [DATA, { ...DATA, mountPath: '/other' }] }), 'statefulSet.claims[1].name', /names two claims of statefulSet\.claims/],
    ['a claim named like a volume of volumes', () => stateful({ claims: [DATA] }, { volumes: [{ name: 'data', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/scratch' }] }),
      'volumes[0].name', /is already the name of a volume of the pod \(the claim per replica of statefulSet\.claims\[0\]\)/],
    ['a claim named tmp', () => stateful({ claims: [{ ...DATA, name: 'tmp' }] }), 'statefulSet.claims[0].name', /the \/tmp scratch space/],
    ['a claim named like a config volume', () => stateful({ claims: [{ ...DATA, name: 'config-app' }] }, { configFiles: [{ name: 'app', mountPath: '/etc/app', files: { 'a.yaml': 'x' } }] }),
      'statefulSet.claims[0].name', /one of the config props'/],
    ['no access modes', () => stateful({ claims: [{ ...DATA, accessModes: [] }] }), 'statefulSet.claims[0].accessModes', /is empty/],
    ['an access mode twice', () => stateful({ claims: [{ ...DATA, accessModes: [AccessMode.READ_WRITE_ONCE, AccessMode.READ_WRITE_ONCE] }] }), 'statefulSet.claims[0].accessModes', /names an access mode twice/],
    ['a claim mounted at a path the app mounts already', () => stateful({ claims: [{ ...DATA, mountPath: '/tmp' }] }), 'statefulSet.claims[0].mountPath', /is already the mount path of the \/tmp scratch space/],
    ['a sub-path out of the claim', () => stateful({ claims: [{ ...DATA, subPath: '../etc' }] }), 'statefulSet.claims[0].subPath', /is not a relative path inside the volume/],
    ['a sub-path on a block claim', () => stateful({ claims: [{ ...DATA, volumeMode: VolumeMode.BLOCK, subPath: 'x' }] }), 'statefulSet.claims[0].subPath', /is set on a block volume/],
    ['a mount of a claim that is not there', () => stateful({ claims: [DATA] }, { mounts: [{ volume: 'date', mountPath: '/d' }] }), 'mounts[0].volume', /is not a volume of the pod; name one of 'tmp', 'data'/],
    ['retention without claims', () => stateful({ retention: { whenDeleted: ClaimRetention.DELETE } }), 'statefulSet.retention', /is set, but the StatefulSet has no claims.*add statefulSet\.claims, or leave retention out/],
    // The run-time shapes, for JavaScript callers.
    ['a claim without a mount path', () => stateful({ claims: [{ name: 'data', size: '1Gi' } as any] }), 'statefulSet.claims[0].mountPath', /is required/],
    ['a claim size that is not a quantity', () => stateful({ claims: [{ ...DATA, size: '10 GB' }] }), 'statefulSet.claims[0].size', /10Gi/],
    ['a claim name that is not a label', () => stateful({ claims: [{ ...DATA, name: 'Data' }] }), 'statefulSet.claims[0].name', /.+/],
    ['a pod management that is not one', () => stateful({ podManagement: 'ordered' as any }), 'statefulSet.podManagement', /is not a member of PodManagement; use PodManagement\.ORDERED_READY \('OrderedReady'\), PodManagement\.PARALLEL \('Parallel'\)/],
    ['a plain object for the update strategy', () => stateful({ updateStrategy: { type: 'OnDelete' } as any }), 'statefulSet.updateStrategy', /StatefulSetUpdateStrategy\.onDelete\(\)/],
    ['a retention that is not one', () => stateful({ claims: [DATA], retention: { whenScaled: 'delete' as any } }), 'statefulSet.retention.whenScaled', /ClaimRetention\.RETAIN \('Retain'\), ClaimRetention\.DELETE \('Delete'\)/],
    ['a misspelt option', () => stateful({ claim: [DATA] } as any), 'statefulSet.claim', /did you mean 'statefulSet\.claims'\?/],
    ['a list for the options', () => webApp({ statefulSet: [] as any }), 'statefulSet', /StatefulSetOptions/],
  ])('%s', (_, build, prop, message) => {
    const error = errorOf(build);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^web\/shop: /);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['maxUnavailable, alpha for StatefulSets', () => StatefulSetUpdateStrategy.rollingUpdate({ maxUnavailable: 1 } as any),
      /^StatefulSetUpdateStrategy\.rollingUpdate\(\): 'options\.maxUnavailable' \(1\) is alpha for StatefulSets \(the MaxUnavailableStatefulSet feature gate\)/],
    ['a negative partition', () => StatefulSetUpdateStrategy.rollingUpdate({ partition: -1 }), /'options\.partition' \(-1\)/],
    ['a fractional partition', () => StatefulSetUpdateStrategy.rollingUpdate({ partition: 1.5 }), /'options\.partition' \(1\.5\)/],
    ['a Deployment\'s option', () => StatefulSetUpdateStrategy.rollingUpdate({ maxSurge: 1 } as any), /'options\.maxSurge' \(1\) is not a prop of StatefulSetRollingUpdateOptions/],
  ])('StatefulSetUpdateStrategy.rollingUpdate() refuses %s where it is made', (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('a worker as a StatefulSet', () => {
  const BUFFER = { name: 'buffer', size: '5Gi', mountPath: '/var/lib/queue' };
  const withWorker = (worker: Partial<WorkerOptions> = {}, props: Partial<WebAppProps> = {}) =>
    webApp({ ...props, workers: [{ name: 'queue', statefulSet: { claims: [BUFFER] }, ...worker }] });

  test('its pods are a StatefulSet with a claim per replica in its container, under a headless Service without ports; the app stays a Deployment', () => {
    const plain = webApp({ workers: [{ name: 'queue' }] });
    const { chart, web } = withWorker();
    const all = docs(chart);
    const kindsOf = (list: any[]) => list.map(d => `${d.kind}/${d.metadata.name}`).sort();
    expect(kindsOf(all)).toEqual(kindsOf(docs(plain.chart)).map(k => (k === 'Deployment/shop-queue' ? 'StatefulSet/shop-queue' : k)).concat('Service/shop-queue-headless').sort());
    const sts = all.find(d => d.kind === 'StatefulSet');
    const deployment = docs(plain.chart).find(d => d.kind === 'Deployment' && d.metadata.name === 'shop-queue');
    // Its headless Service selects the pods, so kube-score would ask for the readiness probe a worker has no port for.
    expect(sts.metadata).toEqual({
      ...deployment.metadata,
      annotations: {
        ...deployment.metadata.annotations,
        'kube-score/ignore': 'pod-probes',
        'cdk8s-webstack/policy-exceptions': `${deployment.metadata.annotations['cdk8s-webstack/policy-exceptions']}; pod-probes: its headless Service has no ports and routes no traffic; it only gives the pods DNS names`,
      },
    });
    const ready = kind(withWorker({ readiness: Probe.exec(['/app/ready']) }).chart, 'StatefulSet');
    expect(ready.metadata.annotations['kube-score/ignore']).toBeUndefined();
    // A StatefulSet has no progress deadline (nor a Deployment's strategy).
    const { strategy, template, progressDeadlineSeconds, ...rest } = deployment.spec;
    expect(progressDeadlineSeconds).toBe(130);
    expect(strategy).toBeDefined();
    expect(template.spec.containers).toHaveLength(1);
    expect(sts.spec).toMatchObject({ ...rest, serviceName: 'shop-queue-headless', podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' } });
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'buffer', labels: deployment.spec.selector.matchLabels },
      spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '5Gi' } } },
    }]);
    // The pod is the Deployment's, with the claim mounted in the worker's container; no port is declared.
    const container = containerOf(sts, 'shop-queue');
    expect(container.ports).toBeUndefined();
    expect(container.volumeMounts).toEqual([...containerOf(deployment, 'shop-queue').volumeMounts, { name: 'buffer', mountPath: '/var/lib/queue' }]);
    expect(sts.spec.template.spec.volumes).toEqual(deployment.spec.template.spec.volumes);
    expect(all.find(d => d.kind === 'Service' && d.metadata.name === 'shop-queue-headless')).toEqual({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'shop-queue-headless', namespace: 'shop', labels: sts.metadata.labels },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: deployment.spec.selector.matchLabels },
    });
    expect(all.flatMap(schemaErrors)).toEqual([]);
    expect(web.deployment).toBeDefined();
    expect(web.workers[0].workload).toBe(web.workers[0].statefulSet);
    expect(web.workers[0].deployment).toBeUndefined();
    expect(web.workers[0].headlessService?.name).toBe('shop-queue-headless');
    expect(plain.web.workers[0].workload).toBe(plain.web.workers[0].deployment);
  });

  test('its own update strategy, pod management and retention; its autoscaler scales the StatefulSet; outputs.json lists it under statefulSets', () => {
    const { chart } = withWorker({
      statefulSet: { claims: [BUFFER], podManagement: PodManagement.PARALLEL, updateStrategy: StatefulSetUpdateStrategy.onDelete(), retention: { whenScaled: ClaimRetention.DELETE } },
      autoscaling: { maxReplicas: 6 },
    });
    const sts = kind(chart, 'StatefulSet');
    expect(sts.spec).toMatchObject({ podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    expect(sts.spec.replicas).toBeUndefined();
    expect(docs(chart).find(d => d.kind === 'HorizontalPodAutoscaler' && d.metadata.name === 'shop-queue').spec.scaleTargetRef)
      .toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'shop-queue' });

    const app = new WebStackApp({ outdir: 'unused' });
    const vip = new IngressVip(new Chart(app, 'platform'), 'vip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'shop'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', workers: [{ name: 'mailer' }, { name: 'queue', statefulSet: { claims: [BUFFER] } }] });
    const outputs = JSON.parse(synthFiles(app)['outputs.json']) as StackOutputs;
    expect(outputs.apps.map(a => [a.deployments, a.statefulSets])).toEqual([[['shop', 'shop-mailer'], ['shop-queue']]]);
  });

  test('a block claim reaches the worker as a device; the app\'s volumes and config stay mounted beside its claims', () => {
    const { chart } = withWorker({ statefulSet: { claims: [BUFFER, { name: 'raw', size: '1Gi', volumeMode: VolumeMode.BLOCK, mountPath: '/dev/raw' }] } },
      { volumes: [{ name: 'shared', source: VolumeSource.newClaim({ size: '5Gi', accessModes: [AccessMode.READ_WRITE_MANY] }), mountPath: '/shared' }] });
    const container = containerOf(kind(chart, 'StatefulSet'), 'shop-queue');
    expect(container.volumeDevices).toEqual([{ name: 'raw', devicePath: '/dev/raw' }]);
    expect(container.volumeMounts.map((m: any) => m.name)).toEqual(['tmp', 'shared', 'buffer']);
  });

  test.each<[string, () => unknown, string, RegExp]>([
    ['a Deployment\'s update strategy beside it', () => withWorker({ updateStrategy: UpdateStrategy.recreate() }), 'workers[0].updateStrategy',
      /is a Deployment's update strategy, but it is a StatefulSet \(workers\[0\]\.statefulSet is set\).*use workers\[0\]\.statefulSet\.updateStrategy/],
    ['a StatefulSet name over 52 characters', () => withWorker({ name: `q${'a'.repeat(47)}` }), 'workers[0].name', /makes the StatefulSet "shop-qa+" 53 characters long/],
    ['a claim named like a volume of the app\'s', () => withWorker({ statefulSet: { claims: [{ ...BUFFER, name: 'shared' }] } },
      { volumes: [{ name: 'shared', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/shared' }] }), 'workers[0].statefulSet.claims[0].name', /is already the name of a volume of the pod/],
    ['a claim at a path the app\'s mounts take', () => withWorker({ statefulSet: { claims: [{ ...BUFFER, mountPath: '/etc/app/' }] } },
      { configFiles: [{ name: 'app', mountPath: '/etc/app', files: { 'a.yaml': 'x' } }] }), 'workers[0].statefulSet.claims[0].mountPath', /is already the mount path of volume "config-app" in this container \(it is \/etc\/app\)/],
    ['retention without claims', () => withWorker({ statefulSet: { retention: { whenDeleted: ClaimRetention.DELETE } } }), 'workers[0].statefulSet.retention', /add workers\[0\]\.statefulSet\.claims/],
    ['a misspelt option', () => withWorker({ statefulSet: { claim: [BUFFER] } as any }), 'workers[0].statefulSet.claim', /did you mean 'workers\[0\]\.statefulSet\.claims'\?/],
  ])('refuses %s', (_, build, prop, message) => {
    const error = errorOf(build);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^web\/shop: /);
  });

  test.each<[string, (web: WebApp) => void, RegExp]>([
    ['a serviceName that names another Service', web => web.workers[0].workload.addJsonPatch(JsonPatch.replace('/spec/serviceName', 'shop')),
      /StatefulSet "shop-queue" names serviceName "shop", not its headless Service "shop-queue-headless"/],
    ['a claim no container mounts any more', web => web.workers[0].workload.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/volumeMounts/1')),
      /StatefulSet "shop-queue" has claim template "buffer", which no container mounts/],
  ])('at synth, after patches: %s is named', (_, patch, message) => {
    const { chart, web } = withWorker();
    patch(web);
    expect(() => docs(chart)).toThrow(message);
  });
});

describe('statefulSet at synth, after patches', () => {
  test.each<[string, (web: WebApp) => void, RegExp]>([
    ['a serviceName that names another Service', web => web.workload.addJsonPatch(JsonPatch.replace('/spec/serviceName', 'shop')),
      /StatefulSet "shop" names serviceName "shop", not its headless Service "shop-headless"/],
    ['a headless Service given a cluster IP', web => web.headlessService!.addJsonPatch(JsonPatch.replace('/spec/clusterIP', '10.96.0.10')),
      /Service "shop-headless" has clusterIP "10\.96\.0\.10", so it is not headless/],
    ['a headless Service that selects other pods', web => web.headlessService!.addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'other' })),
      /Service "shop-headless" selects \{"app":"other"\}, which the pods of StatefulSet "shop" do not carry/],
    ['a route Service that selects other pods', web => web.service.addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'other' })),
      /Service "shop" selects \{"app":"other"\}, which the pods of StatefulSet "shop" do not carry/],
    ['a claim no container mounts any more', web => web.workload.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/volumeMounts/1')),
      /StatefulSet "shop" has claim template "data", which no container mounts/],
    ['a mount of a volume the pod lacks', web => web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'ghost', mountPath: '/ghost' })),
      /StatefulSet "shop": container "shop" mounts volume "ghost", which the pod does not have/],
    ['a pod volume named like a claim', web => web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', { name: 'data', emptyDir: {} })),
      /StatefulSet "shop" has two volumes named "data"/],
    ['an autoscaler patched to scale a Deployment', web => web.autoscaler!.addJsonPatch(JsonPatch.replace('/spec/scaleTargetRef/kind', 'Deployment')),
      /HorizontalPodAutoscaler targets Deployment "shop", not StatefulSet "shop"; scale the app's StatefulSet/],
    ['replicas patched in beside the autoscaler', web => web.workload.addJsonPatch(JsonPatch.add('/spec/replicas', 3)),
      /StatefulSet sets spec\.replicas although an autoscaler owns the count/],
    ['a PDB that selects other pods', web => web.disruptionBudget!.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { app: 'other' })),
      /PodDisruptionBudget selector does not match the app's pods/],
  ])('%s is named', (_, patch, message) => {
    const { chart, web } = stateful({ claims: [DATA] }, { autoscaling: { maxReplicas: 4 } });
    patch(web);
    expect(() => docs(chart)).toThrow(message);
  });

  test('unpatched, every check passes and every document is schema-valid', () => {
    const { chart } = stateful({ claims: [DATA], podManagement: PodManagement.PARALLEL, retention: { whenDeleted: ClaimRetention.DELETE, whenScaled: ClaimRetention.DELETE } },
      { autoscaling: { maxReplicas: 4 }, sidecars: [{ name: 'backup', image: 'registry.example.com/infra/restic:0.17.3', mounts: [{ volume: 'data', mountPath: '/data', readOnly: true }] }] });
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });
});

/** Volumes and persistence (issue 22 part 1): claims, mounts on any container, and the checks that span them. */
import { Chart, JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  AccessMode, IngressVip, OutputLayout, StackOutputs, synthFiles, UpdateStrategy, VolumeMode, VolumeSource, WebApp, WebAppProps, WebStackApp,
} from '../lib';
import { docs, errorOf, IMAGE, kind, webApp } from './_fixtures';

const ONE = { replicas: 1, updateStrategy: UpdateStrategy.recreate() };
const claim = (options: Partial<Parameters<typeof VolumeSource.newClaim>[0]> = {}) => VolumeSource.newClaim({ size: '10Gi', ...options });
const containerOf = (doc: any, name: string) => [...(doc.spec.template.spec.initContainers ?? []), ...doc.spec.template.spec.containers].find((c: any) => c.name === name);

describe('volumes', () => {
  test('a new claim: a PersistentVolumeClaim <app>-<name>, kept, mounted by the app at its path with subPath and readOnly', () => {
    const { chart, web } = webApp({
      ...ONE,
      volumes: [{ name: 'data', source: claim({ storageClass: 'fast-ssd' }), mountPath: '/data' }],
      mounts: [{ volume: 'data', mountPath: '/etc/forge', subPath: 'conf', readOnly: true }],
    });
    const pvc = kind(chart, 'PersistentVolumeClaim');
    expect(pvc).toEqual({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'shop-data', namespace: 'shop', labels: web.labels,
        annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast-ssd', volumeMode: 'Filesystem' },
    });
    expect(web.claims).toHaveLength(1);
    const deployment = kind(chart, 'Deployment');
    // One replica, because the claim allows no more: the replica checks are told why.
    expect(deployment.metadata.annotations).toMatchObject({
      'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true',
      'cdk8s-webstack/policy-exceptions': 'deploymentMissingReplicas, minimum-three-replicas: one replica, the only pod that may mount ReadWriteOnce claim "shop-data"',
    });
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'shop-data' } });
    expect(containerOf(deployment, 'shop').volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
      { name: 'data', mountPath: '/etc/forge', subPath: 'conf', readOnly: true },
    ]);
  });

  test('keep: false has no keep annotations; access modes and a block volume mode are written as given, the block claim as a device', () => {
    const { chart } = webApp({
      volumes: [{ name: 'disk', source: claim({ keep: false, accessModes: [AccessMode.READ_WRITE_MANY], volumeMode: VolumeMode.BLOCK }), mountPath: '/dev/xvdb' }],
    });
    const pvc = kind(chart, 'PersistentVolumeClaim');
    expect(pvc.metadata.annotations).toBeUndefined();
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '10Gi' } }, volumeMode: 'Block' });
    const app = containerOf(kind(chart, 'Deployment'), 'shop');
    expect(app.volumeDevices).toEqual([{ name: 'disk', devicePath: '/dev/xvdb' }]);
    expect(app.volumeMounts.map((m: any) => m.name)).toEqual(['tmp']);
  });

  test('existing claims, scratch, Secret and ConfigMap sources; scratch adds to the ephemeral-storage request', () => {
    const { chart } = webApp({
      volumes: [
        { name: 'shared', source: VolumeSource.existingClaim('team-share', { readOnly: true }), mountPath: '/srv/share' },
        { name: 'work', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/work' },
        { name: 'keys', source: VolumeSource.secret('ssh-keys', { keys: ['id_ed25519'] }), mountPath: '/etc/ssh/keys' },
        { name: 'theme', source: VolumeSource.configMap('site-theme'), mountPath: '/srv/theme' },
      ],
    });
    const deployment = kind(chart, 'Deployment');
    expect(deployment.spec.template.spec.volumes.slice(1)).toEqual([
      { name: 'shared', persistentVolumeClaim: { claimName: 'team-share', readOnly: true } },
      { name: 'work', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'keys', secret: { secretName: 'ssh-keys', defaultMode: 0o440, items: [{ key: 'id_ed25519', path: 'id_ed25519' }] } },
      { name: 'theme', configMap: { name: 'site-theme', defaultMode: 0o444 } },
    ]);
    const app = containerOf(deployment, 'shop');
    // Read-only sources are mounted read-only without being asked.
    expect(app.volumeMounts.filter((m: any) => m.readOnly).map((m: any) => m.name)).toEqual(['shared', 'keys', 'theme']);
    expect(app.resources.requests['ephemeral-storage']).toBe('1152Mi');
    expect(docs(chart).some(d => d.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  test('sidecars mount only what they name; init containers inherit the app\'s mounts and env unless inherit: false', () => {
    const { chart } = webApp({
      ...ONE,
      volumes: [{ name: 'logs', source: VolumeSource.scratch({ sizeLimit: '256Mi' }), mountPath: '/var/log/app' }],
      initContainers: [{ name: 'migrate' }, { name: 'fetch', inherit: false, mounts: [{ volume: 'logs', mountPath: '/out' }] }],
      sidecars: [{ name: 'shipper', image: 'registry.example.com/infra/fluent-bit:3.2.4', mounts: [{ volume: 'logs', mountPath: '/var/log/app', readOnly: true }] }],
    });
    const deployment = kind(chart, 'Deployment');
    expect(containerOf(deployment, 'migrate').volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'logs', mountPath: '/var/log/app' }]);
    expect(containerOf(deployment, 'fetch').volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'logs', mountPath: '/out' }]);
    expect(containerOf(deployment, 'shipper').volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'logs', mountPath: '/var/log/app', readOnly: true }]);
  });

  test('workers get the volumes their containers mount, not those only the app\'s init containers use', () => {
    const { chart } = webApp({
      volumes: [
        { name: 'cache', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/cache' },
        { name: 'seed', source: VolumeSource.configMap('seed-data') },
      ],
      initContainers: [{ name: 'load', mounts: [{ volume: 'seed', mountPath: '/seed' }] }],
      workers: [{ name: 'queue' }],
    });
    const worker = docs(chart).find(d => d.kind === 'Deployment' && d.metadata.name === 'shop-queue');
    expect(worker.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'cache']);
    const app = docs(chart).find(d => d.kind === 'Deployment' && d.metadata.name === 'shop');
    expect(app.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'cache', 'seed']);
  });

  test('a FILE_PER_CHART ApplySet writes kept claims to kept.k8s.yaml, applied after the Namespaces; keep: false stays a member', () => {
    const app = new WebStackApp({ outdir: 'unused' });
    const vip = new IngressVip(new Chart(app, 'platform'), 'vip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'forge'), 'forge', {
      entryPoint: vip, image: IMAGE, host: 'git.example.com', ...ONE,
      volumes: [{ name: 'data', source: claim(), mountPath: '/data' }, { name: 'cache', source: claim({ keep: false }), mountPath: '/cache' }],
    });
    const files = synthFiles(app);
    const set = (JSON.parse(files['outputs.json']) as StackOutputs).applySet!;
    expect(set.keptFiles).toEqual(['applyset.k8s.yaml', 'namespaces.k8s.yaml', 'kept.k8s.yaml']);
    const names = (file: string) => parseAllDocuments(files[file]).map(d => d.toJS()).filter(Boolean).map((d: any) => `${d.kind}/${d.metadata.name}`);
    expect(names('kept.k8s.yaml')).toEqual(['PersistentVolumeClaim/forge-data']);
    expect(names('forge.k8s.yaml')).toContain('PersistentVolumeClaim/forge-cache');
    expect(names('forge.k8s.yaml')).not.toContain('PersistentVolumeClaim/forge-data');
  });

  test('a FOLDER_PER_CHART ApplySet writes them to the chart\'s kept.yaml, listed in its kustomization', () => {
    const app = new WebStackApp({ outdir: 'unused', layout: OutputLayout.FOLDER_PER_CHART });
    const vip = new IngressVip(new Chart(app, 'platform'), 'vip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'forge'), 'forge', { entryPoint: vip, image: IMAGE, host: 'git.example.com', ...ONE, volumes: [{ name: 'data', source: claim(), mountPath: '/data' }] });
    const files = synthFiles(app);
    const set = (JSON.parse(files['outputs.json']) as StackOutputs).applySet!;
    expect(set.keptFiles).toEqual(['applyset.k8s.yaml', 'forge/namespace.yaml', 'forge/kept.yaml']);
    expect(files['forge/kustomization.yaml']).toMatch(/- namespace.yaml\n\s+- kept.yaml\n\s+- manifests.yaml/);
  });

  test('the claim syncs with what pods read, before the workloads (Argo CD wave -2)', () => {
    const app = new WebStackApp({ outdir: 'unused', argoCdSyncWaves: true });
    const vip = new IngressVip(new Chart(app, 'platform'), 'vip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'forge'), 'forge', { entryPoint: vip, image: IMAGE, host: 'git.example.com', ...ONE, volumes: [{ name: 'data', source: claim(), mountPath: '/data' }] });
    const files = synthFiles(app);
    const pvc = parseAllDocuments(files['kept.k8s.yaml']).map(d => d.toJS())[0];
    expect(pvc.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
  });
});

describe('volume errors', () => {
  test.each<[string, Partial<WebAppProps>, string, RegExp]>([
    ['a mount of a volume the pod lacks', { mounts: [{ volume: 'dta', mountPath: '/data' }] }, 'mounts[0].volume', /\("dta"\) is not a volume of the pod; name one of 'tmp'/],
    ['a sidecar mount of a volume the pod lacks', { sidecars: [{ name: 'x', mounts: [{ volume: 'nope', mountPath: '/x' }] }] }, 'sidecars[0].mounts[0].volume', /is not a volume of the pod/],
    ['a volume no container mounts', { volumes: [{ name: 'data', source: VolumeSource.scratch({ sizeLimit: '1Gi' }) }] }, 'volumes[0]', /is mounted by no container of the pod/],
    ['two mounts at one path', { volumes: [{ name: 'a', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/data' }], mounts: [{ volume: 'a', mountPath: '/data/' }] },
      'mounts[0].mountPath', /is already the mount path of volume "a" in this container \(it is \/data\)/],
    ['a mount over a config mount', { scratchVolumes: [{ name: 'c', mountPath: '/cache', sizeLimit: '1Gi' }], volumes: [{ name: 'a', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/cache' }] },
      'volumes[0].mountPath', /is already the mount path of volume "scratch-c"/],
    ['a mount at /tmp', { volumes: [{ name: 'a', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/tmp' }] }, 'volumes[0].mountPath', /the \/tmp scratch space/],
    ['a volume named like a config volume', { scratchVolumes: [{ name: 'c', mountPath: '/cache', sizeLimit: '1Gi' }], volumes: [{ name: 'scratch-c', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/x' }] },
      'volumes[0].name', /is already the name of a volume of the pod/],
    ['a subPath with ..', { volumes: [{ name: 'a', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), mountPath: '/x', subPath: '../etc' }] }, 'volumes[0].subPath', /is not a relative path inside the volume/],
    ['an absolute subPath', { mounts: [{ volume: 'tmp', mountPath: '/x', subPath: '/etc' }] }, 'mounts[0].subPath', /is not a relative path inside the volume/],
    ['a subPath without a mountPath', { volumes: [{ name: 'a', source: VolumeSource.scratch({ sizeLimit: '1Gi' }), subPath: 'x' }] }, 'volumes[0].subPath', /has no mountPath/],
    ['a writable mount of a Secret', { volumes: [{ name: 'k', source: VolumeSource.secret('keys'), mountPath: '/k', readOnly: false }] }, 'volumes[0].readOnly', /asks to write volume "k", which is read-only/],
    ['a subPath on a block device', { volumes: [{ name: 'd', source: claim({ volumeMode: VolumeMode.BLOCK, accessModes: [AccessMode.READ_WRITE_MANY] }), mountPath: '/dev/x', subPath: 'p' }] },
      'volumes[0].subPath', /is set on a block volume/],
    ['no access modes', { volumes: [{ name: 'd', source: claim({ accessModes: [] }), mountPath: '/d' }] }, 'volumes[0].source.accessModes', /is empty/],
    ['a writable Secret mode', { volumes: [{ name: 'k', source: VolumeSource.secret('keys', { defaultMode: 0o666 }), mountPath: '/k' }] }, 'volumes[0].source.defaultMode', /lets the group or others write/],
  ])('%s is refused', (_, props, prop, message) => {
    const error = errorOf(() => webApp(props));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test.each<[string, Partial<WebAppProps>, RegExp]>([
    ['two replicas', { replicas: 2, updateStrategy: UpdateStrategy.recreate() }, /the app runs 2 replicas/],
    ['the default two replicas', {}, /the app runs 2 replicas/],
    ['an autoscaler', { autoscaling: { maxReplicas: 4 }, updateStrategy: UpdateStrategy.recreate() }, /the app has an autoscaler/],
    ['a rolling update', { replicas: 1 }, /a rolling update starts the new pod before the old one stops/],
    ['a worker', { ...ONE, workers: [{ name: 'q' }] }, /workers, scheduled jobs or release jobs mount it too/],
  ])('a ReadWriteOnce claim with %s is refused, naming the fixes', (_, props, problem) => {
    const error = errorOf(() => webApp({ ...props, volumes: [{ name: 'data', source: claim(), mountPath: '/data' }] }));
    expect(error.prop).toBe('volumes[0].source');
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/UpdateStrategy\.recreate\(\).*READ_WRITE_MANY.*StatefulSet/);
  });

  test('a ReadWriteOncePod claim says one pod; ReadWriteMany passes at any scale; an existing claim is not judged', () => {
    expect(errorOf(() => webApp({ volumes: [{ name: 'd', source: claim({ accessModes: [AccessMode.READ_WRITE_ONCE_POD] }), mountPath: '/d' }] })).message).toMatch(/lets one pod mount/);
    expect(() => webApp({ autoscaling: { maxReplicas: 5 }, workers: [{ name: 'q' }], volumes: [{ name: 'd', source: claim({ accessModes: [AccessMode.READ_WRITE_MANY] }), mountPath: '/d' }] })).not.toThrow();
    expect(() => webApp({ volumes: [{ name: 'd', source: VolumeSource.existingClaim('theirs'), mountPath: '/d' }] })).not.toThrow();
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a size that is not a quantity', () => VolumeSource.newClaim({ size: '10 GB' }), /VolumeSource\.newClaim\(\).*'options\.size'/],
    ['no options', () => (VolumeSource.newClaim as any)(), /VolumeSource\.newClaim\(\)/],
    ['an access mode that is not one', () => VolumeSource.newClaim({ size: '1Gi', accessModes: ['RWO' as any] }), /'options\.accessModes\[0\]' \("RWO"\).*AccessMode/],
    ['a volume mode that is not one', () => VolumeSource.newClaim({ size: '1Gi', volumeMode: 'block' as any }), /VolumeMode/],
    ['a misspelt option', () => VolumeSource.newClaim({ size: '1Gi', acessModes: [] } as any), /acessModes/],
    ['a claim name that is not a name', () => VolumeSource.existingClaim('Team Share'), /'claimName'/],
    ['a scratch volume without a size', () => VolumeSource.scratch({} as any), /sizeLimit/],
  ])('%s is refused where it is made', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('a plain object for a source is refused, naming the factories', () => {
    const error = errorOf(() => webApp({ volumes: [{ name: 'd', source: { kind: 'newClaim' } as any, mountPath: '/d' }] }));
    expect(error.prop).toBe('volumes[0].source');
    expect(error.message).toMatch(/VolumeSource\.newClaim/);
  });
});

describe('volumes at synth, after patches', () => {
  test('a patched mount of a missing volume, an unmounted volume and two mounts at one path are each named', () => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'ghost', mountPath: '/ghost' }));
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', { name: 'orphan', emptyDir: {} }));
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'orphan', mountPath: '/tmp/' }));
    web.workload.addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/0/volumeMounts/2'));
    expect(() => docs(chart)).toThrow(/container "shop" mounts volume "ghost", which the pod does not have[\s\S]*volume "orphan", which no container mounts|volume "orphan", which no container mounts[\s\S]*mounts volume "ghost"/);
  });

  test('a patched replica count on a Deployment with a ReadWriteOnce claim is named', () => {
    const { chart, web } = webApp({ ...ONE, volumes: [{ name: 'data', source: claim(), mountPath: '/data' }] });
    web.workload.addJsonPatch(JsonPatch.replace('/spec/replicas', 3));
    expect(() => docs(chart)).toThrow(/PersistentVolumeClaim "shop-data" \(ReadWriteOnce\) is mounted by Deployment "shop", at 3 replicas; run one replica with the Recreate strategy/);
  });

  test('two mounts at one path, patched in, are named', () => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'tmp', mountPath: '/tmp/' }));
    expect(() => docs(chart)).toThrow(/container "shop" mounts two volumes at \/tmp/);
  });
});

/** Jobs around a release (issue 22 part 8): the migration before the new pods, the jobs after the rollout. */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { EnvValue, IngressVip, StackOutputs, synthFiles, UpdateStrategy, VolumeSource, WebApp, WebAppProps, WebStackApp } from '../lib';
import { docs, errorOf, IMAGE, webApp } from './_fixtures';

const RELEASE = { migration: { name: 'migrate', command: ['/app/shop', 'migrate', 'up'] }, afterRelease: [{ name: 'warm', command: ['/app/shop', 'warm'] }, { name: 'notify' }] };
const jobs = (props: Partial<WebAppProps> = {}) => docs(webApp({ release: RELEASE, ...props }).chart).filter(d => d.kind === 'Job');

describe('release jobs', () => {
  test('the migration and the jobs after the release: Jobs named after the release, ordered by sync wave, from the app\'s pod', () => {
    const { chart, web } = webApp({ release: RELEASE, env: { MODE: EnvValue.fromValue('x') } });
    const all = docs(chart).filter(d => d.kind === 'Job');
    expect(all.map(j => j.metadata.name)).toEqual([
      expect.stringMatching(/^shop-migrate-[0-9a-f]{10}$/), expect.stringMatching(/^shop-warm-[0-9a-f]{10}$/), expect.stringMatching(/^shop-notify-[0-9a-f]{10}$/),
    ]);
    expect(all.map(j => j.metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual(['-1', '2', '3']);
    expect(all.map(j => j.metadata.labels['app.kubernetes.io/component'])).toEqual(['migration', 'after-release', 'after-release']);
    const [migration] = all;
    expect(migration.metadata.labels['cdk8s-webstack/release']).toBe(migration.metadata.name.slice(-10));
    expect(migration.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 900 });
    const pod = migration.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0]).toMatchObject({ name: 'shop-migrate', image: IMAGE, command: ['/app/shop', 'migrate', 'up'], env: [{ name: 'MODE', value: 'x' }] });
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(web.migration?.name).toBe(migration.metadata.name);
    expect(web.afterRelease.map(j => j.name)).toEqual(all.slice(1).map(j => j.metadata.name));
    // Each has a NetworkPolicy that admits nothing, named without the release, so it outlives it.
    const policies = docs(chart).filter(d => d.kind === 'NetworkPolicy').map(p => p.metadata.name);
    expect(policies).toEqual(expect.arrayContaining(['shop-migrate', 'shop-warm', 'shop-notify']));
  });

  test('the same program gives the same release; a new image or a new command is a new one; a replica count is not', () => {
    const names = (props: Partial<WebAppProps>) => jobs(props).map(j => j.metadata.name);
    const first = names({});
    expect(names({})).toEqual(first);
    expect(names({ replicas: 4 })).toEqual(first);
    const newImage = names({ image: 'registry.example.com/team/shop:1.4.3' });
    expect(newImage.every((n, i) => n !== first[i])).toBe(true);
    const newCommand = names({ release: { ...RELEASE, migration: { name: 'migrate', command: ['/app/shop', 'migrate', 'up', '--all'] } } });
    expect(newCommand[0]).not.toBe(first[0]);
  });

  test('options: backoffLimit, activeDeadlineSeconds, resources and scheduling of its own', () => {
    const [migration] = jobs({
      release: { migration: { name: 'migrate', backoffLimit: 0, activeDeadlineSeconds: 120, resources: { cpu: { request: '50m', limit: '500m' } }, scheduling: { nodeSelector: { pool: 'batch' } } } },
    });
    expect(migration.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 120 });
    expect(migration.spec.template.spec.nodeSelector).toEqual({ pool: 'batch' });
    expect(migration.spec.template.spec.containers[0].resources.requests.cpu).toBe('50m');
  });

  test('outputs.json names each app\'s migration and jobs after the release, in order', () => {
    const app = new WebStackApp({ outdir: 'unused' });
    const vip = new IngressVip(new Chart(app, 'platform'), 'vip', { address: '192.0.2.10' });
    const web = new WebApp(new Chart(app, 'shop'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', release: RELEASE });
    new WebApp(new Chart(app, 'blog'), 'blog', { entryPoint: vip, image: IMAGE, host: 'blog.example.com' });
    const outputs = JSON.parse(synthFiles(app)['outputs.json']) as StackOutputs;
    const shop = outputs.apps.find(a => a.name === 'shop')!;
    expect(shop.migration).toBe(web.migration!.name);
    expect(shop.afterRelease).toEqual(web.afterRelease.map(j => j.name));
    expect(outputs.apps.find(a => a.name === 'blog')).toMatchObject({ migration: null, afterRelease: [] });
  });

  test('a Job patched to mount a volume its pod lacks is named at synth', () => {
    const { chart, web } = webApp({ release: RELEASE });
    web.migration!.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'ghost', mountPath: '/ghost' }));
    expect(() => docs(chart)).toThrow(/Job "shop-migrate-[0-9a-f]{10}": container "shop-migrate" mounts volume "ghost"/);
  });
});

describe('release job errors', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['a name that makes the Job name too long', { migration: { name: 'x'.repeat(50) } }, 'release.migration.name', /characters long, over the 63 of a label value/],
    ['two jobs of one name', { afterRelease: [{ name: 'a' }, { name: 'a' }] }, 'release.afterRelease[1].name', /names two workers or jobs/],
    ['a name a worker has', { afterRelease: [{ name: 'q' }] }, 'release.afterRelease[0].name', /names two workers or jobs/],
    ['a backoff limit out of range', { migration: { name: 'm', backoffLimit: -1 } }, 'release.migration.backoffLimit', /whole number from 0 to 100/],
    ['a misspelt prop', { migrations: { name: 'm' } }, 'release.migrations', /is not a prop of ReleaseOptions; did you mean 'release\.migration'/],
    ['a job without a name', { afterRelease: [{ command: ['x'] }] }, 'release.afterRelease[0].name', /is required/],
  ])('%s is refused', (_, release, prop, message) => {
    const error = errorOf(() => webApp({ release: release as any, workers: [{ name: 'q' }] }));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test('a release job that would mount a ReadWriteOnce claim the app holds is refused', () => {
    const error = errorOf(() => webApp({
      replicas: 1, updateStrategy: UpdateStrategy.recreate(), release: { migration: { name: 'm' } },
      volumes: [{ name: 'data', source: VolumeSource.newClaim({ size: '1Gi' }), mountPath: '/data' }],
    }));
    expect(error.message).toMatch(/release jobs mount it too, in pods of their own/);
  });

  test('the Job name stays a valid name with the longest app name that fits', () => {
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'p'), 'vip', { address: '192.0.2.10' });
    const chart = new Chart(app, 'w');
    new WebApp(chart, 'x', { entryPoint: vip, image: IMAGE, host: 'x.example.com', name: 'a'.repeat(40), release: { migration: { name: 'migrate' } } });
    const [job] = Testing.synth(chart).filter(d => d.kind === 'Job');
    expect(job.metadata.name).toHaveLength(40 + 8 + 11);
  });
});

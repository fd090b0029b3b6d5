import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JsonPatch } from 'cdk8s';
import { EnvFrom, FileContent } from '../lib';
import { docs, errorOf, kind, kinds, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const container = (chart: any) => kind(chart, 'Deployment').spec.template.spec.containers[0];

describe('config files', () => {
  test('a ConfigMap named after the app, mounted read-only, emitted before the Deployment', () => {
    const { chart, web } = webApp({ configFiles: [{ name: 'app', mountPath: '/etc/shop', files: { 'settings.yaml': 'level: info\n' } }] });
    expect(kinds(chart).slice(0, 3)).toEqual(['Namespace', 'ConfigMap', 'Deployment']);
    expect(kind(chart, 'ConfigMap')).toMatchObject({ metadata: { name: 'shop-app', namespace: 'shop' }, data: { 'settings.yaml': 'level: info\n' } });
    expect(container(chart).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'config-app', mountPath: '/etc/shop', readOnly: true }]);
    expect(kind(chart, 'Deployment').spec.template.spec.volumes[1]).toEqual({ name: 'config-app', configMap: { name: 'shop-app' } });
    expect(web.configMaps).toHaveLength(1);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('a change of content changes the pod template\'s hash, and nothing else of the Deployment', () => {
    const deployment = (level: string) => kind(webApp({ configFiles: [{ name: 'app', mountPath: '/etc/shop', files: { 'a.yaml': level } }] }).chart, 'Deployment');
    const [a, b] = [deployment('info'), deployment('debug')];
    const hash = (d: any) => d.spec.template.metadata.annotations['checksum/config-app'];
    expect(hash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(a)).not.toBe(hash(b));
    b.spec.template.metadata.annotations['checksum/config-app'] = hash(a);
    expect(b).toEqual(a);
  });

  test('a file read at synth', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'config-')), 'nginx.conf');
    fs.writeFileSync(file, 'worker_processes 1;\n');
    const { chart } = webApp({ configFiles: [{ name: 'proxy', mountPath: '/etc/nginx', files: { 'nginx.conf': FileContent.fromFile(file) } }] });
    expect(kind(chart, 'ConfigMap').data).toEqual({ 'nginx.conf': 'worker_processes 1;\n' });
  });

  test('secret files: read-only, mode 0440, only the keys asked for', () => {
    const { chart } = webApp({ secretFiles: [{ secretName: 'shop-tls-client', mountPath: '/etc/tls', keys: ['tls.crt', 'tls.key'] }] });
    expect(kind(chart, 'Deployment').spec.template.spec.volumes[1]).toEqual({
      name: 'secret-shop-tls-client',
      secret: { secretName: 'shop-tls-client', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] },
    });
    expect(container(chart).volumeMounts[1]).toEqual({ name: 'secret-shop-tls-client', mountPath: '/etc/tls', readOnly: true });
  });

  test('envFrom a ConfigMap and a Secret', () => {
    const { chart } = webApp({ envFrom: [EnvFrom.configMap('shop-settings'), EnvFrom.secret('shop-db', { prefix: 'DB_', optional: true })] });
    expect(container(chart).envFrom).toEqual([
      { configMapRef: { name: 'shop-settings' } },
      { prefix: 'DB_', secretRef: { name: 'shop-db', optional: true } },
    ]);
  });

  test('scratch volumes count in the requests and limits', () => {
    const { chart } = webApp({
      scratchVolumes: [{ name: 'cache', mountPath: '/var/cache/shop', sizeLimit: '1Gi' }, { name: 'fast', mountPath: '/fast', sizeLimit: '64Mi', inMemory: true }],
    });
    const spec = kind(chart, 'Deployment').spec.template.spec;
    expect(spec.volumes.slice(1)).toEqual([
      { name: 'scratch-cache', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'scratch-fast', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
    expect(spec.containers[0].resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '320Mi', 'ephemeral-storage': '1152Mi' },
      limits: { 'cpu': '1', 'memory': '320Mi', 'ephemeral-storage': '2Gi' },
    });
  });

  test.each([
    ['a mount path used twice', { configFiles: [{ name: 'a', mountPath: '/etc/x', files: { a: '1' } }], scratchVolumes: [{ name: 'b', mountPath: '/etc/x', sizeLimit: '1Gi' }] },
      /'scratchVolumes\[0\].mountPath' \("\/etc\/x"\) is already the mount path of configFiles\[0\].mountPath/],
    ['a mount over /tmp', { scratchVolumes: [{ name: 'b', mountPath: '/tmp', sizeLimit: '1Gi' }] }, /is already the mount path of the \/tmp scratch space every app has/],
    ['an empty set of files', { configFiles: [{ name: 'a', mountPath: '/etc/x', files: {} }] }, /'configFiles\[0\].files' \(\{\}\) is empty/],
    ['a bad file name', { configFiles: [{ name: 'a', mountPath: '/etc/x', files: { 'a/b': '1' } }] }, /'configFiles\[0\].files\["a\/b"\]' .* is not a valid file name/],
    ['a missing file', { configFiles: [{ name: 'a', mountPath: '/etc/x', files: { a: FileContent.fromFile('/nonexistent/x.conf') } }] },
      /'configFiles\[0\].files\["a"\]' \("\/nonexistent\/x.conf"\) cannot be read \(ENOENT\)/],
    ['a writable secret mode', { secretFiles: [{ secretName: 's', mountPath: '/s', defaultMode: 0o664 }] }, /'secretFiles\[0\].defaultMode' \("0o664"\) lets the group or others write/],
    ['a relative mount path', { scratchVolumes: [{ name: 'b', mountPath: 'cache', sizeLimit: '1Gi' }] }, /'scratchVolumes\[0\].mountPath' \("cache"\) is not an absolute HTTP path|is not an absolute/],
    ['a missing size limit', { scratchVolumes: [{ name: 'b', mountPath: '/b' }] }, /'scratchVolumes\[0\].sizeLimit' \(undefined\) is required/],
    ['a misspelt field', { configFiles: [{ name: 'a', mountpath: '/x', files: {} }] }, /'configFiles\[0\].mountpath' \("\/x"\) is not a prop of ConfigFilesOptions; did you mean 'configFiles\[0\].mountPath'\?/],
  ])('fails on %s', (_, props, message) => {
    expect(errorOf(() => webApp(props as any)).message).toMatch(message);
  });

  test('fails at synth when a patch mounts a ConfigMap the app does not emit', () => {
    const { chart, web } = webApp({ configFiles: [{ name: 'app', mountPath: '/etc/shop', files: { a: '1' } }] });
    web.workload.addJsonPatch(JsonPatch.replace('/spec/template/spec/volumes/1/configMap/name', 'other'));
    expect(() => docs(chart)).toThrow(/Deployment mounts ConfigMap "other", which the app does not emit/);
  });
});

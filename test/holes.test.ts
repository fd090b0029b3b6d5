/**
 * The holes the second adversarial trial found (issue 21), one describe per class, each test
 * naming what it would catch. The pipeline CLI (class 1) is in deploy-cli.test.ts, the runner
 * (class 10) in runner.test.ts, missing props (class 9) in js-callers.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  DnsProvider, DnsRecord, EnvValue, ExistingGateway, FileContent, Gateway, GatewayImplementation, IngressVip, OutputLayout, TlsCertificate, WebApp, WebStackApp,
} from '../lib';
import { docs, errorOf, IMAGE, kind, webApp } from './_fixtures';

const PART_OF = 'applyset.kubernetes.io/part-of';

describe('class 7: what kubectl or the API server refuse for the set', () => {
  test.each<[string, () => unknown, string]>([
    ['the app\'s labels', () => webApp({ labels: { [PART_OF]: 'x' } }), `labels["${PART_OF}"]`],
    ['the monitor\'s labels', () => webApp({ metrics: { port: 9090, monitorLabels: { [PART_OF]: 'x' } } }), `metrics.monitorLabels["${PART_OF}"]`],
    ['the VIP\'s controller labels', () => new IngressVip(new Chart(Testing.app(), 'p'), 'vip', { address: '192.0.2.10', controllerLabels: { [PART_OF]: 'x' } }), `controllerLabels["${PART_OF}"]`],
    ['a DNS record\'s labels', () => {
      const chart = new Chart(Testing.app(), 'p');
      const vip = new IngressVip(chart, 'vip', { address: '192.0.2.10' });
      return new DnsRecord(chart, 'r', { hostName: 'shop.example.com', entryPoint: vip, labels: { [PART_OF]: 'x' } });
    }, `labels["${PART_OF}"]`],
  ])('the ApplySet member label in %s is refused: kubectl would refuse the whole set', (_, build, prop) => {
    const error = errorOf(build);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(/is the label kubectl gives every member of the ApplySet.*; leave it out/);
  });

  test('applySet: null is refused, not read as the default set', () => {
    expect(() => new WebStackApp({ applySet: null as any })).toThrow(/'applySet' \(null\) is none of: the ApplySetOptions object, false/);
  });

  test('an Ingress class annotation that differs from the VIP\'s class is refused; the same class passes', () => {
    const error = errorOf(() => webApp({ route: { annotations: { 'kubernetes.io/ingress.class': 'traefik' } } }));
    expect(error.prop).toBe('route.annotations["kubernetes.io/ingress.class"]');
    expect(error.message).toMatch(/differs from the Ingress class "nginx" of IngressVip platform\/IngressVip, and the API server refuses/);
    const { chart } = webApp({ route: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } } });
    expect(kind(chart, 'Ingress').spec.ingressClassName).toBe('nginx');
  });

  test.each(['hostname', 'ttl', 'target'].flatMap(key => ['external-dns.kubernetes.io/', 'external-dns.alpha.kubernetes.io/'].map(prefix => `${prefix}${key}`)))('a user\'s ExternalDNS annotation %s is refused, not replaced by the provider\'s', annotation => {
    const error = errorOf(() => webApp({ dns: { provider: DnsProvider.externalDnsAnnotations() }, route: { annotations: { [annotation]: '1' } } }));
    expect(error.prop).toBe(`route.annotations["${annotation}"]`);
    expect(error.message).toMatch(/would be replaced by the annotation its DNS provider writes/);
  });

  test('the same annotations with a DNSEndpoint provider are the user\'s to set', () => {
    const { chart } = webApp({ route: { annotations: { 'external-dns.alpha.kubernetes.io/ttl': '60' } } });
    expect(kind(chart, 'Ingress').metadata.annotations['external-dns.alpha.kubernetes.io/ttl']).toBe('60');
  });

  test.each([0, 70000, 80.5, -1])('a Traefik listener port of %s is refused', port => {
    expect(() => GatewayImplementation.traefik({ ports: { http: port, https: 8443 } }))
      .toThrow(/GatewayImplementation\.traefik\(\): 'options\.ports\.http' .* must be a whole number from 1 to 65535/);
  });

  test.each<[string, (chart: Chart) => unknown]>([
    ['a Gateway', chart => new Gateway(chart, 'gw', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20', dataPlane: { namespace: 'eg', podLabels: {} } })],
    ['an ExistingGateway', chart => new ExistingGateway(chart, 'gw', { name: 'web', namespace: 'gw', listeners: { http: 'http' }, dataPlane: { namespace: 'eg', podLabels: {} } })],
  ])('%s data plane with empty pod labels is refused: it would admit every pod', (_, build) => {
    const error = errorOf(() => build(new Chart(Testing.app(), 'p')));
    expect(error.prop).toBe('dataPlane.podLabels');
    expect(error.message).toMatch(/is empty, so it would select every pod in the namespace/);
  });

  test('a new WebApp still takes labels of its own', () => {
    const { chart } = webApp({ labels: { team: 'shop' } });
    expect(kind(chart, 'Deployment').metadata.labels.team).toBe('shop');
    expect(new WebApp(new Chart(Testing.app(), 'x'), 'y', { entryPoint: new IngressVip(new Chart(Testing.app(), 'p'), 'v', { address: '192.0.2.1' }), image: IMAGE, host: 'y.example.com' }).name).toBe('y');
  });
});

describe('class 6: CronJobs the API server refuses', () => {
  const job = (j: Record<string, unknown>) => webApp({ scheduledJobs: [{ name: 'nightly', schedule: '@daily', ...j } as any] });

  // The weekday field of robfig/cron's standard parser, which the API server validates with, is 0 to 6.
  test.each(['0 0 * * 7', '0 0 * * 5-7', '0 0 * * 1,7', '0 0 * * 7/2', '0 0 * * 0-7', '0 0 1-32 * *', '0 0 * 0 *', '0 0 * * 1-2-3', '0 0 * * 1/2/3'])('refuses the schedule %s', schedule => {
    const error = errorOf(() => job({ schedule }));
    expect(error.prop).toBe('scheduledJobs[0].schedule');
    expect(error.message).toMatch(/is not a cron schedule the API server takes; write five fields .*weekday 0-6/);
  });

  test.each(['Local', 'local', 'Europe/Nowhere', 'europe/berlin', 'Mars/Base', 'Europe/../UTC', 'VeryLongZoneNamePart/X', '-UTC'])('refuses the time zone %s', timeZone => {
    const error = errorOf(() => job({ timeZone }));
    expect(error.prop).toBe('scheduledJobs[0].timeZone');
  });

  test.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Pacific'])('accepts the time zone %s', timeZone => {
    expect(kind(job({ timeZone }).chart, 'CronJob').spec.timeZone).toBe(timeZone);
  });

  test('refuses a CronJob name over 52 characters, and takes one of 52', () => {
    const error = errorOf(() => job({ name: 'x'.repeat(48) }));
    expect(error.prop).toBe('scheduledJobs[0].name');
    expect(error.message).toMatch(/makes the CronJob "shop-x+" 53 characters long, over the 52 the API server allows/);
    expect(kind(job({ name: 'x'.repeat(47) }).chart, 'CronJob').metadata.name).toHaveLength(52);
  });
});

describe('class 4: pods the API server refuses', () => {
  const env = (value: string) => ({ LOG_LEVEL: EnvValue.fromValue(value) });
  const containersOf = (doc: any) => {
    const spec = doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.spec : doc.spec.template.spec;
    return [...(spec.initContainers ?? []), ...spec.containers];
  };

  test('every container of every pod sets an env name once, its own value winning over the app\'s', () => {
    const { chart } = webApp({
      env: { ...env('info'), REGION: EnvValue.fromValue('eu') },
      initContainers: [{ name: 'migrate', env: env('debug') }],
      sidecars: [{ name: 'proxy', env: env('warn'), inherit: true }],
      workers: [{ name: 'queue', env: env('trace') }],
      scheduledJobs: [{ name: 'nightly', schedule: '@daily', env: env('error') }],
    });
    const expected: Record<string, string> = { 'shop': 'info', 'migrate': 'debug', 'proxy': 'warn', 'shop-queue': 'trace', 'shop-nightly': 'error' };
    const seen: string[] = [];
    for (const doc of docs(chart).filter(d => ['Deployment', 'CronJob'].includes(d.kind))) {
      for (const c of containersOf(doc)) {
        const names = (c.env ?? []).map((e: any) => e.name);
        expect(names).toEqual([...new Set(names)]);
        expect(c.env.find((e: any) => e.name === 'REGION').value).toBe('eu');
        if (c.name in expected) {
          expect(c.env.find((e: any) => e.name === 'LOG_LEVEL').value).toBe(expected[c.name]);
          seen.push(c.name);
        }
      }
    }
    expect(new Set(seen)).toEqual(new Set(Object.keys(expected)));
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['on the app\'s port', { sidecars: [{ name: 'proxy', port: 8080 }] }, 'sidecars[0].port', /is already the app's port in the pod/],
    ['on the metrics port', { metrics: { port: 9090 }, sidecars: [{ name: 'proxy', port: 9090 }] }, 'sidecars[0].port', /is already the metrics port/],
    ['named like the metrics port', { metrics: { port: 9090 }, sidecars: [{ name: 'metrics', port: 9100 }] }, 'sidecars[0].name', /is already the metrics port/],
    ['named http', { portName: 'web', sidecars: [{ name: 'http', port: 9100 }] }, 'sidecars[0].name', /is already the Service's port/],
    ['on another sidecar\'s port', { sidecars: [{ name: 'a', port: 9100 }, { name: 'b', port: 9100 }] }, 'sidecars[1].port', /is already the port of sidecars\[0\]/],
  ])('refuses a sidecar %s', (_, props, prop, message) => {
    const error = errorOf(() => webApp(props as any));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test.each(['workers', 'scheduledJobs'])('refuses %s whose container takes the name of a sidecar in its pod', key => {
    const companion = key === 'workers' ? { name: 'queue' } : { name: 'queue', schedule: '@daily' };
    const error = errorOf(() => webApp({ sidecars: [{ name: 'shop-queue' }], [key]: [companion] } as any));
    expect(error.prop).toBe(`${key}[0].name`);
    expect(error.message).toMatch(/names its container "shop-queue", which is the name of a sidecar of the app/);
  });

  test('the synth-time check covers every pod: a patched duplicate in a worker\'s pod is caught', () => {
    const { chart, web } = webApp({ workers: [{ name: 'queue' }] });
    web.workers[0].workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', { name: 'shop-queue', image: IMAGE }));
    expect(() => docs(chart)).toThrow(/Deployment "shop-queue" has two containers named "shop-queue"/);
  });
});

describe('class 3: config files kept byte for byte, within the API server\'s limits', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    return FileContent.fromFile(path.join(dir, name));
  };
  const configMap = (files: Record<string, FileContent | string>) =>
    kind(webApp({ configFiles: [{ name: 'app', mountPath: '/etc/app', files }] }).chart, 'ConfigMap');

  test.each<[string, Buffer]>([
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe])],
    ['Latin-1 text', Buffer.from('caf\xe9 cr\xe8me\n', 'latin1')],
    ['a truncated UTF-8 sequence', Buffer.from([0x61, 0xe2, 0x82])],
  ])('a %s file goes to binaryData as its bytes, never re-encoded', (_, bytes) => {
    const map = configMap({ 'f.bin': file('f.bin', bytes) });
    expect(Buffer.from(map.binaryData['f.bin'], 'base64').equals(bytes)).toBe(true);
    expect(map.data).toBeUndefined();
  });

  test('UTF-8 text, a byte-order mark and control characters included, goes to data as it is; beside a binary file', () => {
    const text = '\ufeffname: café ✓\r\n\ttab\u0001\n';
    const map = configMap({ 'a.yaml': file('a.yaml', Buffer.from(text, 'utf8')), 'b.bin': file('b.bin', Buffer.from([0xff])) });
    expect(map.data['a.yaml']).toBe(text);
    expect(map.binaryData['b.bin']).toBe('/w==');
  });

  test('a change of a binary file rolls the pods', () => {
    const hash = (byte: number) => kind(webApp({ configFiles: [{ name: 'app', mountPath: '/etc/app', files: { b: file('b', Buffer.from([0xff, byte])) } }] }).chart, 'Deployment')
      .spec.template.metadata.annotations['checksum/config-app'];
    expect(hash(1)).not.toBe(hash(2));
  });

  test.each<[string, Record<string, string>]>([
    ['one file', { big: 'x'.repeat(1024 * 1024 + 1) }],
    ['the files together', { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(600 * 1024) }],
  ])('a ConfigMap over 1 MiB is refused: %s', (_, files) => {
    const error = errorOf(() => configMap(files));
    expect(error.prop).toBe('configFiles[0].files');
    expect(error.message).toMatch(/is over the 1048576 bytes \(1 MiB\) the API server allows in one ConfigMap/);
  });

  test('exactly 1 MiB is taken', () => {
    expect(configMap({ big: 'x'.repeat(1024 * 1024) }).data.big).toHaveLength(1024 * 1024);
  });

  test.each(['..data', '..2026', '..'])('the key %s is refused: the kubelet keeps its own files under ..', key => {
    expect(errorOf(() => configMap({ [key]: 'x' })).message).toMatch(/is not a valid file name in a ConfigMap/);
  });

  test.each(['.hidden', 'a..b', 'x.'])('the key %s is taken', key => {
    expect(configMap({ [key]: 'x' }).data[key]).toBe('x');
  });

  test.each<[string, string, string]>([
    ['/etc/../tmp', '/tmp', 'the /tmp scratch space every app has'],
    ['/etc/x/', '/etc/x', 'configFiles[0].mountPath'],
    ['/etc/./x', '/etc/x', 'configFiles[0].mountPath'],
  ])('the mount path %s is the folder %s, already taken', (mountPath, folder, owner) => {
    const error = errorOf(() => webApp({
      configFiles: [{ name: 'a', mountPath: '/etc/x', files: { a: '1' } }],
      scratchVolumes: [{ name: 'b', mountPath, sizeLimit: '1Gi' }],
    }));
    expect(error.prop).toBe('scratchVolumes[0].mountPath');
    expect(error.message).toContain(`is already the mount path of ${owner} (it is ${folder})`);
  });
});

describe('class 8: output safety with the folder-per-chart layout', () => {
  test('a chart folder inside dist/ that is a symbolic link into the working folder is refused, and nothing is written through it', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-'));
    try {
      // Given the user's own folder, and dist/shop linked to it.
      const own = path.join(parent, 'src');
      fs.mkdirSync(own);
      fs.writeFileSync(path.join(own, 'manifests.yaml'), 'mine\n');
      const dist = path.join(parent, 'dist');
      fs.mkdirSync(dist);
      fs.symlinkSync(own, path.join(dist, 'shop'));
      const program = () => {
        const app = new WebStackApp({ outdir: dist, layout: OutputLayout.FOLDER_PER_CHART });
        const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
        new WebApp(new Chart(app, 'shop'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com' });
        return app;
      };
      expect(() => program().synth()).toThrow(/'outdir' .* holds ".*dist\/shop", a symbolic link where synth writes the folder of "shop\/[a-z]+\.yaml"; synth would write through it into ".*src"; remove the link/);
      expect(fs.readFileSync(path.join(own, 'manifests.yaml'), 'utf8')).toBe('mine\n');
      expect(fs.readdirSync(own)).toEqual(['manifests.yaml']);
      expect(fs.readdirSync(dist)).toEqual(['shop']);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('class 5: Gateway API versions', () => {
  /** The versions a CRD file of ../shared serves. */
  const served = (release: string) => {
    const dir = path.join(__dirname, '..', '..', 'shared', 'fixtures', 'gateway-api', release);
    const file = fs.readdirSync(dir).find(f => f.includes('referencegrants'))!;
    const crd = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(d => d.toJS()).find(d => d?.kind === 'CustomResourceDefinition');
    return crd.spec.versions.filter((v: any) => v.served).map((v: any) => `${crd.spec.group}/${v.name}`);
  };

  test.each(['v1.2.1', 'v1.6.1'])('the ReferenceGrant is emitted in a version Gateway API %s serves', release => {
    const app = Testing.app();
    const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    const chart = new Chart(app, 'web');
    new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route: { tls: TlsCertificate.fromSecret('shop-cert') } });
    expect(served(release)).toContain(kind(chart, 'ReferenceGrant').apiVersion);
  });
});

describe('class 2: strings kubectl\'s server-side apply cannot carry', () => {
  test.each([['DEL', '\x7f'], ['NEL', '\x85'], ['a C1 control', '\x9b'], ['U+FFFE', '\ufffe']])('an env value holding %s is refused, naming the variable', (_, character) => {
    const error = errorOf(() => webApp({ env: { NOTE: EnvValue.fromValue(`a${character}b`) } }));
    expect(error.prop).toBe('env["NOTE"]');
    expect(error.message).toMatch(/holds U\+[0-9A-F]{4} \(.*\), which kubectl's server-side apply cannot carry .*; remove the character, or mount the text as a config file/);
  });

  test('config text holding them goes to binaryData as its UTF-8 bytes', () => {
    const text = 'DEL \x7f NEL \x85\n';
    const map = kind(webApp({ configFiles: [{ name: 'app', mountPath: '/etc/app', files: { 'a.txt': text, 'b.txt': 'plain\n' } }] }).chart, 'ConfigMap');
    expect(Buffer.from(map.binaryData['a.txt'], 'base64').toString('utf8')).toBe(text);
    expect(map.data).toEqual({ 'b.txt': 'plain\n' });
  });

  test('the synth-time check finds them anywhere in any object, escape-hatch patches included', () => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(JsonPatch.add('/metadata/annotations', { note: 'x\x85y' }));
    expect(() => docs(chart)).toThrow(/Deployment "shop": \.metadata\.annotations\.note holds U\+0085 \(NEL, a line break to YAML\), which kubectl's server-side apply cannot carry/);
  });

  test('what JSON escapes passes: C0 controls, tabs, U+2028, a byte-order mark', () => {
    const value = '\u0001\t\u2028\ufeff';
    const env = kind(webApp({ env: { NOTE: EnvValue.fromValue(value) } }).chart, 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'NOTE').value).toBe(value);
  });
});

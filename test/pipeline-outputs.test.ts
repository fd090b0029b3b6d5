import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, YamlOutputType } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { referenceApp } from '../apps/reference';
import { Construct } from 'constructs';
import {
  APPLY_SET_PART_OF_LABEL, applySetId, DnsProvider, DnsRecord, DnsZone, imageTagFromEnv, IngressVip, OutputLayout, readOutputs, StackOutputs, synthFiles, WebApp,
  WebStackApp, WebStackError,
} from '../lib';
import { errorOf, IMAGE } from './_fixtures';

const parse = (text: string) => parseAllDocuments(text).map(d => d.toJS()).filter(Boolean);

/** A small program: a VIP and one app per name, each in its own chart. */
function program(props: ConstructorParameters<typeof WebStackApp>[0] = {}, names = ['shop', 'blog']): WebStackApp {
  const app = new WebStackApp({ outdir: 'unused', ...props });
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  for (const name of names) {
    new WebApp(new Chart(app, name), name, { entryPoint: vip, image: IMAGE, host: `${name}.example.com` });
  }
  return app;
}

describe('ApplySet', () => {
  test('the id is computed as kubectl computes it (kubectl\'s own test vector, and the parent of the reference app)', () => {
    // pkg/cmd/apply/apply_test.go, TestApplySetParentManagement: Secret "my-set" in namespace "test".
    expect(applySetId({ name: 'my-set', namespace: 'test', kind: 'Secret', group: '' })).toBe('applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
    const files = synthFiles(referenceApp());
    const outputs = JSON.parse(files['outputs.json']) as StackOutputs;
    expect(outputs.applySet!.id).toBe(applySetId({ name: 'web-platform', namespace: '', kind: 'ApplySet', group: 'cdk8s-webstack.io' }));
    expect(outputs.applySet!.parent).toBe('applysets.cdk8s-webstack.io/web-platform');
  });

  test('the parent is what kubectl expects in place: id label, kubectl tooling, contains-group-kinds; its definition is a parent type', () => {
    const files = synthFiles(referenceApp());
    const [parent] = parse(files['applyset-parent.k8s.yaml']);
    const [crd] = parse(files['applyset.k8s.yaml']);
    const id = (JSON.parse(files['outputs.json']) as StackOutputs).applySet!.id;
    expect(parent).toEqual({
      apiVersion: 'cdk8s-webstack.io/v1', kind: 'ApplySet',
      metadata: {
        name: 'web-platform',
        labels: { 'applyset.kubernetes.io/id': id },
        annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1', 'applyset.kubernetes.io/contains-group-kinds': '', 'applyset.kubernetes.io/contains-group-resources': '' },
      },
    });
    expect(crd.metadata).toEqual({ name: 'applysets.cdk8s-webstack.io', labels: { 'applyset.kubernetes.io/is-parent-type': 'true' } });
    expect(crd.spec).toMatchObject({ group: 'cdk8s-webstack.io', scope: 'Cluster', names: { kind: 'ApplySet', plural: 'applysets' } });
  });

  test('no manifest carries the part-of label (kubectl adds it, and refuses input that has it), in every example file', () => {
    const files = synthFiles(referenceApp());
    const manifests = Object.entries(files).filter(([f]) => f.endsWith('.yaml'));
    expect(manifests.length).toBeGreaterThan(5);
    for (const [, text] of manifests) {
      for (const doc of parse(text)) {
        expect(doc.metadata.labels?.[APPLY_SET_PART_OF_LABEL]).toBeUndefined();
      }
    }
  });

  test('Namespaces are written apart and applied outside the set; every other object is a member, exactly once', () => {
    const files = synthFiles(referenceApp());
    const outputs = JSON.parse(files['outputs.json']) as StackOutputs;
    const set = outputs.applySet!;
    expect(set.keptFiles).toEqual(['applyset.k8s.yaml', 'namespaces.k8s.yaml', 'kept.k8s.yaml']);
    expect(set.files).toEqual(['platform.k8s.yaml', 'shop-prod.k8s.yaml', 'blog-dev.k8s.yaml', 'blog-staging.k8s.yaml', 'blog-prod.k8s.yaml', 'forge.k8s.yaml', 'ops-console.k8s.yaml', 'registry-cache.k8s.yaml', 'board.k8s.yaml']);
    // Every file synth writes is named once: kept, parent, member, or not a manifest.
    const named = [...set.keptFiles, set.parentFile, ...set.files, 'outputs.json', 'example.com.zone', 'dns-example-com.template.json'].sort();
    expect(Object.keys(files).sort()).toEqual(named);
    expect(parse(files['namespaces.k8s.yaml']).map(d => `${d.kind}/${d.metadata.name}`)).toEqual(
      ['Namespace/shop', 'Namespace/blog-dev', 'Namespace/blog-staging', 'Namespace/blog-prod', 'Namespace/forge', 'Namespace/ops-console', 'Namespace/registry-cache', 'Namespace/board']);
    expect(parse(files['kept.k8s.yaml']).map(d => `${d.kind}/${d.metadata.name}`)).toEqual(['PersistentVolumeClaim/forge-data']);
    for (const file of set.files) {
      expect(parse(files[file]).filter(d => d.kind === 'Namespace')).toEqual([]);
    }
  });

  test('applySet: false writes the files as before: Namespaces in their charts, no parent', () => {
    const files = synthFiles(program({ applySet: false }));
    expect(Object.keys(files)).toEqual(['blog.k8s.yaml', 'outputs.json', 'platform.k8s.yaml', 'shop.k8s.yaml']);
    expect(parse(files['shop.k8s.yaml'])[0].kind).toBe('Namespace');
    expect(JSON.parse(files['outputs.json']).applySet).toBeNull();
  });

  test.each([
    [{ name: 'Bad_Name' }, /'applySet.name' \("Bad_Name"\) /],
    [{}, /'applySet.name' \(undefined\) is required/],
    ['web', /'applySet' \("web"\) /],
    [true, /'applySet' \(true\) /],
    [{ name: 'web', namespace: 'x' }, /'applySet.namespace' \("x"\) is not a prop of ApplySetOptions; the props are name/],
  ])('a JavaScript caller\'s applySet %j is refused, naming the prop', (applySet, message) => {
    expect(errorOf(() => new WebStackApp({ applySet: applySet as any })).message).toMatch(message);
  });

  test('an app cdk8s writes itself (charts that depend on each other) cannot keep Namespaces out: a clear error', () => {
    const app = program({}, ['shop', 'blog']);
    app.charts[1].addDependency(app.charts[0]);
    expect(() => synthFiles(app)).toThrow(/<app>: 'applySet' \("cdk8s-webstack"\) cannot keep the Namespace at shop\/shop\/Namespace out of the set: with chart dependencies.*; set applySet to false/);
    const other = program({ applySet: false, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE }, ['shop']);
    expect(Object.keys(synthFiles(other))).toContain('outputs.json');
  });
});

describe('outputs.json', () => {
  test('lists every app of the reference program with its URLs, hosts, namespace, entry point, DNS records and files', () => {
    const files = synthFiles(referenceApp());
    const outputs = JSON.parse(files['outputs.json']) as StackOutputs;
    expect(outputs.apps.map(a => a.path)).toEqual(['blog-dev/blog', 'blog-prod/blog', 'blog-staging/blog', 'board/board', 'board/board-api', 'forge/forge', 'ops-console/ops-console', 'registry-cache/registry-cache', 'shop-prod/shop']);
    const shop = outputs.apps.find(a => a.name === 'shop')!;
    expect(shop).toEqual({
      path: 'shop-prod/shop',
      name: 'shop',
      namespace: 'shop',
      image: 'registry.internal.example.com/web/shop:1.4.2',
      hosts: ['shop.example.com', 'www.shop.example.com'],
      urls: ['https://shop.example.com/', 'https://www.shop.example.com/'],
      routeKind: 'Ingress',
      entryPoint: { path: 'platform/IngressVip', description: 'IngressVip platform/IngressVip', namespace: 'ingress-nginx', address: '192.0.2.10' },
      deployments: ['shop', 'shop-orders'],
      statefulSets: [],
      migration: expect.stringMatching(/^shop-migrate-[0-9a-f]{10}$/),
      afterRelease: [expect.stringMatching(/^shop-reindex-[0-9a-f]{10}$/)],
      dns: [
        { name: 'shop.example.com', type: 'A', target: '192.0.2.10', ttl: 300, provider: 'ExternalDNS DNSEndpoint' },
        { name: 'www.shop.example.com', type: 'A', target: '192.0.2.10', ttl: 300, provider: 'ExternalDNS DNSEndpoint' },
      ],
      files: ['namespaces.k8s.yaml', 'shop-prod.k8s.yaml'],
    });
    const prod = outputs.apps.find(a => a.path === 'blog-prod/blog')!;
    expect(prod.routeKind).toBe('HTTPRoute');
    expect(prod.entryPoint.address).toBe('192.0.2.20');
    expect(prod.dns.map(r => r.provider)).toEqual(['Route 53 platform/PublicZone']);
    expect(prod.files).toEqual(['blog-prod.k8s.yaml', 'dns-example-com.template.json', 'namespaces.k8s.yaml']);
  });

  test('every file an app names holds it: its Deployments and Namespace in the manifests, its records in the zone files', () => {
    const files = synthFiles(referenceApp());
    const outputs = JSON.parse(files['outputs.json']) as StackOutputs;
    for (const app of outputs.apps) {
      const docs = app.files.filter(f => f.endsWith('.yaml')).flatMap(f => parse(files[f]));
      for (const name of app.deployments) {
        expect(docs.filter(d => d.kind === 'Deployment' && d.metadata.name === name && d.metadata.namespace === app.namespace)).toHaveLength(1);
      }
      // An app on another app's host runs in the owner's Namespace, which the owner's files hold.
      const namespaceFiles = app.files.includes('namespaces.k8s.yaml') ? app.files : outputs.apps.find(a => a.namespace === app.namespace && a.files.includes('namespaces.k8s.yaml'))!.files;
      expect(namespaceFiles.filter(f => f.endsWith('.yaml')).flatMap(f => parse(files[f])).filter(d => d.kind === 'Namespace' && d.metadata.name === app.namespace)).toHaveLength(1);
      for (const record of app.dns.filter(r => !r.provider.startsWith('ExternalDNS'))) {
        const zone = app.files.filter(f => !f.endsWith('.yaml')).map(f => files[f]).join('\n');
        expect(zone).toContain(record.target);
        expect(zone).toContain(record.name.split('.')[0]);
      }
    }
  });

  test('readOutputs gives the typed outputs back, and refuses a file that is not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
    try {
      const app = referenceApp({ outdir: path.join(dir, 'dist') });
      app.synth();
      const outputs = readOutputs(path.join(dir, 'dist', 'outputs.json'));
      expect(outputs.apps).toHaveLength(9);
      fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ version: 1, applySet: null, apps: [{ name: 'x' }], dnsRecords: [] }));
      expect(() => readOutputs(path.join(dir, 'bad.json'))).toThrow(/bad\.json: not the outputs of a cdk8s-webstack synth: 'apps\[0\]\.path' \(undefined\) is required.*\(synth again/);
      expect(() => readOutputs(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the outputs of a synth .*run `cdk8s synth` first/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('lists the DNS records made on their own, by construct path, with the fields of an app\'s record; not the apps\' records', () => {
    // Given a program with apps, and records on their own: in a chart, in a construct of the user's, in a zone file
    const app = program();
    const vip = app.node.findChild('platform').node.findChild('IngressVip') as IngressVip;
    const platform = new Chart(app, 'platform-dns');
    const zone = new DnsZone(platform, 'InternalZone', { zoneName: 'example.com' });
    new DnsRecord(platform, 'Www', { hostName: 'www.example.com', entryPoint: vip });
    new DnsRecord(new Construct(platform, 'Legacy'), 'Apex', { hostName: 'example.com', entryPoint: vip, ttl: 60 });
    new DnsRecord(platform, 'Intranet', { hostName: 'intranet.example.com', entryPoint: vip, provider: DnsProvider.zoneFile(zone) });
    // When it synthesizes
    const files = synthFiles(app);
    const outputs = JSON.parse(files['outputs.json']) as StackOutputs;
    // Then each record is listed once, in construct-path order, keys in the order of an app's record after its path
    expect(outputs.dnsRecords).toEqual([
      { path: 'platform-dns/Intranet', name: 'intranet.example.com', type: 'A', target: '192.0.2.10', ttl: 300, provider: 'zone file platform-dns/InternalZone' },
      { path: 'platform-dns/Legacy/Apex', name: 'example.com', type: 'A', target: '192.0.2.10', ttl: 60, provider: 'ExternalDNS DNSEndpoint' },
      { path: 'platform-dns/Www', name: 'www.example.com', type: 'A', target: '192.0.2.10', ttl: 300, provider: 'ExternalDNS DNSEndpoint' },
    ]);
    expect(outputs.dnsRecords.map(r => Object.keys(r))).toEqual(Array(3).fill(['path', ...Object.keys(outputs.apps[0].dns[0])]));
    // And the apps' records stay with their apps only
    expect(outputs.apps.flatMap(a => a.dns.map(r => r.name))).toEqual(['blog.example.com', 'shop.example.com']);
    // And the standalone DNSEndpoints are in the VIP's namespace (the chart names none), in the chart's file
    expect(parse(files['platform-dns.k8s.yaml']).map(d => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`))
      .toEqual(['DNSEndpoint/ingress-nginx/www', 'DNSEndpoint/ingress-nginx/apex']);
  });

  test('a program without records on their own writes an empty list, the same every time', () => {
    const outputs = JSON.parse(synthFiles(program())['outputs.json']) as StackOutputs;
    expect(outputs.dnsRecords).toEqual([]);
    expect(Object.keys(outputs)).toEqual(['version', 'applySet', 'apps', 'dnsRecords']);
  });

  test('readOutputs reads the records made on their own back, and checks them as it checks an app\'s', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
    try {
      const app = new WebStackApp({ outdir: path.join(dir, 'dist') });
      const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '2001:db8::10' });
      new DnsRecord(new Chart(app, 'dns'), 'Www', { hostName: 'www.example.com', entryPoint: vip });
      app.synth();
      const file = path.join(dir, 'dist', 'outputs.json');
      const outputs = readOutputs(file);
      expect(outputs.apps).toEqual([]);
      expect(outputs.dnsRecords).toEqual([{ path: 'dns/Www', name: 'www.example.com', type: 'AAAA', target: '2001:db8::10', ttl: 300, provider: 'ExternalDNS DNSEndpoint' }]);
      // A record with a bad value, a missing field, or a file without the list is refused
      const write = (value: unknown) => {
        fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(value));
        return () => readOutputs(path.join(dir, 'bad.json'));
      };
      const record = outputs.dnsRecords[0];
      expect(write({ ...outputs, dnsRecords: [{ ...record, target: '192.0.2.300' }] }))
        .toThrow(/bad\.json: not the outputs of a cdk8s-webstack synth: 'dnsRecords\[0\]\.target' \("192\.0\.2\.300"\) is not an IPv4 or IPv6 address/);
      expect(write({ ...outputs, dnsRecords: [{ ...record, path: undefined }] })).toThrow(/'dnsRecords\[0\]\.path' \(undefined\) is required/);
      expect(write({ ...outputs, dnsRecords: [{ ...record, type: 'CNAME' }] })).toThrow(/'dnsRecords\[0\]\.type' \("CNAME"\) is not a member of record type/);
      expect(write({ version: 1, applySet: null, apps: [] })).toThrow(/'dnsRecords' \(undefined\) is required; give StackOutputs's dnsRecords/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('is deterministic: the same program gives the same bytes', () => {
    expect(synthFiles(referenceApp())['outputs.json']).toBe(synthFiles(referenceApp())['outputs.json']);
  });
});

describe('GitOps options', () => {
  test('FOLDER_PER_CHART: a folder per chart with its Namespace, manifests and kustomization, and a kustomization of the folders', () => {
    const files = synthFiles(program({ layout: OutputLayout.FOLDER_PER_CHART }));
    expect(Object.keys(files)).toEqual([
      'applyset-parent.k8s.yaml', 'applyset.k8s.yaml',
      'blog/kustomization.yaml', 'blog/manifests.yaml', 'blog/namespace.yaml',
      'kustomization.yaml', 'outputs.json',
      'platform/kustomization.yaml', 'platform/manifests.yaml',
      'shop/kustomization.yaml', 'shop/manifests.yaml', 'shop/namespace.yaml',
    ]);
    expect(parse(files['kustomization.yaml'])).toEqual([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['platform', 'shop', 'blog'] }]);
    expect(parse(files['shop/kustomization.yaml'])[0].resources).toEqual(['namespace.yaml', 'manifests.yaml']);
    expect(parse(files['platform/kustomization.yaml'])[0].resources).toEqual(['manifests.yaml']);
    expect(parse(files['shop/namespace.yaml']).map(d => d.kind)).toEqual(['Namespace']);
    const outputs = JSON.parse(files['outputs.json']) as StackOutputs;
    expect(outputs.applySet!.keptFiles).toEqual(['applyset.k8s.yaml', 'shop/namespace.yaml', 'blog/namespace.yaml']);
    expect(outputs.apps.find(a => a.name === 'shop')!.files).toEqual(['shop/manifests.yaml', 'shop/namespace.yaml']);
  });

  test('Argo CD sync waves: Namespaces, then config and policy, then workloads, then routes and DNS; a wave set by hand stays', () => {
    const app = program({ argoCdSyncWaves: true }, ['shop']);
    const files = synthFiles(app);
    const wave = (d: any) => d.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    const docs = Object.entries(files).filter(([f]) => f.endsWith('.yaml') && !f.startsWith('applyset')).flatMap(([, t]) => parse(t));
    const byKind = Object.fromEntries(docs.map(d => [d.kind, wave(d)]));
    expect(byKind).toEqual({
      Namespace: '-3', NetworkPolicy: '-2', Deployment: '0', Service: '0', PodDisruptionBudget: '0', Ingress: '1', DNSEndpoint: '1',
    });
    // Keys stay sorted, as cdk8s writes them.
    for (const d of docs) {
      expect(Object.keys(d.metadata)).toEqual([...Object.keys(d.metadata)].sort());
      expect(Object.keys(d.metadata.annotations)).toEqual([...Object.keys(d.metadata.annotations)].sort());
    }
    const own = program({ argoCdSyncWaves: true }, ['shop']);
    const web = own.node.findAll().find((c): c is WebApp => c instanceof WebApp)!;
    (web.workload as ApiObject).metadata.addAnnotation('argocd.argoproj.io/sync-wave', '5');
    expect(wave(parse(synthFiles(own)['shop.k8s.yaml']).find(d => d.kind === 'Deployment'))).toBe('5');
  });

  test('layout and argoCdSyncWaves from a JavaScript caller are checked', () => {
    expect(errorOf(() => new WebStackApp({ layout: 'FOLDERS' as any })).message).toMatch(/'layout' \("FOLDERS"\) is not a member of OutputLayout; use OutputLayout.FILE_PER_CHART \('FILE_PER_CHART'\), OutputLayout.FOLDER_PER_CHART \('FOLDER_PER_CHART'\)/);
    expect(errorOf(() => new WebStackApp({ argoCdSyncWaves: 'yes' as any })).message).toMatch(/'argoCdSyncWaves' \("yes"\) is not a boolean/);
  });
});

describe('imageTagFromEnv', () => {
  test('reads the tag the pipeline passes, or the default', () => {
    expect(imageTagFromEnv('TAG', { env: { TAG: '1.4.3' } })).toBe('1.4.3');
    expect(imageTagFromEnv('TAG', { env: {}, default: '1.4.2' })).toBe('1.4.2');
    expect(imageTagFromEnv('TAG', { env: { TAG: '0f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b' } })).toMatch(/^0f3c/);
  });

  test.each([
    [{ env: {} }, /environment variable TAG: 'TAG' \(undefined\) is not set, and no default is given; set it to the image tag the pipeline built/],
    [{ env: { TAG: '' } }, /environment variable TAG: 'TAG' \(""\) is not an image tag/],
    [{ env: { TAG: 'latest' } }, /environment variable TAG: 'TAG' \("latest"\) is the moving tag 'latest'/],
    [{ env: { TAG: '1.0 ; rm -rf' } }, /environment variable TAG: 'TAG' \("1.0 ; rm -rf"\) is not an image tag/],
    [{ env: {}, default: 42 }, /imageTagFromEnv: 'default' \(42\) is not an image tag/],
  ])('refuses %j, naming the variable, the value and the fix', (options, message) => {
    expect(() => imageTagFromEnv('TAG', options as any)).toThrow(WebStackError);
    expect(() => imageTagFromEnv('TAG', options as any)).toThrow(message);
  });
});

/**
 * The holes an adversarial trial found (issue 11), one describe per class, each test naming what
 * it would catch. Synth output safety (classes 1 to 3) is in web-stack-app.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { referenceApp } from '../apps/reference';
import { DnsProvider, DnsRecord, EnvValue, Gateway, GatewayImplementation, IngressVip, Probe, synthManifests, Route53HostedZone, TlsCertificate, WebApp, WebStackApp } from '../lib';
import { LOOKALIKES } from './_lookalikes';
import { docs, errorOf, IMAGE, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

describe('class 7: valid input is accepted', () => {
  test.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'value', 'resolve'])('a label and an annotation key named %s', (key) => {
    const { chart } = webApp({ labels: { [key]: 'x', zz: 'z' }, route: { annotations: { [key]: 'y' } } });
    const deployment = kind(chart, 'Deployment');
    expect(deployment.metadata.labels[key]).toBe('x');
    expect(deployment.spec.template.metadata.labels[key]).toBe('x');
    expect(Object.keys(deployment.metadata.labels)).toEqual(Object.keys(deployment.metadata.labels).sort());
    expect(kind(chart, 'Ingress').metadata.annotations[key]).toBe('y');
  });

  test('an app name of 63 characters with TLS: its Secret name is longer than a DNS label, which Kubernetes allows', () => {
    const name = `a${'b'.repeat(61)}c`;
    const { chart } = webApp({ name, route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    expect(kind(chart, 'Ingress').spec.tls[0].secretName).toBe(`${name}-tls`);
  });

  test('a 253-character host behind a Gateway gets a listener and Secret name within 253 characters', () => {
    const host = `${Array.from({ length: 3 }, () => 'x'.repeat(63)).join('.')}.${'y'.repeat(57)}.com`;
    expect(host).toHaveLength(253);
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const gateway = new Gateway(platform, 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    const chart = new Chart(app, 'web');
    new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, host, route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    const listener = kind(platform, 'Gateway').spec.listeners[1];
    expect(listener.name).toMatch(/^https-[0-9a-f]{32}$/);
    expect(listener.tls.certificateRefs[0].name).toMatch(/^tls-[0-9a-f]{32}$/);
    expect([...docs(platform), ...docs(chart)].flatMap(schemaErrors)).toEqual([]);
  });

  test('a validation error still names the value for a key that is a prototype member', () => {
    expect(errorOf(() => webApp({ labels: { 'app.kubernetes.io/name': 'x' } })).message).toMatch(/would override a recommended label/);
  });
});

describe('class 9: defaults follow the props they derive from', () => {
  test('the startup probe asks what the liveness probe asks', () => {
    const { chart } = webApp({ probes: { liveness: Probe.httpGet('/healthz', { timeoutSeconds: 3 }) } });
    const container = kind(chart, 'Deployment').spec.template.spec.containers[0];
    expect(container.startupProbe).toEqual({ ...container.livenessProbe, periodSeconds: 2, failureThreshold: 30 });
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
  });

  test('a TCP liveness probe gives a TCP startup probe', () => {
    const { chart } = webApp({ probes: { liveness: Probe.tcpSocket() } });
    expect(kind(chart, 'Deployment').spec.template.spec.containers[0].startupProbe).toMatchObject({ tcpSocket: { port: 'http' }, periodSeconds: 2 });
  });

  test('every example in dist/ starts up on the path its liveness probe checks', () => {
    const app = referenceApp({ outdir: 'unused' });
    // Every Deployment that serves traffic (workers serve none, and have no probes).
    const containers = synthManifests(app).filter(d => d.kind === 'Deployment').map(d => d.spec.template.spec.containers[0])
      .filter(c => c.ports !== undefined);
    expect(containers.length).toBeGreaterThan(0);
    const check = (p: any) => JSON.stringify([p.httpGet, p.tcpSocket, p.exec, p.grpc]);
    for (const c of containers) {
      expect(check(c.startupProbe)).toBe(check(c.livenessProbe));
    }
  });
});

describe('class 5: what synth accepts, the API server accepts and reads back as written', () => {
  test.each(['/a//b', '/./b', '/a/../b', '/a%2Fb', '/a%2fb', '/a/.', '/a/..'])('a route path with %s is refused', (path) => {
    expect(errorOf(() => webApp({ route: { paths: [path] } })).message).toMatch(/'route.paths\[0\]' .* which the API server refuses in an Ingress or HTTPRoute path/);
  });

  test.each([
    ['10.0.0.1/8', '10.0.0.0/8'], ['192.168.1.5/24', '192.168.1.0/24'], ['2001:db8::1/32', '2001:db8::/32'],
  ])('a CIDR with host bits set (%s) is refused, naming the network', (cidr, network) => {
    expect(errorOf(() => webApp({ networkPolicy: { allowFrom: [{ cidr }] } })).message).toContain(`has host bits set, which the API server refuses; write the network address: '${network}'`);
  });

  test.each(['fe80::1%eth0', '::ffff:192.0.2.10'])('the VIP address %s is refused', (address) => {
    expect(errorOf(() => webApp({}, { address })).message).toMatch(/^platform\/IngressVip: 'address'/);
  });

  test('env values that are not strings are refused', () => {
    expect(errorOf(() => webApp({ env: { A: EnvValue.fromValue(15 as unknown as string) } })).message)
      .toMatch(/'env\["A"\]' \(15\) is not a string, and environment values are strings; write it as a string: EnvValue.fromValue\('15'\)/);
  });

  test('annotation keys and values of the VIP Service are checked, and so is their total size', () => {
    expect(errorOf(() => webApp({}, { address: '192.0.2.10', annotations: { 'bad key!': 'x' } })).message).toMatch(/'annotations' \("bad key!"\) is not a valid label or annotation key/);
    expect(errorOf(() => webApp({}, { address: '192.0.2.10', annotations: { a: 1 as unknown as string } })).message).toMatch(/'annotations\["a"\]' \(1\) is not a string/);
    expect(errorOf(() => webApp({ route: { annotations: { big: 'x'.repeat(256 * 1024) } } })).message)
      .toMatch(/'route.annotations' \("262147 bytes"\) is over the 262144 bytes the API server allows/);
  });

  test('strings that look like other YAML types are written so kubectl reads them as strings', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-')), 'dist');
    const app = new WebStackApp({ outdir: out });
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'web'), 'shop', {
      entryPoint: vip, image: IMAGE, host: 'shop.example.com',
      env: Object.fromEntries(LOOKALIKES.map((v, i) => [`V${i}`, EnvValue.fromValue(v)])),
    });
    app.synth();
    const text = fs.readFileSync(path.join(out, 'web.k8s.yaml'), 'utf8');
    for (const v of ['0o17', '0O17', '+0o17', '<<']) {
      expect(text).toContain(`value: ${JSON.stringify(v)}`);
    }
  });
});

describe('class 6: checks judge the rendered result after every patch', () => {
  test('a patch that adds a real field still works, a map key included', () => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'web-critical'));
    web.workload.addJsonPatch(JsonPatch.add('/metadata/labels/team', 'a'));
    web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '1'));
    const deployment = kind(chart, 'Deployment');
    expect(deployment.spec.template.spec.priorityClassName).toBe('web-critical');
    expect(deployment.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
  });

  test('a misspelt field added to an HTTPRoute is refused too', () => {
    const app = Testing.app();
    const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    const chart = new Chart(app, 'web');
    const web = new WebApp(chart, 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com' });
    web.route.addJsonPatch(JsonPatch.add('/spec/rules/0/timeout', { request: '5s' }));
    expect(() => docs(chart)).toThrow(/leave '\/spec\/rules\/0\/timeout', which gateway.networking.k8s.io\/v1 HTTPRoute does not have/);
  });

  test.each([
    ['a DNSEndpoint dnsName patched away from the host', (web: WebApp) => web.dnsRecord!.resources[0].addJsonPatch(JsonPatch.replace('/spec/endpoints/0/dnsName', 'evil.example.com')),
      /DNSEndpoint publishes evil.example.com -> \["192.0.2.10"\], but the app is shop.example.com at 192.0.2.10/],
    ['a DNSEndpoint target patched away from the VIP', (web: WebApp) => web.dnsRecord!.resources[0].addJsonPatch(JsonPatch.replace('/spec/endpoints/0/targets/0', '198.51.100.1')),
      /DNSEndpoint publishes shop.example.com -> \["198.51.100.1"\]/],
    ['a PDB maxUnavailable of 00%', (web: WebApp) => web.disruptionBudget!.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', '00%')),
      /PodDisruptionBudget would allow no disruption/],
    ['a PDB maxUnavailable of "0"', (web: WebApp) => web.disruptionBudget!.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', '0')),
      /PodDisruptionBudget would allow no disruption/],
    ['a removed PDB selector', (web: WebApp) => web.disruptionBudget!.addJsonPatch(JsonPatch.remove('/spec/selector')),
      /PodDisruptionBudget selector does not match the app's pods/],
    ['an emptied Service selector', (web: WebApp) => web.service.addJsonPatch(JsonPatch.replace('/spec/selector', {})),
      /Service "shop" selects \{\}, which the pods of Deployment "shop" do not carry/],
    ['a misspelt field added to the Deployment', (web: WebApp) => web.workload.addJsonPatch(JsonPatch.add('/spec/replica', 3)),
      /JSON patches on Deployment "shop" leave '\/spec\/replica', which apps\/v1 Deployment does not have/],
    ['a misspelt field added deep in the pod template', (web: WebApp) => web.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/imagePullPolicyy', 'Always')),
      /leave '\/spec\/template\/spec\/containers\/0\/imagePullPolicyy'/],
    ['a misspelt field added to the HTTPRoute-free Ingress', (web: WebApp) => web.route.addJsonPatch(JsonPatch.add('/spec/rules/0/hosts', ['x'])),
      /leave '\/spec\/rules\/0\/hosts', which networking.k8s.io\/v1 Ingress does not have/],
    ['/metadata replaced as a whole', (web: WebApp) => web.service.addJsonPatch(JsonPatch.replace('/metadata', { name: 'shop', namespace: 'kube-system' })),
      /change its identity from Service shop\/shop \(v1\) to Service kube-system\/shop \(v1\)/],
  ])('fails at synth on %s', (_, patch, message) => {
    const { chart, web } = webApp();
    patch(web);
    expect(() => docs(chart)).toThrow(message);
  });
});

describe('class 8: smaller holes', () => {
  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'ingress-nginx'])('an app may not take the namespace %s', (name) => {
    expect(errorOf(() => webApp({ namespace: { name, create: false } })).message).toMatch(new RegExp(`^web/shop: 'namespace.name' \\("${name}"\\) is .*; an app there would relabel it and share its policies; give the app a namespace of its own`));
  });

  test('nor the Gateway\'s, nor its data plane\'s', () => {
    const app = Testing.app();
    const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    for (const name of ['gateway', 'envoy-gateway-system']) {
      expect(errorOf(() => new WebApp(new Chart(app, `c-${name}`), 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', namespace: { name } })).message)
        .toMatch(/is the namespace of Gateway gateway\/web .* or its data plane/);
    }
  });

  test('two Namespaces of one name clash even when their charts set different namespaces', () => {
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    new WebApp(new Chart(app, 'one', { namespace: 'a' }), 'shop', { entryPoint: vip, image: IMAGE, host: 'one.example.com', namespace: { name: 'shop' } });
    new WebApp(new Chart(app, 'two', { namespace: 'b' }), 'shop', { entryPoint: vip, image: IMAGE, host: 'two.example.com', namespace: { name: 'shop' } });
    expect(() => synthManifests(app)).toThrow(/duplicate objects: one\/shop and two\/shop both render Namespace "shop",/);
  });

  test('every checker that flags an exception finds its own ignore annotation with the reason', () => {
    const { chart, vip } = webApp({ autoscaling: { maxReplicas: 5 } });
    const annotations = kind(chart, 'Deployment').metadata.annotations;
    expect(annotations['ignore-check.kube-linter.io/minimum-three-replicas']).toBeDefined();
    expect(annotations['polaris.fairwinds.com/deploymentMissingReplicas-exempt']).toBe('true');
    const service = Testing.synth(vip.node.scope as Chart)[0];
    expect(service.metadata.annotations['ignore-check.kube-linter.io/exposed-services']).toBeDefined();
    expect(service.metadata.annotations['cdk8s-webstack/policy-exceptions']).toMatch(/exposed-services/);
  });
});

describe('class 8: Route 53 record ids', () => {
  test('shop-eu.example.com and shop.eu.example.com are two records, not an aws-cdk id clash', () => {
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    const zone = new Route53HostedZone(new Chart(app, 'dns'), 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
    for (const [i, host] of ['shop-eu.example.com', 'shop.eu.example.com', '*.example.com'].entries()) {
      new DnsRecord(new Chart(app, `r${i}`), 'Record', { hostName: host, entryPoint: vip, provider: DnsProvider.route53(zone) });
    }
    const template = zone.template();
    const names = Object.values(template.Resources as Record<string, any>).map(r => r.Properties.Name).sort();
    expect(names).toEqual(['*.example.com.', 'shop-eu.example.com.', 'shop.eu.example.com.']);
  });
});

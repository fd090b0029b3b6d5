/**
 * The holes an adversarial trial found (issue 11), one describe per class, each test naming what
 * it would catch. Synth output safety (classes 1 to 3) is in web-stack-app.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { referenceApp } from '../apps/reference';
import { EnvValue, Gateway, GatewayImplementation, IngressVip, Probe, synthManifests, TlsCertificate, WebApp, WebStackApp } from '../lib';
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
    const app = referenceApp(new WebStackApp({ outdir: 'unused' }));
    const containers = synthManifests(app).filter(d => d.kind === 'Deployment').map(d => d.spec.template.spec.containers[0]);
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      expect(c.startupProbe.httpGet.path).toBe(c.livenessProbe.httpGet.path);
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

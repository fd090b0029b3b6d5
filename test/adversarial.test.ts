/**
 * The holes an adversarial trial found (issue 11), one describe per class, each test naming what
 * it would catch. Synth output safety (classes 1 to 3) is in web-stack-app.test.ts.
 */
import { Chart, Testing } from 'cdk8s';
import { referenceApp } from '../apps/reference';
import { Gateway, GatewayImplementation, Probe, synthManifests, TlsCertificate, WebApp, WebStackApp } from '../lib';
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

import { Probe, ProbeScheme, WebStackError } from '../lib';
import { docs, errorOf, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const container = (chart: any) => kind(chart, 'Deployment').spec.template.spec.containers[0];
const KINDS = ['httpGet', 'tcpSocket', 'exec', 'grpc'];
const TIMING = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 };

describe('Probe kinds and options', () => {
  test('httpGet keeps its defaults: the named port, HTTP, no headers', () => {
    // Given a path alone
    const probe = Probe.httpGet('/ready');
    // Then the probe says what it decided
    expect([probe.kind, probe.path, probe.port, probe.scheme, probe.headers]).toEqual(['httpGet', '/ready', undefined, ProbeScheme.HTTP, undefined]);
    // And it renders on the app's named port, with no httpHeaders key
    const { chart } = webApp({ probes: { readiness: probe } });
    expect(container(chart).readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
  });

  test('httpGet on a port number, over HTTPS, with headers sorted by name (Host included)', () => {
    const { chart } = webApp({
      probes: {
        readiness: Probe.httpGet('/ready', {
          port: 8080, scheme: ProbeScheme.HTTPS, headers: { 'X-Probe': 'readiness', 'Host': 'shop.example.com', 'Authorization': 'Bearer t\tok' },
          periodSeconds: 3,
        }),
      },
    });
    expect(container(chart).readinessProbe).toEqual({
      httpGet: {
        path: '/ready', port: 8080, scheme: 'HTTPS',
        httpHeaders: [{ name: 'Authorization', value: 'Bearer t\tok' }, { name: 'Host', value: 'shop.example.com' }, { name: 'X-Probe', value: 'readiness' }],
      },
      ...TIMING, periodSeconds: 3,
    });
  });

  test('httpGet and tcpSocket on the metrics port, by name and by number', () => {
    const { chart } = webApp({
      metrics: { port: 9090 },
      probes: { readiness: Probe.httpGet('/ready', { port: 'metrics' }), liveness: Probe.tcpSocket({ port: 9090 }) },
    });
    const c = container(chart);
    expect(c.readinessProbe.httpGet.port).toBe('metrics');
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 9090 });
    // The startup probe copies the liveness check, port included.
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 9090 }, ...TIMING, periodSeconds: 2, failureThreshold: 30 });
  });

  test('tcpSocket on the app port by name', () => {
    const probe = Probe.tcpSocket({ port: 'http', failureThreshold: 5 });
    expect([probe.kind, probe.port, probe.path, probe.options]).toEqual(['tcpSocket', 'http', undefined, { failureThreshold: 5 }]);
    const { chart } = webApp({ probes: { liveness: probe } });
    expect(container(chart).livenessProbe).toEqual({ tcpSocket: { port: 'http' }, ...TIMING, failureThreshold: 5 });
  });

  test('exec runs a command, and the startup probe runs it too', () => {
    const probe = Probe.exec(['/app/healthcheck', '--live'], { timeoutSeconds: 5 });
    expect([probe.kind, probe.command, probe.port]).toEqual(['exec', ['/app/healthcheck', '--live'], undefined]);
    const { chart } = webApp({ probes: { liveness: probe } });
    const c = container(chart);
    expect(c.livenessProbe).toEqual({ exec: { command: ['/app/healthcheck', '--live'] }, ...TIMING, timeoutSeconds: 5 });
    expect(c.startupProbe).toEqual({ exec: { command: ['/app/healthcheck', '--live'] }, ...TIMING, timeoutSeconds: 5, periodSeconds: 2, failureThreshold: 30 });
  });

  test('exec copies its command: a later change to the caller\'s array does not reach the probe', () => {
    const command = ['/app/healthcheck'];
    const probe = Probe.exec(command);
    command.push('--changed');
    expect(probe.command).toEqual(['/app/healthcheck']);
  });

  test('grpc on a port number, with and without a service; the startup probe asks the same', () => {
    const { chart } = webApp({
      port: 50051,
      probes: { readiness: Probe.grpc({ port: 50051, service: 'shop.v1.Orders' }), liveness: Probe.grpc({ port: 50051, periodSeconds: 20 }) },
    });
    const c = container(chart);
    expect(c.readinessProbe).toEqual({ grpc: { port: 50051, service: 'shop.v1.Orders' }, ...TIMING, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ grpc: { port: 50051 }, ...TIMING, periodSeconds: 20 });
    expect(c.startupProbe).toEqual({ grpc: { port: 50051 }, ...TIMING, periodSeconds: 2, failureThreshold: 30 });
    const probe = Probe.grpc({ port: 50051, service: 'x' });
    expect([probe.kind, probe.port, probe.service]).toEqual(['grpc', 50051, 'x']);
  });

  test('the startup probe copies an HTTP liveness check whole: port, scheme and headers', () => {
    const { chart } = webApp({ probes: { liveness: Probe.httpGet('/livez', { port: 8080, scheme: ProbeScheme.HTTPS, headers: { 'X-A': '1' } }) } });
    const c = container(chart);
    expect(c.startupProbe.httpGet).toEqual(c.livenessProbe.httpGet);
    expect(c.startupProbe.httpGet).toEqual({ path: '/livez', port: 8080, scheme: 'HTTPS', httpHeaders: [{ name: 'X-A', value: '1' }] });
  });

  test('every kind, on the app and a sidecar, is schema-valid', () => {
    const { chart } = webApp({
      metrics: { port: 9090 },
      probes: {
        readiness: Probe.httpGet('/ready', { port: 'metrics', scheme: ProbeScheme.HTTPS, headers: { Host: 'shop.example.com' } }),
        liveness: Probe.exec(['/app/healthcheck']),
        startup: Probe.grpc({ port: 8080, service: 'shop' }),
      },
      sidecars: [
        { name: 'proxy', image: 'registry.example.com/infra/proxy:2.1', port: 15000, readiness: Probe.tcpSocket({ port: 15000 }), liveness: Probe.grpc({ port: 15000 }) },
        { name: 'logs', image: 'registry.example.com/infra/logs:1.0', liveness: Probe.exec(['/bin/ok']) },
      ],
    });
    const spec = kind(chart, 'Deployment').spec.template.spec;
    expect(spec.initContainers.map((c: any) => [c.readinessProbe, c.livenessProbe].map(p => p && KINDS.find(k => k in p)))).toEqual([['tcpSocket', 'grpc'], [undefined, 'exec']]);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });
});

describe('liveness the same check as readiness, of every kind', () => {
  test.each([
    ['two exec probes of one command', Probe.exec(['/bin/ok']), Probe.exec(['/bin/ok'], { failureThreshold: 5 })],
    ['two grpc probes of one port and service', Probe.grpc({ port: 8080, service: 's' }), Probe.grpc({ port: 8080, service: 's', periodSeconds: 20 })],
    ['the app port by name and by number', Probe.httpGet('/health'), Probe.httpGet('/health', { port: 8080 })],
    ['tcpSocket by default and by name', Probe.tcpSocket(), Probe.tcpSocket({ port: 'http' })],
    ['headers whose names differ in case only', Probe.httpGet('/h', { headers: { 'x-a': '1' } }), Probe.httpGet('/h', { headers: { 'X-A': '1' } })],
  ])('refuses %s', (_, readiness, liveness) => {
    const error = errorOf(() => webApp({ probes: { readiness, liveness } }));
    expect(error.prop).toBe('probes.liveness');
    expect(error.message).toMatch(/same check as the readiness probe/);
  });

  test.each([
    ['exec probes of different commands', Probe.exec(['/bin/ready']), Probe.exec(['/bin/live'])],
    ['grpc probes of different services', Probe.grpc({ port: 8080, service: 'ready' }), Probe.grpc({ port: 8080 })],
    ['grpc and tcpSocket on one port', Probe.grpc({ port: 8080 }), Probe.tcpSocket()],
    ['HTTP and HTTPS on one path', Probe.httpGet('/h'), Probe.httpGet('/h', { scheme: ProbeScheme.HTTPS })],
    ['one path with other headers', Probe.httpGet('/h', { headers: { 'X-Check': 'ready' } }), Probe.httpGet('/h', { headers: { 'X-Check': 'live' } })],
    ['one path on other ports', Probe.httpGet('/h'), Probe.httpGet('/h', { port: 'metrics' })],
  ])('takes %s', (_, readiness, liveness) => {
    const { chart } = webApp({ metrics: { port: 9090 }, probes: { readiness, liveness } });
    expect(container(chart).livenessProbe).toBeDefined();
  });

  test('an exec pair is taken with a reason, written into the policy-exception annotation', () => {
    const { chart } = webApp({ probes: { readiness: Probe.exec(['/bin/ok']), liveness: Probe.exec(['/bin/ok']), sameCheckReason: 'one health command' } });
    expect(kind(chart, 'Deployment').metadata.annotations['cdk8s-webstack/policy-exceptions']).toBe('liveness same as readiness: one health command');
  });

  test('the message names the command of an exec pair', () => {
    const error = errorOf(() => webApp({ probes: { readiness: Probe.exec(['/bin/ok']), liveness: Probe.exec(['/bin/ok']) } }));
    expect(error.value).toEqual(['/bin/ok']);
  });
});

describe('Probe factories check what JavaScript callers pass', () => {
  test.each([
    ['a port that is neither number nor string', () => Probe.httpGet('/r', { port: true as any }), 'options.port', /is none of: a number, a string/],
    ['a scheme that is not a ProbeScheme', () => Probe.httpGet('/r', { scheme: 'https' as any }), 'options.scheme', /is not a member of ProbeScheme; use ProbeScheme.HTTP \('HTTP'\), ProbeScheme.HTTPS \('HTTPS'\)/],
    ['headers that are not a map', () => Probe.httpGet('/r', { headers: 'X-A: 1' as any }), 'options.headers', /is not a map/],
    ['a header value that is not a string', () => Probe.httpGet('/r', { headers: { 'X-A': 1 as any } }), 'options.headers["X-A"]', /is not a string/],
    ['a misspelt tcpSocket option', () => Probe.tcpSocket({ prot: 80 } as any), 'options.prot', /is not a prop of TcpSocketProbeOptions; did you mean 'options.port'\?/],
    ['a command that is not a list', () => Probe.exec('/bin/ok' as any), 'command', /is not a list/],
    ['no command', () => Probe.exec(undefined as any), 'command', /is not a list/],
    ['a command item that is not a string', () => Probe.exec(['/bin/ok', 3 as any]), 'command[1]', /is not a string/],
    ['a port on an exec probe', () => Probe.exec(['/bin/ok'], { port: 80 } as any), 'options.port', /is not a prop of ProbeOptions/],
    ['no grpc options', () => (Probe.grpc as any)(), 'options', /is not the GrpcProbeOptions object/],
    ['no grpc port', () => Probe.grpc({} as any), 'options.port', /is required; give GrpcProbeOptions's port/],
    ['a grpc port name', () => Probe.grpc({ port: 'grpc' as any }), 'options.port', /is not a finite number/],
    ['a grpc service that is not a string', () => Probe.grpc({ port: 8080, service: 1 as any }), 'options.service', /is not a string/],
  ])('%s', (_, build, prop, message) => {
    const error = errorOf(build);
    expect(error).toBeInstanceOf(WebStackError);
    expect([error.prop, error.message]).toEqual([prop, expect.stringMatching(message)]);
  });
});

describe('a probe checked where it is used: the message names the prop', () => {
  test.each([
    ['port 0', { liveness: Probe.tcpSocket({ port: 0 }) }, 'probes.liveness.port', /must be a whole number from 1 to 65535/],
    ['a port name that is not an IANA name', { readiness: Probe.httpGet('/r', { port: 'HTTP_PORT' }) }, 'probes.readiness.port', /IANA service name/],
    ['a port number the container does not have', { readiness: Probe.httpGet('/r', { port: 9999 }) }, 'probes.readiness.port',
      /^web\/shop: 'probes.readiness.port' \(9999\) is not a port of the app container, whose ports are http:8080; probe one of them, or leave port out for 'http'$/],
    ['a port name the container does not have', { liveness: Probe.tcpSocket({ port: 'admin' }) }, 'probes.liveness.port', /\("admin"\) names no port of the app container, whose ports are http:8080/],
    ['a grpc port the container does not have', { startup: Probe.grpc({ port: 50051 }) }, 'probes.startup.port', /\(50051\) is not a port of the app container/],
    ['a header name with a space', { readiness: Probe.httpGet('/r', { headers: { 'X Probe': '1' } }) }, 'probes.readiness.headers["X Probe"]', /is not an HTTP header name \(a token\)/],
    ['a header name with a colon', { readiness: Probe.httpGet('/r', { headers: { 'Host:': 'a' } }) }, 'probes.readiness.headers["Host:"]', /is not an HTTP header name/],
    ['a header value with a line break', { readiness: Probe.httpGet('/r', { headers: { 'X-A': 'a\r\nX-B: b' } }) }, 'probes.readiness.headers["X-A"]', /holds the control character U\+000D, which an HTTP header value may not/],
    ['a header value with DEL', { readiness: Probe.httpGet('/r', { headers: { 'X-A': 'a\x7f' } }) }, 'probes.readiness.headers["X-A"]', /U\+007F/],
    ['one header twice, in two cases', { readiness: Probe.httpGet('/r', { headers: { 'X-A': '1', 'x-a': '2' } }) }, 'probes.readiness.headers["x-a"]', /is the header 'X-A' again \(header names ignore case\); give each header once/],
    ['an empty command', { liveness: Probe.exec([]) }, 'probes.liveness.command', /names no program to run/],
    ['a command without a program', { liveness: Probe.exec([' ', 'x']) }, 'probes.liveness.command', /names no program to run/],
    ['an exec probe with a period of 0', { liveness: Probe.exec(['/bin/ok'], { periodSeconds: 0 }) }, 'probes.liveness.periodSeconds', /from 1 to 3600/],
    ['a grpc probe with a timeout of 0', { liveness: Probe.grpc({ port: 8080, timeoutSeconds: 0 }) }, 'probes.liveness.timeoutSeconds', /from 1 to 3600/],
  ])('refuses %s', (_, probes, prop, message) => {
    const error = errorOf(() => webApp({ probes }));
    expect([error.prop, error.message]).toEqual([prop, expect.stringMatching(message)]);
  });

  test('a probe may check the metrics port only with metrics on', () => {
    expect(errorOf(() => webApp({ probes: { readiness: Probe.httpGet('/r', { port: 'metrics' }) } })).prop).toBe('probes.readiness.port');
    expect(() => webApp({ metrics: { port: 9090 }, probes: { readiness: Probe.httpGet('/r', { port: 'metrics' }) } })).not.toThrow();
  });

  test.each([
    ['a port number other than its own', { port: 15000, readiness: Probe.httpGet('/r', { port: 8080 }) }, 'sidecars[0].readiness.port',
      /\(8080\) is not a port of the sidecar, whose ports are proxy:15000; probe one of them, or leave port out for 'proxy'/],
    ['a port name other than its own', { port: 15000, liveness: Probe.tcpSocket({ port: 'http' }) }, 'sidecars[0].liveness.port', /names no port of the sidecar/],
    ['a port number, when it has none', { liveness: Probe.grpc({ port: 15000 }) }, 'sidecars[0].liveness.port',
      /is not a port of the sidecar, whose ports are none; give the sidecar its port \(sidecars\[0\].port\), or use Probe.exec/],
    ['an empty exec command', { liveness: Probe.exec([]) }, 'sidecars[0].liveness.command', /names no program/],
  ])('a sidecar probe is refused for %s', (_, sidecar, prop, message) => {
    const error = errorOf(() => webApp({ sidecars: [{ name: 'proxy', image: 'registry.example.com/infra/proxy:2.1', ...sidecar }] }));
    expect([error.prop, error.message]).toEqual([prop, expect.stringMatching(message)]);
  });
});

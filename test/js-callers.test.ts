/**
 * JavaScript callers pass what the types forbid. Every prop position of every construct gets a
 * value of every JavaScript type; each must give a WebStackError naming that prop, or valid
 * output, and a value outside the prop's declared type is never accepted (no silent default in
 * its place). The positions and their types are written out here from the props interfaces, on
 * their own, so the library's run-time shapes are checked against a second declaration.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DnsProvider, DnsRecord, DnsZone, EnvValue, ExistingGateway, Gateway, GatewayImplementation, IngressController, IngressVip, Probe,
  Route53HostedZone, TlsCertificate, UpdateStrategy, WebApp, WebStackError,
} from '../lib';
import { IMAGE } from './_fixtures';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261125), numRuns: Number(process.env.FC_RUNS ?? 200) });

/** The declared type of a position: what a JavaScript value there must be to be accepted. */
type Declared = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'map' | 'instance' | 'enum' | 'false-or-object' | 'number-or-string' | 'string-or-false';

class Unrelated {
  public readonly value = 1;
}

/** A value of every JavaScript type, enum keys (not values) among them. */
const VALUES: Array<[string, unknown]> = [
  ['undefined', undefined], ['null', null], ['NaN', NaN], ['-0', -0], ['0', 0], ['1.5', 1.5], ['-1', -1], ['1e21', 1e21], ['Infinity', Infinity],
  ['true', true], ['false', false], ['""', ''], ['"x"', 'x'], ['"METALLB"', 'METALLB'], ['"PREFIX"', 'PREFIX'], ['"ALWAYS"', 'ALWAYS'],
  ['[]', []], ['["x"]', ['x']], ['{}', {}], ['{ a: 1 }', { a: 1 }], ['a Date', new Date(0)], ['a Map', new Map()],
  ['a function', () => 1], ['a symbol', Symbol('s')], ['a bigint', 10n], ['an unrelated class instance', new Unrelated()],
];

function accepts(declared: Declared, value: unknown): boolean {
  const plain = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
  switch (declared) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'object': case 'map': return plain;
    case 'array': return Array.isArray(value);
    case 'false-or-object': return value === false || plain;
    case 'number-or-string': return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'string-or-false': return typeof value === 'string' || value === false;
    // None of VALUES is a member of an enum or an instance of the right class.
    case 'instance': case 'enum': return false;
  }
}

/** Sets `value` at the dotted `path` of a copy of `base` (undefined deletes the key). */
function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    if (value === undefined) {
      delete copy[head];
    } else {
      copy[head] = value;
    }
    return copy;
  }
  const inner = copy[head];
  copy[head] = Array.isArray(inner)
    ? Object.assign([...inner], withValue({ ...inner } as Record<string, unknown>, rest.join('.'), value))
    : withValue((inner ?? {}) as Record<string, unknown>, rest.join('.'), value);
  return copy;
}

interface Subject {
  /** The construct's valid props, with every position filled. */
  readonly base: () => Record<string, unknown>;
  /** Builds the construct with `props` in a fresh app and synthesizes it. */
  readonly build: (props: any) => void;
  readonly positions: Record<string, Declared>;
  /** Positions that are required: undefined there must be refused. */
  readonly required: string[];
}

function platform(app: App) {
  const chart = new Chart(app, 'platform');
  return { chart, vip: new IngressVip(chart, 'IngressVip', { address: '192.0.2.10' }) };
}

const SUBJECTS: Record<string, Subject> = {
  WebApp: {
    base: () => ({
      image: IMAGE, host: 'shop.example.com', name: 'shop', namespace: { name: 'shop', create: true, podSecurityRestricted: true },
      version: '1.0', component: 'web', partOf: 'shop', labels: { team: 'a' }, imagePullSecrets: ['reg'], port: 8080, portName: 'http',
      env: { A: EnvValue.fromValue('1') }, resources: { cpu: { request: '100m', limit: '1' }, memory: false },
      probes: { readiness: Probe.httpGet('/ready'), liveness: Probe.httpGet('/live'), startup: false },
      security: { runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true },
      shutdown: { preStopDelaySeconds: 10, terminationGracePeriodSeconds: 40 },
      autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70, scaleDownStabilizationSeconds: 300 },
      route: { paths: ['/'], sslRedirect: false, proxyBodySize: '1m', proxyReadTimeoutSeconds: 30, annotations: { a: 'b' } },
      disruptionBudget: { maxUnavailable: 1 }, networkPolicy: { allowFrom: [{ namespace: 'monitoring' }] }, dns: { ttl: 60 },
      updateStrategy: UpdateStrategy.recreate(),
    }),
    build: props => {
      const app = Testing.app();
      const { vip } = platform(app);
      const chart = new Chart(app, 'web');
      new WebApp(chart, 'shop', { entryPoint: vip, ...props });
      Testing.synth(chart);
    },
    positions: {
      'image': 'string', 'host': 'string', 'name': 'string', 'namespace': 'object', 'namespace.name': 'string', 'namespace.create': 'boolean',
      'namespace.podSecurityRestricted': 'boolean', 'version': 'string', 'component': 'string', 'partOf': 'string', 'labels': 'map',
      'labels.team': 'string', 'imagePullSecrets': 'array', 'imagePullSecrets.0': 'string', 'imagePullPolicy': 'enum', 'port': 'number',
      'portName': 'string', 'env': 'map', 'env.A': 'instance', 'resources': 'object', 'resources.cpu': 'false-or-object',
      'resources.cpu.request': 'string-or-false', 'resources.cpu.limit': 'string-or-false', 'resources.memory': 'false-or-object', 'probes': 'object',
      'probes.readiness': 'instance', 'probes.liveness': 'instance', 'security': 'object', 'security.runAsUser': 'number',
      'security.readOnlyRootFilesystem': 'boolean', 'shutdown': 'object', 'shutdown.preStopDelaySeconds': 'number', 'shutdown.preStopMode': 'enum',
      'autoscaling': 'object', 'autoscaling.maxReplicas': 'number', 'autoscaling.minReplicas': 'number', 'autoscaling.cpuUtilization': 'number',
      'route': 'object', 'route.paths': 'array', 'route.paths.0': 'string', 'route.pathType': 'enum', 'route.tls': 'instance',
      'route.sslRedirect': 'boolean', 'route.proxyBodySize': 'string', 'route.longLivedConnections': 'boolean', 'route.proxyReadTimeoutSeconds': 'number',
      'route.annotations': 'map', 'route.annotations.a': 'string', 'disruptionBudget': 'false-or-object', 'disruptionBudget.maxUnavailable': 'number-or-string', 'updateStrategy': 'instance',
      'networkPolicy': 'false-or-object', 'networkPolicy.allowFrom': 'array', 'networkPolicy.allowFrom.0': 'object',
      'networkPolicy.allowFrom.0.namespace': 'string', 'dns': 'false-or-object', 'dns.ttl': 'number', 'dns.provider': 'instance', 'dns.recordType': 'enum',
    },
    required: ['image', 'host', 'autoscaling.maxReplicas'],
  },
  IngressVip: {
    base: () => ({
      address: '192.0.2.10', name: 'vip', namespace: 'ingress-nginx', controllerLabels: { app: 'x' }, ingressClassName: 'nginx',
      controllerPorts: { http: 'http', https: 'https' }, loadBalancerSourceRanges: ['10.0.0.0/8'], loadBalancerClass: 'metallb.io/metallb',
      annotations: { a: 'b' },
    }),
    build: props => {
      const app = Testing.app();
      const chart = new Chart(app, 'platform');
      new IngressVip(chart, 'IngressVip', props);
      Testing.synth(chart);
    },
    positions: {
      'controller': 'instance', 'address': 'string', 'addressMode': 'enum', 'name': 'string', 'namespace': 'string', 'controllerLabels': 'map',
      'controllerLabels.app': 'string', 'ingressClassName': 'string', 'controllerPorts': 'object', 'controllerPorts.http': 'string',
      'externalTrafficPolicy': 'enum', 'loadBalancerSourceRanges': 'array', 'loadBalancerSourceRanges.0': 'string', 'loadBalancerClass': 'string',
      'annotations': 'map', 'annotations.a': 'string',
    },
    required: ['address', 'controllerPorts.http'],
  },
  Gateway: {
    base: () => ({
      implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20', name: 'web', namespace: 'gateway', gatewayClassName: 'eg',
      wildcardListener: { hostname: '*.example.com', certificate: TlsCertificate.fromSecret('w') }, routeNamespaceLabels: { a: 'b' },
      dataPlane: { namespace: 'gw', podLabels: { a: 'b' } }, annotations: { a: 'b' },
    }),
    build: props => {
      const app = Testing.app();
      const chart = new Chart(app, 'platform');
      new Gateway(chart, 'Gateway', props);
      Testing.synth(chart);
    },
    positions: {
      'implementation': 'instance', 'address': 'string', 'addressMode': 'enum', 'name': 'string', 'namespace': 'string', 'gatewayClassName': 'string',
      'wildcardListener': 'object', 'wildcardListener.hostname': 'string', 'wildcardListener.certificate': 'instance', 'routeNamespaceLabels': 'map',
      'routeNamespaceLabels.a': 'string', 'dataPlane': 'object', 'dataPlane.namespace': 'string', 'dataPlane.podLabels': 'map', 'annotations': 'map',
    },
    required: ['implementation', 'address', 'wildcardListener.hostname', 'wildcardListener.certificate', 'dataPlane.namespace', 'dataPlane.podLabels'],
  },
  ExistingGateway: {
    base: () => ({
      name: 'shared', namespace: 'infra', listeners: { http: 'http', https: 'https' }, address: '192.0.2.30',
      implementation: GatewayImplementation.istio(), routeNamespaceLabels: { a: 'b' },
    }),
    build: props => new ExistingGateway(new Chart(Testing.app(), 'platform'), 'Shared', props),
    positions: {
      'name': 'string', 'namespace': 'string', 'listeners': 'object', 'listeners.http': 'string', 'address': 'string',
      'implementation': 'instance', 'dataPlane': 'object', 'routeNamespaceLabels': 'map',
    },
    required: ['name', 'namespace', 'listeners'],
  },
  DnsRecord: {
    base: () => ({ hostName: 'www.example.com', ttl: 60, objectName: 'www', namespace: 'web', labels: { a: 'b' } }),
    build: props => {
      const app = Testing.app();
      const { vip } = platform(app);
      const chart = new Chart(app, 'dns');
      new DnsRecord(chart, 'Www', { entryPoint: vip, ...props });
      Testing.synth(chart);
    },
    positions: {
      'hostName': 'string', 'provider': 'instance', 'ttl': 'number', 'recordType': 'enum', 'objectName': 'string', 'namespace': 'string',
      'labels': 'map', 'route': 'instance',
    },
    required: ['hostName'],
  },
  DnsZone: {
    base: () => ({
      zoneName: 'example.com', soa: { primaryNameServer: 'ns1.example.net', hostmaster: 'h@example.com', serial: 1 },
      nameServers: ['ns1.example.net'], defaultTtl: 60, fileName: 'z.zone',
    }),
    build: props => new DnsZone(new Chart(Testing.app(), 'platform'), 'Zone', props),
    positions: {
      'zoneName': 'string', 'soa': 'object', 'soa.primaryNameServer': 'string', 'soa.serial': 'number', 'soa.refreshSeconds': 'number',
      'nameServers': 'array', 'nameServers.0': 'string', 'defaultTtl': 'number', 'fileName': 'string',
    },
    required: ['zoneName', 'soa.primaryNameServer', 'soa.hostmaster', 'soa.serial'],
  },
  Route53HostedZone: {
    base: () => ({ hostedZoneId: 'Z0123456789', zoneName: 'example.com', stackName: 'dns' }),
    build: props => new Route53HostedZone(new Chart(Testing.app(), 'platform'), 'Zone', props),
    positions: { hostedZoneId: 'string', zoneName: 'string', stackName: 'string' },
    required: ['hostedZoneId', 'zoneName'],
  },
};

/** Runs `build`; returns the WebStackError it threw, undefined when it built, and fails on any other error. */
function outcome(build: () => void): WebStackError | undefined {
  try {
    build();
    return undefined;
  } catch (error) {
    if (error instanceof WebStackError) {
      return error;
    }
    // A synth-time check reports through cdk8s's validation error, which names the construct.
    if (error instanceof Error && /^Validation failed with the following errors/.test(error.message)) {
      return new WebStackError('(synth)', '(synth)', undefined, error.message, '');
    }
    throw new Error(`not a WebStackError: ${(error as Error)?.stack ?? String(error)}`);
  }
}

describe.each(Object.entries(SUBJECTS))('%s', (_, subject) => {
  test('its valid baseline builds', () => {
    expect(outcome(() => subject.build(subject.base()))).toBeUndefined();
  });

  test.each(Object.entries(subject.positions))('%s: every JavaScript value gives a WebStackError naming it, or is of the declared type', (position, declared) => {
    for (const [label, value] of VALUES) {
      const error = outcome(() => subject.build(withValue(subject.base(), position, value)));
      if (error === undefined) {
        const allowed = value === undefined ? !subject.required.includes(position) : accepts(declared, value);
        expect({ position, value: label, accepted: true, allowed }).toEqual({ position, value: label, accepted: true, allowed: true });
      } else if (error.prop !== '(synth)' && value !== undefined && !accepts(declared, value)) {
        // A value of the wrong type is refused naming its position (or a part of it, or the
        // props as a whole); a value of the right type may break a rule that spans props.
        const root = position.split('.')[0];
        expect({ position, value: label, prop: error.prop, names: error.prop.startsWith(root) || error.prop === 'props' })
          .toEqual({ position, value: label, prop: error.prop, names: true });
      }
    }
  });

  test('a misspelt prop is refused, and the message offers the right one', () => {
    const [first] = Object.keys(subject.positions);
    const misspelt = `${first.split('.')[0]}s`;
    const error = outcome(() => subject.build({ ...subject.base(), [misspelt]: 1 }));
    expect(error?.message).toMatch(new RegExp(`'${misspelt}' \\(1\\) is not a prop of \\w+; did you mean '${first.split('.')[0]}'\\?`));
  });
});

test('arbitrary JSON at any position of WebApp: a WebStackError or valid output, never another error', () => {
  const positions = Object.keys(SUBJECTS.WebApp.positions);
  fc.assert(fc.property(fc.constantFrom(...positions), fc.jsonValue(), (position, value) => {
    outcome(() => SUBJECTS.WebApp.build(withValue(SUBJECTS.WebApp.base(), position, value)));
  }));
});

test('factories check their arguments where they are called', () => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => TlsCertificate.fromSecret('x', 'ns' as any), /^TlsCertificate.fromSecret\(\): 'options' \("ns"\) is not the options object/],
    [() => TlsCertificate.fromSecret(undefined as any), /^TlsCertificate.fromSecret\(\): 'secretName' \(null\) is not a string/],
    [() => TlsCertificate.fromClusterIssuer(7 as any), /^TlsCertificate.fromClusterIssuer\(\): 'issuerName' \(7\) is not a string/],
    [() => GatewayImplementation.traefik({ port: 8000 } as any), /^GatewayImplementation.traefik\(\): 'options.port' \(8000\) is not a prop of TraefikOptions; did you mean 'options.ports'\?/],
    [() => GatewayImplementation.envoyGateway({ gatewayNamespaceMode: 'yes' } as any), /'options.gatewayNamespaceMode' \("yes"\) is not a boolean/],
    [() => DnsProvider.zoneFile('example.com' as any), /^DnsProvider.zoneFile\(\): 'zone' \("example.com"\) is not a DnsZone; pass the DnsZone construct/],
    [() => DnsProvider.route53(undefined as any), /^DnsProvider.route53\(\): 'zone' \(null\) is not a Route53HostedZone/],
  ];
  for (const [build, message] of cases) {
    expect(outcome(build as () => void)?.message).toMatch(message);
  }
  expect(IngressController.haproxy()).toBeInstanceOf(IngressController);
});

test('the seed\'s prop names point at their new ones', () => {
  const app = Testing.app();
  const { vip } = platform(app);
  expect(outcome(() => new WebApp(new Chart(app, 'web'), 'shop', { vip, image: IMAGE, host: 'shop.example.com' } as any))?.message)
    .toMatch(/^web\/shop: 'vip' \(.*\) is not a prop of WebAppProps; did you mean 'entryPoint'\?/);
  expect(outcome(() => new WebApp(new Chart(app, 'web2'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', ingress: {} } as any))?.message)
    .toMatch(/'ingress' \(\{\}\) is not a prop of WebAppProps; did you mean 'route'\?/);
});

test.each([
  [{ route: { tlss: 1 } }, /'route.tlss' \(1\) is not a prop of RouteOptions; did you mean 'route.tls'\?/],
  [{ resources: { cpu: { requests: '1' } } }, /'resources.cpu.requests' \("1"\) is not a prop of ResourceQuantities; did you mean 'resources.cpu.request'\?/],
  [{ autoscaling: { maxReplica: 5 } }, /'autoscaling.maxReplica' \(5\) is not a prop of AutoscalingOptions; did you mean 'autoscaling.maxReplicas'\?/],
  [{ networkPolicy: { allowFrom: [{ namespac: 'x' }] } }, /'networkPolicy.allowFrom\[0\].namespac' \("x"\) is not a prop of NetworkPeer; did you mean 'networkPolicy.allowFrom\[0\].namespace'\?/],
  [{ dns: { TTL: 60 } }, /'dns.TTL' \(60\) is not a prop of DnsOptions; did you mean 'dns.ttl'\?/],
  [{ probes: { readyness: Probe.httpGet('/r') } }, /'probes.readyness' .* is not a prop of ProbesOptions; did you mean 'probes.readiness'\?/],
])('a misspelt prop at any depth names the closest known one: %j', (props, message) => {
  expect(outcome(() => SUBJECTS.WebApp.build({ ...SUBJECTS.WebApp.base(), ...props }))?.message).toMatch(message);
});

describe('a construct called without its props object', () => {
  test.each(['WebApp', 'Gateway', 'ExistingGateway', 'DnsRecord', 'DnsZone', 'Route53HostedZone'])('%s names the missing props and what they need, no TypeError', name => {
    const constructs: Record<string, new (scope: Chart, id: string) => unknown> = {
      WebApp, Gateway, ExistingGateway, DnsRecord, DnsZone, Route53HostedZone,
    } as any;
    const chart = new Chart(Testing.app(), 'c');
    let error: unknown;
    try {
      new constructs[name](chart, 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebStackError);
    expect((error as WebStackError).prop).toBe('props');
    expect((error as Error).message).toMatch(/^c\/x: 'props' \(undefined\) are missing: \w+Props needs \w+.*; pass the \w+Props object as the third argument$/);
  });

  test('IngressVip, whose props are all optional, takes none', () => {
    expect(() => new IngressVip(new Chart(Testing.app(), 'c'), 'x')).toThrow(/'address' \(undefined\) is required with addressMode metallb/);
  });

  test('a fix for a value that should have been a string is one the user can type', () => {
    const app = Testing.app();
    const { vip } = platform(app);
    const build = (value: unknown) => () => new WebApp(new Chart(app, `c${Math.random()}`.replace('.', '')), 'shop', {
      entryPoint: vip, image: IMAGE, host: 'shop.example.com', env: { X: EnvValue.fromValue(value as any) },
    });
    expect(build({ a: 1 })).toThrow(/write it as a string: EnvValue\.fromValue\(JSON\.stringify\(\.\.\.\)\) for structured data$/);
    expect(build(8080)).toThrow(/write it as a string: EnvValue\.fromValue\('8080'\)$/);
    expect(() => build({ a: 1 })()).not.toThrow(/object Object/);
  });
});

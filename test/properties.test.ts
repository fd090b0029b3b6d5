/**
 * Property-based tests: any valid props give schema-valid, consistent, deterministic manifests;
 * any invalid value from the catalogue gives one clear WebStackError and no output.
 *
 * Seeded, so every run checks the same cases. More cases, or another seed:
 *   FC_RUNS=2000 FC_SEED=7 npx jest test/properties.test.ts
 */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DnsRecordType, EnvValue, Gateway, GatewayAddressMode, GatewayImplementation, IngressVip, IngressVipProps, MetricsMonitor, PathType, Probe,
  SidecarMode, TlsCertificate, VipAddressMode, WebApp, WebAppProps, WebStackError,
} from '../lib';
import { formatValue } from '../lib/core/errors';
import { schemaErrors } from './_schema';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123), numRuns: Number(process.env.FC_RUNS ?? 60) });

// ---- valid props ----------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,14}[a-z0-9])?$/);
const appName = label;
const host = fc.array(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 3 })
  .map(labels => [...labels, 'example', 'com'].join('.'))
  .filter(h => h.length <= 253);
const tag = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/).filter(t => t !== 'latest');
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map(h => `sha256:${h}`);
const image = fc.tuple(fc.constantFrom('registry.example.com', 'localhost:5000', 'r.internal.example.com'),
  fc.array(fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)?$/), { minLength: 1, maxLength: 3 }),
  fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }))
  .filter(([, , t, d]) => t !== undefined || d !== undefined)
  .map(([registry, path, t, d]) => `${registry}/${path.join('/')}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`);
/** An IPv6 address a cluster can use: not IPv4-mapped (`::ffff:a.b.c.d`), which the library refuses. */
const ipV6 = fc.ipV6().filter(a => !new URL(`http://[${a}]/`).hostname.startsWith('[::ffff:'));
const vipProps: fc.Arbitrary<IngressVipProps> = fc.record({
  address: fc.oneof(fc.ipV4(), ipV6),
  addressMode: fc.constantFrom(VipAddressMode.METALLB, VipAddressMode.KUBE_VIP, VipAddressMode.LEGACY_SPEC_FIELD),
  namespace: fc.constantFrom('ingress-nginx', 'ingress', 'edge-system'),
  ingressClassName: fc.constantFrom('nginx', 'public', 'internal'),
});
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/);
const envValue = fc.oneof(
  fc.string({ maxLength: 20 }).map(v => EnvValue.fromValue(v)),
  fc.tuple(label, fc.stringMatching(/^[a-z0-9._-]{1,10}$/)).map(([n, k]) => EnvValue.fromSecret(n, k)),
  fc.tuple(label, fc.stringMatching(/^[a-z0-9._-]{1,10}$/)).map(([n, k]) => EnvValue.fromConfigMap(n, k)),
);
const scaling = fc.oneof(
  fc.integer({ min: 0, max: 10 }).map(replicas => ({ replicas })),
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 10, max: 95 }))
    .map(([min, extra, cpu]) => ({ autoscaling: { minReplicas: min, maxReplicas: min + extra, cpuUtilization: cpu } })),
);
const mebibytes = fc.tuple(fc.integer({ min: 16, max: 4096 }), fc.integer({ min: 0, max: 4096 }))
  .map(([request, extra]) => ({ request: `${request}Mi`, limit: `${request + extra}Mi` }));
const millicores = fc.tuple(fc.integer({ min: 10, max: 4000 }), fc.integer({ min: 0, max: 4000 }))
  .map(([request, extra]) => ({ request: `${request}m`, limit: `${request + extra}m` }));
// Paths an Ingress and an HTTPRoute accept: no empty segment ('//').
const paths = fc.uniqueArray(fc.stringMatching(/^\/[a-z0-9/_-]{0,12}$/).filter(p => !p.includes('//')), { minLength: 1, maxLength: 3 });

const appProps = fc.record({
  name: appName,
  host,
  image,
  port: fc.integer({ min: 1, max: 65535 }),
  env: fc.dictionary(envName, envValue, { maxKeys: 4 }),
  resources: fc.record({ cpu: millicores, memory: mebibytes, ephemeralStorage: mebibytes }),
  scaling,
  paths,
  tls: fc.option(fc.oneof(label.map(s => TlsCertificate.fromSecret(s)), label.map(i => TlsCertificate.fromClusterIssuer(i))), { nil: undefined }),
  readiness: fc.stringMatching(/^\/[a-z]{1,8}$/),
  ttl: fc.integer({ min: 1, max: 86400 }),
});

type Generated = { vip: IngressVipProps; app: typeof appProps extends fc.Arbitrary<infer T> ? T : never };

function build(g: Generated) {
  const app = Testing.app();
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', g.vip);
  const chart = new Chart(app, 'web');
  const props: WebAppProps = {
    entryPoint: vip,
    name: g.app.name,
    host: g.app.host,
    image: g.app.image,
    port: g.app.port,
    env: g.app.env,
    resources: g.app.resources,
    ...g.app.scaling,
    probes: { readiness: Probe.httpGet(g.app.readiness), liveness: Probe.httpGet('/livez') },
    route: { paths: g.app.paths, tls: g.app.tls },
    dns: { ttl: g.app.ttl },
  };
  const web = new WebApp(chart, 'app', props);
  return { app, vip, chart, web, docs: [...Testing.synth(vip.node.scope as Chart), ...Testing.synth(chart)] };
}

const generated = fc.record({ vip: vipProps, app: appProps });

describe('any valid props', () => {
  test('give manifests that pass the schema validators', () => {
    fc.assert(fc.property(generated, g => {
      expect(build(g).docs.flatMap(schemaErrors)).toEqual([]);
    }));
  });

  test('give internally consistent manifests', () => {
    fc.assert(fc.property(generated, g => {
      const { docs } = build(g);
      const one = (kind: string) => docs.filter(d => d.kind === kind && d.metadata.name === g.app.name);
      const [deployment] = one('Deployment');
      const [service] = one('Service');
      const [ingress] = one('Ingress');
      const [endpoint] = one('DNSEndpoint');
      const vipService = docs.find(d => d.spec?.type === 'LoadBalancer');
      const podLabels = deployment.spec.template.metadata.labels;
      const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);

      expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
      expect(selects(service.spec.selector)).toBe(true);
      expect(service.spec.ports.map((p: any) => p.targetPort)).toEqual([deployment.spec.template.spec.containers[0].ports[0].name]);
      for (const path of ingress.spec.rules[0].http.paths) {
        expect(path.backend.service.name).toBe(service.metadata.name);
        expect(service.spec.ports.map((p: any) => p.name)).toContain(path.backend.service.port.name);
      }
      expect(ingress.spec.ingressClassName).toBe(g.vip.ingressClassName);
      expect(endpoint.spec.endpoints[0].dnsName).toBe(ingress.spec.rules[0].host);
      expect(endpoint.spec.endpoints[0].targets).toEqual([g.vip.address]);
      expect(endpoint.spec.endpoints[0].recordType).toBe(g.vip.address!.includes(':') ? 'AAAA' : 'A');
      expect((ingress.spec.tls ?? []).flatMap((t: any) => t.hosts)).toEqual(g.app.tls ? [g.app.host] : []);
      for (const hpa of one('HorizontalPodAutoscaler')) {
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
        expect(deployment.spec.replicas).toBeUndefined();
      }
      for (const pdb of one('PodDisruptionBudget')) {
        expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
        expect(pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
      }
      for (const policy of one('NetworkPolicy')) {
        expect(selects(policy.spec.podSelector.matchLabels)).toBe(true);
        expect(policy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(vipService.spec.selector);
      }
    }));
  });

  test('are byte-identical when synthesized twice', () => {
    fc.assert(fc.property(generated, g => {
      expect(JSON.stringify(build(g).docs)).toBe(JSON.stringify(build(g).docs));
    }));
  });
});

// ---- invalid values -------------------------------------------------------------------------

/** A valid base app, for the catalogue to break one prop of. */
// ---- valid props behind a Gateway -------------------------------------------------------------

const implementation = fc.constantFrom(
  ['envoyGateway', GatewayAddressMode.METALLB], ['envoyGateway', GatewayAddressMode.KUBE_VIP], ['nginxGatewayFabric', GatewayAddressMode.METALLB],
  ['istio', GatewayAddressMode.ADDRESSES], ['istio', GatewayAddressMode.METALLB], ['traefik', GatewayAddressMode.PINNED_ELSEWHERE],
) as fc.Arbitrary<[ 'envoyGateway' | 'nginxGatewayFabric' | 'istio' | 'traefik', GatewayAddressMode]>;
const gatewayApp = fc.record({
  name: appName,
  host,
  paths,
  exact: fc.boolean(),
  tls: fc.constantFrom('none', 'issuer', 'secret-here', 'secret-beside-gateway'),
  redirect: fc.boolean(),
  timeout: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }),
  longLived: fc.boolean(),
});
const gatewayStack = fc.record({
  implementation,
  address: fc.oneof(fc.ipV4(), ipV6),
  namespace: fc.constantFrom('gateway', 'edge', 'infra'),
  apps: fc.uniqueArray(gatewayApp, { minLength: 1, maxLength: 4, selector: a => a.name })
    .filter(apps => new Set(apps.map(a => a.host)).size === apps.length),
});

function buildGateway(g: typeof gatewayStack extends fc.Arbitrary<infer T> ? T : never) {
  const app = Testing.app();
  const [preset, addressMode] = g.implementation;
  const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', {
    implementation: GatewayImplementation[preset](), address: g.address, addressMode, namespace: g.namespace,
  });
  const chart = new Chart(app, 'web');
  const tls = (kind: string) => kind === 'issuer' ? TlsCertificate.fromClusterIssuer('letsencrypt')
    : kind === 'secret-here' ? TlsCertificate.fromSecret('cert')
      : kind === 'secret-beside-gateway' ? TlsCertificate.fromSecret('cert', { namespace: g.namespace }) : undefined;
  // cert-manager on the Gateway and existing Secrets beside it do not mix: the library refuses it.
  const issued = g.apps.some(a => a.tls === 'issuer');
  // Where HTTPRoute timeouts are ignored they are an error, and so are long-lived connections
  // where the implementation's own default cuts them (NGINX Gateway Fabric).
  const { honoured, cutsLongLived } = gateway.implementation.timeouts;
  const apps = g.apps.map(a => new WebApp(chart, a.name, {
    entryPoint: gateway, image: 'registry.example.com/team/app:1.0.0', host: a.host,
    route: {
      paths: a.paths, pathType: a.exact ? PathType.EXACT : PathType.PREFIX,
      tls: tls(issued && a.tls === 'secret-beside-gateway' ? 'secret-here' : a.tls),
      ...(a.tls !== 'none' ? { sslRedirect: a.redirect } : {}),
      ...(a.longLived && cutsLongLived === undefined ? { longLivedConnections: true } : { requestTimeoutSeconds: honoured ? a.timeout : undefined }),
    },
  }));
  return { gateway, apps, docs: app.charts.flatMap(c => Testing.synth(c)) };
}

describe('any valid props behind a Gateway', () => {
  test('give Gateway API objects that pass the v1.6.1 CRD schemas, and consistent routes', () => {
    fc.assert(fc.property(gatewayStack, g => {
      const { gateway, apps, docs } = buildGateway(g);
      expect(docs.flatMap(schemaErrors)).toEqual([]);
      const gw = docs.find(d => d.kind === 'Gateway');
      const listeners = new Map<string, any>(gw.spec.listeners.map((l: any) => [l.name, l]));
      expect(listeners.size).toBe(gw.spec.listeners.length);
      expect(gw.spec.listeners.every((l: any) => l.allowedRoutes.namespaces.from === 'Selector')).toBe(true);
      const { honoured, cutsLongLived } = gateway.implementation.timeouts;
      for (const [i, web] of apps.entries()) {
        const routes = docs.filter(d => d.kind === 'HTTPRoute' && d.metadata.namespace === web.namespace);
        // Timeouts on the main route only, and only where the implementation honours them.
        const { longLived, timeout } = g.apps[i];
        const request = longLived && cutsLongLived === undefined ? '0s' : timeout !== undefined ? `${timeout}s` : undefined;
        expect(routes.map(r => r.spec.rules[0].timeouts).filter(t => t !== undefined)).toEqual(honoured && request ? [{ request }] : []);
        const namespace = docs.find(d => d.kind === 'Namespace' && d.metadata.name === web.namespace);
        expect(namespace.metadata.labels).toMatchObject(gateway.routeNamespaceLabels);
        for (const route of routes) {
          expect(route.spec.hostnames).toEqual([web.host]);
          for (const parent of route.spec.parentRefs) {
            expect([parent.name, parent.namespace]).toEqual([gateway.name, gateway.namespace]);
            const listener = listeners.get(parent.sectionName);
            expect(listener).toBeDefined();
            expect([undefined, web.host]).toContain(listener.hostname);
          }
          for (const backend of route.spec.rules.flatMap((r: any) => r.backendRefs ?? [])) {
            expect(backend).toEqual({ name: web.name, port: 80 });
          }
        }
        const endpoint = docs.find(d => d.kind === 'DNSEndpoint' && d.metadata.namespace === web.namespace);
        expect(endpoint.spec.endpoints[0].targets).toEqual([g.address]);
        const policy = docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === web.namespace);
        expect(policy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(gateway.dataPlane!.podLabels);
      }
    }));
  });

  test('are byte-identical when synthesized twice', () => {
    fc.assert(fc.property(gatewayStack, g => {
      expect(JSON.stringify(buildGateway(g).docs)).toBe(JSON.stringify(buildGateway(g).docs));
    }));
  });
});

const BASE: Generated = {
  vip: { address: '192.0.2.10' },
  app: {
    name: 'shop', host: 'shop.example.com', image: 'registry.example.com/team/shop:1.4.2', port: 8080, env: {},
    resources: { cpu: { request: '100m', limit: '1' }, memory: { request: '256Mi', limit: '256Mi' }, ephemeralStorage: { request: '128Mi', limit: '1Gi' } },
    scaling: { replicas: 2 }, paths: ['/'], tls: undefined, readiness: '/readyz', ttl: 300,
  },
};

interface Entry {
  /** The prop as the message names it. */
  readonly prop: string;
  readonly values: fc.Arbitrary<unknown>;
  /** Builds the stack with `value` in place. */
  readonly apply: (value: any) => unknown;
  /** The construct path in the message. */
  readonly path?: string;
  /** The value the message shows, when it is not the generated one. */
  readonly shown?: (value: any) => unknown;
}

const upper = (a: fc.Arbitrary<string>) => a.filter(s => /[a-z]/.test(s)).map(s => s.toUpperCase());
const badNames = fc.oneof(
  upper(label), label.map(s => `${s}_x`), label.map(s => `-${s}`), label.map(s => `${s}-`),
  fc.constant(''), fc.stringMatching(/^[a-z]{64,80}$/), fc.ipV4(),
);
const badHosts = fc.oneof(
  upper(host), host.map(h => `my_${h}`), host.map(h => `-${h}`), host.map(h => h.replace('.', '-.')),
  fc.stringMatching(/^[a-z]{64,70}$/).map(l => `${l}.example.com`),
  fc.array(fc.stringMatching(/^[a-z]{63}$/), { minLength: 4, maxLength: 5 }).map(ls => `${ls.join('.')}.com`),
  fc.ipV4(), fc.ipV6(), fc.constant(''), fc.constant('shop'),
);
const badPorts = fc.oneof(fc.constant(0), fc.constant(65536), fc.integer({ max: -1 }), fc.integer({ min: 65536 }),
  fc.double({ min: 1, max: 65535, noNaN: true }).filter(n => !Number.isInteger(n)));
const badQuantities = fc.oneof(fc.constant('1.5.0Gi'), fc.constant('-1'), fc.constant('10XB'), fc.constant(''), fc.constant('0'),
  fc.integer({ min: 1 }).map(n => `-${n}Mi`), fc.stringMatching(/^[0-9]{1,3}[A-Z]B$/).filter(s => !/(KB|MB)$/.test(s) || true));
const badImages = fc.oneof(
  fc.constant('registry.example.com/team/shop'), fc.constant('registry.example.com/team/shop:latest'),
  fc.stringMatching(/^[a-f0-9]{1,63}$/).map(h => `registry.example.com/shop@sha256:${h}`),
  fc.stringMatching(/^[A-F0-9]{64}$/).filter(h => /[A-F]/.test(h)).map(h => `registry.example.com/shop@sha256:${h}`),
  fc.constant('registry.example.com/Team/Shop:1.0'), fc.constant('shop:1.0'), fc.constant(''),
);
const badCidrs = fc.oneof(fc.constant('10.0.0.0/33'), fc.constant('10.0.0.0'), fc.constant('2001:db8::/129'), fc.constant('not-a-cidr'),
  fc.ipV4().map(ip => `${ip}/x`), fc.constant('fe80::%eth0/64'),
  // Host bits set, which the API server refuses.
  fc.tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 8, max: 24 })).map(([host, length]) => `10.0.0.${host}/${length}`),
  fc.integer({ min: 1, max: 0xffff }).map(word => `2001:db8::${word.toString(16)}/64`));
const badIps = fc.oneof(fc.constant('192.0.2.300'), fc.constant('192.0.2.10/32'), host, fc.constant(''), fc.constant('1.2.3'),
  fc.constant('fe80::1%eth0'), fc.ipV4().map(ip => `::ffff:${ip}`));
const badRoutePaths = fc.oneof(fc.constant('/a//b'), fc.constant('/a/./b'), fc.constant('/a/../b'), fc.constant('/a%2Fb'), fc.constant('/a%2fb'),
  fc.constant('/a/.'), fc.constant('/a/..'), fc.constant('api'), fc.stringMatching(/^\/[a-z]{1,5}$/).map(p => `${p}//`));

function withApp(patch: (g: Generated) => Generated) {
  return () => build(patch(structuredClone({ ...BASE, app: { ...BASE.app, tls: undefined } })));
}

function withProps(extra: Partial<WebAppProps>) {
  const app = Testing.app();
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  new WebApp(new Chart(app, 'web'), 'app', { entryPoint: vip, image: BASE.app.image, host: BASE.app.host, name: 'shop', ...extra });
}

const CATALOGUE: Record<string, Entry> = {
  'app name': { prop: 'name', values: badNames, apply: v => withApp(g => ({ ...g, app: { ...g.app, name: v } }))() },
  'host': { prop: 'host', values: badHosts, apply: v => withApp(g => ({ ...g, app: { ...g.app, host: v } }))() },
  'namespace': { prop: 'namespace.name', values: badNames, apply: v => withProps({ namespace: { name: v } }) },
  'port': { prop: 'port', values: badPorts, apply: v => withApp(g => ({ ...g, app: { ...g.app, port: v } }))() },
  'replicas': { prop: 'replicas', values: fc.integer({ max: -1 }), apply: v => withProps({ replicas: v }) },
  'min above max': {
    prop: 'autoscaling.minReplicas', values: fc.integer({ min: 2, max: 100 }),
    apply: v => withProps({ autoscaling: { minReplicas: v, maxReplicas: v - 1 } }),
  },
  'memory quantity': { prop: 'resources.memory.request', values: badQuantities, apply: v => withProps({ resources: { memory: { request: v } } }) },
  'cpu quantity': { prop: 'resources.cpu.limit', values: badQuantities, apply: v => withProps({ resources: { cpu: { limit: v } } }) },
  'image': { prop: 'image', values: badImages, apply: v => withApp(g => ({ ...g, app: { ...g.app, image: v } }))() },
  'source range': {
    prop: 'loadBalancerSourceRanges[0]', values: badCidrs, path: 'platform/IngressVip',
    apply: v => new IngressVip(new Chart(Testing.app(), 'platform'), 'IngressVip', { address: '192.0.2.10', loadBalancerSourceRanges: [v] }),
  },
  'network peer CIDR': { prop: 'networkPolicy.allowFrom[0].cidr', values: badCidrs, apply: v => withProps({ networkPolicy: { allowFrom: [{ cidr: v }] } }) },
  'VIP address': {
    prop: 'address', values: badIps, path: 'platform/IngressVip',
    apply: v => new IngressVip(new Chart(Testing.app(), 'platform'), 'IngressVip', { address: v }),
  },
  'A record for an IPv6 VIP': {
    prop: 'recordType', values: ipV6, path: 'web/app/DnsRecord', shown: () => DnsRecordType.A,
    apply: v => {
      const app = Testing.app();
      const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: v });
      new WebApp(new Chart(app, 'web'), 'app', { entryPoint: vip, image: BASE.app.image, host: BASE.app.host, name: 'shop', dns: { recordType: DnsRecordType.A } });
    },
  },
  'env name': { prop: 'env', values: fc.oneof(fc.stringMatching(/^[0-9][A-Z0-9_]{0,8}$/), fc.stringMatching(/^[A-Z]{1,5}[-.][A-Z]{1,5}$/), fc.constant('')), apply: v => withProps({ env: { [v]: EnvValue.fromValue('x') } }) },
  'route path': { prop: 'route.paths[0]', values: badRoutePaths, apply: v => withProps({ route: { paths: [v] } }) },
  'env value that is not a string': {
    prop: 'env["A"]', values: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), shown: v => v,
    apply: v => withProps({ env: { A: EnvValue.fromValue(v as any) } }),
  },
  'probe path': { prop: 'probes.readiness.path', values: fc.oneof(fc.stringMatching(/^[a-z]{1,10}$/), fc.constant(''), fc.constant('/a b')), apply: v => withProps({ probes: { readiness: Probe.httpGet(v) } }) },
};

describe('any invalid value from the catalogue', () => {
  test.each(Object.keys(CATALOGUE))('%s: a WebStackError naming the path, the prop and the value; never a TypeError or output', (key) => {
    const entry = CATALOGUE[key];
    fc.assert(fc.property(entry.values, value => {
      let thrown: unknown;
      try {
        entry.apply(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(WebStackError);
      const error = thrown as WebStackError;
      expect(error.message.startsWith(`${entry.path ?? 'web/app'}: '${entry.prop}`)).toBe(true);
      if (entry.prop !== 'env') {
        const shown = entry.shown ? entry.shown(value) : value;
        expect(error.value).toEqual(shown);
        expect(error.message).toContain(`(${formatValue(shown)})`);
      } else {
        expect(error.prop).toBe(`env[${JSON.stringify(value)}]`);
      }
      expect(error.message).toMatch(/; \S/);
    }));
  });

  test('duplicate apps with the same name in one namespace: synth names both, writes nothing', () => {
    fc.assert(fc.property(appName, name => {
      const app = Testing.app();
      const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
      const chart = new Chart(app, 'web');
      new WebApp(chart, 'one', { entryPoint: vip, name, image: BASE.app.image, host: 'one.example.com' });
      new WebApp(chart, 'two', { entryPoint: vip, name, image: BASE.app.image, host: 'two.example.com' });
      expect(() => Testing.synth(chart)).toThrow(`duplicate objects: web/one and web/two both render Namespace "${name}", Deployment "${name}" in namespace "${name}",`);
    }));
  });

  test('a TLS host different from the Ingress host: synth names both hosts', () => {
    fc.assert(fc.property(host, host, (ours, other) => {
      fc.pre(ours !== other);
      const app = Testing.app();
      const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
      const chart = new Chart(app, 'web');
      const web = new WebApp(chart, 'app', { entryPoint: vip, image: BASE.app.image, host: ours, route: { tls: TlsCertificate.fromSecret('tls') } });
      web.route.addJsonPatch(JsonPatch.replace('/spec/tls/0/hosts/0', other));
      expect(() => Testing.synth(chart)).toThrow(`Ingress rule and TLS hosts are ${ours}, ${other}, but the app's host is "${ours}"`);
    }));
  });
});

// ---- valid props of the second week: config, volumes, containers, metrics, companions, hosts ---

const fileName = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/).filter(n => n !== '.' && n !== '..');
const secondWeek = fc.record({
  files: fc.dictionary(fileName, fc.string({ maxLength: 40 }), { minKeys: 1, maxKeys: 3 }),
  scratchMi: fc.integer({ min: 1, max: 2048 }),
  inMemory: fc.boolean(),
  metricsPort: fc.integer({ min: 1024, max: 65535 }).filter(p => p !== 8080),
  monitor: fc.constantFrom(MetricsMonitor.SERVICE_MONITOR, MetricsMonitor.POD_MONITOR),
  workerReplicas: fc.integer({ min: 2, max: 10 }),
  minute: fc.integer({ min: 0, max: 59 }),
  hour: fc.integer({ min: 0, max: 23 }),
  native: fc.boolean(),
  otherHosts: fc.uniqueArray(host.filter(h => h !== 'shop.example.com'), { maxLength: 2 }),
  redirect: fc.boolean(),
});

function buildSecondWeek(g: typeof secondWeek extends fc.Arbitrary<infer T> ? T : never) {
  const app = Testing.app();
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  const chart = new Chart(app, 'web');
  const web = new WebApp(chart, 'shop', {
    entryPoint: vip, image: 'registry.example.com/team/shop:1.0.0', host: 'shop.example.com',
    otherHosts: g.otherHosts, redirectOtherHosts: g.redirect && g.otherHosts.length > 0,
    configFiles: [{ name: 'settings', mountPath: '/etc/shop', files: g.files }],
    secretFiles: [{ secretName: 'shop-tls-client', mountPath: '/etc/tls' }],
    scratchVolumes: [{ name: 'cache', mountPath: '/var/cache', sizeLimit: `${g.scratchMi}Mi`, inMemory: g.inMemory }],
    initContainers: [{ name: 'migrate', command: ['migrate'] }],
    sidecars: [{ name: 'logs', image: 'registry.example.com/infra/logs:1.0' }],
    sidecarMode: g.native ? SidecarMode.NATIVE : SidecarMode.PLAIN,
    serviceAccount: {},
    metrics: { port: g.metricsPort, monitor: g.monitor },
    workers: [{ name: 'orders', replicas: g.workerReplicas }],
    scheduledJobs: [{ name: 'nightly', schedule: `${g.minute} ${g.hour} * * *` }],
  });
  return { web, docs: [...Testing.synth(vip.node.scope as Chart), ...Testing.synth(chart)] };
}

describe('any valid props of config, containers, metrics, companions and hosts', () => {
  test('give schema-valid, consistent manifests', () => {
    fc.assert(fc.property(secondWeek, g => {
      const { web, docs } = buildSecondWeek(g);
      expect(docs.flatMap(schemaErrors)).toEqual([]);
      const app = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'shop');
      const worker = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'shop-orders');
      const service = docs.find(d => d.kind === 'Service' && d.spec.type === 'ClusterIP');
      const configMap = docs.find(d => d.kind === 'ConfigMap');
      // The mounted ConfigMap is the one emitted, with every file.
      expect(app.spec.template.spec.volumes.find((v: any) => v.configMap).configMap.name).toBe(configMap.metadata.name);
      expect(configMap.data).toEqual(g.files);
      // The app's Service never selects the worker's pods.
      expect(Object.entries(service.spec.selector).every(([k, v]) => worker.spec.template.metadata.labels[k] === v)).toBe(false);
      // The monitor scrapes a port the scraped object has.
      const monitor = docs.find(d => d.kind === g.monitor);
      const port = (monitor.spec.endpoints ?? monitor.spec.podMetricsEndpoints)[0].port;
      const ports = g.monitor === MetricsMonitor.SERVICE_MONITOR ? service.spec.ports : app.spec.template.spec.containers[0].ports;
      expect(ports.map((p: any) => p.name)).toContain(port);
      // Every host is routed (or redirected) and published.
      const routed = docs.filter(d => d.kind === 'Ingress').flatMap(i => i.spec.rules.map((r: any) => r.host)).sort();
      expect(routed).toEqual([...web.hosts].sort());
      expect(docs.filter(d => d.kind === 'DNSEndpoint').map(d => d.spec.endpoints[0].dnsName)).toEqual(web.hosts);
      // Every container of every workload runs with the one restricted security context.
      const contexts = docs.filter(d => ['Deployment', 'CronJob'].includes(d.kind))
        .map(d => (d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template : d.spec.template).spec)
        .flatMap((s: any) => [...s.containers, ...(s.initContainers ?? [])].map((c: any) => JSON.stringify(c.securityContext)));
      expect(new Set(contexts).size).toBe(1);
    }), { numRuns: Math.min(40, Number(process.env.FC_RUNS ?? 40)) });
  });

  test('are byte-identical when synthesized twice', () => {
    fc.assert(fc.property(secondWeek, g => {
      expect(JSON.stringify(buildSecondWeek(g).docs)).toBe(JSON.stringify(buildSecondWeek(g).docs));
    }), { numRuns: 20 });
  });

  test('invalid values of the new props give a WebStackError naming the prop', () => {
    const bad: Array<[Partial<WebAppProps>, string]> = [
      [{ scheduledJobs: [{ name: 'n', schedule: '61 * * *' }] }, 'scheduledJobs[0].schedule'],
      [{ scratchVolumes: [{ name: 'c', mountPath: '/tmp', sizeLimit: '1Gi' }] }, 'scratchVolumes[0].mountPath'],
      [{ metrics: { port: 8080, portName: 'prom' } }, 'metrics.portName'],
      [{ configFiles: [{ name: 'Bad Name', mountPath: '/x', files: { a: 'b' } }] }, 'configFiles[0].name'],
      [{ otherHosts: ['shop.example.com'] }, 'otherHosts[0]'],
      [{ workers: [{ name: 'w', replicas: -1 }] }, 'workers[0].replicas'],
    ];
    for (const [props, prop] of bad) {
      let thrown: unknown;
      try {
        withProps(props);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(WebStackError);
      expect((thrown as WebStackError).prop).toBe(prop);
    }
  });
});

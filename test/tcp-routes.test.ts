/** TCP routes (issue 23 part 2, TCP and TLS passthrough): a TCPRoute or TLSRoute behind a Gateway, a LoadBalancer Service behind an IngressVip. */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DnsProvider, ExistingGateway, ExternalTrafficPolicy, Gateway, GatewayImplementation, IngressVip, IngressVipProps, PortRouteOptions, TlsCertificate,
  VipAddressMode, WebApp, WebAppProps,
} from '../lib';
import { docs, errorOf, IMAGE } from './_fixtures';
import { schemaErrors } from './_schema';

const SSH_PORT = { name: 'ssh', port: 2222, servicePort: 22 };
const TLS_PORT = { name: 'imaps', port: 9993 };
const SSH: PortRouteOptions = { name: 'ssh', port: 'ssh', host: 'ssh.git.example.com', tcp: {} };
const byName = (all: any[], k: string, name: string) => all.find(d => d.kind === k && d.metadata.name === name);
const listener = (platform: Chart, name: string) => byName(docs(platform), 'Gateway', 'web').spec.listeners.find((l: any) => l.name === name);

function onGateway(props: Partial<WebAppProps>, implementation = GatewayImplementation.envoyGateway(), id = 'forge') {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const gateway = new Gateway(platform, 'Gateway', { implementation, address: '192.0.2.20' });
  const chart = new Chart(app, id);
  const web = new WebApp(chart, id, { entryPoint: gateway, image: IMAGE, host: 'git.example.com', ports: [SSH_PORT, TLS_PORT].filter(p => (props.routes ?? []).some(r => r.port === p.name)), ...props });
  return { app, platform, gateway, chart, web };
}

function onVip(props: Partial<WebAppProps>, vip: IngressVipProps = { address: '192.0.2.10' }) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const entryPoint = new IngressVip(platform, 'IngressVip', vip);
  const chart = new Chart(app, 'forge');
  const web = new WebApp(chart, 'forge', { entryPoint, image: IMAGE, host: 'git.example.com', ports: [SSH_PORT], ...props });
  return { app, platform, entryPoint, chart, web };
}

describe('TCP routes behind a Gateway', () => {
  test('a TCPRoute on a TCP listener of its own on the Service port, admitting TCPRoute only; its host gets a record at the Gateway', () => {
    const { platform, chart, web } = onGateway({ routes: [SSH] });
    const all = docs(chart);
    expect(byName(all, 'TCPRoute', 'forge-ssh')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name: 'forge-ssh', namespace: 'forge', labels: expect.any(Object) },
      spec: {
        parentRefs: [{ name: 'web', namespace: 'gateway', sectionName: 'tcp-22' }],
        rules: [{ backendRefs: [{ name: 'forge', port: 22 }] }],
      },
    });
    expect(listener(platform, 'tcp-22')).toEqual({
      name: 'tcp-22', port: 22, protocol: 'TCP',
      allowedRoutes: { kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }], namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway.cdk8s-webstack/web': 'gateway' } } } },
    });
    expect(web.routes[0]).toMatchObject({ kind: 'TCPRoute', host: 'ssh.git.example.com', urls: [], address: '192.0.2.20' });
    expect(byName(all, 'DNSEndpoint', 'forge-ssh').spec.endpoints).toEqual([expect.objectContaining({ dnsName: 'ssh.git.example.com', targets: ['192.0.2.20'] })]);
    // The Gateway's data plane reaches the container port.
    const rule = byName(all, 'NetworkPolicy', 'forge').spec.ingress.find((r: any) => r.ports[0].port === 2222);
    expect(rule.from).toEqual(byName(all, 'NetworkPolicy', 'forge').spec.ingress[0].from);
    expect([...all, ...docs(platform)].flatMap(schemaErrors)).toEqual([]);
  });

  test('a TCP route may share the app\'s host: one address, one record', () => {
    const { chart } = onGateway({ routes: [{ ...SSH, host: 'git.example.com', tcp: { port: 2022 } }] });
    expect(byName(docs(chart), 'TCPRoute', 'forge-ssh').spec.parentRefs[0].sectionName).toBe('tcp-2022');
    expect(docs(chart).filter(d => d.kind === 'DNSEndpoint').map(d => d.metadata.name)).toEqual(['forge']);
  });

  test('passed-through TLS is a TLSRoute of its host on a Passthrough listener, on the HTTPS port beside HTTPS listeners', () => {
    const route: PortRouteOptions = { name: 'imap', port: 'imaps', host: 'imap.example.com', tcp: { passthrough: true } };
    const { platform, chart } = onGateway({ routes: [route], route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    const tlsRoute = byName(docs(chart), 'TLSRoute', 'forge-imap');
    expect(tlsRoute.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(tlsRoute.spec).toEqual({
      parentRefs: [{ name: 'web', namespace: 'gateway', sectionName: 'tls-imap.example.com' }],
      hostnames: ['imap.example.com'],
      rules: [{ backendRefs: [{ name: 'forge', port: 9993 }] }],
    });
    expect(listener(platform, 'tls-imap.example.com')).toMatchObject({ port: 443, protocol: 'TLS', hostname: 'imap.example.com', tls: { mode: 'Passthrough' } });
    expect(listener(platform, 'https-git.example.com').port).toBe(443);
    expect([...docs(chart), ...docs(platform)].flatMap(schemaErrors)).toEqual([]);
  });

  test('listeners keep one order whatever order apps attach in', () => {
    const listeners = (order: string[]) => {
      const app = Testing.app();
      const platform = new Chart(app, 'platform');
      const gateway = new Gateway(platform, 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
      for (const id of order) {
        const port = id === 'a' ? 2022 : 2023;
        new WebApp(new Chart(app, id), id, { entryPoint: gateway, image: IMAGE, host: `${id}.example.com`, ports: [SSH_PORT], routes: [{ ...SSH, host: `ssh.${id}.example.com`, tcp: { port } }] });
      }
      return byName(docs(platform), 'Gateway', 'web').spec.listeners.map((l: any) => l.name);
    };
    expect(listeners(['b', 'a'])).toEqual(listeners(['a', 'b']));
    expect(listeners(['a', 'b'])).toEqual(['http', 'tcp-2022', 'tcp-2023']);
  });

  test('each implementation serves the kinds its preset lists; the others are an error that names it', () => {
    expect(() => onGateway({ routes: [SSH], networkPolicy: false }, GatewayImplementation.cilium(), 'forge')).not.toThrow();
    for (const implementation of [GatewayImplementation.traefik(), GatewayImplementation.istio(), GatewayImplementation.nginxGatewayFabric()]) {
      expect(errorOf(() => onGateway({ routes: [SSH], networkPolicy: false }, implementation)).message)
        .toContain(`'routes[0].tcp' ({}) is a TCPRoute, which ${implementation.name} (the implementation of Gateway gateway/web (platform/Gateway)) does not serve at gateway.networking.k8s.io/v1`);
      const passthrough = { name: 'imap', port: 'imaps', host: 'imap.example.com', tcp: { passthrough: true } };
      expect(() => onGateway({ routes: [passthrough], networkPolicy: false }, implementation)).not.toThrow();
    }
  });

  test('a port carries one kind of listener: HTTP ports, a second TCP route on a port and a TCP route on a passthrough port are refused', () => {
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tcp: { port: 80 } }] })).message).toContain("'routes[0].tcp.port' (80) is taken on Gateway gateway/web (platform/Gateway) by its HTTP listener");
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tcp: { port: 443 } }] })).message).toContain("'routes[0].tcp.port' (443) is taken on Gateway gateway/web (platform/Gateway) by its HTTPS listeners");
    const app = Testing.app();
    const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    const props = (id: string) => ({ entryPoint: gateway, image: IMAGE, host: `${id}.example.com`, ports: [SSH_PORT], routes: [{ ...SSH, host: `ssh.${id}.example.com` }] });
    new WebApp(new Chart(app, 'a'), 'a', props('a'));
    expect(errorOf(() => new WebApp(new Chart(app, 'b'), 'b', props('b'))).message)
      .toContain("'routes[0].tcp.port' (22) is taken on Gateway gateway/web (platform/Gateway) by the TCP listener of a/a, which forwards to one backend");
  });

  test('options a Gateway listener has none of are refused: an address, client ranges', () => {
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tcp: { address: '192.0.2.30' } }] })).message)
      .toContain("'routes[0].tcp.address' (\"192.0.2.30\") is set, and every listener of Gateway gateway/web (platform/Gateway) is on its address 192.0.2.20");
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tcp: { sourceRanges: ['198.51.100.0/24'] } }] })).message).toContain('routes[0].tcp.sourceRanges');
  });

  test('behind an ExistingGateway, the route attaches to its listener on the port', () => {
    const app = Testing.app();
    const gateway = new ExistingGateway(new Chart(app, 'platform'), 'Gateway', {
      name: 'shared', namespace: 'gateway', address: '192.0.2.40', implementation: GatewayImplementation.envoyGateway(),
      listeners: { http: 'http', https: 'https', tcp: [{ name: 'ssh', port: 22 }], tlsPassthrough: [{ name: 'tls', port: 443 }] },
    });
    const chart = new Chart(app, 'forge');
    new WebApp(chart, 'forge', { entryPoint: gateway, image: IMAGE, host: 'git.example.com', ports: [SSH_PORT], routes: [SSH] });
    expect(byName(docs(chart), 'TCPRoute', 'forge-ssh').spec.parentRefs).toEqual([{ name: 'shared', namespace: 'gateway', sectionName: 'ssh' }]);
    expect(errorOf(() => new WebApp(new Chart(app, 'other'), 'other', { entryPoint: gateway, image: IMAGE, host: 'o.example.com', ports: [SSH_PORT], routes: [{ ...SSH, host: 'ssh.o.example.com', tcp: { port: 2200 } }] })).message)
      .toContain("'routes[0].tcp.port' (2200) has no TCP listener on Gateway gateway/shared (platform/Gateway) (listeners.tcp: ssh on 22)");
  });
});

describe('TCP routes behind an IngressVip', () => {
  test('a LoadBalancer Service of the app\'s pods on an address of its own, keeping clients\' addresses; the policy admits its client ranges; its record points at it', () => {
    const { chart, web } = onVip({ routes: [{ ...SSH, tcp: { address: '192.0.2.11', sourceRanges: ['198.51.100.0/24'] } }] });
    const all = docs(chart);
    const service = byName(all, 'Service', 'forge-ssh');
    expect(service.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('192.0.2.11');
    expect(service.metadata.annotations['metallb.io/allow-shared-ip']).toBeUndefined();
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      selector: web.selectorLabels,
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['198.51.100.0/24'],
      ports: [{ name: 'ssh', port: 22, protocol: 'TCP', targetPort: 'ssh' }],
    });
    const rule = byName(all, 'NetworkPolicy', 'forge').spec.ingress.find((r: any) => r.ports[0].port === 2222);
    expect(rule.from).toEqual([{ ipBlock: { cidr: '198.51.100.0/24' } }]);
    expect(web.routes[0]).toMatchObject({ kind: 'Service', address: '192.0.2.11', urls: [] });
    expect(byName(all, 'DNSEndpoint', 'forge-ssh').spec.endpoints[0]).toMatchObject({ dnsName: 'ssh.git.example.com', targets: ['192.0.2.11'] });
    expect(all.flatMap(schemaErrors)).toEqual([]);
  });

  test('ExternalDNS from annotations reads the host and target from the Service', () => {
    const { chart } = onVip({ routes: [{ ...SSH, tcp: { address: '192.0.2.11' } }], dns: { provider: DnsProvider.externalDnsAnnotations() } });
    const annotations = byName(docs(chart), 'Service', 'forge-ssh').metadata.annotations;
    expect(annotations['external-dns.kubernetes.io/hostname']).toBe('ssh.git.example.com');
    expect(annotations['external-dns.kubernetes.io/target']).toBe('192.0.2.11');
  });

  test('on the VIP\'s address only where MetalLB can share it: both Services Cluster, one key, other ports', () => {
    expect(errorOf(() => onVip({ routes: [SSH] })).message).toContain(
      "'routes[0].tcp.address' (undefined) would share the VIP's address 192.0.2.10, and MetalLB shares an address only between Services that route with externalTrafficPolicy Cluster");
    const { chart, platform } = onVip({ routes: [SSH] }, { address: '192.0.2.10', externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER });
    const vip = byName(docs(platform), 'Service', 'ingress-node-vip');
    const service = byName(docs(chart), 'Service', 'forge-ssh');
    expect(vip.metadata.annotations['metallb.io/allow-shared-ip']).toBe('ingress-nginx.ingress-node-vip');
    expect(service.metadata.annotations['metallb.io/allow-shared-ip']).toBe('ingress-nginx.ingress-node-vip');
    expect(service.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('192.0.2.10');
    expect(service.spec.externalTrafficPolicy).toBe('Cluster');
    // Clients' addresses are hidden behind Cluster: the policy admits any.
    const rule = byName(docs(chart), 'NetworkPolicy', 'forge').spec.ingress.find((r: any) => r.ports[0].port === 2222);
    expect(rule.from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
    // The SSH host shares the app's: one address.
    expect(() => onVip({ routes: [{ ...SSH, host: 'git.example.com' }] }, { address: '192.0.2.10', externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER })).not.toThrow();
    expect(errorOf(() => onVip({ routes: [{ ...SSH, tcp: { port: 443 } }] }, { address: '192.0.2.10', externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER })).message)
      .toContain("'routes[0].tcp.port' (443) is a port of the VIP's own Service on 192.0.2.10");
    expect(errorOf(() => onVip({ routes: [SSH] }, { address: '192.0.2.10', addressMode: VipAddressMode.KUBE_VIP, externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER })).message)
      .toContain('which two Services share only through MetalLB\'s metallb.io/allow-shared-ip');
  });

  test('kube-vip and the legacy field pin the Service\'s address the VIP\'s way; IPv6 gets a single-stack Service', () => {
    const kubeVip = byName(docs(onVip({ routes: [{ ...SSH, tcp: { address: '192.0.2.11' } }] }, { address: '192.0.2.10', addressMode: VipAddressMode.KUBE_VIP }).chart), 'Service', 'forge-ssh');
    expect(kubeVip.metadata.annotations['kube-vip.io/loadbalancerIPs']).toBe('192.0.2.11');
    const legacy = byName(docs(onVip({ routes: [{ ...SSH, tcp: { address: '192.0.2.11' } }] }, { address: '192.0.2.10', addressMode: VipAddressMode.LEGACY_SPEC_FIELD }).chart), 'Service', 'forge-ssh');
    expect(legacy.spec.loadBalancerIP).toBe('192.0.2.11');
    const v6 = byName(docs(onVip({ routes: [{ ...SSH, tcp: { address: '2001:db8::11' } }] }, { address: '2001:db8::10' }).chart), 'Service', 'forge-ssh');
    expect(v6.spec).toMatchObject({ ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' });
  });

  test('a host published at the VIP cannot also point at the route\'s own address; a port on one address is taken once', () => {
    expect(errorOf(() => onVip({ routes: [{ ...SSH, host: 'git.example.com', tcp: { address: '192.0.2.11' } }] })).message)
      .toContain("'routes[0].host' (\"git.example.com\") is published at 192.0.2.10, and the route is reached at 192.0.2.11; one name cannot point at both");
    const routes = [{ ...SSH, tcp: { address: '192.0.2.11' } }, { ...SSH, name: 'ssh2', host: 'ssh2.git.example.com', tcp: { address: '192.0.2.11' } }];
    expect(errorOf(() => onVip({ routes })).message).toContain("'routes[1].tcp.port' (22) is already taken on 192.0.2.11 by forge/forge routes[0]");
  });

  test('passthrough needs a Gateway', () => {
    expect(errorOf(() => onVip({ routes: [{ ...SSH, tcp: { passthrough: true } }] })).message)
      .toContain("'routes[0].tcp.passthrough' (true) routes TLS by its SNI host on a Gateway listener, and IngressVip platform/IngressVip carries only HTTP");
  });

  test('at synth, after patches: the Service stays a LoadBalancer to a port of the app', () => {
    const { app, web } = onVip({ routes: [{ ...SSH, tcp: { address: '192.0.2.11' } }] });
    web.routes[0].route.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 'sshd'));
    expect(() => app.synth()).toThrow(/TCP route Service "forge-ssh" sends port 22 to container port "sshd", which is no port of the app's Service "forge"/);
  });
});

describe('TCP route options', () => {
  test('HTTP options on a TCP route are refused, with the fix', () => {
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, paths: ['/'] }] })).message).toContain("'routes[0].paths' ([\"/\"]) is set on a TCP route");
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tls: TlsCertificate.fromClusterIssuer('x') }] })).message).toContain('drop tls: the app terminates its own TLS');
    expect(errorOf(() => onVip({ routes: [{ ...SSH, tcp: { sourceRanges: [] } }] })).message).toContain("'routes[0].tcp.sourceRanges' ([]) is empty");
  });

  test('JavaScript callers: the tcp shape is checked at run time', () => {
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tcp: { port: '22' } as any }] })).message).toContain('routes[0].tcp.port');
    expect(errorOf(() => onGateway({ routes: [{ ...SSH, tcp: { adress: '192.0.2.1' } as any }] })).message).toContain('adress');
    expect(errorOf(() => onVip({ routes: [{ ...SSH, tcp: { address: '192.0.2' } }] })).message).toContain('routes[0].tcp.address');
  });
});

describe('TCP routes: properties', () => {
  const route = fc.record({
    host: fc.constantFrom('git.example.com', 'ssh.example.com', 'imap.example.com'),
    port: fc.constantFrom(undefined, 22, 80, 443, 2022),
    address: fc.constantFrom(undefined, '192.0.2.11', '192.0.2.12'),
    passthrough: fc.boolean(),
  });
  const where = fc.constantFrom('vip-local', 'vip-cluster', 'gateway');

  test('refused with one error about a route, or: one listener per port and kind, every backend a port of the app, schema-valid, the same bytes twice', () => {
    fc.assert(fc.property(where, fc.array(route, { maxLength: 3 }), (at, given) => {
      const routes: PortRouteOptions[] = given.map((r, i) => ({
        name: `r${i}`, port: r.passthrough ? 'imaps' : 'ssh', host: r.host,
        tcp: { ...(r.port !== undefined ? { port: r.port } : {}), ...(r.address !== undefined ? { address: r.address } : {}), ...(r.passthrough ? { passthrough: true } : {}) },
      }));
      const ports = [SSH_PORT, TLS_PORT].filter(p => routes.some(r => r.port === p.name));
      const build = () => (at === 'gateway'
        ? onGateway({ routes, ports })
        : onVip({ routes, ports }, { address: '192.0.2.10', externalTrafficPolicy: at === 'vip-cluster' ? ExternalTrafficPolicy.CLUSTER : ExternalTrafficPolicy.LOCAL }));
      let built: { chart: Chart; platform: Chart };
      try {
        built = build();
      } catch (error) {
        expect((error as Error).message).toMatch(/'routes\[\d\]\.(tcp|tcp\.(port|address|passthrough)|host)' /);
        return;
      }
      const all = [...docs(built.chart), ...docs(built.platform)];
      expect(all.flatMap(schemaErrors)).toEqual([]);
      const service = all.find(d => d.kind === 'Service' && d.metadata.name === 'forge');
      for (const doc of all.filter(d => d.kind === 'TCPRoute' || d.kind === 'TLSRoute')) {
        expect(service.spec.ports.map((p: any) => p.port)).toContain(doc.spec.rules[0].backendRefs[0].port);
      }
      for (const lb of all.filter(d => d.kind === 'Service' && d.metadata.name.startsWith('forge-'))) {
        expect(service.spec.ports.map((p: any) => p.name)).toContain(lb.spec.ports[0].targetPort);
      }
      const gateway = all.find(d => d.kind === 'Gateway');
      if (gateway !== undefined) {
        const tcpPorts = gateway.spec.listeners.filter((l: any) => l.protocol === 'TCP').map((l: any) => l.port);
        expect(new Set(tcpPorts).size).toBe(tcpPorts.length);
        const others = gateway.spec.listeners.filter((l: any) => l.protocol !== 'TCP').map((l: any) => l.port);
        expect(tcpPorts.filter((p: number) => others.includes(p))).toEqual([]);
      }
      // Addresses and ports on the VIP's side: one port once per address.
      const taken = all.filter(d => d.kind === 'Service' && d.spec.type === 'LoadBalancer')
        .flatMap(d => d.spec.ports.map((p: any) => `${d.metadata.annotations['metallb.io/loadBalancerIPs']} ${p.port}`));
      expect(new Set(taken).size).toBe(taken.length);
      expect(JSON.stringify([...docs(build().chart), ...docs(build().platform)])).toBe(JSON.stringify(all));
    }), { numRuns: 60 });
  });
});

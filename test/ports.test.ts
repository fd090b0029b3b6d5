/** Extra ports and the NetworkPolicy per port and for egress (issue 23 parts 1 and 5). */
import { JsonPatch } from 'cdk8s';
import { AppProtocol, MetricsMonitor, PortProtocol, Probe } from '../lib';
import { docs, errorOf, kind, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

const SSH = { name: 'ssh', port: 2222, servicePort: 22 };
const CI = { namespace: 'ci', ports: ['ssh'] };
const byName = (list: any[], k: string, name: string) => list.find(d => d.kind === k && d.metadata.name === name);

describe('ports', () => {
  test('each port is a container port, a Service port of its name, and a rule of its own in the NetworkPolicy', () => {
    const plain = webApp();
    const { chart } = webApp({
      ports: [SSH, { name: 'grpc', port: 9000, appProtocol: AppProtocol.H2C }, { name: 'syslog', port: 5514, protocol: PortProtocol.UDP }],
      networkPolicy: { allowFrom: [CI, { namespace: 'apps', podLabels: { role: 'client' }, ports: ['grpc', 'http'] }, { cidr: '10.20.0.0/16', ports: ['syslog'] }] },
    });
    const all = docs(chart);
    const container = kind(chart, 'Deployment').spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'ssh', containerPort: 2222, protocol: 'TCP' },
      { name: 'grpc', containerPort: 9000, protocol: 'TCP' },
      { name: 'syslog', containerPort: 5514, protocol: 'UDP' },
    ]);
    expect(kind(chart, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
      { name: 'ssh', port: 22, protocol: 'TCP', targetPort: 'ssh' },
      { name: 'grpc', port: 9000, protocol: 'TCP', targetPort: 'grpc', appProtocol: 'kubernetes.io/h2c' },
      { name: 'syslog', port: 5514, protocol: 'UDP', targetPort: 'syslog' },
    ]);
    const dataPlane = kind(plain.chart, 'NetworkPolicy').spec.ingress[0].from[0];
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    const client = { ...ns('apps'), podSelector: { matchLabels: { role: 'client' } } };
    expect(kind(chart, 'NetworkPolicy').spec).toEqual({
      podSelector: kind(plain.chart, 'NetworkPolicy').spec.podSelector,
      policyTypes: ['Ingress'],
      ingress: [
        { from: [dataPlane, client], ports: [{ protocol: 'TCP', port: 8080 }] },
        { from: [ns('ci')], ports: [{ protocol: 'TCP', port: 2222 }] },
        { from: [client], ports: [{ protocol: 'TCP', port: 9000 }] },
        { from: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'UDP', port: 5514 }] },
      ],
    });
    expect(all.flatMap(schemaErrors)).toEqual([]);
  });

  test('probes may check any port by its name; a sidecar may not take one', () => {
    const { chart } = webApp({ ports: [{ name: 'admin', port: 9901 }], networkPolicy: false, probes: { liveness: Probe.httpGet('/healthz', { port: 'admin' }) } });
    expect(kind(chart, 'Deployment').spec.template.spec.containers[0].livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'admin' });
    expect(errorOf(() => webApp({ ports: [{ name: 'admin', port: 9901 }], networkPolicy: false, sidecars: [{ name: 'proxy', image: 'registry.example.com/p:1', port: 9901 }] })).message)
      .toMatch(/'sidecars\[0\]\.port' \(9901\).*the admin port/);
  });

  test('TCP and UDP may share a number; a UDP Service port does not take the TCP one', () => {
    const { chart } = webApp({ ports: [{ name: 'dns-tcp', port: 5353 }, { name: 'dns-udp', port: 5353, protocol: PortProtocol.UDP }], networkPolicy: false });
    expect(kind(chart, 'Service').spec.ports.map((p: any) => `${p.protocol}/${p.port}`)).toEqual(['TCP/80', 'TCP/5353', 'UDP/5353']);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('metrics beside ports: on their own port they come last; PodMonitor keeps theirs off the Service', () => {
    const { chart } = webApp({ ports: [SSH], networkPolicy: { allowFrom: [CI] }, metrics: { port: 9090, monitor: MetricsMonitor.POD_MONITOR } });
    expect(kind(chart, 'Deployment').spec.template.spec.containers[0].ports.map((p: any) => p.name)).toEqual(['http', 'ssh', 'metrics']);
    expect(kind(chart, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http', 'ssh']);
    expect(kind(chart, 'NetworkPolicy').spec.ingress.map((r: any) => r.ports[0].port)).toEqual([8080, 2222, 9090]);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a port named like the serving port', { ports: [{ name: 'http', port: 9000 }] }, 'ports[0].name', /is already the name of the .*serving port/],
    ['a port named like another', { ports: [SSH, { ...SSH, port: 2223, servicePort: 23 }] }, 'ports[1].name', /is already the name of port ports\[0\]/],
    ['a port on the serving port\'s number', { ports: [{ name: 'alt', port: 8080 }] }, 'ports[0].port', /is already the TCP container port of the app's serving port 'http'; declare each port once/],
    ['a Service port 80', { ports: [{ name: 'alt', port: 8081, servicePort: 80 }] }, 'ports[0].servicePort', /is already the TCP port of the Service for the Service port 'http'/],
    ['two ports on one Service port', { ports: [{ name: 'a', port: 9000 }, { name: 'b', port: 9001, servicePort: 9000 }] }, 'ports[1].servicePort', /is already the TCP port of the Service for 'a'/],
    ['a port nobody may reach', { ports: [SSH] }, 'ports[0]', /\("ssh"\) is a port nobody may reach: the NetworkPolicy admits no peer to it; admit its callers \(networkPolicy\.allowFrom: \[\{ namespace: 'their-namespace', ports: \['ssh'\] \}\]\)/],
    ['a peer naming no port of the app', { ports: [SSH], networkPolicy: { allowFrom: [CI, { namespace: 'x', ports: ['sh'] }] } }, 'networkPolicy.allowFrom[1].ports', /\("sh"\) names no port of the app; name one of 'http', 'ssh'/],
    ['a peer with no ports', { networkPolicy: { allowFrom: [{ namespace: 'x', ports: [] }] } }, 'networkPolicy.allowFrom[0].ports', /is empty, so the peer would reach nothing/],
    // The run-time shapes, for JavaScript callers.
    ['a port name over 15 characters', { ports: [{ name: 'a-very-long-port-name', port: 9000 }] }, 'ports[0].name', /is not a valid port name/],
    ['a protocol that is not one', { ports: [{ name: 'x', port: 9000, protocol: 'tcp' }] }, 'ports[0].protocol', /is not a member of PortProtocol; use PortProtocol\.TCP \('TCP'\), PortProtocol\.UDP \('UDP'\)/],
    ['an appProtocol that is not one', { ports: [{ name: 'x', port: 9000, appProtocol: 'grpc' }] }, 'ports[0].appProtocol', /is not a member of AppProtocol/],
    ['a port without a number', { ports: [{ name: 'x' }] }, 'ports[0].port', /is required/],
    ['a peer port that is not a name', { networkPolicy: { allowFrom: [{ namespace: 'x', ports: [22] }] } }, 'networkPolicy.allowFrom[0].ports[0]', /.+/],
  ])('refuses %s', (_, props, prop, message) => {
    const error = errorOf(() => webApp(props as any));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test('at synth, after patches: two container ports of one number are named', () => {
    const { chart, web } = webApp({ ports: [SSH], networkPolicy: { allowFrom: [CI] } });
    web.workload.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/1/containerPort', 8080));
    expect(() => docs(chart)).toThrow(/Deployment "shop" has two container ports on TCP port 8080; the containers share the pod.s network/);
  });
});

describe('egress', () => {
  const API = { cidrs: ['192.0.2.10/32', '192.0.2.11/32'] };

  test('deny by default with the cluster\'s DNS allowed, then the API server, then each destination on its ports; workers and jobs get the same', () => {
    const { chart } = webApp({
      networkPolicy: {
        egress: {
          apiServer: API,
          allowTo: [
            { namespace: 'db', podLabels: { app: 'postgres' }, ports: [{ port: 5432 }] },
            { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'], ports: [{ port: 443 }, { port: 30000, endPort: 32767, protocol: PortProtocol.UDP }] },
            { namespace: 'cache' },
          ],
        },
      },
      workers: [{ name: 'mailer' }],
      scheduledJobs: [{ name: 'nightly', schedule: '0 3 * * *' }],
    });
    const all = docs(chart);
    const policy = byName(all, 'NetworkPolicy', 'shop');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { to: [{ ipBlock: { cidr: '192.0.2.10/32' } }, { ipBlock: { cidr: '192.0.2.11/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } }, podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'UDP', port: 30000, endPort: 32767 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cache' } } }] },
    ]);
    for (const name of ['shop-mailer', 'shop-nightly']) {
      const companion = byName(all, 'NetworkPolicy', name);
      expect(companion.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(companion.spec.ingress).toBeUndefined();
      expect(companion.spec.egress).toEqual(policy.spec.egress);
    }
    expect(all.flatMap(schemaErrors)).toEqual([]);
  });

  test('DNS to a node-local cache, or none; without egress the policy stays ingress-only', () => {
    const local = webApp({ networkPolicy: { egress: { dns: { cidr: '169.254.20.10/32' } } } });
    expect(kind(local.chart, 'NetworkPolicy').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]);
    // Nothing at all: Egress in policyTypes and no rule denies every call.
    const none = kind(webApp({ networkPolicy: { egress: { dns: false } } }).chart, 'NetworkPolicy').spec;
    expect(none.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(none.egress).toBeUndefined();
    expect(kind(webApp().chart, 'NetworkPolicy').spec.policyTypes).toEqual(['Ingress']);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an except without a cidr', { allowTo: [{ namespace: 'db', except: ['10.0.0.0/8'] }] }, 'networkPolicy.egress.allowTo[0].except', /is set without a cidr/],
    ['an except outside its cidr', { allowTo: [{ cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] }] }, 'networkPolicy.egress.allowTo[0].except', /\("10\.1\.0\.0\/24"\) is not a block strictly inside 10\.0\.0\.0\/16/],
    ['an except equal to its cidr', { allowTo: [{ cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] }] }, 'networkPolicy.egress.allowTo[0].except', /strictly inside/],
    ['an except of the other family', { allowTo: [{ cidr: '10.0.0.0/8', except: ['2001:db8::/64'] }] }, 'networkPolicy.egress.allowTo[0].except', /strictly inside/],
    ['a range that ends below its port', { allowTo: [{ cidr: '10.0.0.0/8', ports: [{ port: 9000, endPort: 8000 }] }] }, 'networkPolicy.egress.allowTo[0].ports[0].endPort', /is below its port 9000/],
    ['no ports', { allowTo: [{ cidr: '10.0.0.0/8', ports: [] }] }, 'networkPolicy.egress.allowTo[0].ports', /is empty; leave ports out for every port/],
    ['a destination mixing cidr and namespace', { allowTo: [{ cidr: '10.0.0.0/8', namespace: 'db' }] }, 'networkPolicy.egress.allowTo[0]', /mixes cidr with namespace or podLabels/],
    ['an empty destination', { allowTo: [{}] }, 'networkPolicy.egress.allowTo[0]', /is empty, which would allow nothing/],
    ['an API server without addresses', { apiServer: { cidrs: [] } }, 'networkPolicy.egress.apiServer.cidrs', /is empty, so the API server stays unreachable.*endpointslice/],
    ['a DNS destination that is empty', { dns: {} }, 'networkPolicy.egress.dns', /is empty/],
    // The run-time shapes.
    ['a host address for a cidr', { allowTo: [{ cidr: '10.0.0.1' }] }, 'networkPolicy.egress.allowTo[0].cidr', /is not a CIDR block/],
    ['a protocol that is not one', { allowTo: [{ cidr: '10.0.0.0/8', ports: [{ port: 53, protocol: 'udp' }] }] }, 'networkPolicy.egress.allowTo[0].ports[0].protocol', /PortProtocol/],
    ['a misspelt option', { allowto: [] }, 'networkPolicy.egress.allowto', /did you mean 'networkPolicy\.egress\.allowTo'\?/],
  ])('refuses %s', (_, egress, prop, message) => {
    const error = errorOf(() => webApp({ networkPolicy: { egress: egress as any } }));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });
});

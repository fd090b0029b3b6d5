import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { shape } from '../core/_shape';
import { cidrContains } from '../core/_validate';
import { EntryPoint } from '../entry-points/entry-point';
import { EgressRuleSpec, IngressRuleSpec, NetworkPeerSpec } from '../resources/_network-policy';
import { MetricsSpec } from './_metrics';
import { PortsSpec } from './_ports';
import {
  ApiServerEndpoints, DnsDestination, EgressOptions, EgressPeer, EgressPort, NetworkPeer, NetworkPolicyOptions,
} from './network-policy';
import { PortProtocol } from './ports';

/** The run-time shape of `EgressOptions`, the app's and its companions'. */
export const EGRESS_SHAPE = shape.object<EgressOptions>('EgressOptions', {
  allowTo: shape.array(shape.object<EgressPeer>('EgressPeer', {
    namespace: shape.dns1123Label, podLabels: shape.labels, cidr: shape.cidr, except: shape.array(shape.cidr),
    ports: shape.array(shape.object<EgressPort>('EgressPort', {
      port: shape.port, endPort: shape.port, protocol: shape.enum(PortProtocol, 'PortProtocol'),
    }, { required: ['port'] })),
  })),
  dns: shape.oneOf(shape.false, shape.object<DnsDestination>('DnsDestination', { namespace: shape.dns1123Label, podLabels: shape.labels, cidr: shape.cidr })),
  apiServer: shape.object<ApiServerEndpoints>('ApiServerEndpoints', { cidrs: shape.array(shape.cidr), port: shape.port }, { required: ['cidrs'] }),
});

/** The run-time shape of `WebAppProps.networkPolicy`. */
export const NETWORK_POLICY_SHAPE = shape.oneOf(shape.false, shape.object<NetworkPolicyOptions>('NetworkPolicyOptions', {
  allowFrom: shape.array(shape.object<NetworkPeer>('NetworkPeer', {
    namespace: shape.dns1123Label, podLabels: shape.labels, cidr: shape.cidr, ports: shape.array(shape.portName),
  })),
  egress: EGRESS_SHAPE,
}));

/** The cluster's DNS, where CoreDNS runs under the label kube-dns has always had. */
const CLUSTER_DNS: NetworkPeerSpec = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };

/** A port a route of `routes` reaches, and who connects to it: the entry point's data plane unless `peers`. */
export interface RoutedPort {
  readonly port: string;
  readonly peers?: readonly NetworkPeerSpec[];
}

/** The app's NetworkPolicy, validated: who reaches each port, and what the pods may call. */
export interface PolicyPlan {
  readonly ingress: IngressRuleSpec[];
  /** `undefined`: egress left open. */
  readonly egress?: EgressRuleSpec[];
}

/**
 * Resolves `networkPolicy` over the app's ports: the entry point's data plane reaches the
 * serving port and each port a route of `routes` names (`routedPorts`), Prometheus the metrics
 * port, and each peer of `allowFrom` the ports it names.
 * Fails when the entry point's data plane is no pod a NetworkPolicy selects, and when a port
 * of `ports` would be reached by nobody. `undefined` with `networkPolicy: false`.
 */
export function resolveNetworkPolicy(scope: IConstruct, options: NetworkPolicyOptions | false | undefined, entryPoint: EntryPoint,
  ports: PortsSpec, metrics: MetricsSpec | undefined, routedPorts: ReadonlyArray<RoutedPort>): PolicyPlan | undefined {
  if (options === false) {
    return undefined;
  }
  const dataPlane = entryPoint.dataPlane;
  if (dataPlane === undefined) {
    throw propError(scope, 'networkPolicy', 'on',
      `cannot admit the data plane of ${entryPoint.description}: its proxy is no pod a Kubernetes NetworkPolicy selects`,
      'set networkPolicy to false and admit the proxy with the implementation\'s own policy (Cilium: a CiliumNetworkPolicy with fromEntities [ingress])');
  }
  const entry = (): NetworkPeerSpec => ({ namespace: dataPlane.namespace, podLabels: { ...dataPlane.podLabels } });
  const rules = new Map<string, { port: number; protocol: string; peers: NetworkPeerSpec[] }>([
    [ports.serving.name, { port: ports.serving.number, protocol: PortProtocol.TCP, peers: [entry()] }],
    ...ports.extra.map(p => [p.name, { port: p.port, protocol: p.protocol, peers: [] as NetworkPeerSpec[] }] as const),
  ]);
  for (const routed of routedPorts) {
    const peers = rules.get(routed.port)!.peers;
    for (const peer of routed.peers ?? [entry()]) {
      if (!peers.some(p => JSON.stringify(p) === JSON.stringify(peer))) {
        peers.push({ ...peer });
      }
    }
  }
  if (metrics !== undefined) {
    rules.get(metrics.portName)!.peers.push(metrics.scraper);
  }
  (options?.allowFrom ?? []).forEach((peer, i) => {
    const prop = `networkPolicy.allowFrom[${i}]`;
    const spec = resolvePeer(scope, prop, peer);
    const names = peer.ports ?? [ports.serving.name];
    if (names.length === 0) {
      throw propError(scope, `${prop}.ports`, names, 'is empty, so the peer would reach nothing', `leave ports out for the serving port '${ports.serving.name}', or name the ports it calls`);
    }
    for (const name of names) {
      const rule = rules.get(name);
      if (rule === undefined) {
        throw propError(scope, `${prop}.ports`, name, 'names no port of the app', `name one of ${[...rules.keys()].map(n => `'${n}'`).join(', ')}`);
      }
      rule.peers.push(spec);
    }
  });
  for (const p of ports.extra) {
    if (p.prop !== 'metrics' && rules.get(p.name)!.peers.length === 0) {
      throw propError(scope, p.prop, p.name, 'is a port nobody may reach: the NetworkPolicy admits no peer to it',
        `admit its callers (networkPolicy.allowFrom: [{ namespace: 'their-namespace', ports: ['${p.name}'] }]), or set networkPolicy to false`);
    }
  }
  return {
    ingress: [...rules.values()],
    egress: options?.egress === undefined ? undefined : resolveEgress(scope, 'networkPolicy.egress', options.egress),
  };
}

function resolvePeer(scope: IConstruct, prop: string, peer: NetworkPeer | DnsDestination): NetworkPeerSpec {
  if (peer.cidr !== undefined) {
    if (peer.namespace !== undefined || peer.podLabels !== undefined) {
      throw propError(scope, prop, peer, 'mixes cidr with namespace or podLabels',
        'give either a cidr, or a namespace and/or podLabels, in separate peers');
    }
    return { cidr: peer.cidr };
  }
  if (peer.namespace === undefined && peer.podLabels === undefined) {
    throw propError(scope, prop, peer, 'is empty, which would allow nothing', 'give a namespace, podLabels or a cidr');
  }
  return {
    namespace: peer.namespace,
    podLabels: peer.podLabels === undefined ? undefined : { ...peer.podLabels },
  };
}

/**
 * Resolves an egress policy (the app's, or a worker's or job's at `prefix`): DNS first, then
 * the API server, then each destination of `allowTo` on its ports.
 */
export function resolveEgress(scope: IConstruct, prefix: string, options: EgressOptions): EgressRuleSpec[] {
  const dns = options.dns === false ? [] : [{
    peers: [options.dns === undefined ? CLUSTER_DNS : resolvePeer(scope, `${prefix}.dns`, options.dns)],
    ports: [{ port: 53, protocol: PortProtocol.UDP }, { port: 53, protocol: PortProtocol.TCP }],
  }];
  const api = options.apiServer;
  if (api !== undefined && api.cidrs.length === 0) {
    throw propError(scope, `${prefix}.apiServer.cidrs`, api.cidrs, 'is empty, so the API server stays unreachable',
      'give its addresses (kubectl get endpointslice -n default -l kubernetes.io/service-name=kubernetes), e.g. [\'192.0.2.10/32\']');
  }
  const apiServer = api === undefined ? [] : [{ peers: api.cidrs.map(cidr => ({ cidr })), ports: [{ port: api.port ?? 6443, protocol: PortProtocol.TCP }] }];
  const allowTo = (options.allowTo ?? []).map((peer, i) => {
    const prop = `${prefix}.allowTo[${i}]`;
    const spec = resolvePeer(scope, prop, peer);
    const except = [...(peer.except ?? [])];
    if (except.length > 0 && peer.cidr === undefined) {
      throw propError(scope, `${prop}.except`, except, 'is set without a cidr', 'give the cidr the blocks are cut out of, or drop except');
    }
    for (const block of except) {
      if (!cidrContains(peer.cidr!, block, true)) {
        throw propError(scope, `${prop}.except`, block, `is not a block strictly inside ${peer.cidr}, which the API server requires`, 'list only blocks of the cidr, smaller than it');
      }
    }
    const ports = (peer.ports ?? []).map((p, j) => {
      if (p.endPort !== undefined && p.endPort < p.port) {
        throw propError(scope, `${prop}.ports[${j}].endPort`, p.endPort, `is below its port ${p.port}`, 'give the last port of the range, at least port');
      }
      return { port: p.port, endPort: p.endPort, protocol: p.protocol ?? PortProtocol.TCP };
    });
    if (peer.ports !== undefined && ports.length === 0) {
      throw propError(scope, `${prop}.ports`, [], 'is empty', 'leave ports out for every port, or list the ports it is called on');
    }
    return { peers: [{ ...spec, ...(except.length > 0 ? { except } : {}) }], ports };
  });
  return [...dns, ...apiServer, ...allowTo];
}

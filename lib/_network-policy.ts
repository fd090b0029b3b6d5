import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { StrictApiObject } from './_api-object';
import { propError } from './_errors';
import { checkCidr, checkDns1123Label, checkLabels } from './_validate';
import { EntryPoint } from './entry-point';
import type { NetworkPeer } from './web-app';
import { manifestOf } from './_manifest';
import { KINDS, intOrString } from './_k8s';

/** One allowed source of traffic to the app port. */
export interface NetworkPeerSpec {
  readonly namespace?: string;
  readonly podLabels?: Record<string, string>;
  readonly cidr?: string;
}

export interface NetworkPolicySpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly podSelector: Record<string, string>;
  readonly port: number;
  readonly peers: NetworkPeerSpec[];
  /** More ports, each open to its own peers only (Prometheus to the metrics port). */
  readonly extraRules?: Array<{ readonly port: number; readonly peers: NetworkPeerSpec[] }>;
}

/** The app's NetworkPolicy: only the listed peers reach the app port; egress is left open. */
export function renderNetworkPolicy(scope: Construct, spec: NetworkPolicySpec): ApiObject {
  return new StrictApiObject(scope, 'NetworkPolicy', manifestOf(KINDS.KubeNetworkPolicy, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      podSelector: { matchLabels: spec.podSelector },
      policyTypes: ['Ingress'],
      // A rule with no peers would admit everyone: a workload with none admits nothing.
      ...(spec.peers.length > 0 ? {
        ingress: [{ port: spec.port, peers: spec.peers }, ...(spec.extraRules ?? [])].map(rule => ({
          from: rule.peers.map(renderPeer),
          ports: [{ protocol: 'TCP', port: intOrString(rule.port) }],
        })),
      } : {}),
    },
  }));
}

function renderPeer(peer: NetworkPeerSpec): k8s.NetworkPolicyPeer {
  if (peer.cidr !== undefined) {
    return { ipBlock: { cidr: peer.cidr } };
  }
  return {
    ...(peer.namespace !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
    ...(peer.podLabels !== undefined ? { podSelector: { matchLabels: peer.podLabels } } : {}),
  };
}

/**
 * The sources allowed to reach the app port: the entry point's data plane first, then the
 * user's own peers. Fails when the entry point's data plane is no pod a NetworkPolicy selects.
 */
export function resolvePeers(scope: IConstruct, entryPoint: EntryPoint, allowFrom: NetworkPeer[]): NetworkPeerSpec[] {
  const dataPlane = entryPoint.dataPlane;
  if (dataPlane === undefined) {
    throw propError(scope, 'networkPolicy', 'on',
      `cannot admit the data plane of ${entryPoint.description}: its proxy is no pod a Kubernetes NetworkPolicy selects`,
      'set networkPolicy to false and admit the proxy with the implementation\'s own policy (Cilium: a CiliumNetworkPolicy with fromEntities [ingress])');
  }
  return [
    { namespace: dataPlane.namespace, podLabels: { ...dataPlane.podLabels } },
    ...allowFrom.map((peer, i) => resolvePeer(scope, `networkPolicy.allowFrom[${i}]`, peer)),
  ];
}

function resolvePeer(scope: IConstruct, prop: string, peer: NetworkPeer): NetworkPeerSpec {
  if (peer.cidr !== undefined) {
    if (peer.namespace !== undefined || peer.podLabels !== undefined) {
      throw propError(scope, prop, peer, 'mixes cidr with namespace or podLabels',
        'give either a cidr, or a namespace and/or podLabels, in separate peers');
    }
    return { cidr: checkCidr(scope, `${prop}.cidr`, peer.cidr) };
  }
  if (peer.namespace === undefined && peer.podLabels === undefined) {
    throw propError(scope, prop, peer, 'is empty, which would allow nothing', 'give a namespace, podLabels or a cidr');
  }
  return {
    namespace: peer.namespace === undefined ? undefined : checkDns1123Label(scope, `${prop}.namespace`, peer.namespace),
    podLabels: peer.podLabels === undefined ? undefined : checkLabels(scope, `${prop}.podLabels`, { ...peer.podLabels }),
  };
}

import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';

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

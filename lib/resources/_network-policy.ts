import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';

/** One allowed source of traffic to a port of the app, or destination of its calls. */
export interface NetworkPeerSpec {
  readonly namespace?: string;
  readonly podLabels?: Record<string, string>;
  readonly cidr?: string;
  /** Blocks inside `cidr` left out. */
  readonly except?: readonly string[];
}

/** Who may reach one port of the pods. */
export interface IngressRuleSpec {
  /** The container port, by number. */
  readonly port: number;
  readonly protocol: string;
  /** No peers: the port is closed (a rule without `from` would open it to everyone). */
  readonly peers: readonly NetworkPeerSpec[];
}

/** What the pods may call, on which ports. */
export interface EgressRuleSpec {
  /** No peers: anywhere (not used: every rule names its destinations). */
  readonly peers: readonly NetworkPeerSpec[];
  /** No ports: every port. */
  readonly ports: ReadonlyArray<{ readonly port: number; readonly endPort?: number; readonly protocol: string }>;
}

export interface NetworkPolicySpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly podSelector: Record<string, string>;
  /** Each port with the peers that may reach it; the pods admit nothing else. */
  readonly ingress: readonly IngressRuleSpec[];
  /** The calls the pods may make, or `undefined` to leave egress open. */
  readonly egress?: readonly EgressRuleSpec[];
}

/**
 * A NetworkPolicy of the app or a companion: only the listed peers reach each port; egress is
 * left open, or (with `egress`) closed but for the listed destinations.
 */
export function renderNetworkPolicy(scope: Construct, spec: NetworkPolicySpec): ApiObject {
  const ingress = spec.ingress.filter(rule => rule.peers.length > 0);
  return new StrictApiObject(scope, 'NetworkPolicy', manifestOf(KINDS.KubeNetworkPolicy, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      podSelector: { matchLabels: spec.podSelector },
      policyTypes: spec.egress === undefined ? ['Ingress'] : ['Ingress', 'Egress'],
      // A rule with no peers would admit everyone: a port without peers gets no rule, and a workload with none admits nothing.
      ...(ingress.length > 0 ? {
        ingress: ingress.map(rule => ({
          from: rule.peers.map(renderPeer),
          ports: [{ protocol: rule.protocol, port: intOrString(rule.port) }],
        })),
      } : {}),
      ...(spec.egress !== undefined && spec.egress.length > 0 ? {
        egress: spec.egress.map(rule => ({
          ...(rule.peers.length > 0 ? { to: rule.peers.map(renderPeer) } : {}),
          ...(rule.ports.length > 0 ? {
            ports: rule.ports.map(p => ({ protocol: p.protocol, port: intOrString(p.port), ...(p.endPort !== undefined ? { endPort: p.endPort } : {}) })),
          } : {}),
        })),
      } : {}),
    },
  }));
}

function renderPeer(peer: NetworkPeerSpec): k8s.NetworkPolicyPeer {
  if (peer.cidr !== undefined) {
    return { ipBlock: { cidr: peer.cidr, ...(peer.except !== undefined && peer.except.length > 0 ? { except: [...peer.except] } : {}) } };
  }
  return {
    ...(peer.namespace !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
    ...(peer.podLabels !== undefined ? { podSelector: { matchLabels: peer.podLabels } } : {}),
  };
}

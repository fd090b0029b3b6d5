import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from './_api-object';

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
}

/** The app's NetworkPolicy: only the listed peers reach the app port; egress is left open. */
export function renderNetworkPolicy(scope: Construct, spec: NetworkPolicySpec): ApiObject {
  return new StrictApiObject(scope, 'NetworkPolicy', k8s.KubeNetworkPolicy.manifest({
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      podSelector: { matchLabels: spec.podSelector },
      policyTypes: ['Ingress'],
      ingress: [{
        from: spec.peers.map(renderPeer),
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(spec.port) }],
      }],
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

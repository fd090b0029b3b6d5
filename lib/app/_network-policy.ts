import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { EntryPoint } from '../entry-points/entry-point';
import { NetworkPeerSpec } from '../resources/_network-policy';
import { NetworkPeer } from './network-policy';

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

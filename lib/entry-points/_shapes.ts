import { shape } from '../core/_shape';
import { DataPlane, EntryPoint } from './entry-point';
import { GatewayImplementation } from './gateway-implementation';

// The contracts of the area's classes that other props take, each with the fix its error gives.

/** What an app or a record is served behind. */
export const ENTRY_POINT_SHAPE = shape.instance(EntryPoint, 'entry point', 'pass the IngressVip, Gateway or ExistingGateway construct it is served behind');

/** The Gateway API implementation of a Gateway, new or existing. */
export const GATEWAY_IMPLEMENTATION_SHAPE = shape.instance(GatewayImplementation, 'GatewayImplementation',
  'use GatewayImplementation.envoyGateway(), nginxGatewayFabric(), cilium(), istio() or traefik()');

/** The pods that carry an entry point's traffic, given by hand. */
export const DATA_PLANE_SHAPE = shape.object<DataPlane>('DataPlane', { namespace: shape.dns1123Label, podLabels: shape.podSelector },
  { required: ['namespace', 'podLabels'] });

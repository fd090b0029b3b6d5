import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { manifestOf } from '../k8s/_manifest';
import { TcpRoute, TlsRoute } from '../imports/gateway.networking.k8s.io';
import { RouteSpec } from './_route';
import { parentRef, RouteParent } from './_http-route';
import { AttachedRoute } from './entry-point';
import { GatewayImplementation } from './gateway-implementation';
import { RouteKind } from './route';

/**
 * A TCP route's TCPRoute, or with `passthrough` its TLSRoute of the host, in the app's
 * namespace, on the listener `listener` of the parent: one rule to the route's Service port.
 * Both `gateway.networking.k8s.io/v1`, the only version Gateway API v1.6's Standard channel
 * serves (v1alpha2 is no longer served). `implementation`: the parent's, when known, which must
 * serve the kind.
 */
export function renderTcpRoute(app: Construct, route: RouteSpec, parent: RouteParent, listener: string | undefined,
  implementation: GatewayImplementation | undefined): Pick<AttachedRoute, 'kind' | 'route'> {
  const passthrough = route.tcp!.passthrough;
  const kind = passthrough ? RouteKind.TLS_PASSTHROUGH : RouteKind.TCP;
  if (implementation !== undefined && !implementation.routeKinds.includes(kind)) {
    throw propError(app, `${route.prop}.tcp`, passthrough ? { passthrough } : {},
      `is a ${passthrough ? 'TLSRoute' : 'TCPRoute'}, which ${implementation.name} (the implementation of ${parent.description}) does not serve at gateway.networking.k8s.io/v1`,
      `serve the port through a Gateway of an implementation that does (${implementation.name}'s preset says why not), or behind an IngressVip on a LoadBalancer Service`);
  }
  const spec = {
    parentRefs: [parentRef(app, route, parent, listener, `${route.prop}.tcp`, passthrough
      ? 'give the Gateway a TLS listener in Passthrough mode for the host' : 'give the Gateway a TCP listener on the port')],
    rules: [{ backendRefs: [{ name: route.serviceName, port: route.servicePort }] }],
  };
  const metadata = { name: route.name, namespace: route.namespace, labels: route.labels };
  return passthrough
    ? { kind: 'TLSRoute', route: new StrictApiObject(app, `${route.idPrefix}TlsRoute`, manifestOf(TlsRoute, { metadata, spec: { ...spec, hostnames: [...route.hosts] } })) }
    : { kind: 'TCPRoute', route: new StrictApiObject(app, `${route.idPrefix}TcpRoute`, manifestOf(TcpRoute, { metadata, spec })) };
}

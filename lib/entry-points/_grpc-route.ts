import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { manifestOf } from '../k8s/_manifest';
import { GrpcRoute, GrpcRouteSpecRulesMatchesMethodType } from '../imports/gateway.networking.k8s.io';
import { RouteSpec } from './_route';
import { httpsParentRefs, RouteParent } from './_http-route';
import { AttachedRoute } from './entry-point';
import { GatewayImplementation } from './gateway-implementation';
import { RouteKind } from './route';

/**
 * A gRPC route's GRPCRoute in the app's namespace, on the HTTPS listener of its host: one rule
 * that matches each service (or method) exactly and sends it to the route's Service port. No
 * HTTPS redirect (a gRPC client follows none) and no timeouts (GRPCRoute has no such field).
 * `implementation`: the parent's, when known, which must serve GRPCRoute.
 */
export function renderGrpcRoute(app: Construct, route: RouteSpec, parent: RouteParent,
  implementation: GatewayImplementation | undefined): Pick<AttachedRoute, 'route'> {
  if (implementation !== undefined && !implementation.routeKinds.includes(RouteKind.GRPC)) {
    throw propError(app, `${route.prop}.grpc`, route.grpc, `is a GRPCRoute, which ${implementation.name} (the implementation of ${parent.description}) does not serve`,
      'serve the gRPC API through a Gateway of an implementation that supports GRPCRoute, or route it as HTTP');
  }
  const grpcRoute = new StrictApiObject(app, `${route.idPrefix}GrpcRoute`, manifestOf(GrpcRoute, {
    metadata: { name: route.name, namespace: route.namespace, labels: route.labels },
    spec: {
      parentRefs: httpsParentRefs(app, route, parent, route.hosts),
      hostnames: [...route.hosts],
      rules: [{
        matches: (route.grpc ?? []).map(m => ({
          method: { type: GrpcRouteSpecRulesMatchesMethodType.EXACT, service: m.service, ...(m.method !== undefined ? { method: m.method } : {}) },
        })),
        backendRefs: [{ name: route.serviceName, port: route.servicePort }],
      }],
    },
  }));
  return { route: grpcRoute };
}

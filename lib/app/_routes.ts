import { IConstruct } from 'constructs';
import { errorAt, propError } from '../core/errors';
import { shape, Where } from '../core/_shape';
import { resolvePortRoute, RouteSpec } from '../entry-points/_route';
import { GrpcMatch, PathType, PortRouteOptions, TcpRouteOptions } from '../entry-points/route';
import { TlsCertificate } from '../entry-points/tls-certificate';
import { PortsSpec } from './_ports';
import { AppProtocol, PortProtocol } from './ports';

/** A protobuf identifier: a letter or `_`, then letters, digits and `_`. */
const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';

/** The run-time shape of `WebAppProps.routes`. */
export const ROUTES_SHAPE = shape.array(shape.object<PortRouteOptions>('PortRouteOptions', {
  name: shape.dns1123Label,
  port: shape.portName,
  host: shape.hostName,
  paths: shape.array(shape.routePath),
  pathType: shape.enum(PathType, 'PathType'),
  grpc: shape.array(shape.object<GrpcMatch>('GrpcMatch', {
    service: shape.format(shape.string, (w, p, v) => checkProtoName(w, p, v, new RegExp(`^${IDENTIFIER}(\\.${IDENTIFIER})*$`), 'ops.v1.Console')),
    method: shape.format(shape.string, (w, p, v) => checkProtoName(w, p, v, new RegExp(`^${IDENTIFIER}$`), 'ListEvents')),
  }, { required: ['service'] })),
  tls: shape.instance(TlsCertificate, 'TlsCertificate',
    'use TlsCertificate.fromSecret(...), TlsCertificate.fromClusterIssuer(...) or TlsCertificate.fromGatewayListener()'),
  sslRedirect: shape.boolean,
  tcp: shape.object<TcpRouteOptions>('TcpRouteOptions', {
    port: shape.port, address: shape.ip, sourceRanges: shape.array(shape.cidr), passthrough: shape.boolean,
  }),
}, { required: ['name', 'port', 'host'] }));

function checkProtoName(where: Where, prop: string, value: string, pattern: RegExp, example: string): void {
  if (!pattern.test(value)) {
    throw errorAt(where, prop, value, 'is not a protobuf name', `write it as in the .proto file, e.g. '${example}'`);
  }
}

/**
 * Validates `routes` against the app's ports: each reaches, by name, a TCP port of `ports` on
 * the Service, a gRPC one a port that speaks h2c; names are unique. `ports` is where every
 * fact of the port comes from: the route takes its Service port name and number there.
 */
export function resolvePortRoutes(scope: IConstruct, routes: readonly PortRouteOptions[] | undefined, ports: PortsSpec,
  app: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string>; readonly podSelector: Record<string, string> }): RouteSpec[] {
  const names = new Set<string>();
  return (routes ?? []).map((options, i) => {
    const prop = `routes[${i}]`;
    if (names.has(options.name)) {
      throw propError(scope, `${prop}.name`, options.name, 'is already the name of another route of the app', 'give each route a name of its own');
    }
    names.add(options.name);
    const routable = ports.extra.filter(p => p.prop !== 'metrics');
    const port = routable.find(p => p.name === options.port);
    if (port === undefined) {
      const fix = routable.length === 0 ? 'declare the port in ports, and name it here' : `name one of ${routable.map(p => `'${p.name}'`).join(', ')}`;
      throw propError(scope, `${prop}.port`, options.port, options.port === ports.serving.name
        ? 'is the serving port, which the app\'s own route reaches (give it more hosts with otherHosts)' : 'names no port of ports', fix);
    }
    if (port.protocol !== PortProtocol.TCP) {
      throw propError(scope, `${prop}.port`, options.port, `is a ${port.protocol} port (${port.prop}), and HTTP, gRPC and TCP routes carry TCP`,
        'route a TCP port; a UDP port is reached in the cluster through the Service, by the peers networkPolicy.allowFrom admits');
    }
    if (options.grpc !== undefined && port.appProtocol !== AppProtocol.H2C) {
      // Required, not defaulted: the port is declared once, and its Service port tells every proxy what it speaks.
      throw propError(scope, `${prop}.port`, options.port, `is a gRPC route's port, and ${port.prop}.appProtocol is ${port.appProtocol ?? 'unset'}, so a proxy may speak HTTP/1.1 to it`,
        `set ${port.prop}.appProtocol to AppProtocol.H2C: a gRPC server speaks HTTP/2 without TLS`);
    }
    return resolvePortRoute(scope, options, { prop, app: app.name, namespace: app.namespace, labels: app.labels, podSelector: app.podSelector, portName: port.name, port: port.servicePort! });
  });
}

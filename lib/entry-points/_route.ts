import { IConstruct } from 'constructs';
import { errorAt, propError } from '../core/errors';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/_validate';
import { shape, Where } from '../core/_shape';
import { GrpcMatch, PathType, PortRouteOptions, RouteOptions, TcpRouteOptions } from './route';
import { TlsCertificate } from './tls-certificate';

/** The app's TLS, validated; the entry point fills in what is left to it. */
export interface TlsSpec {
  readonly source: TlsCertificate['source'];
  /** `undefined`: the entry point's default name. */
  readonly secretName?: string;
  /** `undefined`: the app's namespace (or the Gateway's, for cert-manager behind a Gateway). */
  readonly secretNamespace?: string;
  readonly clusterIssuer?: string;
}

/** Timeouts in seconds; each entry point renders the ones it can express and refuses the rest. */
export interface RouteTimeouts {
  readonly proxyConnectTimeoutSeconds?: number;
  readonly proxyReadTimeoutSeconds?: number;
  readonly proxySendTimeoutSeconds?: number;
  readonly requestTimeoutSeconds?: number;
  readonly backendRequestTimeoutSeconds?: number;
}

/** A route of raw TCP or passed-through TLS, validated: `PortRouteOptions.tcp`. */
export interface TcpSpec {
  /** The port clients connect to; `undefined` with `passthrough`: the Gateway's HTTPS listener port. */
  readonly port?: number;
  /** A pinned address of its own (behind an IngressVip). */
  readonly address?: string;
  /** Client CIDRs that may connect; empty: any. */
  readonly sourceRanges: readonly string[];
  readonly passthrough: boolean;
}

/** One app's route, validated and with every default filled in, for any entry point to render. */
export interface RouteSpec {
  /** The prop it was resolved from, for messages: `route`, or `routes[i]` for a route to another port. */
  readonly prop: string;
  /** The prefix of its objects' construct ids: `''` for the app's route, `Route<Name>` for another port's. */
  readonly idPrefix: string;
  /** A gRPC route of these services or methods (`paths` are then theirs); `undefined` for HTTP. */
  readonly grpc?: readonly GrpcMatch[];
  /** A route of raw TCP or passed-through TLS (`paths` are then empty); `undefined` for HTTP. */
  readonly tcp?: TcpSpec;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The app's first host: its TLS and DNS are always there. */
  readonly host: string;
  /** Every host the app is served at, the first one first. */
  readonly hosts: string[];
  /** Requests for the other hosts are redirected to the first. */
  readonly redirectOtherHosts: boolean;
  readonly paths: string[];
  readonly pathType: PathType;
  readonly tls?: TlsSpec;
  readonly httpsRedirect: boolean;
  readonly proxyBodySize?: string;
  /** The entry point lifts the timeouts that would cut a connection the app holds open. */
  readonly longLivedConnections: boolean;
  /** The timeouts the user gave; with `longLivedConnections`, only the connect timeout. */
  readonly timeouts: RouteTimeouts;
  /** The user's own annotations for the route object. */
  readonly annotations: Record<string, string>;
  /**
   * The app that owns the host, when this app serves only some paths of it: the owner's route
   * asks for the certificate, this one only uses it.
   */
  readonly hostOwner?: { readonly name: string; readonly path: string };
  /** The labels of the app's pods, for a route that selects them itself (a TCP route's LoadBalancer Service). */
  readonly podSelector?: Record<string, string>;
  /** The app's Service, its port name and number. */
  readonly serviceName: string;
  readonly servicePortName: string;
  readonly servicePort: number;
}

export interface RouteIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly host: string;
  /** More hosts, validated. */
  readonly otherHosts: readonly string[];
  /** Redirect the other hosts to the first. */
  readonly redirectOtherHosts: boolean;
  readonly servicePort: number;
}

/**
 * The longest timeout the library writes, in seconds: a day. It is the ceiling of the timeout
 * options, and what `longLivedConnections` writes where a timeout cannot be turned off (nginx,
 * HAProxy), whose read and send timeouts count inactivity: a connection that carries a byte
 * a day (a ping, an SSE comment) stays open.
 */
export const LONGEST_TIMEOUT_SECONDS = 86400;

/** A proxy timeout: 0 is no limit only where the controller says so, which its preset checks. */
const PROXY_TIMEOUT = shape.int(0, LONGEST_TIMEOUT_SECONDS,
  `give whole seconds up to ${LONGEST_TIMEOUT_SECONDS} (a day); for WebSockets, server-sent events and gRPC streams set route.longLivedConnections instead`);
/** An HTTPRoute timeout: 0 is `0s`, which turns it off. */
const ROUTE_TIMEOUT = shape.int(0, LONGEST_TIMEOUT_SECONDS, `give whole seconds up to ${LONGEST_TIMEOUT_SECONDS} (a day), or 0 for no limit`);

/** The run-time shape of `RouteOptions`. */
export const ROUTE_SHAPE = shape.object<RouteOptions>('RouteOptions', {
  paths: shape.array(shape.routePath),
  pathType: shape.enum(PathType, 'PathType'),
  tls: shape.instance(TlsCertificate, 'TlsCertificate',
    'use TlsCertificate.fromSecret(...), TlsCertificate.fromClusterIssuer(...) or TlsCertificate.fromGatewayListener()'),
  sslRedirect: shape.boolean,
  proxyBodySize: shape.format(shape.string, checkNginxSize),
  longLivedConnections: shape.boolean,
  proxyConnectTimeoutSeconds: PROXY_TIMEOUT,
  proxyReadTimeoutSeconds: PROXY_TIMEOUT,
  proxySendTimeoutSeconds: PROXY_TIMEOUT,
  requestTimeoutSeconds: ROUTE_TIMEOUT,
  backendRequestTimeoutSeconds: ROUTE_TIMEOUT,
  annotations: shape.annotations,
});

/** An nginx size: a whole number with an optional k, m or g suffix. */
function checkNginxSize(where: Where, prop: string, value: string): void {
  if (!/^\d+[kKmMgG]?$/.test(value)) {
    throw errorAt(where, prop, value, 'is not an nginx size',
      'write a whole number with an optional k, m or g suffix, e.g. \'8m\' (\'0\' for no limit)');
  }
}

const TIMEOUTS = [
  'proxyConnectTimeoutSeconds', 'proxyReadTimeoutSeconds', 'proxySendTimeoutSeconds',
  'requestTimeoutSeconds', 'backendRequestTimeoutSeconds',
] as const;
/** The timeouts `longLivedConnections` sets: every one that can cut an open connection. */
const SET_BY_LONG_LIVED: ReadonlyArray<typeof TIMEOUTS[number]> = [
  'proxyReadTimeoutSeconds', 'proxySendTimeoutSeconds', 'requestTimeoutSeconds', 'backendRequestTimeoutSeconds',
];

/**
 * Validates the `route` prop of an app into a RouteSpec; an app that serves paths of another
 * app's host (`shared`) takes that app's TLS and HTTPS redirect.
 */
export function resolveRoute(scope: IConstruct, options: RouteOptions, app: RouteIdentity,
  shared?: { readonly ownerPath: string; readonly route: RouteSpec }): RouteSpec {
  const paths = resolvePaths(scope, 'route', options.paths);
  const tls = shared !== undefined ? shared.route.tls : options.tls === undefined ? undefined : resolveTls(scope, 'route', options.tls);
  const httpsRedirect = shared !== undefined ? shared.route.httpsRedirect : resolveRedirect(scope, 'route', options.sslRedirect, tls);
  const longLivedConnections = options.longLivedConnections ?? false;
  const timeouts: Record<string, number | undefined> = {};
  for (const prop of TIMEOUTS) {
    const value = options[prop];
    if (longLivedConnections && value !== undefined && SET_BY_LONG_LIVED.includes(prop)) {
      throw propError(scope, `route.${prop}`, value, 'is given beside \'route.longLivedConnections\', which sets that timeout itself (off, or as long as the entry point allows)',
        `drop ${prop}`);
    }
    timeouts[prop] = value;
  }
  const { requestTimeoutSeconds: request, backendRequestTimeoutSeconds: backend } = timeouts;
  // A request timeout of 0 (no limit) bounds no backend timeout.
  if (request !== undefined && request > 0 && backend !== undefined && backend > request) {
    throw propError(scope, 'route.backendRequestTimeoutSeconds', backend, `is above 'route.requestTimeoutSeconds' (${request}), which covers it`,
      'lower backendRequestTimeoutSeconds or raise requestTimeoutSeconds');
  }
  const annotations = { ...(options.annotations ?? {}) };
  return {
    prop: 'route',
    idPrefix: '',
    name: app.name,
    namespace: app.namespace,
    labels: app.labels,
    host: app.host,
    hosts: [app.host, ...app.otherHosts],
    redirectOtherHosts: app.redirectOtherHosts,
    paths,
    pathType: options.pathType ?? PathType.PREFIX,
    tls,
    httpsRedirect,
    proxyBodySize: options.proxyBodySize,
    longLivedConnections,
    timeouts,
    annotations,
    hostOwner: shared && { name: shared.route.hostOwner?.name ?? shared.route.name, path: shared.ownerPath },
    serviceName: app.name,
    servicePortName: 'http',
    servicePort: app.servicePort,
  };
}

/** The app a route to another port belongs to, and the Service port it reaches. */
export interface PortRouteTarget {
  /** `routes[i]`. */
  readonly prop: string;
  /** The app's name (and its Service's). */
  readonly app: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The labels of the app's pods. */
  readonly podSelector: Record<string, string>;
  /** The Service port's name and number. */
  readonly portName: string;
  readonly port: number;
}

/**
 * Validates one route to another port into a RouteSpec of its own (`<app>-<name>`): its host
 * only, its paths or its gRPC services' paths, its TLS; no timeouts or annotations.
 */
export function resolvePortRoute(scope: IConstruct, options: PortRouteOptions, target: PortRouteTarget): RouteSpec {
  const prop = target.prop;
  const grpc = options.grpc === undefined ? undefined : [...options.grpc];
  let paths: string[];
  if (options.tcp !== undefined) {
    return { ...portRouteBase(options, target), tcp: resolveTcp(scope, prop, options, target.port), paths: [], httpsRedirect: false };
  }
  if (grpc !== undefined) {
    for (const key of ['paths', 'pathType'] as const) {
      if (options[key] !== undefined) {
        throw propError(scope, `${prop}.${key}`, options[key], 'is set on a gRPC route, whose paths are its services\' and methods\'', `drop ${key}, or drop grpc for an HTTP route`);
      }
    }
    if (grpc.length === 0) {
      throw propError(scope, `${prop}.grpc`, grpc, 'is empty, so nothing would reach the port', 'give at least one service, e.g. [{ service: \'ops.v1.Console\' }]');
    }
    // gRPC's request path is /package.Service/Method: a service is the prefix of its methods.
    paths = resolvePaths(scope, `${prop}.grpc`, grpc.map(m => `/${m.service}${m.method === undefined ? '' : `/${m.method}`}`));
    if (options.tls === undefined) {
      throw propError(scope, `${prop}.tls`, undefined, 'is required for a gRPC route: gRPC clients speak HTTP/2, which the proxies negotiate on TLS',
        'give the route a certificate, e.g. tls: TlsCertificate.fromClusterIssuer(\'letsencrypt\')');
    }
    if (options.sslRedirect !== undefined) {
      throw propError(scope, `${prop}.sslRedirect`, options.sslRedirect, 'is set on a gRPC route, and a gRPC client follows no redirect',
        'drop sslRedirect: a gRPC route is served on HTTPS only');
    }
  } else {
    paths = resolvePaths(scope, prop, options.paths);
  }
  const tls = options.tls === undefined ? undefined : resolveTls(scope, prop, options.tls);
  return {
    ...portRouteBase(options, target),
    grpc,
    paths,
    pathType: options.pathType ?? PathType.PREFIX,
    tls,
    httpsRedirect: grpc !== undefined ? false : resolveRedirect(scope, prop, options.sslRedirect, tls),
  };
}

/** What every route to another port is, whatever it carries: its names, host and backend. */
function portRouteBase(options: PortRouteOptions, target: PortRouteTarget): Omit<RouteSpec, 'paths' | 'httpsRedirect'> {
  return {
    prop: target.prop,
    idPrefix: `Route${options.name.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`,
    name: `${target.app}-${options.name}`,
    namespace: target.namespace,
    labels: target.labels,
    host: options.host,
    hosts: [options.host],
    redirectOtherHosts: false,
    pathType: PathType.PREFIX,
    longLivedConnections: false,
    timeouts: {},
    annotations: {},
    podSelector: { ...target.podSelector },
    serviceName: target.app,
    servicePortName: target.portName,
    servicePort: target.port,
  };
}

/** A TCP route carries bytes, not requests: none of the HTTP options, and its port and sources. */
function resolveTcp(scope: IConstruct, prop: string, options: PortRouteOptions, servicePort: number): TcpSpec {
  const tcp: TcpRouteOptions = options.tcp!;
  for (const key of ['paths', 'pathType', 'grpc', 'tls', 'sslRedirect'] as const) {
    if (options[key] !== undefined) {
      throw propError(scope, `${prop}.${key}`, options[key], 'is set on a TCP route, which carries the port\'s bytes as they are, not HTTP requests',
        key === 'tls' ? 'drop tls: the app terminates its own TLS (set tcp.passthrough to route it by its SNI host behind a Gateway)' : `drop ${key}, or drop tcp for an HTTP route`);
    }
  }
  const passthrough = tcp.passthrough ?? false;
  if (passthrough && tcp.address !== undefined) {
    throw propError(scope, `${prop}.tcp.address`, tcp.address, 'is set on a passthrough route, which a Gateway routes by its SNI host on the Gateway\'s address',
      'drop address, or drop passthrough for a TCP route on an address of its own behind an IngressVip');
  }
  const sourceRanges = [...(tcp.sourceRanges ?? [])];
  if (tcp.sourceRanges !== undefined && sourceRanges.length === 0) {
    throw propError(scope, `${prop}.tcp.sourceRanges`, sourceRanges, 'is empty, so no client could connect', 'leave sourceRanges out for any client, or list the CIDRs that may connect');
  }
  return { port: tcp.port ?? (passthrough ? undefined : servicePort), address: tcp.address, sourceRanges, passthrough };
}

/** A route's paths, `['/']` unless given: at least one, each once. */
function resolvePaths(scope: IConstruct, prop: string, given: readonly string[] | undefined): string[] {
  const paths = [...(given ?? ['/'])];
  const at = prop.endsWith('.grpc') ? prop : `${prop}.paths`;
  if (paths.length === 0) {
    throw propError(scope, at, paths, 'is empty, so nothing would reach the app', 'give at least one path, e.g. [\'/\']');
  }
  const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
  if (duplicate !== undefined) {
    throw propError(scope, at, given, `lists "${duplicate}" twice`, 'list each path once');
  }
  return paths;
}

/** The HTTPS redirect: on by default with TLS, an error without. */
function resolveRedirect(scope: IConstruct, prop: string, sslRedirect: boolean | undefined, tls: TlsSpec | undefined): boolean {
  const httpsRedirect = sslRedirect ?? tls !== undefined;
  if (httpsRedirect && tls === undefined) {
    throw propError(scope, `${prop}.sslRedirect`, sslRedirect, 'is true, but the route has no TLS',
      `give ${prop}.tls, or drop sslRedirect`);
  }
  return httpsRedirect;
}

/** The certificate's names, checked where it is used: its factory knows only their types. */
function resolveTls(scope: IConstruct, prop: string, tls: TlsCertificate): TlsSpec {
  return {
    source: tls.source,
    secretName: tls.secretName === undefined ? undefined : checkDns1123Subdomain(scope, `${prop}.tls.secretName`, tls.secretName),
    secretNamespace: tls.secretNamespace === undefined ? undefined : checkDns1123Label(scope, `${prop}.tls.namespace`, tls.secretNamespace),
    clusterIssuer: tls.clusterIssuer === undefined ? undefined : checkDns1123Subdomain(scope, `${prop}.tls.clusterIssuer`, tls.clusterIssuer),
  };
}

/** Fails when `typed` (annotations a typed option wrote) and the user's own annotations share a key. */
export function mergeAnnotations(scope: IConstruct, route: RouteSpec, typed: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(route.annotations)) {
    if (Object.hasOwn(typed, key)) {
      throw propError(scope, `route.annotations["${key}"]`, value, 'would override an annotation a typed option writes',
        'set it with its typed route option instead');
    }
  }
  return { ...route.annotations, ...typed };
}

/** The rendered route objects of one app and what they must agree with, for the synth-time checks. */
export interface RouteCheck {
  /** The app's first host. */
  readonly host: string;
  /** Every host of the app: what the HTTPS redirect's hosts must be. */
  readonly hosts: readonly string[];
  /** The hosts the main route serves: every host, or only the first when the others redirect. */
  readonly routeHosts: readonly string[];
  /** The route that redirects the other hosts to the first, if any. */
  readonly hostRedirect?: any;
  /** The app's Service: its name and ports. */
  readonly service: { readonly name: string; readonly ports: ReadonlyArray<{ readonly name?: string; readonly port: number }> };
  /** The main route object, as it will be written (after escape-hatch patches). */
  readonly route: any;
  /** The redirect route, if any. */
  readonly redirect?: any;
}

/** One record that ExternalDNS publishes from annotations. */
export interface ExternalDnsRecord {
  /** The annotation prefix, with its trailing `/`. */
  readonly prefix: string;
  /** The name to publish. */
  readonly hostName: string;
  /** The address the name points at. */
  readonly target: string;
  /** Time to live, in seconds. */
  readonly ttl: number;
}

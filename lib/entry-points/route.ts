import { TlsCertificate } from './tls-certificate';

/** How a route path matches. */
export enum PathType {
  /** The path and everything below it, by `/`-separated element (Ingress `Prefix`, HTTPRoute `PathPrefix`). */
  PREFIX = 'Prefix',
  /** Only the exact path (`Exact` in both). */
  EXACT = 'Exact',
}

/**
 * How requests for the app's host reach it: the same options whether the entry point renders
 * an Ingress or an HTTPRoute. An option the entry point cannot express is an error that names
 * the entry point and the alternative, never a silent drop.
 */
export interface RouteOptions {
  /**
   * The paths routed to the app.
   * @default ['/']
   */
  readonly paths?: string[];
  /**
   * How the paths match.
   * @default PathType.PREFIX
   */
  readonly pathType?: PathType;
  /**
   * Serve HTTPS with this certificate.
   * @default - plain HTTP only
   */
  readonly tls?: TlsCertificate;
  /**
   * Redirect plain HTTP to HTTPS: the ingress controller's redirect annotation, or an HTTPRoute
   * with a `RequestRedirect` filter (301) on the Gateway's HTTP listener.
   * @default - true with TLS; false without, where it is an error to set it
   */
  readonly sslRedirect?: boolean;
  /**
   * Largest request body, as nginx writes sizes (`1m`, `512k`, `0` for no limit). Ingress only:
   * Gateway API has no such field.
   * @default - the controller's default
   */
  readonly proxyBodySize?: string;
  /**
   * The app holds connections open (WebSockets, server-sent events, gRPC streams), and the
   * entry point lifts the timeouts that would cut them: off where the controller or
   * implementation has "no limit" (`0` for Traefik's NGINX provider, `timeouts.request: 0s` on
   * an HTTPRoute), else as long as it allows (a day of inactivity for nginx and HAProxy, plus
   * F5 NGINX's `websocket-services`); nothing where nothing cuts them (Traefik's Gateway
   * provider); an error where only a resource of the implementation's own could (NGINX Gateway
   * Fabric). It sets the read, send and HTTPRoute timeouts, so none may be given beside it.
   * What still limits a connection is in the README's tables.
   * @default false
   */
  readonly longLivedConnections?: boolean;
  /**
   * Seconds to connect to the app; `0` for no limit, only where the controller has one
   * (Traefik's NGINX provider). Ingress only.
   * @default - the controller's default
   */
  readonly proxyConnectTimeoutSeconds?: number;
  /**
   * Seconds to wait between two reads of the app's response. `0` is no limit only where the
   * controller has one (Traefik's NGINX provider); elsewhere it is an error, and connections
   * that must stay open take `longLivedConnections`. Ingress only.
   * @default - the controller's default
   */
  readonly proxyReadTimeoutSeconds?: number;
  /**
   * Seconds to wait between two writes of the request to the app; `0` as for
   * `proxyReadTimeoutSeconds`. Ingress only.
   * @default - the controller's default
   */
  readonly proxySendTimeoutSeconds?: number;
  /**
   * Seconds the whole request may take, from the client's request to the full response
   * (HTTPRoute `timeouts.request`); `0` for no limit (`0s`). Gateway API only, and an error
   * behind an implementation that ignores HTTPRoute timeouts (NGINX Gateway Fabric, Traefik).
   * @default - the implementation's default
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Seconds one request from the data plane to the app may take, until its full response
   * (HTTPRoute `timeouts.backendRequest`); `0` for no limit; at most `requestTimeoutSeconds`
   * unless that is `0`. Gateway API only, as `requestTimeoutSeconds`.
   * @default - the implementation's default
   */
  readonly backendRequestTimeoutSeconds?: number;
  /**
   * Other annotations of the route object (the Ingress or the HTTPRoute), for what the typed
   * options do not cover. They may not set an annotation a typed option writes.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** The kinds of route an entry point can give a port: each preset lists the ones it supports. */
export enum RouteKind {
  /** HTTP: an Ingress rule, or an HTTPRoute. */
  HTTP = 'HTTP',
  /** gRPC: an Ingress with the controller's gRPC backend annotation, or a GRPCRoute. */
  GRPC = 'gRPC',
  /** Raw TCP on a port of its own: a TCPRoute on a TCP listener (behind an IngressVip, a LoadBalancer Service). */
  TCP = 'TCP',
  /** TLS passed through to the app by its SNI host: a TLSRoute on a TLS listener in `Passthrough` mode. */
  TLS_PASSTHROUGH = 'TLS passthrough',
}

/**
 * A route that carries a port's bytes as they are: `PortRouteOptions.tcp`. Behind a Gateway, a
 * TCPRoute on a listener of protocol TCP on `port` (or, with `passthrough`, a TLSRoute of the
 * host on a TLS listener that passes the TLS through); behind an `IngressVip`, which carries
 * only HTTP, a LoadBalancer Service of the app's pods on a pinned address.
 */
export interface TcpRouteOptions {
  /**
   * The port clients connect to: the Gateway listener's port, or the LoadBalancer Service's.
   * Behind Traefik's Gateway provider, it must be one of Traefik's entry points.
   * @default - the port's Service port; with `passthrough`, the Gateway's HTTPS listener port
   */
  readonly port?: number;
  /**
   * Behind an `IngressVip`: the address of the LoadBalancer Service, pinned the way the VIP's
   * is (its `addressMode`). Left out, the Service shares the VIP's own address, which MetalLB
   * allows only when both Services route with `externalTrafficPolicy: Cluster` (the VIP's
   * default is `Local`, so it is an error then). Not behind a Gateway: the Gateway's address
   * carries every listener.
   * @default - the VIP's address
   */
  readonly address?: string;
  /**
   * The client CIDR blocks that may connect, behind an `IngressVip`: the Service's
   * `loadBalancerSourceRanges` and the sources the app's NetworkPolicy admits to the port
   * (the Service keeps the client's address: `externalTrafficPolicy: Local`).
   * @default - any address of the VIP's family
   */
  readonly sourceRanges?: string[];
  /**
   * The port speaks TLS itself and the Gateway passes it through, routed by the SNI of the
   * route's host: a TLSRoute on a TLS listener with `tls.mode: Passthrough`. Gateway only.
   * @default false
   */
  readonly passthrough?: boolean;
}

/** A gRPC service, or one method of it: `PortRouteOptions.grpc`. */
export interface GrpcMatch {
  /** The fully qualified service, as in the proto (`package.Service`), e.g. `ops.v1.Console`. */
  readonly service: string;
  /**
   * One method of the service, e.g. `ListEvents`.
   * @default - every method of the service
   */
  readonly method?: string;
}

/**
 * A route to one of the app's `ports` on a host of its own: `WebAppProps.routes`. It is an
 * object of its own (`<app>-<name>`: an Ingress, an HTTPRoute, a GRPCRoute, a TCPRoute or a
 * TLSRoute by the entry point and the options, or a LoadBalancer Service for TCP behind an
 * `IngressVip`), its host and paths are claimed on the entry point like the app's, and the app's
 * NetworkPolicy admits the entry point's data plane to the port.
 */
export interface PortRouteOptions {
  /** Its name, unique among the app's routes: the route object is `<app>-<name>`. */
  readonly name: string;
  /** The port it reaches: the name of one of the app's `ports`. */
  readonly port: string;
  /** The host clients use; it gets a DNS record of its own unless it is one of the app's hosts. */
  readonly host: string;
  /**
   * HTTP paths routed to the port. Not with `grpc`.
   * @default ['/']
   */
  readonly paths?: string[];
  /**
   * How the paths match. Not with `grpc`.
   * @default PathType.PREFIX
   */
  readonly pathType?: PathType;
  /**
   * Make it a gRPC route of these services or methods: a GRPCRoute behind a Gateway, an Ingress
   * of their paths (`/service/` or `/service/method`) with the controller's gRPC backend
   * annotation behind an IngressVip. It needs `tls` (gRPC clients speak HTTP/2, which the
   * proxies negotiate on TLS) and a port with `appProtocol: AppProtocol.H2C`.
   * @default - an HTTP route
   */
  readonly grpc?: GrpcMatch[];
  /**
   * Make it a route of raw TCP (or of passed-through TLS), not HTTP: see `TcpRouteOptions`. Not
   * with `paths`, `grpc`, `tls` or `sslRedirect`.
   * @default - an HTTP route
   */
  readonly tcp?: TcpRouteOptions;
  /**
   * Serve HTTPS with this certificate, as the app's `route.tls`.
   * @default - plain HTTP only; required with `grpc`
   */
  readonly tls?: TlsCertificate;
  /**
   * Redirect plain HTTP to HTTPS, as the app's `route.sslRedirect`. Not with `grpc`: a gRPC
   * client follows no redirect, so a gRPC route is served on HTTPS only.
   * @default - true with TLS for HTTP; false for gRPC
   */
  readonly sslRedirect?: boolean;
}

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
   * Seconds to connect to the app. Ingress only.
   * @default - the controller's default
   */
  readonly proxyConnectTimeoutSeconds?: number;
  /**
   * Seconds to wait between two reads of the app's response. Ingress only.
   * @default - the controller's default
   */
  readonly proxyReadTimeoutSeconds?: number;
  /**
   * Seconds to wait between two writes of the request to the app. Ingress only.
   * @default - the controller's default
   */
  readonly proxySendTimeoutSeconds?: number;
  /**
   * Seconds the whole request may take, from the client's request to the full response
   * (HTTPRoute `timeouts.request`). Gateway API only.
   * @default - the implementation's default
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Seconds one request from the data plane to the app may take, until its full response
   * (HTTPRoute `timeouts.backendRequest`); at most `requestTimeoutSeconds`. Gateway API only.
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

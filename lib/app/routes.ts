import { ApiObject } from 'cdk8s';
import { DnsRecord } from '../dns/dns-record';
import { AttachedRoute } from '../entry-points/entry-point';

/** What the app rendered for one of its `routes`: `WebApp.routes`. */
export interface PortRouteObjects {
  /** The route's name, as in `routes`. */
  readonly name: string;
  /** The port of `ports` it reaches. */
  readonly port: string;
  /** Its host. */
  readonly host: string;
  /** Every path it serves at its host, `https://` with TLS (a gRPC route's are its services' and methods'; a TCP route has none). */
  readonly urls: readonly string[];
  /** `Ingress`, `HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, or the LoadBalancer `Service` of a TCP route behind an IngressVip. */
  readonly kind: AttachedRoute['kind'];
  /** The route object `<app>-<name>`. */
  readonly route: ApiObject;
  /** The address clients reach it at: the entry point's, or a TCP route's own; `undefined` when cloud-assigned. */
  readonly address?: string;
  /** The HTTPRoute that redirects plain HTTP to HTTPS (an HTTP route behind a Gateway, with TLS and the redirect on). */
  readonly httpsRedirect?: ApiObject;
  /** The ReferenceGrant that lets the Gateway read its certificate Secret in the app's namespace. */
  readonly referenceGrant?: ApiObject;
  /** The DNS record of its host, unless the host is the app's or an earlier route's, or `dns` is false. */
  readonly dnsRecord?: DnsRecord;
}

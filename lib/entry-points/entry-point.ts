import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { ExternalDnsRecord, RouteCheck, RouteSpec } from './_route';
import { NetworkPeerSpec } from '../resources/_network-policy';
import { ExternalDnsAnnotationPrefix } from './external-dns';

/** The pods that carry traffic from the entry point to the apps: the peer of every app's NetworkPolicy. */
export interface DataPlane {
  /** Their namespace. */
  readonly namespace: string;
  /** Labels that select them. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** What an entry point rendered for one app's route. */
export interface AttachedRoute {
  /**
   * The kind of the main route object: `Ingress` or `HTTPRoute`; for a route to another port
   * behind a Gateway also `GRPCRoute`, `TCPRoute` or `TLSRoute`, and for a TCP route behind an
   * IngressVip the LoadBalancer `Service` that carries it.
   */
  readonly kind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute' | 'Service';
  /** The object that routes the app's host and paths to its Service. */
  readonly route: ApiObject;
  /** The HTTPRoute that redirects plain HTTP to HTTPS, when TLS and the redirect are on (Gateway API only). */
  readonly redirect?: ApiObject;
  /** The ReferenceGrant that lets the Gateway read the app's certificate Secret, when it lives in the app's namespace. */
  readonly referenceGrant?: ApiObject;
  /** The Ingress or HTTPRoute that redirects the other hosts to the first, with `redirectOtherHosts`. */
  readonly hostRedirect?: ApiObject;
  /** The address clients reach the route at, when it is not the entry point's: a TCP route's own LoadBalancer address. */
  readonly address?: string;
}

/** The host names already published from a route's annotations. */
const publishedNames = new WeakMap<ApiObject, string[]>();

/**
 * What apps are served behind: an ingress controller behind its VIP (`IngressVip`), a Gateway
 * the library emits (`Gateway`), or a Gateway the platform team owns (`ExistingGateway`).
 *
 * An app takes the entry point as one prop, and reads from it the kind of route it gets
 * (Ingress or HTTPRoute), the address its DNS record points at, and the data-plane pods its
 * NetworkPolicy admits. Moving an app from one kind of cluster to the other is that one prop.
 */
export abstract class EntryPoint extends Construct {
  /** The entry point's own namespace (the VIP's or the Gateway's): no app may take it. */
  public abstract readonly namespace: string;
  /** The pinned address clients reach, or `undefined` when a cloud assigns it. */
  public abstract readonly address?: string;
  /** 4 or 6 for a pinned address. */
  public abstract readonly ipFamily?: 4 | 6;
  /**
   * The pods that forward traffic to the apps, or `undefined` when a Kubernetes NetworkPolicy
   * cannot select them (Cilium's per-node proxy).
   */
  public abstract readonly dataPlane?: DataPlane;
  /** Labels an app's namespace must carry for the entry point to admit its routes. */
  public abstract readonly routeNamespaceLabels: Readonly<Record<string, string>>;
  /** A short description for messages, e.g. `Gateway gateway/web`. */
  public abstract readonly description: string;

  /** `host` + path -> the app that claimed it. */
  private readonly claims = new Map<string, string>();
  /** host -> the kind of the route objects on it, and who routed it first. */
  private readonly hostKinds = new Map<string, { readonly kind: string; readonly owner: string }>();

  /**
   * Renders the route objects of one app in the app's scope.
   * @internal
   */
  public _attach(app: Construct, route: RouteSpec): AttachedRoute {
    // A TCP route claims a port, not a host and path: the entry point that gives it one checks it.
    if (route.tcp === undefined) {
      this.claim(app, route);
    }
    return this.renderRoute(app, route);
  }

  /**
   * Who reaches the pods through `route`, for the app's NetworkPolicy: the data plane, unless
   * the route's clients connect to the pods themselves (`undefined`: the data plane).
   * @internal
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a hook: IngressVip's TCP routes are reached by their clients
  public _routePeers(_route: RouteSpec): NetworkPeerSpec[] | undefined {
    return undefined;
  }

  /**
   * Writes ExternalDNS's annotations for one record: the host name and TTL on the app's route
   * object, and the target where ExternalDNS reads it for this kind of entry point.
   * @internal
   */
  public _annotateForExternalDns(route: ApiObject, record: ExternalDnsRecord): void {
    if (!publishedNames.has(route)) {
      // The first record of the route: any ExternalDNS annotation on it is the user's own, and
      // one of either prefix would be replaced, or read beside the provider's by another version.
      const own = route.metadata.toJson().annotations ?? {};
      const keys = Object.values(ExternalDnsAnnotationPrefix).flatMap(prefix => ['hostname', 'ttl', 'target'].map(k => `${prefix}${k}`));
      for (const key of keys.filter(k => Object.hasOwn(own, k))) {
        throw propError(route.node.scope!, `route.annotations["${key}"]`, own[key], 'would be replaced by the annotation its DNS provider writes',
          'drop it: DnsProvider.externalDnsAnnotations() writes the host, TTL and target from the app\'s props');
      }
    }
    // Several records of one app annotate one route: ExternalDNS takes a comma-separated list.
    const names = [...(publishedNames.get(route) ?? []), record.hostName];
    publishedNames.set(route, names);
    route.metadata.addAnnotation(`${record.prefix}hostname`, names.join(','));
    route.metadata.addAnnotation(`${record.prefix}ttl`, String(record.ttl));
  }

  /**
   * Synth-time checks of one app's rendered route objects: hosts equal the app's host (and its
   * TLS host), the backend is a port of the app's Service, the parent is this entry point.
   * @internal
   */
  public abstract _routeErrors(check: RouteCheck): string[];

  /** Renders the route objects of `route` in `app`'s scope, after the claim was checked. */
  protected abstract renderRoute(app: Construct, route: RouteSpec): AttachedRoute;

  /**
   * The kind of object `route` becomes, where the kinds of one host must agree: behind a Gateway
   * an HTTPRoute and a GRPCRoute of one hostname on one listener conflict, and one is rejected.
   */
  protected routeKindOf(route: RouteSpec): string {
    return route.grpc !== undefined ? 'GRPCRoute' : 'HTTPRoute';
  }

  /** Fails when another app already routes one of `route`'s host and path pairs through this entry point. */
  private claim(app: Construct, route: RouteSpec): void {
    const hostProp = (i: number) => (route.prop !== 'route' ? `${route.prop}.host` : i === 0 ? 'host' : `otherHosts[${i - 1}]`);
    const kind = this.routeKindOf(route);
    for (const [i, host] of route.hosts.entries()) {
      const other = this.hostKinds.get(host);
      if (other !== undefined && other.kind !== kind) {
        throw propError(app, hostProp(i), host,
          `would carry a ${kind}, but ${other.owner} routes it with a ${other.kind} through ${this.description}, and an HTTPRoute and a GRPCRoute of one host on one listener conflict (one of them is rejected)`,
          'give the gRPC API a host of its own');
      }
      for (const path of route.paths) {
        const owner = this.claims.get(`${host}${path}`);
        if (owner !== undefined) {
          throw propError(app, hostProp(i), host,
            `and path "${path}" are already routed through ${this.description} by ${owner}, so one app would silently take the other's traffic`,
            'give each app its own host, or its own paths on a shared host');
        }
      }
    }
    for (const host of route.hosts) {
      for (const path of route.paths) {
        this.claims.set(`${host}${path}`, app.node.path);
      }
      if (!this.hostKinds.has(host)) {
        this.hostKinds.set(host, { kind, owner: app.node.path });
      }
    }
  }
}

import { checkShape, shape } from '../core/_shape';
import { DataPlane } from './entry-point';
import { RouteKind } from './route';

/** What an implementation does with a Gateway's `spec.addresses` of type `IPAddress`. */
export enum AddressesHandling {
  /** Writes the first address into its Service's `spec.loadBalancerIP`, which MetalLB and kube-vip honour. */
  LOAD_BALANCER_IP = 'loadBalancerIP',
  /** Writes them into its Service's `spec.externalIPs`, which MetalLB and kube-vip ignore. */
  EXTERNAL_IPS = 'externalIPs',
  /** Writes them into the `io.cilium/lb-ipam-ips` annotation, which only Cilium's LB-IPAM reads. */
  CILIUM_LB_IPAM = 'io.cilium/lb-ipam-ips',
  /** Ignores them: it provisions no Service per Gateway. */
  IGNORED = 'ignored',
}

/**
 * What an implementation does with an HTTPRoute's `timeouts`: what the route's
 * `requestTimeoutSeconds`, `backendRequestTimeoutSeconds` and `longLivedConnections` write
 * (see the README's table).
 */
export interface HttpRouteTimeoutSupport {
  /**
   * It honours `timeouts.request` and `backendRequest` (Gateway API's HTTPRouteRequestTimeout
   * and HTTPRouteBackendTimeout features), and `0s` turns them off or, where it cannot, makes
   * them as long as it allows (the spec's rule). `longLivedConnections` writes `request: 0s`.
   */
  readonly honoured: boolean;
  /**
   * Where they are not honoured: how to set its timeouts instead, the fix of the error a route
   * timeout option gives (the implementation accepts the route and drops the field).
   * @default - none: they are honoured
   */
  readonly instead?: string;
  /**
   * Where they are not honoured: a default of its own that cuts a connection left open and
   * that no HTTPRoute field lifts, e.g. nginx's 60-second read timeout. With one,
   * `longLivedConnections` is an error that gives `instead`; without, it writes nothing.
   * @default - none: nothing of its own cuts a long-lived connection
   */
  readonly cutsLongLived?: string;
}

/** The Gateway a preset describes the data plane of. */
export interface GatewayIdentity {
  /** The Gateway's name. */
  readonly name: string;
  /** The Gateway's namespace. */
  readonly namespace: string;
  /** Its GatewayClass. */
  readonly gatewayClassName: string;
}

/**
 * A Gateway API implementation: its usual GatewayClass, how it reads the pinned address, where
 * its data-plane pods run and how they are labelled, and the ports its listeners bind.
 *
 * Each preset was read off the implementation's own source and Helm chart (see the README's
 * implementation table).
 */
export abstract class GatewayImplementation {
  /**
   * Envoy Gateway (class `eg`). Its data plane runs in the controller's namespace
   * (`envoy-gateway-system`) unless the controller is in GatewayNamespace mode; it copies
   * `spec.infrastructure.annotations` to its Service and `spec.addresses` to `externalIPs`.
   */
  public static envoyGateway(options: EnvoyGatewayOptions = {}): GatewayImplementation {
    checkShape('GatewayImplementation.envoyGateway()', 'options', options, shape.object<EnvoyGatewayOptions>('EnvoyGatewayOptions', {
      controllerNamespace: shape.string, gatewayNamespaceMode: shape.boolean,
    }));
    return new EnvoyGateway(options.controllerNamespace ?? 'envoy-gateway-system', options.gatewayNamespaceMode ?? false);
  }

  /**
   * NGINX Gateway Fabric (class `nginx`). Its data plane runs in the Gateway's namespace; it
   * copies `spec.infrastructure.annotations` to its Service; v2.6 writes `spec.addresses` into
   * `externalIPs`, and later releases claim the Service with their own loadBalancerClass.
   */
  public static nginxGatewayFabric(): GatewayImplementation {
    return new NginxGatewayFabric();
  }

  /**
   * Cilium (class `cilium`). It forwards through the per-node Envoy under the reserved
   * `ingress` identity, which a Kubernetes NetworkPolicy cannot select: apps behind it need a
   * CiliumNetworkPolicy (`fromEntities: [ingress]`) instead. It copies
   * `spec.infrastructure.annotations` to its Service and `spec.addresses` to the LB-IPAM annotation.
   */
  public static cilium(): GatewayImplementation {
    return new Cilium();
  }

  /**
   * Istio (class `istio`). Its data plane runs in the Gateway's namespace; it copies
   * `spec.infrastructure.annotations` to its Service, and a single `spec.addresses` entry to
   * `spec.loadBalancerIP` (more than one makes the Gateway unmanaged).
   */
  public static istio(): GatewayImplementation {
    return new Istio();
  }

  /**
   * Traefik v3 (class `traefik`). It provisions nothing per Gateway: its own Deployment and
   * Service (from its Helm chart) are the data plane and the VIP, so the address is pinned on
   * that Service (for example by an `IngressVip` in front of it), and listeners bind Traefik's
   * entry-point ports (8000 and 8443 in the chart).
   */
  public static traefik(options: TraefikOptions = {}): GatewayImplementation {
    checkShape('GatewayImplementation.traefik()', 'options', options, shape.object<TraefikOptions>('TraefikOptions', {
      namespace: shape.string, release: shape.string,
      ports: shape.object<{ http: number; https: number }>('ports', { http: shape.port, https: shape.port }, { required: ['http', 'https'] }),
    }));
    const namespace = options.namespace ?? 'traefik';
    const release = options.release ?? 'traefik';
    return new Traefik(namespace, release, options.ports ?? { http: 8000, https: 8443 });
  }

  /** The implementation's name, for messages. */
  public abstract readonly name: string;
  /** The GatewayClass its install creates. */
  public abstract readonly gatewayClassName: string;
  /** What it does with `spec.addresses`. */
  public abstract readonly addresses: AddressesHandling;
  /** Whether it copies `spec.infrastructure.annotations` onto the Service it provisions. */
  public abstract readonly copiesInfrastructureAnnotations: boolean;
  /**
   * The route kinds it serves at the API versions the library writes (`gateway.networking.k8s.io/v1`):
   * `HTTP` (HTTPRoute), `GRPC` (GRPCRoute), `TCP` (TCPRoute on a TCP listener),
   * `TLS_PASSTHROUGH` (TLSRoute on a Passthrough listener). A route of another kind is an
   * error that names the implementation.
   */
  public abstract readonly routeKinds: readonly RouteKind[];
  /** The ports its HTTP and HTTPS listeners bind. */
  public readonly listenerPorts: {
    /** The HTTP listener's port. */
    readonly http: number;
    /** The HTTPS listeners' port. */
    readonly https: number;
  } = { http: 80, https: 443 };
  /** What it does with an HTTPRoute's timeouts: honoured, with `0s` for no limit, as Gateway API asks. */
  public readonly timeouts: HttpRouteTimeoutSupport = { honoured: true };

  /**
   * The pods that forward a Gateway's traffic to the apps, or `undefined` when no pod a
   * Kubernetes NetworkPolicy can select does (Cilium).
   */
  public abstract dataPlane(gateway: GatewayIdentity): DataPlane | undefined;
}

/** Options of `GatewayImplementation.envoyGateway()`. */
export interface EnvoyGatewayOptions {
  /**
   * The namespace Envoy Gateway's controller runs in, where it puts the data plane.
   * @default 'envoy-gateway-system'
   */
  readonly controllerNamespace?: string;
  /**
   * The controller runs with `provider.kubernetes.deploy.type: GatewayNamespace`, which puts the
   * data plane into each Gateway's own namespace.
   * @default false
   */
  readonly gatewayNamespaceMode?: boolean;
}

/** Options of `GatewayImplementation.traefik()`. */
export interface TraefikOptions {
  /**
   * The namespace Traefik's Helm release runs in.
   * @default 'traefik'
   */
  readonly namespace?: string;
  /**
   * The Helm release name: the chart labels its pods `app.kubernetes.io/instance: <release>-<namespace>`.
   * @default 'traefik'
   */
  readonly release?: string;
  /**
   * The container ports of Traefik's `web` and `websecure` entry points, which listeners must use.
   * @default { http: 8000, https: 8443 }
   */
  readonly ports?: {
    /** The `web` entry point's port. */
    readonly http: number;
    /** The `websecure` entry point's port. */
    readonly https: number;
  };
}

class EnvoyGateway extends GatewayImplementation {
  public readonly name = 'Envoy Gateway';
  public readonly gatewayClassName = 'eg';
  public readonly addresses = AddressesHandling.EXTERNAL_IPS;
  public readonly copiesInfrastructureAnnotations = true;
  // GRPCRoute: v1.4 to v1.6 read (internal/gatewayapi/route.go). TCPRoute and TLSRoute at v1
  // (the only version Gateway API v1.6 serves): v1.9 watches both (internal/provider/kubernetes/
  // controller.go checkCRD); v1.8 TLSRoute v1 only, v1.7 and older v1alpha2/v1alpha3 only.
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TCP, RouteKind.TLS_PASSTHROUGH];

  public constructor(private readonly controllerNamespace: string, private readonly gatewayNamespaceMode: boolean) {
    super();
  }

  public dataPlane(gateway: GatewayIdentity): DataPlane {
    return {
      namespace: this.gatewayNamespaceMode ? gateway.namespace : this.controllerNamespace,
      podLabels: {
        'app.kubernetes.io/name': 'envoy',
        'app.kubernetes.io/component': 'proxy',
        'gateway.envoyproxy.io/owning-gateway-name': gateway.name,
        'gateway.envoyproxy.io/owning-gateway-namespace': gateway.namespace,
      },
    };
  }
}

class NginxGatewayFabric extends GatewayImplementation {
  public readonly name = 'NGINX Gateway Fabric';
  public readonly gatewayClassName = 'nginx';
  public readonly addresses = AddressesHandling.EXTERNAL_IPS;
  public readonly copiesInfrastructureAnnotations = true;
  // GRPCRoute: v2.0 to v2.6 read (internal/controller/manager.go watches it unconditionally).
  // TLSRoute v1: v2.5 to v2.6.7, no flag, on Passthrough listeners (state/graph/gateway_listener.go).
  // No TCPRoute v1 in a release: v2.4 to v2.6.7 read v1alpha2 behind --gateway-api-experimental-features.
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TLS_PASSTHROUGH];
  /**
   * It accepts an HTTPRoute with `timeouts` and reports them as an UnsupportedField it ignored;
   * it writes no proxy_read_timeout, so nginx's 60 s applies. v2.6 added the timeouts of its
   * ProxySettingsPolicy (nginx times, at most four digits: `9999h`), which can target the HTTPRoute.
   */
  public override readonly timeouts: HttpRouteTimeoutSupport = {
    honoured: false,
    instead: 'attach a ProxySettingsPolicy (gateway.nginx.org/v1alpha1, NGINX Gateway Fabric 2.6 or later) to the app\'s HTTPRoute, with spec.timeout.read and spec.timeout.send (e.g. \'24h\' for connections that must stay open), and drop the option',
    cutsLongLived: 'nginx\'s proxy_read_timeout of 60 s, which closes a connection the app sends nothing on for a minute',
  };

  public dataPlane(gateway: GatewayIdentity): DataPlane {
    return podsOfTheGateway(gateway);
  }
}

class Cilium extends GatewayImplementation {
  public readonly name = 'Cilium';
  public readonly gatewayClassName = 'cilium';
  public readonly addresses = AddressesHandling.CILIUM_LB_IPAM;
  public readonly copiesInfrastructureAnnotations = true;
  // GRPCRoute: 1.17 (Gateway API conformance report v1.2.1/cilium: GATEWAY-GRPC core passes).
  // TLSRoute v1 (required) and TCPRoute v1 (when its CRD is there): 1.20 (operator/pkg/gateway-api/
  // cell.go, helpers/schemes.go). 1.17 to 1.19 read TLSRoute v1alpha2 only and have no TCPRoute.
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TCP, RouteKind.TLS_PASSTHROUGH];

  public dataPlane(): undefined {
    return undefined;
  }
}

class Istio extends GatewayImplementation {
  public readonly name = 'Istio';
  public readonly gatewayClassName = 'istio';
  public readonly addresses = AddressesHandling.LOAD_BALANCER_IP;
  public readonly copiesInfrastructureAnnotations = true;
  // GRPCRoute: 1.26 to 1.28 read (conditions.go generateSupportedKinds: HTTP(S) listeners take HTTPRoute and GRPCRoute).
  // TLSRoute v1: 1.30, no flag (pkg/config/schema/gvr). TCPRoute v1 only from 1.31 (rc.0 at the
  // time of writing); 1.30 and older read v1alpha2 behind PILOT_ENABLE_ALPHA_GATEWAY_API.
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TLS_PASSTHROUGH];

  public dataPlane(gateway: GatewayIdentity): DataPlane {
    return podsOfTheGateway(gateway);
  }
}

class Traefik extends GatewayImplementation {
  public readonly name = 'Traefik';
  public readonly gatewayClassName = 'traefik';
  public readonly addresses = AddressesHandling.IGNORED;
  public readonly copiesInfrastructureAnnotations = false;
  // GRPCRoute: v3.4 to v3.7 read (gateway/client.go watches v1; grpcroute.go sends h2c to the backend).
  // TLSRoute v1: v3.7, no flag. TCPRoute: v3.7.13 reads only v1alpha2, behind experimentalChannel,
  // and with Gateway API v1.6's CRDs (no v1alpha2 served) that flag stops the whole provider
  // (traefik#13622); TCPRoute v1 is merged for v3.8, which is not released.
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC, RouteKind.TLS_PASSTHROUGH];

  /**
   * Its Gateway provider has no code for `timeouts` (Traefik 3.4 to 3.7; traefik#11902) and sets
   * no response timeout of its own, so nothing per route cuts a WebSocket or a stream. Its entry
   * points' readTimeout (60 s in v3, static configuration) still ends an HTTP/1.1 streamed
   * response or a streamed request body 60 s after the request began; the README says so.
   */
  public override readonly timeouts: HttpRouteTimeoutSupport = {
    honoured: false,
    instead: 'drop it: Traefik sets no response timeout by default, and its serversTransport.forwardingTimeouts.responseHeaderTimeout (static configuration) bounds only the wait for the response headers, so it never cuts a stream',
  };

  public constructor(private readonly namespace: string, private readonly release: string,
    public override readonly listenerPorts: { readonly http: number; readonly https: number }) {
    super();
  }

  public dataPlane(): DataPlane {
    return {
      namespace: this.namespace,
      podLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': `${this.release}-${this.namespace}` },
    };
  }
}

/** Proxy pods in the Gateway's own namespace, labelled with its name as Gateway API recommends. */
function podsOfTheGateway(gateway: GatewayIdentity): DataPlane {
  return { namespace: gateway.namespace, podLabels: { 'gateway.networking.k8s.io/gateway-name': gateway.name } };
}

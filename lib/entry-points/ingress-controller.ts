import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { LONGEST_TIMEOUT_SECONDS, RouteSpec } from './_route';
import { checkShape, shape } from '../core/_shape';
import { RouteKind } from './route';

/** What a controller's Helm chart installs by default: the IngressVip's defaults. */
export interface IngressControllerDefaults {
  /** The controller's namespace. */
  readonly namespace: string;
  /** Labels of the controller pods. */
  readonly controllerLabels: Readonly<Record<string, string>>;
  /** The IngressClass its chart creates. */
  readonly ingressClassName: string;
  /** Named container ports for HTTP and HTTPS. */
  readonly ports: {
    /** The port name for plain HTTP. */
    readonly http: string;
    /** The port name for HTTPS. */
    readonly https: string;
  };
}

/**
 * The proxy timeouts an ingress controller takes per Ingress: the annotations the route's
 * `proxy*TimeoutSeconds` options and `longLivedConnections` write (see the README's table).
 */
export interface IngressTimeoutSupport {
  /** The annotation of the connect timeout; `undefined` where it has none per Ingress, and the option is an error. */
  readonly connect?: string;
  /** The annotation of the read timeout: the longest gap between two reads of the app's response. */
  readonly read: string;
  /** The annotation of the send timeout; `undefined` where it has none per Ingress, and the option is an error. */
  readonly send?: string;
  /** Written after the seconds: `''` for a bare number (`'60'`), `'s'` for a duration (`'60s'`). */
  readonly unit: '' | 's';
  /**
   * Whether a timeout of 0 is no limit. Where it is, `longLivedConnections` writes 0; where it
   * is not (nginx takes 0 as zero seconds), 0 is an error and `longLivedConnections` writes
   * the longest timeout, a day.
   */
  readonly zeroIsNoLimit: boolean;
}

/** Options of `IngressController.traefik()`. */
export interface TraefikIngressOptions {
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
}

/**
 * An ingress controller: which annotations carry the typed route options (HTTPS redirect, body
 * size, timeouts) and what its Helm chart installs. An option the controller cannot express on
 * an Ingress is an error that names the controller, never a silent drop.
 */
export abstract class IngressController {
  /**
   * The community ingress-nginx controller (`nginx.ingress.kubernetes.io/` annotations).
   *
   * Retired by Kubernetes SIG Network: best-effort maintenance ended in March 2026 (last
   * release controller-v1.15.1) and it gets no more fixes or security patches. Kept for the
   * clusters that still run it; move to a `Gateway` or another controller.
   * @see https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/
   */
  public static ingressNginx(): IngressController {
    return new IngressNginx();
  }

  /**
   * F5 NGINX Ingress Controller (`nginx.org/` annotations), installed by its `nginx-ingress` chart.
   * @see https://docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/advanced-configuration-with-annotations/
   */
  public static f5Nginx(): IngressController {
    return new F5Nginx();
  }

  /**
   * HAProxy Technologies' Kubernetes Ingress Controller (`haproxy.org/` annotations), installed
   * by its `kubernetes-ingress` chart.
   * @see https://github.com/haproxytech/kubernetes-ingress/blob/master/documentation/annotations.md
   */
  public static haproxy(): IngressController {
    return new HaproxyIngress();
  }

  /**
   * Traefik v3 (v3.5 or later) serving Ingresses through its Kubernetes Ingress NGINX provider
   * (`providers.kubernetesIngressNGINX`), which reads ingress-nginx's annotations: the
   * `nginx.ingress.kubernetes.io/` ones this library writes (redirect, body size, timeouts)
   * keep their meaning, so an app moves off ingress-nginx by its VIP's `controller` alone.
   * Traefik's plain Ingress provider has no per-Ingress HTTPS redirect, which is why this preset
   * speaks the NGINX dialect. The provider's defaults: the IngressClass `nginx` (controller
   * `k8s.io/ingress-nginx`); the pods and ports of Traefik's Helm chart (`web`, `websecure`).
   * @see https://doc.traefik.io/traefik/reference/install-configuration/providers/kubernetes/kubernetes-ingress-nginx/
   */
  public static traefik(options: TraefikIngressOptions = {}): IngressController {
    checkShape('IngressController.traefik()', 'options', options, shape.object<TraefikIngressOptions>('TraefikIngressOptions', {
      namespace: shape.string, release: shape.string,
    }));
    return new TraefikIngressNginx(options.namespace ?? 'traefik', options.release ?? 'traefik');
  }

  /** The controller's name, for messages. */
  public abstract readonly name: string;
  /** What its Helm chart installs by default. */
  public abstract readonly defaults: IngressControllerDefaults;
  /** The proxy timeouts it takes per Ingress, and what lifts them for long-lived connections. */
  public abstract readonly timeouts: IngressTimeoutSupport;
  /**
   * The route kinds it serves from an Ingress: `HTTP`, and `GRPC` where an annotation makes it
   * speak HTTP/2 to the backend. A route of another kind is an error that names the controller.
   */
  public abstract readonly routeKinds: readonly RouteKind[];
  /**
   * Whether it serves only one plain Ingress per host (F5 NGINX: two are a host collision), so
   * a route may not take a host another Ingress routes.
   * @internal
   */
  public readonly _oneIngressPerHost: boolean = false;

  /**
   * The annotations that make the controller speak gRPC to `route`'s Service, for a controller
   * whose `routeKinds` has `GRPC`.
   * @internal
   */
  public _grpcAnnotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    return this.unsupported(app, 'grpc', route.grpc, 'route the port as HTTP, or serve the gRPC API through a controller with a gRPC backend annotation or a Gateway', route.prop);
  }

  /**
   * The annotations that carry the typed options of `route` on its Ingress.
   * @internal
   */
  public abstract _annotations(app: IConstruct, route: RouteSpec): Record<string, string>;

  /**
   * The annotations of an Ingress whose every request is redirected (301) to `url`.
   * @internal
   */
  public _hostRedirect(app: IConstruct, url: string): Record<string, string> {
    return this.unsupported(app, 'redirectOtherHosts', url,
      'serve the other hosts as they are (drop redirectOtherHosts), or serve the app through ingress-nginx or a Gateway');
  }

  /** The error for an option this controller cannot express. */
  protected unsupported(app: IConstruct, prop: string, value: unknown, fix: string, routeProp = 'route'): never {
    throw propError(app, prop === 'redirectOtherHosts' ? prop : `${routeProp}.${prop}`, value, `has no per-Ingress annotation in ${this.name}`, fix);
  }

  /**
   * The annotations of the route's proxy timeouts, from `timeouts`: the ones given, and with
   * `longLivedConnections` the read and send timeouts off or as long as the controller allows.
   * Refuses the Gateway API timeouts, which no Ingress annotation carries, a timeout the
   * controller has no annotation for (`missing` gives the fix), and a 0 that is no "no limit".
   */
  protected timeoutAnnotations(app: IConstruct, route: RouteSpec, missing: Partial<Record<ProxyTimeout, string>> = {}): Record<string, string> {
    for (const prop of ['requestTimeoutSeconds', 'backendRequestTimeoutSeconds'] as const) {
      const value = route.timeouts[prop];
      if (value !== undefined) {
        this.unsupported(app, prop, value,
          'it is an HTTPRoute timeout: behind an Ingress use proxyReadTimeoutSeconds, or longLivedConnections for connections that must stay open, or serve the app through a Gateway');
      }
    }
    const noLimit = this.timeouts.zeroIsNoLimit ? 0 : LONGEST_TIMEOUT_SECONDS;
    const annotations: Record<string, string> = {};
    for (const [option, prop] of Object.entries(PROXY_TIMEOUTS) as Array<[ProxyTimeout, keyof RouteSpec['timeouts']]>) {
      const annotation = this.timeouts[option];
      // The controller's one timeout for both directions (HAProxy) is lifted as the read timeout.
      const value = route.longLivedConnections && option !== 'connect'
        ? (annotation === undefined ? undefined : noLimit)
        : route.timeouts[prop];
      if (value === undefined) {
        continue;
      }
      if (annotation === undefined) {
        this.unsupported(app, prop, value, missing[option] ?? 'set it in the controller\'s configuration, and drop the option here');
      }
      if (value === 0 && !this.timeouts.zeroIsNoLimit) {
        throw propError(app, `route.${prop}`, value, `is not "no limit" in ${this.name}`, option === 'connect'
          ? 'give whole seconds: the connect timeout never cuts a connection once it is open'
          : 'for WebSockets, server-sent events and gRPC streams set route.longLivedConnections (a day of inactivity, the longest the library writes), else give whole seconds');
      }
      annotations[annotation] = `${value}${this.timeouts.unit}`;
    }
    return annotations;
  }
}

type ProxyTimeout = 'connect' | 'read' | 'send';
/** The route option of each proxy timeout. */
const PROXY_TIMEOUTS: Record<ProxyTimeout, keyof RouteSpec['timeouts']> = {
  connect: 'proxyConnectTimeoutSeconds', read: 'proxyReadTimeoutSeconds', send: 'proxySendTimeoutSeconds',
};

const NGINX = 'nginx.ingress.kubernetes.io';
/** ingress-nginx's timeout annotations: unitless seconds, and nginx has no "no limit" for them (0 is zero seconds). */
const NGINX_TIMEOUTS: IngressTimeoutSupport = {
  connect: `${NGINX}/proxy-connect-timeout`, read: `${NGINX}/proxy-read-timeout`, send: `${NGINX}/proxy-send-timeout`,
  unit: '', zeroIsNoLimit: false,
};

class IngressNginx extends IngressController {
  /** @internal */
  public override _hostRedirect(app: IConstruct, url: string): Record<string, string> {
    void app;
    return { [`${NGINX}/permanent-redirect`]: url, [`${NGINX}/permanent-redirect-code`]: '301' };
  }

  public readonly name: string = 'ingress-nginx';
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC];

  /** @internal */
  public override _grpcAnnotations(): Record<string, string> {
    // docs/user-guide/nginx-configuration/annotations.md#backend-protocol; Traefik's provider maps GRPC to h2c (v3.5+).
    return { [`${NGINX}/backend-protocol`]: 'GRPC' };
  }
  public readonly defaults: IngressControllerDefaults = {
    namespace: 'ingress-nginx',
    controllerLabels: {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    },
    ingressClassName: 'nginx',
    ports: { http: 'http', https: 'https' },
  };

  public readonly timeouts: IngressTimeoutSupport = NGINX_TIMEOUTS;

  public _annotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    return {
      ...definedOnly({
        [`${NGINX}/ssl-redirect`]: String(route.httpsRedirect),
        [`${NGINX}/force-ssl-redirect`]: route.httpsRedirect ? 'true' : undefined,
        [`${NGINX}/proxy-body-size`]: route.proxyBodySize,
      }),
      ...this.timeoutAnnotations(app, route),
    };
  }
}

class TraefikIngressNginx extends IngressNginx {
  public override readonly name = 'Traefik (Kubernetes Ingress NGINX provider)';
  public override readonly defaults: IngressControllerDefaults;
  /**
   * As ingress-nginx's, but 0 sets no deadline (v3.7 and later; v3.5 and v3.6 read no timeout
   * annotation). Bare integers only: the provider parses them with Atoi and drops `60s`. Its
   * entry points' readTimeout (static configuration) is no annotation's: see the README.
   */
  public override readonly timeouts: IngressTimeoutSupport = { ...NGINX_TIMEOUTS, zeroIsNoLimit: true };

  public constructor(namespace: string, release: string) {
    super();
    this.defaults = {
      namespace,
      controllerLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': `${release}-${namespace}` },
      ingressClassName: 'nginx',
      ports: { http: 'web', https: 'websecure' },
    };
  }
}

class F5Nginx extends IngressController {
  public readonly name = 'F5 NGINX Ingress Controller';
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC];
  /** @internal */
  public override readonly _oneIngressPerHost = true;

  /** @internal */
  public override _grpcAnnotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    void app;
    // examples/ingress-resources/grpc-services: needs TLS and `http2: "true"` in the controller's ConfigMap.
    return { 'nginx.org/grpc-services': route.serviceName };
  }
  public readonly defaults: IngressControllerDefaults = {
    namespace: 'nginx-ingress',
    controllerLabels: { 'app.kubernetes.io/name': 'nginx-ingress', 'app.kubernetes.io/instance': 'nginx-ingress' },
    ingressClassName: 'nginx',
    ports: { http: 'http', https: 'https' },
  };

  /** nginx times; nginx has no "no limit" for them (0 is zero seconds). */
  public readonly timeouts: IngressTimeoutSupport = {
    connect: 'nginx.org/proxy-connect-timeout', read: 'nginx.org/proxy-read-timeout', send: 'nginx.org/proxy-send-timeout',
    unit: 's', zeroIsNoLimit: false,
  };

  public _annotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    if (route.hostOwner !== undefined) {
      // Two plain Ingresses of one host are a host collision to it: it serves the older one only.
      throw propError(app, 'hostOwner', route.hostOwner.path, `shares a host, and ${this.name} serves only one Ingress per host (others must be "mergeable" minions of a master Ingress without paths)`,
        'serve these paths from the owner app, or serve both apps through ingress-nginx, HAProxy, Traefik or a Gateway');
    }
    return {
      ...definedOnly({
        // On by default for a TLS host (301); written so the choice is explicit.
        'nginx.org/ssl-redirect': route.tls ? String(route.httpsRedirect) : undefined,
        'nginx.org/client-max-body-size': route.proxyBodySize,
        // Without it, F5 NGINX passes no Upgrade header and a WebSocket handshake fails.
        'nginx.org/websocket-services': route.longLivedConnections ? route.serviceName : undefined,
      }),
      ...this.timeoutAnnotations(app, route),
    };
  }
}

class HaproxyIngress extends IngressController {
  public readonly name = 'HAProxy Kubernetes Ingress Controller';
  public readonly routeKinds = [RouteKind.HTTP, RouteKind.GRPC];

  /** @internal */
  public override _grpcAnnotations(): Record<string, string> {
    // documentation/annotations.md#server-proto: cleartext HTTP/2 to the backend.
    return { 'haproxy.org/server-proto': 'h2' };
  }
  public readonly defaults: IngressControllerDefaults = {
    namespace: 'haproxy-controller',
    controllerLabels: { 'app.kubernetes.io/name': 'kubernetes-ingress', 'app.kubernetes.io/instance': 'kubernetes-ingress' },
    ingressClassName: 'haproxy',
    ports: { http: 'http', https: 'https' },
  };

  /**
   * One server inactivity timeout for both directions. After a WebSocket upgrade HAProxy's
   * tunnel timeout (1 h) governs instead, and it is set in the controller's ConfigMap only.
   */
  public readonly timeouts: IngressTimeoutSupport = { read: 'haproxy.org/timeout-server', unit: 's', zeroIsNoLimit: false };

  public _annotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    if (route.proxyBodySize !== undefined) {
      this.unsupported(app, 'proxyBodySize', route.proxyBodySize,
        'limit the body size in the app, or serve it through a controller that has one (ingress-nginx, F5 NGINX)');
    }
    const timeouts = this.timeoutAnnotations(app, route, {
      connect: 'set timeout-connect in the controller\'s ConfigMap, and drop the option here',
      send: 'HAProxy has one server inactivity timeout for both directions: set proxyReadTimeoutSeconds',
    });
    return {
      ...definedOnly({
        'haproxy.org/ssl-redirect': route.tls ? String(route.httpsRedirect) : undefined,
        // The controller redirects to its container port (8443) unless told otherwise, and with 302.
        'haproxy.org/ssl-redirect-port': route.httpsRedirect ? '443' : undefined,
        'haproxy.org/ssl-redirect-code': route.httpsRedirect ? '301' : undefined,
      }),
      ...timeouts,
    };
  }
}

function definedOnly(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));
}

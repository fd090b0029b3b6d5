import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { RouteSpec } from './_route';
import { checkShape, shape } from '../core/_shape';

/** What a controller's Helm chart installs by default: the IngressVip's defaults. */
export interface IngressControllerDefaults {
  /** The controller's namespace. */
  readonly namespace: string;
  /** Labels of the controller pods. */
  readonly controllerLabels: Readonly<Record<string, string>>;
  /** The IngressClass its chart creates. */
  readonly ingressClassName: string;
  /** Named container ports for HTTP and HTTPS. */
  readonly ports: { readonly http: string; readonly https: string };
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
  protected unsupported(app: IConstruct, prop: string, value: unknown, fix: string): never {
    throw propError(app, prop === 'redirectOtherHosts' ? prop : `route.${prop}`, value, `has no per-Ingress annotation in ${this.name}`, fix);
  }

  /** Refuses the Gateway API timeouts, which no Ingress annotation carries. */
  protected refuseGatewayTimeouts(app: IConstruct, route: RouteSpec, alternative: string): void {
    for (const prop of ['requestTimeoutSeconds', 'backendRequestTimeoutSeconds'] as const) {
      const value = route.timeouts[prop];
      if (value !== undefined) {
        this.unsupported(app, prop, value, `it is an HTTPRoute timeout: behind an Ingress use ${alternative}, or serve the app through a Gateway`);
      }
    }
  }
}

const NGINX = 'nginx.ingress.kubernetes.io';

class IngressNginx extends IngressController {
  /** @internal */
  public override _hostRedirect(app: IConstruct, url: string): Record<string, string> {
    void app;
    return { [`${NGINX}/permanent-redirect`]: url, [`${NGINX}/permanent-redirect-code`]: '301' };
  }

  public readonly name: string = 'ingress-nginx';
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

  public _annotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    this.refuseGatewayTimeouts(app, route, 'proxyReadTimeoutSeconds');
    const t = route.timeouts;
    return definedOnly({
      [`${NGINX}/ssl-redirect`]: String(route.httpsRedirect),
      [`${NGINX}/force-ssl-redirect`]: route.httpsRedirect ? 'true' : undefined,
      [`${NGINX}/proxy-body-size`]: route.proxyBodySize,
      [`${NGINX}/proxy-connect-timeout`]: seconds(t.proxyConnectTimeoutSeconds, ''),
      [`${NGINX}/proxy-read-timeout`]: seconds(t.proxyReadTimeoutSeconds, ''),
      [`${NGINX}/proxy-send-timeout`]: seconds(t.proxySendTimeoutSeconds, ''),
    });
  }
}

class TraefikIngressNginx extends IngressNginx {
  public override readonly name = 'Traefik (Kubernetes Ingress NGINX provider)';
  public override readonly defaults: IngressControllerDefaults;

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
  public readonly defaults: IngressControllerDefaults = {
    namespace: 'nginx-ingress',
    controllerLabels: { 'app.kubernetes.io/name': 'nginx-ingress', 'app.kubernetes.io/instance': 'nginx-ingress' },
    ingressClassName: 'nginx',
    ports: { http: 'http', https: 'https' },
  };

  public _annotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    this.refuseGatewayTimeouts(app, route, 'proxyReadTimeoutSeconds');
    if (route.hostOwner !== undefined) {
      // Two plain Ingresses of one host are a host collision to it: it serves the older one only.
      throw propError(app, 'hostOwner', route.hostOwner.path, `shares a host, and ${this.name} serves only one Ingress per host (others must be "mergeable" minions of a master Ingress without paths)`,
        'serve these paths from the owner app, or serve both apps through ingress-nginx, HAProxy, Traefik or a Gateway');
    }
    const t = route.timeouts;
    return definedOnly({
      // On by default for a TLS host (301); written so the choice is explicit.
      'nginx.org/ssl-redirect': route.tls ? String(route.httpsRedirect) : undefined,
      'nginx.org/client-max-body-size': route.proxyBodySize,
      'nginx.org/proxy-connect-timeout': seconds(t.proxyConnectTimeoutSeconds, 's'),
      'nginx.org/proxy-read-timeout': seconds(t.proxyReadTimeoutSeconds, 's'),
      'nginx.org/proxy-send-timeout': seconds(t.proxySendTimeoutSeconds, 's'),
    });
  }
}

class HaproxyIngress extends IngressController {
  public readonly name = 'HAProxy Kubernetes Ingress Controller';
  public readonly defaults: IngressControllerDefaults = {
    namespace: 'haproxy-controller',
    controllerLabels: { 'app.kubernetes.io/name': 'kubernetes-ingress', 'app.kubernetes.io/instance': 'kubernetes-ingress' },
    ingressClassName: 'haproxy',
    ports: { http: 'http', https: 'https' },
  };

  public _annotations(app: IConstruct, route: RouteSpec): Record<string, string> {
    this.refuseGatewayTimeouts(app, route, 'proxyReadTimeoutSeconds (haproxy.org/timeout-server)');
    const t = route.timeouts;
    if (route.proxyBodySize !== undefined) {
      this.unsupported(app, 'proxyBodySize', route.proxyBodySize,
        'limit the body size in the app, or serve it through a controller that has one (ingress-nginx, F5 NGINX)');
    }
    if (t.proxyConnectTimeoutSeconds !== undefined) {
      this.unsupported(app, 'proxyConnectTimeoutSeconds', t.proxyConnectTimeoutSeconds,
        'set timeout-connect in the controller\'s ConfigMap, and drop the option here');
    }
    if (t.proxySendTimeoutSeconds !== undefined) {
      this.unsupported(app, 'proxySendTimeoutSeconds', t.proxySendTimeoutSeconds,
        'HAProxy has one server inactivity timeout for both directions: set proxyReadTimeoutSeconds');
    }
    return definedOnly({
      'haproxy.org/ssl-redirect': route.tls ? String(route.httpsRedirect) : undefined,
      // The controller redirects to its container port (8443) unless told otherwise, and with 302.
      'haproxy.org/ssl-redirect-port': route.httpsRedirect ? '443' : undefined,
      'haproxy.org/ssl-redirect-code': route.httpsRedirect ? '301' : undefined,
      'haproxy.org/timeout-server': seconds(t.proxyReadTimeoutSeconds, 's'),
    });
  }
}

function seconds(value: number | undefined, unit: string): string | undefined {
  return value === undefined ? undefined : `${value}${unit}`;
}

function definedOnly(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));
}

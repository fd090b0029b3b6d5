import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { httpRouteErrors, renderHttpRoutes, sectionNames } from './_http-route';
import { renderGrpcRoute } from './_grpc-route';
import { renderTcpRoute } from './_tcp-route';
import { RouteSpec } from './_route';
import { DATA_PLANE_SHAPE, GATEWAY_IMPLEMENTATION_SHAPE } from './_shapes';
import { checkShape, shape } from '../core/_shape';
import { ipFamily } from '../core/_validate';
import { RouteCheck } from './_route';
import { AttachedRoute, DataPlane, EntryPoint } from './entry-point';
import { GatewayImplementation } from './gateway-implementation';

/** The listeners of an existing Gateway that apps attach to, by `sectionName`. */
export interface ExistingGatewayListeners {
  /**
   * The plain-HTTP listener: apps without TLS route through it, apps with TLS redirect from it.
   * @default - none
   */
  readonly http?: string;
  /**
   * The HTTPS listener whose certificate covers the apps' hosts (`TlsCertificate.fromGatewayListener()`).
   * @default - none
   */
  readonly https?: string;
  /**
   * Its TCP listeners, for the apps' TCP routes: each route attaches to the one on its `tcp.port`.
   * @default - none
   */
  readonly tcp?: ExistingListener[];
  /**
   * Its TLS listeners in `Passthrough` mode, for the apps' passed-through TLS routes: each route
   * attaches to the one on its `tcp.port` (the implementation's HTTPS listener port by default).
   * @default - none
   */
  readonly tlsPassthrough?: ExistingListener[];
}

/** A listener of an existing Gateway by name, and the port it is on. */
export interface ExistingListener {
  /** Its name (`sectionName`). */
  readonly name: string;
  /** Its port. */
  readonly port: number;
}

const EXISTING_LISTENERS_SHAPE = shape.array(shape.object<ExistingListener>('ExistingListener', { name: shape.subdomain, port: shape.port }, { required: ['name', 'port'] }));

/** Props of `ExistingGateway`. */
export interface ExistingGatewayProps {
  /** The Gateway's name. */
  readonly name: string;
  /** The Gateway's namespace. */
  readonly namespace: string;
  /** Its listeners, by name. */
  readonly listeners: ExistingGatewayListeners;
  /**
   * The address the Gateway is known to have: the target of the apps' DNS records.
   * @default - none; apps behind it cannot get a DNS record from the library
   */
  readonly address?: string;
  /**
   * The implementation that runs it, for the data plane's namespace and labels, the route
   * kinds it serves and what the apps' HTTPRoute timeouts write.
   * @default - none: give `dataPlane`; every route kind is allowed, and the apps' HTTPRoutes get Gateway API's portable timeouts
   */
  readonly implementation?: GatewayImplementation;
  /**
   * The data-plane pods the apps' NetworkPolicies admit.
   * @default - the implementation's, for this Gateway
   */
  readonly dataPlane?: DataPlane;
  /**
   * Labels the Gateway's `allowedRoutes` selects app namespaces by; apps add them to the
   * namespaces they emit.
   * @default - none
   */
  readonly routeNamespaceLabels?: Record<string, string>;
}

const EXISTING_GATEWAY_SHAPE = shape.object<ExistingGatewayProps>('ExistingGatewayProps', {
  name: shape.dns1123Label,
  namespace: shape.dns1123Label,
  listeners: shape.object<ExistingGatewayListeners>('ExistingGatewayListeners', {
    http: shape.subdomain, https: shape.subdomain, tcp: EXISTING_LISTENERS_SHAPE, tlsPassthrough: EXISTING_LISTENERS_SHAPE,
  }),
  address: shape.ip,
  implementation: GATEWAY_IMPLEMENTATION_SHAPE,
  dataPlane: DATA_PLANE_SHAPE,
  routeNamespaceLabels: shape.labels,
}, { required: ['name', 'namespace', 'listeners'] });

/**
 * A Gateway that the platform team owns and the library does not emit: apps behind it get
 * HTTPRoutes that attach to its listeners by name, and its certificate is the HTTPS listener's.
 */
export class ExistingGateway extends EntryPoint {
  /** The Gateway's name. */
  public readonly name: string;
  public readonly namespace: string;
  /** Its listeners the apps attach to, by name. */
  public readonly listeners: ExistingGatewayListeners;
  public readonly address?: string;
  public readonly ipFamily?: 4 | 6;
  /** The implementation that runs it, when given: a route kind it does not serve, or a timeout it ignores, is an error. */
  public readonly implementation?: GatewayImplementation;
  public readonly dataPlane?: DataPlane;
  public readonly routeNamespaceLabels: Readonly<Record<string, string>>;
  public readonly description: string;

  public constructor(scope: Construct, id: string, props: ExistingGatewayProps) {
    super(scope, id);
    checkShape(this, '', props, EXISTING_GATEWAY_SHAPE);
    this.name = props.name;
    this.namespace = props.namespace;
    this.implementation = props.implementation;
    this.description = `Gateway ${this.namespace}/${this.name} (${this.node.path})`;
    const listeners = props.listeners ?? {};
    this.listeners = {
      http: listeners.http, https: listeners.https,
      tcp: listeners.tcp?.map(l => ({ ...l })), tlsPassthrough: listeners.tlsPassthrough?.map(l => ({ ...l })),
    };
    if (this.listeners.http === undefined && this.listeners.https === undefined && this.listeners.tcp === undefined && this.listeners.tlsPassthrough === undefined) {
      throw propError(this, 'listeners', props.listeners, 'names no listener, so no app could attach',
        'give the names of its HTTP and/or HTTPS listeners, e.g. { http: \'http\', https: \'https\' }');
    }
    this.implementation = props.implementation;
    if (props.address !== undefined) {
      this.ipFamily = ipFamily(props.address);
      this.address = props.address;
    }
    if (props.dataPlane !== undefined) {
      this.dataPlane = { namespace: props.dataPlane.namespace, podLabels: { ...props.dataPlane.podLabels } };
    } else if (props.implementation !== undefined) {
      this.dataPlane = props.implementation.dataPlane({ name: this.name, namespace: this.namespace, gatewayClassName: '' });
    } else {
      throw propError(this, 'dataPlane', undefined, 'is needed for the apps\' NetworkPolicies, and no implementation gives it',
        'give the implementation (e.g. GatewayImplementation.envoyGateway()) or the data plane\'s namespace and podLabels');
    }
    this.routeNamespaceLabels = { ...(props.routeNamespaceLabels ?? {}) };
  }

  /** @internal */
  public _routeErrors(check: RouteCheck): string[] {
    const streams = [...(this.listeners.tcp ?? []), ...(this.listeners.tlsPassthrough ?? [])].map(l => l.name);
    const known = [this.listeners.http, this.listeners.https, ...streams].filter(n => n !== undefined);
    const unknown = [...sectionNames(check.route), ...sectionNames(check.redirect), ...sectionNames(check.hostRedirect)].filter(n => !known.includes(n));
    return [
      ...httpRouteErrors(check, this),
      ...unknown.map(n => `HTTPRoute attaches to listener "${n}", which ${this.description} was not given (${known.join(', ')}); attach to a listener it has`),
    ];
  }

  protected renderRoute(app: Construct, route: RouteSpec): AttachedRoute {
    const tcp = route.tcp;
    if (tcp !== undefined) {
      const parent = { name: this.name, namespace: this.namespace, description: this.description, implementation: this.implementation };
      const port = tcp.port ?? this.implementation?.listenerPorts.https ?? 443;
      const listeners = (tcp.passthrough ? this.listeners.tlsPassthrough : this.listeners.tcp) ?? [];
      const listener = listeners.find(l => l.port === port);
      if (listener === undefined) {
        const kind = tcp.passthrough ? 'tlsPassthrough' : 'tcp';
        throw propError(app, `${route.prop}.tcp.port`, port, `has no ${tcp.passthrough ? 'TLS passthrough' : 'TCP'} listener on ${this.description} (listeners.${kind}: ${listeners.map(l => `${l.name} on ${l.port}`).join(', ') || 'none'})`,
          `give the port of one of them, or name the Gateway's listener on the port in listeners.${kind}`);
      }
      if (tcp.address !== undefined || tcp.sourceRanges.length > 0) {
        throw propError(app, `${route.prop}.tcp`, tcp.address ?? tcp.sourceRanges, `sets an address or client ranges, which a listener of ${this.description} has none of`,
          'drop address and sourceRanges: the route attaches to the Gateway\'s listener');
      }
      return renderTcpRoute(app, route, parent, listener.name, this.implementation);
    }
    const tls = route.tls;
    if (tls !== undefined && tls.source !== 'gateway-listener') {
      throw propError(app, `${route.prop}.tls`, tls.source, `brings a certificate, but ${this.description} is not emitted here and holds its own`,
        'use TlsCertificate.fromGatewayListener(), or serve the app through a Gateway the library emits');
    }
    const parent = {
      name: this.name, namespace: this.namespace, description: this.description, implementation: this.implementation,
      httpListener: this.listeners.http, httpsListeners: route.hosts.map(() => this.listeners.https!).filter(l => l !== undefined),
    };
    // Its listeners are the platform team's: the HTTPS one must admit GRPCRoute for a gRPC route.
    return route.grpc !== undefined
      ? { kind: 'GRPCRoute', ...renderGrpcRoute(app, route, parent, this.implementation) }
      : { kind: 'HTTPRoute', ...renderHttpRoutes(app, route, parent) };
  }
}

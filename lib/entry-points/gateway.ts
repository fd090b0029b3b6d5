import { createHash } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { errorAt, propError } from '../core/errors';
import { httpRouteErrors, renderHttpRoutes, renderSecretGrant, RouteParent, sectionNames } from './_http-route';
import { renderGrpcRoute } from './_grpc-route';
import { renderTcpRoute } from './_tcp-route';
import { compareStrings, sortKeys } from '../core/_records';
import { RouteSpec } from './_route';
import { DATA_PLANE_SHAPE, GATEWAY_IMPLEMENTATION_SHAPE } from './_shapes';
import { checked, checkShape, Fields, shape, Where } from '../core/_shape';
import { ensureUniqueObjects } from '../k8s/_unique';
import { checkDns1123Subdomain, ipFamily } from '../core/_validate';
import { ExternalDnsAnnotationPrefix } from './external-dns';
import { ExternalDnsRecord, RouteCheck } from './_route';
import { AttachedRoute, DataPlane, EntryPoint } from './entry-point';
import { AddressesHandling, GatewayImplementation } from './gateway-implementation';
import {
  Gateway as GatewayObject, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode,
} from '../imports/gateway.networking.k8s.io';
import { TlsCertificate } from './tls-certificate';
import { manifestOf } from '../k8s/_manifest';

/** How the Gateway's pinned address reaches the load balancer in front of its data plane. */
export enum GatewayAddressMode {
  /** MetalLB: `metallb.io/loadBalancerIPs` in `spec.infrastructure.annotations`, copied to the data plane's Service. */
  METALLB = 'metallb',
  /** kube-vip: `kube-vip.io/loadbalancerIPs` in `spec.infrastructure.annotations`. */
  KUBE_VIP = 'kube-vip',
  /** `spec.addresses` (type `IPAddress`): what the implementation does with it is in its preset. */
  ADDRESSES = 'addresses',
  /**
   * The address is pinned on the implementation's own LoadBalancer Service (Traefik's, for
   * example by an `IngressVip` in front of it): the Gateway carries none, and apps' DNS records
   * point at it.
   */
  PINNED_ELSEWHERE = 'pinned-elsewhere',
  /** No pinned address: the cloud assigns one, and apps cannot get a DNS record from it. */
  CLOUD_ASSIGNED = 'cloud-assigned',
}

/** An HTTPS listener for every host under one wildcard, with one certificate. */
export interface WildcardListenerOptions {
  /** The wildcard host, e.g. `*.example.com`. */
  readonly hostname: string;
  /** Its certificate, in the Gateway's namespace: `TlsCertificate.fromSecret(name)` or `fromClusterIssuer(issuer, name)`. */
  readonly certificate: TlsCertificate;
}

/** Props of `Gateway`. */
export interface GatewayProps {
  /** The Gateway API implementation that runs the Gateway: its class, address handling and data plane. */
  readonly implementation: GatewayImplementation;
  /**
   * The Gateway's name.
   * @default 'web'
   */
  readonly name?: string;
  /**
   * The Gateway's namespace (the library does not emit it).
   * @default 'gateway'
   */
  readonly namespace?: string;
  /**
   * The GatewayClass.
   * @default - the implementation's usual class (`eg`, `nginx`, `cilium`, `istio`, `traefik`)
   */
  readonly gatewayClassName?: string;
  /**
   * The virtual IP traffic for every app behind the Gateway enters by (IPv4 or IPv6). Required
   * unless `addressMode` is `CLOUD_ASSIGNED`.
   * @default - none; the cloud assigns one, and apps cannot get a DNS record from it
   */
  readonly address?: string;
  /**
   * How the address is written for the implementation and the load balancer.
   * @default - METALLB where the implementation copies infrastructure annotations, else PINNED_ELSEWHERE
   */
  readonly addressMode?: GatewayAddressMode;
  /**
   * An HTTPS listener for a wildcard host, for apps that take `TlsCertificate.fromGatewayListener()`.
   * @default - none: each app with its own certificate gets an HTTPS listener for its host
   */
  readonly wildcardListener?: WildcardListenerOptions;
  /**
   * Labels an app's namespace must carry for the Gateway to admit its routes; apps add them to the
   * namespaces they emit.
   * @default - { 'gateway.cdk8s-webstack/<name>': '<namespace>' }
   */
  readonly routeNamespaceLabels?: Record<string, string>;
  /**
   * The data-plane pods the apps' NetworkPolicies admit.
   * @default - the implementation's, for this Gateway
   */
  readonly dataPlane?: DataPlane;
  /**
   * More annotations of the Gateway object.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** The certificates a Gateway listener can hold: a Secret's, or one its issuer writes. */
const LISTENER_CERTIFICATE_FIX = 'use TlsCertificate.fromSecret(name) or TlsCertificate.fromClusterIssuer(issuer, name)';

/** The contract of each prop; the implementation's GatewayClass is checked against it too. */
const FIELDS = {
  implementation: GATEWAY_IMPLEMENTATION_SHAPE,
  name: shape.dns1123Label,
  namespace: shape.dns1123Label,
  gatewayClassName: shape.subdomain,
  address: shape.ip,
  addressMode: shape.enum(GatewayAddressMode, 'GatewayAddressMode'),
  wildcardListener: shape.object<WildcardListenerOptions>('WildcardListenerOptions', {
    hostname: shape.format(shape.wildcardHostName, checkWildcard),
    certificate: shape.format(shape.instance(TlsCertificate, 'TlsCertificate', LISTENER_CERTIFICATE_FIX), checkListenerCertificate),
  }, { required: ['hostname', 'certificate'] }),
  routeNamespaceLabels: shape.labels,
  dataPlane: DATA_PLANE_SHAPE,
  annotations: shape.annotations,
} satisfies Fields<GatewayProps>;
const GATEWAY_SHAPE = shape.object<GatewayProps>('GatewayProps', FIELDS, { required: ['implementation'] });

const INFRASTRUCTURE_ADDRESS: Partial<Record<GatewayAddressMode, string>> = {
  [GatewayAddressMode.METALLB]: 'metallb.io/loadBalancerIPs',
  [GatewayAddressMode.KUBE_VIP]: 'kube-vip.io/loadbalancerIPs',
};
const CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
/** Gateway annotations that apps write: the issuer of their certificates, ExternalDNS's target. */
const WRITTEN_BY_APPS = [CLUSTER_ISSUER, ...Object.values(ExternalDnsAnnotationPrefix).map(prefix => `${prefix}target`)];
/** Gateway API's limit on listeners per Gateway. */
const MAX_LISTENERS = 64;

/** One HTTPS listener, and who asked for it. */
interface HttpsListener {
  readonly listener: GatewaySpecListeners;
  readonly owner: string;
  /** `namespace/name` of the certificate Secret. */
  readonly certificate: string;
  /** cert-manager issues the certificate; else the Secret exists. */
  readonly issued: boolean;
  /** The kinds of the routes attached to it, which its `allowedRoutes` admits. */
  readonly kinds: Set<string>;
}

/** A listener of raw TCP on a port, or of passed-through TLS for one host, and who asked for it. */
interface StreamListener {
  readonly listener: GatewaySpecListeners;
  readonly owner: string;
}

/**
 * A Gateway (`gateway.networking.k8s.io/v1`, Standard channel) that the library emits: one per
 * cluster or per team, shared by every `WebApp` that passes it as its entry point; each such
 * app gets an HTTPRoute.
 *
 * It has an HTTP listener on the implementation's HTTP port, an HTTPS listener for each app
 * host that brings its own certificate (and one wildcard listener if asked), each admitting
 * HTTPRoutes only from namespaces labelled `routeNamespaceLabels`, and the pinned address
 * written the way the implementation reads it.
 */
export class Gateway extends EntryPoint {
  public readonly address?: string;
  public readonly ipFamily?: 4 | 6;
  /** How the address is written for the implementation. */
  public readonly addressMode: GatewayAddressMode;
  /** The Gateway API implementation that runs the Gateway. */
  public readonly implementation: GatewayImplementation;
  /** The Gateway's name. */
  public readonly name: string;
  public readonly namespace: string;
  /** The GatewayClass. */
  public readonly gatewayClassName: string;
  public readonly dataPlane?: DataPlane;
  public readonly routeNamespaceLabels: Readonly<Record<string, string>>;
  public readonly description: string;
  /** The Gateway object. */
  public readonly resource: ApiObject;

  private readonly wildcard?: HttpsListener;
  private readonly hostListeners = new Map<string, HttpsListener>();
  /** port -> the TCP listener on it. */
  private readonly tcpListeners = new Map<number, StreamListener>();
  /** host -> the TLS passthrough listener of it. */
  private readonly passthroughListeners = new Map<string, StreamListener>();
  private clusterIssuer?: { readonly issuer: string; readonly owner: string };

  public constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    checkShape(this, '', props, GATEWAY_SHAPE);
    const impl = this.implementation = props.implementation;
    this.name = props.name ?? 'web';
    this.namespace = props.namespace ?? 'gateway';
    this.gatewayClassName = props.gatewayClassName ?? checked(this, 'gatewayClassName', impl.gatewayClassName, FIELDS.gatewayClassName);
    this.description = `Gateway ${this.namespace}/${this.name} (${this.node.path})`;
    this.routeNamespaceLabels = { ...(props.routeNamespaceLabels ?? { [`gateway.cdk8s-webstack/${this.name}`]: this.namespace }) };
    if (Object.keys(this.routeNamespaceLabels).length === 0) {
      throw propError(this, 'routeNamespaceLabels', props.routeNamespaceLabels, 'is empty, so the Gateway would admit routes from every namespace',
        'give the labels that mark app namespaces, e.g. { \'gateway-access\': \'web\' }');
    }
    this.dataPlane = props.dataPlane === undefined
      ? impl.dataPlane({ name: this.name, namespace: this.namespace, gatewayClassName: this.gatewayClassName })
      : { namespace: props.dataPlane.namespace, podLabels: { ...props.dataPlane.podLabels } };

    this.addressMode = props.addressMode
      ?? (impl.copiesInfrastructureAnnotations ? GatewayAddressMode.METALLB : GatewayAddressMode.PINNED_ELSEWHERE);
    this.checkAddressMode(impl);
    if (this.addressMode === GatewayAddressMode.CLOUD_ASSIGNED) {
      if (props.address !== undefined) {
        throw propError(this, 'address', props.address, 'is set, but addressMode is CLOUD_ASSIGNED',
          'choose how the address is pinned (addressMode), or drop the address');
      }
    } else {
      if (props.address === undefined) {
        throw propError(this, 'address', props.address, `is required with addressMode ${this.addressMode}`,
          'give the VIP address, e.g. \'192.0.2.20\', or set addressMode to CLOUD_ASSIGNED');
      }
      this.ipFamily = ipFamily(props.address);
      this.address = props.address;
    }

    const annotations = { ...(props.annotations ?? {}) };
    for (const key of Object.keys(annotations)) {
      if (WRITTEN_BY_APPS.includes(key)) {
        throw propError(this, `annotations["${key}"]`, annotations[key], 'is written from the apps\' props, and would be overridden or override them',
          'give the apps TlsCertificate.fromClusterIssuer(...) or DnsProvider.externalDnsAnnotations() instead');
      }
    }
    const infrastructureKey = INFRASTRUCTURE_ADDRESS[this.addressMode];
    const manifest = manifestOf(GatewayObject, {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s-webstack' },
        ...(Object.keys(annotations).length > 0 ? { annotations: sortKeys(annotations) } : {}),
      },
      spec: {
        gatewayClassName: this.gatewayClassName,
        ...(this.addressMode === GatewayAddressMode.ADDRESSES ? { addresses: [{ type: 'IPAddress', value: this.address }] } : {}),
        ...(infrastructureKey ? { infrastructure: { annotations: { [infrastructureKey]: this.address! } } } : {}),
        listeners: [],
      },
    });
    // Apps add HTTPS listeners as they attach; the list is read at synth.
    manifest.spec.listeners = Lazy.any({ produce: () => this.listeners() });
    this.resource = new StrictApiObject(this, 'Gateway', manifest);
    if (props.wildcardListener !== undefined) {
      this.wildcard = this.wildcardHttpsListener(props.wildcardListener);
    }
    ensureUniqueObjects(this);
  }

  /** @internal */
  public _routeErrors(check: RouteCheck): string[] {
    const errors = httpRouteErrors(check, this);
    const listeners = new Map<string, string | undefined>(this.listeners().map(l => [l.name, l.hostname]));
    for (const name of [...sectionNames(check.route), ...sectionNames(check.redirect), ...sectionNames(check.hostRedirect)]) {
      if (!listeners.has(name)) {
        errors.push(`HTTPRoute attaches to listener "${name}", which ${this.description} does not have; attach to one of ${[...listeners.keys()].join(', ')}`);
        continue;
      }
      const hostname = listeners.get(name);
      if (hostname !== undefined && !check.hosts.some(h => hostname === h || (hostname.startsWith('*.') && coveredBy(h, hostname)))) {
        errors.push(`HTTPRoute attaches to listener "${name}" for "${hostname}", whose certificate does not cover the app's host "${check.host}"${check.hosts.length > 1 ? ' or its other hosts' : ''}; attach to the host's listener`);
      }
    }
    return errors;
  }

  protected renderRoute(app: Construct, route: RouteSpec): AttachedRoute {
    const parent = { name: this.name, namespace: this.namespace, description: this.description, httpListener: 'http', implementation: this.implementation };
    if (route.tcp !== undefined) {
      return renderTcpRoute(app, route, parent, this.streamListener(app, route).name, this.implementation);
    }
    const tls = route.tls;
    if (tls === undefined) {
      return this.renderKind(app, route, parent);
    }
    if (tls.source === 'gateway-listener') {
      const uncovered = route.hosts.find(h => this.wildcard === undefined || !coveredBy(h, this.wildcard.listener.hostname!));
      if (uncovered !== undefined) {
        throw propError(app, `${route.prop}.tls`, 'TlsCertificate.fromGatewayListener()',
          `needs a wildcard listener that covers "${uncovered}", and ${this.description} has ${this.wildcard ? `only "${this.wildcard.listener.hostname}"` : 'none'}`,
          'give the Gateway a wildcardListener one label above the host, or give the app its own certificate');
      }
      this.wildcard!.kinds.add(this.routeKindOf(route));
      return this.renderKind(app, route, { ...parent, httpsListeners: route.hosts.map(() => this.wildcard!.listener.name) });
    }

    // One certificate Secret for every host when it is named; else one per host, from the issuer.
    const secretFor = (host: string) => tls.secretName ?? boundedName(`${host}-tls`, host);
    let secretNamespace = this.namespace;
    if (tls.source === 'cluster-issuer') {
      this.useClusterIssuer(app, `${route.prop}.tls`, tls.clusterIssuer!);
    } else {
      secretNamespace = tls.secretNamespace ?? route.namespace;
      if (secretNamespace !== route.namespace && secretNamespace !== this.namespace) {
        throw propError(app, `${route.prop}.tls.namespace`, secretNamespace, `is neither the app's namespace nor the Gateway's ("${this.namespace}")`,
          'keep the certificate Secret in the app\'s namespace (the app grants the Gateway access) or in the Gateway\'s');
      }
    }
    const listeners = route.hosts.map(host => this.hostHttpsListener(app, route, host, secretFor(host), secretNamespace, tls.source === 'cluster-issuer'));
    const routes = this.renderKind(app, route, { ...parent, httpsListeners: listeners.map(l => l.name) });
    // An existing Secret across namespaces: tls.secretName is set (fromSecret always names it).
    const referenceGrant = secretNamespace === this.namespace || route.hostOwner !== undefined ? undefined
      : renderSecretGrant(app, route, tls.secretName!, { name: this.name, namespace: this.namespace });
    return { ...routes, referenceGrant };
  }

  /** An HTTPRoute (and its redirects), or a GRPCRoute for a gRPC route. */
  private renderKind(app: Construct, route: RouteSpec, parent: RouteParent): AttachedRoute {
    return route.grpc !== undefined
      ? { kind: 'GRPCRoute', ...renderGrpcRoute(app, route, parent, this.implementation) }
      : { kind: 'HTTPRoute', ...renderHttpRoutes(app, route, parent) };
  }

  /** @internal */
  public override _annotateForExternalDns(route: ApiObject, record: ExternalDnsRecord): void {
    super._annotateForExternalDns(route, record);
    // ExternalDNS's gateway-httproute source reads `target` from the Gateway only, never from a route.
    this.resource.metadata.addAnnotation(`${record.prefix}target`, record.target);
  }

  private checkAddressMode(impl: GatewayImplementation): void {
    const mode = this.addressMode;
    if (INFRASTRUCTURE_ADDRESS[mode] !== undefined && !impl.copiesInfrastructureAnnotations) {
      throw propError(this, 'addressMode', mode, `writes spec.infrastructure.annotations, which ${impl.name} does not copy to any Service`,
        'pin the address on the implementation\'s own Service and use PINNED_ELSEWHERE');
    }
    if (mode === GatewayAddressMode.ADDRESSES && impl.addresses === AddressesHandling.IGNORED) {
      throw propError(this, 'addressMode', mode, `writes spec.addresses, which ${impl.name} ignores`,
        'pin the address on the implementation\'s own Service and use PINNED_ELSEWHERE');
    }
  }

  private wildcardHttpsListener(options: WildcardListenerOptions): HttpsListener {
    const hostname = options.hostname;
    const certificate = options.certificate;
    if (certificate.secretNamespace !== undefined && certificate.secretNamespace !== this.namespace) {
      throw propError(this, 'wildcardListener.certificate.namespace', certificate.secretNamespace,
        'is not the Gateway\'s namespace', 'keep the wildcard certificate\'s Secret beside the Gateway');
    }
    const secretName = checkDns1123Subdomain(this, 'wildcardListener.certificate.secretName',
      certificate.secretName ?? `wildcard.${hostname.slice(2)}-tls`);
    if (certificate.clusterIssuer !== undefined) {
      this.useClusterIssuer(this, 'route.tls', checkDns1123Subdomain(this, 'wildcardListener.certificate.clusterIssuer', certificate.clusterIssuer));
    }
    return {
      listener: this.httpsListener('https', hostname, secretName, this.namespace),
      owner: this.node.path,
      certificate: `${this.namespace}/${secretName}`,
      issued: certificate.clusterIssuer !== undefined,
      kinds: new Set(['HTTPRoute']),
    };
  }

  /** The HTTPS listener of one host: shared by the apps on that host, which must bring the same certificate. */
  private hostHttpsListener(app: Construct, route: RouteSpec, host: string, secretName: string, secretNamespace: string, issued: boolean): GatewaySpecListeners {
    const prop = route.prop;
    const certificate = `${secretNamespace}/${secretName}`;
    const existing = this.hostListeners.get(host);
    if (existing !== undefined) {
      if (existing.certificate !== certificate) {
        throw propError(app, `${prop}.tls`, certificate, `differs from the certificate ${existing.certificate} that ${existing.owner} serves for "${host}" on ${this.description}`,
          'give every app on one host the same certificate');
      }
      return existing.listener;
    }
    if (this.listenerCount() + 1 > MAX_LISTENERS) {
      throw propError(app, `${prop}.tls`, host, `would be listener ${MAX_LISTENERS + 1} of ${this.description}, over Gateway API's ${MAX_LISTENERS}`,
        'serve the hosts under one wildcardListener with TlsCertificate.fromGatewayListener(), or spread the apps over more Gateways');
    }
    if (this.clusterIssuer !== undefined && secretNamespace === this.namespace && !issued) {
      throw propError(app, `${prop}.tls`, certificate,
        `is an existing Secret in the Gateway's namespace, and cert-manager (cluster-issuer "${this.clusterIssuer.issuer}" on ${this.description}) would issue into it and overwrite it`,
        'keep the Secret in the app\'s namespace, or let cert-manager issue this certificate too');
    }
    const passthrough = this.passthroughListeners.get(host);
    if (passthrough !== undefined && passthrough.listener.port === this.implementation.listenerPorts.https) {
      throw propError(app, `${prop}.tls`, host, `would terminate TLS for "${host}" on port ${passthrough.listener.port}, where ${passthrough.owner} passes it through on ${this.description}`,
        'give the passed-through route a host of its own, or another tcp.port');
    }
    const listener = this.httpsListener(boundedName(`https-${host}`, host), host, secretName, secretNamespace);
    // One kind per host (the claim refuses mixing): an HTTPRoute and a GRPCRoute of one hostname conflict.
    this.hostListeners.set(host, { listener, owner: app.node.path, certificate, issued, kinds: new Set([this.routeKindOf(route)]) });
    return listener;
  }

  /**
   * The listener of a TCP route: a TCP listener of its own on the port, or for passed-through
   * TLS one listener per host on its port. A port carries HTTP, TCP or passed-through TLS,
   * never two of them (Gateway API's listeners of one port must be of compatible protocols).
   */
  private streamListener(app: Construct, route: RouteSpec): GatewaySpecListeners {
    const tcp = route.tcp!;
    const prop = `${route.prop}.tcp.port`;
    const { http, https } = this.implementation.listenerPorts;
    const port = tcp.port ?? https;
    if (tcp.address !== undefined) {
      throw propError(app, `${route.prop}.tcp.address`, tcp.address, `is set, and every listener of ${this.description} is on its address ${this.address ?? '(cloud-assigned)'}`,
        'drop address: the route gets a listener on the Gateway\'s address');
    }
    if (tcp.sourceRanges.length > 0) {
      throw propError(app, `${route.prop}.tcp.sourceRanges`, tcp.sourceRanges, `is set, and a Gateway listener has no client ranges (${this.description})`,
        'drop sourceRanges and restrict clients at the load balancer in front of the Gateway, or serve the port behind an IngressVip');
    }
    // A port carries HTTP, one TCP route, or passed-through TLS (which shares the HTTPS port by SNI).
    const passedThrough = [...this.passthroughListeners.values()].find(l => l.listener.port === port);
    const taken = port === http ? 'its HTTP listener'
      : port === https && !tcp.passthrough ? 'its HTTPS listeners'
        : this.tcpListeners.has(port) ? `the TCP listener of ${this.tcpListeners.get(port)!.owner}, which forwards to one backend`
          : !tcp.passthrough && passedThrough !== undefined ? `the TLS passthrough listener of ${passedThrough.owner}` : undefined;
    if (taken !== undefined) {
      throw propError(app, prop, port, `is taken on ${this.description} by ${taken}`, 'give the route a port no other listener of the Gateway uses');
    }
    if (!tcp.passthrough) {
      this.checkListenerRoom(app, prop, port);
      const listener: GatewaySpecListeners = { name: `tcp-${port}`, port, protocol: 'TCP' };
      this.tcpListeners.set(port, { listener, owner: app.node.path });
      return listener;
    }
    const other = this.passthroughListeners.get(route.host);
    if (other !== undefined) {
      throw propError(app, `${route.prop}.host`, route.host, `is already passed through by ${other.owner} on ${this.description}`, 'give each passed-through route a host of its own');
    }
    if (port === https && this.hostListeners.has(route.host)) {
      throw propError(app, `${route.prop}.host`, route.host, `has an HTTPS listener of ${this.hostListeners.get(route.host)!.owner} on port ${port} of ${this.description}, which terminates TLS for it`,
        'give the passed-through route a host of its own, or another tcp.port');
    }
    this.checkListenerRoom(app, prop, port);
    const listener: GatewaySpecListeners = {
      name: boundedName(`tls-${route.host}`, route.host), hostname: route.host, port, protocol: 'TLS', tls: { mode: GatewaySpecListenersTlsMode.PASSTHROUGH },
    };
    this.passthroughListeners.set(route.host, { listener, owner: app.node.path });
    return listener;
  }

  private checkListenerRoom(app: Construct, prop: string, port: number): void {
    if (this.listenerCount() + 1 > MAX_LISTENERS) {
      throw propError(app, prop, port, `would be listener ${MAX_LISTENERS + 1} of ${this.description}, over Gateway API's ${MAX_LISTENERS}`,
        'spread the apps over more Gateways');
    }
  }

  private useClusterIssuer(owner: Construct, prop: string, issuer: string): void {
    if (this.clusterIssuer !== undefined && this.clusterIssuer.issuer !== issuer) {
      throw propError(owner, `${prop}.clusterIssuer`, issuer,
        `differs from the cluster issuer "${this.clusterIssuer.issuer}" that ${this.clusterIssuer.owner} set on ${this.description}; cert-manager reads one issuer per Gateway`,
        'use one ClusterIssuer for every app on the Gateway, or put the app behind another Gateway');
    }
    const owned = [...this.hostListeners.values()].find(l => !l.issued && l.certificate.startsWith(`${this.namespace}/`));
    if (this.clusterIssuer === undefined && owned !== undefined) {
      throw propError(owner, `${prop}.clusterIssuer`, issuer,
        `would make cert-manager issue into every HTTPS listener's Secret on ${this.description}, including ${owned.certificate}, an existing Secret of ${owned.owner}`,
        'keep existing Secrets in the apps\' namespaces, or let cert-manager issue every certificate in the Gateway\'s namespace');
    }
    this.clusterIssuer ??= { issuer, owner: owner.node.path };
    this.resource.metadata.addAnnotation(CLUSTER_ISSUER, issuer);
  }

  private httpsListener(name: string, hostname: string, secretName: string, secretNamespace: string): GatewaySpecListeners {
    return {
      name,
      hostname,
      port: this.implementation.listenerPorts.https,
      protocol: 'HTTPS',
      tls: {
        mode: GatewaySpecListenersTlsMode.TERMINATE,
        certificateRefs: [{
          group: '', kind: 'Secret', name: secretName,
          ...(secretNamespace !== this.namespace ? { namespace: secretNamespace } : {}),
        }],
      },
    };
  }

  /** What a listener admits: routes of `kinds` (HTTPRoute first) from the labelled namespaces. */
  private allowedRoutes(kinds: ReadonlySet<string>): GatewaySpecListeners['allowedRoutes'] {
    return {
      kinds: ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'].filter(k => kinds.has(k)).map(kind => ({ group: 'gateway.networking.k8s.io', kind })),
      namespaces: {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchLabels: { ...this.routeNamespaceLabels } },
      },
    };
  }

  private listenerCount(): number {
    return 1 + (this.wildcard ? 1 : 0) + this.hostListeners.size + this.tcpListeners.size + this.passthroughListeners.size;
  }

  /**
   * HTTP first, then the wildcard, then one per host in code-point order, then TCP by port and
   * passed-through TLS by host: the same list whatever order apps attach in.
   */
  private listeners(): GatewaySpecListeners[] {
    const http: GatewaySpecListeners = { name: 'http', port: this.implementation.listenerPorts.http, protocol: 'HTTP', allowedRoutes: this.allowedRoutes(new Set(['HTTPRoute'])) };
    const https = [...(this.wildcard ? [this.wildcard] : []), ...[...this.hostListeners.keys()].sort(compareStrings).map(host => this.hostListeners.get(host)!)];
    const tcp = [...this.tcpListeners.keys()].sort((a, b) => a - b).map(port => this.tcpListeners.get(port)!.listener);
    const tls = [...this.passthroughListeners.keys()].sort(compareStrings).map(host => this.passthroughListeners.get(host)!.listener);
    return [
      http,
      ...https.map(l => ({ ...l.listener, allowedRoutes: this.allowedRoutes(l.kinds) })),
      ...tcp.map(l => ({ ...l, allowedRoutes: this.allowedRoutes(new Set(['TCPRoute'])) })),
      ...tls.map(l => ({ ...l, allowedRoutes: this.allowedRoutes(new Set(['TLSRoute'])) })),
    ];
  }
}

/** Whether a certificate for `wildcard` (`*.example.com`) is valid for `host`: exactly one label more. */
function coveredBy(host: string, wildcard: string): boolean {
  const suffix = wildcard.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length;
}

/**
 * `name` when it fits the 253 characters of an object or listener name; for the longest hosts,
 * the same prefix-free name made short and unique by a hash of the host.
 */
function boundedName(name: string, host: string): string {
  return name.length <= 253 ? name : `${name.startsWith('https-') ? 'https' : 'tls'}-${createHash('sha256').update(host).digest('hex').slice(0, 32)}`;
}

/** A wildcard listener's hostname starts with `*.`. */
function checkWildcard(where: Where, prop: string, hostname: string): void {
  if (!hostname.startsWith('*.')) {
    throw errorAt(where, prop, hostname, 'is not a wildcard name', 'write it as \'*.\' and the domain, e.g. \'*.example.com\'');
  }
}

/** A listener holds a certificate of its own, not the one of a listener. */
function checkListenerCertificate(where: Where, prop: string, certificate: TlsCertificate): void {
  if (certificate.source === 'gateway-listener') {
    throw errorAt(where, prop, certificate, 'is not a certificate the Gateway can hold', LISTENER_CERTIFICATE_FIX);
  }
}

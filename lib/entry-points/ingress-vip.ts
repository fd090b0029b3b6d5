import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { errorAt, propError } from '../core/errors';
import { ingressErrors, renderIngress } from './_ingress';
import { renderTcpService, tcpServiceErrors } from './_tcp-service';
import { NetworkPeerSpec } from '../resources/_network-policy';
import { VIP_SELECTS_EXTERNAL_PODS } from '../k8s/_policy';
import { sortKeys } from '../core/_records';
import { mergeAnnotations, RouteSpec } from './_route';
import { checked, checkShape, Fields, shape, Where } from '../core/_shape';
import { ensureUniqueObjects } from '../k8s/_unique';
import { ipFamily } from '../core/_validate';
import { ExternalDnsRecord, RouteCheck } from './_route';
import { AttachedRoute, DataPlane, EntryPoint } from './entry-point';
import { IngressController } from './ingress-controller';
import { RouteKind } from './route';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';

/**
 * How the load-balancer implementation learns the pinned address of the VIP.
 */
export enum VipAddressMode {
  /** MetalLB: the `metallb.io/loadBalancerIPs` annotation. */
  METALLB = 'metallb',
  /** kube-vip: the `kube-vip.io/loadbalancerIPs` annotation. */
  KUBE_VIP = 'kube-vip',
  /**
   * The legacy `spec.loadBalancerIP` field, deprecated since Kubernetes 1.24 and ignored
   * by some implementations. Use it only for a load balancer that reads nothing else.
   */
  LEGACY_SPEC_FIELD = 'legacy-spec-field',
  /** No pinned address: the cloud's load balancer assigns one. */
  CLOUD_ASSIGNED = 'cloud-assigned',
}

/** How the VIP routes external traffic to the controller's nodes. */
export enum ExternalTrafficPolicy {
  /** Only to nodes that run a controller pod; keeps the client's source IP. */
  LOCAL = 'Local',
  /** To every node, then on through kube-proxy; hides the client's source IP. */
  CLUSTER = 'Cluster',
}

/** Props of `IngressVip`. */
export interface IngressVipProps {
  /**
   * The ingress controller behind the VIP: its annotations carry the apps' route options, and
   * its Helm chart's namespace, pod labels, class and port names are the defaults below.
   * @default IngressController.ingressNginx(), the seed's controller (retired in March 2026)
   */
  readonly controller?: IngressController;
  /**
   * The virtual IP that traffic for every app behind this controller enters by (IPv4 or IPv6).
   * Required unless `addressMode` is `CLOUD_ASSIGNED`.
   * @default - none; the cloud assigns one, and apps cannot get a DNS record from it
   */
  readonly address?: string;
  /**
   * How the address is written for the load-balancer implementation.
   * @default VipAddressMode.METALLB
   */
  readonly addressMode?: VipAddressMode;
  /**
   * Name of the LoadBalancer Service.
   * @default 'ingress-node-vip'
   */
  readonly name?: string;
  /**
   * Namespace of the ingress controller, where the Service is created.
   * @default - the controller's (`ingress-nginx` for ingress-nginx)
   */
  readonly namespace?: string;
  /**
   * Labels of the ingress controller pods, used as the Service selector and by the apps'
   * NetworkPolicies.
   * @default - the labels of the controller's Helm chart
   */
  readonly controllerLabels?: Record<string, string>;
  /**
   * The IngressClass the controller serves; every app's Ingress uses it.
   * @default - the class the controller's chart creates (`nginx` for ingress-nginx)
   */
  readonly ingressClassName?: string;
  /**
   * Named ports of the controller pods for HTTP and HTTPS.
   * @default - the controller chart's port names: { http: 'http', https: 'https' }
   */
  readonly controllerPorts?: {
    /** The port name for plain HTTP. */
    readonly http: string;
    /** The port name for HTTPS. */
    readonly https: string;
  };
  /**
   * How the VIP spreads traffic over nodes.
   * @default ExternalTrafficPolicy.LOCAL
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * Client CIDR blocks allowed to reach the VIP.
   * @default - any source
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * The load-balancer implementation that should handle this Service (`spec.loadBalancerClass`).
   * @default - the cluster's default implementation
   */
  readonly loadBalancerClass?: string;
  /**
   * Extra annotations for the Service (for example a MetalLB address pool). They may not
   * set the address annotations this construct writes.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** The contract of each prop; the controller's defaults are checked against it too. */
const FIELDS = {
  controller: shape.instance(IngressController, 'IngressController', 'use IngressController.ingressNginx(), IngressController.f5Nginx(), IngressController.haproxy() or IngressController.traefik()'),
  address: shape.ip,
  addressMode: shape.enum(VipAddressMode, 'VipAddressMode'),
  name: shape.dns1035Label,
  namespace: shape.dns1123Label,
  controllerLabels: shape.objectLabels,
  ingressClassName: shape.dns1123Label,
  controllerPorts: shape.object<{ http: string; https: string }>('controllerPorts', { http: shape.portName, https: shape.portName }, { required: ['http', 'https'] }),
  externalTrafficPolicy: shape.enum(ExternalTrafficPolicy, 'ExternalTrafficPolicy'),
  loadBalancerSourceRanges: shape.array(shape.cidr),
  loadBalancerClass: shape.format(shape.string, checkLoadBalancerClass),
  annotations: shape.annotations,
} satisfies Fields<IngressVipProps>;
/** The class of an Ingress before `spec.ingressClassName`, which the API server still compares with it. */
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const INGRESS_VIP_SHAPE = shape.object<IngressVipProps>('IngressVipProps', FIELDS);

const ADDRESS_ANNOTATION: Partial<Record<VipAddressMode, string>> = {
  [VipAddressMode.METALLB]: 'metallb.io/loadBalancerIPs',
  [VipAddressMode.KUBE_VIP]: 'kube-vip.io/loadbalancerIPs',
};
/** MetalLB gives Services with the same key one address, when their ports differ (and they route with Cluster). */
const METALLB_SHARED_IP = 'metallb.io/allow-shared-ip';

/**
 * The ingress-node VIP: a `LoadBalancer` Service in front of the ingress controller's pods,
 * with a pinned virtual IP. One per cluster, shared by every `WebApp` that passes it as its
 * entry point; each such app gets an Ingress.
 *
 * Apps read the ingress class, the controller's annotations, namespace and labels, and the
 * address from it, so none of these facts is typed twice.
 */
export class IngressVip extends EntryPoint {
  /** The pinned address, or `undefined` when the cloud assigns one. */
  public readonly address?: string;
  /** 4 or 6 for a pinned address. */
  public readonly ipFamily?: 4 | 6;
  /** How the address is written for the load balancer. */
  public readonly addressMode: VipAddressMode;
  /** The ingress controller behind the VIP. */
  public readonly controller: IngressController;
  /** Name of the LoadBalancer Service. */
  public readonly name: string;
  public readonly namespace: string;
  /** Labels of the controller pods: the Service selector and the apps' NetworkPolicy peer. */
  public readonly controllerLabels: Readonly<Record<string, string>>;
  /** The IngressClass every app's Ingress uses. */
  public readonly ingressClassName: string;
  /** How the VIP spreads traffic over nodes. */
  public readonly externalTrafficPolicy: ExternalTrafficPolicy;
  /** The LoadBalancer Service. */
  public readonly service: ApiObject;
  public readonly dataPlane: DataPlane;
  /** None: an Ingress controller admits Ingresses of its class from every namespace. */
  public readonly routeNamespaceLabels: Readonly<Record<string, string>> = {};
  public readonly description: string;

  /** host -> the route that has an Ingress for it, for controllers that serve one per host. */
  private readonly ingressHosts = new Map<string, string>();
  /** `address port` -> the TCP route that took it. */
  private readonly tcpPorts = new Map<string, string>();
  private readonly loadBalancerClass?: string;

  public constructor(scope: Construct, id: string, props: IngressVipProps = {}) {
    super(scope, id);
    checkShape(this, '', props, INGRESS_VIP_SHAPE);
    this.addressMode = props.addressMode ?? VipAddressMode.METALLB;
    this.controller = props.controller ?? IngressController.ingressNginx();
    const defaults = this.controller.defaults;
    this.name = props.name ?? 'ingress-node-vip';
    this.namespace = props.namespace ?? checked(this, 'namespace', defaults.namespace, FIELDS.namespace);
    this.description = `IngressVip ${this.node.path}`;
    this.controllerLabels = { ...(props.controllerLabels ?? checked(this, 'controllerLabels', defaults.controllerLabels, FIELDS.controllerLabels)) };
    if (Object.keys(this.controllerLabels).length === 0) {
      throw propError(this, 'controllerLabels', props.controllerLabels, 'is empty, so the VIP would select every pod in the namespace',
        'give the labels of the ingress controller pods');
    }
    this.dataPlane = { namespace: this.namespace, podLabels: this.controllerLabels };
    this.ingressClassName = props.ingressClassName ?? checked(this, 'ingressClassName', defaults.ingressClassName, FIELDS.ingressClassName);
    this.externalTrafficPolicy = props.externalTrafficPolicy ?? ExternalTrafficPolicy.LOCAL;
    const ports = props.controllerPorts ?? checked(this, 'controllerPorts', defaults.ports, FIELDS.controllerPorts);

    if (this.addressMode === VipAddressMode.CLOUD_ASSIGNED) {
      if (props.address !== undefined) {
        throw propError(this, 'address', props.address, 'is set, but addressMode is CLOUD_ASSIGNED',
          'choose the addressMode of your load balancer (METALLB, KUBE_VIP or LEGACY_SPEC_FIELD), or drop the address');
      }
    } else {
      if (props.address === undefined) {
        throw propError(this, 'address', props.address, `is required with addressMode ${this.addressMode}`,
          'give the VIP address, e.g. \'192.0.2.10\', or set addressMode to CLOUD_ASSIGNED');
      }
      this.ipFamily = ipFamily(props.address);
      this.address = props.address;
    }

    this.loadBalancerClass = props.loadBalancerClass;
    const sourceRanges = [...(props.loadBalancerSourceRanges ?? [])];
    const annotations = { ...(props.annotations ?? {}) };
    const addressKey = ADDRESS_ANNOTATION[this.addressMode];
    for (const key of Object.values(ADDRESS_ANNOTATION)) {
      if (Object.hasOwn(annotations, key)) {
        throw propError(this, `annotations["${key}"]`, annotations[key], 'would override the address this construct writes',
          'give the address with the \'address\' and \'addressMode\' props');
      }
    }
    if (addressKey && this.address) {
      annotations[addressKey] = this.address;
    }
    Object.assign(annotations, VIP_SELECTS_EXTERNAL_PODS);

    this.service = new StrictApiObject(this, 'Service', manifestOf(KINDS.KubeService, {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: {
          ...this.controllerLabels,
          'app.kubernetes.io/managed-by': 'cdk8s-webstack',
        },
        annotations: sortKeys(annotations),
      },
      spec: {
        type: 'LoadBalancer',
        selector: { ...this.controllerLabels },
        externalTrafficPolicy: this.externalTrafficPolicy,
        ...(this.ipFamily === 6 ? { ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' } : {}),
        ...(this.addressMode === VipAddressMode.LEGACY_SPEC_FIELD ? { loadBalancerIp: this.address } : {}),
        ...(sourceRanges.length > 0 ? { loadBalancerSourceRanges: sourceRanges } : {}),
        ...(props.loadBalancerClass ? { loadBalancerClass: props.loadBalancerClass } : {}),
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: intOrString(ports.http) },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: intOrString(ports.https) },
        ],
      },
    }));
    ensureUniqueObjects(this);
  }

  /** @internal */
  public override _annotateForExternalDns(route: ApiObject, record: ExternalDnsRecord): void {
    super._annotateForExternalDns(route, record);
    route.metadata.addAnnotation(`${record.prefix}target`, record.target);
  }

  /** @internal */
  public _routeErrors(check: RouteCheck): string[] {
    if (check.route.kind === 'Service') {
      return tcpServiceErrors(check.route, check);
    }
    return [
      ...ingressErrors(check.route, check, this.ingressClassName),
      ...(check.hostRedirect ? ingressErrors(check.hostRedirect, { ...check, routeHosts: check.hosts.slice(1) }, this.ingressClassName) : []),
    ];
  }

  /** Fails when another Ingress already serves one of `route`'s hosts, which this controller would drop. */
  private takeHosts(app: Construct, route: RouteSpec): void {
    for (const host of route.hosts) {
      const other = this.ingressHosts.get(host);
      if (other !== undefined) {
        throw propError(app, route.prop === 'route' ? 'host' : `${route.prop}.host`, host,
          `already has an Ingress (${other}), and ${this.controller.name} serves only one plain Ingress per host`,
          'give the route a host of its own, or serve both through ingress-nginx, HAProxy, Traefik or a Gateway');
      }
      this.ingressHosts.set(host, `${app.node.path} ${route.prop}`);
    }
  }

  /** Every route behind the VIP is an Ingress, whatever it carries: one host may have several. */
  protected override routeKindOf(): string {
    return 'Ingress';
  }

  /**
   * A TCP route's clients connect to the pods through their own LoadBalancer Service: its
   * client ranges, where the Service keeps the client's address (`Local`), else any address.
   * @internal
   */
  public override _routePeers(route: RouteSpec): NetworkPeerSpec[] | undefined {
    const tcp = route.tcp;
    if (tcp === undefined) {
      return undefined;
    }
    if (tcp.sourceRanges.length > 0 && !this.sharesAddress(route)) {
      return tcp.sourceRanges.map(cidr => ({ cidr }));
    }
    const family = tcp.address !== undefined ? ipFamily(tcp.address) : this.ipFamily;
    return [...(family !== 6 ? [{ cidr: '0.0.0.0/0' }] : []), ...(family !== 4 ? [{ cidr: '::/0' }] : [])];
  }

  /** Whether a TCP route's Service takes the VIP's own address. */
  private sharesAddress(route: RouteSpec): boolean {
    return this.addressMode !== VipAddressMode.CLOUD_ASSIGNED && (route.tcp!.address ?? this.address) === this.address;
  }

  /**
   * A TCP route, which an Ingress cannot carry: a LoadBalancer Service of the app's pods, on an
   * address of its own, or on the VIP's where MetalLB can share it (both Services `Cluster`).
   */
  private renderTcpRoute(app: Construct, route: RouteSpec): AttachedRoute {
    const tcp = route.tcp!;
    const prop = `${route.prop}.tcp`;
    if (tcp.passthrough) {
      throw propError(app, `${prop}.passthrough`, true, `routes TLS by its SNI host on a Gateway listener, and ${this.description} carries only HTTP`,
        'drop passthrough and give tcp.address: a TCP route on an address of its own carries the TLS bytes as they are');
    }
    const port = tcp.port!;
    const shared = this.sharesAddress(route);
    const annotations: Record<string, string> = {};
    if (this.addressMode === VipAddressMode.CLOUD_ASSIGNED) {
      if (tcp.address !== undefined) {
        throw propError(app, `${prop}.address`, tcp.address, `is set, but ${this.description} has cloud-assigned addresses (addressMode CLOUD_ASSIGNED), and so does the route's Service`,
          'drop address, or pin the VIP\'s address with a load balancer that honours it');
      }
    } else if (shared) {
      if (this.addressMode !== VipAddressMode.METALLB) {
        throw propError(app, `${prop}.address`, tcp.address, `would share the VIP's address ${this.address}, which two Services share only through MetalLB's ${METALLB_SHARED_IP}, and ${this.description} is pinned for ${this.addressMode}`,
          'give the route an address of its own in tcp.address');
      }
      if (this.externalTrafficPolicy !== ExternalTrafficPolicy.CLUSTER) {
        throw propError(app, `${prop}.address`, tcp.address,
          `would share the VIP's address ${this.address}, and MetalLB shares an address only between Services that route with externalTrafficPolicy Cluster (or select the same pods), while ${this.description} routes with ${this.externalTrafficPolicy}`,
          'give the route an address of its own in tcp.address, or set the IngressVip\'s externalTrafficPolicy to ExternalTrafficPolicy.CLUSTER (clients\' addresses are then hidden from the pods)');
      }
      if (port === 80 || port === 443) {
        throw propError(app, `${prop}.port`, port, `is a port of the VIP's own Service on ${this.address}`, 'give the route another port, or an address of its own');
      }
      annotations[METALLB_SHARED_IP] = this.sharingKey();
    }
    const address = this.addressMode === VipAddressMode.CLOUD_ASSIGNED ? undefined : tcp.address ?? this.address!;
    const claim = `${address ?? route.name} ${port}`;
    const other = this.tcpPorts.get(claim);
    if (other !== undefined) {
      throw propError(app, `${prop}.port`, port, `is already taken on ${address} by ${other}`, 'give the route another port, or an address of its own');
    }
    this.tcpPorts.set(claim, `${app.node.path} ${route.prop}`);
    const addressKey = ADDRESS_ANNOTATION[this.addressMode];
    if (addressKey !== undefined) {
      annotations[addressKey] = address!;
    }
    const rendered = renderTcpService(app, route, {
      annotations,
      externalTrafficPolicy: shared ? 'Cluster' : 'Local',
      loadBalancerIp: this.addressMode === VipAddressMode.LEGACY_SPEC_FIELD ? address : undefined,
      ipFamily: address === undefined ? undefined : ipFamily(address),
      loadBalancerClass: this.loadBalancerClass,
    });
    return { ...rendered, address };
  }

  /** The key both Services carry to share the VIP's address: the user's own, or one written on the VIP now. */
  private sharingKey(): string {
    const own: string | undefined = this.service.metadata.toJson().annotations?.[METALLB_SHARED_IP];
    if (own !== undefined) {
      return own;
    }
    const key = `${this.namespace}.${this.name}`;
    this.service.metadata.addAnnotation(METALLB_SHARED_IP, key);
    return key;
  }

  protected renderRoute(app: Construct, route: RouteSpec): AttachedRoute {
    if (route.tcp !== undefined) {
      return this.renderTcpRoute(app, route);
    }
    const legacyClass = route.annotations[LEGACY_CLASS_ANNOTATION];
    if (legacyClass !== undefined && legacyClass !== this.ingressClassName) {
      // The API server refuses an Ingress whose class annotation and ingressClassName differ.
      throw propError(app, `route.annotations["${LEGACY_CLASS_ANNOTATION}"]`, legacyClass,
        `differs from the Ingress class "${this.ingressClassName}" of ${this.description}, and the API server refuses an Ingress whose two differ`,
        'drop the annotation: the class is the IngressVip\'s ingressClassName');
    }
    const typed: Record<string, string> = {};
    let tlsSecretName: string | undefined;
    const tls = route.tls;
    if (tls !== undefined) {
      if (tls.source === 'gateway-listener') {
        throw propError(app, `${route.prop}.tls`, 'TlsCertificate.fromGatewayListener()', `has no listener to take a certificate from behind ${this.description}`,
          'use TlsCertificate.fromSecret(...) or TlsCertificate.fromClusterIssuer(...), or serve the app through a Gateway');
      }
      if (tls.secretNamespace !== undefined && tls.secretNamespace !== route.namespace) {
        throw propError(app, `${route.prop}.tls.namespace`, tls.secretNamespace, `is not the app's namespace ("${route.namespace}"), and an Ingress reads its certificate from its own namespace`,
          'copy the Secret into the app\'s namespace, or serve the app through a Gateway, which can read it across namespaces');
      }
      // An app on another app's host uses the owner's Secret, which the owner's route asks cert-manager for.
      tlsSecretName = tls.secretName ?? `${route.hostOwner?.name ?? route.name}-tls`;
      if (tls.clusterIssuer !== undefined && route.hostOwner === undefined) {
        typed['cert-manager.io/cluster-issuer'] = tls.clusterIssuer;
      }
    }
    Object.assign(typed, this.controller._annotations(app, route));
    if (route.grpc !== undefined) {
      if (!this.controller.routeKinds.includes(RouteKind.GRPC)) {
        throw propError(app, `${route.prop}.grpc`, route.grpc, `is a gRPC route, and ${this.controller.name} (behind ${this.description}) has no annotation to speak gRPC to the backend`,
          'route the port as HTTP, or serve the gRPC API through a controller with a gRPC backend annotation (ingress-nginx, F5 NGINX, HAProxy, Traefik) or a Gateway');
      }
      Object.assign(typed, this.controller._grpcAnnotations(app, route));
    }
    if (this.controller._oneIngressPerHost) {
      this.takeHosts(app, route);
    }
    const common = {
      name: route.name,
      namespace: route.namespace,
      labels: route.labels,
      className: this.ingressClassName,
      paths: route.paths,
      pathType: route.pathType,
      serviceName: route.serviceName,
      servicePortName: route.servicePortName,
      tlsSecretName,
    };
    const ingress = renderIngress(app, {
      ...common,
      annotations: sortKeys(mergeAnnotations(app, route, typed)),
      hosts: route.redirectOtherHosts ? [route.host] : route.hosts,
    }, `${route.idPrefix}Ingress`);
    const hostRedirect = route.redirectOtherHosts ? renderIngress(app, {
      ...common,
      name: `${route.name}-host-redirect`,
      annotations: sortKeys(this.controller._hostRedirect(app, `${tls ? 'https' : 'http'}://${route.host}`)),
      hosts: route.hosts.slice(1),
    }, `${route.idPrefix}HostRedirect`) : undefined;
    return { kind: 'Ingress', route: ingress, hostRedirect };
  }
}

/** A load balancer class is a prefixed name: the implementation's domain, '/', a name. */
function checkLoadBalancerClass(where: Where, prop: string, value: string): void {
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) {
    throw errorAt(where, prop, value, 'is not a prefixed name',
      'use the implementation\'s class, e.g. \'metallb.io/metallb\' or \'kube-vip.io/kube-vip-class\'');
  }
}

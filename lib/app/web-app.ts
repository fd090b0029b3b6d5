import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { renderedJson } from '../k8s/_api-object';
import { autoscalerErrors, renderAutoscaler } from '../resources/_autoscaler';
import { podTemplateErrors } from '../resources/_deployment';
import { disruptionBudgetErrors, renderDisruptionBudget } from '../resources/_disruption-budget';
import { propError } from '../core/errors';
import { resolveIdentity } from './_identity';
import { renderNamespace } from '../resources/_namespace';
import { NETWORK_POLICY_SHAPE, resolveNetworkPolicy } from './_network-policy';
import { PORTS_SHAPE, resolvePorts, SERVICE_PORT, SERVICE_PORT_NAME } from './_ports';
import { resolvePortRoutes, ROUTES_SHAPE } from './_routes';
import { registerHostOwner, resolveSharedHost } from './_shared-host';
import { renderNetworkPolicy } from '../resources/_network-policy';
import { CONFIG_SHAPES, configMountErrors, renderConfigMaps, resolveConfig, withScratch } from './_config';
import { COMPANION_SHAPES, renderCompanions } from './_companions';
import { CONTAINER_SHAPES, podContainers, resolveContainers } from './_containers';
import { checkSinglePodClaims, resolveVolumes, singleReplicaExemption, VOLUME_SHAPES } from './_volumes';
import { claimErrors, renderClaim } from '../resources/_claim';
import { statefulSetErrors } from '../resources/_stateful-set';
import { renderWorkload, resolveStatefulSet, STATEFUL_SET_SHAPE } from './_stateful-set';
import { POD_SHAPES, resolvePod } from './_pod';
import { mergeExemptions, REPLICAS_OWNED_BY_AUTOSCALER } from '../k8s/_policy';
import { sortKeys } from '../core/_records';
import { resolveRoute, ROUTE_SHAPE, RouteSpec } from '../entry-points/_route';
import { checkShape, shape } from '../core/_shape';
import { METRICS_SHAPE, monitorErrors, renderMonitor, resolveMetrics } from './_metrics';
import { resolveRolloutTiming, resolveScaling, SCALING_SHAPES } from './_scaling';
import { resolveScheduling, SCHEDULING_SHAPE, withScheduling } from './_scheduling';
import { renderServiceAccount, resolveServiceAccount, SERVICE_ACCOUNT_SHAPE } from './_service-account';
import { renderService, serviceErrors } from '../resources/_service';
import { renderRbac } from '../resources/_rbac';
import { ensureUniqueObjects } from '../k8s/_unique';
import { ImageReference } from '../core/_validate';
import { DnsRecord } from '../dns/dns-record';
import { DnsProvider, DnsRecordType } from '../dns/dns-provider';
import { DNS_OPTION_SHAPES, dnsRecordErrors } from '../dns/_dns-record';
import { ENTRY_POINT_SHAPE } from '../entry-points/_shapes';
import { EntryPoint } from '../entry-points/entry-point';
import { EnvValue } from './env-value';
import { ImagePullPolicy, ProbesOptions, ResourcesOptions, SecurityOptions, ShutdownOptions } from './pod';
import { PortRouteOptions, RouteOptions } from '../entry-points/route';
import { PortRouteObjects } from './routes';
import { ConfigFilesOptions, EnvFrom, ScratchVolumeOptions, SecretFilesOptions } from './config-files';
import { ServiceAccountOptions } from './service-account';
import { MetricsOptions } from './metrics';
import { ContainerOptions, SidecarMode, SidecarOptions } from './containers';
import { AutoscalingOptions, DisruptionBudgetOptions, RolloutTimingOptions, UpdateStrategy } from './scaling';
import { SchedulingOptions } from './scheduling';
import { MountOptions, VolumeOptions } from './volumes';
import { StatefulSetOptions } from './stateful-set';
import { NetworkPolicyOptions } from './network-policy';
import { PortOptions } from './ports';
import { ScheduledJobOptions, WorkerObjects, WorkerOptions } from './companions';
import { ReleaseOptions } from './release';

/** Where the app lives: `WebAppProps.namespace`. */
export interface NamespaceOptions {
  /**
   * The namespace the app lives in.
   * @default - the app's name
   */
  readonly name?: string;
  /**
   * Emit the Namespace object itself. Turn off when the namespace is managed elsewhere.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Label the emitted Namespace to enforce, warn and audit Pod Security Standards "restricted".
   * @default true
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurityRestricted?: boolean;
}

/** The DNS record of the host: `WebAppProps.dns`. */
export interface DnsOptions {
  /**
   * Who publishes the record.
   * @default DnsProvider.externalDns()
   */
  readonly provider?: DnsProvider;
  /**
   * Time to live, in seconds.
   * @default 300
   */
  readonly ttl?: number;
  /**
   * The record type; it must match the VIP's IP family.
   * @default - A for an IPv4 VIP, AAAA for an IPv6 one
   */
  readonly recordType?: DnsRecordType;
}

/** Props of `WebApp`: only `entryPoint`, `image` and `host` are required. */
export interface WebAppProps {
  /**
   * What the app is served behind: an `IngressVip` (the app gets an Ingress), a `Gateway` or an
   * `ExistingGateway` (the app gets an HTTPRoute). The route kind, the DNS record's target and the
   * NetworkPolicy's peer are read from it: moving the app between kinds of cluster is this one prop.
   */
  readonly entryPoint: EntryPoint;
  /** The container image, `registry/path:tag`, `registry/path@sha256:...` or both. */
  readonly image: string;
  /** The host name clients use; the Ingress host, TLS host and DNS name. */
  readonly host: string;
  /**
   * More host names the app is served at (an apex beside `www`): each is routed, covered by the
   * app's TLS and published by its DNS provider like `host`.
   * @default - none
   */
  readonly otherHosts?: string[];
  /**
   * Redirect (301) every request for the other hosts to `host`, instead of serving them:
   * an HTTPRoute with a `RequestRedirect` behind a Gateway, ingress-nginx's `permanent-redirect`
   * on a second Ingress behind an IngressVip (other controllers cannot, and say so).
   * @default false
   */
  readonly redirectOtherHosts?: boolean;
  /**
   * The app whose host this app serves some paths of (an API app on `/api` under the web app's
   * `/`): `host` is one of the owner's, the app runs in the owner's namespace and through its
   * entry point, and the owner has the host's certificate, HTTPS redirect and DNS record. This
   * app routes only its `route.paths` there, to its own Service.
   * @default - the app owns its hosts
   */
  readonly hostOwner?: WebApp;
  /**
   * Name of every object of the app (a DNS-1035 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The app's namespace.
   * @default - a namespace named after the app, emitted with Pod Security "restricted" labels
   */
  readonly namespace?: NamespaceOptions;
  /**
   * The `app.kubernetes.io/version` label.
   * @default - the image tag when it is a valid label value, else no label
   */
  readonly version?: string;
  /**
   * The `app.kubernetes.io/component` label.
   * @default 'web'
   */
  readonly component?: string;
  /**
   * The `app.kubernetes.io/part-of` label: the system the app belongs to.
   * @default - the app's name
   */
  readonly partOf?: string;
  /**
   * Extra labels for every object and pod. They may not override the recommended labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Secrets (type `kubernetes.io/dockerconfigjson`) in the app's namespace with credentials for
   * a private registry.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.ALWAYS
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The port the app listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * The IANA name of that port; the Service and probes refer to it by name.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * More ports the app's container serves (SSH beside HTTPS, a gRPC port, an admin port):
   * each a container port, a port of the app's Service, and a rule of the NetworkPolicy open
   * to the peers of `networkPolicy.allowFrom` that name it.
   * @default - the serving port only (and the metrics port)
   */
  readonly ports?: PortOptions[];
  /**
   * The server's command, replacing the image's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The server's arguments, replacing the image's command arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Environment variables, by name.
   * @default - none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Requests and limits.
   * @default - see ResourcesOptions
   */
  readonly resources?: ResourcesOptions;
  /**
   * Readiness, liveness and startup probes.
   * @default - see ProbesOptions
   */
  readonly probes?: ProbesOptions;
  /**
   * User, group and root filesystem of the container.
   * @default - see SecurityOptions
   */
  readonly security?: SecurityOptions;
  /**
   * Graceful shutdown.
   * @default - see ShutdownOptions
   */
  readonly shutdown?: ShutdownOptions;
  /**
   * A fixed number of replicas. Not allowed with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler, which then owns the replica count.
   * @default - none: a fixed replica count
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * How requests for the host reach the app: paths, TLS, redirect, timeouts. The entry point
   * renders them as an Ingress or an HTTPRoute.
   * @default - the host's `/` path over plain HTTP
   */
  readonly route?: RouteOptions;
  /**
   * Routes to other ports of `ports`, each on a host of its own (or other paths of the app's):
   * HTTP (an Ingress or an HTTPRoute) or gRPC (an Ingress with the controller's gRPC backend
   * annotation, or a GRPCRoute), each an object `<app>-<name>` with its TLS and the DNS record
   * of its host; the NetworkPolicy admits the entry point's data plane to the port.
   * @default - none: only the app's route, to its serving port
   */
  readonly routes?: PortRouteOptions[];
  /**
   * The PodDisruptionBudget, or `false` for none.
   * @default - maxUnavailable 1 when the app runs at least 2 replicas, else none
   */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /**
   * How the pods are replaced at a rollout: `UpdateStrategy.recreate()` for an app whose pods
   * must never run two versions side by side, or that holds a ReadWriteOnce volume.
   * @default UpdateStrategy.rollingUpdate(): maxSurge 25%, maxUnavailable 0 (no downtime)
   */
  readonly updateStrategy?: UpdateStrategy;
  /**
   * How long a rollout may go without progress before the controller marks it failed, and how
   * long a new pod stays ready before it counts: see `RolloutTimingOptions`.
   * @default - a deadline from the startup and readiness probes' budgets (192 s for the defaults), minReadySeconds one readiness period
   */
  readonly rollout?: RolloutTimingOptions;
  /**
   * Run the app as a StatefulSet instead of a Deployment: pods with stable names and DNS names
   * (under a headless Service `<app>-headless`), each with its own claims, started in order or
   * in parallel, with its own update strategy (`updateStrategy` is then refused).
   * @default - a Deployment
   */
  readonly statefulSet?: StatefulSetOptions;
  /**
   * Where and how the app's pods run: node selector, tolerations, priority and runtime class,
   * spread, host aliases, and the pods' own annotations and labels. Workers and jobs take their own.
   * @default - any node, spread over nodes and zones
   */
  readonly scheduling?: SchedulingOptions;
  /**
   * The NetworkPolicy, or `false` for none: who may reach each port, and (with `egress`) what the pods may call.
   * @default - only the entry point's data plane (ingress controller or Gateway proxies) may reach the serving port; egress open
   */
  readonly networkPolicy?: NetworkPolicyOptions | false;
  /**
   * Config files: each a ConfigMap the app emits (`<app>-<name>`), mounted read-only; a change
   * of their content rolls the pods (a content hash in the pod template).
   * @default - none
   */
  readonly configFiles?: ConfigFilesOptions[];
  /**
   * Files from existing Secrets, mounted read-only (mode 0440 unless given).
   * @default - none
   */
  readonly secretFiles?: SecretFilesOptions[];
  /**
   * Whole ConfigMaps or Secrets as environment variables.
   * @default - none
   */
  readonly envFrom?: EnvFrom[];
  /**
   * Scratch space (emptyDir) at paths besides /tmp; their size limits are added to the
   * ephemeral-storage (or, in memory, memory) request and limit.
   * @default - none
   */
  readonly scratchVolumes?: ScratchVolumeOptions[];
  /**
   * Volumes of the pod: new or existing PersistentVolumeClaims, scratch space, and the files of
   * existing Secrets and ConfigMaps, each mounted by the app's container at its `mountPath` and
   * by any other container that names it in its `mounts`.
   * @default - none
   */
  readonly volumes?: VolumeOptions[];
  /**
   * More mounts of the app's container (a volume's folders at several paths, by `subPath`).
   * @default - none
   */
  readonly mounts?: MountOptions[];
  /**
   * A ServiceAccount of the app's own (or an existing one by name), with a cloud's workload
   * identity if given; its token is mounted only when asked.
   * @default - the namespace's default ServiceAccount, its token not mounted
   */
  readonly serviceAccount?: ServiceAccountOptions;
  /**
   * Containers that run to completion before the app starts (a database migration), with the
   * app's image unless given, its env and config, and its security defaults.
   * @default - none
   */
  readonly initContainers?: ContainerOptions[];
  /**
   * Containers beside the app for its whole life (a log shipper, a proxy), with its security
   * defaults.
   * @default - none
   */
  readonly sidecars?: SidecarOptions[];
  /**
   * How sidecars run: native (init containers with `restartPolicy: Always`, Kubernetes 1.29+)
   * or plain extra containers.
   * @default SidecarMode.NATIVE
   */
  readonly sidecarMode?: SidecarMode;
  /**
   * Workers: Deployments `<app>-<name>` with the app's image, env, config, sidecars and security
   * defaults, their own command and scale, no Service or route, and a NetworkPolicy that admits
   * nothing.
   * @default - none
   */
  readonly workers?: WorkerOptions[];
  /**
   * Scheduled jobs: CronJobs `<app>-<name>` from the app's pod template.
   * @default - none
   */
  readonly scheduledJobs?: ScheduledJobOptions[];
  /**
   * Jobs around each release: a migration that runs once per release before the new pods
   * start (`deploy` waits for it), and jobs after the rollout, in order.
   * @default - none
   */
  readonly release?: ReleaseOptions;
  /**
   * A metrics endpoint, on a port of its own or the app's, scraped by Prometheus through a
   * ServiceMonitor (or PodMonitor); the NetworkPolicy admits the scraping namespace to that port only.
   * @default - none
   */
  readonly metrics?: MetricsOptions;
  /**
   * The DNS record of the host, or `false` for none.
   * @default - an A (or AAAA) record through ExternalDNS, TTL 300
   */
  readonly dns?: DnsOptions | false;
}

/** The run-time shape of `WebAppProps`, checked before anything else: JavaScript callers skip the compiler. */
const WEB_APP_SHAPE = shape.object<WebAppProps>('WebAppProps', {
  entryPoint: ENTRY_POINT_SHAPE,
  image: shape.image,
  host: shape.hostName,
  otherHosts: shape.array(shape.hostName),
  redirectOtherHosts: shape.boolean,
  hostOwner: shape.instance(Construct, 'WebApp', 'give the WebApp that owns the host'),
  name: shape.dns1035Label,
  namespace: shape.object<NamespaceOptions>('NamespaceOptions', { name: shape.dns1123Label, create: shape.boolean, podSecurityRestricted: shape.boolean }),
  version: shape.labelValue,
  component: shape.labelValue,
  partOf: shape.labelValue,
  labels: shape.objectLabels,
  port: shape.port,
  portName: shape.portName,
  command: shape.array(shape.string),
  args: shape.array(shape.string),
  ...SCALING_SHAPES,
  statefulSet: STATEFUL_SET_SHAPE,
  route: ROUTE_SHAPE,
  routes: ROUTES_SHAPE,
  ports: PORTS_SHAPE,
  networkPolicy: NETWORK_POLICY_SHAPE,
  dns: shape.oneOf(shape.false, shape.object<DnsOptions>('DnsOptions', DNS_OPTION_SHAPES)),
  ...POD_SHAPES,
  ...CONFIG_SHAPES,
  ...VOLUME_SHAPES,
  serviceAccount: SERVICE_ACCOUNT_SHAPE,
  metrics: METRICS_SHAPE,
  scheduling: SCHEDULING_SHAPE,
  ...CONTAINER_SHAPES,
  ...COMPANION_SHAPES,
}, { required: ['entryPoint', 'image', 'host'], renamed: { vip: 'entryPoint', ingress: 'route' } });


/**
 * A complete web app behind an entry point: Namespace, Deployment (or StatefulSet), ClusterIP Service, an Ingress
 * or an HTTPRoute (by the entry point), optional HorizontalPodAutoscaler, PodDisruptionBudget,
 * NetworkPolicy and a DNS record for its host, each secure and reliable by default and named
 * after the app.
 */
export class WebApp extends Construct {
  /** Name of every object of the app. */
  public readonly name: string;
  /** The app's namespace. */
  public readonly namespace: string;
  /** The host clients use: the route host, TLS host and DNS name. */
  public readonly host: string;
  /** Every host the app is served at, `host` first. */
  public readonly hosts: readonly string[];
  /** Every host and path the app serves, `https://` when it has TLS. */
  public readonly urls: readonly string[];
  /** The container image, parsed: registry, path, tag and digest. */
  public readonly image: ImageReference;
  /** Labels on every object and pod. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The stable labels that select the app's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The port the app listens on. */
  public readonly port: number;
  /** The name of that port, which the Service and probes refer to. */
  public readonly portName: string;
  /** What the app is served behind. */
  public readonly entryPoint: EntryPoint;
  /** Fixed replica count; `undefined` when the autoscaler owns it. */
  public readonly replicas?: number;
  /** The fewest pods the app runs: the fixed count or the autoscaler's minimum. */
  public readonly minReplicas: number;

  /** The Namespace object, when emitted. */
  public readonly namespaceResource?: ApiObject;
  /** The ConfigMaps of `configFiles`, in their order. */
  public readonly configMaps: ApiObject[];
  /** The PersistentVolumeClaims of `volumes`, in their order. */
  public readonly claims: ApiObject[];
  /** The app's ServiceAccount, when it emits one. */
  public readonly serviceAccount?: ApiObject;
  /** The Role, RoleBinding, ClusterRole and ClusterRoleBinding of its ServiceAccount, with `serviceAccount.rbac`. */
  public readonly roles: ApiObject[];
  /** The app's pods: its Deployment, or its StatefulSet with `statefulSet`. */
  public readonly workload: ApiObject;
  /** The Deployment; `undefined` when the app is a StatefulSet. */
  public readonly deployment?: ApiObject;
  /** The StatefulSet, with `statefulSet`. */
  public readonly statefulSet?: ApiObject;
  /** The headless Service `<app>-headless` that gives the StatefulSet's pods their DNS names, with `statefulSet`. */
  public readonly headlessService?: ApiObject;
  /** The ClusterIP Service, port 80 named `http`. */
  public readonly service: ApiObject;
  /** `Ingress` behind an IngressVip, `HTTPRoute` behind a Gateway. */
  public readonly routeKind: 'Ingress' | 'HTTPRoute';
  /** The Ingress or HTTPRoute that routes the host and paths to the Service. */
  public readonly route: ApiObject;
  /** The HTTPRoute that redirects plain HTTP to HTTPS (Gateway API, with TLS and the redirect on). */
  public readonly httpsRedirect?: ApiObject;
  /** The ReferenceGrant that lets the Gateway read the certificate Secret in the app's namespace. */
  public readonly referenceGrant?: ApiObject;
  /** The Ingress or HTTPRoute that redirects the other hosts to `host`, with `redirectOtherHosts`. */
  public readonly hostRedirect?: ApiObject;
  /** The objects of `routes`, in their order. */
  public readonly routes: PortRouteObjects[];
  /** The HorizontalPodAutoscaler, with `autoscaling`. */
  public readonly autoscaler?: ApiObject;
  /** The PodDisruptionBudget, when the app runs at least 2 replicas and it is not turned off. */
  public readonly disruptionBudget?: ApiObject;
  /** The NetworkPolicy, unless turned off. */
  public readonly networkPolicy?: ApiObject;
  /** The ServiceMonitor or PodMonitor, with `metrics`. */
  public readonly monitor?: ApiObject;
  /** The workers' objects, in their order. */
  public readonly workers: WorkerObjects[];
  /** The scheduled jobs' CronJobs, in their order. */
  public readonly cronJobs: ApiObject[];
  /** The Job of this release's migration, with `release.migration`. */
  public readonly migration?: ApiObject;
  /** The Jobs after this release, in their order. */
  public readonly afterRelease: ApiObject[];
  /** The DNS record of the host, unless turned off. */
  public readonly dnsRecord?: DnsRecord;
  /** The DNS records of every host, `host`'s first (those of `routes` are in `routes`). */
  public readonly dnsRecords: DnsRecord[];

  public constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    checkShape(this, '', props, WEB_APP_SHAPE);
    // Who the app is: its names, hosts, image, port and labels.
    const shared = resolveSharedHost(this, props);
    const identity = resolveIdentity(this, id, shared ? { ...props, namespace: { ...props.namespace, name: shared.namespace } } : props);
    ({ name: this.name, namespace: this.namespace, hosts: this.hosts, image: this.image, port: this.port, portName: this.portName } = identity);
    this.host = identity.hosts[0];
    this.labels = identity.labels;
    this.selectorLabels = identity.selectorLabels;
    const labels = { ...this.labels };
    const meta = { name: this.name, namespace: this.namespace, labels };

    // The chain, resolved in its order: entry point -> route -> Service -> pods -> autoscaler -> DNS.
    const entryPoint = this.entryPoint = props.entryPoint;
    const route = resolveRoute(this, props.route ?? {}, { ...meta, host: this.host, otherHosts: this.hosts.slice(1), redirectOtherHosts: identity.redirectOtherHosts, servicePort: SERVICE_PORT }, shared);
    registerHostOwner(this, { namespace: this.namespace, entryPoint, route });
    this.urls = this.hosts.flatMap(host => route.paths.map(p => `${route.tls ? 'https' : 'http'}://${host}${p}`));
    // The ports first, the metrics port among them: the app's probes may check any.
    const metrics = resolveMetrics(this, props.metrics, { port: this.port, portName: this.portName, servicePortName: SERVICE_PORT_NAME });
    const ports = resolvePorts(this, props.ports, { name: this.portName, number: this.port }, metrics);
    const containerPorts = ports.extra.map(p => ({ name: p.name, port: p.port, protocol: p.protocol }));
    const pod = resolvePod(this, props, ports.serving, containerPorts);
    const stateful = resolveStatefulSet(this, props, { name: this.name });
    const config = resolveVolumes(this, props, resolveConfig(this, props, { name: this.name }), { name: this.name }, stateful?.volumes);
    const account = resolveServiceAccount(this, props.serviceAccount, { name: this.name });
    const containers = resolveContainers(this, props, { name: this.name, pod, envFrom: config.envFrom, volumes: config, extraPorts: containerPorts });
    const scaling = resolveScaling(this, props, pod.resources);
    checkSinglePodClaims(this, config, { ...scaling, sidecars: containers.sidecars, companions: props, statefulSet: stateful !== undefined });
    const placed = resolveScheduling(this, 'scheduling', props.scheduling, { spread: true, labels, podAnnotations: config.podAnnotations });
    this.replicas = scaling.replicas;
    this.minReplicas = scaling.minReplicas;
    const portRoutes = resolvePortRoutes(this, props.routes, ports, { ...meta, podSelector: this.selectorLabels });
    const policy = resolveNetworkPolicy(this, props.networkPolicy, entryPoint, ports, metrics,
      portRoutes.map(r => ({ port: r.servicePortName, peers: entryPoint._routePeers(r) })));

    // The objects, in apply order.
    const ns = props.namespace ?? {};
    if (ns.create ?? shared === undefined) {
      this.namespaceResource = renderNamespace(this, {
        name: this.namespace,
        labels: sortKeys({ ...labels, ...entryPoint.routeNamespaceLabels }),
        podSecurityRestricted: ns.podSecurityRestricted ?? true,
      });
    } else if (ns.podSecurityRestricted !== undefined) {
      throw propError(this, 'namespace.podSecurityRestricted', ns.podSecurityRestricted, 'is set, but the Namespace is not emitted',
        'set namespace.create to true, or label the namespace where it is managed');
    }
    if (account?.create) {
      this.serviceAccount = renderServiceAccount(this, account, meta);
    }
    this.roles = account?.rbac === undefined ? [] : renderRbac(this, {
      ...meta, ...account.rbac, clusterName: `${this.namespace}-${this.name}`, serviceAccount: account.name,
    });
    this.configMaps = renderConfigMaps(this, config.configMaps, meta);
    this.claims = config.claims.map(claim => renderClaim(this, claim, meta));
    ({ workload: this.workload, deployment: this.deployment, statefulSet: this.statefulSet, headlessService: this.headlessService } = renderWorkload(this, {
      ...meta,
      ...pod,
      resources: {
        ...pod.resources,
        'memory': withScratch(pod.resources.memory, config.scratchBytes.memory),
        'ephemeral-storage': withScratch(pod.resources['ephemeral-storage'], config.scratchBytes.disk),
      },
      volumes: config.volumes,
      volumeMounts: config.mounts,
      volumeDevices: config.devices,
      envFrom: config.envFrom,
      ...withScheduling({ podAnnotations: config.podAnnotations, podLabels: account?.podLabels }, placed),
      serviceAccount: account,
      extraPorts: containerPorts,
      ...podContainers(containers, true),
      annotations: mergeExemptions(scaling.autoscaler ? REPLICAS_OWNED_BY_AUTOSCALER : {}, singleReplicaExemption(config, scaling.replicas)),
      selector: { ...this.selectorLabels },
      replicas: scaling.replicas,
      strategy: scaling.strategy,
      ...resolveRolloutTiming(this, props.rollout, pod, { statefulSet: stateful !== undefined, prefix: '' }),
    }, stateful, { port: { number: this.port, name: this.portName }, command: props.command, args: props.args }));
    this.service = renderService(this, {
      ...meta, selector: { ...this.selectorLabels }, port: SERVICE_PORT, targetPortName: this.portName,
      extraPorts: ports.extra.flatMap(p => (p.servicePort === undefined ? [] : [{ name: p.name, port: p.servicePort, protocol: p.protocol, appProtocol: p.appProtocol }])),
    });
    const attached = entryPoint._attach(this, route);
    // The app's own route is HTTP: only a route of `routes` may be a GRPCRoute.
    this.routeKind = attached.kind as 'Ingress' | 'HTTPRoute';
    this.route = attached.route;
    this.httpsRedirect = attached.redirect;
    this.referenceGrant = attached.referenceGrant;
    this.hostRedirect = attached.hostRedirect;
    if (scaling.autoscaler !== undefined) {
      this.autoscaler = renderAutoscaler(this, { ...meta, ...scaling.autoscaler, target: { kind: stateful ? 'StatefulSet' : 'Deployment', name: this.name } });
    }
    if (scaling.maxUnavailable !== undefined) {
      this.disruptionBudget = renderDisruptionBudget(this, { ...meta, selector: { ...this.selectorLabels }, maxUnavailable: scaling.maxUnavailable });
    }
    if (policy !== undefined) {
      this.networkPolicy = renderNetworkPolicy(this, { ...meta, podSelector: { ...this.selectorLabels }, ...policy });
    }
    if (metrics !== undefined) {
      this.monitor = renderMonitor(this, metrics, { ...meta, selector: { ...this.selectorLabels } });
    }
    const companions = renderCompanions(this, props, {
      name: this.name, namespace: this.namespace, labels, pod, config, containers, serviceAccount: account, networkPolicy: policy && { egress: policy.egress },
      template: () => renderedJson(this.workload).spec.template,
    });
    this.workers = companions.workers;
    this.cronJobs = companions.cronJobs;
    ({ migration: this.migration, afterRelease: this.afterRelease } = companions.release);
    // One record per host: the first keeps the app's name, the others are numbered.
    this.dnsRecords = props.dns === false || shared !== undefined ? [] : this.hosts.map((hostName, i) => new DnsRecord(this, i === 0 ? 'DnsRecord' : `DnsRecord${i + 1}`, {
      ...props.dns, hostName, entryPoint, route: this.route, objectName: i === 0 ? this.name : `${this.name}-${i + 1}`, namespace: this.namespace, labels,
    }));
    this.dnsRecord = this.dnsRecords[0];
    // Each route after the app's, with one more record per host no earlier route published.
    const published = new Map([...this.hosts, ...(shared?.route.hosts ?? [])].map(host => [host, entryPoint.address]));
    this.routes = portRoutes.map((spec, i) => {
      const objects = entryPoint._attach(this, spec);
      const address = objects.address ?? entryPoint.address;
      checkOneAddress(this, spec, published, address);
      const dnsRecord = props.dns === false || published.has(spec.host) ? undefined : new DnsRecord(this, `${spec.idPrefix}DnsRecord`, {
        ...props.dns, hostName: spec.host, entryPoint, route: objects.route, objectName: spec.name, namespace: this.namespace, labels, address: objects.address,
      });
      published.set(spec.host, address);
      return {
        name: props.routes![i].name, port: spec.servicePortName, host: spec.host,
        urls: spec.tcp !== undefined ? [] : spec.paths.map(p => `${spec.tls ? 'https' : 'http'}://${spec.host}${p}`),
        kind: objects.kind, route: objects.route, httpsRedirect: objects.redirect, referenceGrant: objects.referenceGrant, dnsRecord, address,
      };
    });

    ensureUniqueObjects(this);
    this.node.addValidation({ validate: () => this.checkConsistency() });
  }

  /** The release's Jobs: the migration first, then those after the release. */
  private releaseJobs(): ApiObject[] {
    return [...(this.migration ? [this.migration] : []), ...this.afterRelease];
  }

  /** Synth-time checks on the rendered objects, after any escape-hatch patches: each kind's check sits beside its renderer. */
  private checkConsistency(): string[] {
    const workload = json(this.workload);
    const service = json(this.service);
    const hpa = this.autoscaler ? json(this.autoscaler) : undefined;
    const workers = this.workers.map(w => json(w.workload));
    const what = (w: any) => `${w.kind} "${w.metadata.name}"`;
    const servicePorts = { name: service.metadata.name, ports: (service.spec.ports ?? []).map((p: any) => ({ name: p.name, port: p.port })) };
    return [
      ...serviceErrors(service, workload),
      ...[this, ...this.workers].flatMap(w => (w.headlessService ? statefulSetErrors(json(w.workload), json(w.headlessService)) : [])),
      ...this.entryPoint._routeErrors({
        host: this.host,
        hosts: this.hosts,
        routeHosts: this.hostRedirect ? [this.host] : this.hosts,
        hostRedirect: this.hostRedirect ? json(this.hostRedirect) : undefined,
        service: servicePorts,
        route: json(this.route),
        redirect: this.httpsRedirect ? json(this.httpsRedirect) : undefined,
      }),
      ...this.dnsRecords.flatMap((record, i) => dnsRecordErrors(record, this.hosts[i], this.routeKind, this.entryPoint)),
      ...this.routes.flatMap(r => [
        ...this.entryPoint._routeErrors({
          // A TCPRoute and a TCP route's Service name no host: the DNS record carries it.
          host: r.host, hosts: [r.host], routeHosts: r.kind === 'TCPRoute' || r.kind === 'Service' ? [] : [r.host],
          service: servicePorts, route: json(r.route), redirect: r.httpsRedirect ? json(r.httpsRedirect) : undefined,
        }),
        ...(r.dnsRecord ? dnsRecordErrors(r.dnsRecord, r.host, r.kind, this.entryPoint, r.address) : []),
      ]),
      ...(this.monitor ? monitorErrors(json(this.monitor), service, workload) : []),
      ...configMountErrors(workload, this.configMaps.map(json)),
      // A StatefulSet never surges: each pod stops before its replacement starts, as with Recreate.
      ...claimErrors(this.claims.map(json), [workload, ...workers].map(d => ({
        what: what(d), replicas: d.spec.replicas, recreate: d.kind === 'StatefulSet' || d.spec.strategy?.type === 'Recreate', template: d.spec.template,
      })).concat(this.cronJobs.map(json).map(c => ({ what: `CronJob "${c.metadata.name}"`, replicas: 1, recreate: true, template: c.spec.jobTemplate.spec.template })),
        this.releaseJobs().map(json).map(j => ({ what: `Job "${j.metadata.name}"`, replicas: 1, recreate: true, template: j.spec.template })))),
      ...(hpa ? autoscalerErrors(hpa, workload) : []),
      ...(this.disruptionBudget ? disruptionBudgetErrors(json(this.disruptionBudget), workload, hpa) : []),
      ...[workload, ...workers].flatMap(d => podTemplateErrors(what(d), d.spec.template, (d.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name))),
      ...this.cronJobs.map(json).flatMap(c => podTemplateErrors(`CronJob "${c.metadata.name}"`, c.spec.jobTemplate.spec.template)),
      ...this.releaseJobs().map(json).flatMap(j => podTemplateErrors(`Job "${j.metadata.name}"`, j.spec.template)),
    ];
  }
}

/** A host has one address: a route reached elsewhere (a TCP route's own LoadBalancer) needs a host of its own. */
function checkOneAddress(app: WebApp, route: RouteSpec, published: ReadonlyMap<string, string | undefined>, address: string | undefined): void {
  if (published.has(route.host) && published.get(route.host) !== address) {
    throw propError(app, `${route.prop}.host`, route.host, `is published at ${published.get(route.host) ?? 'the entry point\'s address'}, and the route is reached at ${address ?? 'a cloud-assigned address'}; one name cannot point at both`,
      `give the route a host of its own, e.g. 'ssh.${route.host}'`);
  }
}

function json(object: ApiObject): any {
  return renderedJson(object);
}

import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { renderAutoscaler } from './_autoscaler';
import { QuantityPair, renderDeployment } from './_deployment';
import { renderDisruptionBudget } from './_disruption-budget';
import { propError } from './_errors';
import { REPLICAS_OWNED_BY_AUTOSCALER } from './_policy';
import { renderNamespace } from './_namespace';
import { NetworkPeerSpec, renderNetworkPolicy } from './_network-policy';
import { sortKeys } from './_records';
import { resolveRoute } from './_route';
import { renderService } from './_service';
import { ensureUniqueObjects } from './_unique';
import {
  checkCidr, checkDns1035Label, checkDns1123Label, checkEnvName, checkHostName, checkHttpPath, checkImage, checkInt,
  checkLabels, checkLabelValue, checkOptionalInt, checkPort, checkPortName, checkQuantity,
  ImageReference,
} from './_validate';
import { DnsProvider, DnsRecord, DnsRecordType } from './dns-record';
import { EnvValue } from './env-value';
import { AttachedRoute, EntryPoint } from './entry-point';
import { RouteOptions } from './route';
import { Probe, ProbeOptions } from './probe';

/** When the kubelet pulls the image. */
export enum ImagePullPolicy {
  /** On every pod start: the registry is asked each time, so pull credentials are always checked. */
  ALWAYS = 'Always',
  /** Only when the node does not have the image yet. */
  IF_NOT_PRESENT = 'IfNotPresent',
}

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

/** Requests and limits of one resource, as Kubernetes quantities (`250m`, `512Mi`). */
export interface ResourceQuantities {
  /** @default - the resource's default request */
  readonly request?: string;
  /** @default - the resource's default limit */
  readonly limit?: string;
}

export interface ResourcesOptions {
  /**
   * CPU, or `false` for no CPU request or limit.
   * @default { request: '100m', limit: '1' }
   */
  readonly cpu?: ResourceQuantities | false;
  /**
   * Memory, or `false` for no memory request or limit.
   * @default { request: '256Mi', limit: '256Mi' }
   */
  readonly memory?: ResourceQuantities | false;
  /**
   * Ephemeral storage (logs, writable layer and the `/tmp` emptyDir), or `false` for none.
   * @default { request: '128Mi', limit: '1Gi' }
   */
  readonly ephemeralStorage?: ResourceQuantities | false;
}

export interface ProbesOptions {
  /**
   * When the pod gets traffic.
   * @default Probe.httpGet('/readyz', { periodSeconds: 5 })
   */
  readonly readiness?: Probe;
  /**
   * When the kubelet restarts the container. Must differ from the readiness probe.
   * @default Probe.httpGet('/livez', { periodSeconds: 10, failureThreshold: 3 })
   */
  readonly liveness?: Probe;
  /**
   * Holds the other probes back while the app starts, or `false` for none.
   * @default Probe.httpGet('/livez', { periodSeconds: 2, failureThreshold: 30 }): up to 60 s to start
   */
  readonly startup?: Probe | false;
}

export interface SecurityOptions {
  /**
   * UID the container runs as (10000 or above, clear of host users).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * GID the container runs as, also the pod's fsGroup.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Mount the root filesystem read-only. `/tmp` is always a writable emptyDir.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** How the preStop delay is carried out. */
export enum PreStopMode {
  /** `exec: sleep N` in the container: any Kubernetes version, but the image needs a `sleep` binary. */
  EXEC_SLEEP = 'exec-sleep',
  /**
   * The kubelet's own `sleep` action: no binary needed (distroless and scratch images), but
   * Kubernetes 1.30 or newer (the PodLifecycleSleepAction feature, on by default from 1.30).
   */
  SLEEP_ACTION = 'sleep-action',
}

export interface ShutdownOptions {
  /**
   * Seconds the container waits in its preStop hook, so the ingress controller and kube-proxy
   * stop routing to the pod before it gets SIGTERM. 0 turns the hook off.
   * @default 10
   */
  readonly preStopDelaySeconds?: number;
  /**
   * How the delay is carried out.
   * @default PreStopMode.EXEC_SLEEP
   */
  readonly preStopMode?: PreStopMode;
  /**
   * Seconds from the start of termination to SIGKILL; it must cover the preStop delay.
   * @default - preStopDelaySeconds + 30
   */
  readonly terminationGracePeriodSeconds?: number;
}

export interface AutoscalingOptions {
  /**
   * Fewest replicas.
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the CPU request.
   * @default - 70 when no memory target is given, else none
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory use, in percent of the memory request.
   * @default - none
   */
  readonly memoryUtilization?: number;
  /**
   * Seconds of lower load before the autoscaler removes pods.
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;
}

export interface DisruptionBudgetOptions {
  /**
   * Pods a voluntary disruption (a node drain) may take down at once: a count of at least 1 or
   * a percentage above 0%, so the budget never blocks a drain.
   * @default 1
   */
  readonly maxUnavailable?: number | string;
}

/** A source allowed to reach the app port, besides the ingress controller. */
export interface NetworkPeer {
  /** Pods of this namespace (all of them unless `podLabels` narrows it). */
  readonly namespace?: string;
  /** Pods with these labels (in the app's namespace unless `namespace` is given). */
  readonly podLabels?: Record<string, string>;
  /** Clients in this CIDR block; not combined with the other fields. */
  readonly cidr?: string;
}

export interface NetworkPolicyOptions {
  /**
   * More sources allowed to reach the app port.
   * @default - only the ingress controller
   */
  readonly allowFrom?: NetworkPeer[];
}

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
   * The PodDisruptionBudget, or `false` for none.
   * @default - maxUnavailable 1 when the app runs at least 2 replicas, else none
   */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /**
   * The NetworkPolicy, or `false` for none.
   * @default - only the ingress controller may reach the app port
   */
  readonly networkPolicy?: NetworkPolicyOptions | false;
  /**
   * The DNS record of the host, or `false` for none.
   * @default - an A (or AAAA) record through ExternalDNS, TTL 300
   */
  readonly dns?: DnsOptions | false;
}

const DEFAULT_RESOURCES: Record<keyof ResourcesOptions, Required<ResourceQuantities> & { example: string }> = {
  cpu: { request: '100m', limit: '1', example: '250m' },
  memory: { request: '256Mi', limit: '256Mi', example: '512Mi' },
  ephemeralStorage: { request: '128Mi', limit: '1Gi', example: '1Gi' },
};

const MANAGED_BY = 'cdk8s-webstack';
/** The Service's one port, named `http`: what every route's backend points at. */
const SERVICE_PORT = 80;

/**
 * A complete web app behind an entry point: Namespace, Deployment, ClusterIP Service, an Ingress
 * or an HTTPRoute (by the entry point), optional HorizontalPodAutoscaler, PodDisruptionBudget,
 * NetworkPolicy and a DNS record for its host, each secure and reliable by default and named
 * after the app.
 */
export class WebApp extends Construct {
  /** Name of every object of the app. */
  public readonly name: string;
  /** The app's namespace. */
  public readonly namespace: string;
  public readonly host: string;
  public readonly image: ImageReference;
  /** Labels on every object and pod. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The stable labels that select the app's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly port: number;
  public readonly portName: string;
  /** What the app is served behind. */
  public readonly entryPoint: EntryPoint;
  /** Fixed replica count; `undefined` when the autoscaler owns it. */
  public readonly replicas?: number;
  /** The fewest pods the app runs: the fixed count or the autoscaler's minimum. */
  public readonly minReplicas: number;

  /** The Namespace object, when emitted. */
  public readonly namespaceResource?: ApiObject;
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;
  /** `Ingress` behind an IngressVip, `HTTPRoute` behind a Gateway. */
  public readonly routeKind: AttachedRoute['kind'];
  /** The Ingress or HTTPRoute that routes the host and paths to the Service. */
  public readonly route: ApiObject;
  /** The HTTPRoute that redirects plain HTTP to HTTPS (Gateway API, with TLS and the redirect on). */
  public readonly httpsRedirect?: ApiObject;
  /** The ReferenceGrant that lets the Gateway read the certificate Secret in the app's namespace. */
  public readonly referenceGrant?: ApiObject;
  public readonly autoscaler?: ApiObject;
  public readonly disruptionBudget?: ApiObject;
  public readonly networkPolicy?: ApiObject;
  public readonly dnsRecord?: DnsRecord;

  public constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    if (!(props?.entryPoint instanceof EntryPoint)) {
      throw propError(this, 'entryPoint', props?.entryPoint, 'is not an entry point',
        'pass the IngressVip, Gateway or ExistingGateway construct the app is served behind');
    }
    const entryPoint = this.entryPoint = props.entryPoint;
    this.name = checkDns1035Label(this, 'name', props.name ?? id);
    const ns = props.namespace ?? {};
    this.namespace = checkDns1123Label(this, 'namespace.name', ns.name ?? this.name);
    this.host = checkHostName(this, 'host', props.host);
    this.image = checkImage(this, 'image', props.image);
    this.port = checkPort(this, 'port', props.port ?? 8080);
    this.portName = checkPortName(this, 'portName', props.portName ?? 'http');

    // Labels: the Kubernetes recommended set; the selector keeps only the stable ones.
    this.selectorLabels = {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.name,
    };
    const version = props.version ?? defaultVersion(this.image);
    const recommended: Record<string, string> = {
      ...this.selectorLabels,
      ...(version !== undefined ? { 'app.kubernetes.io/version': checkLabelValue(this, 'version', version) } : {}),
      'app.kubernetes.io/component': checkLabelValue(this, 'component', props.component ?? 'web'),
      'app.kubernetes.io/part-of': checkLabelValue(this, 'partOf', props.partOf ?? this.name),
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };
    const extra = checkLabels(this, 'labels', props.labels ?? {});
    for (const key of Object.keys(extra)) {
      if (key in recommended) {
        throw propError(this, `labels["${key}"]`, extra[key], 'would override a recommended label the app sets',
          'set it through its own prop (name, version, component, partOf) or pick another key');
      }
    }
    this.labels = sortKeys({ ...extra, ...recommended });
    const labels = { ...this.labels };
    const meta = { name: this.name, namespace: this.namespace, labels };

    // Replicas and autoscaling.
    const scaling = props.autoscaling;
    if (scaling !== undefined && props.replicas !== undefined) {
      throw propError(this, 'replicas', props.replicas, 'is set, but autoscaling owns the replica count',
        'drop replicas and set autoscaling.minReplicas, or drop autoscaling');
    }
    let autoscaling: { min: number; max: number; cpu?: number; memory?: number; window: number } | undefined;
    if (scaling !== undefined) {
      const max = checkInt(this, 'autoscaling.maxReplicas', scaling.maxReplicas, 1, 10000);
      const min = checkInt(this, 'autoscaling.minReplicas', scaling.minReplicas ?? 2, 1, 10000);
      if (min > max) {
        throw propError(this, 'autoscaling.minReplicas', min, `must be <= 'autoscaling.maxReplicas' (${max})`,
          'raise maxReplicas or lower minReplicas');
      }
      const noTarget = scaling.cpuUtilization === undefined && scaling.memoryUtilization === undefined;
      autoscaling = {
        min, max,
        cpu: noTarget ? 70 : checkOptionalInt(this, 'autoscaling.cpuUtilization', scaling.cpuUtilization, 1, 1000),
        memory: checkOptionalInt(this, 'autoscaling.memoryUtilization', scaling.memoryUtilization, 1, 1000),
        window: checkInt(this, 'autoscaling.scaleDownStabilizationSeconds', scaling.scaleDownStabilizationSeconds ?? 300, 0, 3600),
      };
      this.minReplicas = min;
    } else {
      this.replicas = checkInt(this, 'replicas', props.replicas ?? 2, 0, 10000);
      this.minReplicas = this.replicas;
    }

    // Resources: each request must not exceed its limit; autoscaled resources need a request.
    const resources = {
      'cpu': this.resolveResource('cpu', props.resources?.cpu),
      'memory': this.resolveResource('memory', props.resources?.memory),
      'ephemeral-storage': this.resolveResource('ephemeralStorage', props.resources?.ephemeralStorage),
    };
    if (autoscaling?.cpu !== undefined && resources.cpu?.request === undefined) {
      throw propError(this, 'autoscaling.cpuUtilization', autoscaling.cpu, 'needs a CPU request to measure utilization against',
        'set resources.cpu.request, or scale on memory only');
    }
    if (autoscaling?.memory !== undefined && resources.memory?.request === undefined) {
      throw propError(this, 'autoscaling.memoryUtilization', autoscaling.memory, 'needs a memory request to measure utilization against',
        'set resources.memory.request, or scale on CPU only');
    }

    // Probes: readiness and liveness must differ, or a slow app is killed instead of drained.
    const readiness = props.probes?.readiness ?? Probe.httpGet('/readyz', { periodSeconds: 5 });
    const liveness = props.probes?.liveness ?? Probe.httpGet('/livez');
    const startup = props.probes?.startup === false ? undefined
      : props.probes?.startup ?? Probe.httpGet('/livez', { periodSeconds: 2, failureThreshold: 30 });
    const readinessProbe = this.renderProbe('probes.readiness', readiness);
    const livenessProbe = this.renderProbe('probes.liveness', liveness);
    if (JSON.stringify(readinessProbe) === JSON.stringify(livenessProbe)) {
      throw propError(this, 'probes.liveness', liveness.path ?? liveness.kind, 'is the same check as the readiness probe, so an overloaded pod is restarted instead of taken out of rotation',
        'point liveness at a cheap endpoint that only says the process is alive (e.g. \'/livez\')');
    }

    const runAsUser = checkInt(this, 'security.runAsUser', props.security?.runAsUser ?? 10001, 10000, 2147483647,
      'use a UID of 10000 or above, clear of host users');
    const runAsGroup = checkInt(this, 'security.runAsGroup', props.security?.runAsGroup ?? 10001, 10000, 2147483647,
      'use a GID of 10000 or above, clear of host groups');
    const preStop = checkInt(this, 'shutdown.preStopDelaySeconds', props.shutdown?.preStopDelaySeconds ?? 10, 0, 300);
    const grace = checkInt(this, 'shutdown.terminationGracePeriodSeconds',
      props.shutdown?.terminationGracePeriodSeconds ?? preStop + 30, 1, 3600);
    if (grace <= preStop) {
      throw propError(this, 'shutdown.terminationGracePeriodSeconds', grace,
        `must be longer than 'shutdown.preStopDelaySeconds' (${preStop}), or the app is killed before it can stop cleanly`,
        `raise it to at least ${preStop + 10}`);
    }

    const env = Object.entries(props.env ?? {}).map(([key, value]) => {
      checkEnvName(this, `env["${key}"]`, key);
      if (!(value instanceof EnvValue)) {
        throw propError(this, `env["${key}"]`, value, 'is not an EnvValue',
          'use EnvValue.fromValue(...), EnvValue.fromSecret(...) or EnvValue.fromConfigMap(...)');
      }
      if (value.objectName !== undefined) {
        checkDns1123Label(this, `env["${key}"] (object name)`, value.objectName);
        if (!value.key || !/^[-._a-zA-Z0-9]+$/.test(value.key)) {
          throw propError(this, `env["${key}"] (key)`, value.key, 'is not a valid key of a Secret or ConfigMap',
            'use letters, digits, \'-\', \'_\' and \'.\'');
        }
      }
      return value._toEnvVar(key);
    });
    const pullSecrets = (props.imagePullSecrets ?? []).map((s, i) => checkDns1123Label(this, `imagePullSecrets[${i}]`, s));

    // The objects, in apply order.
    if (ns.create ?? true) {
      this.namespaceResource = renderNamespace(this, {
        name: this.namespace,
        labels: sortKeys({ ...labels, ...entryPoint.routeNamespaceLabels }),
        podSecurityRestricted: ns.podSecurityRestricted ?? true,
      });
    } else if (ns.podSecurityRestricted !== undefined) {
      throw propError(this, 'namespace.podSecurityRestricted', ns.podSecurityRestricted, 'is set, but the Namespace is not emitted',
        'set namespace.create to true, or label the namespace where it is managed');
    }

    this.deployment = renderDeployment(this, {
      ...meta,
      annotations: autoscaling ? { ...REPLICAS_OWNED_BY_AUTOSCALER } : {},
      selector: { ...this.selectorLabels },
      replicas: this.replicas,
      image: props.image,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.ALWAYS,
      imagePullSecrets: pullSecrets,
      portName: this.portName,
      portNumber: this.port,
      env,
      resources,
      readinessProbe,
      livenessProbe,
      startupProbe: startup ? this.renderProbe('probes.startup', startup) : undefined,
      runAsUser,
      runAsGroup,
      readOnlyRootFilesystem: props.security?.readOnlyRootFilesystem ?? true,
      preStopDelaySeconds: preStop,
      preStopSleepAction: (props.shutdown?.preStopMode ?? PreStopMode.EXEC_SLEEP) === PreStopMode.SLEEP_ACTION,
      terminationGracePeriodSeconds: grace,
    });

    this.service = renderService(this, { ...meta, selector: { ...this.selectorLabels }, port: SERVICE_PORT, targetPortName: this.portName });

    const attached = entryPoint._attach(this, resolveRoute(this, props.route ?? {}, {
      name: this.name, namespace: this.namespace, labels, host: this.host, servicePort: SERVICE_PORT,
    }));
    this.routeKind = attached.kind;
    this.route = attached.route;
    this.httpsRedirect = attached.redirect;
    this.referenceGrant = attached.referenceGrant;

    if (autoscaling !== undefined) {
      this.autoscaler = renderAutoscaler(this, {
        ...meta,
        deploymentName: this.name,
        minReplicas: autoscaling.min,
        maxReplicas: autoscaling.max,
        cpuUtilization: autoscaling.cpu,
        memoryUtilization: autoscaling.memory,
        scaleDownStabilizationSeconds: autoscaling.window,
      });
    }

    const budget = props.disruptionBudget;
    if (budget !== false && (budget !== undefined || this.minReplicas >= 2)) {
      if (this.minReplicas < 2) {
        throw propError(this, 'disruptionBudget', budget,
          `is set, but the app runs as few as ${this.minReplicas} replica(s), so any drain takes it down`,
          'run at least 2 replicas (replicas or autoscaling.minReplicas), or set disruptionBudget to false');
      }
      this.disruptionBudget = renderDisruptionBudget(this, {
        ...meta,
        selector: { ...this.selectorLabels },
        maxUnavailable: this.resolveMaxUnavailable(budget?.maxUnavailable ?? 1),
      });
    }

    if (props.networkPolicy !== false) {
      const dataPlane = entryPoint.dataPlane;
      if (dataPlane === undefined) {
        throw propError(this, 'networkPolicy', props.networkPolicy ?? 'on',
          `cannot admit the data plane of ${entryPoint.description}: its proxy is no pod a Kubernetes NetworkPolicy selects`,
          'set networkPolicy to false and admit the proxy with the implementation\'s own policy (Cilium: a CiliumNetworkPolicy with fromEntities [ingress])');
      }
      const peers: NetworkPeerSpec[] = [
        { namespace: dataPlane.namespace, podLabels: { ...dataPlane.podLabels } },
        ...(props.networkPolicy?.allowFrom ?? []).map((peer, i) => this.resolvePeer(`networkPolicy.allowFrom[${i}]`, peer)),
      ];
      this.networkPolicy = renderNetworkPolicy(this, { ...meta, podSelector: { ...this.selectorLabels }, port: this.port, peers });
    }

    if (props.dns !== false) {
      this.dnsRecord = new DnsRecord(this, 'DnsRecord', {
        hostName: this.host,
        entryPoint,
        provider: props.dns?.provider,
        ttl: props.dns?.ttl,
        recordType: props.dns?.recordType,
        route: this.route,
        objectName: this.name,
        namespace: this.namespace,
        labels,
      });
    }

    ensureUniqueObjects(this);
    this.node.addValidation({ validate: () => this.checkConsistency() });
  }

  private resolveResource(prop: keyof ResourcesOptions, given: ResourceQuantities | false | undefined): QuantityPair | undefined {
    if (given === false) {
      return undefined;
    }
    const defaults = DEFAULT_RESOURCES[prop];
    const request = given?.request ?? defaults.request;
    const limit = given?.limit ?? defaults.limit;
    const requested = checkQuantity(this, `resources.${prop}.request`, request, defaults.example);
    const limited = checkQuantity(this, `resources.${prop}.limit`, limit, defaults.example);
    if (requested > limited) {
      throw propError(this, `resources.${prop}.request`, request, `is above 'resources.${prop}.limit' (${JSON.stringify(limit)})`,
        'lower the request or raise the limit');
    }
    return { request, limit };
  }

  private renderProbe(prop: string, probe: Probe): k8s.Probe {
    if (!(probe instanceof Probe)) {
      throw propError(this, prop, probe, 'is not a Probe', 'use Probe.httpGet(path) or Probe.tcpSocket()');
    }
    if (probe.kind === 'httpGet') {
      checkHttpPath(this, `${prop}.path`, probe.path);
    }
    const o: ProbeOptions = probe.options;
    checkOptionalInt(this, `${prop}.initialDelaySeconds`, o.initialDelaySeconds, 0, 3600);
    checkOptionalInt(this, `${prop}.periodSeconds`, o.periodSeconds, 1, 3600);
    checkOptionalInt(this, `${prop}.timeoutSeconds`, o.timeoutSeconds, 1, 3600);
    checkOptionalInt(this, `${prop}.failureThreshold`, o.failureThreshold, 1, 1000);
    return probe._render(this.portName);
  }

  private resolveMaxUnavailable(value: number | string): number | string {
    if (typeof value === 'number') {
      return checkInt(this, 'disruptionBudget.maxUnavailable', value, 1, 10000,
        'allow at least 1 pod to be disrupted, or the budget blocks node drains');
    }
    const percent = /^(\d{1,3})%$/.exec(value);
    if (!percent || Number(percent[1]) < 1 || Number(percent[1]) > 100) {
      throw propError(this, 'disruptionBudget.maxUnavailable', value, 'is not a count of at least 1 or a percentage from 1% to 100%',
        'allow at least one pod to be disrupted, e.g. 1 or \'25%\'');
    }
    return value;
  }

  private resolvePeer(prop: string, peer: NetworkPeer): NetworkPeerSpec {
    if (peer.cidr !== undefined) {
      if (peer.namespace !== undefined || peer.podLabels !== undefined) {
        throw propError(this, prop, peer, 'mixes cidr with namespace or podLabels',
          'give either a cidr, or a namespace and/or podLabels, in separate peers');
      }
      return { cidr: checkCidr(this, `${prop}.cidr`, peer.cidr) };
    }
    if (peer.namespace === undefined && peer.podLabels === undefined) {
      throw propError(this, prop, peer, 'is empty, which would allow nothing', 'give a namespace, podLabels or a cidr');
    }
    return {
      namespace: peer.namespace === undefined ? undefined : checkDns1123Label(this, `${prop}.namespace`, peer.namespace),
      podLabels: peer.podLabels === undefined ? undefined : checkLabels(this, `${prop}.podLabels`, { ...peer.podLabels }),
    };
  }

  /** Synth-time checks on the rendered objects, after any escape-hatch patches. */
  private checkConsistency(): string[] {
    const errors: string[] = [];
    const deployment = json(this.deployment);
    const service = json(this.service);
    const hpa = this.autoscaler ? json(this.autoscaler) : undefined;
    const podLabels: Record<string, string> = deployment.spec.template.metadata.labels ?? {};
    const matches = (selector: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);

    if (!matches(service.spec.selector)) {
      errors.push(`Service "${service.metadata.name}" selects ${JSON.stringify(service.spec.selector)}, which the pods of Deployment "${deployment.metadata.name}" do not carry; keep the selector equal to selectorLabels`);
    }
    errors.push(...this.entryPoint._routeErrors({
      host: this.host,
      service: { name: service.metadata.name, ports: (service.spec.ports ?? []).map((p: any) => ({ name: p.name, port: p.port })) },
      route: json(this.route),
      redirect: this.httpsRedirect ? json(this.httpsRedirect) : undefined,
    }));
    if (this.dnsRecord && this.dnsRecord.hostName !== this.host) {
      errors.push(`DNS name "${this.dnsRecord.hostName}" differs from the ${this.routeKind} host "${this.host}"; publish the app's host`);
    }
    if (this.dnsRecord && this.dnsRecord.target !== this.entryPoint.address) {
      errors.push(`DNS record points at ${this.dnsRecord.target}, but ${this.entryPoint.description} is at ${this.entryPoint.address}; point it at the app's entry point`);
    }
    if (hpa) {
      if (hpa.spec.scaleTargetRef.name !== deployment.metadata.name) {
        errors.push(`HorizontalPodAutoscaler targets "${hpa.spec.scaleTargetRef.name}", not Deployment "${deployment.metadata.name}"; scale the app's Deployment`);
      }
      if (deployment.spec.replicas !== undefined) {
        errors.push('Deployment sets spec.replicas although an autoscaler owns the count; every apply would reset the scale, so remove it');
      }
    }
    if (this.disruptionBudget) {
      const pdb = json(this.disruptionBudget);
      const floor = hpa ? hpa.spec.minReplicas ?? 1 : deployment.spec.replicas ?? 1;
      if (pdb.spec.minAvailable !== undefined || pdb.spec.maxUnavailable === 0 || pdb.spec.maxUnavailable === '0%') {
        errors.push('PodDisruptionBudget would allow no disruption and block node drains; keep maxUnavailable at 1 or more');
      }
      if (floor < 2) {
        errors.push(`PodDisruptionBudget covers an app whose minimum is ${floor} replica(s); a drain would take the app down: run at least 2`);
      }
      if (!matches(pdb.spec.selector?.matchLabels)) {
        errors.push('PodDisruptionBudget selector does not match the app\'s pods; keep it equal to selectorLabels');
      }
    }
    return errors;
  }
}

function json(object: ApiObject): any {
  return object.toJson();
}

function defaultVersion(image: ImageReference): string | undefined {
  const tag = image.tag;
  return tag !== undefined && tag.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(tag) ? tag : undefined;
}

import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { renderAutoscaler } from './_autoscaler';
import { QuantityPair, renderDeployment } from './_deployment';
import { renderDisruptionBudget } from './_disruption-budget';
import { propError } from './_errors';
import { REPLICAS_OWNED_BY_AUTOSCALER } from './_policy';
import { renderIngress } from './_ingress';
import { renderNamespace } from './_namespace';
import { NetworkPeerSpec, renderNetworkPolicy } from './_network-policy';
import { sortKeys } from './_records';
import { renderService } from './_service';
import { ensureUniqueObjects } from './_unique';
import {
  checkCidr, checkDns1035Label, checkDns1123Label, checkEnvName, checkHostName, checkHttpPath, checkImage, checkInt,
  checkDns1123Subdomain, checkLabelKey, checkLabels, checkLabelValue, checkOptionalInt, checkPort, checkPortName, checkQuantity,
  ImageReference,
} from './_validate';
import { DnsProvider, DnsRecord, DnsRecordType } from './dns-record';
import { EnvValue } from './env-value';
import { IngressTls } from './ingress-tls';
import { IngressVip } from './ingress-vip';
import { Probe, ProbeOptions } from './probe';

/** When the kubelet pulls the image. */
export enum ImagePullPolicy {
  /** On every pod start: the registry is asked each time, so pull credentials are always checked. */
  ALWAYS = 'Always',
  /** Only when the node does not have the image yet. */
  IF_NOT_PRESENT = 'IfNotPresent',
}

/** How an Ingress path matches. */
export enum PathType {
  /** The path and everything below it, by `/`-separated element. */
  PREFIX = 'Prefix',
  /** Only the exact path. */
  EXACT = 'Exact',
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

export interface IngressOptions {
  /**
   * The paths routed to the app.
   * @default ['/']
   */
  readonly paths?: string[];
  /**
   * How the paths match.
   * @default PathType.PREFIX
   */
  readonly pathType?: PathType;
  /**
   * Serve HTTPS with this certificate.
   * @default - plain HTTP only
   */
  readonly tls?: IngressTls;
  /**
   * Redirect HTTP to HTTPS (`nginx.ingress.kubernetes.io/ssl-redirect`, and `force-ssl-redirect`).
   * @default - true with TLS; false without, where it is an error to set it
   */
  readonly sslRedirect?: boolean;
  /**
   * Largest request body, as nginx writes sizes (`1m`, `512k`, `0` for no limit).
   * @default - the controller's default (1m)
   */
  readonly proxyBodySize?: string;
  /**
   * Seconds to connect to the app.
   * @default - the controller's default (5)
   */
  readonly proxyConnectTimeoutSeconds?: number;
  /**
   * Seconds to wait between two reads of the app's response.
   * @default - the controller's default (60)
   */
  readonly proxyReadTimeoutSeconds?: number;
  /**
   * Seconds to wait between two writes of the request to the app.
   * @default - the controller's default (60)
   */
  readonly proxySendTimeoutSeconds?: number;
  /**
   * Other annotations, for what the typed options do not cover. They may not set an annotation
   * a typed option writes.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
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
  /** The ingress VIP the app is served behind: its class, controller and address are read from it. */
  readonly vip: IngressVip;
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
   * The Ingress.
   * @default - the host's `/` path over plain HTTP
   */
  readonly ingress?: IngressOptions;
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

const NGINX = 'nginx.ingress.kubernetes.io';
const MANAGED_BY = 'cdk8s-webstack';

/**
 * A complete web app behind the ingress VIP: Namespace, Deployment, ClusterIP Service, Ingress,
 * optional HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy and a DNS record for
 * its host, each secure and reliable by default and named after the app.
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
  /** Fixed replica count; `undefined` when the autoscaler owns it. */
  public readonly replicas?: number;
  /** The fewest pods the app runs: the fixed count or the autoscaler's minimum. */
  public readonly minReplicas: number;

  /** The Namespace object, when emitted. */
  public readonly namespaceResource?: ApiObject;
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;
  public readonly ingress: ApiObject;
  public readonly autoscaler?: ApiObject;
  public readonly disruptionBudget?: ApiObject;
  public readonly networkPolicy?: ApiObject;
  public readonly dnsRecord?: DnsRecord;

  public constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    if (!(props.vip instanceof IngressVip)) {
      throw propError(this, 'vip', props.vip, 'is not an IngressVip', 'pass the IngressVip construct the app is served behind');
    }
    const vip = props.vip;
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
        labels,
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

    this.service = renderService(this, { ...meta, selector: { ...this.selectorLabels }, port: 80, targetPortName: this.portName });

    this.ingress = renderIngress(this, {
      ...meta,
      ...this.resolveIngress(props.ingress ?? {}),
      className: vip.ingressClassName,
      host: this.host,
      serviceName: this.name,
      servicePortName: 'http',
    });

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
      const peers: NetworkPeerSpec[] = [
        { namespace: vip.namespace, podLabels: { ...vip.controllerLabels } },
        ...(props.networkPolicy?.allowFrom ?? []).map((peer, i) => this.resolvePeer(`networkPolicy.allowFrom[${i}]`, peer)),
      ];
      this.networkPolicy = renderNetworkPolicy(this, { ...meta, podSelector: { ...this.selectorLabels }, port: this.port, peers });
    }

    if (props.dns !== false) {
      this.dnsRecord = new DnsRecord(this, 'DnsRecord', {
        hostName: this.host,
        vip,
        provider: props.dns?.provider,
        ttl: props.dns?.ttl,
        recordType: props.dns?.recordType,
        ingress: this.ingress,
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

  private resolveIngress(options: IngressOptions) {
    const paths = (options.paths ?? ['/']).map((p, i) => checkHttpPath(this, `ingress.paths[${i}]`, p));
    if (paths.length === 0) {
      throw propError(this, 'ingress.paths', paths, 'is empty, so nothing would reach the app', 'give at least one path, e.g. [\'/\']');
    }
    const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
    if (duplicate !== undefined) {
      throw propError(this, 'ingress.paths', paths, `lists "${duplicate}" twice`, 'list each path once');
    }
    const tls = options.tls;
    const typed: Record<string, string> = {};
    let tlsSecretName: string | undefined;
    if (tls !== undefined) {
      tlsSecretName = checkDns1123Subdomain(this, 'ingress.tls.secretName', tls.secretName ?? `${this.name}-tls`);
      if (tls.clusterIssuer !== undefined) {
        typed['cert-manager.io/cluster-issuer'] = checkDns1123Subdomain(this, 'ingress.tls.clusterIssuer', tls.clusterIssuer);
      }
    }
    const redirect = options.sslRedirect ?? tls !== undefined;
    if (redirect && tls === undefined) {
      throw propError(this, 'ingress.sslRedirect', options.sslRedirect, 'is true, but the Ingress has no TLS',
        'give ingress.tls, or drop sslRedirect');
    }
    typed[`${NGINX}/ssl-redirect`] = String(redirect);
    if (redirect) {
      typed[`${NGINX}/force-ssl-redirect`] = 'true';
    }
    if (options.proxyBodySize !== undefined) {
      if (!/^\d+[kKmMgG]?$/.test(options.proxyBodySize)) {
        throw propError(this, 'ingress.proxyBodySize', options.proxyBodySize, 'is not an nginx size',
          'write a whole number with an optional k, m or g suffix, e.g. \'8m\' (\'0\' for no limit)');
      }
      typed[`${NGINX}/proxy-body-size`] = options.proxyBodySize;
    }
    for (const [prop, key] of [
      ['proxyConnectTimeoutSeconds', 'proxy-connect-timeout'],
      ['proxyReadTimeoutSeconds', 'proxy-read-timeout'],
      ['proxySendTimeoutSeconds', 'proxy-send-timeout'],
    ] as const) {
      const seconds = checkOptionalInt(this, `ingress.${prop}`, options[prop], 1, 86400);
      if (seconds !== undefined) {
        typed[`${NGINX}/${key}`] = String(seconds);
      }
    }
    const extra = options.annotations ?? {};
    for (const [key, value] of Object.entries(extra)) {
      checkLabelKey(this, 'ingress.annotations', key);
      if (key in typed) {
        throw propError(this, `ingress.annotations["${key}"]`, value, 'would override an annotation a typed option writes',
          'set it with its typed ingress option instead');
      }
    }
    return {
      annotations: sortKeys({ ...extra, ...typed }),
      paths,
      pathType: options.pathType ?? PathType.PREFIX,
      tlsSecretName,
    };
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
    const ingress = json(this.ingress);
    const hpa = this.autoscaler ? json(this.autoscaler) : undefined;
    const podLabels: Record<string, string> = deployment.spec.template.metadata.labels ?? {};
    const matches = (selector: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);

    if (!matches(service.spec.selector)) {
      errors.push(`Service "${service.metadata.name}" selects ${JSON.stringify(service.spec.selector)}, which the pods of Deployment "${deployment.metadata.name}" do not carry; keep the selector equal to selectorLabels`);
    }
    const servicePorts = new Set<string>((service.spec.ports ?? []).flatMap((p: any) => [p.name, String(p.port)]));
    for (const rule of ingress.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const port = backend?.port?.name ?? String(backend?.port?.number);
        if (backend?.name !== service.metadata.name || !servicePorts.has(port)) {
          errors.push(`Ingress path "${path.path}" points at service "${backend?.name}" port "${port}", but the app's Service is "${service.metadata.name}" with ports ${[...servicePorts].join(', ')}; point the backend at the app's Service`);
        }
      }
    }
    const hosts = new Set<string>([
      ...(ingress.spec.rules ?? []).map((r: any) => r.host),
      ...(ingress.spec.tls ?? []).flatMap((t: any) => t.hosts ?? []),
    ]);
    if (hosts.size !== 1 || !hosts.has(this.host)) {
      errors.push(`Ingress rule and TLS hosts are ${[...hosts].join(', ')}, but the app's host is "${this.host}"; every host must be the same name`);
    }
    if (this.dnsRecord && this.dnsRecord.hostName !== this.host) {
      errors.push(`DNS name "${this.dnsRecord.hostName}" differs from the Ingress host "${this.host}"; publish the Ingress host`);
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

import { Probe } from './probe';

/** When the kubelet pulls the image. */
export enum ImagePullPolicy {
  /** On every pod start: the registry is asked each time, so pull credentials are always checked. */
  ALWAYS = 'Always',
  /** Only when the node does not have the image yet. */
  IF_NOT_PRESENT = 'IfNotPresent',
}

/** Requests and limits of one resource, as Kubernetes quantities (`250m`, `512Mi`). */
export interface ResourceQuantities {
  /**
   * The request: what the scheduler reserves for the container, or `false` for none.
   * @default - the resource's default request
   */
  readonly request?: string | false;
  /**
   * The limit: the most the container may use, or `false` for none (a CPU request without a
   * limit avoids CFS throttling; memory and ephemeral storage should keep theirs).
   * @default - the resource's default limit
   */
  readonly limit?: string | false;
}

/** Requests and limits: `WebAppProps.resources`. */
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

/** The container's probes: `WebAppProps.probes`. */
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
   * @default - the liveness probe's check every 2 s, 30 failures allowed: up to 60 s to start
   */
  readonly startup?: Probe | false;
  /**
   * Why liveness may ask what readiness asks (an app with one health endpoint), which is refused
   * without a reason: an overloaded pod then fails both, and is restarted instead of taken out of
   * rotation. Written into the workload's policy-exception annotation.
   * @default - refused
   */
  readonly sameCheckReason?: string;
}

/** The container's user and root filesystem: `WebAppProps.security`. */
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
  /**
   * What the image needs beyond the library's defaults, acknowledged with its reason, still
   * within Pod Security "restricted" (never root, no privilege escalation, seccomp, every other
   * capability dropped).
   * @default - none
   */
  readonly exception?: SecurityException;
}

/** An image's needs beyond the defaults: `SecurityOptions.exception`. */
export interface SecurityException {
  /** Why the image needs it, written into the workload's `cdk8s-webstack/policy-exceptions` annotation. */
  readonly reason: string;
  /**
   * Let `runAsUser` and `runAsGroup` be below 10000 (an image built for a fixed user, such as
   * 1000); 0, root, stays refused.
   * @default false
   */
  readonly lowIds?: boolean;
  /**
   * Add `NET_BIND_SERVICE` to the main container, the one capability "restricted" allows: to bind
   * a port below 1024.
   * @default false
   */
  readonly netBindService?: boolean;
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

/** Graceful shutdown: `WebAppProps.shutdown`. */
export interface ShutdownOptions {
  /**
   * Seconds the container waits in its preStop hook, so the ingress controller or Gateway and kube-proxy
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

import { ApiObject } from 'cdk8s';
import { EnvValue } from './env-value';
import { ResourcesOptions } from './pod';
import { Probe } from './probe';
import type { AutoscalingOptions, DisruptionBudgetOptions, RolloutTimingOptions, UpdateStrategy } from './scaling';
import type { SchedulingOptions } from './scheduling';
import type { StatefulSetOptions } from './stateful-set';

/** A worker: the app's image, env, config and security defaults, without a Service or route. */
export interface WorkerOptions {
  /** A short name: the Deployment is `<app>-<name>`. */
  readonly name: string;
  /**
   * Its command, replacing the image's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Its arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * More environment variables, besides the app's.
   * @default - only the app's
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Its requests and limits.
   * @default - the app's defaults
   */
  readonly resources?: ResourcesOptions;
  /**
   * A fixed number of replicas. Not with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler, which then owns the count.
   * @default - none
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Its PodDisruptionBudget, or `false` for none.
   * @default - maxUnavailable 1 at 2 replicas or more
   */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /**
   * How its pods are replaced at a rollout. Not with `statefulSet`, which has its own.
   * @default UpdateStrategy.rollingUpdate(): maxSurge 25%, maxUnavailable 0
   */
  readonly updateStrategy?: UpdateStrategy;
  /**
   * Its rollout's deadline and minReadySeconds, as the app's `rollout`.
   * @default - a deadline from its startup and readiness probes' budgets; minReadySeconds its readiness period, 10 s without readiness
   */
  readonly rollout?: RolloutTimingOptions;
  /**
   * The worker as a StatefulSet instead of a Deployment: its pods `<app>-<name>-0`, `-1`, ...
   * keep their names and DNS names (under the headless Service `<app>-<name>-headless`, which
   * has no ports), and each its own claims (`claims`), mounted in the worker's container: a
   * consumer's disk buffer or a shard's local index, which survive a restart.
   * @default - a Deployment
   */
  readonly statefulSet?: StatefulSetOptions;
  /**
   * Where and how its pods run (not inherited from the app).
   * @default - any node, spread over nodes and zones
   */
  readonly scheduling?: SchedulingOptions;
  /**
   * Its readiness probe: a rollout waits for new pods to pass it. A worker declares no port, so
   * an HTTP, TCP or gRPC probe gives its port number; `Probe.exec([...])` needs none.
   * @default - none (Polaris's readinessProbeMissing exempted: it serves no port)
   */
  readonly readiness?: Probe;
  /**
   * Its liveness probe: the kubelet restarts the container when it fails (a stuck consumer loop).
   * A port, as for `readiness`.
   * @default - none: Kubernetes restarts it only when its process exits
   */
  readonly liveness?: Probe;
  /**
   * Its startup probe, holding the liveness probe back while it starts, or `false` for none.
   * @default - with `liveness`, the liveness check every 2 s, 30 failures allowed (up to 60 s); none without
   */
  readonly startup?: Probe | false;
}

/** What a scheduled job does when its previous run is still going. */
export enum ConcurrencyPolicy {
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Stop the running one and start the new run. */
  REPLACE = 'Replace',
  /** Run both. */
  ALLOW = 'Allow',
}

/** A scheduled job (CronJob) of the app: its image, env, config and security defaults. */
export interface ScheduledJobOptions {
  /** A short name: the CronJob is `<app>-<name>`. */
  readonly name: string;
  /** When it runs: five cron fields (`30 2 * * *`) or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`. */
  readonly schedule: string;
  /**
   * Where and how its pods run (not inherited from the app).
   * @default - any node, not spread
   */
  readonly scheduling?: SchedulingOptions;
  /**
   * The time zone of the schedule (an IANA name).
   * @default - the kube-controller-manager's, usually UTC
   */
  readonly timeZone?: string;
  /**
   * Its command, replacing the image's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Its arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * More environment variables, besides the app's.
   * @default - only the app's
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Its requests and limits.
   * @default - the app's defaults
   */
  readonly resources?: ResourcesOptions;
  /**
   * What happens when the previous run is still going.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Seconds after the scheduled time within which a missed run may still start.
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Seconds a run may take before it is stopped.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Retries of a failed run.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Finished runs kept, successful and failed.
   * @default 3
   */
  readonly historyLimit?: number;
}

/** The objects of one worker: `WebApp.workers`. */
export interface WorkerObjects {
  /** Its pods: its Deployment, or its StatefulSet with `statefulSet`. */
  readonly workload: ApiObject;
  /** Its Deployment, unless it is a StatefulSet. */
  readonly deployment?: ApiObject;
  /** Its StatefulSet, with `statefulSet`. */
  readonly statefulSet?: ApiObject;
  /** The headless Service `<app>-<name>-headless` that gives its StatefulSet's pods their DNS names, with `statefulSet`. */
  readonly headlessService?: ApiObject;
  /** Its HorizontalPodAutoscaler, with `autoscaling`. */
  readonly autoscaler?: ApiObject;
  /** Its PodDisruptionBudget, at 2 replicas or more. */
  readonly disruptionBudget?: ApiObject;
  /** Its NetworkPolicy, which admits nothing: it serves no port. */
  readonly networkPolicy?: ApiObject;
}


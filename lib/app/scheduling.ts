/** What a node's taint does to pods that do not tolerate it. */
export enum TaintEffect {
  /** New pods are not scheduled onto the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node when it can. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running pods are evicted too. */
  NO_EXECUTE = 'NoExecute',
}

/** A taint the pods tolerate: `SchedulingOptions.tolerations`. */
export interface Toleration {
  /** The taint's key. */
  readonly key: string;
  /**
   * The taint's value; leave it out to tolerate the key with any value (`Exists`).
   * @default - any value
   */
  readonly value?: string;
  /**
   * The effect tolerated.
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * With `NoExecute`: how long a pod stays on a node after the taint appears.
   * @default - for ever
   */
  readonly tolerationSeconds?: number;
}

/** A line of the pods' `/etc/hosts`: `SchedulingOptions.hostAliases`. */
export interface HostAlias {
  /** The address. */
  readonly ip: string;
  /** The names it answers to. */
  readonly hostnames: string[];
}

/**
 * Where and how the pods run: `WebAppProps.scheduling`, and a worker's or scheduled job's. Each
 * companion takes its own; none inherits the app's.
 */
export interface SchedulingOptions {
  /**
   * Labels a node must have.
   * @default - any node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * The PriorityClass of the pods.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * The RuntimeClass of the pods (gVisor, Kata).
   * @default - the node's default runtime
   */
  readonly runtimeClassName?: string;
  /**
   * Spread the pods over nodes (preferred anti-affinity) and zones (topology spread, ScheduleAnyway);
   * `false` leaves placement to the scheduler alone.
   * @default true for the app and its workers; jobs are not spread
   */
  readonly spread?: boolean;
  /**
   * Entries of the pods' `/etc/hosts`.
   * @default - none
   */
  readonly hostAliases?: HostAlias[];
  /**
   * More annotations of the pods (a secret injector's, a service mesh's). They may not replace
   * the ones the library writes.
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * More labels of the pods only, not of the workload. They may not replace the app's labels.
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
}

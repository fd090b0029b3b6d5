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

/** How strictly the pods keep apart: `SpreadOptions.nodes` and `zones`. */
export enum SpreadMode {
  /** Preferred: the scheduler spreads them when it can, and never leaves a pod pending for it. */
  PREFERRED = 'preferred',
  /** Required: a pod that cannot be placed apart stays pending (a node or zone per replica). */
  REQUIRED = 'required',
  /** Not spread on this level. */
  OFF = 'off',
}

/** The spread's rules: `SchedulingOptions.spread`. */
export interface SpreadOptions {
  /**
   * Pods on different nodes (pod anti-affinity on the host name).
   * @default SpreadMode.PREFERRED
   */
  readonly nodes?: SpreadMode;
  /**
   * Pods spread over zones (a topology spread constraint on the zone).
   * @default SpreadMode.PREFERRED
   */
  readonly zones?: SpreadMode;
  /**
   * The most the pod counts of two zones may differ.
   * @default 1
   */
  readonly maxSkew?: number;
}

/** How a node affinity term compares a node label. */
export enum NodeSelectorOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label is missing, or its value is none of `values`. */
  NOT_IN = 'NotIn',
  /** The node has the label. */
  EXISTS = 'Exists',
  /** The node does not have the label. */
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label's value, an integer, is greater than the one value. */
  GT = 'Gt',
  /** The label's value, an integer, is less than the one value. */
  LT = 'Lt',
}

/** A rule on node labels: `SchedulingOptions.nodeAffinity`. */
export interface NodeAffinityTerm {
  /** The node label. */
  readonly key: string;
  /** How it is compared. */
  readonly operator: NodeSelectorOperator;
  /**
   * The values: one or more for In and NotIn, one integer for Gt and Lt, none for Exists and DoesNotExist.
   * @default - none
   */
  readonly values?: string[];
  /**
   * A preference of this weight (1 to 100) instead of a requirement.
   * @default - required: a node that does not match never runs the pods
   */
  readonly weight?: number;
}

/** An option of the pods' resolver: `DnsConfig.options`. */
export interface DnsOption {
  /** Its name (`ndots`, `timeout`, `attempts`, `single-request-reopen`). */
  readonly name: string;
  /**
   * Its value.
   * @default - none
   */
  readonly value?: string;
}

/** The pods' resolver, beside the cluster's DNS: `SchedulingOptions.dnsConfig`. */
export interface DnsConfig {
  /**
   * More name servers (up to 3 in all).
   * @default - none
   */
  readonly nameservers?: string[];
  /**
   * More search domains (up to 32).
   * @default - none
   */
  readonly searches?: string[];
  /**
   * Resolver options (`{ name: 'ndots', value: '2' }`: fewer lookups of external names).
   * @default - none
   */
  readonly options?: DnsOption[];
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
   * Rules on node labels beyond `nodeSelector`: required terms all hold (a pool that is not
   * spot), preferred ones weigh a node up.
   * @default - none
   */
  readonly nodeAffinity?: NodeAffinityTerm[];
  /**
   * The pods' resolver: name servers, search domains and options beside the cluster's DNS.
   * @default - the cluster's DNS only
   */
  readonly dnsConfig?: DnsConfig;
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
   * `false` leaves placement to the scheduler alone; `SpreadOptions` sets each level's strictness
   * and the zones' skew.
   * @default true for the app and its workers; jobs are not spread
   */
  readonly spread?: boolean | SpreadOptions;
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

import { PortProtocol } from './ports';

/** A source allowed to reach ports of the app, besides the entry point's data plane. */
export interface NetworkPeer {
  /** Pods of this namespace (all of them unless `podLabels` narrows it). */
  readonly namespace?: string;
  /** Pods with these labels (in the app's namespace unless `namespace` is given). */
  readonly podLabels?: Record<string, string>;
  /** Clients in this CIDR block; not combined with the other fields. */
  readonly cidr?: string;
  /**
   * The ports it may reach, by name: the serving port's (`portName`), a port of `ports`, or
   * the metrics port's.
   * @default - the serving port only
   */
  readonly ports?: string[];
}

/** A destination port of an egress rule. */
export interface EgressPort {
  /** The port (of the destination pod, or of the address outside the cluster). */
  readonly port: number;
  /**
   * The last port of a range from `port`.
   * @default - `port` alone
   */
  readonly endPort?: number;
  /**
   * TCP or UDP.
   * @default PortProtocol.TCP
   */
  readonly protocol?: PortProtocol;
}

/** A destination the app's pods may call: pods of the cluster, or addresses outside it. */
export interface EgressPeer {
  /** Pods of this namespace (all of them unless `podLabels` narrows it). */
  readonly namespace?: string;
  /** Pods with these labels (in the app's namespace unless `namespace` is given). */
  readonly podLabels?: Record<string, string>;
  /** Addresses in this CIDR block (a database outside the cluster); not combined with the other fields. */
  readonly cidr?: string;
  /**
   * Blocks inside `cidr` that stay closed.
   * @default - none
   */
  readonly except?: string[];
  /**
   * The ports it may be called on.
   * @default - every port
   */
  readonly ports?: EgressPort[];
}

/**
 * The API server, for an app whose account calls it. A NetworkPolicy cannot select it by name:
 * most network plugins apply egress rules after the `kubernetes` Service's address is
 * translated, so the rule names the API server's own addresses and port, those of the
 * `kubernetes` EndpointSlice (`kubectl get endpointslice -n default -l kubernetes.io/service-name=kubernetes`).
 */
export interface ApiServerEndpoints {
  /** Its addresses, as CIDR blocks (`192.0.2.10/32`). */
  readonly cidrs: string[];
  /**
   * The port it listens on.
   * @default 6443
   */
  readonly port?: number;
}

/** Where DNS queries go: the cluster's DNS pods, or a node-local cache's address. */
export interface DnsDestination {
  /** Pods of this namespace. */
  readonly namespace?: string;
  /** Pods with these labels. */
  readonly podLabels?: Record<string, string>;
  /** An address block (NodeLocal DNSCache's `169.254.20.10/32`); not combined with the other fields. */
  readonly cidr?: string;
}

/**
 * Egress: `NetworkPolicyOptions.egress`. Set, the app's pods (and its workers' and jobs') may
 * call only DNS and what it lists; everything else is denied.
 */
export interface EgressOptions {
  /**
   * What the pods may call, besides DNS.
   * @default - nothing but DNS (and the API server with `apiServer`)
   */
  readonly allowTo?: EgressPeer[];
  /**
   * Where DNS queries go, on port 53 over UDP and TCP; `false` for none (an app that resolves no name).
   * @default - the cluster's DNS: pods labelled `k8s-app: kube-dns` in `kube-system` (CoreDNS's, under that label)
   */
  readonly dns?: DnsDestination | false;
  /**
   * The API server, for an app whose account calls it.
   * @default - not reachable
   */
  readonly apiServer?: ApiServerEndpoints;
}

/** The NetworkPolicy: `WebAppProps.networkPolicy`. */
export interface NetworkPolicyOptions {
  /**
   * More sources allowed to reach the app, each to the ports it names (the serving port by default).
   * @default - only the entry point's data plane, to the serving port
   */
  readonly allowFrom?: NetworkPeer[];
  /**
   * An egress policy: deny by default, DNS allowed, plus the destinations it lists. Workers and
   * jobs get the same, unless they set their own `egress`.
   * @default - egress left open
   */
  readonly egress?: EgressOptions;
}

/** A source allowed to reach the app port, besides the entry point's data plane. */
export interface NetworkPeer {
  /** Pods of this namespace (all of them unless `podLabels` narrows it). */
  readonly namespace?: string;
  /** Pods with these labels (in the app's namespace unless `namespace` is given). */
  readonly podLabels?: Record<string, string>;
  /** Clients in this CIDR block; not combined with the other fields. */
  readonly cidr?: string;
}

/** The NetworkPolicy: `WebAppProps.networkPolicy`. */
export interface NetworkPolicyOptions {
  /**
   * More sources allowed to reach the app port.
   * @default - only the entry point's data plane
   */
  readonly allowFrom?: NetworkPeer[];
}

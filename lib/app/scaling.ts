/** A HorizontalPodAutoscaler: `WebAppProps.autoscaling`. */
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

/** A PodDisruptionBudget: `WebAppProps.disruptionBudget`. */
export interface DisruptionBudgetOptions {
  /**
   * Pods a voluntary disruption (a node drain) may take down at once: a count of at least 1 or
   * a percentage above 0%, so the budget never blocks a drain.
   * @default 1
   */
  readonly maxUnavailable?: number | string;
}

import { WebStackError } from '../core/errors';
import { checkShape, shape } from '../core/_shape';
import { ROLLING_UPDATE } from '../resources/_deployment';
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

/**
 * How long a rollout may take before the controller marks it failed, and how long a new pod
 * must stay ready to count: `WebAppProps.rollout` and `WorkerOptions.rollout`.
 */
export interface RolloutTimingOptions {
  /**
   * Seconds a new pod must stay ready before it counts as available and the rollout moves on:
   * a pod that passes its readiness probe once and then crashes is caught before the old pods go.
   * @default - one readiness period (5 s for the app's default probe); 10 s for a worker without readiness
   */
  readonly minReadySeconds?: number;
  /**
   * Seconds without progress after which the Deployment controller marks the rollout failed
   * (`Progressing=False`, reason `ProgressDeadlineExceeded`), which `cdk8s-webstack deploy`
   * reads. It must leave a new pod time to start within its probes. Not for a StatefulSet,
   * which has no such field (the deploy's own deadline bounds its wait).
   * @default - 120 s to schedule and pull the image, plus the startup probe's budget (initial
   *   delay + period x failure threshold + timeout), plus the readiness probe's first pass
   *   (initial delay + period + timeout), plus minReadySeconds: 192 s for the app's defaults
   */
  readonly progressDeadlineSeconds?: number;
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

const COUNT_OR_PERCENT = shape.oneOf(shape.int(0, 10000),
  shape.percent(0, 'is not a count or a percentage from 0% to 100%', 'write a whole number, or a percentage such as \'25%\''));

/** Options of `UpdateStrategy.rollingUpdate()`. */
export interface RollingUpdateOptions {
  /**
   * Pods that may be created above the replica count during a rollout: a count or a percentage.
   * @default '25%'
   */
  readonly maxSurge?: number | string;
  /**
   * Pods that may be unavailable during a rollout: a count or a percentage. Above 0, a rollout
   * takes capacity away while it runs.
   * @default 0
   */
  readonly maxUnavailable?: number | string;
}

/** How a Deployment replaces its pods: `WebAppProps.updateStrategy` (and a worker's). */
export class UpdateStrategy {
  /**
   * New pods start, and become ready, before old ones stop: no downtime. The default, with
   * maxSurge 25% and maxUnavailable 0.
   */
  public static rollingUpdate(options: RollingUpdateOptions = {}): UpdateStrategy {
    checkShape('UpdateStrategy.rollingUpdate()', 'options', options, shape.object<RollingUpdateOptions>('RollingUpdateOptions', {
      maxSurge: COUNT_OR_PERCENT,
      maxUnavailable: COUNT_OR_PERCENT,
    }));
    const maxSurge = options.maxSurge ?? ROLLING_UPDATE.maxSurge;
    const maxUnavailable = options.maxUnavailable ?? ROLLING_UPDATE.maxUnavailable;
    if (isZero(maxSurge) && isZero(maxUnavailable)) {
      throw new WebStackError('UpdateStrategy.rollingUpdate()', 'options', options, 'sets both maxSurge and maxUnavailable to 0, so a rollout could never replace a pod (the API server refuses it)',
        'let at least one be above 0, e.g. { maxSurge: 1 }');
    }
    return new UpdateStrategy('RollingUpdate', { maxSurge, maxUnavailable });
  }

  /**
   * Every old pod stops before any new one starts: downtime at each rollout, for an app whose
   * pods must never run two versions side by side, or that holds a ReadWriteOnce volume.
   */
  public static recreate(): UpdateStrategy {
    return new UpdateStrategy('Recreate');
  }

  private constructor(
    /** `RollingUpdate` or `Recreate`. */
    public readonly type: 'RollingUpdate' | 'Recreate',
    /** The rolling update's limits, for `RollingUpdate`. */
    public readonly rollingUpdate?: {
      /** Pods above the desired count during the update: a number or a percentage. */
      readonly maxSurge: number | string;
      /** Pods below the desired count during the update: a number or a percentage. */
      readonly maxUnavailable: number | string;
    },
  ) {}
}

function isZero(value: number | string): boolean {
  return value === 0 || (typeof value === 'string' && Number(value.slice(0, -1)) === 0);
}

import { IConstruct } from 'constructs';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { QuantityPair } from '../resources/_deployment';
import { propError } from '../core/errors';
import { shape } from '../core/_shape';
import { AutoscalingOptions, DisruptionBudgetOptions, RolloutTimingOptions, UpdateStrategy } from './scaling';

/** Zero downtime: new pods ready before old ones stop. */
const DEFAULT_STRATEGY = UpdateStrategy.rollingUpdate();

/** The run-time shapes of the scaling props, shared by the app and its workers. */
export const SCALING_SHAPES = {
  replicas: shape.int(0, 10000),
  autoscaling: shape.object<AutoscalingOptions>('AutoscalingOptions', {
    minReplicas: shape.int(1, 10000), maxReplicas: shape.int(1, 10000), cpuUtilization: shape.int(1, 1000), memoryUtilization: shape.int(1, 1000),
    scaleDownStabilizationSeconds: shape.int(0, 3600),
  }, { required: ['maxReplicas'] }),
  updateStrategy: shape.instance(UpdateStrategy, 'UpdateStrategy', 'use UpdateStrategy.rollingUpdate(...) or UpdateStrategy.recreate()'),
  rollout: shape.object<RolloutTimingOptions>('RolloutTimingOptions', {
    minReadySeconds: shape.int(0, 3600), progressDeadlineSeconds: shape.int(1, 86400),
  }),
  disruptionBudget: shape.oneOf(shape.false, shape.object<DisruptionBudgetOptions>('DisruptionBudgetOptions', {
    maxUnavailable: shape.oneOf(shape.int(1, 10000, 'allow at least 1 pod to be disrupted, or the budget blocks node drains'),
      shape.percent(1, 'is not a count of at least 1 or a percentage from 1% to 100%', 'allow at least one pod to be disrupted, e.g. 1 or \'25%\'')),
  })),
};

/** How many pods run, who decides, and how many a drain may take: validated, defaults filled in. */
export interface ScalingSpec {
  /** The fixed count; `undefined` when the autoscaler owns it. */
  readonly replicas?: number;
  /** The fewest pods the app runs. */
  readonly minReplicas: number;
  readonly autoscaler?: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly cpuUtilization?: number;
    readonly memoryUtilization?: number;
    readonly scaleDownStabilizationSeconds: number;
  };
  /** The PodDisruptionBudget's maxUnavailable, or `undefined` for no budget. */
  readonly maxUnavailable?: number | string;
  /** How the Deployment replaces its pods. */
  readonly strategy: UpdateStrategy;
}

export interface ScalingProps {
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingOptions;
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  readonly updateStrategy?: UpdateStrategy;
}

/** Validates replicas, autoscaling and the disruption budget against the pod's resource requests. */
export function resolveScaling(scope: IConstruct, props: ScalingProps, resources: Record<'cpu' | 'memory', QuantityPair | undefined>, prefix = ''): ScalingSpec {
  const at = (prop: string) => `${prefix}${prop}`;
  const scaling = props.autoscaling;
  if (scaling !== undefined && props.replicas !== undefined) {
    throw propError(scope, at('replicas'), props.replicas, 'is set, but autoscaling owns the replica count',
      'drop replicas and set autoscaling.minReplicas, or drop autoscaling');
  }
  let autoscaler: ScalingSpec['autoscaler'];
  let replicas: number | undefined;
  if (scaling !== undefined) {
    const max = scaling.maxReplicas;
    const min = scaling.minReplicas ?? 2;
    if (min > max) {
      throw propError(scope, at('autoscaling.minReplicas'), min, `must be <= 'autoscaling.maxReplicas' (${max})`,
        'raise maxReplicas or lower minReplicas');
    }
    const noTarget = scaling.cpuUtilization === undefined && scaling.memoryUtilization === undefined;
    autoscaler = {
      minReplicas: min,
      maxReplicas: max,
      cpuUtilization: noTarget ? 70 : scaling.cpuUtilization,
      memoryUtilization: scaling.memoryUtilization,
      scaleDownStabilizationSeconds: shape.whole(scaling.scaleDownStabilizationSeconds ?? 300),
    };
    // Utilization is measured against the request.
    if (autoscaler.cpuUtilization !== undefined && resources.cpu?.request === undefined) {
      throw propError(scope, at('autoscaling.cpuUtilization'), autoscaler.cpuUtilization, 'needs a CPU request to measure utilization against',
        'set resources.cpu.request, or scale on memory only');
    }
    if (autoscaler.memoryUtilization !== undefined && resources.memory?.request === undefined) {
      throw propError(scope, at('autoscaling.memoryUtilization'), autoscaler.memoryUtilization, 'needs a memory request to measure utilization against',
        'set resources.memory.request, or scale on CPU only');
    }
  } else {
    replicas = shape.whole(props.replicas ?? 2);
  }
  const minReplicas = autoscaler?.minReplicas ?? replicas!;
  return {
    replicas, minReplicas, autoscaler, maxUnavailable: resolveBudget(scope, props.disruptionBudget, minReplicas, at),
    strategy: props.updateStrategy ?? DEFAULT_STRATEGY,
  };
}

/** A budget only where it lets drains through: never 0, never over an app of fewer than 2 pods. */
function resolveBudget(scope: IConstruct, budget: DisruptionBudgetOptions | false | undefined, minReplicas: number, at: (prop: string) => string): number | string | undefined {
  if (budget === false || (budget === undefined && minReplicas < 2)) {
    return undefined;
  }
  if (minReplicas < 2) {
    throw propError(scope, at('disruptionBudget'), budget,
      `is set, but the app runs as few as ${minReplicas} replica(s), so any drain takes it down`,
      'run at least 2 replicas (replicas or autoscaling.minReplicas), or set disruptionBudget to false');
  }
  return budget?.maxUnavailable ?? 1;
}

/** Seconds a new pod may take to be scheduled and to pull its image before its probes run. */
export const START_ALLOWANCE_SECONDS = 120;

/** A rollout's timing, validated and with its defaults: what the workload writes. */
export interface RolloutTimingSpec {
  readonly minReadySeconds: number;
  /** `undefined` for a StatefulSet, which has no such field. */
  readonly progressDeadlineSeconds?: number;
}

/**
 * The rollout's timing from `rollout` and the container's rendered probes: the default deadline
 * is the longest a healthy new pod can take to count as available, and a deadline given below
 * that is an error (the controller would fail a healthy rollout).
 */
export function resolveRolloutTiming(scope: IConstruct, options: RolloutTimingOptions | undefined,
  probes: { readonly readinessProbe?: k8s.Probe; readonly startupProbe?: k8s.Probe }, workload: { readonly statefulSet: boolean; readonly prefix: string }): RolloutTimingSpec {
  const at = (prop: string) => `${workload.prefix}rollout.${prop}`;
  const readiness = probes.readinessProbe;
  const minReadySeconds = options?.minReadySeconds ?? (readiness ? readiness.periodSeconds ?? 10 : 10);
  if (workload.statefulSet) {
    if (options?.progressDeadlineSeconds !== undefined) {
      throw propError(scope, at('progressDeadlineSeconds'), options.progressDeadlineSeconds, 'is set, but a StatefulSet has no progress deadline (only Deployments do)',
        'drop it: cdk8s-webstack deploy bounds the wait on a StatefulSet with its own --timeout');
    }
    return { minReadySeconds };
  }
  const budget = (probe: k8s.Probe | undefined, checks: number) => (probe === undefined ? 0
    : (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * checks + (probe.timeoutSeconds ?? 1));
  const needed = START_ALLOWANCE_SECONDS + budget(probes.startupProbe, probes.startupProbe?.failureThreshold ?? 3)
    + budget(readiness, readiness?.successThreshold ?? 1) + minReadySeconds;
  const given = options?.progressDeadlineSeconds;
  if (given !== undefined && given < needed) {
    throw propError(scope, at('progressDeadlineSeconds'), given,
      `is shorter than a healthy new pod may take to count as available (${needed} s: ${START_ALLOWANCE_SECONDS} s to schedule and pull, the startup and readiness probes' budgets, minReadySeconds ${minReadySeconds}), so the controller would fail a healthy rollout`,
      `give at least ${needed}, or leave it out for that default`);
  }
  return { minReadySeconds, progressDeadlineSeconds: given ?? needed };
}

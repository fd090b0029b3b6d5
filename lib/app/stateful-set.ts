import { WebStackError } from '../core/errors';
import { checkShape, shape } from '../core/_shape';
import { AccessMode, VolumeMode } from './volumes';

/** How a StatefulSet starts and stops its pods: `StatefulSetOptions.podManagement`. */
export enum PodManagement {
  /** One pod at a time, in ordinal order, each ready before the next starts (and stopped in reverse). */
  ORDERED_READY = 'OrderedReady',
  /** All pods at once: for peers that find each other without a start order. Rolling updates stay one at a time. */
  PARALLEL = 'Parallel',
}

/** What happens to the claims of `StatefulSetOptions.claims` when the StatefulSet is deleted or scaled down. */
export enum ClaimRetention {
  /** The claims, and their data, stay: a pod that comes back gets its old claim. */
  RETAIN = 'Retain',
  /** The claims are deleted with the pods they belonged to: their data is gone. */
  DELETE = 'Delete',
}

/** A claim per replica: one entry of `StatefulSetOptions.claims`, a `volumeClaimTemplates` entry. */
export interface ClaimTemplateOptions {
  /**
   * Its name (a DNS-1123 label): the pod volume that mounts name, and the claims
   * `<name>-<app>-<ordinal>` it makes.
   */
  readonly name: string;
  /** The size of each replica's claim, a Kubernetes quantity (`10Gi`). */
  readonly size: string;
  /**
   * The StorageClass the claims are provisioned from.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Who may mount each claim at once. Each replica has its own, so ReadWriteOnce holds any
   * replica count.
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: AccessMode[];
  /**
   * A filesystem or a raw block device.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /** Where the app's container mounts it (absolute): a device path for a block volume. Other containers name it in their `mounts`. */
  readonly mountPath: string;
  /**
   * The folder of the claim mounted there, instead of its root.
   * @default - its root
   */
  readonly subPath?: string;
  /**
   * Mount it read-only in the app's container.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** `StatefulSetOptions.retention`: the StatefulSet's `persistentVolumeClaimRetentionPolicy`. */
export interface ClaimRetentionOptions {
  /**
   * What happens to the claims when the StatefulSet is deleted.
   * @default ClaimRetention.RETAIN
   */
  readonly whenDeleted?: ClaimRetention;
  /**
   * What happens to the claims of the pods a scale-down removes.
   * @default ClaimRetention.RETAIN
   */
  readonly whenScaled?: ClaimRetention;
}

/** Options of `StatefulSetUpdateStrategy.rollingUpdate()`. */
export interface StatefulSetRollingUpdateOptions {
  /**
   * Only pods of this ordinal or above are updated; the others keep the old template (a
   * staged rollout, or a canary: set it to replicas - 1).
   * @default 0
   */
  readonly partition?: number;
}

const ROLLING_UPDATE_SHAPE = shape.object<StatefulSetRollingUpdateOptions>('StatefulSetRollingUpdateOptions', {
  partition: shape.int(0, 10000),
});

/**
 * How a StatefulSet replaces its pods: `StatefulSetOptions.updateStrategy`. A StatefulSet never
 * surges: each pod stops before its replacement starts, under the same name and claims.
 */
export class StatefulSetUpdateStrategy {
  /**
   * One pod at a time, from the highest ordinal down, each ready before the next is replaced.
   * The default. (`maxUnavailable` is not offered: it is alpha, behind the MaxUnavailableStatefulSet
   * feature gate, until Kubernetes 1.35, and an API server without the gate drops it.)
   */
  public static rollingUpdate(options: StatefulSetRollingUpdateOptions = {}): StatefulSetUpdateStrategy {
    const maxUnavailable = (options as { maxUnavailable?: unknown } | null)?.maxUnavailable;
    if (maxUnavailable !== undefined) {
      // Asked for from JavaScript, or as a Deployment's: say why it is missing rather than that it is unknown.
      throw new WebStackError('StatefulSetUpdateStrategy.rollingUpdate()', 'options.maxUnavailable', maxUnavailable,
        'is alpha for StatefulSets (the MaxUnavailableStatefulSet feature gate) before Kubernetes 1.35, and an API server without the gate drops it',
        'leave it out: a StatefulSet replaces one pod at a time');
    }
    checkShape('StatefulSetUpdateStrategy.rollingUpdate()', 'options', options, ROLLING_UPDATE_SHAPE);
    return new StatefulSetUpdateStrategy('RollingUpdate', options.partition === undefined ? undefined : shape.whole(options.partition));
  }

  /**
   * The controller replaces no pod by itself: a pod gets the new template when it is deleted
   * (by hand, or by an operator that orders the update).
   */
  public static onDelete(): StatefulSetUpdateStrategy {
    return new StatefulSetUpdateStrategy('OnDelete');
  }

  private constructor(
    /** `RollingUpdate` or `OnDelete`. */
    public readonly type: 'RollingUpdate' | 'OnDelete',
    /** The rolling update's partition, when given. */
    public readonly partition?: number,
  ) {}
}

/**
 * The app as a StatefulSet instead of a Deployment: `WebAppProps.statefulSet`. Its pods keep
 * their names (`<app>-0`, `<app>-1`, ...), their DNS names under the headless Service
 * `<app>-headless`, and each its own claims.
 */
export interface StatefulSetOptions {
  /**
   * Claims per replica (`volumeClaimTemplates`), each mounted in the app's container.
   * @default - none
   */
  readonly claims?: ClaimTemplateOptions[];
  /**
   * How the pods are started and stopped.
   * @default PodManagement.ORDERED_READY
   */
  readonly podManagement?: PodManagement;
  /**
   * How the pods are replaced at a rollout.
   * @default StatefulSetUpdateStrategy.rollingUpdate(): one pod at a time, highest ordinal first
   */
  readonly updateStrategy?: StatefulSetUpdateStrategy;
  /**
   * What happens to the claims when the StatefulSet is deleted or scaled down.
   * @default - both ClaimRetention.RETAIN: the claims and their data stay
   */
  readonly retention?: ClaimRetentionOptions;
}

import { EnvValue } from './env-value';
import { ResourcesOptions } from './pod';
import type { SchedulingOptions } from './scheduling';

/** A Job of one release of the app: its migration, or a job after it. */
export interface ReleaseJobOptions {
  /** A short name: the Job is `<app>-<name>-<release>`, the release a hash of what it runs. */
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
   * Retries of a failed run: 0 for a migration that must not run twice.
   * @default 1
   */
  readonly backoffLimit?: number;
  /**
   * Seconds it may take before it is stopped and counted as failed.
   * @default 900
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Where and how its pod runs (not inherited from the app).
   * @default - any node
   */
  readonly scheduling?: SchedulingOptions;
}

/** Jobs around each release of the app: `WebAppProps.release`. */
export interface ReleaseOptions {
  /**
   * A Job that runs once per release, before the new pods start: `cdk8s-webstack deploy`
   * applies what it needs, waits for it, and stops (the running release untouched) if it fails;
   * Argo CD runs it in sync wave -1, before the workloads. From the app's pod template: its
   * image, env, config, volumes, account and security.
   * @default - none
   */
  readonly migration?: ReleaseJobOptions;
  /**
   * Jobs that run once per release after the new pods are rolled out, one after another in
   * this order (`deploy` waits for each; Argo CD sync waves 2, 3, ...).
   * @default - none
   */
  readonly afterRelease?: ReleaseJobOptions[];
}

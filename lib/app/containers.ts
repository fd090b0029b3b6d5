import { EnvValue } from './env-value';
import { ResourcesOptions } from './pod';
import { Probe } from './probe';
import type { MountOptions } from './volumes';

/** How sidecars run. */
export enum SidecarMode {
  /**
   * Native sidecars: init containers with `restartPolicy: Always`, started before the app and
   * stopped after it (Kubernetes 1.29 and later; the API server of 1.28 drops the field).
   */
  NATIVE = 'native',
  /** Plain extra containers beside the app, for older clusters: no start or stop order. */
  PLAIN = 'plain',
}

/** A container of the app's pod besides the app: an init container or a sidecar. */
export interface ContainerOptions {
  /** Its name (a DNS-1123 label, unique in the pod). */
  readonly name: string;
  /**
   * Its image.
   * @default - the app's image (a migration runs the app's own code)
   */
  readonly image?: string;
  /**
   * The command, replacing the image's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Its arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Its environment variables (beside the app's, when it inherits them).
   * @default - none of its own
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Whether it gets the app's `env`, `envFrom` and mounts. An init container runs the app's own
   * code (a migration) and inherits them unless told not to; a sidecar (a log shipper, a proxy)
   * gets only what it names, so the app's secrets do not reach it unless it asks.
   * @default - true for an init container, false for a sidecar
   */
  readonly inherit?: boolean;
  /**
   * Its mounts of the pod's volumes (`WebAppProps.volumes`, or the config props' `config-<name>`,
   * `secret-<name>` and `scratch-<name>`), beside the app's when it inherits them.
   * @default - none of its own
   */
  readonly mounts?: MountOptions[];
  /**
   * Its requests and limits.
   * @default - the app's defaults: cpu 100m / 1, memory 256Mi / 256Mi, ephemeral-storage 128Mi / 1Gi
   */
  readonly resources?: ResourcesOptions;
}

/** A sidecar: a container that runs beside the app for its whole life (a log shipper, a proxy). */
export interface SidecarOptions extends ContainerOptions {
  /**
   * Its readiness probe (native sidecars gate the app's start on it).
   * @default - none
   */
  readonly readiness?: Probe;
  /**
   * Its liveness probe.
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * The port it listens on, if any, named after it; probes check it.
   * @default - none
   */
  readonly port?: number;
}

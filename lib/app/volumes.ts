import { checkShape, shape } from '../core/_shape';

/** Who may mount a claim at once. */
export enum AccessMode {
  /** Read-write by the pods of one node at a time: most block storage (EBS, Persistent Disk, Ceph RBD). */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-write by one pod at a time, anywhere (CSI drivers only, Kubernetes 1.29+). */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Read-only by many pods on many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many pods on many nodes: file storage (NFS, EFS, CephFS). */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/** How a claim's volume reaches the container. */
export enum VolumeMode {
  /** A filesystem, mounted at a folder. */
  FILESYSTEM = 'Filesystem',
  /** A raw block device, at a device path (`/dev/xvda`); a database that manages its own blocks. */
  BLOCK = 'Block',
}

/** A new PersistentVolumeClaim of the app: `VolumeSource.newClaim()`. */
export interface NewClaimOptions {
  /** Its size, a Kubernetes quantity (`10Gi`). */
  readonly size: string;
  /**
   * The StorageClass it is provisioned from.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Who may mount it at once. A ReadWriteOnce claim allows one replica, `UpdateStrategy.recreate()`
   * and no autoscaler, since a second pod on another node could never mount it.
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: AccessMode[];
  /**
   * A filesystem or a raw block device.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /**
   * Keep the claim, and its data, when the app is removed from the program: it is applied
   * outside the ApplySet (never pruned), and tells Argo CD and Flux not to prune it either.
   * `false` deletes it with the app.
   * @default true
   */
  readonly keep?: boolean;
}

/** An existing PersistentVolumeClaim: `VolumeSource.existingClaim()`. */
export interface ExistingClaimOptions {
  /**
   * Mount it read-only in every container.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Scratch space: `VolumeSource.scratch()`. */
export interface ScratchOptions {
  /** Its size limit (`1Gi`); added to the ephemeral-storage request and limit, or, in memory, to memory's. */
  readonly sizeLimit: string;
  /**
   * Back it with memory (tmpfs) instead of the node's disk.
   * @default false
   */
  readonly inMemory?: boolean;
}

/** Files of an existing Secret or ConfigMap: `VolumeSource.secret()`, `VolumeSource.configMap()`. */
export interface ObjectFilesOptions {
  /**
   * Only these keys, each as a file of its name.
   * @default - every key
   */
  readonly keys?: string[];
  /**
   * The files' mode.
   * @default - 0o440 for a Secret, 0o444 for a ConfigMap
   */
  readonly defaultMode?: number;
}

const NEW_CLAIM = shape.object<NewClaimOptions>('NewClaimOptions', {
  size: shape.quantity('10Gi'),
  storageClass: shape.subdomain,
  accessModes: shape.array(shape.enum(AccessMode, 'AccessMode')),
  volumeMode: shape.enum(VolumeMode, 'VolumeMode'),
  keep: shape.boolean,
}, { required: ['size'] });
const FILES = shape.object<ObjectFilesOptions>('ObjectFilesOptions', { keys: shape.array(shape.string), defaultMode: shape.int(0, 0o777, 'give a file mode such as 0o440') });

/**
 * Where a volume of `WebAppProps.volumes` comes from: a new or existing PersistentVolumeClaim,
 * scratch space, or the files of an existing Secret or ConfigMap.
 */
export class VolumeSource {
  /** A PersistentVolumeClaim the app emits, `<app>-<volume>`. */
  public static newClaim(options: NewClaimOptions): VolumeSource {
    checkShape('VolumeSource.newClaim()', 'options', options ?? null, NEW_CLAIM);
    return new VolumeSource('newClaim', undefined, options);
  }

  /** A PersistentVolumeClaim that exists in the app's namespace. */
  public static existingClaim(claimName: string, options: ExistingClaimOptions = {}): VolumeSource {
    checkShape('VolumeSource.existingClaim()', 'claimName', claimName ?? null, shape.subdomain);
    checkShape('VolumeSource.existingClaim()', 'options', options, shape.object<ExistingClaimOptions>('ExistingClaimOptions', { readOnly: shape.boolean }));
    return new VolumeSource('existingClaim', claimName, options);
  }

  /** An emptyDir: scratch space that lives as long as the pod. */
  public static scratch(options: ScratchOptions): VolumeSource {
    checkShape('VolumeSource.scratch()', 'options', options ?? null, shape.object<ScratchOptions>('ScratchOptions', {
      sizeLimit: shape.quantity('1Gi'), inMemory: shape.boolean,
    }, { required: ['sizeLimit'] }));
    return new VolumeSource('scratch', undefined, options);
  }

  /** The files of an existing Secret in the app's namespace. */
  public static secret(secretName: string, options: ObjectFilesOptions = {}): VolumeSource {
    checkShape('VolumeSource.secret()', 'secretName', secretName ?? null, shape.subdomain);
    checkShape('VolumeSource.secret()', 'options', options, FILES);
    return new VolumeSource('secret', secretName, options);
  }

  /** The files of an existing ConfigMap in the app's namespace (`configFiles` makes one of the app's own). */
  public static configMap(configMapName: string, options: ObjectFilesOptions = {}): VolumeSource {
    checkShape('VolumeSource.configMap()', 'configMapName', configMapName ?? null, shape.subdomain);
    checkShape('VolumeSource.configMap()', 'options', options, FILES);
    return new VolumeSource('configMap', configMapName, options);
  }

  private constructor(
    /** The kind of source. */
    public readonly kind: 'newClaim' | 'existingClaim' | 'scratch' | 'secret' | 'configMap',
    /** The existing object's name. */
    public readonly objectName: string | undefined,
    /** The options given. */
    public readonly options: NewClaimOptions | ExistingClaimOptions | ScratchOptions | ObjectFilesOptions,
  ) {}
}

/** A volume of the app's pod: `WebAppProps.volumes`. */
export interface VolumeOptions {
  /** The volume's name (a DNS-1123 label), which mounts name; a new claim is `<app>-<name>`. */
  readonly name: string;
  /** Where it comes from. */
  readonly source: VolumeSource;
  /**
   * Where the app's container mounts it (absolute): a device path for a block volume. Other
   * containers, and more mounts of the app's, name it in their `mounts`.
   * @default - not mounted by the app's container
   */
  readonly mountPath?: string;
  /**
   * The folder of the volume mounted there, instead of its root.
   * @default - its root
   */
  readonly subPath?: string;
  /**
   * Mount it read-only.
   * @default - false; true for a Secret or ConfigMap
   */
  readonly readOnly?: boolean;
}

/** One more mount of a volume, in any container: `WebAppProps.mounts`, `ContainerOptions.mounts`. */
export interface MountOptions {
  /**
   * The volume: one of `volumes`, or the library's own (`config-<name>`, `secret-<name>`,
   * `scratch-<name>` of the config props).
   */
  readonly volume: string;
  /** Where it is mounted (absolute): a device path for a block volume. */
  readonly mountPath: string;
  /**
   * The folder of the volume mounted there (relative, no `..`), instead of its root.
   * @default - its root
   */
  readonly subPath?: string;
  /**
   * Mount it read-only.
   * @default - false; true for a Secret or ConfigMap
   */
  readonly readOnly?: boolean;
}

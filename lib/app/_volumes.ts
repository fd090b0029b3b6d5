import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { errorAt, propError, Where } from '../core/errors';
import { shape } from '../core/_shape';
import { checkDns1123Subdomain, quantityValue } from '../core/_validate';
import { quantity } from '../k8s/_k8s';
import { REASON_ANNOTATION } from '../k8s/_policy';
import { ClaimSpec } from '../resources/_claim';
import { mountFolder } from '../resources/_deployment';
import { ConfigSpec } from './_config';
import type { UpdateStrategy } from './scaling';
import type { ReleaseOptions } from './release';
import { AccessMode, ExistingClaimOptions, MountOptions, NewClaimOptions, ObjectFilesOptions, ScratchOptions, VolumeMode, VolumeOptions, VolumeSource } from './volumes';

/** The props of the volumes concern. */
export interface VolumesProps {
  readonly volumes?: VolumeOptions[];
  readonly mounts?: MountOptions[];
}

/** A volume of the pod, as mounts see it. */
interface PodVolume {
  /** Mounted read-only whatever the mount says (a Secret's or ConfigMap's files, a read-only claim). */
  readonly readOnly: boolean;
  /** A raw block device: mounted as a device, without subPath. */
  readonly block: boolean;
}

/** The app's config, with the volumes of `volumes` and the app container's extra mounts. */
export interface VolumesSpec extends ConfigSpec {
  /** The claims the app emits. */
  readonly claims: ClaimSpec[];
  /** The app container's block devices. */
  readonly devices: k8s.VolumeDevice[];
  /** Every volume of the pod by name, `tmp` and the config props' included. */
  readonly podVolumes: ReadonlyMap<string, PodVolume>;
  /** The volumes `volumes` gives, which some container must mount. */
  readonly given: readonly string[];
  /** The new claims only one pod may mount (ReadWriteOnce, ReadWriteOncePod), by volume name. */
  readonly singlePod: ReadonlyMap<string, { readonly mode: AccessMode; readonly prop: string }>;
}

const SUB_PATH = shape.format(shape.string, checkSubPath);
/** The fields of a mount, shared by the props that mount a volume. */
export const MOUNT_FIELDS = { mountPath: shape.httpPath, subPath: SUB_PATH, readOnly: shape.boolean };

/** A mount of `MountOptions`. */
export const MOUNT_SHAPE = shape.object<MountOptions>('MountOptions', { volume: shape.dns1123Label, ...MOUNT_FIELDS }, { required: ['volume', 'mountPath'] });

/** The run-time shapes of the volumes props. */
export const VOLUME_SHAPES = {
  volumes: shape.array(shape.object<VolumeOptions>('VolumeOptions', {
    name: shape.dns1123Label,
    source: shape.instance(VolumeSource, 'VolumeSource', 'use VolumeSource.newClaim({ size }), VolumeSource.existingClaim(name), VolumeSource.scratch({ sizeLimit }), VolumeSource.secret(name) or VolumeSource.configMap(name)'),
    ...MOUNT_FIELDS,
  }, { required: ['name', 'source'] })),
  mounts: shape.array(MOUNT_SHAPE),
};

/** A folder of the volume: relative, inside it, and what the kubelet accepts. */
function checkSubPath(where: Where, prop: string, subPath: string): void {
  if (subPath === '' || subPath.startsWith('/') || subPath.split('/').includes('..')) {
    throw errorAt(where, prop, subPath, 'is not a relative path inside the volume', 'give a folder of the volume without a leading \'/\' or \'..\', e.g. \'data\'');
  }
}


/**
 * A volume the workload gives each pod itself (a StatefulSet's claim template), not one of the
 * pod template's: mounts name it like any other, and the app's container mounts it by `mount`.
 */
export interface WorkloadVolume {
  /** The prop that declares it, e.g. `statefulSet.claims[0]`. */
  readonly prop: string;
  readonly name: string;
  readonly readOnly: boolean;
  readonly block: boolean;
  readonly mount: MountOptions;
}

/** Adds the volumes a workload gives each pod to `podVolumes`, each under a name of its own. */
function addWorkloadVolumes(scope: IConstruct, podVolumes: Map<string, PodVolume>, workloadVolumes: readonly WorkloadVolume[]): void {
  for (const v of workloadVolumes) {
    if (podVolumes.has(v.name)) {
      throw propError(scope, `${v.prop}.name`, v.name, `is already the name of a volume of the pod (${v.name === 'tmp' ? 'the /tmp scratch space' : 'one of the config props\' or of volumes'})`,
        'give the claim a name of its own');
    }
    podVolumes.set(v.name, { readOnly: v.readOnly, block: v.block });
  }
}

/**
 * The mounts and devices of a worker's claims per replica, in its container beside the mounts
 * it takes from the app's (`config`): each claim under a name no volume of the pod has.
 */
export function workloadMounts(scope: IConstruct, config: Pick<VolumesSpec, 'podVolumes' | 'mounts' | 'devices'>,
  workloadVolumes: readonly WorkloadVolume[]): { mounts: k8s.VolumeMount[]; devices: k8s.VolumeDevice[] } {
  const podVolumes = new Map(config.podVolumes);
  addWorkloadVolumes(scope, podVolumes, workloadVolumes);
  const taken = [...config.mounts, ...config.devices.map(d => ({ name: d.name, mountPath: d.devicePath }))];
  const own = resolveMounts(scope, workloadVolumes.map(v => ({ prop: v.prop, mount: v.mount })), { podVolumes }, taken);
  return { mounts: [...config.mounts, ...own.mounts], devices: [...config.devices, ...own.devices] };
}

/**
 * Validates `volumes` and the app container's `mounts` into the app's config; `workloadVolumes`
 * are the volumes the workload adds to each pod (a StatefulSet's claims per replica).
 */
export function resolveVolumes(scope: IConstruct, props: VolumesProps, config: ConfigSpec, app: { readonly name: string },
  workloadVolumes: readonly WorkloadVolume[] = []): VolumesSpec {
  const podVolumes = new Map<string, PodVolume>([['tmp', { readOnly: false, block: false }]]);
  for (const v of config.volumes) {
    podVolumes.set(v.name, { readOnly: v.secret !== undefined || v.configMap !== undefined, block: false });
  }
  addWorkloadVolumes(scope, podVolumes, workloadVolumes);
  const volumes = [...config.volumes];
  const claims: ClaimSpec[] = [];
  const singlePod = new Map<string, { mode: AccessMode; prop: string }>();
  const scratch = { ...config.scratchBytes };
  (props.volumes ?? []).forEach((v, i) => {
    const at = `volumes[${i}]`;
    if (podVolumes.has(v.name)) {
      const owner = workloadVolumes.find(w => w.name === v.name);
      throw propError(scope, `${at}.name`, v.name, `is already the name of a volume of the pod (${v.name === 'tmp' ? 'the /tmp scratch space'
        : owner !== undefined ? `the claim per replica of ${owner.prop}` : 'one of the config props\''})`, 'give the volume a name of its own');
    }
    const { volume, claim, readOnly, block } = volumeOf(scope, at, v.name, v.source, app);
    volumes.push(volume);
    podVolumes.set(v.name, { readOnly, block });
    if (claim !== undefined) {
      claims.push(claim);
      const only = claim.accessModes.find(m => m === AccessMode.READ_WRITE_ONCE || m === AccessMode.READ_WRITE_ONCE_POD);
      if (only !== undefined && !claim.accessModes.includes(AccessMode.READ_WRITE_MANY)) {
        singlePod.set(v.name, { mode: only, prop: `${at}.source` });
      }
    }
    if (v.source.kind === 'scratch') {
      const options = v.source.options as ScratchOptions;
      scratch[options.inMemory ? 'memory' : 'disk'] += quantityValue(options.sizeLimit);
    }
  });
  const shorthand: Array<{ prop: string; mount: MountOptions }> = workloadVolumes.map(v => ({ prop: v.prop, mount: v.mount }));
  (props.volumes ?? []).forEach((v, i) => {
    if (v.mountPath !== undefined) {
      shorthand.push({ prop: `volumes[${i}]`, mount: { volume: v.name, mountPath: v.mountPath, subPath: v.subPath, readOnly: v.readOnly } });
    } else if (v.subPath !== undefined || v.readOnly !== undefined) {
      const prop = v.subPath !== undefined ? 'subPath' : 'readOnly';
      throw propError(scope, `volumes[${i}].${prop}`, v[prop], 'is set, but the volume has no mountPath', 'give its mountPath, or set it on the mount in `mounts`');
    }
  });
  const spec = { ...config, volumes, claims, podVolumes, singlePod, given: (props.volumes ?? []).map(v => v.name), scratchBytes: scratch, devices: [] as k8s.VolumeDevice[] };
  const own = resolveMounts(scope, [
    ...shorthand,
    ...(props.mounts ?? []).map((mount, i) => ({ prop: `mounts[${i}]`, mount })),
  ], spec, config.mounts);
  return { ...spec, mounts: [...config.mounts, ...own.mounts], devices: own.devices };
}

/** The pod volume and claim of one `VolumeSource`. */
function volumeOf(scope: IConstruct, at: string, name: string, source: VolumeSource, app: { readonly name: string }): { volume: k8s.Volume; claim?: ClaimSpec; readOnly: boolean; block: boolean } {
  switch (source.kind) {
    case 'newClaim': {
      const o = source.options as NewClaimOptions;
      const claimName = checkDns1123Subdomain(scope, `${at}.name`, `${app.name}-${name}`);
      const accessModes = [...(o.accessModes ?? [AccessMode.READ_WRITE_ONCE])];
      if (accessModes.length === 0 || new Set(accessModes).size !== accessModes.length) {
        throw propError(scope, `${at}.source.accessModes`, accessModes, accessModes.length === 0 ? 'is empty' : 'names an access mode twice',
          'give each access mode the claim needs once, e.g. [AccessMode.READ_WRITE_ONCE]');
      }
      const block = o.volumeMode === VolumeMode.BLOCK;
      const id = `Claim${name.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
      return {
        volume: { name, persistentVolumeClaim: { claimName } },
        claim: { id, name: claimName, volume: name, size: o.size, storageClass: o.storageClass, accessModes, volumeMode: o.volumeMode ?? VolumeMode.FILESYSTEM, keep: o.keep ?? true },
        readOnly: accessModes.length === 1 && accessModes[0] === AccessMode.READ_ONLY_MANY,
        block,
      };
    }
    case 'existingClaim': {
      const readOnly = (source.options as ExistingClaimOptions).readOnly ?? false;
      return { volume: { name, persistentVolumeClaim: { claimName: source.objectName!, ...(readOnly ? { readOnly } : {}) } }, readOnly, block: false };
    }
    case 'scratch': {
      const o = source.options as ScratchOptions;
      return { volume: { name, emptyDir: { ...(o.inMemory ? { medium: 'Memory' } : {}), sizeLimit: quantity(o.sizeLimit) } }, readOnly: false, block: false };
    }
    default: {
      const o = source.options as ObjectFilesOptions;
      const mode = shape.whole(o.defaultMode ?? (source.kind === 'secret' ? 0o440 : 0o444));
      if (mode & 0o022) {
        throw propError(scope, `${at}.source.defaultMode`, `0o${mode.toString(8)}`, 'lets the group or others write the files', 'use a read-only mode such as 0o440');
      }
      const keys = [...(o.keys ?? [])];
      for (const key of keys) {
        if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
          throw propError(scope, `${at}.source.keys`, key, `is not a valid key of a ${source.kind === 'secret' ? 'Secret' : 'ConfigMap'}`, 'use letters, digits, \'-\', \'_\' and \'.\'');
        }
      }
      const items = keys.length > 0 ? { items: keys.map(key => ({ key, path: key })) } : {};
      return {
        volume: source.kind === 'secret'
          ? { name, secret: { secretName: source.objectName!, defaultMode: mode, ...items } }
          : { name, configMap: { name: source.objectName!, defaultMode: mode, ...items } },
        readOnly: true,
        block: false,
      };
    }
  }
}

/**
 * One container's mounts and devices: each names a volume of the pod, takes a path of its own
 * (beside `taken`, the container's other mounts), and is read-only where its volume is.
 */
export function resolveMounts(scope: IConstruct, mounts: ReadonlyArray<{ prop: string; mount: MountOptions }>, pod: Pick<VolumesSpec, 'podVolumes'>,
  taken: readonly k8s.VolumeMount[]): { mounts: k8s.VolumeMount[]; devices: k8s.VolumeDevice[] } {
  const paths = new Map<string, string>([['/tmp', 'the /tmp scratch space every container has'], ...taken.map(m => [mountFolder(m.mountPath), `volume "${m.name}"`] as [string, string])]);
  const result = { mounts: [] as k8s.VolumeMount[], devices: [] as k8s.VolumeDevice[] };
  for (const { prop, mount } of mounts) {
    const volume = pod.podVolumes.get(mount.volume);
    if (volume === undefined) {
      throw propError(scope, `${prop}.volume`, mount.volume, 'is not a volume of the pod',
        `name one of ${[...pod.podVolumes.keys()].map(n => `'${n}'`).join(', ')}, or add it to volumes`);
    }
    const folder = mountFolder(mount.mountPath);
    const owner = paths.get(folder);
    if (owner !== undefined) {
      throw propError(scope, `${prop}.mountPath`, mount.mountPath, `is already the mount path of ${owner} in this container${folder !== mount.mountPath ? ` (it is ${folder})` : ''}`,
        'mount each volume at a path of its own');
    }
    if (folder === '/') {
      throw propError(scope, `${prop}.mountPath`, mount.mountPath, 'is the root of the container\'s filesystem', 'mount the volume at a folder of its own, e.g. \'/data\'');
    }
    paths.set(folder, `volume "${mount.volume}"`);
    if (volume.block) {
      if (mount.subPath !== undefined || mount.readOnly !== undefined) {
        throw propError(scope, `${prop}.${mount.subPath !== undefined ? 'subPath' : 'readOnly'}`, mount.subPath ?? mount.readOnly, 'is set on a block volume, which is a device, not a folder',
          'leave it out: the container gets the device at mountPath');
      }
      result.devices.push({ name: mount.volume, devicePath: mount.mountPath });
      continue;
    }
    if (mount.readOnly === false && volume.readOnly) {
      throw propError(scope, `${prop}.readOnly`, false, `asks to write volume "${mount.volume}", which is read-only`, 'leave readOnly out, or mount a writable volume');
    }
    result.mounts.push({
      name: mount.volume, mountPath: mount.mountPath,
      ...(mount.subPath !== undefined ? { subPath: mount.subPath } : {}),
      ...(mount.readOnly ?? volume.readOnly ? { readOnly: true } : {}),
    });
  }
  return result;
}

/** What may run the pods that mount a claim only one pod may hold. */
export interface SinglePodUse {
  readonly replicas?: number;
  readonly autoscaler?: unknown;
  readonly strategy: UpdateStrategy;
  /** The app's sidecars, which run in its companions' pods too. */
  readonly sidecars: readonly k8s.Container[];
  /** Workers, scheduled jobs and release jobs, whose pods mount what the app's container and sidecars mount. */
  readonly companions: { readonly workers?: readonly unknown[]; readonly scheduledJobs?: readonly unknown[]; readonly release?: ReleaseOptions };
  /** The app is a StatefulSet: it never surges, each pod stops before its replacement starts. */
  readonly statefulSet: boolean;
}

/**
 * A ReadWriteOnce claim held by more than one pod: a second replica, an autoscaler's, the
 * surge pod of a rolling update, or a worker's or job's, may land on another node and never
 * start (and with ReadWriteOncePod, never start at all).
 */
export function checkSinglePodClaims(scope: IConstruct, spec: Pick<VolumesSpec, 'singlePod' | 'claims' | 'mounts' | 'devices'>, use: SinglePodUse): void {
  const { workers = [], scheduledJobs = [], release } = use.companions;
  const companions = workers.length + scheduledJobs.length + (release?.migration ? 1 : 0) + (release?.afterRelease ?? []).length;
  const shared = new Set([...spec.mounts, ...spec.devices, ...use.sidecars.flatMap(c => [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? [])])].map(m => m.name));
  for (const [volume, { mode, prop }] of spec.singlePod) {
    const claim = spec.claims.find(c => c.volume === volume)!;
    const perReplica = `or give each replica a claim of its own: statefulSet: { claims: [{ name: '${volume}', size: '${claim.size}', mountPath }] } instead of this volume`;
    const fix = use.statefulSet
      ? `run one replica, or give the claim accessModes: [AccessMode.READ_WRITE_MANY] (file storage), ${perReplica}`
      : `run one replica with updateStrategy: UpdateStrategy.recreate(), or give the claim accessModes: [AccessMode.READ_WRITE_MANY] (file storage), ${perReplica} (a StatefulSet)`;
    const problem = use.autoscaler !== undefined ? 'the app has an autoscaler, which adds pods'
      : (use.replicas ?? 2) > 1 ? `the app runs ${use.replicas ?? 2} replicas`
        : !use.statefulSet && use.strategy.type !== 'Recreate' ? 'a rolling update starts the new pod before the old one stops'
          : companions > 0 && shared.has(volume) ? 'the app\'s workers, scheduled jobs or release jobs mount it too, in pods of their own' : undefined;
    if (problem !== undefined) {
      throw propError(scope, prop, mode,
        `lets one ${mode === AccessMode.READ_WRITE_ONCE_POD ? 'pod' : 'node'} mount claim "${claim.name}", but ${problem}: a pod that cannot mount it never starts`, fix);
    }
  }
}

/** The pod volumes of `config` that the main container (its mounts) or `containers` mount. */
export function mountedVolumes(config: Pick<VolumesSpec, 'volumes' | 'mounts' | 'devices'>, containers: readonly k8s.Container[]): k8s.Volume[] {
  const used = new Set([...config.mounts, ...config.devices, ...containers.flatMap(c => [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? [])])].map(m => m.name));
  return config.volumes.filter(v => used.has(v.name));
}

/**
 * The checkers' exemption of an app that runs one replica because a claim only one pod may
 * mount allows no more (Polaris and kube-linter ask for more replicas), with its reason.
 */
export function singleReplicaExemption(spec: Pick<VolumesSpec, 'singlePod' | 'claims'>, replicas: number | undefined): Record<string, string> {
  if (spec.singlePod.size === 0 || replicas !== 1) {
    return {};
  }
  const claims = [...spec.singlePod.keys()].map(volume => `"${spec.claims.find(c => c.volume === volume)!.name}"`).join(', ');
  return {
    'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true',
    'ignore-check.kube-linter.io/minimum-three-replicas': `one replica: the only pod that may mount claim ${claims}`,
    [REASON_ANNOTATION]: `deploymentMissingReplicas, minimum-three-replicas: one replica, the only pod that may mount ReadWriteOnce claim ${claims}`,
  };
}

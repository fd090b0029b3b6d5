import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { APPLY_UNSAFE } from '../k8s/_apply-safe';
import { mountFolder, QuantityPair } from '../resources/_deployment';
import { errorAt, propError, Where } from '../core/errors';
import { shape } from '../core/_shape';
import { checkDns1123Label, checkDns1123Subdomain, quantityValue } from '../core/_validate';
import { ConfigFilesOptions, EnvFrom, FileContent, ScratchVolumeOptions, SecretFilesOptions } from './config-files';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, quantity } from '../k8s/_k8s';

/** The props of the config and volumes concern. */
export interface ConfigProps {
  readonly configFiles?: ConfigFilesOptions[];
  readonly secretFiles?: SecretFilesOptions[];
  readonly envFrom?: EnvFrom[];
  readonly scratchVolumes?: ScratchVolumeOptions[];
}

/** One ConfigMap the app emits. */
export interface ConfigMapSpec {
  /** Its construct id: `Config` and the short name in PascalCase. */
  readonly id: string;
  readonly name: string;
  readonly data: Record<string, string>;
  /** Files that are not UTF-8 text, base64-encoded. */
  readonly binaryData: Record<string, string>;
}

/** The API server's limit on a ConfigMap's files together (data and binaryData). */
const CONFIG_MAP_LIMIT = 1024 * 1024;

/** The config and volumes of the app's pod, validated, ready for the Deployment. */
export interface ConfigSpec {
  readonly configMaps: ConfigMapSpec[];
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
  readonly envFrom: k8s.EnvFromSource[];
  /** Pod-template annotations: a content hash per ConfigMap, so a change rolls the pods. */
  readonly podAnnotations: Record<string, string>;
  /** Bytes of scratch space on disk and in memory, to add to the requests and limits. */
  readonly scratchBytes: { readonly disk: number; readonly memory: number };
}

/** The run-time shapes of the config props. */
export const CONFIG_SHAPES = {
  configFiles: shape.array(shape.object<ConfigFilesOptions>('ConfigFilesOptions', {
    name: shape.string, mountPath: shape.httpPath,
    files: shape.record(shape.oneOf(shape.string, shape.instance(FileContent, 'FileContent', 'use FileContent.fromText(...) or FileContent.fromFile(path)')), checkFileName),
  }, { required: ['name', 'mountPath', 'files'] })),
  secretFiles: shape.array(shape.object<SecretFilesOptions>('SecretFilesOptions', {
    secretName: shape.subdomain, mountPath: shape.httpPath, keys: shape.array(shape.format(shape.string, checkSecretKey)),
    defaultMode: shape.format(shape.int(0, 0o777, 'give a file mode such as 0o440'), checkReadOnlyMode),
  }, { required: ['secretName', 'mountPath'] })),
  envFrom: shape.array(shape.instance(EnvFrom, 'EnvFrom', 'use EnvFrom.configMap(name) or EnvFrom.secret(name)')),
  scratchVolumes: shape.array(shape.object<ScratchVolumeOptions>('ScratchVolumeOptions', {
    name: shape.string, mountPath: shape.httpPath, sizeLimit: shape.quantity('1Gi'), inMemory: shape.boolean,
  }, { required: ['name', 'mountPath', 'sizeLimit'] })),
};

const KEY = /^[-._a-zA-Z0-9]+$/;

/** A ConfigMap key, which is the file's name in the mount. */
function checkFileName(where: Where, prop: string, file: string): void {
  // The API server's rule for a ConfigMap key; `..` at the start is the kubelet's (`..data`).
  if (!KEY.test(file) || file.length > 253 || file.startsWith('..') || file === '.') {
    throw errorAt(where, prop, file, 'is not a valid file name in a ConfigMap', 'use letters, digits, \'-\', \'_\' and \'.\'');
  }
}

function checkSecretKey(where: Where, prop: string, key: string): void {
  if (!KEY.test(key)) {
    throw errorAt(where, prop, key, 'is not a valid key of a Secret', 'use letters, digits, \'-\', \'_\' and \'.\'');
  }
}

/** Secret files no one but the owner and group may write. */
function checkReadOnlyMode(where: Where, prop: string, mode: number): void {
  if (mode & 0o022) {
    throw errorAt(where, prop, `0o${mode.toString(8)}`, 'lets the group or others write the secret files', 'use a read-only mode such as 0o440');
  }
}

/** Validates config files, secret files, envFrom and scratch volumes of `app` into a ConfigSpec. */
export function resolveConfig(scope: IConstruct, props: ConfigProps, app: { readonly name: string }): ConfigSpec {
  const scratch = { disk: 0, memory: 0 };
  const spec: ConfigSpec = { configMaps: [], volumes: [], mounts: [], envFrom: [], podAnnotations: {}, scratchBytes: scratch };
  const paths = new Map<string, string>([['/tmp', 'the /tmp scratch space every app has']]);
  const claimPath = (prop: string, mountPath: string) => {
    const folder = mountFolder(mountPath);
    const owner = paths.get(folder);
    if (owner !== undefined) {
      throw propError(scope, prop, mountPath, `is already the mount path of ${owner}${folder !== mountPath ? ` (it is ${folder})` : ''}`,
        'mount each volume at a path of its own');
    }
    if (folder === '/') {
      throw propError(scope, prop, mountPath, 'is the root of the container\'s filesystem', 'mount the volume at a folder of its own, e.g. \'/etc/app\'');
    }
    paths.set(folder, prop);
  };
  const volumeName = (prop: string, prefix: string, name: string) => checkDns1123Label(scope, prop, `${prefix}-${name}`);

  (props.configFiles ?? []).forEach((c, i) => {
    const at = `configFiles[${i}]`;
    const volume = volumeName(`${at}.name`, 'config', c.name);
    const name = checkDns1123Subdomain(scope, `${at}.name`, `${app.name}-${c.name}`);
    claimPath(`${at}.mountPath`, c.mountPath);
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    let size = 0;
    for (const [file, content] of Object.entries(c.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const read = typeof content === 'string' ? content : readContent(scope, `${at}.files["${file}"]`, content);
      // Text kubectl's server-side apply cannot carry (DEL, C1 controls) goes as its UTF-8 bytes too.
      const kept = typeof read === 'string' && APPLY_UNSAFE.test(read) ? Buffer.from(read, 'utf8') : read;
      if (typeof kept === 'string') {
        data[file] = kept;
        size += Buffer.byteLength(kept);
      } else {
        binaryData[file] = kept.toString('base64');
        size += kept.length;
      }
    }
    if (size > CONFIG_MAP_LIMIT) {
      throw propError(scope, `${at}.files`, `${size} bytes`, `is over the ${CONFIG_MAP_LIMIT} bytes (1 MiB) the API server allows in one ConfigMap`,
        'split the files into several configFiles, or ship large data in the image or a volume');
    }
    if (Object.keys(data).length + Object.keys(binaryData).length === 0) {
      throw propError(scope, `${at}.files`, c.files, 'is empty, so nothing would be mounted', 'give at least one file');
    }
    const id = `Config${c.name.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
    if (spec.configMaps.some(m => m.name === name)) {
      throw propError(scope, `${at}.name`, c.name, 'names two sets of config files', 'give each set a name of its own');
    }
    spec.configMaps.push({ id, name, data, binaryData });
    spec.volumes.push({ name: volume, configMap: { name } });
    spec.mounts.push({ name: volume, mountPath: c.mountPath, readOnly: true });
    // A content hash in the pod template: a changed file rolls the pods. (Content-named,
    // immutable ConfigMaps would need the old ones kept until a rollout ends: that is pruning.)
    const hashed = Object.keys(binaryData).length === 0 ? data : { data, binaryData };
    spec.podAnnotations[`checksum/${volume}`] = createHash('sha256').update(JSON.stringify(hashed)).digest('hex');
  });

  (props.secretFiles ?? []).forEach((s, i) => {
    const at = `secretFiles[${i}]`;
    const secretName = s.secretName;
    const volume = volumeName(`${at}.secretName`, 'secret', secretName.replace(/\./g, '-'));
    claimPath(`${at}.mountPath`, s.mountPath);
    const mode = shape.whole(s.defaultMode ?? 0o440);
    const keys = [...(s.keys ?? [])];
    spec.volumes.push({
      name: volume,
      secret: { secretName, defaultMode: mode, ...(keys.length > 0 ? { items: keys.map(key => ({ key, path: key })) } : {}) },
    });
    spec.mounts.push({ name: volume, mountPath: s.mountPath, readOnly: true });
  });

  (props.envFrom ?? []).forEach((e, i) => {
    const at = `envFrom[${i}]`;
    const name = checkDns1123Subdomain(scope, `${at}.name`, e.name);
    if (e.options.prefix !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.options.prefix)) {
      throw propError(scope, `${at}.prefix`, e.options.prefix, 'is not a valid start of an environment variable name', 'use letters, digits and \'_\', e.g. \'DB_\'');
    }
    const ref = { name, ...(e.options.optional !== undefined ? { optional: e.options.optional } : {}) };
    spec.envFrom.push({
      ...(e.options.prefix !== undefined ? { prefix: e.options.prefix } : {}),
      ...(e.kind === 'configMap' ? { configMapRef: ref } : { secretRef: ref }),
    });
  });

  (props.scratchVolumes ?? []).forEach((v, i) => {
    const at = `scratchVolumes[${i}]`;
    const volume = volumeName(`${at}.name`, 'scratch', v.name);
    claimPath(`${at}.mountPath`, v.mountPath);
    const bytes = quantityValue(v.sizeLimit);
    scratch[v.inMemory ? 'memory' : 'disk'] += bytes;
    spec.volumes.push({
      name: volume,
      emptyDir: { ...(v.inMemory ? { medium: 'Memory' } : {}), sizeLimit: quantity(v.sizeLimit) },
    });
    spec.mounts.push({ name: volume, mountPath: v.mountPath });
  });
  if (new Set(spec.volumes.map(v => v.name)).size !== spec.volumes.length) {
    const twice = spec.volumes.map(v => v.name).find((n, i, all) => all.indexOf(n) !== i);
    throw propError(scope, 'volumes', twice, 'is the name of two volumes', 'give the config files, secret files and scratch volumes distinct names');
  }
  return spec;
}

function readContent(scope: IConstruct, prop: string, content: FileContent): string | Buffer {
  try {
    return content._content();
  } catch (error) {
    throw propError(scope, prop, content.source, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'give a path relative to the folder synth runs in, to a file that exists');
  }
}

/** `pair` with `bytes` added to its request and limit, as a whole quantity in Mi, Ki or bytes. */
export function withScratch(pair: QuantityPair | undefined, bytes: number): QuantityPair | undefined {
  if (pair === undefined || bytes === 0) {
    return pair;
  }
  const add = (quantity: string | undefined) => (quantity === undefined ? undefined : formatBytes(parseBytes(quantity) + bytes));
  return { request: add(pair.request), limit: add(pair.limit) };
}

function parseBytes(quantity: string): number {
  return Math.ceil(quantityValue(quantity));
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes % size === 0) {
      return `${bytes / size}${unit}`;
    }
  }
  return String(bytes);
}

/** The app's ConfigMaps, in its namespace. */
export function renderConfigMaps(scope: Construct, specs: readonly ConfigMapSpec[], meta: { namespace: string; labels: Record<string, string> }): ApiObject[] {
  return specs.map(spec => new StrictApiObject(scope, spec.id, manifestOf(KINDS.KubeConfigMap, {
    metadata: { name: spec.name, namespace: meta.namespace, labels: meta.labels },
    ...(Object.keys(spec.data).length > 0 || Object.keys(spec.binaryData).length === 0 ? { data: spec.data } : {}),
    ...(Object.keys(spec.binaryData).length > 0 ? { binaryData: spec.binaryData } : {}),
  })));
}

/**
 * Synth-time check of the app's rendered workload (Deployment or StatefulSet): every ConfigMap its
 * config volumes (`config-<name>`) mount is one of the app's `configMaps`. (A volume of
 * `VolumeSource.configMap()` names one that exists.)
 */
export function configMountErrors(workload: any, configMaps: readonly any[]): string[] {
  const emitted = new Set(configMaps.map(c => c.metadata.name));
  return (workload.spec.template.spec.volumes ?? [])
    .filter((volume: any) => volume.configMap && String(volume.name).startsWith('config-') && !emitted.has(volume.configMap.name))
    .map((volume: any) => `${workload.kind} mounts ConfigMap "${volume.configMap.name}", which the app does not emit; mount one of its configFiles`);
}

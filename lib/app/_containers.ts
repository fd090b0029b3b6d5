import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { mergeEnv, PodSpec, PROCESS_SHAPES, resolveEnv, resolveResources } from './_pod';
import { PROBE_SHAPE, ProbeTarget, renderProbe } from './_probe';
import { restrictedSecurityContext } from '../resources/_security';
import { shape, Shape } from '../core/_shape';
import { checkPortName } from '../core/_validate';
import { ContainerOptions, SidecarMode, SidecarOptions } from './containers';
import { quantity } from '../k8s/_k8s';
import { MOUNT_SHAPE, resolveMounts, VolumesSpec } from './_volumes';

// Keys in the order the messages list them: name, image, then the process fields.
const { command, args, env, resources } = PROCESS_SHAPES;
const CONTAINER_FIELDS = { name: shape.dns1123Label, image: shape.image, command, args, env, resources, inherit: shape.boolean, mounts: shape.array(MOUNT_SHAPE) };

/** The run-time shapes of the container props. */
export const CONTAINER_SHAPES = {
  initContainers: shape.array(shape.object<ContainerOptions>('ContainerOptions', CONTAINER_FIELDS, { required: ['name'] })),
  sidecars: shape.array(shape.object<SidecarOptions>('SidecarOptions', {
    ...CONTAINER_FIELDS, readiness: PROBE_SHAPE, liveness: PROBE_SHAPE, port: shape.port,
  }, { required: ['name'] })),
  sidecarMode: shape.enum(SidecarMode, 'SidecarMode'),
} satisfies Record<string, Shape>;

/** The props of the containers concern. */
export interface ContainersProps {
  readonly initContainers?: ContainerOptions[];
  readonly sidecars?: SidecarOptions[];
  readonly sidecarMode?: SidecarMode;
}

/** What the app's container shares with the others: image, env, config mounts, security. */
export interface SharedContainer {
  readonly name: string;
  /** The pod's other ports (the metrics port), which no sidecar may take. */
  readonly extraPorts: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  readonly pod: PodSpec;
  readonly envFrom: k8s.EnvFromSource[];
  /** The pod's volumes, and the app container's mounts of them. */
  readonly volumes: Pick<VolumesSpec, 'podVolumes' | 'given' | 'mounts' | 'devices'>;
}

/** The pod's extra containers, rendered: init containers, and sidecars native or plain. */
export interface ContainersSpec {
  readonly inits: k8s.Container[];
  readonly sidecars: k8s.Container[];
  readonly native: boolean;
}

/** Where the containers go in a pod: native sidecars first among the init containers. */
export function podContainers(spec: ContainersSpec, withInits: boolean): { initContainers: k8s.Container[]; sidecars: k8s.Container[] } {
  const inits = withInits ? spec.inits : [];
  return spec.native ? { initContainers: [...spec.sidecars, ...inits], sidecars: [] } : { initContainers: inits, sidecars: spec.sidecars };
}

/** Validates init containers and sidecars into containers with the app's security defaults. */
export function resolveContainers(scope: IConstruct, props: ContainersProps, app: SharedContainer): ContainersSpec {
  const names = new Set([app.name]);
  const build = (prop: string, c: ContainerOptions, inherits: boolean, extra: Partial<k8s.Container> = {}): k8s.Container => {
    const name = c.name;
    if (names.has(name)) {
      throw propError(scope, `${prop}.name`, name, 'is the name of another container of the pod', 'give every container a name of its own');
    }
    names.add(name);
    const env = Object.entries(c.env ?? {}).map(([key, value]) => resolveEnv(scope, key, value));
    const inherit = c.inherit ?? inherits;
    const shared = inherit ? { env: app.pod.env, envFrom: app.envFrom, mounts: app.volumes.mounts, devices: app.volumes.devices } : { env: [] as k8s.EnvVar[], envFrom: [] as k8s.EnvFromSource[], mounts: [] as k8s.VolumeMount[], devices: [] as k8s.VolumeDevice[] };
    const own = resolveMounts(scope, (c.mounts ?? []).map((mount, i) => ({ prop: `${prop}.mounts[${i}]`, mount })), app.volumes, shared.mounts);
    const devices = [...shared.devices, ...own.devices];
    const resources = resolveResources(scope, `${prop}.resources`, c.resources);
    const quantities = (side: 'request' | 'limit') => Object.fromEntries(Object.entries(resources)
      .filter(([, pair]) => pair?.[side] !== undefined).map(([resource, pair]) => [resource, quantity(pair![side]!)]));
    return {
      name,
      image: c.image ?? app.pod.image,
      imagePullPolicy: app.pod.imagePullPolicy,
      ...(c.command ? { command: [...c.command] } : {}),
      ...(c.args ? { args: [...c.args] } : {}),
      ...(shared.env.length + env.length > 0 ? { env: mergeEnv(shared.env, env) } : {}),
      ...(shared.envFrom.length > 0 ? { envFrom: shared.envFrom } : {}),
      resources: { requests: quantities('request'), limits: quantities('limit') },
      securityContext: restrictedSecurityContext(app.pod),
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...shared.mounts, ...own.mounts],
      ...(devices.length > 0 ? { volumeDevices: devices } : {}),
      ...extra,
    };
  };
  const initContainers = (props.initContainers ?? []).map((c, i) => build(`initContainers[${i}]`, c, true));
  const native = (props.sidecarMode ?? SidecarMode.NATIVE) === SidecarMode.NATIVE;
  // The pod's ports, by number and by name: one network namespace, and Services pick ports by name.
  const ports = new Map<number | string, string>([
    [app.pod.portNumber, 'the app\'s port'], [app.pod.portName, 'the app\'s port'], ['http', 'the Service\'s port'],
    ...app.extraPorts.flatMap(p => [[p.port, `the ${p.name} port`], [p.name, `the ${p.name} port`]] as Array<[number | string, string]>),
  ]);
  const sidecars = (props.sidecars ?? []).map((c, i) => {
    const prop = `sidecars[${i}]`;
    const portName = c.port === undefined ? undefined : checkPortName(scope, `${prop}.name`, c.name.slice(0, 15));
    for (const [key, what] of c.port === undefined ? [] : [[c.port, `${prop}.port`], [portName!, `${prop}.name`]] as Array<[number | string, string]>) {
      const owner = ports.get(key);
      if (owner !== undefined) {
        throw propError(scope, what, key, `is already ${owner} in the pod`, 'give the sidecar a port number and a name (its first 15 characters) of its own');
      }
      ports.set(key, `the port of ${prop}`);
    }
    const target: ProbeTarget = {
      what: 'the sidecar',
      ports: c.port === undefined ? [] : [{ name: portName!, number: c.port }],
      noPort: { problem: 'is left out, and the sidecar has no port to probe by default', fix: `give the sidecar its port (${prop}.port), or use Probe.exec([...])` },
    };
    const probe = (key: 'readiness' | 'liveness') => (c[key] === undefined ? {}
      : { [`${key}Probe`]: renderProbe(scope, `${prop}.${key}`, c[key]!, target) });
    return build(prop, c, false, {
      ...(c.port !== undefined ? { ports: [{ name: portName!, containerPort: c.port, protocol: 'TCP' }] } : {}),
      ...probe('readiness'),
      ...probe('liveness'),
      ...(native ? { restartPolicy: 'Always' } : {}),
    });
  });
  // Every volume the props give is mounted somewhere: one that is not is a mistake (a mount forgotten, or misspelt).
  const mounted = new Set([
    ...[...app.volumes.mounts, ...app.volumes.devices].map(m => m.name),
    ...[...initContainers, ...sidecars].flatMap(c => [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? [])].map(m => m.name)),
  ]);
  app.volumes.given.forEach((volume, i) => {
    if (!mounted.has(volume)) {
      throw propError(scope, `volumes[${i}]`, volume, 'is mounted by no container of the pod', 'give it a mountPath, or name it in a container\'s mounts, or remove it');
    }
  });
  return { inits: initContainers, sidecars, native };
}

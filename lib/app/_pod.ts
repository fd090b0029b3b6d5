import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { DeploymentSpec, QuantityPair } from '../resources/_deployment';
import { applyUnsafeCharacter } from '../k8s/_apply-safe';
import { errorAt, propError } from '../core/errors';
import { checkDns1123Subdomain, checkEnvName, quantityValue } from '../core/_validate';
import { EnvValue } from './env-value';
import { Shape, shape } from '../core/_shape';
import { ImagePullPolicy, PreStopMode, ProbesOptions, ResourceQuantities, ResourcesOptions, SecurityException, SecurityOptions, ShutdownOptions } from './pod';
import { Probe } from './probe';
import { PROBE_SHAPE, ProbeTarget, renderProbe, sameCheck, startupFrom } from './_probe';
import { HOST_ID_LIMIT } from '../k8s/_policy';

/** The app's pod, validated and with every default filled in: what the Deployment renders. */
export type PodSpec = Omit<DeploymentSpec, 'name' | 'namespace' | 'labels' | 'selector' | 'annotations' | 'replicas'>;

/** The props of the pod concern. */
export interface PodProps {
  readonly image: string;
  readonly imagePullPolicy?: ImagePullPolicy;
  readonly imagePullSecrets?: string[];
  readonly env?: Record<string, EnvValue>;
  readonly resources?: ResourcesOptions;
  readonly probes?: ProbesOptions;
  readonly security?: SecurityOptions;
  readonly shutdown?: ShutdownOptions;
}

/** The requests and limits of one resource; `example` shows a quantity of it in the hint. */
function quantities(example: string): Shape {
  const quantity = shape.oneOf(shape.quantity(example), shape.false);
  return shape.oneOf(shape.false, shape.object<ResourceQuantities>('ResourceQuantities', { request: quantity, limit: quantity }));
}

const DEFAULT_RESOURCES: Record<keyof ResourcesOptions, { request: string; limit: string; example: string }> = {
  cpu: { request: '100m', limit: '1', example: '250m' },
  memory: { request: '256Mi', limit: '256Mi', example: '512Mi' },
  ephemeralStorage: { request: '128Mi', limit: '1Gi', example: '1Gi' },
};

/** The run-time shapes of the pod props, for the construct that takes them. */
export const POD_SHAPES = {
  imagePullPolicy: shape.enum(ImagePullPolicy, 'ImagePullPolicy'),
  imagePullSecrets: shape.array(shape.dns1123Label),
  env: shape.record(shape.instance(EnvValue, 'EnvValue', 'use EnvValue.fromValue(...), fromSecret(...), fromConfigMap(...), fromPodField(...), fromPodLabel(...), fromPodAnnotation(...) or fromResource(...)'), checkEnvName),
  resources: shape.object<ResourcesOptions>('ResourcesOptions', {
    cpu: quantities(DEFAULT_RESOURCES.cpu.example), memory: quantities(DEFAULT_RESOURCES.memory.example), ephemeralStorage: quantities(DEFAULT_RESOURCES.ephemeralStorage.example),
  }),
  probes: shape.object<ProbesOptions>('ProbesOptions', { readiness: PROBE_SHAPE, liveness: PROBE_SHAPE, startup: shape.oneOf(shape.false, PROBE_SHAPE), sameCheckReason: shape.string }),
  security: shape.object<SecurityOptions>('SecurityOptions', {
    runAsUser: shape.int(1, 2147483647, 'give a UID other than 0: Pod Security "restricted" refuses root'),
    runAsGroup: shape.int(1, 2147483647, 'give a GID other than 0: Pod Security "restricted" refuses root'),
    readOnlyRootFilesystem: shape.boolean,
    exception: shape.object<SecurityException>('SecurityException', {
      reason: shape.format(shape.string, (w, p, r: string) => {
        if (r.trim() === '') {
          throw errorAt(w, p, r, 'is empty', 'say why the image needs the exception');
        }
      }),
      lowIds: shape.boolean, netBindService: shape.boolean,
    }, { required: ['reason'] }),
  }),
  shutdown: shape.object<ShutdownOptions>('ShutdownOptions', {
    preStopDelaySeconds: shape.int(0, 300), preStopMode: shape.enum(PreStopMode, 'PreStopMode'), terminationGracePeriodSeconds: shape.int(1, 3600),
  }),
} satisfies Record<string, Shape>;

/** The shapes every extra process (init container, sidecar, worker, scheduled job) shares with the server's. */
export const PROCESS_SHAPES = {
  name: shape.string,
  command: shape.array(shape.string),
  args: shape.array(shape.string),
  env: POD_SHAPES.env,
  resources: POD_SHAPES.resources,
} satisfies Record<string, Shape>;


/**
 * Validates the pod props (the image is checked by the caller) into a PodSpec; `extraPorts` are
 * the container's other ports (the metrics port), which its probes may check too.
 */
export function resolvePod(scope: IConstruct, props: PodProps, port: { readonly name: string; readonly number: number },
  extraPorts: ReadonlyArray<{ readonly name: string; readonly port: number }> = []): PodSpec {
  const target: ProbeTarget = {
    what: 'the app container',
    ports: [{ name: port.name, number: port.number }, ...extraPorts.map(p => ({ name: p.name, number: p.port }))],
    noPort: { problem: 'names no port', fix: 'give a port' },
  };
  // Probes: readiness and liveness must differ, or a slow app is killed instead of drained.
  const readiness = props.probes?.readiness ?? Probe.httpGet('/readyz', { periodSeconds: 5 });
  const liveness = props.probes?.liveness ?? Probe.httpGet('/livez');
  // A readiness probe given with only a path keeps the documented 5 s period.
  const readinessProbe = renderProbe(scope, 'probes.readiness', readiness, target, { periodSeconds: 5 });
  const livenessProbe = renderProbe(scope, 'probes.liveness', liveness, target);
  // The startup probe asks what the liveness probe asks, of whatever kind.
  const startup = props.probes?.startup === false ? undefined
    : props.probes?.startup ?? startupFrom(liveness);
  // The same check, whatever the timing: an overloaded pod would fail both.
  const same = sameCheck(readiness, liveness, target);
  if (same && !props.probes?.sameCheckReason?.trim()) {
    throw propError(scope, 'probes.liveness', liveness.path ?? liveness.command ?? liveness.kind, 'is the same check as the readiness probe, so an overloaded pod is restarted instead of taken out of rotation',
      'point liveness at a cheap endpoint that only says the process is alive (e.g. \'/livez\'), or give probes.sameCheckReason when the app has no other');
  }

  const preStop = shape.whole(props.shutdown?.preStopDelaySeconds ?? 10);
  const grace = props.shutdown?.terminationGracePeriodSeconds ?? preStop + 30;
  if (grace <= preStop) {
    throw propError(scope, 'shutdown.terminationGracePeriodSeconds', grace,
      `must be longer than 'shutdown.preStopDelaySeconds' (${preStop}), or the app is killed before it can stop cleanly`,
      `raise it to at least ${preStop + 10}`);
  }

  const runAsUser = securityId(scope, 'runAsUser', 'UID', props.security);
  const runAsGroup = securityId(scope, 'runAsGroup', 'GID', props.security);
  return {
    image: props.image,
    imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.ALWAYS,
    imagePullSecrets: [...(props.imagePullSecrets ?? [])],
    portName: port.name,
    portNumber: port.number,
    env: Object.entries(props.env ?? {}).map(([key, value]) => resolveEnv(scope, key, value)),
    resources: resolveResources(scope, 'resources', props.resources),
    readinessProbe,
    livenessProbe,
    startupProbe: startup ? renderProbe(scope, 'probes.startup', startup, target) : undefined,
    runAsUser,
    runAsGroup,
    netBindService: props.security?.exception?.netBindService ?? false,
    policyReason: policyReason([
      props.security?.exception && `security${runAsUser < HOST_ID_LIMIT || runAsGroup < HOST_ID_LIMIT ? ' (container-security-context-user-group-id)' : ''}: ${props.security.exception.reason.trim()}`,
      same ? `liveness same as readiness: ${props.probes!.sameCheckReason!.trim()}` : undefined,
    ]),
    readOnlyRootFilesystem: props.security?.readOnlyRootFilesystem ?? true,
    preStopDelaySeconds: preStop,
    preStopSleepAction: props.shutdown?.preStopMode === PreStopMode.SLEEP_ACTION,
    terminationGracePeriodSeconds: grace,
  };
}

/** The acknowledged exceptions, joined, or `undefined` for none. */
function policyReason(reasons: Array<string | undefined>): string | undefined {
  const given = reasons.filter((r): r is string => r !== undefined);
  return given.length > 0 ? given.join('; ') : undefined;
}

/** A UID or GID of 10000 or above, clear of host users, unless the exception allows a lower one. */
function securityId(scope: IConstruct, prop: 'runAsUser' | 'runAsGroup', what: string, security: SecurityOptions | undefined): number {
  const id = security?.[prop] ?? 10001;
  if (id < 10000 && !security?.exception?.lowIds) {
    throw propError(scope, `security.${prop}`, id, 'must be a whole number from 10000 to 2147483647',
      `use a ${what} of 10000 or above, clear of host users, or acknowledge the image's with security.exception: { lowIds: true, reason }`);
  }
  return id;
}

/** Requests and limits of a container, from `options` at `prefix` (`resources`, `sidecars[0].resources`). */
export function resolveResources(scope: IConstruct, prefix: string, options: ResourcesOptions | undefined): Record<'cpu' | 'memory' | 'ephemeral-storage', QuantityPair | undefined> {
  return {
    'cpu': resolveResource(scope, prefix, 'cpu', options?.cpu),
    'memory': resolveResource(scope, prefix, 'memory', options?.memory),
    'ephemeral-storage': resolveResource(scope, prefix, 'ephemeralStorage', options?.ephemeralStorage),
  };
}

function resolveResource(scope: IConstruct, prefix: string, prop: keyof ResourcesOptions, given: ResourceQuantities | false | undefined): QuantityPair | undefined {
  if (given === false) {
    return undefined;
  }
  const defaults = DEFAULT_RESOURCES[prop];
  // Each side on its own: `false` leaves it out (a CPU request without a limit, against throttling).
  const request = given?.request === false ? undefined : given?.request ?? defaults.request;
  const limit = given?.limit === false ? undefined : given?.limit ?? defaults.limit;
  if (request === undefined && limit === undefined) {
    throw propError(scope, `${prefix}.${prop}`, given, 'leaves out both the request and the limit',
      `set ${prefix}.${prop} to false to leave the resource out, or keep one of them`);
  }
  if (request !== undefined && limit !== undefined && quantityValue(request) > quantityValue(limit)) {
    throw propError(scope, `${prefix}.${prop}.request`, request, `is above '${prefix}.${prop}.limit' (${JSON.stringify(limit)})`,
      'lower the request or raise the limit');
  }
  return { request, limit };
}

/** A fix the user can type for a value that should have been a string. */
function asStringFix(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `EnvValue.fromValue('${String(value)}')`;
  }
  return value !== null && typeof value === 'object' ? 'EnvValue.fromValue(JSON.stringify(...)) for structured data' : 'EnvValue.fromValue(\'...\') with the text itself';
}

/**
 * A container's environment: the app's, then its own, one entry per name, its own value winning.
 * The API server refuses a server-side apply of a pod whose container names a variable twice.
 */
export function mergeEnv(shared: readonly k8s.EnvVar[], own: readonly k8s.EnvVar[]): k8s.EnvVar[] {
  const names = new Set(own.map(e => e.name));
  return [...shared.filter(e => !names.has(e.name)), ...own];
}

export function resolveEnv(scope: IConstruct, key: string, value: EnvValue): k8s.EnvVar {
  const envVar = value._toEnvVar(key);
  if ('value' in envVar && typeof envVar.value !== 'string') {
    throw propError(scope, `env["${key}"]`, envVar.value, 'is not a string, and environment values are strings',
      `write it as a string: ${asStringFix(envVar.value)}`);
  }
  const unsafe = typeof envVar.value === 'string' ? applyUnsafeCharacter(envVar.value) : undefined;
  if (unsafe !== undefined) {
    throw propError(scope, `env["${key}"]`, envVar.value, `holds ${unsafe}, which kubectl's server-side apply cannot carry (the API server reads the patch as YAML, which refuses or changes it)`,
      'remove the character, or mount the text as a config file (it then goes to binaryData)');
  }
  if (value.objectName !== undefined) {
    checkDns1123Subdomain(scope, `env["${key}"] (object name)`, value.objectName);
    if (typeof value.key !== 'string' || value.key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(value.key)) {
      throw propError(scope, `env["${key}"] (key)`, value.key, 'is not a valid key of a Secret or ConfigMap',
        'use up to 253 letters, digits, \'-\', \'_\' and \'.\'');
    }
    const ref = envVar.valueFrom?.secretKeyRef ?? envVar.valueFrom?.configMapKeyRef;
    if (ref?.optional !== undefined && typeof ref.optional !== 'boolean') {
      throw propError(scope, `env["${key}"] (optional)`, ref.optional, 'is not a boolean', 'write true or false');
    }
  }
  return envVar;
}

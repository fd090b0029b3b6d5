import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { shape } from '../core/_shape';
import { DeploymentSpec, renderDeployment } from '../resources/_deployment';
import { renderHeadlessService } from '../resources/_service';
import { ClaimTemplateSpec, renderStatefulSet } from '../resources/_stateful-set';
import { MOUNT_FIELDS, WorkloadVolume } from './_volumes';
import type { UpdateStrategy } from './scaling';
import {
  ClaimRetention, ClaimRetentionOptions, ClaimTemplateOptions, PodManagement, StatefulSetOptions, StatefulSetUpdateStrategy,
} from './stateful-set';
import { AccessMode, VolumeMode } from './volumes';

/** The run-time shape of `WebAppProps.statefulSet`. */
export const STATEFUL_SET_SHAPE = shape.object<StatefulSetOptions>('StatefulSetOptions', {
  claims: shape.array(shape.object<ClaimTemplateOptions>('ClaimTemplateOptions', {
    name: shape.dns1123Label,
    size: shape.quantity('10Gi'),
    storageClass: shape.subdomain,
    accessModes: shape.array(shape.enum(AccessMode, 'AccessMode')),
    volumeMode: shape.enum(VolumeMode, 'VolumeMode'),
    ...MOUNT_FIELDS,
  }, { required: ['name', 'size', 'mountPath'] })),
  podManagement: shape.enum(PodManagement, 'PodManagement'),
  updateStrategy: shape.instance(StatefulSetUpdateStrategy, 'StatefulSetUpdateStrategy',
    'use StatefulSetUpdateStrategy.rollingUpdate({ partition? }) or StatefulSetUpdateStrategy.onDelete()'),
  retention: shape.object<ClaimRetentionOptions>('ClaimRetentionOptions', {
    whenDeleted: shape.enum(ClaimRetention, 'ClaimRetention'),
    whenScaled: shape.enum(ClaimRetention, 'ClaimRetention'),
  }),
});

/**
 * The longest name a StatefulSet's pods can be created under: each carries the label
 * `controller-revision-hash: <name>-<hash of up to 10 characters>`, and a label value has at most 63.
 */
export const STATEFUL_SET_NAME_LIMIT = 52;

/** The app's StatefulSet, validated, defaults filled in: what a Deployment does not have. */
export interface StatefulSetPlan {
  /** The headless Service `<app>-headless`. */
  readonly serviceName: string;
  readonly podManagement: PodManagement;
  readonly updateStrategy: StatefulSetUpdateStrategy;
  readonly claimTemplates: ClaimTemplateSpec[];
  /** `undefined` when both keep the claims: the API server's default, left unwritten. */
  readonly retention?: { readonly whenDeleted: ClaimRetention; readonly whenScaled: ClaimRetention };
  /** The claims as volumes of the pod, for the mount checks, each mounted by the app's container. */
  readonly volumes: WorkloadVolume[];
}

/** The props of the stateful concern, and those it must refuse beside it. */
export interface StatefulSetProps {
  readonly statefulSet?: StatefulSetOptions;
  readonly updateStrategy?: UpdateStrategy;
  readonly workers?: readonly unknown[];
  readonly scheduledJobs?: readonly unknown[];
}

/** Validates the app's `statefulSet` into its StatefulSet plan; `undefined` for a Deployment app. */
export function resolveStatefulSet(scope: IConstruct, props: StatefulSetProps, app: { readonly name: string }): StatefulSetPlan | undefined {
  const claims = props.statefulSet?.claims ?? [];
  const companions = (props.workers ?? []).length + (props.scheduledJobs ?? []).length;
  if (claims.length > 0 && companions > 0) {
    throw propError(scope, 'statefulSet.claims', claims.map(c => c.name),
      `gives each of the app's pods a claim of its own, which the app's container mounts, and so would its ${(props.workers ?? []).length > 0 ? 'workers' : 'scheduled jobs'}, in pods that have no such claim`,
      'keep data the workers and jobs share on a volume of `volumes` (VolumeSource.newClaim({ size, accessModes: [AccessMode.READ_WRITE_MANY] })), or give a worker claims of its own (workers[].statefulSet.claims)');
  }
  return planStatefulSet(scope, '', props, { name: app.name, given: app.name });
}

/**
 * Validates a `statefulSet` prop (the app's, or a worker's under `prefix`, e.g. `workers[0].`)
 * into a StatefulSet plan; `undefined` for a Deployment. `owner.name` is the StatefulSet's, made
 * of `owner.given`, the value of the `name` prop.
 */
export function planStatefulSet(scope: IConstruct, prefix: string, props: Pick<StatefulSetProps, 'statefulSet' | 'updateStrategy'>,
  owner: { readonly name: string; readonly given: string }): StatefulSetPlan | undefined {
  const options = props.statefulSet;
  if (options === undefined) {
    return undefined;
  }
  if (props.updateStrategy !== undefined) {
    throw propError(scope, `${prefix}updateStrategy`, props.updateStrategy.type, `is a Deployment's update strategy, but ${prefix === '' ? 'the app' : 'it'} is a StatefulSet (${prefix}statefulSet is set)`,
      `use ${prefix}statefulSet.updateStrategy: StatefulSetUpdateStrategy.rollingUpdate({ partition? }) or StatefulSetUpdateStrategy.onDelete()`);
  }
  if (owner.name.length > STATEFUL_SET_NAME_LIMIT) {
    throw propError(scope, `${prefix}name`, owner.given,
      `makes the StatefulSet "${owner.name}" ${owner.name.length} characters long, over the ${STATEFUL_SET_NAME_LIMIT} a StatefulSet's name may have: its pods' controller-revision-hash label is the name and a hash of up to 10 characters, and the controller could create no pod`,
      `give ${prefix === '' ? 'the app' : 'it (or the app)'} a shorter name, at most ${STATEFUL_SET_NAME_LIMIT} characters for the StatefulSet`);
  }
  const claims = options.claims ?? [];
  const names = new Set<string>();
  const claimTemplates: ClaimTemplateSpec[] = [];
  const volumes: WorkloadVolume[] = [];
  claims.forEach((c, i) => {
    const at = `${prefix}statefulSet.claims[${i}]`;
    if (names.has(c.name)) {
      throw propError(scope, `${at}.name`, c.name, 'names two claims of statefulSet.claims', 'give each claim a name of its own');
    }
    names.add(c.name);
    const accessModes = [...(c.accessModes ?? [AccessMode.READ_WRITE_ONCE])];
    if (accessModes.length === 0 || new Set(accessModes).size !== accessModes.length) {
      throw propError(scope, `${at}.accessModes`, accessModes, accessModes.length === 0 ? 'is empty' : 'names an access mode twice',
        'give each access mode the claim needs once, e.g. [AccessMode.READ_WRITE_ONCE]');
    }
    claimTemplates.push({ name: c.name, size: c.size, storageClass: c.storageClass, accessModes, volumeMode: c.volumeMode ?? VolumeMode.FILESYSTEM });
    volumes.push({
      prop: at,
      name: c.name,
      readOnly: accessModes.length === 1 && accessModes[0] === AccessMode.READ_ONLY_MANY,
      block: c.volumeMode === VolumeMode.BLOCK,
      mount: { volume: c.name, mountPath: c.mountPath, subPath: c.subPath, readOnly: c.readOnly },
    });
  });
  const retention = options.retention;
  if (retention !== undefined && claims.length === 0) {
    throw propError(scope, `${prefix}statefulSet.retention`, retention, 'is set, but the StatefulSet has no claims for it to keep or delete',
      `add ${prefix}statefulSet.claims, or leave retention out`);
  }
  const whenDeleted = retention?.whenDeleted ?? ClaimRetention.RETAIN;
  const whenScaled = retention?.whenScaled ?? ClaimRetention.RETAIN;
  return {
    serviceName: `${owner.name}-headless`,
    podManagement: options.podManagement ?? PodManagement.ORDERED_READY,
    updateStrategy: options.updateStrategy ?? StatefulSetUpdateStrategy.rollingUpdate(),
    claimTemplates,
    retention: whenDeleted === ClaimRetention.RETAIN && whenScaled === ClaimRetention.RETAIN ? undefined : { whenDeleted, whenScaled },
    volumes,
  };
}

/** The app's workload: a Deployment, or with a plan its StatefulSet and the headless Service it names. */
export interface WorkloadObjects {
  /** The Deployment or the StatefulSet. */
  readonly workload: ApiObject;
  readonly deployment?: ApiObject;
  readonly statefulSet?: ApiObject;
  readonly headlessService?: ApiObject;
}

/**
 * Renders the pods of the app (or of a worker) as a Deployment, or as a StatefulSet (`plan`)
 * with its headless Service: the one place the choice is made. Both get the same pod template
 * from `spec`. A worker serves no port (`port` undefined): its container declares none, and its
 * headless Service only gives its pods their DNS names.
 */
export function renderWorkload(scope: Construct, spec: DeploymentSpec, plan: StatefulSetPlan | undefined,
  process: { readonly port?: { readonly number: number; readonly name: string }; readonly command?: string[]; readonly args?: string[] }): WorkloadObjects {
  const options = { servesTraffic: process.port !== undefined, command: process.command && [...process.command], args: process.args && [...process.args] };
  if (plan === undefined) {
    const deployment = renderDeployment(scope, spec, 'Deployment', options);
    return { workload: deployment, deployment };
  }
  const statefulSet = renderStatefulSet(scope, {
    ...spec,
    serviceName: plan.serviceName,
    podManagement: plan.podManagement,
    updateStrategy: { type: plan.updateStrategy.type, partition: plan.updateStrategy.partition },
    claimTemplates: plan.claimTemplates,
    claimLabels: { ...spec.selector },
    retention: plan.retention,
  }, options);
  const headlessService = renderHeadlessService(scope, {
    name: plan.serviceName, namespace: spec.namespace, labels: spec.labels, selector: { ...spec.selector }, port: process.port,
  });
  return { workload: statefulSet, statefulSet, headlessService };
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { renderAutoscaler } from '../resources/_autoscaler';
import { withScratch } from './_config';

import { ContainersSpec, podContainers } from './_containers';
import { DeploymentSpec, renderPodTemplate } from '../resources/_deployment';
import { renderDisruptionBudget } from '../resources/_disruption-budget';
import { propError } from '../core/errors';
import { EgressRuleSpec, renderNetworkPolicy } from '../resources/_network-policy';
import { mergeEnv, PodSpec, PROCESS_SHAPES, resolveEnv, resolveResources } from './_pod';
import { PROBE_SHAPE, ProbeTarget, renderProbe, startupFrom } from './_probe';
import { REASON_ANNOTATION, REPLICAS_OWNED_BY_AUTOSCALER, withPodPolicy } from '../k8s/_policy';
import { resolveRolloutTiming, resolveScaling, SCALING_SHAPES } from './_scaling';
import { mountedVolumes, VolumesSpec, workloadMounts } from './_volumes';
import { planStatefulSet, renderWorkload, STATEFUL_SET_SHAPE } from './_stateful-set';
import { shape } from '../core/_shape';
import { resolveScheduling, SCHEDULING_SHAPE, withScheduling } from './_scheduling';
import { checkSchedule, checkTimeZone, CRON_JOB_NAME_LIMIT } from './_schedule';
import { checkDns1123Label } from '../core/_validate';
import { ConcurrencyPolicy, ScheduledJobOptions, WorkerObjects, WorkerOptions } from './companions';
import { EnvValue } from './env-value';
import { ReleaseObjects, renderReleaseJobs } from './_release';
import { ReleaseJobOptions, ReleaseOptions } from './release';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

const RELEASE_JOB_SHAPE = shape.object<ReleaseJobOptions>('ReleaseJobOptions', {
  ...PROCESS_SHAPES,
  backoffLimit: shape.int(0, 100), activeDeadlineSeconds: shape.int(1, 86400),
  scheduling: SCHEDULING_SHAPE,
}, { required: ['name'] });

/** The run-time shapes of the companion props. */
export const COMPANION_SHAPES = {
  workers: shape.array(shape.object<WorkerOptions>('WorkerOptions', {
    ...PROCESS_SHAPES,
    ...SCALING_SHAPES,
    scheduling: SCHEDULING_SHAPE,
    readiness: PROBE_SHAPE, liveness: PROBE_SHAPE, startup: shape.oneOf(shape.false, PROBE_SHAPE),
    statefulSet: STATEFUL_SET_SHAPE,
  }, { required: ['name'] })),
  scheduledJobs: shape.array(shape.object<ScheduledJobOptions>('ScheduledJobOptions', {
    ...PROCESS_SHAPES,
    schedule: shape.format(shape.string, checkSchedule), timeZone: shape.format(shape.string, checkTimeZone), concurrencyPolicy: shape.enum(ConcurrencyPolicy, 'ConcurrencyPolicy'),
    startingDeadlineSeconds: shape.int(1, 86400), activeDeadlineSeconds: shape.int(1, 604800), backoffLimit: shape.int(0, 100), historyLimit: shape.int(0, 100),
    scheduling: SCHEDULING_SHAPE,
  }, { required: ['name', 'schedule'] })),
  release: shape.object<ReleaseOptions>('ReleaseOptions', { migration: RELEASE_JOB_SHAPE, afterRelease: shape.array(RELEASE_JOB_SHAPE) }),
};

/** The props of the companions concern. */
export interface CompanionsProps {
  readonly workers?: WorkerOptions[];
  readonly scheduledJobs?: ScheduledJobOptions[];
  readonly release?: ReleaseOptions;
}

/** What the companions share with the app. */
export interface AppWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly pod: PodSpec;
  readonly config: VolumesSpec;
  readonly containers: ContainersSpec;
  readonly serviceAccount?: { readonly name: string; readonly mountToken: boolean; readonly podLabels: Record<string, string> };
  /** The app's NetworkPolicy, if any: its companions then get one that admits nothing, with the app's egress. */
  readonly networkPolicy?: { readonly egress?: readonly EgressRuleSpec[] };
  /** The app's rendered pod template, what a release is: rendered only for an app with release jobs. */
  template(): unknown;
}

/** A worker or job serves no port: Polaris's probe checks do not apply, and say why. */
const NO_TRAFFIC: Record<string, string> = {
  'polaris.fairwinds.com/readinessProbeMissing-exempt': 'true',
  'polaris.fairwinds.com/livenessProbeMissing-exempt': 'true',
};
const NO_TRAFFIC_REASON = 'readinessProbeMissing, livenessProbeMissing: it serves no port; Kubernetes restarts it when its process exits';

/**
 * A worker StatefulSet's headless Service selects its pods, so kube-score asks them for a
 * readiness probe; the Service has no ports and routes nothing, it only names the pods in DNS.
 */
const HEADLESS_NO_TRAFFIC = { annotations: { 'kube-score/ignore': 'pod-probes' }, reason: 'pod-probes: its headless Service has no ports and routes no traffic; it only gives the pods DNS names' };

/**
 * The Polaris exemptions of a worker, for the probes it does not have, and their reason; and
 * kube-score's, for a StatefulSet worker without a readiness probe.
 */
function missingProbes(readiness: boolean, liveness: boolean, headless: boolean): { annotations: Record<string, string>; reason?: string } {
  const polaris = polarisMissingProbes(readiness, liveness);
  if (!headless || readiness) {
    return polaris;
  }
  return {
    annotations: { ...polaris.annotations, ...HEADLESS_NO_TRAFFIC.annotations },
    reason: [polaris.reason, HEADLESS_NO_TRAFFIC.reason].filter(r => r !== undefined).join('; '),
  };
}

function polarisMissingProbes(readiness: boolean, liveness: boolean): { annotations: Record<string, string>; reason?: string } {
  if (!readiness && !liveness) {
    return { annotations: NO_TRAFFIC, reason: NO_TRAFFIC_REASON };
  }
  const check = !readiness ? 'readinessProbeMissing' : !liveness ? 'livenessProbeMissing' : undefined;
  return check === undefined ? { annotations: {} } : {
    annotations: { [`polaris.fairwinds.com/${check}-exempt`]: 'true' },
    reason: !readiness ? `${check}: it serves no port` : `${check}: Kubernetes restarts it when its process exits`,
  };
}

/** A worker's probes: it declares no port, so each probe but exec names its port number. */
function workerProbes(scope: Construct, prop: string, w: WorkerOptions): Pick<DeploymentSpec, 'readinessProbe' | 'livenessProbe' | 'startupProbe'> {
  const target: ProbeTarget = {
    what: 'the worker',
    ports: [],
    undeclared: true,
    noPort: { problem: 'is left out, and a worker has no port to probe by default', fix: 'give the port number its process listens on (port: 8080), or use Probe.exec([...])' },
  };
  const startup = w.startup === false ? undefined : w.startup ?? (w.liveness && startupFrom(w.liveness));
  return {
    readinessProbe: w.readiness && renderProbe(scope, `${prop}.readiness`, w.readiness, target),
    livenessProbe: w.liveness && renderProbe(scope, `${prop}.liveness`, w.liveness, target),
    startupProbe: startup && renderProbe(scope, `${prop}.startup`, startup, target),
  };
}

/** Renders the app's workers, scheduled jobs and release jobs, each from the app's own pod template. */
export function renderCompanions(scope: Construct, props: CompanionsProps, app: AppWorkload): { workers: WorkerObjects[]; cronJobs: ApiObject[]; release: ReleaseObjects } {
  const names = new Set<string>();
  const identity = (prop: string, name: string, component: string) => {
    const full = checkDns1123Label(scope, `${prop}.name`, `${app.name}-${name}`);
    if (names.has(full)) {
      throw propError(scope, `${prop}.name`, name, 'names two workers or jobs', 'give each a name of its own');
    }
    // Its container is named `full`, beside the app's sidecars in its pod.
    if (app.containers.sidecars.some(c => c.name === full)) {
      throw propError(scope, `${prop}.name`, name, `names its container "${full}", which is the name of a sidecar of the app that runs in its pod too`,
        'give the worker or job, or the sidecar, another name');
    }
    names.add(full);
    const selector = { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/instance': full };
    const labels = { ...app.labels, ...selector, 'app.kubernetes.io/component': component };
    const id = name.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
    return { full, selector, labels, id };
  };
  const podFor = (prop: string, options: { env?: Record<string, EnvValue>; resources?: WorkerOptions['resources'] }, job = false) => {
    const resources = resolveResources(scope, `${prop}.resources`, options.resources);
    // Its sidecars come along (but a plain sidecar never exits and would keep a job from
    // completing: jobs take native ones only); the app's init containers (a migration) run
    // with the app only.
    const containers = podContainers(job && !app.containers.native ? { ...app.containers, sidecars: [] } : app.containers, false);
    return {
      resources,
      spec: {
        ...app.pod,
        env: mergeEnv(app.pod.env, Object.entries(options.env ?? {}).map(([key, value]) => resolveEnv(scope, key, value))),
        resources: {
          ...resources,
          'memory': withScratch(resources.memory, app.config.scratchBytes.memory),
          'ephemeral-storage': withScratch(resources['ephemeral-storage'], app.config.scratchBytes.disk),
        },
        // Nothing routes to it: no delay before SIGTERM, and none of the app's probes.
        preStopDelaySeconds: 0,
        readinessProbe: undefined,
        livenessProbe: undefined,
        startupProbe: undefined,
        volumeMounts: app.config.mounts,
        volumeDevices: app.config.devices,
        envFrom: app.config.envFrom,
        podAnnotations: app.config.podAnnotations,
        podLabels: app.serviceAccount?.podLabels,
        serviceAccount: app.serviceAccount,
        ...containers,
        // Only the volumes its containers mount: the app's init containers' stay with the app.
        volumes: mountedVolumes(app.config, [...containers.initContainers, ...containers.sidecars]),
      },
    };
  };
  const denyAll = (owner: Construct, meta: { name: string; labels: Record<string, string> }, selector: Record<string, string>) =>
    (app.networkPolicy ? renderNetworkPolicy(owner, { ...meta, namespace: app.namespace, podSelector: selector, ingress: [], egress: app.networkPolicy.egress }) : undefined);

  const workers = (props.workers ?? []).map((w, i) => {
    const prop = `workers[${i}]`;
    const { full, selector, labels, id } = identity(prop, w.name, 'worker');
    const owner = new Construct(scope, `Worker${id}`);
    const pod = podFor(prop, w);
    const stateful = planStatefulSet(scope, `${prop}.`, w, { name: full, given: w.name });
    const scaling = resolveScaling(scope, w, pod.resources, `${prop}.`);
    const meta = { name: full, namespace: app.namespace, labels };
    const placed = resolveScheduling(scope, `${prop}.scheduling`, w.scheduling, { spread: true, labels, podAnnotations: pod.spec.podAnnotations ?? {} });
    const probes = workerProbes(scope, prop, w);
    const missing = missingProbes(probes.readinessProbe !== undefined, probes.livenessProbe !== undefined, stateful !== undefined);
    const reason = [missing.reason, scaling.autoscaler ? REPLICAS_OWNED_BY_AUTOSCALER[REASON_ANNOTATION] : undefined].filter(r => r !== undefined).join('; ');
    // Its claims per replica, in its container beside the mounts it shares with the app's.
    const own = workloadMounts(scope, app.config, stateful?.volumes ?? []);
    const spec: DeploymentSpec = {
      ...pod.spec, ...meta, selector,
      volumeMounts: own.mounts,
      volumeDevices: own.devices,
      ...withScheduling(pod.spec, placed),
      ...probes,
      replicas: scaling.replicas,
      strategy: scaling.strategy,
      ...resolveRolloutTiming(scope, w.rollout, probes, { statefulSet: stateful !== undefined, prefix: `${prop}.` }),
      annotations: {
        ...missing.annotations,
        ...(scaling.autoscaler ? REPLICAS_OWNED_BY_AUTOSCALER : {}),
        ...(reason !== '' ? { [REASON_ANNOTATION]: reason } : {}),
      },
    };
    return {
      ...renderWorkload(owner, spec, stateful, { command: w.command, args: w.args }),
      autoscaler: scaling.autoscaler ? renderAutoscaler(owner, { ...meta, ...scaling.autoscaler, target: { kind: stateful ? 'StatefulSet' : 'Deployment', name: full } }) : undefined,
      disruptionBudget: scaling.maxUnavailable !== undefined
        ? renderDisruptionBudget(owner, { ...meta, selector, maxUnavailable: scaling.maxUnavailable }) : undefined,
      networkPolicy: denyAll(owner, meta, selector),
    };
  });

  const cronJobs = (props.scheduledJobs ?? []).map((j, i) => {
    const prop = `scheduledJobs[${i}]`;
    const { full, selector, labels, id } = identity(prop, j.name, 'job');
    if (full.length > CRON_JOB_NAME_LIMIT) {
      throw propError(scope, `${prop}.name`, j.name, `makes the CronJob "${full}" ${full.length} characters long, over the ${CRON_JOB_NAME_LIMIT} the API server allows (the names of its Jobs add 11)`,
        `shorten the job's name (or the app's) to fit ${CRON_JOB_NAME_LIMIT} characters with the app's name and '-'`);
    }
    const owner = new Construct(scope, `Job${id}`);
    const pod = podFor(prop, j, true);
    const meta = { name: full, namespace: app.namespace, labels };
    const history = shape.whole(j.historyLimit ?? 3);
    const placed = resolveScheduling(scope, `${prop}.scheduling`, j.scheduling, { spread: false, labels, podAnnotations: pod.spec.podAnnotations ?? {} });
    const template = renderPodTemplate({
      ...pod.spec, ...meta, selector, annotations: {}, ...withScheduling(pod.spec, placed), servesTraffic: false,
      restartPolicy: 'OnFailure', command: j.command, args: j.args,
    });
    const cronJob = new StrictApiObject(owner, 'CronJob', manifestOf(KINDS.KubeCronJob, {
      metadata: { ...meta, annotations: withPodPolicy({ ...NO_TRAFFIC, [REASON_ANNOTATION]: NO_TRAFFIC_REASON }, pod.spec) },
      spec: {
        schedule: j.schedule.trim(),
        ...(j.timeZone !== undefined ? { timeZone: j.timeZone } : {}),
        concurrencyPolicy: j.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
        startingDeadlineSeconds: j.startingDeadlineSeconds ?? 300,
        successfulJobsHistoryLimit: history,
        failedJobsHistoryLimit: history,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: shape.whole(j.backoffLimit ?? 2),
            activeDeadlineSeconds: j.activeDeadlineSeconds ?? 3600,
            template,
          },
        },
      },
    }));
    denyAll(owner, meta, selector);
    return cronJob;
  });
  const release = renderReleaseJobs(scope, props.release, {
    namespace: app.namespace,
    appTemplate: () => app.template(),
    identity,
    template: (prop, job, meta) => {
      const pod = podFor(prop, job, true);
      const placed = resolveScheduling(scope, `${prop}.scheduling`, job.scheduling, { spread: false, labels: meta.labels, podAnnotations: pod.spec.podAnnotations ?? {} });
      const template = renderPodTemplate({
        ...pod.spec, ...meta, namespace: app.namespace, annotations: {}, ...withScheduling(pod.spec, placed), servesTraffic: false,
        restartPolicy: 'Never', command: job.command, args: job.args,
      });
      return { template, pod: pod.spec };
    },
    denyAll,
    noTraffic: { ...NO_TRAFFIC, [REASON_ANNOTATION]: 'readinessProbeMissing, livenessProbeMissing: a Job serves no port, and runs to completion' },
  });
  return { workers, cronJobs, release };
}

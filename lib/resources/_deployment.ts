import * as path from 'path';
import { ApiObject, ApiObjectProps } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { restrictedSecurityContext } from './_security';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString, quantity } from '../k8s/_k8s';
import { withPodPolicy } from '../k8s/_policy';

/** A rolling update's limits unless given: no pod unavailable, a quarter more at a time. */
export const ROLLING_UPDATE = { maxSurge: '25%', maxUnavailable: 0 } as const;

/** Requests and limits of one resource, as Kubernetes quantities. */
export interface QuantityPair {
  readonly request?: string;
  readonly limit?: string;
}

export interface DeploymentSpec {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the Deployment and its pods. */
  readonly labels: Record<string, string>;
  /** The stable subset of `labels` that selects the pods. */
  readonly selector: Record<string, string>;
  /** Annotations of the Deployment (not of its pods). */
  readonly annotations: Record<string, string>;
  /** `undefined` when an autoscaler owns the count. */
  readonly replicas?: number;
  /** Seconds a new pod stays ready before it counts as available. */
  readonly minReadySeconds?: number;
  /** Seconds without progress before the controller marks the rollout failed (Deployments only). */
  readonly progressDeadlineSeconds?: number;
  /** How a rollout replaces the pods: `RollingUpdate` with its limits, or `Recreate`. */
  readonly strategy?: { readonly type: 'RollingUpdate' | 'Recreate'; readonly rollingUpdate?: { readonly maxSurge: number | string; readonly maxUnavailable: number | string } };
  readonly image: string;
  readonly imagePullPolicy: string;
  readonly imagePullSecrets: string[];
  readonly portName: string;
  readonly portNumber: number;
  readonly env: k8s.EnvVar[];
  readonly resources: Record<'cpu' | 'memory' | 'ephemeral-storage', QuantityPair | undefined>;
  /** The main container's probes: the app has readiness and liveness, a worker what it is given, a job none. */
  readonly readinessProbe?: k8s.Probe;
  readonly livenessProbe?: k8s.Probe;
  readonly startupProbe?: k8s.Probe;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly readOnlyRootFilesystem: boolean;
  /** Add NET_BIND_SERVICE to the main container. */
  readonly netBindService?: boolean;
  /** The acknowledged exceptions (security, probes), for the workload's policy-exception annotation. */
  readonly policyReason?: string;
  readonly preStopDelaySeconds: number;
  /** Use the kubelet's `sleep` action instead of `exec: sleep`. */
  readonly preStopSleepAction: boolean;
  readonly terminationGracePeriodSeconds: number;
  /** Volumes besides /tmp, and where the container mounts them. */
  readonly volumes?: k8s.Volume[];
  readonly volumeMounts?: k8s.VolumeMount[];
  /** The main container's block devices, from claims of volume mode Block. */
  readonly volumeDevices?: k8s.VolumeDevice[];
  readonly envFrom?: k8s.EnvFromSource[];
  /** Annotations of the pod template (content hashes of mounted config). */
  readonly podAnnotations?: Record<string, string>;
  /** More labels of the pods only (a workload identity's), not of the Deployment. */
  readonly podLabels?: Record<string, string>;
  /** Named container ports besides the app port (the metrics port). */
  readonly extraPorts?: Array<{ readonly name: string; readonly port: number; readonly protocol?: string }>;
  /** Init containers (native sidecars first) and plain sidecars, rendered. */
  readonly initContainers?: k8s.Container[];
  readonly sidecars?: k8s.Container[];
  /** The ServiceAccount the pods run as, and whether its token is mounted. */
  readonly serviceAccount?: { readonly name: string; readonly mountToken: boolean };
  /** Where the pods run: node selector, tolerations, priority and runtime class, host aliases. */
  readonly scheduling?: Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations' | 'priorityClassName' | 'runtimeClassName' | 'hostAliases' | 'dnsConfig'> & { readonly nodeAffinity?: k8s.NodeAffinity };
  /** Spread a Deployment's pods over nodes and zones: `true` for the default rules, or the rules. */
  readonly spread?: boolean | SpreadRules;
}

/** What a pod template needs beyond the pod spec: the workload's own labels and parts. */
export interface PodTemplateInput extends DeploymentSpec {
  /** Spread the pods over nodes and zones (workloads with several replicas). */
  readonly spread: boolean | SpreadRules;
  /** The pods' restart policy (`OnFailure` for a job). */
  readonly restartPolicy?: string;
  /** The main container's command and arguments, replacing the image's. */
  readonly command?: string[];
  readonly args?: string[];
  /** Leave out the container ports (a worker or a job serves nothing; its probes, if any, name their port numbers). */
  readonly servesTraffic: boolean;
}

/**
 * The pod template every workload of the app shares: the app's Deployment, its workers and its
 * jobs get the same security context, service account, config mounts, init containers and
 * sidecars from here, so they cannot drift apart.
 */
export function renderPodTemplate(spec: PodTemplateInput): k8s.PodTemplateSpec {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  for (const [resource, pair] of Object.entries(spec.resources)) {
    if (pair?.request !== undefined) {
      requests[resource] = quantity(pair.request);
    }
    if (pair?.limit !== undefined) {
      limits[resource] = quantity(pair.limit);
    }
  }
  const labelSelector = { matchLabels: spec.selector };
  return {
    metadata: {
      labels: { ...spec.labels, ...(spec.podLabels ?? {}) },
      ...(Object.keys(spec.podAnnotations ?? {}).length > 0 ? { annotations: spec.podAnnotations } : {}),
    },
    spec: {
      ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount.name } : {}),
      automountServiceAccountToken: spec.serviceAccount?.mountToken ?? false,
      enableServiceLinks: false,
      ...(spec.restartPolicy ? { restartPolicy: spec.restartPolicy } : {}),
      ...withoutNodeAffinity(spec.scheduling),
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
      ...(spec.imagePullSecrets.length > 0 ? { imagePullSecrets: spec.imagePullSecrets.map(name => ({ name })) } : {}),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: spec.runAsUser,
        runAsGroup: spec.runAsGroup,
        fsGroup: spec.runAsGroup,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...placement(spec, labelSelector),
      ...((spec.initContainers ?? []).length > 0 ? { initContainers: spec.initContainers } : {}),
      containers: [{
        name: spec.name,
        image: spec.image,
        imagePullPolicy: spec.imagePullPolicy,
        ...(spec.command ? { command: spec.command } : {}),
        ...(spec.args ? { args: spec.args } : {}),
        ...(spec.servesTraffic ? {
          ports: [
            { name: spec.portName, containerPort: spec.portNumber, protocol: 'TCP' },
            ...(spec.extraPorts ?? []).map(p => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
          ],
        } : {}),
        ...(spec.env.length > 0 ? { env: spec.env } : {}),
        ...((spec.envFrom ?? []).length > 0 ? { envFrom: spec.envFrom } : {}),
        resources: { requests, limits },
        ...(spec.readinessProbe ? { readinessProbe: spec.readinessProbe } : {}),
        ...(spec.livenessProbe ? { livenessProbe: spec.livenessProbe } : {}),
        ...(spec.startupProbe ? { startupProbe: spec.startupProbe } : {}),
        ...(spec.preStopDelaySeconds > 0
          ? { lifecycle: { preStop: { exec: { command: ['sleep', String(spec.preStopDelaySeconds)] } } } }
          : {}),
        securityContext: restrictedSecurityContext(spec, spec.netBindService ?? false),
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(spec.volumeMounts ?? [])],
        ...((spec.volumeDevices ?? []).length > 0 ? { volumeDevices: spec.volumeDevices } : {}),
      }, ...(spec.sidecars ?? [])],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } }, ...(spec.volumes ?? [])],
    },
  };
}

/** A mount path as one folder, however it is written: `/etc/x/` is `/etc/x`, `/etc/../tmp` is `/tmp`. */
export function mountFolder(mountPath: string): string {
  return path.posix.normalize(mountPath).replace(/(.)\/$/, '$1');
}

/** How strictly pods keep apart: on nodes (anti-affinity) and zones (topology spread). */
export interface SpreadRules {
  readonly nodes: 'preferred' | 'required' | 'off';
  readonly zones: 'preferred' | 'required' | 'off';
  readonly maxSkew: number;
}

/** The default spread: preferred on nodes and zones, so it never keeps a pod from scheduling. */
export const DEFAULT_SPREAD: SpreadRules = { nodes: 'preferred', zones: 'preferred', maxSkew: 1 };

/** The pod's `affinity` (node affinity, and the spread's anti-affinity) and topology spread. */
function placement(spec: PodTemplateInput, labelSelector: k8s.LabelSelector): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  const rules = spec.spread === true ? DEFAULT_SPREAD : spec.spread === false ? undefined : spec.spread;
  const term = { topologyKey: 'kubernetes.io/hostname', labelSelector };
  const podAntiAffinity = rules?.nodes === 'preferred' ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] }
    : rules?.nodes === 'required' ? { requiredDuringSchedulingIgnoredDuringExecution: [term] } : undefined;
  const affinity = {
    ...(spec.scheduling?.nodeAffinity ? { nodeAffinity: spec.scheduling.nodeAffinity } : {}),
    ...(podAntiAffinity ? { podAntiAffinity } : {}),
  };
  return {
    ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(rules !== undefined && rules.zones !== 'off' ? {
      topologySpreadConstraints: [{
        maxSkew: rules.maxSkew,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: rules.zones === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector,
      }],
    } : {}),
  };
}

/** The pod spec's scheduling fields; the node affinity goes into `affinity`, beside the spread's. */
function withoutNodeAffinity(scheduling: DeploymentSpec['scheduling']): Omit<NonNullable<DeploymentSpec['scheduling']>, 'nodeAffinity'> {
  return Object.fromEntries(Object.entries(scheduling ?? {}).filter(([key]) => key !== 'nodeAffinity'));
}

/**
 * A Deployment of the app (the app itself, or a worker): zero-downtime rolling updates, Pod
 * Security Standards "restricted", spread over nodes and zones, and for the app a preStop delay
 * so the ingress controller stops routing to a pod before it gets SIGTERM.
 */
export function renderDeployment(scope: Construct, spec: DeploymentSpec, id = 'Deployment',
  options: { servesTraffic?: boolean; command?: string[]; args?: string[] } = {}): ApiObject {
  const manifest = manifestOf(KINDS.KubeDeployment, {
    metadata: workloadMetadata(spec),
    spec: {
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
      revisionHistoryLimit: 5,
      ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
      ...(spec.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: spec.progressDeadlineSeconds } : {}),
      selector: { matchLabels: spec.selector },
      strategy: spec.strategy?.type === 'Recreate' ? { type: 'Recreate' } : {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxUnavailable: intOrString(spec.strategy?.rollingUpdate?.maxUnavailable ?? ROLLING_UPDATE.maxUnavailable),
          maxSurge: intOrString(spec.strategy?.rollingUpdate?.maxSurge ?? ROLLING_UPDATE.maxSurge),
        },
      },
      template: renderPodTemplate({ ...spec, spread: spec.spread ?? true, servesTraffic: options.servesTraffic ?? true, command: options.command, args: options.args }),
    },
  });
  return new StrictApiObject(scope, id, withSleepAction(manifest, spec));
}

/** A workload's metadata: its name, labels, and the annotations of its pod's exemptions with their reasons. */
export function workloadMetadata(spec: Pick<DeploymentSpec, 'name' | 'namespace' | 'labels' | 'annotations' | 'runAsUser' | 'runAsGroup' | 'policyReason'>): k8s.ObjectMeta {
  const annotations = withPodPolicy(spec.annotations, spec);
  return {
    name: spec.name,
    namespace: spec.namespace,
    labels: spec.labels,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/**
 * `manifest` (a workload's) with the main container's preStop hook as the kubelet's `sleep`
 * action, when the spec asks for it: the k8s 1.28 types have no `sleep` handler (added in 1.29),
 * so it is set on the mapped manifest.
 */
export function withSleepAction(manifest: ApiObjectProps, spec: Pick<DeploymentSpec, 'preStopDelaySeconds' | 'preStopSleepAction'>): ApiObjectProps {
  if (spec.preStopDelaySeconds > 0 && spec.preStopSleepAction) {
    manifest.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: spec.preStopDelaySeconds } } };
  }
  return manifest;
}

/**
 * Whether `selector` selects the pods of the rendered `workload` (a Deployment or StatefulSet): it
 * must be there and select by at least one label, since an empty selector selects every pod.
 */
export function selectsPods(selector: Record<string, string> | undefined, workload: any): boolean {
  const podLabels: Record<string, string> = workload.spec.template.metadata.labels ?? {};
  return selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

/**
 * Synth-time check of a rendered pod template (`what` names its workload), after any escape-hatch
 * patches: what the API server refuses, or the pod could not run with. Volume and container names
 * are unique across the pod, every mount names a volume and every volume is mounted, mount paths
 * are unique within a container, env names too, a container an env variable reads the resources
 * of is in the pod, and ports, by number and by name, across the containers that run beside each
 * other (the main ones and native sidecars). `claimTemplates` are the names of a StatefulSet's
 * `volumeClaimTemplates`, volumes the controller adds to each pod.
 */
export function podTemplateErrors(what: string, template: any, claimTemplates: readonly string[] = []): string[] {
  const spec = template?.spec ?? {};
  const all: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const running = [...(spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always'), ...(spec.containers ?? [])];
  const twice = (values: unknown[]) => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
  const volumes: string[] = [...(spec.volumes ?? []).map((v: any) => v.name), ...claimTemplates];
  const mountsOf = (c: any): any[] => [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? []).map((d: any) => ({ name: d.name, mountPath: d.devicePath }))];
  const mounted = new Set(all.flatMap(c => mountsOf(c).map(m => m.name)));
  return [
    ...twice(volumes).map(n => `${what} has two volumes named "${n}"; give each volume a name of its own`),
    ...all.flatMap(c => mountsOf(c).filter(m => !volumes.includes(m.name))
      .map(m => `${what}: container "${c.name}" mounts volume "${m.name}", which the pod does not have; add it to the pod's volumes, or mount one it has`)),
    ...volumes.filter(v => !mounted.has(v)).map(v => `${what} has ${claimTemplates.includes(v) ? 'claim template' : 'volume'} "${v}", which no container mounts; mount it, or remove it`),
    ...all.flatMap(c => twice(mountsOf(c).map(m => mountFolder(String(m.mountPath))))
      .map(p => `${what}: container "${c.name}" mounts two volumes at ${p}; mount each at a path of its own`)),
    ...twice(all.map(c => c.name)).map(n => `${what} has two containers named "${n}"; give each container of a pod a name of its own`),
    ...all.flatMap(c => twice((c.env ?? []).map((e: any) => e.name))
      .map(n => `${what}: container "${c.name}" sets env "${n}" twice, and the API server refuses its server-side apply; set each variable once`)),
    // The kubelet cannot start a container whose variable reads the resources of a container the pod lacks.
    ...all.flatMap(c => (c.env ?? []).filter((e: any) => {
      const container = e.valueFrom?.resourceFieldRef?.containerName;
      return container !== undefined && !all.some(other => other.name === container);
    }).map((e: any) => `${what}: container "${c.name}" sets env "${e.name}" from the resources of container "${e.valueFrom.resourceFieldRef.containerName}", `
      + `which the pod does not have; name one of ${all.map(other => `"${other.name}"`).join(', ')}, or leave 'container' out for the container's own`)),
    ...twice(running.flatMap(c => (c.ports ?? []).map((p: any) => `${p.protocol ?? 'TCP'} port ${p.containerPort}`)))
      .map(p => `${what} has two container ports on ${p}; the containers share the pod's network: give each its own port`),
    ...twice(running.flatMap(c => (c.ports ?? []).map((p: any) => p.name).filter((n: unknown) => n !== undefined)))
      .map(n => `${what} has two ports named "${n}"; a Service or probe that names it could reach either: name each port once`),
  ];
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';
import { claimSpec } from './_claim';
import { DeploymentSpec, renderPodTemplate, selectsPods, withSleepAction, workloadMetadata } from './_deployment';

/** One claim per replica: a `volumeClaimTemplates` entry. */
export interface ClaimTemplateSpec {
  /** The template's name, which is the pod volume's. */
  readonly name: string;
  readonly size: string;
  readonly storageClass?: string;
  readonly accessModes: readonly string[];
  readonly volumeMode: string;
}

/** The StatefulSet of the app or of a worker: the pod of a Deployment, and what only a StatefulSet has. */
export interface StatefulSetSpec extends Omit<DeploymentSpec, 'strategy'> {
  /** The headless Service that gives the pods their DNS names. */
  readonly serviceName: string;
  /** `OrderedReady` or `Parallel`. */
  readonly podManagement: string;
  readonly updateStrategy: { readonly type: 'RollingUpdate' | 'OnDelete'; readonly partition?: number };
  readonly claimTemplates: readonly ClaimTemplateSpec[];
  /** Labels of the claims the templates make: stable ones only, since the templates can never change. */
  readonly claimLabels: Record<string, string>;
  /** `persistentVolumeClaimRetentionPolicy`; `undefined` for the API server's default (retain both). */
  readonly retention?: { readonly whenDeleted: string; readonly whenScaled: string };
}

/**
 * The app (or a worker) as a StatefulSet: the same pod template as its Deployment would have (security,
 * probes, spread, preStop delay), its pods named by ordinal under the headless Service, and a
 * claim per replica from each template. Every volume mode is written out, as on the app's own
 * claims (the API server would add it).
 */
export function renderStatefulSet(scope: Construct, spec: StatefulSetSpec,
  options: { servesTraffic?: boolean; command?: string[]; args?: string[] } = {}): ApiObject {
  const manifest = manifestOf(KINDS.KubeStatefulSet, {
    metadata: workloadMetadata(spec),
    spec: {
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
      revisionHistoryLimit: 5,
      ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
      serviceName: spec.serviceName,
      podManagementPolicy: spec.podManagement,
      selector: { matchLabels: spec.selector },
      updateStrategy: {
        type: spec.updateStrategy.type,
        ...(spec.updateStrategy.partition !== undefined ? { rollingUpdate: { partition: spec.updateStrategy.partition } } : {}),
      },
      ...(spec.retention !== undefined ? { persistentVolumeClaimRetentionPolicy: { ...spec.retention } } : {}),
      template: renderPodTemplate({ ...spec, spread: spec.spread ?? true, servesTraffic: options.servesTraffic ?? true, command: options.command, args: options.args }),
      ...(spec.claimTemplates.length > 0 ? {
        volumeClaimTemplates: spec.claimTemplates.map(c => ({
          metadata: { name: c.name, labels: spec.claimLabels },
          spec: claimSpec(c),
        })),
      } : {}),
    },
  });
  return new StrictApiObject(scope, 'StatefulSet', withSleepAction(manifest, spec));
}

/**
 * Synth-time check of the rendered StatefulSet and its headless Service, after any escape-hatch
 * patches: `serviceName` names the headless Service, which is headless and selects the pods.
 */
export function statefulSetErrors(statefulSet: any, headless: any): string[] {
  const what = `StatefulSet "${statefulSet.metadata.name}"`;
  const errors: string[] = [];
  if (statefulSet.spec.serviceName !== headless.metadata.name) {
    errors.push(`${what} names serviceName "${statefulSet.spec.serviceName}", not its headless Service "${headless.metadata.name}"; its pods would get no DNS names: keep serviceName equal to the headless Service's name`);
  }
  if (headless.spec.clusterIP !== 'None') {
    errors.push(`Service "${headless.metadata.name}" has clusterIP ${JSON.stringify(headless.spec.clusterIP)}, so it is not headless and gives ${what}'s pods no DNS names of their own; keep clusterIP None`);
  }
  if (!selectsPods(headless.spec.selector, statefulSet)) {
    errors.push(`Service "${headless.metadata.name}" selects ${JSON.stringify(headless.spec.selector)}, which the pods of ${what} do not carry; keep the selector equal to selectorLabels`);
  }
  return errors;
}

import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { errorAt, propError, Where } from '../core/errors';
import { shape } from '../core/_shape';
import { checkLabelKey } from '../core/_validate';
import { HostAlias, SchedulingOptions, TaintEffect, Toleration } from './scheduling';

/** The run-time shape of `SchedulingOptions`. */
export const SCHEDULING_SHAPE = shape.object<SchedulingOptions>('SchedulingOptions', {
  nodeSelector: shape.labels,
  tolerations: shape.array(shape.format(shape.object<Toleration>('Toleration', {
    key: shape.format(shape.string, checkLabelKey),
    value: shape.labelValue,
    effect: shape.enum(TaintEffect, 'TaintEffect'),
    tolerationSeconds: shape.int(0, 2147483647),
  }, { required: ['key'] }), checkToleration)),
  priorityClassName: shape.subdomain,
  runtimeClassName: shape.subdomain,
  spread: shape.boolean,
  hostAliases: shape.array(shape.object<HostAlias>('HostAlias', { ip: shape.ip, hostnames: shape.array(shape.subdomain) }, { required: ['ip', 'hostnames'] })),
  podAnnotations: shape.annotations,
  podLabels: shape.objectLabels,
});

/** `tolerationSeconds` means something only for `NoExecute`. */
function checkToleration(where: Where, prop: string, toleration: Toleration): void {
  if (toleration.tolerationSeconds !== undefined && toleration.effect !== TaintEffect.NO_EXECUTE) {
    throw errorAt(where, `${prop}.tolerationSeconds`, toleration.tolerationSeconds, 'is set, but the effect is not NoExecute (the only one that evicts)',
      'set effect to TaintEffect.NO_EXECUTE, or drop tolerationSeconds');
  }
}

/** The pod spec fields of `SchedulingOptions`, and the pods' own annotations and labels. */
export interface SchedulingSpec {
  readonly spread: boolean;
  readonly fields: Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations' | 'priorityClassName' | 'runtimeClassName' | 'hostAliases'>;
  readonly podAnnotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

/** A pod spec's fields with `placed` applied: its scheduling fields, spread, and its pods' own annotations and labels added. */
export function withScheduling(pod: { readonly podAnnotations?: Record<string, string>; readonly podLabels?: Record<string, string> }, placed: SchedulingSpec): {
  scheduling: SchedulingSpec['fields']; spread: boolean; podAnnotations: Record<string, string>; podLabels: Record<string, string>;
} {
  return {
    scheduling: placed.fields,
    spread: placed.spread,
    podAnnotations: { ...(pod.podAnnotations ?? {}), ...placed.podAnnotations },
    podLabels: { ...(pod.podLabels ?? {}), ...placed.podLabels },
  };
}

/**
 * Resolves the scheduling options at `prop` (`scheduling`, `workers[0].scheduling`) for a workload
 * whose own labels and annotations they may not replace.
 */
export function resolveScheduling(scope: IConstruct, prop: string, options: SchedulingOptions | undefined,
  workload: { readonly spread: boolean; readonly labels: Record<string, string>; readonly podAnnotations: Record<string, string> }): SchedulingSpec {
  const o = options ?? {};
  for (const [key, value] of Object.entries(o.podLabels ?? {})) {
    if (Object.hasOwn(workload.labels, key)) {
      throw propError(scope, `${prop}.podLabels["${key}"]`, value, 'would replace a label the app sets on its pods (the selector and the Service rely on them)',
        'pick another key, or set the app\'s labels with their own props');
    }
  }
  for (const [key, value] of Object.entries(o.podAnnotations ?? {})) {
    if (Object.hasOwn(workload.podAnnotations, key) || key.startsWith('checksum/')) {
      throw propError(scope, `${prop}.podAnnotations["${key}"]`, value, 'would replace an annotation the library writes on the pods (a config file\'s content hash)',
        'pick another key');
    }
  }
  const tolerations = (o.tolerations ?? []).map(t => ({
    key: t.key,
    operator: t.value === undefined ? 'Exists' : 'Equal',
    ...(t.value !== undefined ? { value: t.value } : {}),
    ...(t.effect !== undefined ? { effect: t.effect } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
  }));
  return {
    spread: o.spread ?? workload.spread,
    fields: {
      ...(o.nodeSelector !== undefined && Object.keys(o.nodeSelector).length > 0 ? { nodeSelector: { ...o.nodeSelector } } : {}),
      ...(tolerations.length > 0 ? { tolerations } : {}),
      ...(o.priorityClassName !== undefined ? { priorityClassName: o.priorityClassName } : {}),
      ...(o.runtimeClassName !== undefined ? { runtimeClassName: o.runtimeClassName } : {}),
      ...((o.hostAliases ?? []).length > 0 ? { hostAliases: o.hostAliases!.map(a => ({ ip: a.ip, hostnames: [...a.hostnames] })) } : {}),
    },
    podAnnotations: { ...(o.podAnnotations ?? {}) },
    podLabels: { ...(o.podLabels ?? {}) },
  };
}

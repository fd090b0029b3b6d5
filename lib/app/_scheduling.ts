import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { errorAt, propError, Where } from '../core/errors';
import { shape } from '../core/_shape';
import { checkLabelKey } from '../core/_validate';
import { DnsConfig, DnsOption, HostAlias, NodeAffinityTerm, NodeSelectorOperator, SchedulingOptions, SpreadMode, SpreadOptions, TaintEffect, Toleration } from './scheduling';
import { DEFAULT_SPREAD, SpreadRules } from '../resources/_deployment';

/** The run-time shape of `SchedulingOptions`. */
export const SCHEDULING_SHAPE = shape.object<SchedulingOptions>('SchedulingOptions', {
  nodeSelector: shape.labels,
  tolerations: shape.array(shape.format(shape.object<Toleration>('Toleration', {
    key: shape.format(shape.string, checkLabelKey),
    value: shape.labelValue,
    effect: shape.enum(TaintEffect, 'TaintEffect'),
    tolerationSeconds: shape.int(0, 2147483647),
  }, { required: ['key'] }), checkToleration)),
  nodeAffinity: shape.array(shape.format(shape.object<NodeAffinityTerm>('NodeAffinityTerm', {
    key: shape.format(shape.string, checkLabelKey),
    operator: shape.enum(NodeSelectorOperator, 'NodeSelectorOperator'),
    values: shape.array(shape.labelValue),
    weight: shape.int(1, 100),
  }, { required: ['key', 'operator'] }), checkAffinityTerm)),
  dnsConfig: shape.format(shape.object<DnsConfig>('DnsConfig', {
    nameservers: shape.array(shape.ip),
    searches: shape.array(shape.subdomain),
    options: shape.array(shape.object<DnsOption>('DnsOption', { name: shape.format(shape.string, checkDnsOption), value: shape.string }, { required: ['name'] })),
  }), checkDnsConfig),
  priorityClassName: shape.subdomain,
  runtimeClassName: shape.subdomain,
  spread: shape.oneOf(shape.boolean, shape.object<SpreadOptions>('SpreadOptions', {
    nodes: shape.enum(SpreadMode, 'SpreadMode'), zones: shape.enum(SpreadMode, 'SpreadMode'), maxSkew: shape.int(1, 100),
  })),
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

/** The values an operator takes: the API server refuses the others. */
function checkAffinityTerm(where: Where, prop: string, term: NodeAffinityTerm): void {
  const values = term.values ?? [];
  const op = term.operator;
  const problem = (op === NodeSelectorOperator.IN || op === NodeSelectorOperator.NOT_IN) && values.length === 0 ? `needs one or more values with ${op}`
    : (op === NodeSelectorOperator.EXISTS || op === NodeSelectorOperator.DOES_NOT_EXIST) && values.length > 0 ? `takes no values with ${op}`
      : (op === NodeSelectorOperator.GT || op === NodeSelectorOperator.LT) && (values.length !== 1 || !/^-?\d+$/.test(values[0])) ? `takes one integer value with ${op}` : undefined;
  if (problem !== undefined) {
    throw errorAt(where, `${prop}.values`, term.values, problem, 'give the values the operator compares with, e.g. { key, operator: NodeSelectorOperator.IN, values: [\'a\'] }');
  }
}

/** A resolver option name: no spaces, no `:` (resolv.conf writes `name:value`). */
function checkDnsOption(where: Where, prop: string, name: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw errorAt(where, prop, name, 'is not a resolver option', 'give an option of resolv.conf, e.g. \'ndots\'');
  }
}

/** The kubelet's limits: 3 name servers, 32 search domains. */
function checkDnsConfig(where: Where, prop: string, config: DnsConfig): void {
  if ((config.nameservers ?? []).length > 3) {
    throw errorAt(where, `${prop}.nameservers`, config.nameservers, 'has more than the 3 name servers a pod may have', 'keep up to 3');
  }
  if ((config.searches ?? []).length > 32) {
    throw errorAt(where, `${prop}.searches`, `${config.searches!.length} domains`, 'has more than the 32 search domains a pod may have', 'keep up to 32');
  }
}

/** The pod spec fields of `SchedulingOptions`, and the pods' own annotations and labels. */
export interface SchedulingSpec {
  readonly spread: boolean | SpreadRules;
  readonly fields: Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations' | 'priorityClassName' | 'runtimeClassName' | 'hostAliases' | 'dnsConfig'> & { readonly nodeAffinity?: k8s.NodeAffinity };
  readonly podAnnotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

/** A pod spec's fields with `placed` applied: its scheduling fields, spread, and its pods' own annotations and labels added. */
export function withScheduling(pod: { readonly podAnnotations?: Record<string, string>; readonly podLabels?: Record<string, string> }, placed: SchedulingSpec): {
  scheduling: SchedulingSpec['fields']; spread: boolean | SpreadRules; podAnnotations: Record<string, string>; podLabels: Record<string, string>;
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
  const expression = (t: NodeAffinityTerm) => ({ key: t.key, operator: t.operator, ...((t.values ?? []).length > 0 ? { values: [...t.values!] } : {}) });
  const required = (o.nodeAffinity ?? []).filter(t => t.weight === undefined).map(expression);
  const preferred = (o.nodeAffinity ?? []).filter(t => t.weight !== undefined).map(t => ({ weight: t.weight!, preference: { matchExpressions: [expression(t)] } }));
  const dns = o.dnsConfig;
  return {
    spread: typeof o.spread === 'object'
      ? { nodes: o.spread.nodes ?? DEFAULT_SPREAD.nodes, zones: o.spread.zones ?? DEFAULT_SPREAD.zones, maxSkew: shape.whole(o.spread.maxSkew ?? DEFAULT_SPREAD.maxSkew) }
      : o.spread ?? workload.spread,
    fields: {
      ...(o.nodeSelector !== undefined && Object.keys(o.nodeSelector).length > 0 ? { nodeSelector: { ...o.nodeSelector } } : {}),
      ...(required.length + preferred.length > 0 ? {
        nodeAffinity: {
          ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: required }] } } : {}),
          ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
        },
      } : {}),
      ...(dns !== undefined && (dns.nameservers ?? []).length + (dns.searches ?? []).length + (dns.options ?? []).length > 0 ? {
        dnsConfig: {
          ...((dns.nameservers ?? []).length > 0 ? { nameservers: [...dns.nameservers!] } : {}),
          ...((dns.searches ?? []).length > 0 ? { searches: [...dns.searches!] } : {}),
          ...((dns.options ?? []).length > 0 ? { options: dns.options!.map(d => ({ name: d.name, ...(d.value !== undefined ? { value: d.value } : {}) })) } : {}),
        },
      } : {}),
      ...(tolerations.length > 0 ? { tolerations } : {}),
      ...(o.priorityClassName !== undefined ? { priorityClassName: o.priorityClassName } : {}),
      ...(o.runtimeClassName !== undefined ? { runtimeClassName: o.runtimeClassName } : {}),
      ...((o.hostAliases ?? []).length > 0 ? { hostAliases: o.hostAliases!.map(a => ({ ip: a.ip, hostnames: [...a.hostnames] })) } : {}),
    },
    podAnnotations: { ...(o.podAnnotations ?? {}) },
    podLabels: { ...(o.podLabels ?? {}) },
  };
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';

export interface DisruptionBudgetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly maxUnavailable: number | string;
}

/**
 * The app's PodDisruptionBudget. It never blocks a node drain: at least one pod may always go,
 * and pods that are not ready may always be evicted.
 */
export function renderDisruptionBudget(scope: Construct, spec: DisruptionBudgetSpec): ApiObject {
  return new StrictApiObject(scope, 'DisruptionBudget', manifestOf(KINDS.KubePodDisruptionBudget, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      maxUnavailable: typeof spec.maxUnavailable === 'number'
        ? intOrString(spec.maxUnavailable)
        : intOrString(spec.maxUnavailable),
      selector: { matchLabels: spec.selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  }));
}

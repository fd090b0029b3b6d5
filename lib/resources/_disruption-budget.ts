import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';
import { selectsPods } from './_deployment';

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

/**
 * Synth-time check of the rendered PodDisruptionBudget: it lets a pod go, covers an app that
 * keeps at least 2 replicas (its autoscaler's minimum, if `hpa` is given) and selects the pods of
 * its workload (a Deployment or StatefulSet).
 */
export function disruptionBudgetErrors(pdb: any, workload: any, hpa: any | undefined): string[] {
  const errors: string[] = [];
  const floor = hpa ? hpa.spec.minReplicas ?? 1 : workload.spec.replicas ?? 1;
  if (pdb.spec.minAvailable !== undefined || !allowsDisruption(pdb.spec.maxUnavailable)) {
    errors.push('PodDisruptionBudget would allow no disruption and block node drains; keep maxUnavailable at 1 or more');
  }
  if (floor < 2) {
    errors.push(`PodDisruptionBudget covers an app whose minimum is ${floor} replica(s); a drain would take the app down: run at least 2`);
  }
  if (!selectsPods(pdb.spec.selector?.matchLabels, workload)) {
    errors.push('PodDisruptionBudget selector does not match the app\'s pods; keep it equal to selectorLabels');
  }
  return errors;
}

/** A PDB maxUnavailable that lets at least one pod go: a count of 1 or more, or a percentage from 1% to 100%. */
function allowsDisruption(value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1;
  }
  const percent = typeof value === 'string' ? /^([0-9]+)%$/.exec(value) : null;
  return percent !== null && Number(percent[1]) >= 1 && Number(percent[1]) <= 100;
}

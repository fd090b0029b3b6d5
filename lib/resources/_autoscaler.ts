import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

export interface AutoscalerSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The workload it scales: the app's or a worker's Deployment, or the app's StatefulSet. */
  readonly target: { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization?: number;
  readonly memoryUtilization?: number;
  readonly scaleDownStabilizationSeconds: number;
}

/** The app's HorizontalPodAutoscaler (`autoscaling/v2`) on resource utilization. */
export function renderAutoscaler(scope: Construct, spec: AutoscalerSpec): ApiObject {
  const metrics: k8s.MetricSpecV2[] = [];
  for (const [resource, utilization] of [['cpu', spec.cpuUtilization], ['memory', spec.memoryUtilization]] as const) {
    if (utilization !== undefined) {
      metrics.push({ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: utilization } } });
    }
  }
  return new StrictApiObject(scope, 'Autoscaler', manifestOf(KINDS.KubeHorizontalPodAutoscalerV2, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: spec.target.kind, name: spec.target.name },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics,
      behavior: {
        scaleDown: { stabilizationWindowSeconds: spec.scaleDownStabilizationSeconds },
      },
    },
  }));
}

/** Synth-time check of the rendered HorizontalPodAutoscaler: it scales the app's workload, which leaves the count to it. */
export function autoscalerErrors(hpa: any, workload: any): string[] {
  const errors: string[] = [];
  const what = `${workload.kind} "${workload.metadata.name}"`;
  const target = hpa.spec.scaleTargetRef;
  if (target.name !== workload.metadata.name || target.kind !== workload.kind) {
    errors.push(`HorizontalPodAutoscaler targets ${target.kind} "${target.name}", not ${what}; scale the app's ${workload.kind}`);
  }
  if (workload.spec.replicas !== undefined) {
    errors.push(`${workload.kind} sets spec.replicas although an autoscaler owns the count; every apply would reset the scale, so remove it`);
  }
  return errors;
}

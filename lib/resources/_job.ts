import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

export interface JobSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  /** Its pod, `restartPolicy: Never`: a failed try leaves its pod and logs, and the retry is a new pod. */
  readonly template: k8s.PodTemplateSpec;
}

/** A Job that runs once: a release's migration, or a job after the release. */
export function renderJob(scope: Construct, id: string, spec: JobSpec): ApiObject {
  return new StrictApiObject(scope, id, manifestOf(KINDS.KubeJob, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels, annotations: spec.annotations },
    spec: {
      backoffLimit: spec.backoffLimit,
      activeDeadlineSeconds: spec.activeDeadlineSeconds,
      template: spec.template,
    },
  }));
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';
import { selectsPods } from './_deployment';

export interface ServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** The Service port (named `http`). */
  readonly port: number;
  /** The container's named port it forwards to. */
  readonly targetPortName: string;
  /** More ports, each to the container port of its name (the metrics port). */
  readonly extraPorts?: Array<{ readonly name: string; readonly port: number }>;
}

/** The app's ClusterIP Service. */
export function renderService(scope: Construct, spec: ServiceSpec): ApiObject {
  return new StrictApiObject(scope, 'Service', manifestOf(KINDS.KubeService, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      type: 'ClusterIP',
      selector: spec.selector,
      ports: [
        { name: 'http', port: spec.port, protocol: 'TCP', targetPort: intOrString(spec.targetPortName) },
        ...(spec.extraPorts ?? []).map(p => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: intOrString(p.name) })),
      ],
    },
  }));
}

/** Synth-time check of the rendered Service, after any escape-hatch patches: it selects the app's pods. */
export function serviceErrors(service: any, deployment: any): string[] {
  return selectsPods(service.spec.selector, deployment) ? [] : [
    `Service "${service.metadata.name}" selects ${JSON.stringify(service.spec.selector)}, which the pods of Deployment "${deployment.metadata.name}" do not carry; keep the selector equal to selectorLabels`,
  ];
}

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
  /** More ports, each to the container port of its name (the metrics port, the app's `ports`). */
  readonly extraPorts?: Array<{ readonly name: string; readonly port: number; readonly protocol?: string; readonly appProtocol?: string }>;
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
        ...(spec.extraPorts ?? []).map(p => ({
          name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: intOrString(p.name), ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}),
        })),
      ],
    },
  }));
}

/** What the headless Service of a StatefulSet (the app's or a worker's) needs. */
export interface HeadlessServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** The app's port, by its number and name; `undefined` for a worker, which serves none (a headless Service may have no ports). */
  readonly port?: { readonly number: number; readonly name: string };
}

/**
 * The headless Service a StatefulSet names (`serviceName`): no cluster IP, a DNS name per pod
 * (`<app>-0.<app>-headless.<namespace>.svc`). It publishes pods that are not ready yet, since
 * it is how peers find each other while they start (a cluster forming its quorum); clients go
 * through the ClusterIP Service, which routes to ready pods only.
 */
export function renderHeadlessService(scope: Construct, spec: HeadlessServiceSpec): ApiObject {
  return new StrictApiObject(scope, 'HeadlessService', manifestOf(KINDS.KubeService, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      clusterIp: 'None',
      publishNotReadyAddresses: true,
      selector: spec.selector,
      ...(spec.port !== undefined ? { ports: [{ name: spec.port.name, port: spec.port.number, protocol: 'TCP', targetPort: intOrString(spec.port.name) }] } : {}),
    },
  }));
}

/** Synth-time check of the rendered Service, after any escape-hatch patches: it selects the pods of the app's workload. */
export function serviceErrors(service: any, workload: any): string[] {
  return selectsPods(service.spec.selector, workload) ? [] : [
    `Service "${service.metadata.name}" selects ${JSON.stringify(service.spec.selector)}, which the pods of ${workload.kind} "${workload.metadata.name}" do not carry; keep the selector equal to selectorLabels`,
  ];
}

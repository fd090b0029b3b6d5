import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { shape } from '../core/_shape';
import { ServiceAccountOptions, WorkloadIdentity } from './service-account';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

/** The run-time shape of `ServiceAccountOptions`. */
export const SERVICE_ACCOUNT_SHAPE = shape.object<ServiceAccountOptions>('ServiceAccountOptions', {
  name: shape.subdomain,
  create: shape.boolean,
  workloadIdentity: shape.instance(WorkloadIdentity, 'WorkloadIdentity', 'use WorkloadIdentity.eks(roleArn), .gke(serviceAccount) or .azure(clientId)'),
  mountToken: shape.boolean,
});

/** The app's ServiceAccount, validated: what the pod runs as and whether it is emitted. */
export interface ServiceAccountSpec {
  readonly name: string;
  readonly create: boolean;
  readonly annotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly mountToken: boolean;
}

/** Validates `serviceAccount`; `undefined` when the app runs as the namespace's default, without a token. */
export function resolveServiceAccount(scope: IConstruct, options: ServiceAccountOptions | undefined, app: { readonly name: string }): ServiceAccountSpec | undefined {
  if (options === undefined) {
    return undefined;
  }
  const identity = options.workloadIdentity;
  if (identity !== undefined && !identity.pattern.test(identity.value)) {
    throw propError(scope, 'serviceAccount.workloadIdentity', identity.value, `is not ${/^[AEIOU]/.test(identity.cloud) ? 'an' : 'a'} ${identity.cloud} ${identity.argument}`,
      `give the ${identity.argument} as ${identity.cloud} shows it`);
  }
  const create = options.create ?? true;
  if (!create && identity !== undefined) {
    throw propError(scope, 'serviceAccount.workloadIdentity', identity.value, 'is set, but the ServiceAccount is not emitted here',
      'annotate the existing ServiceAccount where it is managed, or let the app create its own');
  }
  return {
    name: options.name ?? app.name,
    create,
    annotations: { ...(identity?.annotations ?? {}) },
    podLabels: { ...(identity?.podLabels ?? {}) },
    mountToken: options.mountToken ?? false,
  };
}

/** The ServiceAccount, with no token of its own mounted anywhere unless the pod asks. */
export function renderServiceAccount(scope: Construct, spec: ServiceAccountSpec, meta: { namespace: string; labels: Record<string, string> }): ApiObject {
  return new StrictApiObject(scope, 'ServiceAccount', manifestOf(KINDS.KubeServiceAccount, {
    metadata: {
      name: spec.name, namespace: meta.namespace, labels: meta.labels,
      ...(Object.keys(spec.annotations).length > 0 ? { annotations: spec.annotations } : {}),
    },
    automountServiceAccountToken: false,
  }));
}

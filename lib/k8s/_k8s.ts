import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { GeneratedKind } from './_manifest';

/**
 * cdk8s-plus-28's generated Kubernetes bindings, loaded when first needed. The module is 2.7 MB
 * of JavaScript, a fifth of a one-stack synth's time to load, and a synth no longer runs it:
 * manifests are written by `manifestOf()`, which falls back on a kind's generated `manifest()`
 * (that loads it) only for what it does not write itself. The rest of the library imports the
 * module for its types only.
 */
export function generatedK8s(): typeof k8s {
  return require('cdk8s-plus-28/lib/imports/k8s');
}

/** A generated kind by its class name, its group, version and kind written here, its `manifest()` loaded when called. */
function kind<P>(className: KindName, apiVersion: string, kindName: string): GeneratedKind<P> {
  return {
    GVK: { apiVersion, kind: kindName },
    manifest: (props: P) => (generatedK8s()[className] as unknown as GeneratedKind<P>).manifest(props),
  };
}

type KindName = 'KubeClusterRole' | 'KubeClusterRoleBinding' | 'KubeRole' | 'KubeRoleBinding' | 'KubeConfigMap' | 'KubeCronJob' | 'KubeDeployment' | 'KubeJob' | 'KubePersistentVolumeClaim' | 'KubeHorizontalPodAutoscalerV2' | 'KubeIngress' | 'KubeNamespace'
  | 'KubeNetworkPolicy' | 'KubePodDisruptionBudget' | 'KubeService' | 'KubeServiceAccount' | 'KubeStatefulSet';

/** The kinds the library writes (a test holds each equal to its generated class's GVK). */
export const KINDS = {
  KubeClusterRole: kind<k8s.KubeClusterRoleProps>('KubeClusterRole', 'rbac.authorization.k8s.io/v1', 'ClusterRole'),
  KubeClusterRoleBinding: kind<k8s.KubeClusterRoleBindingProps>('KubeClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
  KubeRole: kind<k8s.KubeRoleProps>('KubeRole', 'rbac.authorization.k8s.io/v1', 'Role'),
  KubeRoleBinding: kind<k8s.KubeRoleBindingProps>('KubeRoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding'),
  KubeConfigMap: kind<k8s.KubeConfigMapProps>('KubeConfigMap', 'v1', 'ConfigMap'),
  KubeCronJob: kind<k8s.KubeCronJobProps>('KubeCronJob', 'batch/v1', 'CronJob'),
  KubeDeployment: kind<k8s.KubeDeploymentProps>('KubeDeployment', 'apps/v1', 'Deployment'),
  KubeJob: kind<k8s.KubeJobProps>('KubeJob', 'batch/v1', 'Job'),
  KubeHorizontalPodAutoscalerV2: kind<k8s.KubeHorizontalPodAutoscalerV2Props>('KubeHorizontalPodAutoscalerV2', 'autoscaling/v2', 'HorizontalPodAutoscaler'),
  KubeIngress: kind<k8s.KubeIngressProps>('KubeIngress', 'networking.k8s.io/v1', 'Ingress'),
  KubeNamespace: kind<k8s.KubeNamespaceProps>('KubeNamespace', 'v1', 'Namespace'),
  KubeNetworkPolicy: kind<k8s.KubeNetworkPolicyProps>('KubeNetworkPolicy', 'networking.k8s.io/v1', 'NetworkPolicy'),
  KubePersistentVolumeClaim: kind<k8s.KubePersistentVolumeClaimProps>('KubePersistentVolumeClaim', 'v1', 'PersistentVolumeClaim'),
  KubePodDisruptionBudget: kind<k8s.KubePodDisruptionBudgetProps>('KubePodDisruptionBudget', 'policy/v1', 'PodDisruptionBudget'),
  KubeService: kind<k8s.KubeServiceProps>('KubeService', 'v1', 'Service'),
  KubeServiceAccount: kind<k8s.KubeServiceAccountProps>('KubeServiceAccount', 'v1', 'ServiceAccount'),
  KubeStatefulSet: kind<k8s.KubeStatefulSetProps>('KubeStatefulSet', 'apps/v1', 'StatefulSet'),
} as const;

/**
 * What `k8s.IntOrString.fromString()` / `fromNumber()` and `k8s.Quantity.fromString()` make,
 * without loading the module: an instance holding `value`, all the generated code and
 * `manifestOf()` read of it.
 */
class Held {
  public constructor(public readonly value: string | number) {}
}

/** An IntOrString: a port name or number, a count or percentage. */
export function intOrString(value: string | number): k8s.IntOrString {
  return new Held(value) as unknown as k8s.IntOrString;
}

/** A Quantity: `64Mi`, `250m`. */
export function quantity(value: string): k8s.Quantity {
  return new Held(value) as unknown as k8s.Quantity;
}

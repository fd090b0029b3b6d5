/**
 * Policy-checker exceptions, each written as the checker's own ignore annotation on the object
 * it concerns, with its reason beside it. The README lists every one.
 */
export const REASON_ANNOTATION = 'cdk8s-webstack/policy-exceptions';

/** The VIP selects ingress-controller pods that another chart deploys. */
export const VIP_SELECTS_EXTERNAL_PODS: Record<string, string> = {
  'kube-score/ignore': 'service-targets-pod',
  'ignore-check.kube-linter.io/dangling-service': 'selects the ingress controller pods, deployed by their own chart',
  'ignore-check.kube-linter.io/exposed-services': 'the VIP is the entry point of the cluster: a LoadBalancer by design',
  [REASON_ANNOTATION]: 'service-targets-pod, dangling-service: the selected ingress controller pods are deployed by their own chart, not by this bundle; exposed-services: the VIP is the entry point, a LoadBalancer by design',
};

/** An autoscaled Deployment leaves `spec.replicas` to its HorizontalPodAutoscaler. */
export const REPLICAS_OWNED_BY_AUTOSCALER: Record<string, string> = {
  'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true',
  'ignore-check.kube-linter.io/minimum-three-replicas': 'the HorizontalPodAutoscaler owns the replica count',
  [REASON_ANNOTATION]: 'deploymentMissingReplicas, minimum-three-replicas: the HorizontalPodAutoscaler owns the replica count (at least 2), so spec.replicas is left out',
};

/** `annotations` with `reason` added to the policy-exception annotation (after any reason there). */
export function withReason(annotations: Record<string, string>, reason: string | undefined): Record<string, string> {
  if (reason === undefined) {
    return annotations;
  }
  const before = annotations[REASON_ANNOTATION];
  return { ...annotations, [REASON_ANNOTATION]: before === undefined ? reason : `${before}; ${reason}` };
}

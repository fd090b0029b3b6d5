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

/** A TCP route behind an IngressVip is a LoadBalancer of the app's own pods. */
export const TCP_ROUTE_LOAD_BALANCER: Record<string, string> = {
  'ignore-check.kube-linter.io/exposed-services': 'a TCP route behind an IngressVip: the port is served to clients outside the cluster by a LoadBalancer of its own, by design',
  [REASON_ANNOTATION]: 'exposed-services: a TCP route behind an IngressVip is served to clients outside the cluster by a LoadBalancer of its own, by design',
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

/** A UID or GID below this is a host user's range: kube-score's user-group-id check flags it. */
export const HOST_ID_LIMIT = 10000;

/**
 * `annotations` with what a workload's pod needs the checkers told, and why: kube-score's
 * ignore of its user-group-id check when the pod runs with an acknowledged low UID or GID
 * (`security.exception.lowIds`), and the pod's acknowledged exceptions as the reason.
 */
export function withPodPolicy(annotations: Record<string, string>, pod: { readonly runAsUser: number; readonly runAsGroup: number; readonly policyReason?: string }): Record<string, string> {
  const low = pod.runAsUser < HOST_ID_LIMIT || pod.runAsGroup < HOST_ID_LIMIT;
  const ignored = annotations['kube-score/ignore'];
  const merged = low ? { ...annotations, 'kube-score/ignore': ignored === undefined ? 'container-security-context-user-group-id' : `${ignored},container-security-context-user-group-id` } : annotations;
  return withReason(merged, pod.policyReason);
}

/** Annotations of several exemptions together, their reasons joined. */
export function mergeExemptions(...all: Array<Record<string, string>>): Record<string, string> {
  return all.reduce((merged, next) => {
    const { [REASON_ANNOTATION]: reason, ...rest } = next;
    return withReason({ ...merged, ...rest }, reason);
  }, {});
}

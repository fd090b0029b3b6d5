import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * The security context every container of the pod gets: the Pod Security Standards
 * "restricted" profile, as the app's own container has it.
 */
export function restrictedSecurityContext(pod: { readonly runAsUser: number; readonly runAsGroup: number; readonly readOnlyRootFilesystem: boolean },
  netBindService = false): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: pod.readOnlyRootFilesystem,
    runAsNonRoot: true,
    runAsUser: pod.runAsUser,
    runAsGroup: pod.runAsGroup,
    // NET_BIND_SERVICE is the one capability "restricted" lets a container add.
    capabilities: { drop: ['ALL'], ...(netBindService ? { add: ['NET_BIND_SERVICE'] } : {}) },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}


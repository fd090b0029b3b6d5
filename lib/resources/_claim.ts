import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, quantity } from '../k8s/_k8s';
import { KEPT } from '../k8s/_appliers';

/** A PersistentVolumeClaim the app emits. */
export interface ClaimSpec {
  /** Its construct id: `Claim` and the volume's name in PascalCase. */
  readonly id: string;
  readonly name: string;
  /** The pod volume that mounts it. */
  readonly volume: string;
  readonly size: string;
  readonly storageClass?: string;
  readonly accessModes: readonly string[];
  readonly volumeMode: string;
  /** Applied outside the ApplySet and never pruned, by kubectl, Argo CD or Flux. */
  readonly keep: boolean;
}

/**
 * A PersistentVolumeClaim of the app. Its volume mode is written out (the API server would add
 * it), so that it reads back as written.
 */
export function renderClaim(scope: Construct, spec: ClaimSpec, meta: { namespace: string; labels: Record<string, string> }): ApiObject {
  return new StrictApiObject(scope, spec.id, manifestOf(KINDS.KubePersistentVolumeClaim, {
    metadata: { name: spec.name, namespace: meta.namespace, labels: meta.labels, ...(spec.keep ? { annotations: { ...KEPT } } : {}) },
    spec: claimSpec(spec),
  }));
}

/** A claim's spec, of the app's own claims and of a StatefulSet's templates alike. */
export function claimSpec(claim: Pick<ClaimSpec, 'accessModes' | 'size' | 'storageClass' | 'volumeMode'>): k8s.PersistentVolumeClaimSpec {
  return {
    accessModes: [...claim.accessModes],
    resources: { requests: { storage: quantity(claim.size) } },
    ...(claim.storageClass !== undefined ? { storageClassName: claim.storageClass } : {}),
    volumeMode: claim.volumeMode,
  };
}

/**
 * Synth-time check of the rendered claims and the workloads that mount them, after any
 * escape-hatch patches: a claim only one node (or pod) may mount is held by one workload, at one
 * replica, replaced by `Recreate`; every claim a pod names that the app emits exists.
 */
export function claimErrors(claims: readonly any[], workloads: ReadonlyArray<{ what: string; replicas?: number; recreate: boolean; template: any }>): string[] {
  const errors: string[] = [];
  for (const claim of claims) {
    const modes: string[] = claim.spec?.accessModes ?? [];
    if (modes.includes('ReadWriteMany') || !modes.some(m => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod')) {
      continue;
    }
    const users = workloads.filter(w => (w.template?.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
    if (users.length > 1) {
      errors.push(`PersistentVolumeClaim "${claim.metadata.name}" (${modes.join(', ')}) is mounted by ${users.map(u => u.what).join(' and ')}, whose pods may land on different nodes and never start; mount it in one workload, or give it ReadWriteMany`);
    }
    for (const user of users) {
      if (user.replicas !== 1 || !user.recreate) {
        errors.push(`PersistentVolumeClaim "${claim.metadata.name}" (${modes.join(', ')}) is mounted by ${user.what}, ${user.replicas !== 1 ? `at ${user.replicas ?? 'autoscaled'} replicas` : 'replaced by a rolling update'}; run one replica with the Recreate strategy, or give the claim ReadWriteMany, or give each replica a claim of its own (statefulSet.claims)`);
      }
    }
  }
  return errors;
}

import { RbacOptions } from './rbac';
import { checkShape, shape } from '../core/_shape';

/**
 * A cloud's workload identity for the app's ServiceAccount: the annotation (and, for Azure, the
 * pod label) that lets the pods act as a cloud identity without a stored key.
 */
export class WorkloadIdentity {
  /** EKS IAM Roles for Service Accounts: `eks.amazonaws.com/role-arn`. */
  public static eks(roleArn: string): WorkloadIdentity {
    checkShape('WorkloadIdentity.eks()', 'roleArn', roleArn ?? null, shape.string);
    return new WorkloadIdentity('EKS', 'roleArn', roleArn, /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
      { 'eks.amazonaws.com/role-arn': roleArn }, {});
  }

  /** GKE Workload Identity: `iam.gke.io/gcp-service-account`. */
  public static gke(googleServiceAccount: string): WorkloadIdentity {
    checkShape('WorkloadIdentity.gke()', 'googleServiceAccount', googleServiceAccount ?? null, shape.string);
    return new WorkloadIdentity('GKE', 'googleServiceAccount', googleServiceAccount, /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.]+\.iam\.gserviceaccount\.com$/,
      { 'iam.gke.io/gcp-service-account': googleServiceAccount }, {});
  }

  /** Azure Workload Identity: `azure.workload.identity/client-id`, and the pods' `azure.workload.identity/use` label. */
  public static azure(clientId: string): WorkloadIdentity {
    checkShape('WorkloadIdentity.azure()', 'clientId', clientId ?? null, shape.string);
    return new WorkloadIdentity('Azure', 'clientId', clientId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      { 'azure.workload.identity/client-id': clientId }, { 'azure.workload.identity/use': 'true' });
  }

  private constructor(
    /** The cloud, for messages. */
    public readonly cloud: string,
    /** The argument's name, for messages. */
    public readonly argument: string,
    /** The identity given. */
    public readonly value: string,
    /** What a valid identity of this cloud looks like. */
    public readonly pattern: RegExp,
    /** Annotations of the ServiceAccount. */
    public readonly annotations: Readonly<Record<string, string>>,
    /** Labels of the pods. */
    public readonly podLabels: Readonly<Record<string, string>>,
  ) {}
}

/** The app's ServiceAccount: `WebAppProps.serviceAccount`. */
export interface ServiceAccountOptions {
  /**
   * Its name.
   * @default - the app's name
   */
  readonly name?: string;
  /**
   * Emit it. Turn off to run as an existing ServiceAccount of that name.
   * @default true
   */
  readonly create?: boolean;
  /**
   * A cloud identity for the pods (EKS, GKE, Azure).
   * @default - none
   */
  readonly workloadIdentity?: WorkloadIdentity;
  /**
   * Mount the ServiceAccount's API token into the pods. Only for apps that call the Kubernetes API.
   * @default false
   */
  readonly mountToken?: boolean;
  /**
   * Roles of the ServiceAccount, in the app's namespace and across the cluster, each bound to it alone.
   * @default - none: the ServiceAccount may do nothing with the Kubernetes API
   */
  readonly rbac?: RbacOptions;
}

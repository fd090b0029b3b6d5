/**
 * Where the Ingress's TLS certificate comes from.
 */
export class IngressTls {
  /** An existing `kubernetes.io/tls` Secret in the app's namespace. */
  public static fromSecret(secretName: string): IngressTls {
    return new IngressTls(secretName, undefined);
  }

  /**
   * A certificate that cert-manager issues from the ClusterIssuer `issuerName` into the
   * Secret `secretName` (the `cert-manager.io/cluster-issuer` annotation).
   * @param secretName @default - '<app name>-tls'
   */
  public static fromClusterIssuer(issuerName: string, secretName?: string): IngressTls {
    return new IngressTls(secretName, issuerName);
  }

  private constructor(
    /** The Secret that holds the certificate; `undefined` means `<app name>-tls`. */
    public readonly secretName: string | undefined,
    /** The cert-manager ClusterIssuer, if cert-manager issues the certificate. */
    public readonly clusterIssuer: string | undefined,
  ) {}
}

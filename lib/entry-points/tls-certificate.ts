import { checkShape, shape } from '../core/_shape';

/** Where an app's TLS certificate comes from: one choice, whatever entry point serves the app. */
export class TlsCertificate {
  /**
   * An existing `kubernetes.io/tls` Secret.
   *
   * Behind an `IngressVip` it must live in the app's namespace. Behind a `Gateway` it may live in
   * the app's namespace (the app then emits a `ReferenceGrant` that lets the Gateway read it) or
   * in the Gateway's.
   * @param secretName the Secret's name
   * @param options.namespace @default - the app's namespace
   */
  public static fromSecret(secretName: string, options: { readonly namespace?: string } = {}): TlsCertificate {
    checkShape('TlsCertificate.fromSecret()', 'secretName', secretName ?? null, shape.string);
    checkShape('TlsCertificate.fromSecret()', 'options', options, shape.object<{ namespace?: string }>('options', { namespace: shape.string }));
    return new TlsCertificate('secret', secretName, options.namespace, undefined);
  }

  /**
   * A certificate that cert-manager issues from the ClusterIssuer `issuerName` (the
   * `cert-manager.io/cluster-issuer` annotation). Behind an `IngressVip` the annotation goes on
   * the app's Ingress and the Secret is in the app's namespace; behind a `Gateway` it goes on the
   * Gateway, whose cert-manager gateway-shim writes the Secret into the Gateway's namespace.
   * @param secretName @default - '<app name>-tls' behind an IngressVip, '<host>-tls' behind a Gateway
   */
  public static fromClusterIssuer(issuerName: string, secretName?: string): TlsCertificate {
    checkShape('TlsCertificate.fromClusterIssuer()', 'issuerName', issuerName ?? null, shape.string);
    checkShape('TlsCertificate.fromClusterIssuer()', 'secretName', secretName, shape.string);
    return new TlsCertificate('cluster-issuer', secretName, undefined, issuerName);
  }

  /**
   * The certificate of the entry point's own HTTPS listener: the wildcard listener of a
   * `Gateway`, or the HTTPS listener of an `ExistingGateway` that the platform team manages.
   */
  public static fromGatewayListener(): TlsCertificate {
    return new TlsCertificate('gateway-listener', undefined, undefined, undefined);
  }

  private constructor(
    /** Where the certificate comes from. */
    public readonly source: 'secret' | 'cluster-issuer' | 'gateway-listener',
    /** The Secret that holds the certificate; `undefined` means the entry point's default. */
    public readonly secretName: string | undefined,
    /** The Secret's namespace; `undefined` means the app's (or, for cert-manager behind a Gateway, the Gateway's). */
    public readonly secretNamespace: string | undefined,
    /** The cert-manager ClusterIssuer, if cert-manager issues the certificate. */
    public readonly clusterIssuer: string | undefined,
  ) {}
}

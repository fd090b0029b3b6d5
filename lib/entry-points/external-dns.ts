/** The annotation prefix ExternalDNS reads (its `--annotation-prefix`). */
export enum ExternalDnsAnnotationPrefix {
  /** `external-dns.kubernetes.io/`: the default of ExternalDNS 0.22 and later. */
  CURRENT = 'external-dns.kubernetes.io/',
  /** `external-dns.alpha.kubernetes.io/`: ExternalDNS 0.21 and earlier, or later ones run with this `--annotation-prefix`. */
  LEGACY_ALPHA = 'external-dns.alpha.kubernetes.io/',
}

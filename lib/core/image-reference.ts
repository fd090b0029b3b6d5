/** A container image reference, parsed: `WebApp.image`. */
export interface ImageReference {
  /** The whole reference, as given (`registry.example.com/team/shop:1.4.2`). */
  readonly reference: string;
  /** The registry host, with its port if any (`registry.example.com`, `localhost:5000`). */
  readonly registry: string;
  /** The path in the registry (`team/shop`). */
  readonly repository: string;
  /** The tag, if the reference has one. */
  readonly tag?: string;
  /** The digest (`sha256:...`), if the reference has one. */
  readonly digest?: string;
}

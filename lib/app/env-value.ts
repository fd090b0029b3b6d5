import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { checkShape, shape } from '../core/_shape';

const FROM_OPTIONS = shape.object<EnvValueFromOptions>('EnvValueFromOptions', { optional: shape.boolean });

/**
 * The value of one environment variable: a literal, or a key of an existing Secret or ConfigMap.
 */
export class EnvValue {
  /** A literal value, written into the manifest. Never put a secret here. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** The value of `key` in the existing Secret `secretName`, read when the pod starts. */
  public static fromSecret(secretName: string, key: string, options: EnvValueFromOptions = {}): EnvValue {
    checkShape('EnvValue.fromSecret()', 'options', options, FROM_OPTIONS);
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, optional: options.optional } } }, secretName, key);
  }

  /** The value of `key` in the existing ConfigMap `configMapName`, read when the pod starts. */
  public static fromConfigMap(configMapName: string, key: string, options: EnvValueFromOptions = {}): EnvValue {
    checkShape('EnvValue.fromConfigMap()', 'options', options, FROM_OPTIONS);
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, optional: options.optional } } }, configMapName, key);
  }

  private constructor(
    private readonly source: Omit<k8s.EnvVar, 'name'>,
    /** Name of the referenced object, for validation. */
    public readonly objectName?: string,
    /** Key in the referenced object, for validation. */
    public readonly key?: string,
  ) {}

  /** @internal */
  public _toEnvVar(name: string): k8s.EnvVar {
    return { name, ...this.source };
  }
}

/** Options of `EnvValue.fromSecret()` and `fromConfigMap()`. */
export interface EnvValueFromOptions {
  /**
   * Start the pod even when the object or key is missing.
   * @default false
   */
  readonly optional?: boolean;
}

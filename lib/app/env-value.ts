import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { checkShape, shape } from '../core/_shape';
import { errorAt } from '../core/errors';
import { checkLabelKey } from '../core/_validate';
import { quantity } from '../k8s/_k8s';

const FROM_OPTIONS = shape.object<EnvValueFromOptions>('EnvValueFromOptions', { optional: shape.boolean });

/**
 * A field of the pod that an environment variable can read (the downward API's `fieldRef`).
 * These are the fields the API server accepts for environment variables; the pod's whole labels
 * and annotations are only for volumes (one of them: `EnvValue.fromPodLabel()`, `fromPodAnnotation()`).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#downwardapi-fieldRef
 */
export enum PodField {
  /** The pod's name. */
  NAME = 'metadata.name',
  /** The pod's namespace. */
  NAMESPACE = 'metadata.namespace',
  /** The pod's unique ID. */
  UID = 'metadata.uid',
  /** The name of the node the pod runs on. */
  NODE_NAME = 'spec.nodeName',
  /** The name of the pod's service account. */
  SERVICE_ACCOUNT = 'spec.serviceAccountName',
  /** The node's primary IP address. */
  HOST_IP = 'status.hostIP',
  /**
   * The node's IP addresses, comma-separated (dual-stack; the first is `HOST_IP`). Kubernetes
   * 1.29 and later: 1.28 refuses it unless its alpha `PodHostIPs` feature gate is on.
   */
  HOST_IPS = 'status.hostIPs',
  /** The pod's primary IP address. */
  POD_IP = 'status.podIP',
  /** The pod's IP addresses, comma-separated (dual-stack; the first is `POD_IP`). */
  POD_IPS = 'status.podIPs',
}

/**
 * A resource of a container that an environment variable can read (the downward API's
 * `resourceFieldRef`). A limit the container does not set reads as the node's allocatable amount.
 */
export enum ContainerResource {
  /** The CPU request. */
  REQUESTS_CPU = 'requests.cpu',
  /** The CPU limit (`GOMAXPROCS`, a worker count). */
  LIMITS_CPU = 'limits.cpu',
  /** The memory request. */
  REQUESTS_MEMORY = 'requests.memory',
  /** The memory limit (`GOMEMLIMIT`, a JVM or Node.js heap size). */
  LIMITS_MEMORY = 'limits.memory',
  /** The ephemeral-storage request. */
  REQUESTS_EPHEMERAL_STORAGE = 'requests.ephemeral-storage',
  /** The ephemeral-storage limit. */
  LIMITS_EPHEMERAL_STORAGE = 'limits.ephemeral-storage',
}

/**
 * The divisors the API server accepts for each resource, in the form it reads back: it
 * canonicalizes a quantity (`1000m` becomes `1`), so any other spelling of these would not read
 * back as written.
 */
const DIVISORS: Record<'cpu' | 'memory', readonly string[]> = {
  cpu: ['1m', '1'],
  memory: ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'],
};

const FROM_RESOURCE_OPTIONS = shape.object<EnvValueFromResourceOptions>('EnvValueFromResourceOptions', {
  divisor: shape.quantity('1Mi'),
  container: shape.dns1123Label,
});

/** A label or annotation key, as the API server checks the key of a `metadata.labels['<key>']` field. */
const POD_METADATA_KEY = shape.format(shape.string, checkLabelKey);

/**
 * The value of one environment variable: a literal, a key of an existing Secret or ConfigMap, a
 * field of the pod, or a resource of a container.
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

  /**
   * A field of the pod (its name, namespace, node, IP addresses, ...), read when the container starts.
   * @see https://kubernetes.io/docs/concepts/workloads/pods/downward-api/
   */
  public static fromPodField(field: PodField): EnvValue {
    checkShape('EnvValue.fromPodField()', 'field', field ?? null, shape.enum(PodField, 'PodField'));
    return EnvValue.fieldRef(field);
  }

  /** The value of the pod's label `key` (empty when the pod has no such label), read when the container starts. */
  public static fromPodLabel(key: string): EnvValue {
    checkShape('EnvValue.fromPodLabel()', 'key', key ?? null, POD_METADATA_KEY);
    return EnvValue.fieldRef(`metadata.labels['${key}']`);
  }

  /** The value of the pod's annotation `key` (empty when the pod has no such annotation), read when the container starts. */
  public static fromPodAnnotation(key: string): EnvValue {
    checkShape('EnvValue.fromPodAnnotation()', 'key', key ?? null, POD_METADATA_KEY);
    return EnvValue.fieldRef(`metadata.annotations['${key}']`);
  }

  /**
   * A request or limit of a container, in units of `options.divisor`, rounded up: by default
   * whole cores for CPU (`500m` reads as `1`; give `divisor: '1m'` for millicores) and bytes for
   * memory and ephemeral storage.
   * @see https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/#use-container-fields-as-values-for-environment-variables
   */
  public static fromResource(resource: ContainerResource, options: EnvValueFromResourceOptions = {}): EnvValue {
    const where = 'EnvValue.fromResource()';
    checkShape(where, 'resource', resource ?? null, shape.enum(ContainerResource, 'ContainerResource'));
    checkShape(where, 'options', options, FROM_RESOURCE_OPTIONS);
    // The API server defaults nothing here but reads an unset divisor back as "0": it is written, '1' (what "0" means).
    const divisor = options.divisor ?? '1';
    const kind = resource.endsWith('.cpu') ? 'cpu' : 'memory';
    if (!DIVISORS[kind].includes(divisor)) {
      throw errorAt(where, 'options.divisor', divisor, `is not a divisor the API server accepts for ${resource}`,
        `use one of ${DIVISORS[kind].map(d => `'${d}'`).join(', ')}`);
    }
    return new EnvValue({
      valueFrom: {
        resourceFieldRef: {
          resource,
          divisor: quantity(divisor),
          ...(options.container !== undefined ? { containerName: options.container } : {}),
        },
      },
    });
  }

  /** The API server defaults a `fieldRef`'s apiVersion to `v1`: it is written, so the manifest reads back as written. */
  private static fieldRef(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
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

/** Options of `EnvValue.fromResource()`. */
export interface EnvValueFromResourceOptions {
  /**
   * The unit the value is given in: `1m` or `1` for CPU; `1`, `1k`, `1M`, `1G`, ..., `1Ki`,
   * `1Mi`, `1Gi`, ... for memory and ephemeral storage (the API server accepts no others).
   * @default '1' - whole cores, or bytes
   */
  readonly divisor?: string;

  /**
   * The container whose resource is read: the app's (its name is the app's), or a sidecar's or
   * init container's name. Left out, each container that has the variable reads its own (the
   * app's variables also go to its sidecars and init containers).
   * @default - the container that has the variable
   */
  readonly container?: string;
}

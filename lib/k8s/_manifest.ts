import { isDeepStrictEqual } from 'util';
import { ApiObjectProps, GroupVersionKind } from 'cdk8s';

/** A generated API object class (`k8s.KubeDeployment`, an imported CRD): its kind and its own `manifest()`. */
export interface GeneratedKind<P> {
  readonly GVK: GroupVersionKind;
  manifest(props: P): any;
}

/**
 * Fields whose JSON name differs from their name in the generated props (`clusterIp` is written
 * `clusterIP`), in cdk8s-plus-28's `k8s` and this library's imports. A test reads them from the
 * generated code, so that an upgrade that adds one cannot go unnoticed.
 */
export const RENAMED_FIELDS: ReadonlySet<string> = new Set([
  'clientIp', 'clusterIp', 'datasetUuid', 'diskUri', 'downwardApi', 'externalId', 'hostIp', 'hostIpc', 'hostPid', 'insecureSkipTlsVerify',
  'loadBalancerIp', 'nodeId', 'nonResourceUrLs', 'openApiv3Schema', 'pdId', 'podCidRs', 'podCidr', 'providerId', 'recordTtl', 'ref', 'scaleIo',
  'schema', 'setHostnameAsFqdn', 'storagePolicyId', 'targetCpuUtilizationPercentage', 'targetWwNs', 'volumeId', 'xKubernetesEmbeddedResource',
  'xKubernetesIntOrString', 'xKubernetesListMapKeys', 'xKubernetesListType', 'xKubernetesMapType', 'xKubernetesPreserveUnknownFields',
  'xKubernetesValidations',
]);

/** Compare every manifest with the generated one (the test suite sets it). */
const CHECK = process.env.CDK8S_WEBSTACK_CHECK_MANIFESTS === '1';

/** Props this function does not write itself. */
const GENERATED = Symbol('use the generated manifest()');

/**
 * `kind.manifest(props)`: the object's JSON, with what the generated `toJson_` functions do, for
 * props written with the generated types, without their cost. They copy each object once per
 * field they keep (a spread per field): a third of the CPU time of building a fleet, and most
 * of its garbage. For such props the JSON is the props with undefined fields left out and each
 * IntOrString or Quantity replaced by its value: their fields have the API's names, except the
 * few of RENAMED_FIELDS, and any other class instance (a Date), for which the generated
 * `manifest()` runs. With CDK8S_WEBSTACK_CHECK_MANIFESTS=1 (the tests), every manifest is also
 * made by `manifest()` and must be equal.
 */
export function manifestOf<P>(kind: GeneratedKind<P>, props: NoInfer<P>): ApiObjectProps {
  // Keys sorted as cdk8s sorts them (unless told not to), so that the object can take the fields as they are.
  const sort = !process.env.CDK8S_DISABLE_SORT;
  const fields = jsonOf(props, sort);
  if (fields === GENERATED || fields === null || typeof fields !== 'object') {
    return kind.manifest(props);
  }
  const result = { ...kind.GVK, ...fields };
  if (sort) {
    OWN_MANIFESTS.add(result);
  }
  if (CHECK) {
    const generated = kind.manifest(props);
    if (!isDeepStrictEqual(withoutUndefined(result), withoutUndefined(generated))) {
      throw new Error(`manifest() of ${kind.GVK.kind} differs from the generated one:\n${JSON.stringify(result)}\n${JSON.stringify(generated)}`);
    }
  }
  return result;
}

/**
 * The manifests `manifestOf()` made: every map and list in them is its own copy, with its keys
 * sorted, which nothing else holds. `StrictApiObject` takes those that are already what cdk8s's
 * sanitizing would make as they are, instead of copying them again.
 */
export const OWN_MANIFESTS = new WeakSet<object>();

function jsonOf(value: unknown, sort: boolean): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = jsonOf(value[i], sort);
      if (item === GENERATED) {
        return GENERATED;
      }
      out[i] = item;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // IntOrString and Quantity hold their value; any other instance is left to the generated code.
    const v = Object.prototype.hasOwnProperty.call(value, 'value') ? (value as { value: unknown }).value : undefined;
    return typeof v === 'string' || typeof v === 'number' ? v : GENERATED;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  if (sort && !isSorted(keys)) {
    keys.sort();
  }
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (RENAMED_FIELDS.has(key) || key === '__proto__') {
      return GENERATED;
    }
    if (field !== undefined) {
      const json = jsonOf(field, sort);
      if (json === GENERATED) {
        return GENERATED;
      }
      out[key] = json;
    }
  }
  return out;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      return false;
    }
  }
  return true;
}

/** JSON's view of a value: undefined fields gone (as cdk8s's sanitizing drops them). */
function withoutUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

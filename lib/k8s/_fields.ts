import { generatedK8s } from './_k8s';
import { DnsEndpoint } from '../imports/externaldns.k8s.io';
import { Gateway, HttpRoute, ReferenceGrant } from '../imports/gateway.networking.k8s.io';

/** The generated bindings of the kinds the library emits: their mappers know every field name. */
let bindings: Record<string, { manifest(props: any): unknown }> | undefined;

/** The bindings, the Kubernetes ones loaded on first use (only a patch that adds fields needs them). */
function bindingsByKind(): Record<string, { manifest(props: any): unknown }> {
  if (bindings === undefined) {
    const k8s = generatedK8s();
    bindings = {
      'v1/Namespace': k8s.KubeNamespace,
      'v1/Service': k8s.KubeService,
      'apps/v1/Deployment': k8s.KubeDeployment,
      'apps/v1/StatefulSet': k8s.KubeStatefulSet,
      'networking.k8s.io/v1/Ingress': k8s.KubeIngress,
      'networking.k8s.io/v1/NetworkPolicy': k8s.KubeNetworkPolicy,
      'policy/v1/PodDisruptionBudget': k8s.KubePodDisruptionBudget,
      'autoscaling/v2/HorizontalPodAutoscaler': k8s.KubeHorizontalPodAutoscalerV2,
      'externaldns.k8s.io/v1alpha1/DNSEndpoint': DnsEndpoint,
      'gateway.networking.k8s.io/v1/Gateway': Gateway,
      'gateway.networking.k8s.io/v1/HTTPRoute': HttpRoute,
      'gateway.networking.k8s.io/v1/ReferenceGrant': ReferenceGrant,
    };
  }
  return bindings;
}

/**
 * The JSON pointers of fields in `doc` that its kind's schema does not have, found by running the
 * generated binding's mapper (from `cdk8s import` of the Kubernetes and CRD schemas) over the
 * document and noting which field names it asks for: a field it never asks for is unknown.
 * Maps the mapper walks whole (labels, resource quantities) and objects it passes on unread
 * count as known. Empty for kinds without a binding.
 */
export function unknownFields(doc: any): string[] {
  const binding = bindingsByKind()[`${doc?.apiVersion}/${doc?.kind}`];
  if (binding === undefined) {
    return [];
  }
  const asked = new WeakMap<object, Set<string>>();
  const whole = new WeakSet<object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') {
      return value;
    }
    return new Proxy(value, {
      get(target, key, receiver) {
        const own = typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key);
        if (typeof key === 'string') {
          // The bindings spell some fields in camel case (recordTTL as recordTtl).
          (asked.get(target) ?? asked.set(target, new Set()).get(target)!).add(key.toLowerCase());
        }
        const result = Reflect.get(target, key, receiver);
        return own ? wrap(result) : result;
      },
      ownKeys(target) {
        whole.add(target);
        return Reflect.ownKeys(target);
      },
    });
  };
  const props = { ...doc };
  delete props.apiVersion;
  delete props.kind;
  try {
    binding.manifest(wrap(props));
  } catch {
    return []; // a shape the mapper cannot walk: the schema checks in CI catch it
  }
  const unknown: string[] = [];
  const walk = (node: unknown, pointer: string) => {
    if (node === null || typeof node !== 'object') {
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`));
      return;
    }
    const known = asked.get(node);
    // Walked whole (a map), or passed on without a look (CRD metadata): every key is as good as known.
    if (whole.has(node) || known === undefined) {
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!known.has(key.toLowerCase())) {
        unknown.push(at);
      } else {
        walk(value, at);
      }
    }
  };
  walk(props, '');
  return unknown;
}

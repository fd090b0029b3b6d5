import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { manifestOf } from '../k8s/_manifest';
import { KINDS, intOrString } from '../k8s/_k8s';
import { TCP_ROUTE_LOAD_BALANCER } from '../k8s/_policy';
import { sortKeys } from '../core/_records';
import { RouteCheck, RouteSpec } from './_route';
import { AttachedRoute } from './entry-point';

/** How the LoadBalancer Service of a TCP route is pinned and reached. */
export interface TcpServiceSpec {
  /** The annotations that pin its address (and share it, with the VIP). */
  readonly annotations: Record<string, string>;
  /** `Local` keeps the client's address; `Cluster` where MetalLB shares the VIP's address. */
  readonly externalTrafficPolicy: 'Local' | 'Cluster';
  /** `spec.loadBalancerIP`, for a load balancer that reads nothing else. */
  readonly loadBalancerIp?: string;
  readonly ipFamily?: 4 | 6;
  readonly loadBalancerClass?: string;
}

/**
 * A TCP route behind an IngressVip, which carries only HTTP: a LoadBalancer Service
 * `<app>-<name>` of the app's pods in its namespace, with the one port clients connect to
 * (`tcp.port`) sent to the app's container port by name.
 */
export function renderTcpService(app: Construct, route: RouteSpec, spec: TcpServiceSpec): Pick<AttachedRoute, 'kind' | 'route'> {
  const tcp = route.tcp!;
  const service = new StrictApiObject(app, `${route.idPrefix}Service`, manifestOf(KINDS.KubeService, {
    metadata: {
      name: route.name, namespace: route.namespace, labels: route.labels,
      annotations: sortKeys({ ...spec.annotations, ...TCP_ROUTE_LOAD_BALANCER }),
    },
    spec: {
      type: 'LoadBalancer',
      selector: { ...route.podSelector },
      externalTrafficPolicy: spec.externalTrafficPolicy,
      ...(spec.ipFamily === 6 ? { ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' } : {}),
      ...(spec.loadBalancerIp !== undefined ? { loadBalancerIp: spec.loadBalancerIp } : {}),
      ...(tcp.sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...tcp.sourceRanges] } : {}),
      ...(spec.loadBalancerClass !== undefined ? { loadBalancerClass: spec.loadBalancerClass } : {}),
      ports: [{ name: route.servicePortName, port: tcp.port!, protocol: 'TCP', targetPort: intOrString(route.servicePortName) }],
    },
  }));
  return { kind: 'Service', route: service };
}

/** Synth-time check of a TCP route's Service: a LoadBalancer of the app's pods, to a port the app's Service has. */
export function tcpServiceErrors(service: any, check: RouteCheck): string[] {
  const errors: string[] = [];
  const what = `TCP route Service "${service.metadata.name}"`;
  if (service.spec.type !== 'LoadBalancer') {
    errors.push(`${what} is of type ${service.spec.type}, but an IngressVip's TCP route is reached through a LoadBalancer; keep type LoadBalancer`);
  }
  for (const port of service.spec.ports ?? []) {
    if (!check.service.ports.some(p => p.name === port.targetPort)) {
      errors.push(`${what} sends port ${port.port} to container port "${port.targetPort}", which is no port of the app's Service "${check.service.name}"; send it to the route's port`);
    }
  }
  return errors;
}

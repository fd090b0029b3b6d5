import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { RouteCheck } from './_route';
import { manifestOf } from '../k8s/_manifest';
import { KINDS } from '../k8s/_k8s';

export interface IngressSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly className: string;
  /** The hosts it routes, each with every path, all covered by TLS. */
  readonly hosts: string[];
  readonly paths: string[];
  readonly pathType: string;
  readonly serviceName: string;
  readonly servicePortName: string;
  /** The TLS Secret, or `undefined` for plain HTTP. */
  readonly tlsSecretName?: string;
}

/** The app's Ingress, for the VIP's ingress class. */
export function renderIngress(scope: Construct, spec: IngressSpec, id = 'Ingress'): ApiObject {
  return new StrictApiObject(scope, id, manifestOf(KINDS.KubeIngress, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels, annotations: spec.annotations },
    spec: {
      ingressClassName: spec.className,
      ...(spec.tlsSecretName !== undefined ? { tls: [{ hosts: [...spec.hosts], secretName: spec.tlsSecretName }] } : {}),
      rules: spec.hosts.map(host => ({
        host,
        http: {
          paths: spec.paths.map(path => ({
            path,
            pathType: spec.pathType,
            backend: { service: { name: spec.serviceName, port: { name: spec.servicePortName } } },
          })),
        },
      })),
    },
  }));
}

/** Synth-time checks of a rendered Ingress: its class, its hosts, its backends. */
export function ingressErrors(ingress: any, check: RouteCheck, className: string): string[] {
  const errors: string[] = [];
  if (ingress.spec.ingressClassName !== className) {
    errors.push(`Ingress class is "${ingress.spec.ingressClassName}", but the app's IngressVip serves "${className}"; keep the VIP's class`);
  }
  const ports = new Set<string>(check.service.ports.flatMap(p => [p.name ?? '', String(p.port)]));
  for (const rule of ingress.spec.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const backend = path.backend?.service;
      const port = backend?.port?.name ?? String(backend?.port?.number);
      if (backend?.name !== check.service.name || !ports.has(port)) {
        errors.push(`Ingress path "${path.path}" points at service "${backend?.name}" port "${port}", but the app's Service is "${check.service.name}" with ports ${portList(check)}; point the backend at the app's Service`);
      }
    }
  }
  const hosts = new Set<string>([
    ...(ingress.spec.rules ?? []).map((r: any) => r.host),
    ...(ingress.spec.tls ?? []).flatMap((t: any) => t.hosts ?? []),
  ]);
  if (hosts.size !== check.routeHosts.length || !check.routeHosts.every(h => hosts.has(h))) {
    errors.push(`Ingress rule and TLS hosts are ${[...hosts].join(', ')}, but the app's ${check.routeHosts.length > 1 ? `hosts are ${check.routeHosts.join(', ')}` : `host is "${check.host}"`}; every host must be the same name`);
  }
  return errors;
}

/** The Service's ports for a message: `http, 80`. */
export function portList(check: RouteCheck): string {
  return check.service.ports.flatMap(p => [p.name, String(p.port)]).filter(Boolean).join(', ');
}

import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StrictApiObject } from './_api-object';

export interface IngressSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly className: string;
  readonly host: string;
  readonly paths: string[];
  readonly pathType: string;
  readonly serviceName: string;
  readonly servicePortName: string;
  /** The TLS Secret, or `undefined` for plain HTTP. */
  readonly tlsSecretName?: string;
}

/** The app's Ingress, for the VIP's ingress class. */
export function renderIngress(scope: Construct, spec: IngressSpec): ApiObject {
  return new StrictApiObject(scope, 'Ingress', k8s.KubeIngress.manifest({
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels, annotations: spec.annotations },
    spec: {
      ingressClassName: spec.className,
      ...(spec.tlsSecretName !== undefined ? { tls: [{ hosts: [spec.host], secretName: spec.tlsSecretName }] } : {}),
      rules: [{
        host: spec.host,
        http: {
          paths: spec.paths.map(path => ({
            path,
            pathType: spec.pathType,
            backend: { service: { name: spec.serviceName, port: { name: spec.servicePortName } } },
          })),
        },
      }],
    },
  }));
}

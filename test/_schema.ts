import * as fs from 'fs';
import { isIPv4, isIPv6 } from 'net';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const FIXTURES = path.resolve(__dirname, '..', '..', 'shared', 'fixtures');

/** The upstream DNSEndpoint CRD, read from ../shared (never copied into the repo). */
export const DNSENDPOINT_CRD = path.join(FIXTURES, 'external-dns', 'dnsendpoints.externaldns.k8s.io.yaml');

/** The Gateway API Standard-channel CRDs of `version`, read from ../shared. */
export function gatewayApiCrd(version: string, plural: string): string {
  return path.join(FIXTURES, 'gateway-api', version, `gateway.networking.k8s.io_${plural}.yaml`);
}

/** The custom kinds the library emits, by `apiVersion kind`: the CRD file and the served version. */
const CUSTOM_KINDS: Record<string, { file: string; version: string }> = {
  'externaldns.k8s.io/v1alpha1 DNSEndpoint': { file: DNSENDPOINT_CRD, version: 'v1alpha1' },
  'gateway.networking.k8s.io/v1 Gateway': { file: gatewayApiCrd('v1.6.1', 'gateways'), version: 'v1' },
  'gateway.networking.k8s.io/v1 HTTPRoute': { file: gatewayApiCrd('v1.6.1', 'httproutes'), version: 'v1' },
  'gateway.networking.k8s.io/v1 GRPCRoute': { file: gatewayApiCrd('v1.6.1', 'grpcroutes'), version: 'v1' },
  'gateway.networking.k8s.io/v1 TCPRoute': { file: gatewayApiCrd('v1.6.1', 'tcproutes'), version: 'v1' },
  'gateway.networking.k8s.io/v1 TLSRoute': { file: gatewayApiCrd('v1.6.1', 'tlsroutes'), version: 'v1' },
  'gateway.networking.k8s.io/v1beta1 ReferenceGrant': { file: gatewayApiCrd('v1.6.1', 'referencegrants'), version: 'v1beta1' },
  'monitoring.coreos.com/v1 ServiceMonitor': { file: path.join(FIXTURES, 'prometheus-operator', 'v0.93.0', 'monitoring.coreos.com_servicemonitors.yaml'), version: 'v1' },
  'monitoring.coreos.com/v1 PodMonitor': { file: path.join(FIXTURES, 'prometheus-operator', 'v0.93.0', 'monitoring.coreos.com_podmonitors.yaml'), version: 'v1' },
};

const validators = new Map<string, ValidateFunction>();

/** Closes every object schema that does not say otherwise, like strict field validation. */
function closeObjects(schema: any, atMetadata = false): any {
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const out: any = Array.isArray(schema) ? [] : {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, closeObjects(v, k === 'metadata')]))
      : closeObjects(value);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined
    && !out['x-kubernetes-preserve-unknown-fields'] && !atMetadata) {
    out.additionalProperties = false;
  }
  return out;
}

/** The compiled, closed schema of a custom kind. */
function customSchema(key: string): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    const { file, version } = CUSTOM_KINDS[key];
    const crd = parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJS();
    const served = crd.spec.versions.find((v: any) => v.name === version);
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
    ajv.addFormat('ipv4', { type: 'string', validate: isIPv4 });
    ajv.addFormat('ipv6', { type: 'string', validate: isIPv6 });
    ajv.addFormat('date-time', { type: 'string', validate: (t: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(t) }); // status only
    validate = ajv.compile(closeObjects(served.schema.openAPIV3Schema));
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Schema errors of one synthesized document: Kubernetes kinds against the `kubernetes-models`
 * validators (offline OpenAPI schemas), `DNSEndpoint` and the Gateway API kinds against their
 * upstream CRD schemas with every object closed. An empty list means valid.
 */
export function schemaErrors(doc: any): string[] {
  const id = `${doc?.kind}/${doc?.metadata?.name}`;
  const key = `${doc?.apiVersion} ${doc?.kind}`;
  if (key in CUSTOM_KINDS) {
    const validate = customSchema(key);
    return validate(doc) ? [] : (validate.errors ?? []).map(e => `${id}: ${e.instancePath} ${e.message}`);
  }
  let Model: any;
  try {
    Model = require(`kubernetes-models/${doc.apiVersion}/${doc.kind}`)[doc.kind];
  } catch {
    return [`${id}: no schema for ${doc?.apiVersion} ${doc?.kind}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (error) {
    return [`${id}: ${(error as Error).message}`];
  }
}

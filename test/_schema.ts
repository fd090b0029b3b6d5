import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

/** The upstream DNSEndpoint CRD, read from ../shared (never copied into the repo). */
export const DNSENDPOINT_CRD = path.resolve(__dirname, '..', '..', 'shared', 'fixtures', 'external-dns', 'dnsendpoints.externaldns.k8s.io.yaml');

let dnsEndpointValidator: ValidateFunction | undefined;

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

function dnsEndpointSchema(): ValidateFunction {
  if (!dnsEndpointValidator) {
    const crd = parseAllDocuments(fs.readFileSync(DNSENDPOINT_CRD, 'utf8'))[0].toJS();
    const version = crd.spec.versions.find((v: any) => v.name === 'v1alpha1');
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    dnsEndpointValidator = ajv.compile(closeObjects(version.schema.openAPIV3Schema));
  }
  return dnsEndpointValidator;
}

/**
 * Schema errors of one synthesized document: Kubernetes kinds against the `kubernetes-models`
 * validators (offline OpenAPI schemas), `DNSEndpoint` against the upstream CRD schema.
 * An empty list means valid.
 */
export function schemaErrors(doc: any): string[] {
  const id = `${doc?.kind}/${doc?.metadata?.name}`;
  if (doc?.apiVersion === 'externaldns.k8s.io/v1alpha1' && doc?.kind === 'DNSEndpoint') {
    const validate = dnsEndpointSchema();
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

import { ApiObject } from 'cdk8s';
import { renderedJson } from '../k8s/_api-object';
import { shape } from '../core/_shape';
import type { EntryPoint } from '../entry-points/entry-point';
import { DnsProvider, DnsRecordType } from './dns-provider';

/** The contract of the record options a `WebApp`'s `dns` shares with `DnsRecordProps`. */
export const DNS_OPTION_SHAPES = {
  provider: shape.instance(DnsProvider, 'DnsProvider', 'use DnsProvider.externalDns(), externalDnsAnnotations(), zoneFile(zone) or route53(zone)'),
  ttl: shape.int(1, 2147483647, 'give the TTL in seconds, e.g. 300'),
  recordType: shape.enum(DnsRecordType, 'DnsRecordType'),
};

/** A record as rendered, for its synth-time check. */
interface RenderedRecord {
  readonly hostName: string;
  readonly target: string;
  readonly resources: readonly ApiObject[];
}

/**
 * Synth-time check of a rendered DNS record, after any escape-hatch patches: it publishes `host`
 * (the host of the app's `routeKind`) at the address of `entryPoint`, and so does each DNSEndpoint.
 */
export function dnsRecordErrors(record: RenderedRecord, host: string, routeKind: string, entryPoint: EntryPoint,
  address: string | undefined = entryPoint.address): string[] {
  const errors: string[] = [];
  const at = address === entryPoint.address ? entryPoint.description : `its ${routeKind}`;
  if (record.hostName !== host) {
    errors.push(`DNS name "${record.hostName}" differs from the ${routeKind} host "${host}"; publish the app's host`);
  }
  if (record.target !== address) {
    errors.push(`DNS record points at ${record.target}, but ${at} is at ${address}; point it at the app's entry point`);
  }
  for (const endpoint of record.resources.flatMap(r => renderedJson(r).spec?.endpoints ?? [])) {
    if (endpoint.dnsName !== host || JSON.stringify(endpoint.targets) !== JSON.stringify([address])) {
      errors.push(`DNSEndpoint publishes ${endpoint.dnsName} -> ${JSON.stringify(endpoint.targets)}, but the app is ${host} at ${address}; publish the app's host at its entry point`);
    }
  }
  return errors;
}

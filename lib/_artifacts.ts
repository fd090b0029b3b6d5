import { IConstruct } from 'constructs';
import { compareStrings } from './_records';

/**
 * A construct that writes files next to the manifests (a zone file, a CloudFormation template).
 * `WebStackApp.synth()` calls every one in the tree, into the same staging folder, so they land
 * in `dist/` together with the manifests or not at all.
 */
export interface ArtifactWriter {
  /** Writes this construct's files into `dir`; returns their names. */
  _writeArtifacts(dir: string): string[];
}

export function isArtifactWriter(x: IConstruct): x is IConstruct & ArtifactWriter {
  return typeof (x as Partial<ArtifactWriter>)._writeArtifacts === 'function';
}

/** An address record as a DNS zone receives it from a `DnsRecord`. */
export interface ZoneRecord {
  /** Fully qualified, without the trailing dot. */
  readonly hostName: string;
  readonly recordType: 'A' | 'AAAA';
  readonly target: string;
  readonly ttl: number;
  /** Path of the DnsRecord, for messages. */
  readonly source: string;
}

/** The records in the order every zone writes them: by name, then by type. */
export function sortedRecords(records: readonly ZoneRecord[]): ZoneRecord[] {
  return [...records].sort((a, b) => compareStrings(a.hostName, b.hostName) || compareStrings(a.recordType, b.recordType));
}

/** `host` relative to `zone` (`@` for the apex), or `undefined` when it is outside the zone. */
export function relativeName(host: string, zone: string): string | undefined {
  if (host === zone) {
    return '@';
  }
  return host.endsWith(`.${zone}`) ? host.slice(0, -(zone.length + 1)) : undefined;
}

/** Messages for records of one zone that share name and type. */
export function duplicateRecords(zoneName: string, records: readonly ZoneRecord[]): string[] {
  const seen = new Map<string, ZoneRecord>();
  const errors: string[] = [];
  for (const r of records) {
    const key = `${r.hostName} ${r.recordType}`;
    const first = seen.get(key);
    if (first) {
      errors.push(`${first.source} and ${r.source} both publish ${r.recordType} ${r.hostName} in zone "${zoneName}"; one name needs one owner: give one of the apps another host`);
    } else {
      seen.set(key, r);
    }
  }
  return errors;
}

import { IConstruct } from 'constructs';
import { propError } from './errors';
import { compareStrings } from './_records';

/** A file a construct writes next to the manifests. */
export interface Artifact {
  /** Its name in the output folder. */
  readonly fileName: string;
  /** What it is, for messages: `zone file`, `Route 53 template`. */
  readonly kind: string;
  /** The prop that decides the name, its value, and how to change it, for the message when another construct claims the name. */
  readonly prop: string;
  readonly value: unknown;
  readonly fix: string;
  /** Its text. */
  render(): string;
}

/**
 * A construct that writes files next to the manifests (a zone file, a CloudFormation template).
 * `WebStackApp.synth()` claims every one's names first, then writes them into the same staging
 * folder as the manifests, so they land in `dist/` together with the manifests or not at all.
 */
export interface ArtifactWriter {
  /**
   * The files this construct writes.
   * @internal
   */
  _artifacts(): Artifact[];
}

export function isArtifactWriter(x: IConstruct): x is IConstruct & ArtifactWriter {
  return typeof (x as Partial<ArtifactWriter>)._artifacts === 'function';
}

/**
 * The names of an app's output files, each claimed by one construct. A second claim of a name
 * fails, naming both constructs: two files of one name would silently replace each other.
 * Names are compared without case, so an app writes the same files on every filesystem.
 */
export class OutputClaims {
  private readonly owners = new Map<string, string>();

  /** Claims `fileName` for `scope`, whose `prop` (holding `value`) decides the name. */
  public claim(scope: IConstruct, what: string, fileName: string, prop: string, value: unknown, fix: string): void {
    const key = fileName.toLowerCase();
    const first = this.owners.get(key);
    const owner = `${scope.node.path || '<app>'} (${what})`;
    if (first !== undefined) {
      throw propError(scope, prop, value, `names the output file "${fileName}", which ${first} writes too; one would replace the other`, fix);
    }
    this.owners.set(key, owner);
  }
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

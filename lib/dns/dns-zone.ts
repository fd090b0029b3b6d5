import { Construct } from 'constructs';
import { Artifact, ArtifactWriter, duplicateRecords, relativeName, sortedRecords, ZoneRecord } from '../core/_artifacts';
import { errorAt, propError } from '../core/errors';
import { checkShape, shape, Where } from '../core/_shape';
import { checkHostName, ipFamily } from '../core/_validate';

/** The SOA record of a complete zone. */
export interface ZoneSoaOptions {
  /** The primary name server (MNAME), fully qualified. */
  readonly primaryNameServer: string;
  /** The zone administrator's mailbox, as an address (`hostmaster@example.com`). */
  readonly hostmaster: string;
  /**
   * The serial. Secondaries transfer the zone only when it increases, so the pipeline must give
   * it (a build number, or `YYYYMMDDnn`); nothing here guesses one.
   */
  readonly serial: number;
  /**
   * Seconds between the secondaries' checks of the serial.
   * @default 3600
   */
  readonly refreshSeconds?: number;
  /**
   * Seconds before a failed refresh is tried again.
   * @default 600
   */
  readonly retrySeconds?: number;
  /**
   * Seconds after which secondaries stop answering for the zone without a refresh.
   * @default 1209600 (two weeks)
   */
  readonly expireSeconds?: number;
  /** Negative-caching TTL. @default 300 */
  readonly negativeTtlSeconds?: number;
}

/** Props of `DnsZone`. */
export interface DnsZoneProps {
  /** The zone's origin, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * SOA and NS records, for a complete zone a server can load on its own. Both or neither.
   * @default - a fragment of the app records only, with absolute names, to `$INCLUDE` in a zone
   */
  readonly soa?: ZoneSoaOptions;
  /**
   * The zone's name servers (NS records at the apex), with `soa`.
   * @default - none (a fragment)
   */
  readonly nameServers?: string[];
  /**
   * The addresses of the name servers inside the zone (glue), by name: `{ 'ns1.example.com':
   * ['192.0.2.53'] }`. A name server inside the zone needs them (a resolver could not find it
   * otherwise, and `named-checkzone` refuses the zone); one outside may not have them.
   * @default - none: every name server is outside the zone
   */
  readonly nameServerAddresses?: Record<string, string[]>;
  /**
   * The zone's default TTL (`$TTL`), in seconds.
   * @default 300
   */
  readonly defaultTtl?: number;
  /**
   * Name of the file written into the output folder.
   * @default '<zoneName>.zone'
   */
  readonly fileName?: string;
}

/** A TTL or SOA timer: whole seconds, as DNS counts them (31 bits). */
const SECONDS = shape.int(1, 2147483647);

const DNS_ZONE_SHAPE = shape.object<DnsZoneProps>('DnsZoneProps', {
  zoneName: shape.hostName,
  soa: shape.object<ZoneSoaOptions>('ZoneSoaOptions', {
    primaryNameServer: shape.hostName, hostmaster: shape.format(shape.string, checkMailbox),
    serial: shape.int(1, 4294967295, 'give the pipeline\'s build number or YYYYMMDDnn'),
    refreshSeconds: SECONDS, retrySeconds: SECONDS, expireSeconds: SECONDS, negativeTtlSeconds: shape.int(0, 2147483647),
  }, { required: ['primaryNameServer', 'hostmaster', 'serial'] }),
  nameServers: shape.array(shape.hostName),
  nameServerAddresses: shape.record(shape.array(shape.ip), checkHostName),
  defaultTtl: SECONDS,
  fileName: shape.format(shape.string, checkFileName),
}, { required: ['zoneName'] });

/**
 * An RFC 1035 zone file for an internal DNS server (BIND, Knot, NSD, CoreDNS's file plugin),
 * holding the address records of every app that publishes into it, written by
 * `WebStackApp.synth()` next to the manifests.
 */
export class DnsZone extends Construct implements ArtifactWriter {
  /** The zone's name (its origin). */
  public readonly zoneName: string;
  /** The zone file's name in the output folder. */
  public readonly fileName: string;
  /** The `$TTL` of the zone file. */
  public readonly defaultTtl: number;
  /** True for a complete zone with SOA and NS, false for a fragment. */
  public readonly complete: boolean;
  private readonly soa?: Required<ZoneSoaOptions>;
  private readonly nameServers: string[];
  private readonly records: ZoneRecord[] = [];

  public constructor(scope: Construct, id: string, props: DnsZoneProps) {
    super(scope, id);
    checkShape(this, '', props, DNS_ZONE_SHAPE);
    this.zoneName = props.zoneName;
    this.defaultTtl = props.defaultTtl ?? 300;
    this.fileName = props.fileName ?? `${this.zoneName}.zone`;
    if ((props.soa === undefined) !== (props.nameServers === undefined)) {
      throw propError(this, props.soa ? 'nameServers' : 'soa', props.soa ? props.nameServers : props.soa,
        'is missing: a complete zone needs both an SOA and its name servers',
        'give both soa and nameServers, or neither for a fragment to $INCLUDE');
    }
    this.complete = props.soa !== undefined;
    this.nameServers = [...(props.nameServers ?? [])];
    if (this.complete && this.nameServers.length === 0) {
      throw propError(this, 'nameServers', props.nameServers, 'is empty', 'list at least one name server of the zone');
    }
    this.addGlue(props.nameServerAddresses ?? {});
    if (props.soa) {
      const s = props.soa;
      this.soa = {
        primaryNameServer: s.primaryNameServer,
        hostmaster: s.hostmaster.replace('@', '.'),
        serial: s.serial,
        refreshSeconds: s.refreshSeconds ?? 3600,
        retrySeconds: s.retrySeconds ?? 600,
        expireSeconds: s.expireSeconds ?? 1209600,
        negativeTtlSeconds: shape.whole(s.negativeTtlSeconds ?? 300),
      };
    }
    this.node.addValidation({ validate: () => duplicateRecords(this.zoneName, this.records) });
  }

  /** The A and AAAA records of the name servers inside the zone, checked against `nameServers`. */
  private addGlue(addresses: Record<string, string[]>): void {
    for (const [name, list] of Object.entries(addresses)) {
      const prop = `nameServerAddresses["${name}"]`;
      if (!this.nameServers.includes(name)) {
        throw propError(this, prop, list, `names no name server of the zone (${this.nameServers.join(', ') || 'none'})`, 'give addresses only for the servers in nameServers');
      }
      if (relativeName(name, this.zoneName) === undefined) {
        throw propError(this, prop, list, `is glue for ${name}, which is outside the zone ${this.zoneName}: its own zone has its addresses`, 'drop it');
      }
      if (list.length === 0) {
        throw propError(this, prop, list, 'is empty', 'give the name server\'s IPv4 and/or IPv6 addresses');
      }
      for (const target of list) {
        this.records.push({ hostName: name, recordType: ipFamily(target) === 4 ? 'A' : 'AAAA', target, ttl: this.defaultTtl, source: `${this.node.path} ${prop}` });
      }
    }
    const missing = this.nameServers.find(ns => relativeName(ns, this.zoneName) !== undefined && !Object.hasOwn(addresses, ns));
    if (missing !== undefined) {
      throw propError(this, 'nameServerAddresses', addresses, `has no address for ${missing}, a name server inside the zone ${this.zoneName}: without glue no resolver can reach it, and named-checkzone refuses the zone`,
        `give its addresses, e.g. { '${missing}': ['192.0.2.53'] }, or use a name server outside the zone`);
    }
  }

  /** @internal called by DnsRecord */
  public _addRecord(record: ZoneRecord): void {
    this.records.push(record);
  }

  /** The zone file's text: deterministic, records sorted by name and type. */
  public render(): string {
    const lines = [`; Zone ${this.complete ? 'file' : 'fragment'} for ${this.zoneName}, written by cdk8s-webstack. Do not edit.`];
    if (this.soa) {
      const s = this.soa;
      lines.push(`$ORIGIN ${this.zoneName}.`, `$TTL ${this.defaultTtl}`,
        `@ IN SOA ${s.primaryNameServer}. ${s.hostmaster}. ( ${s.serial} ${s.refreshSeconds} ${s.retrySeconds} ${s.expireSeconds} ${s.negativeTtlSeconds} )`,
        ...this.nameServers.map(ns => `@ IN NS ${ns}.`));
    }
    for (const r of sortedRecords(this.records)) {
      const owner = this.complete ? relativeName(r.hostName, this.zoneName) : `${r.hostName}.`;
      lines.push(`${owner} ${r.ttl} IN ${r.recordType} ${r.target}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** @internal */
  public _artifacts(): Artifact[] {
    return [{
      fileName: this.fileName, kind: 'zone file', prop: 'fileName', value: this.fileName,
      fix: 'give this zone another fileName', render: () => this.render(),
    }];
  }
}

/** The zone file's name in the output folder: no path. */
function checkFileName(where: Where, prop: string, name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw errorAt(where, prop, name, 'is not a plain file name', 'use letters, digits, \'.\', \'_\' and \'-\'');
  }
}

/** The SOA's mailbox: its local part becomes the first label, so it may hold no dot. */
function checkMailbox(where: Where, prop: string, address: string): void {
  const mailbox = /^([^@\s]+)@([^@\s]+)$/.exec(address);
  if (!mailbox || mailbox[1].includes('.')) {
    throw errorAt(where, prop, address, 'is not a mailbox the SOA can carry',
      'give an address whose local part has no dot, e.g. \'hostmaster@example.com\'');
  }
  checkHostName(where, prop, mailbox[2]);
}

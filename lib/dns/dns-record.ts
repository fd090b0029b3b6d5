import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { relativeName } from '../core/_artifacts';
import { propError } from '../core/errors';
import { checkShape, shape } from '../core/_shape';
import { ensureUniqueObjects } from '../k8s/_unique';
import { checkDns1123Label, checkEnum, checkHostName, checkInt } from '../core/_validate';
import { DnsEndpoint, DnsEndpointSpecEndpointsRecordType } from '../imports/externaldns.k8s.io';
import { EntryPoint } from '../entry-points/entry-point';
import { DnsZone } from './dns-zone';
import { Route53HostedZone } from './route53-hosted-zone';
import { manifestOf } from '../k8s/_manifest';
import { ExternalDnsAnnotationPrefix } from '../entry-points/external-dns';

/** Options of `DnsProvider.externalDnsAnnotations()`. */
export interface ExternalDnsAnnotationsOptions {
  /**
   * The annotation prefix the cluster's ExternalDNS reads.
   * @default ExternalDnsAnnotationPrefix.CURRENT
   */
  readonly prefix?: ExternalDnsAnnotationPrefix;
}

/** The type of an address record, from the entry point's IP family. */
export enum DnsRecordType {
  /** An IPv4 address. */
  A = 'A',
  /** An IPv6 address. */
  AAAA = 'AAAA',
}

/**
 * Who publishes the record: a typed choice, so one record can go to any DNS a team runs.
 */
export abstract class DnsProvider {
  /**
   * ExternalDNS, through a `DNSEndpoint` custom resource (`externaldns.k8s.io/v1alpha1`) in the
   * app's namespace. ExternalDNS must run with `--source=crd`.
   * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/sources/crd/
   */
  public static externalDns(): DnsProvider {
    return new ExternalDnsEndpointProvider();
  }

  /**
   * ExternalDNS, through annotations (`hostname`, `ttl`, and `target` set to the entry point's
   * address). Behind an `IngressVip` all three go on the app's Ingress (ExternalDNS runs with
   * `--source=ingress`); behind a Gateway, `hostname` and `ttl` go on the HTTPRoute and
   * `target` on the Gateway, the only place ExternalDNS reads it (`--source=gateway-httproute`).
   * Only for records of a `WebApp` (or a DnsRecord given its route object).
   */
  public static externalDnsAnnotations(options: ExternalDnsAnnotationsOptions = {}): DnsProvider {
    checkShape('DnsProvider.externalDnsAnnotations()', 'options', options, shape.object<ExternalDnsAnnotationsOptions>('ExternalDnsAnnotationsOptions', {
      prefix: shape.enum(ExternalDnsAnnotationPrefix, 'ExternalDnsAnnotationPrefix'),
    }));
    return new ExternalDnsAnnotationsProvider(options.prefix ?? ExternalDnsAnnotationPrefix.CURRENT);
  }

  /** Route 53, as an `ARecord` / `AaaaRecord` in the AWS CDK stack of `zone`. */
  public static route53(zone: Route53HostedZone): DnsProvider {
    checkShape('DnsProvider.route53()', 'zone', zone ?? null, shape.instance(Route53HostedZone, 'Route53HostedZone', 'pass the Route53HostedZone construct'));
    return new ZoneProvider('Route 53', zone);
  }

  /** An RFC 1035 zone file for an internal DNS server. */
  public static zoneFile(zone: DnsZone): DnsProvider {
    checkShape('DnsProvider.zoneFile()', 'zone', zone ?? null, shape.instance(DnsZone, 'DnsZone', 'pass the DnsZone construct'));
    return new ZoneProvider('zone file', zone);
  }

  /** A short name for messages. */
  public abstract readonly name: string;

  /** The zone the record must lie in, for providers that have one. */
  public abstract readonly zoneName?: string;
  /**
   * The zone construct that writes the records to a file, for providers that have one.
   * @internal
   */
  public get _zone(): Route53HostedZone | DnsZone | undefined {
    return undefined;
  }

  /**
   * Publishes `record`: renders API objects in its scope, annotates its Ingress, or adds it
   * to a zone.
   * @returns the API objects it created
   * @internal
   */
  public abstract _publish(record: DnsRecord): ApiObject[];
}

class ExternalDnsEndpointProvider extends DnsProvider {
  public readonly name = 'ExternalDNS DNSEndpoint';
  public readonly zoneName = undefined;

  public _publish(record: DnsRecord): ApiObject[] {
    return [new StrictApiObject(record, 'Resource', manifestOf(DnsEndpoint, {
      metadata: { name: record.objectName, namespace: record.namespace, labels: { ...record.labels } },
      spec: {
        endpoints: [{
          dnsName: record.hostName,
          recordType: record.recordType === DnsRecordType.A ? DnsEndpointSpecEndpointsRecordType.A : DnsEndpointSpecEndpointsRecordType.AAAA,
          targets: [record.target],
          recordTtl: record.ttl,
        }],
      },
    }))];
  }
}

class ExternalDnsAnnotationsProvider extends DnsProvider {
  public readonly name = 'ExternalDNS annotations';
  public readonly zoneName = undefined;

  public constructor(private readonly prefix: ExternalDnsAnnotationPrefix) {
    super();
  }

  public _publish(record: DnsRecord): ApiObject[] {
    const route = record.route;
    if (!route) {
      throw propError(record, 'provider', this.name, 'needs the route object (Ingress or HTTPRoute) to annotate, and none was given',
        'pass it as \'route\', or use DnsProvider.externalDns() for a DNSEndpoint');
    }
    const prefix = checkEnum(record, 'provider.prefix', this.prefix, ExternalDnsAnnotationPrefix, 'ExternalDnsAnnotationPrefix');
    record.entryPoint._annotateForExternalDns(route, { prefix, hostName: record.hostName, target: record.target, ttl: record.ttl });
    return [];
  }
}

/** A provider that collects records into a zone construct, which writes them at synth. */
class ZoneProvider extends DnsProvider {
  public readonly name: string;
  public readonly zoneName: string;

  public constructor(kind: string, private readonly zone: Route53HostedZone | DnsZone) {
    super();
    this.name = `${kind} ${zone.node.path}`;
    this.zoneName = zone.zoneName;
  }

  public override get _zone(): Route53HostedZone | DnsZone {
    return this.zone;
  }

  public _publish(record: DnsRecord): ApiObject[] {
    this.zone._addRecord({ hostName: record.hostName, recordType: record.recordType, target: record.target, ttl: record.ttl, source: record.node.path });
    return [];
  }
}

/** Props of `DnsRecord`. */
export interface DnsRecordProps {
  /** The name to publish: the app's host. */
  readonly hostName: string;
  /** The entry point (an IngressVip or a Gateway) whose pinned address the record points at. */
  readonly entryPoint: EntryPoint;
  /**
   * Who publishes the record.
   * @default DnsProvider.externalDns()
   */
  readonly provider?: DnsProvider;
  /**
   * Time to live of the record, in seconds.
   * @default 300
   */
  readonly ttl?: number;
  /**
   * The record type; it must match the entry point's IP family.
   * @default - A for an IPv4 address, AAAA for an IPv6 one
   */
  readonly recordType?: DnsRecordType;
  /**
   * Name of the Kubernetes object that carries the record, for providers that use one.
   * @default - the construct id
   */
  readonly objectName?: string;
  /**
   * Namespace of that object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels of that object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The app's route object (its Ingress or HTTPRoute), for providers that annotate it.
   * @default - none
   */
  readonly route?: ApiObject;
}

const DNS_RECORD_SHAPE = shape.object<DnsRecordProps>('DnsRecordProps', {
  hostName: shape.string,
  entryPoint: shape.instance(EntryPoint, 'entry point', 'pass the IngressVip, Gateway or ExistingGateway the host is served behind'),
  provider: shape.instance(DnsProvider, 'DnsProvider', 'use DnsProvider.externalDns(), externalDnsAnnotations(), zoneFile(zone) or route53(zone)'),
  ttl: shape.number,
  recordType: shape.enum(DnsRecordType, 'DnsRecordType'),
  objectName: shape.string,
  namespace: shape.string,
  labels: shape.record(shape.string),
  route: shape.instance(ApiObject, 'ApiObject', 'pass the app\'s Ingress or HTTPRoute'),
}, { required: ['hostName', 'entryPoint'] });

/**
 * A DNS address record (A for an IPv4 address, AAAA for an IPv6 one) that points a host name
 * at the pinned address of an entry point: an ingress VIP or a Gateway.
 */
export class DnsRecord extends Construct {
  /** The name published. */
  public readonly hostName: string;
  /** A or AAAA, from the entry point's IP family. */
  public readonly recordType: DnsRecordType;
  /** The entry point's address. */
  public readonly target: string;
  /** Time to live, in seconds. */
  public readonly ttl: number;
  /** Who publishes the record. */
  public readonly provider: DnsProvider;
  /** Name of the Kubernetes object that carries it, for providers that use one. */
  public readonly objectName: string;
  /** Namespace of that object. */
  public readonly namespace?: string;
  /** Labels of that object. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The entry point the record points at. */
  public readonly entryPoint: EntryPoint;
  /** The route object that serves the host, if given. */
  public readonly route?: ApiObject;
  /** The API objects the provider rendered (the `DNSEndpoint` for ExternalDNS). */
  public readonly resources: ApiObject[];

  public constructor(scope: Construct, id: string, props: DnsRecordProps) {
    super(scope, id);
    checkShape(this, '', props, DNS_RECORD_SHAPE);
    this.hostName = checkHostName(this, 'hostName', props.hostName, { wildcard: true });
    if (!(props.entryPoint instanceof EntryPoint)) {
      throw propError(this, 'entryPoint', props.entryPoint, 'is not an entry point', 'pass the IngressVip, Gateway or ExistingGateway the host is served behind');
    }
    const entryPoint = this.entryPoint = props.entryPoint;
    if (entryPoint.address === undefined || entryPoint.ipFamily === undefined) {
      throw propError(this, 'entryPoint', entryPoint.node.path, 'has no pinned address',
        'pin its address, or turn the DNS record off and let the cloud\'s DNS integration publish it');
    }
    this.target = entryPoint.address;
    const family = entryPoint.ipFamily === 4 ? DnsRecordType.A : DnsRecordType.AAAA;
    this.recordType = props.recordType ?? family;
    if (this.recordType !== family) {
      throw propError(this, 'recordType', props.recordType,
        `does not fit the address ${this.target} (an ${this.target.includes(':') ? 'IPv6' : 'IPv4'} address needs ${family})`,
        `use DnsRecordType.${family}, or leave recordType out to derive it from the address`);
    }
    this.ttl = checkInt(this, 'ttl', props.ttl ?? 300, 1, 2147483647, 'give the TTL in seconds, e.g. 300');
    this.provider = props.provider ?? DnsProvider.externalDns();
    if (!(this.provider instanceof DnsProvider)) {
      throw propError(this, 'provider', props.provider, 'is not a DnsProvider',
        'use DnsProvider.externalDns(), externalDnsAnnotations(), zoneFile(zone) or route53(zone)');
    }
    this.objectName = checkDns1123Label(this, 'objectName', props.objectName ?? id.toLowerCase());
    this.namespace = props.namespace === undefined ? undefined : checkDns1123Label(this, 'namespace', props.namespace);
    this.labels = { ...(props.labels ?? {}) };
    this.route = props.route;
    const zone = this.provider.zoneName;
    if (zone !== undefined && relativeName(this.hostName, zone) === undefined) {
      throw propError(this, 'hostName', this.hostName, `is outside the zone "${zone}" of ${this.provider.name}`,
        `publish it in a zone that contains it, or use a host under ${zone}`);
    }
    this.resources = this.provider._publish(this);
    ensureUniqueObjects(this);
  }
}

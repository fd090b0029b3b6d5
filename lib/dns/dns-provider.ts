import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { StrictApiObject } from '../k8s/_api-object';
import { propError } from '../core/errors';
import { checkShape, shape } from '../core/_shape';
import { DnsEndpoint, DnsEndpointSpecEndpointsRecordType } from '../imports/externaldns.k8s.io';
import type { EntryPoint } from '../entry-points/entry-point';
import { DnsZone } from './dns-zone';
import { Route53HostedZone } from './route53-hosted-zone';
import { manifestOf } from '../k8s/_manifest';
import { ExternalDnsAnnotationPrefix } from '../entry-points/external-dns';

/** What a provider publishes: a `DnsRecord`, validated. */
interface PublishedRecord extends IConstruct {
  readonly hostName: string;
  readonly recordType: DnsRecordType;
  readonly target: string;
  readonly ttl: number;
  readonly entryPoint: EntryPoint;
  readonly route?: ApiObject;
  readonly objectName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

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
   * `target` on the Gateway, the only place ExternalDNS reads it (`--source=gateway-httproute`,
   * and `--source=gateway-grpcroute` for the records of gRPC routes of `WebAppProps.routes`).
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
  public abstract _publish(record: PublishedRecord): ApiObject[];
}

class ExternalDnsEndpointProvider extends DnsProvider {
  public readonly name = 'ExternalDNS DNSEndpoint';
  public readonly zoneName = undefined;

  public _publish(record: PublishedRecord): ApiObject[] {
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

  public _publish(record: PublishedRecord): ApiObject[] {
    const route = record.route;
    if (!route) {
      throw propError(record, 'provider', this.name, 'needs the route object (Ingress or HTTPRoute) to annotate, and none was given',
        'pass it as \'route\', or use DnsProvider.externalDns() for a DNSEndpoint');
    }
    record.entryPoint._annotateForExternalDns(route, { prefix: this.prefix, hostName: record.hostName, target: record.target, ttl: record.ttl });
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

  public _publish(record: PublishedRecord): ApiObject[] {
    this.zone._addRecord({ hostName: record.hostName, recordType: record.recordType, target: record.target, ttl: record.ttl, source: record.node.path });
    return [];
  }
}

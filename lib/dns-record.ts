import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { StrictApiObject } from './_api-object';
import { propError } from './_errors';
import { ensureUniqueObjects } from './_unique';
import { checkDns1123Label, checkHostName, checkInt } from './_validate';
import { DnsEndpoint, DnsEndpointSpecEndpointsRecordType } from './imports/externaldns.k8s.io';
import { IngressVip } from './ingress-vip';

/** The type of an address record, from the VIP's IP family. */
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

  /** A short name for messages. */
  public abstract readonly name: string;

  /**
   * Renders `record` for this provider, in the record's scope.
   * @returns the API objects it created
   * @internal
   */
  public abstract _render(record: DnsRecord): ApiObject[];
}

class ExternalDnsEndpointProvider extends DnsProvider {
  public readonly name = 'ExternalDNS DNSEndpoint';

  public _render(record: DnsRecord): ApiObject[] {
    return [new StrictApiObject(record, 'Resource', DnsEndpoint.manifest({
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

export interface DnsRecordProps {
  /** The name to publish: the app's Ingress host. */
  readonly hostName: string;
  /** The VIP whose address the record points at. */
  readonly vip: IngressVip;
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
   * The record type; it must match the VIP's IP family.
   * @default - A for an IPv4 VIP, AAAA for an IPv6 one
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
}

/**
 * A DNS address record (A for an IPv4 VIP, AAAA for an IPv6 one) that points a host name
 * at the ingress VIP.
 */
export class DnsRecord extends Construct {
  public readonly hostName: string;
  public readonly recordType: DnsRecordType;
  /** The VIP's address. */
  public readonly target: string;
  public readonly ttl: number;
  public readonly provider: DnsProvider;
  public readonly objectName: string;
  public readonly namespace?: string;
  public readonly labels: Readonly<Record<string, string>>;
  /** The API objects the provider rendered (the `DNSEndpoint` for ExternalDNS). */
  public readonly resources: ApiObject[];

  public constructor(scope: Construct, id: string, props: DnsRecordProps) {
    super(scope, id);
    this.hostName = checkHostName(this, 'hostName', props.hostName, { wildcard: true });
    if (props.vip.address === undefined || props.vip.ipFamily === undefined) {
      throw propError(this, 'vip', props.vip.node.path, 'has no pinned address (its addressMode is CLOUD_ASSIGNED)',
        'pin the VIP address, or turn the DNS record off and let the cloud\'s DNS integration publish it');
    }
    this.target = props.vip.address;
    const family = props.vip.ipFamily === 4 ? DnsRecordType.A : DnsRecordType.AAAA;
    this.recordType = props.recordType ?? family;
    if (this.recordType !== family) {
      throw propError(this, 'recordType', props.recordType,
        `does not fit the VIP address ${this.target} (an ${this.target.includes(':') ? 'IPv6' : 'IPv4'} address needs ${family})`,
        `use DnsRecordType.${family}, or leave recordType out to derive it from the VIP`);
    }
    this.ttl = checkInt(this, 'ttl', props.ttl ?? 300, 1, 2147483647, 'give the TTL in seconds, e.g. 300');
    this.provider = props.provider ?? DnsProvider.externalDns();
    this.objectName = checkDns1123Label(this, 'objectName', props.objectName ?? id.toLowerCase());
    this.namespace = props.namespace === undefined ? undefined : checkDns1123Label(this, 'namespace', props.namespace);
    this.labels = { ...(props.labels ?? {}) };
    this.resources = this.provider._render(this);
    ensureUniqueObjects(this);
  }
}

import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { relativeName } from '../core/_artifacts';
import { propError } from '../core/errors';
import { ipFamily } from '../core/_validate';
import { checked, checkShape, shape } from '../core/_shape';
import { ensureUniqueObjects } from '../k8s/_unique';
import { EntryPoint } from '../entry-points/entry-point';
import { ENTRY_POINT_SHAPE } from '../entry-points/_shapes';
import { DnsProvider, DnsRecordType } from './dns-provider';
import { DNS_OPTION_SHAPES } from './_dns-record';

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
   * @default - the chart's namespace; in a chart without one, the entry point's (where its
   * Service or Gateway is, so it exists), never none: an object without a namespace lands in
   * whichever namespace the kubectl context that applies it names
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
  /**
   * The address to publish, where the host is not reached at the entry point's own address
   * (a TCP route's LoadBalancer Service on an address of its own).
   * @default - the entry point's pinned address
   */
  readonly address?: string;
}

const DNS_RECORD_SHAPE = shape.object<DnsRecordProps>('DnsRecordProps', {
  hostName: shape.wildcardHostName,
  entryPoint: ENTRY_POINT_SHAPE,
  ...DNS_OPTION_SHAPES,
  objectName: shape.dns1123Label,
  namespace: shape.dns1123Label,
  labels: shape.objectLabels,
  route: shape.instance(ApiObject, 'ApiObject', 'pass the app\'s Ingress or HTTPRoute'),
  address: shape.ip,
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
  /** The address published: the entry point's, or the `address` given. */
  public readonly target: string;
  /** Time to live, in seconds. */
  public readonly ttl: number;
  /** Who publishes the record. */
  public readonly provider: DnsProvider;
  /** Name of the Kubernetes object that carries it, for providers that use one. */
  public readonly objectName: string;
  /** Namespace of that object: the one given, the chart's, or the entry point's. */
  public readonly namespace: string;
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
    this.hostName = props.hostName;
    const entryPoint = this.entryPoint = props.entryPoint;
    if (props.address === undefined && (entryPoint.address === undefined || entryPoint.ipFamily === undefined)) {
      throw propError(this, 'entryPoint', entryPoint.node.path, 'has no pinned address',
        'pin its address, or turn the DNS record off and let the cloud\'s DNS integration publish it');
    }
    this.target = props.address ?? entryPoint.address!;
    const family = ipFamily(this.target) === 4 ? DnsRecordType.A : DnsRecordType.AAAA;
    this.recordType = props.recordType ?? family;
    if (this.recordType !== family) {
      throw propError(this, 'recordType', props.recordType,
        `does not fit the address ${this.target} (an ${this.target.includes(':') ? 'IPv6' : 'IPv4'} address needs ${family})`,
        `use DnsRecordType.${family}, or leave recordType out to derive it from the address`);
    }
    this.ttl = props.ttl ?? 300;
    this.provider = props.provider ?? DnsProvider.externalDns();
    this.objectName = props.objectName ?? checked(this, 'objectName', id.toLowerCase(), shape.dns1123Label);
    const chartNamespace = Chart.of(this).namespace;
    this.namespace = props.namespace
      ?? (chartNamespace !== undefined ? checked(this, 'namespace', chartNamespace, shape.dns1123Label) : entryPoint.namespace);
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

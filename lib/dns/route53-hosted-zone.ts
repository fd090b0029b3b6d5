import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { Artifact, ArtifactWriter, duplicateRecords, sortedRecords, ZoneRecord } from '../core/_artifacts';
import { errorAt, propError } from '../core/errors';
import { checkShape, shape, Where } from '../core/_shape';

/** Props of `Route53HostedZone`. */
export interface Route53HostedZoneProps {
  /** The hosted zone's id (`Z` and letters and digits), as the Route 53 console shows it. */
  readonly hostedZoneId: string;
  /** The hosted zone's domain, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * Name of the AWS CDK stack, and of its template file `<stackName>.template.json`.
   * @default - 'dns-' and the zone name with dots as dashes
   */
  readonly stackName?: string;
}

/** The peer range of aws-cdk-lib in package.json. */
const PEER_AWS_CDK_LIB = '^2.276.0';

const ROUTE53_SHAPE = shape.object<Route53HostedZoneProps>('Route53HostedZoneProps', {
  hostedZoneId: shape.format(shape.string, checkHostedZoneId), zoneName: shape.hostName, stackName: shape.string,
}, { required: ['hostedZoneId', 'zoneName'] });

/**
 * An existing Route 53 hosted zone, given by id and name (no AWS lookup at synth), that apps
 * publish their address records into. `WebStackApp.synth()` writes an AWS CDK stack of
 * `route53.ARecord` / `AaaaRecord` as a CloudFormation template next to the manifests.
 *
 * `aws-cdk-lib` is loaded only here, only when a record is published to Route 53.
 */
export class Route53HostedZone extends Construct implements ArtifactWriter {
  /** The hosted zone's id. */
  public readonly hostedZoneId: string;
  /** The hosted zone's name. */
  public readonly zoneName: string;
  /** The CloudFormation stack, and the template's file name `<stackName>.template.json`. */
  public readonly stackName: string;
  private readonly records: ZoneRecord[] = [];

  public constructor(scope: Construct, id: string, props: Route53HostedZoneProps) {
    super(scope, id);
    checkShape(this, '', props, ROUTE53_SHAPE);
    this.hostedZoneId = props.hostedZoneId;
    this.zoneName = props.zoneName;
    this.stackName = props.stackName ?? `dns-${this.zoneName.replace(/\./g, '-')}`;
    // aws-cdk-lib is an optional peer: say so here, not with a stack trace at synth.
    try {
      require.resolve('aws-cdk-lib');
    } catch {
      throw propError(this, 'props', 'Route53HostedZone', 'needs aws-cdk-lib, an optional peer dependency, which is not installed',
        `install it beside cdk8s-webstack: npm install aws-cdk-lib@${PEER_AWS_CDK_LIB}`);
    }
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(this.stackName)) {
      throw propError(this, 'stackName', props.stackName, 'is not a CloudFormation stack name',
        'start with a letter; use letters, digits and \'-\', 128 characters at most');
    }
    this.node.addValidation({ validate: () => duplicateRecords(this.zoneName, this.records) });
  }

  /** @internal called by DnsRecord */
  public _addRecord(record: ZoneRecord): void {
    this.records.push(record);
  }

  /** The CloudFormation template of the records, as JSON. */
  public template(): any {
    // Loaded here, not at import, so apps that do not publish to Route 53 never load aws-cdk-lib.
    const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
    const route53: typeof import('aws-cdk-lib/aws-route53') = require('aws-cdk-lib/aws-route53');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-cdk-'));
    try {
      // No tree metadata, stack traces or built-in template validation: cfn-lint checks the
      // template in CI, and the synth path stays fast.
      const app = new cdk.App({ outdir, analyticsReporting: false, treeMetadata: false, stackTraces: false, builtinCloudFormationValidation: false });
      const stack = new cdk.Stack(app, this.stackName, {
        synthesizer: new cdk.LegacyStackSynthesizer(),
        analyticsReporting: false,
        description: `DNS records of ${this.zoneName}, written by cdk8s-webstack`,
      });
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: this.hostedZoneId, zoneName: this.zoneName });
      for (const r of sortedRecords(this.records)) {
        // One id per name: '-' doubles before '.' becomes '-', so shop-eu and shop.eu stay apart
        // (valid host names never hold '.-' or '-.'), and names without '-' keep their old id.
        const id = `${r.recordType}-${r.hostName.replace(/-/g, '--').replace(/\./g, '-').replace(/\*/g, '_')}`;
        const props = { zone, recordName: `${r.hostName}.`, target: route53.RecordTarget.fromIpAddresses(r.target), ttl: cdk.Duration.seconds(r.ttl) };
        if (r.recordType === 'A') {
          new route53.ARecord(stack, id, props);
        } else {
          new route53.AaaaRecord(stack, id, props);
        }
      }
      return app.synth().getStackByName(this.stackName).template;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  /** @internal */
  public _artifacts(): Artifact[] {
    return [{
      fileName: `${this.stackName}.template.json`, kind: 'Route 53 template', prop: 'stackName', value: this.stackName,
      fix: 'give this hosted zone another stackName', render: () => `${JSON.stringify(this.template(), null, 2)}\n`,
    }];
  }
}

function checkHostedZoneId(where: Where, prop: string, id: string): void {
  if (!/^Z[A-Z0-9]{1,31}$/.test(id)) {
    throw errorAt(where, prop, id, 'is not a Route 53 hosted zone id',
      'copy the id from the Route 53 console, e.g. \'Z0123456789ABCDEFGHIJ\' (without the /hostedzone/ prefix)');
  }
}

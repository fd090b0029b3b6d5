import * as fs from 'fs';
import { errorAt, Where, WebStackError } from '../core/errors';
import { checkShape, Fields, shape } from '../core/_shape';
import { isDnsSubdomain } from '../core/_validate';

/** The name of the outputs file `WebStackApp.synth()` writes into the output folder. */
export const OUTPUTS_FILE = 'outputs.json';

/**
 * What a synth hands the pipeline steps after it (`outputs.json` in the output folder): the
 * ApplySet to apply the manifests as, and per app its URLs, hosts, namespace, entry point,
 * DNS records and files, and the DNS records made on their own. Steps read it instead of typing
 * again what the program knows. Written deterministically: apps and records by construct path,
 * keys in a fixed order.
 */
export interface StackOutputs {
  /** The format's version: 1. */
  readonly version: 1;
  /** How to apply and prune the output folder, or `null` when the ApplySet is turned off. */
  readonly applySet: ApplySetOutputs | null;
  /** Every `WebApp` of the program, by construct path. */
  readonly apps: readonly AppOutputs[];
  /** Every `DnsRecord` made on its own (not by a `WebApp`, whose records are in its `dns`), by construct path. */
  readonly dnsRecords: readonly StandaloneDnsRecordOutputs[];
}

/** The ApplySet of the output folder, for `kubectl apply --prune --applyset`. */
export interface ApplySetOutputs {
  /** kubectl's `--applyset` value: `applysets.cdk8s-webstack.io/<name>`. */
  readonly parent: string;
  /** The `applyset.kubernetes.io/part-of` label kubectl gives every member. */
  readonly id: string;
  /** The file of the parent object: created when missing, never applied over (kubectl keeps its annotations). */
  readonly parentFile: string;
  /** The files applied first, outside the set, and never pruned: the parent's definition and the Namespaces. */
  readonly keptFiles: readonly string[];
  /** The files applied as the set, in order. */
  readonly files: readonly string[];
}

/** One app, as the pipeline sees it. */
export interface AppOutputs {
  /** The `WebApp`'s construct path, e.g. `blog-prod/blog`. */
  readonly path: string;
  /** Its name: of its Deployment, Service and route. */
  readonly name: string;
  /** The namespace its objects live in. */
  readonly namespace: string;
  /** The container image of its server. */
  readonly image: string;
  /** Its hosts, the first the main one. */
  readonly hosts: readonly string[];
  /** Every host and path, `https://` when it serves TLS. */
  readonly urls: readonly string[];
  /** `Ingress` or `HTTPRoute`. */
  readonly routeKind: 'Ingress' | 'HTTPRoute';
  /** What serves it. */
  readonly entryPoint: EntryPointOutputs;
  /** Its Deployments (the server's and the workers', except those that are StatefulSets): what `kubectl rollout status` waits for. */
  readonly deployments: readonly string[];
  /** Its StatefulSets (the server's or a worker's, with `statefulSet`): waited for like the Deployments. */
  readonly statefulSets: readonly string[];
  /** The Job of this release's migration, which `deploy` waits for before the workloads, or `null`. */
  readonly migration: string | null;
  /** The Jobs after this release, which `deploy` runs one by one once the rollouts are done. */
  readonly afterRelease: readonly string[];
  /** Its DNS records. */
  readonly dns: readonly DnsRecordOutputs[];
  /** The output files that hold the app's objects or records. */
  readonly files: readonly string[];
}

/** An entry point, as the pipeline sees it. */
export interface EntryPointOutputs {
  /** Its construct path. */
  readonly path: string;
  /** E.g. `IngressVip ingress-nginx/ingress-nginx-controller`. */
  readonly description: string;
  /** Its namespace (the VIP's Service or the Gateway). */
  readonly namespace: string;
  /** The pinned address clients reach, or `null` when a cloud assigns it. */
  readonly address: string | null;
}

/** A DNS record an app publishes. */
export interface DnsRecordOutputs {
  /** The host name published, without the trailing dot. */
  readonly name: string;
  /** The record type. */
  readonly type: 'A' | 'AAAA';
  /** The address it points at: the entry point's. */
  readonly target: string;
  /** Time to live, in seconds. */
  readonly ttl: number;
  /** Who publishes it, e.g. `ExternalDNS DNSEndpoint` or `zone file platform/InternalZone`. */
  readonly provider: string;
}

/** A `DnsRecord` made on its own: its construct path, then what an app's record says. */
export interface StandaloneDnsRecordOutputs extends DnsRecordOutputs {
  /** The `DnsRecord`'s construct path, e.g. `platform/Www`. */
  readonly path: string;
}

/**
 * Reads the outputs file of a synth (`dist/outputs.json`), checking its whole shape and every
 * value's format, for programs that run after synth: a smoke test, a DNS ticket, a status page.
 * The pipeline CLI passes these values to kubectl, so nothing in the file is taken on trust.
 */
export function readOutputs(file: string): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the outputs of a synth (${(error as Error).message}); run \`cdk8s synth\` first`);
  }
  const version = parsed !== null && typeof parsed === 'object' ? (parsed as { version?: unknown }).version : undefined;
  if (version !== 1) {
    throw new Error(`${file}: not the outputs of a cdk8s-webstack synth of this version (its "version" is ${JSON.stringify(version) ?? 'missing'}, not 1); synth again with this version of the library`);
  }
  try {
    checkShape(file, '', parsed, OUTPUTS_SHAPE);
  } catch (error) {
    if (error instanceof WebStackError) {
      // The shape's message without its leading "<file>: ": the prop, the value, what is wrong.
      const what = error.message.slice(`${file}: `.length);
      throw new Error(`${file}: not the outputs of a cdk8s-webstack synth: ${what} (synth again with this version of the library; never edit the file)`);
    }
    throw error;
  }
  return parsed as StackOutputs;
}

/** A file synth wrote: a relative path inside the output folder, of plain names. */
function checkOutputFile(where: Where, prop: string, name: string): void {
  const parts = name.split('/');
  if (name.includes('\\') || parts.some(p => p === '' || p === '.' || p === '..' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(p))) {
    throw errorAt(where, prop, name, 'is not a file synth writes inside the output folder', 'synth again; never edit outputs.json by hand');
  }
}

/** kubectl's `--applyset` value of a set this library names. */
function checkParent(where: Where, prop: string, parent: string): void {
  const [group, name, ...rest] = parent.split('/');
  if (group !== 'applysets.cdk8s-webstack.io' || name === undefined || rest.length > 0 || !isDnsSubdomain(name)) {
    throw errorAt(where, prop, parent, 'is not an ApplySet parent of this library', 'synth again; the parent is applysets.cdk8s-webstack.io/<name>');
  }
}

/** An http(s) URL without credentials. */
function checkUrl(where: Where, prop: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol) || parsed.username !== '' || parsed.password !== '') {
    throw errorAt(where, prop, url, 'is not an http or https URL of an app', 'synth again; never edit outputs.json by hand');
  }
}

const FILE = shape.format(shape.string, checkOutputFile);

/** The fields of a DNS record, an app's or one made on its own. */
const RECORD_FIELDS: Fields<DnsRecordOutputs> = {
  name: shape.wildcardHostName, type: shape.enum({ A: 'A', AAAA: 'AAAA' }, 'record type'), target: shape.ip,
  ttl: shape.int(1, 2147483647), provider: shape.string,
};
const RECORD_REQUIRED: Array<keyof DnsRecordOutputs> = ['name', 'type', 'target', 'ttl', 'provider'];

const OUTPUTS_SHAPE = shape.object<StackOutputs>('StackOutputs', {
  version: shape.number,
  applySet: shape.oneOf(shape.null, shape.object<ApplySetOutputs>('ApplySetOutputs', {
    parent: shape.format(shape.string, checkParent),
    id: shape.format(shape.string, (where, prop, id: string) => {
      if (!/^applyset-[A-Za-z0-9_-]{43}-v1$/.test(id)) {
        throw errorAt(where, prop, id, 'is not an ApplySet id', 'synth again; never edit outputs.json by hand');
      }
    }),
    parentFile: FILE,
    keptFiles: shape.array(FILE),
    files: shape.array(FILE),
  }, { required: ['parent', 'id', 'parentFile', 'keptFiles', 'files'] })),
  apps: shape.array(shape.object<AppOutputs>('AppOutputs', {
    path: shape.string,
    name: shape.dns1035Label,
    namespace: shape.dns1123Label,
    image: shape.image,
    hosts: shape.array(shape.hostName),
    urls: shape.array(shape.format(shape.string, checkUrl)),
    routeKind: shape.enum({ INGRESS: 'Ingress', HTTP_ROUTE: 'HTTPRoute' }, 'route kind'),
    entryPoint: shape.object<EntryPointOutputs>('EntryPointOutputs', {
      path: shape.string, description: shape.string, namespace: shape.dns1123Label, address: shape.oneOf(shape.null, shape.ip),
    }, { required: ['path', 'description', 'namespace', 'address'] }),
    deployments: shape.array(shape.dns1123Label),
    statefulSets: shape.array(shape.dns1123Label),
    migration: shape.oneOf(shape.null, shape.dns1123Label),
    afterRelease: shape.array(shape.dns1123Label),
    dns: shape.array(shape.object<DnsRecordOutputs>('DnsRecordOutputs', RECORD_FIELDS, { required: RECORD_REQUIRED })),
    files: shape.array(FILE),
  }, { required: ['path', 'name', 'namespace', 'image', 'hosts', 'urls', 'routeKind', 'entryPoint', 'deployments', 'statefulSets', 'migration', 'afterRelease', 'dns', 'files'] })),
  dnsRecords: shape.array(shape.object<StandaloneDnsRecordOutputs>('StandaloneDnsRecordOutputs', { path: shape.string, ...RECORD_FIELDS },
    { required: ['path', ...RECORD_REQUIRED] })),
}, { required: ['version', 'applySet', 'apps', 'dnsRecords'] });

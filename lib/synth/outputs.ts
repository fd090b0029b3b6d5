import * as fs from 'fs';

/** The name of the outputs file `WebStackApp.synth()` writes into the output folder. */
export const OUTPUTS_FILE = 'outputs.json';

/**
 * What a synth hands the pipeline steps after it (`outputs.json` in the output folder): the
 * ApplySet to apply the manifests as, and per app its URLs, hosts, namespace, entry point,
 * DNS records and files. Steps read it instead of typing again what the program knows.
 * Written deterministically: apps by construct path, keys in a fixed order.
 */
export interface StackOutputs {
  /** The format's version: 1. */
  readonly version: 1;
  /** How to apply and prune the output folder, or `null` when the ApplySet is turned off. */
  readonly applySet: ApplySetOutputs | null;
  /** Every `WebApp` of the program, by construct path. */
  readonly apps: readonly AppOutputs[];
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
  /** Its Deployments (the server, then the workers): what `kubectl rollout status` waits for. */
  readonly deployments: readonly string[];
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

/**
 * Reads the outputs file of a synth (`dist/outputs.json`), checking its shape, for programs
 * that run after synth: a smoke test, a DNS ticket, a status page.
 */
export function readOutputs(file: string): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the outputs of a synth (${(error as Error).message}); run \`cdk8s synth\` first`);
  }
  const problem = outputsProblem(parsed);
  if (problem !== undefined) {
    throw new Error(`${file}: not the outputs of a cdk8s-webstack synth: ${problem}; synth again with this version of the library`);
  }
  return parsed as StackOutputs;
}

function outputsProblem(value: any): string | undefined {
  const strings = (v: unknown) => Array.isArray(v) && v.every(s => typeof s === 'string');
  if (value === null || typeof value !== 'object' || value.version !== 1) {
    return 'its "version" is not 1';
  }
  const set = value.applySet;
  if (set !== null && (typeof set !== 'object' || typeof set.parent !== 'string' || typeof set.parentFile !== 'string'
    || typeof set.id !== 'string' || !strings(set.files) || !strings(set.keptFiles))) {
    return '"applySet" is neither null nor { parent, id, parentFile, keptFiles, files }';
  }
  if (!Array.isArray(value.apps)) {
    return '"apps" is not a list';
  }
  for (const [i, app] of value.apps.entries()) {
    const ok = app !== null && typeof app === 'object'
      && ['path', 'name', 'namespace', 'image', 'routeKind'].every(k => typeof app[k] === 'string')
      && ['hosts', 'urls', 'deployments', 'files'].every(k => strings(app[k]))
      && typeof app.entryPoint === 'object' && app.entryPoint !== null && typeof app.entryPoint.path === 'string'
      && Array.isArray(app.dns) && app.dns.every((r: any) => typeof r?.name === 'string' && typeof r?.target === 'string');
    if (!ok) {
      return `apps[${i}] lacks a field of AppOutputs`;
    }
  }
  return undefined;
}

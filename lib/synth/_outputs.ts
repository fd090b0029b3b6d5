import { Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LaidOutFile } from './_layout';
import { compareStrings } from '../core/_records';
import { ApplySet } from './apply-set';
import { AppOutputs, DnsRecordOutputs, StackOutputs } from './outputs';
import { WebApp } from '../app/web-app';
import { DnsRecord } from '../dns/dns-record';

/**
 * The outputs of `root`'s synth: per `WebApp`, what the pipeline steps after it need, the DNS
 * records made on their own, and the ApplySet with the files to apply in and outside it. `files`
 * are the laid-out manifest files.
 */
export function collectOutputs(root: IConstruct, files: readonly LaidOutFile[], applySet: ApplySet | undefined): StackOutputs {
  // The files of each chart, in their order, looked up once per app rather than searched.
  const filesOf = new Map<string, LaidOutFile[]>();
  for (const file of files) {
    for (const chart of new Set(file.charts)) {
      filesOf.set(chart, [...(filesOf.get(chart) ?? []), file]);
    }
  }
  const constructs = root.node.findAll();
  const byPath = (a: IConstruct, b: IConstruct) => compareStrings(a.node.path, b.node.path);
  const webApps = constructs.filter((c): c is WebApp => c instanceof WebApp).sort(byPath);
  const apps = webApps.map(app => appOutputs(app, filesOf.get(Names.toDnsLabel(Chart.of(app))) ?? []));
  // Records made on their own: every DnsRecord but the apps' (each app lists its own).
  const ofApps = new Set(webApps.flatMap(appRecords));
  const dnsRecords = constructs.filter((c): c is DnsRecord => c instanceof DnsRecord && !ofApps.has(c)).sort(byPath)
    .map(r => ({ path: r.node.path, ...recordOutputs(r) }));
  return {
    version: 1,
    applySet: applySet === undefined ? null : {
      parent: applySet.parentRef,
      id: applySet.id,
      parentFile: files.find(f => f.role === 'parent')!.fileName,
      keptFiles: files.filter(f => f.role === 'kept').map(f => f.fileName),
      files: files.filter(f => f.role === 'objects').map(f => f.fileName),
    },
    apps,
    dnsRecords,
  };
}

/** The records of an app: its hosts', then its routes'. */
function appRecords(app: WebApp): DnsRecord[] {
  return [...app.dnsRecords, ...app.routes.flatMap(r => (r.dnsRecord ? [r.dnsRecord] : []))];
}

/** What the pipeline sees of a record, an app's or one made on its own. */
function recordOutputs(r: DnsRecord): DnsRecordOutputs {
  return { name: r.hostName, type: r.recordType, target: r.target, ttl: r.ttl, provider: r.provider.name };
}

/** `files`: the files that hold objects of the app's chart, in their order. */
function appOutputs(app: WebApp, files: readonly LaidOutFile[]): AppOutputs {
  const records = appRecords(app);
  const manifests = files.filter(f => f.role === 'objects' || app.namespaceResource !== undefined).map(f => f.fileName);
  const zoneFiles = records.flatMap(r => r.provider._zone?._artifacts().map(a => a.fileName) ?? []);
  const entryPoint = app.entryPoint;
  return {
    path: app.node.path,
    name: app.name,
    namespace: app.namespace,
    image: app.image.reference,
    hosts: [...app.hosts],
    urls: [...app.urls],
    routeKind: app.routeKind,
    entryPoint: { path: entryPoint.node.path, description: entryPoint.description, namespace: entryPoint.namespace, address: entryPoint.address ?? null },
    deployments: [app, ...app.workers].flatMap(w => (w.deployment ? [w.deployment.name] : [])),
    statefulSets: [app, ...app.workers].flatMap(w => (w.statefulSet ? [w.statefulSet.name] : [])),
    migration: app.migration?.name ?? null,
    afterRelease: app.afterRelease.map(j => j.name),
    dns: records.map(recordOutputs),
    files: [...new Set([...manifests, ...zoneFiles])].sort(compareStrings),
  };
}

import { Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LaidOutFile } from './_layout';
import { compareStrings } from '../core/_records';
import { ApplySet } from './apply-set';
import { AppOutputs, StackOutputs } from './outputs';
import { WebApp } from '../app/web-app';

/**
 * The outputs of `root`'s synth: per `WebApp`, what the pipeline steps after it need, and the
 * ApplySet with the files to apply in and outside it. `files` are the laid-out manifest files.
 */
export function collectOutputs(root: IConstruct, files: readonly LaidOutFile[], applySet: ApplySet | undefined): StackOutputs {
  // The files of each chart, in their order, looked up once per app rather than searched.
  const filesOf = new Map<string, LaidOutFile[]>();
  for (const file of files) {
    for (const chart of new Set(file.charts)) {
      filesOf.set(chart, [...(filesOf.get(chart) ?? []), file]);
    }
  }
  const apps = root.node.findAll().filter((c): c is WebApp => c instanceof WebApp)
    .sort((a, b) => compareStrings(a.node.path, b.node.path))
    .map(app => appOutputs(app, filesOf.get(Names.toDnsLabel(Chart.of(app))) ?? []));
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
  };
}

/** `files`: the files that hold objects of the app's chart, in their order. */
function appOutputs(app: WebApp, files: readonly LaidOutFile[]): AppOutputs {
  const records = app.dnsRecords;
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
    deployments: [app.deployment.name, ...app.workers.map(w => w.deployment.name)],
    dns: records.map(r => ({ name: r.hostName, type: r.recordType, target: r.target, ttl: r.ttl, provider: r.provider.name })),
    files: [...new Set([...manifests, ...zoneFiles])].sort(compareStrings),
  };
}

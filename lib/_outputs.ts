import { Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LaidOutFile } from './_layout';
import { compareStrings } from './_records';
import { ApplySet } from './apply-set';
import { AppOutputs, StackOutputs } from './outputs';
import { WebApp } from './web-app';

/**
 * The outputs of `root`'s synth: per `WebApp`, what the pipeline steps after it need, and the
 * ApplySet with the files to apply in and outside it. `files` are the laid-out manifest files.
 */
export function collectOutputs(root: IConstruct, files: readonly LaidOutFile[], applySet: ApplySet | undefined): StackOutputs {
  const apps = root.node.findAll().filter((c): c is WebApp => c instanceof WebApp)
    .sort((a, b) => compareStrings(a.node.path, b.node.path))
    .map(app => appOutputs(app, files));
  return {
    version: 1,
    applySet: applySet === undefined ? null : {
      parent: applySet.parentRef,
      namespace: applySet.namespace,
      id: applySet.id,
      files: files.filter(f => f.role === 'objects').map(f => f.fileName),
      keptFiles: files.filter(f => f.role === 'namespaces').map(f => f.fileName),
    },
    apps,
  };
}

function appOutputs(app: WebApp, files: readonly LaidOutFile[]): AppOutputs {
  const chart = Names.toDnsLabel(Chart.of(app));
  const records = app.dnsRecords;
  const manifests = files.filter(f => f.charts.includes(chart) && (f.role === 'objects' || app.namespaceResource !== undefined)).map(f => f.fileName);
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

/**
 * The pipeline's cluster steps (`cdk8s-webstack deploy`, bin/deploy.js), run for real against an
 * API server in three releases of test/cluster/releases.ts:
 *   v1  alpha (Ingress) and beta (HTTPRoute, a CronJob), each with its DNSEndpoint;
 *   v2  alpha's image tag changed through ALPHA_IMAGE_TAG, beta removed from the program;
 *   v3  nothing changed.
 * Checks: after v1, every member carries the ApplySet's part-of label and outputs.json matches
 * what the server holds; after v2, every beta object is gone, its Namespace is kept, objects
 * made by hand beside the program's are untouched, alpha runs the new tag; v3's diff is empty.
 * Rollouts are not waited for here (no controllers run): the e2e suite does that.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readOutputs, StackOutputs } from '../../lib/synth/outputs';

const ROOT = path.resolve(__dirname, '..', '..');

type Check = (name: string, ok: boolean, detail?: string) => void;

interface Run { status: number | null; stdout: string; stderr: string }

export function pipelineReleases(version: string, kubeconfig: string, kubectlBin: string, check: Check, report: string[]): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
  const out = path.join(work, 'dist');
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECTL: kubectlBin };
  const run = (args: string[], extra: Record<string, string> = {}): Run => {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...env, ...extra }, timeout: 180_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error?.message ?? ''}` };
  };
  const kubectl = (args: string[]): Run => {
    const r = spawnSync(kubectlBin, args, { encoding: 'utf8', env, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  const synth = (release: string, tag: string) => {
    const r = run(['bin/run.js', 'test/cluster/releases.ts'], { RELEASE: release, ALPHA_IMAGE_TAG: tag, OUTDIR: out });
    check(`${version}: pipeline ${release}: synth`, r.status === 0, r.stderr);
    return readOutputs(path.join(out, 'outputs.json'));
  };
  const members = (file: string) => parseAllDocuments(fs.readFileSync(path.join(out, file), 'utf8'))
    .map(d => d.toJS()).filter(Boolean).map(doc => ({ file, doc }));
  const get = (doc: any) => kubectl(['get', `${doc.kind}.${doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : ''}`.replace(/\.$/, ''),
    doc.metadata.name, '-o', 'json', ...(doc.metadata.namespace ? ['-n', doc.metadata.namespace] : [])]);
  const log = (release: string, text: string, command = 'deploy') => report.push(`<details><summary>${version}, ${release}: <code>cdk8s-webstack ${command}</code></summary>\n\n\`\`\`\n${text.trim()}\n\`\`\`\n</details>\n`);

  try {
    // The kubectl the pipeline runs (a dispatcher may pick one per server version).
    const versions = JSON.parse(kubectl(['version', '-o', 'json']).stdout || '{}');
    report.push(`Pipeline on ${version}: kubectl ${versions.clientVersion?.gitVersion ?? 'unknown'}\n`);
    // The platform's namespaces, which the platform team owns (the library emits none for them).
    for (const ns of ['pipeline-ingress', 'pipeline-gateway']) {
      kubectl(['create', 'namespace', ns]);
      kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
    }

    // v1: two apps.
    const v1 = synth('v1', '1.0.0');
    const first = run(['bin/cdk8s-webstack.js', 'deploy', out, '--wait=false']);
    log('v1', first.stdout);
    check(`${version}: pipeline v1: deploy succeeds`, first.status === 0, first.stderr + first.stdout);
    const id = v1.applySet!.id;
    const v1Members = v1.applySet!.files.flatMap(f => members(f));
    const unlabelled = v1Members.filter(({ doc }) => {
      const r = get(doc);
      return r.status !== 0 || JSON.parse(r.stdout).metadata.labels?.['applyset.kubernetes.io/part-of'] !== id;
    });
    check(`${version}: pipeline v1: all ${v1Members.length} members carry applyset.kubernetes.io/part-of=${id}`, unlabelled.length === 0,
      unlabelled.map(({ doc }) => `${doc.kind} ${doc.metadata.namespace}/${doc.metadata.name}`).join(', '));
    const parent = kubectl(['get', v1.applySet!.parent, '-o', 'json']);
    const annotations = parent.status === 0 ? JSON.parse(parent.stdout).metadata.annotations : {};
    // kubectl 1.29 and later record kinds (Deployment.apps); 1.28, which the 1.28 server gets, resources (deployments.apps).
    check(`${version}: pipeline v1: kubectl keeps the parent: kinds and namespaces recorded, tooling kubectl`,
      /\bDeployment\.apps\b/.test(annotations['applyset.kubernetes.io/contains-group-kinds'] ?? '')
        !== /\bdeployments\.apps\b/.test(annotations['applyset.kubernetes.io/contains-group-resources'] ?? '')
      && ['alpha', 'beta', 'pipeline-gateway', 'pipeline-ingress'].every(ns => (annotations['applyset.kubernetes.io/additional-namespaces'] ?? '').split(',').includes(ns))
      && /^kubectl\/v\d/.test(annotations['applyset.kubernetes.io/tooling'] ?? ''), JSON.stringify(annotations));
    checkOutputsAgainstServer(version, v1, kubectl, check);

    // Objects the program never wrote, beside its own.
    for (const ns of ['alpha', 'beta']) {
      const r = kubectl(['create', 'configmap', 'hand-made', '-n', ns, '--from-literal=owner=a-person']);
      check(`${version}: pipeline: a ConfigMap made by hand in ${ns}`, r.status === 0, r.stderr);
    }

    // v2: alpha changed, beta removed.
    const v2 = synth('v2', '1.1.0');
    const second = run(['bin/cdk8s-webstack.js', 'deploy', out, '--wait=false']);
    log('v2', second.stdout);
    check(`${version}: pipeline v2: deploy succeeds`, second.status === 0, second.stderr + second.stdout);
    check(`${version}: pipeline v2: the diff shows alpha's new image and the objects to prune`,
      /^\+\s+- image: registry\.internal\.example\.com\/web\/alpha:1\.1\.0$/m.test(second.stdout) && /deployment\.apps\/beta pruned \(server dry run\)/.test(second.stdout),
      second.stdout);
    const beta = v1Members.filter(m => m.file === 'beta.k8s.yaml');
    const left = beta.filter(({ doc }) => get(doc).status === 0);
    check(`${version}: pipeline v2: all ${beta.length} of beta's objects are gone (${[...new Set(beta.map(m => m.doc.kind))].sort().join(', ')})`,
      left.length === 0, left.map(({ doc }) => `${doc.kind} ${doc.metadata.name}`).join(', '));
    check(`${version}: pipeline v2: beta's Namespace is kept`, kubectl(['get', 'namespace', 'beta']).status === 0);
    for (const ns of ['alpha', 'beta']) {
      check(`${version}: pipeline v2: the ConfigMap made by hand in ${ns} is untouched`, kubectl(['get', 'configmap', 'hand-made', '-n', ns]).status === 0);
    }
    const deployment = kubectl(['get', 'deployment', 'alpha', '-n', 'alpha', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    check(`${version}: pipeline v2: alpha runs the new tag`, deployment.stdout === 'registry.internal.example.com/web/alpha:1.1.0', deployment.stdout + deployment.stderr);
    const listeners = kubectl(['get', 'gateway', 'web', '-n', 'pipeline-gateway', '-o', 'jsonpath={.spec.listeners[*].name}']);
    check(`${version}: pipeline v2: the Gateway lost beta's listener`, listeners.status === 0 && !listeners.stdout.includes('beta'), listeners.stdout + listeners.stderr);
    checkOutputsAgainstServer(version, v2, kubectl, check);

    // v3: nothing changed, nothing to do.
    synth('v3', '1.1.0');
    const third = run(['bin/cdk8s-webstack.js', 'diff', out]);
    log('v3', third.stdout, 'diff');
    const nothing = (third.stdout.match(/^\(no change\)$/mg) ?? []).length === 2 && /^\(nothing\)$/m.test(third.stdout);
    check(`${version}: pipeline v3: the diff is empty, nothing to prune`, third.status === 0 && nothing, third.stdout + third.stderr);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Each app of `outputs` as the server holds it: namespace, Deployments and image, route hosts, DNS records. */
function checkOutputsAgainstServer(version: string, outputs: StackOutputs, kubectl: (args: string[]) => Run, check: Check): void {
  for (const app of outputs.apps) {
    const json = (args: string[]) => {
      const r = kubectl([...args, '-o', 'json']);
      return r.status === 0 ? JSON.parse(r.stdout) : undefined;
    };
    const problems: string[] = [];
    if (json(['get', 'namespace', app.namespace]) === undefined) {
      problems.push(`no namespace ${app.namespace}`);
    }
    for (const name of app.deployments) {
      const image = json(['get', 'deployment', name, '-n', app.namespace])?.spec.template.spec.containers[0].image;
      if (image !== app.image) {
        problems.push(`deployment ${name} runs ${image}, outputs say ${app.image}`);
      }
    }
    const route = json(['get', app.routeKind === 'Ingress' ? 'ingresses.networking.k8s.io' : 'httproutes.gateway.networking.k8s.io', app.name, '-n', app.namespace]);
    const hosts = app.routeKind === 'Ingress' ? route?.spec.rules.map((r: any) => r.host) : route?.spec.hostnames;
    if (JSON.stringify(hosts) !== JSON.stringify(app.hosts)) {
      problems.push(`${app.routeKind} hosts ${JSON.stringify(hosts)}, outputs say ${JSON.stringify(app.hosts)}`);
    }
    const endpoints = json(['get', 'dnsendpoints.externaldns.k8s.io', app.name, '-n', app.namespace])?.spec.endpoints ?? [];
    const served = endpoints.map((e: any) => `${e.dnsName} ${e.recordType} ${e.targets.join(',')} ${e.recordTTL}`);
    const said = app.dns.map(r => `${r.name} ${r.type} ${r.target} ${r.ttl}`);
    if (JSON.stringify(served) !== JSON.stringify(said)) {
      problems.push(`DNSEndpoint says ${JSON.stringify(served)}, outputs say ${JSON.stringify(said)}`);
    }
    const entry = json(['get', 'services,gateways.gateway.networking.k8s.io', '-n', app.entryPoint.namespace]);
    if (!JSON.stringify(entry ?? {}).includes(`"${app.entryPoint.address}"`)) {
      problems.push(`nothing in ${app.entryPoint.namespace} pins ${app.entryPoint.address}`);
    }
    check(`${version}: outputs.json matches the server for ${app.path} (namespace, ${app.deployments.length} Deployment(s) and image, ${app.routeKind} hosts, DNS, entry point address)`,
      problems.length === 0, problems.join('; '));
  }
}

/**
 * Cluster conformance: applies every document the example apps synthesize to a real
 * kube-apiserver (with etcd) on 127.0.0.1, for every built Kubernetes version, and runs the
 * field's policy checkers on the same output. Started by `npm run test:cluster` through
 * test/run-with-tools.sh, which installs the tools and passes their paths in the environment.
 *
 * Pass: zero rejections and zero warnings on every version, objects read back as written, the
 * negative controls rejected or warned about, and no findings from the checkers.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Checks, freePort, requireEnv } from '../_harness';
import { LOOKALIKES } from '../_lookalikes';
import { readOutputs } from '../../lib/synth/outputs';
import { pipelineReleases } from './pipeline';
import { agreeWithServer } from './agreement';
import { yamlRoundTrip } from './yaml-roundtrip';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
const CRD = path.join(FIXTURES, 'external-dns', 'dnsendpoints.externaldns.k8s.io.yaml');
/** Gateway API releases in ../shared, newest first: each server gets the newest that installs. */
const GATEWAY_API_RELEASES = fs.readdirSync(path.join(FIXTURES, 'gateway-api'))
  .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
const DIST = path.resolve(process.env.CONFORMANCE_DIST ?? path.join(ROOT, 'dist'));
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

const report: string[] = [];
const pipelineLog: string[] = [];

const checks = new Checks();
const check = (name: string, ok: boolean, detail?: string) => checks.check(name, ok, detail);
const env = (name: string) => requireEnv(name, 'npm run test:cluster');

function sleep(ms: number) {
  return new Promise(r => setTimeout(r, ms));
}

/** Documents of every manifest file in dist/, with the file they came from. */
function distDocuments(): Array<{ file: string; doc: any }> {
  return fs.readdirSync(DIST).filter(f => f.endsWith('.yaml')).sort().flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(DIST, file), 'utf8')).map(d => ({ file, doc: d.toJS() })).filter(d => d.doc));
}

/** Every server process started, so that no exit path leaves one running. */
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach(c => c.exitCode === null && c.kill('SIGKILL')));

// Every temporary folder of the run (cdk8s's Testing.app() makes one per app) goes into one
// folder, removed on every exit path, so the machine's temp folder is left as it was found.
const RUN_TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-cluster-run-'));
process.env.TMPDIR = RUN_TMP;
process.on('exit', () => fs.rmSync(RUN_TMP, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(130));
}

/** One etcd and one kube-apiserver on loopback ports, in a temporary folder. */
class ControlPlane {
  private readonly procs: ChildProcess[] = [];
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-cluster-'));
  public kubeconfig = '';
  private logs: string[] = [];

  public constructor(private readonly apiserver: string, private readonly etcd: string) {}

  public async start(): Promise<void> {
    const d = this.dir;
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=webstack-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kube-apiserver', '-keyout', 'apiserver.key', '-out', 'apiserver.csr');
    fs.writeFileSync(path.join(d, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl('x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'san.ext', '-out', 'apiserver.crt');
    openssl('genrsa', '-out', 'sa.key', '2048');
    openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
    const token = execFileSync('openssl', ['rand', '-hex', '24']).toString().trim();
    fs.writeFileSync(path.join(d, 'tokens.csv'), `${token},admin,admin-uid,system:masters\n`);

    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    this.spawn('etcd', this.etcd, [
      '--name', 'test', '--data-dir', path.join(d, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `test=http://127.0.0.1:${etcdPeer}`, '--log-level', 'error',
    ]);
    this.spawn('kube-apiserver', this.apiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${d}`, `--tls-cert-file=${d}/apiserver.crt`, `--tls-private-key-file=${d}/apiserver.key`,
      `--token-auth-file=${d}/tokens.csv`, '--authorization-mode=RBAC', '--anonymous-auth=false',
      '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${d}/sa.pub`,
      `--service-account-signing-key-file=${d}/sa.key`, '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true', '--endpoint-reconciler-type=none', '--profiling=false', '--v=0',
    ]);

    const ca = fs.readFileSync(path.join(d, 'ca.crt'));
    const deadline = Date.now() + 120_000;
    let last = '';
    while (Date.now() < deadline) {
      last = await new Promise<string>(resolve => {
        const req = https.get({ host: '127.0.0.1', port: apiPort, path: '/readyz', ca, headers: { Authorization: `Bearer ${token}` }, timeout: 3000 }, res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve(`${res.statusCode} ${body}`));
        });
        req.on('error', e => resolve(e.message));
        req.on('timeout', () => req.destroy(new Error('timeout')));
      });
      if (last.startsWith('200')) {
        break;
      }
      if (this.procs.some(p => p.exitCode !== null)) {
        throw new Error(`control plane exited:\n${this.logs.join('').slice(-3000)}`);
      }
      await sleep(500);
    }
    if (!last.startsWith('200')) {
      throw new Error(`kube-apiserver not ready in 120 s (${last}):\n${this.logs.join('').slice(-3000)}`);
    }
    this.kubeconfig = path.join(d, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: test',
      'clusters:', '- name: test', '  cluster:', `    server: https://127.0.0.1:${apiPort}`, `    certificate-authority-data: ${ca.toString('base64')}`,
      'users:', '- name: admin', '  user:', `    token: ${token}`,
      'contexts:', '- name: test', '  context:', '    cluster: test', '    user: admin', '',
    ].join('\n'));
  }

  private spawn(name: string, bin: string, args: string[]) {
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.arch === 'x64' ? '' : process.arch } });
    const keep = (chunk: Buffer) => {
      this.logs.push(`[${name}] ${chunk}`);
      if (this.logs.length > 400) {
        this.logs.shift();
      }
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    this.procs.push(proc);
    children.add(proc);
  }

  public stop(): void {
    for (const proc of [...this.procs].reverse()) {
      if (proc.exitCode === null) {
        proc.kill('SIGKILL');
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

interface KubectlResult { readonly status: number; readonly stdout: string; readonly stderr: string; readonly warnings: string[] }

function kubectl(kubeconfig: string, args: string[], input?: string): KubectlResult {
  const r = spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, '--request-timeout=30s', ...args], { input, encoding: 'utf8', timeout: 90_000 });
  const stderr = r.stderr ?? '';
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr, warnings: stderr.split('\n').filter(l => /^Warning:/.test(l)) };
}

const APPLY = ['apply', '--server-side', '--validate=strict', '--field-manager=cdk8s-webstack', '--force-conflicts'];

/** Where `expected` (what we wrote) is not found in `actual` (what the server holds). */
function differences(expected: any, actual: any, at = ''): string[] {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      return [`${at}: expected ${JSON.stringify(expected)}, server has ${JSON.stringify(actual)}`];
    }
    return Object.keys(expected).flatMap(k => differences(expected[k], actual[k], `${at}/${k}`));
  }
  return expected === actual ? [] : [`${at}: expected ${JSON.stringify(expected)}, server has ${JSON.stringify(actual)}`];
}

const RESOURCE: Record<string, string> = {
  Namespace: 'namespaces', ConfigMap: 'configmaps', ServiceAccount: 'serviceaccounts', CronJob: 'cronjobs.batch', Service: 'services', Deployment: 'deployments.apps', StatefulSet: 'statefulsets.apps', Ingress: 'ingresses.networking.k8s.io',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers.autoscaling', PodDisruptionBudget: 'poddisruptionbudgets.policy',
  NetworkPolicy: 'networkpolicies.networking.k8s.io', DNSEndpoint: 'dnsendpoints.externaldns.k8s.io',
  Gateway: 'gateways.gateway.networking.k8s.io', HTTPRoute: 'httproutes.gateway.networking.k8s.io', GRPCRoute: 'grpcroutes.gateway.networking.k8s.io',
  TCPRoute: 'tcproutes.gateway.networking.k8s.io', TLSRoute: 'tlsroutes.gateway.networking.k8s.io', ReferenceGrant: 'referencegrants.gateway.networking.k8s.io',
  ServiceMonitor: 'servicemonitors.monitoring.coreos.com', PodMonitor: 'podmonitors.monitoring.coreos.com',
};

/**
 * Installs the newest Gateway API release of ../shared that this server takes: every file of
 * the release applied (CRDs, and the safe-upgrades admission policy where the release has one),
 * every CRD Established. A release the server refuses is removed again before the next is tried.
 */
function installGatewayApi(version: string, kc: string): string | undefined {
  const refused: string[] = [];
  for (const release of GATEWAY_API_RELEASES) {
    const dir = path.join(FIXTURES, 'gateway-api', release);
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort().map(f => path.join(dir, f));
    const r = kubectl(kc, [...APPLY, ...files.flatMap(f => ['-f', f])]);
    const crds = files.filter(f => !f.includes('_vap_')).map(f => `crd/${path.basename(f, '.yaml').split('_')[1]}.gateway.networking.k8s.io`);
    const established = r.status === 0 && kubectl(kc, ['wait', '--for=condition=Established', '--timeout=60s', ...crds]).status === 0;
    if (established && r.warnings.length === 0) {
      check(`${version}: Gateway API ${release} installed (${refused.length > 0 ? `newer refused: ${refused.join(', ')}` : 'the newest in ../shared'})`, true);
      return release;
    }
    refused.push(`${release} (${(r.stderr.split('\n').find(l => l.trim()) ?? 'not established').slice(0, 160)})`);
    kubectl(kc, ['delete', '--ignore-not-found', '--wait=true', ...files.flatMap(f => ['-f', f])]);
  }
  check(`${version}: a Gateway API release installs`, false, refused.join('\n'));
  return undefined;
}

async function conformOn(version: string, apiserver: string, etcd: string): Promise<void> {
  const plane = new ControlPlane(apiserver, etcd);
  const started = Date.now();
  try {
    await plane.start();
    const kc = plane.kubeconfig;
    const serverVersion = JSON.parse(kubectl(kc, ['version', '-o', 'json']).stdout || '{}').serverVersion?.gitVersion;
    check(`${version}: API server up and reports ${version}`, serverVersion === version, `reported ${serverVersion}`);

    // The upstream DNSEndpoint CRD, read from ../shared.
    const crd = kubectl(kc, [...APPLY, '-f', CRD]);
    check(`${version}: DNSEndpoint CRD installed`, crd.status === 0, crd.stderr);
    const established = kubectl(kc, ['wait', '--for=condition=Established', '--timeout=60s', 'crd/dnsendpoints.externaldns.k8s.io']);
    check(`${version}: DNSEndpoint CRD established`, established.status === 0, established.stderr);
    const gatewayApi = installGatewayApi(version, kc);
    // prometheus-operator's ServiceMonitor and PodMonitor CRDs, read from ../shared.
    const monitors = fs.readdirSync(path.join(FIXTURES, 'prometheus-operator', 'v0.93.0')).sort()
      .map(f => path.join(FIXTURES, 'prometheus-operator', 'v0.93.0', f));
    const monitorCrds = kubectl(kc, [...APPLY, ...monitors.flatMap(f => ['-f', f])]);
    const monitorsReady = monitorCrds.status === 0 && kubectl(kc, ['wait', '--for=condition=Established', '--timeout=60s',
      'crd/servicemonitors.monitoring.coreos.com', 'crd/podmonitors.monitoring.coreos.com']).status === 0;
    check(`${version}: prometheus-operator v0.93.0 ServiceMonitor and PodMonitor CRDs installed`, monitorsReady && monitorCrds.warnings.length === 0,
      monitorCrds.stderr);

    // Namespaces the bundle uses but does not create (the ingress controller's), restricted like the apps'.
    const docs = distDocuments();
    const own = new Set(docs.filter(d => d.doc.kind === 'Namespace').map(d => d.doc.metadata.name));
    const missing = [...new Set(docs.map(d => d.doc.metadata.namespace).filter((n: string) => n && !own.has(n)))].sort();
    for (const ns of missing) {
      const manifest = JSON.stringify({
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: ns, labels: Object.fromEntries(['enforce', 'warn', 'audit'].map(m => [`pod-security.kubernetes.io/${m}`, 'restricted'])) },
      });
      const r = kubectl(kc, [...APPLY, '-f', '-'], manifest);
      check(`${version}: namespace ${ns} created (restricted)`, r.status === 0, r.stderr);
    }

    // Every synthesized file, in the order the pipeline applies them (outputs.json): the ApplySet's
    // definition and the Namespaces, its parent, then the set.
    const set = readOutputs(path.join(DIST, 'outputs.json')).applySet!;
    let applied = 0;
    let warnings = 0;
    let rejected = 0;
    for (const file of [...set.keptFiles, set.parentFile, ...set.files]) {
      const count = docs.filter(d => d.file === file).length;
      const r = kubectl(kc, [...APPLY, '-f', path.join(DIST, file)]);
      if (docs.some(d => d.file === file && d.doc.kind === 'CustomResourceDefinition')) {
        kubectl(kc, ['wait', '--for=condition=Established', '--timeout=60s', ...docs.filter(d => d.file === file).map(d => `crd/${d.doc.metadata.name}`)]);
      }
      const accepted = (r.stdout.match(/serverside-applied/g) ?? []).length;
      applied += count;
      warnings += r.warnings.length;
      rejected += count - accepted;
      check(`${version}: ${file}: ${accepted}/${count} documents accepted, ${r.warnings.length} warnings`,
        r.status === 0 && accepted === count && r.warnings.length === 0, `${r.stderr}${r.stdout}`);
    }

    // Read every object back and compare the fields we set.
    let mismatched = 0;
    for (const { doc } of docs) {
      const diff = readBack(kc, doc);
      mismatched += diff.length > 0 ? 1 : 0;
      check(`${version}: read back ${doc.kind} ${doc.metadata.namespace ?? ''}/${doc.metadata.name} as written`, diff.length === 0, diff.join('\n'));
    }
    report.push(`| ${version} | ${gatewayApi ?? 'none'} | ${applied} | ${applied - rejected} | ${rejected} | ${warnings} | ${docs.length - mismatched}/${docs.length} | ${((Date.now() - started) / 1000).toFixed(0)} s |`);

    const deployment = docs.find(d => d.doc.kind === 'Deployment')!.doc;
    negativeControls(version, kc, deployment);
    gatewayApiControls(version, kc, docs.map(d => d.doc));
    referenceGrant(version, kc);
    lookalikesReadBack(version, kc);
    holesReadBack(version, kc);
    nativeSidecar(version, kc, deployment.metadata.namespace);
    podOverrides(version, kc, deployment.metadata.namespace);
    portsAndPolicy(version, kc, deployment.metadata.namespace);
    tcpRoutes(version, kc, deployment.metadata.namespace, gatewayApi);
    configChange(version, kc);
    sleepAction(version, kc, deployment.metadata.namespace);
    statefulApp(version, kc, deployment.metadata.namespace);
    agreeWithServer(version, (args, input) => kubectl(kc, args, input), APPLY, check);
    pipelineReleases(version, kc, KUBECTL, check, pipelineLog);
  } finally {
    plane.stop();
  }
}

/** Broken manifests the server must refuse or warn about: proof the harness is not blind. */
function negativeControls(version: string, kc: string, deployment: any): void {
  const ns = deployment.metadata.namespace;
  // No controller-manager runs here: create the ServiceAccount it would, so that Pod
  // admission reaches the PodSecurity check.
  kubectl(kc, [...APPLY, '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } }));
  const refused = (name: string, manifest: object, pattern: RegExp) => {
    const r = kubectl(kc, [...APPLY, '-f', '-'], JSON.stringify(manifest));
    check(`${version}: negative control refused: ${name}`, r.status !== 0 && pattern.test(r.stderr), `exit ${r.status}: ${r.stderr}${r.stdout}`);
  };
  refused('invalid object name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: ns } }, /Invalid value: "Bad_Name"/);
  refused('privileged pod in a restricted namespace', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'privileged', namespace: ns },
    spec: { containers: [{ name: 'c', image: 'registry.example.com/c:1', securityContext: { privileged: true } }] },
  }, /violates PodSecurity "restricted/);
  refused('unknown field under strict validation', {
    ...deployment, metadata: { ...deployment.metadata, name: 'typo' }, spec: { ...deployment.spec, replica: 3 },
  }, /unknown field "spec.replica"|\.spec\.replica: field not declared in schema/);
  refused('DNSEndpoint breaking the CRD\'s CEL rule', {
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'bad-ptr', namespace: ns },
    spec: { endpoints: [{ dnsName: 'shop.example.com', recordType: 'PTR', targets: ['shop.example.com'] }] },
  }, /PTR dnsName must be a reverse DNS name/);
  refused('DNSEndpoint with a record type outside the enum', {
    apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', metadata: { name: 'bad-type', namespace: ns },
    spec: { endpoints: [{ dnsName: 'shop.example.com', recordType: 'AA', targets: ['192.0.2.10'] }] },
  }, /Unsupported value: "AA"/);

  const privileged = structuredClone(deployment);
  privileged.metadata.name = 'privileged-template';
  privileged.spec.template.spec.containers[0].securityContext = { privileged: true };
  const r = kubectl(kc, [...APPLY, '-f', '-'], JSON.stringify(privileged));
  check(`${version}: negative control warned: privileged Deployment template in a restricted namespace`,
    r.warnings.some(w => /violate PodSecurity "restricted/.test(w)), `exit ${r.status}: ${r.stderr}`);
}

/**
 * The fields of `doc` the server holds otherwise, read in the version it was written in (a kind
 * served in several versions is read in the preferred one unless asked for).
 */
function readBack(kc: string, doc: any): string[] {
  const resource: string | undefined = RESOURCE[doc.kind];
  const [group, apiVersion] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
  const qualified = resource === undefined ? doc.kind
    : group === '' ? resource : `${resource.slice(0, resource.length - group.length - 1)}.${apiVersion}.${group}`;
  const r = kubectl(kc, ['get', qualified, doc.metadata.name, '-o', 'json', ...(doc.metadata.namespace ? ['-n', doc.metadata.namespace] : [])]);
  return r.status === 0 ? differences(doc, JSON.parse(r.stdout)) : [r.stderr];
}

/**
 * The ReferenceGrant an app behind a Gateway emits for its own certificate Secret (the examples
 * have none): applied as synthesized, read back in its version, on every server and Gateway API
 * release.
 */
function referenceGrant(version: string, kc: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const gateway = new lib.Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: lib.GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
  const chart = new Chart(app, 'grant');
  new lib.WebApp(chart, 'granted', {
    entryPoint: gateway, image: 'registry.example.com/team/app:1.0.0', host: 'granted.example.com', dns: false,
    route: { tls: lib.TlsCertificate.fromSecret('granted-cert') },
  });
  const docs = lib.synthManifests(chart).filter((d: any) => ['Namespace', 'ReferenceGrant'].includes(d.kind));
  const grant = docs.find((d: any) => d.kind === 'ReferenceGrant');
  const r = kubectl(kc, [...APPLY, '-f', '-'], docs.map((d: any) => JSON.stringify(d)).join('\n'));
  check(`${version}: the ReferenceGrant an app emits (${grant?.apiVersion}) is accepted and reads back as written`,
    grant !== undefined && r.status === 0 && r.warnings.length === 0 && readBack(kc, grant).length === 0, `${r.stderr}${grant ? readBack(kc, grant).join('\n') : 'no ReferenceGrant'}`);
}

/**
 * Broken Gateway API objects that the CRDs' CEL rules must refuse: proof that the rules ran on
 * what the examples emit, and that the library's own checks are not the only guard.
 */
function gatewayApiControls(version: string, kc: string, docs: any[]): void {
  const gateway = docs.find(d => d.kind === 'Gateway');
  const route = docs.find(d => d.kind === 'HTTPRoute');
  if (!gateway || !route) {
    check(`${version}: the examples emit a Gateway and an HTTPRoute to test the CEL rules on`, false);
    return;
  }
  const refused = (name: string, manifest: any, pattern: RegExp) => {
    const r = kubectl(kc, [...APPLY, '-f', '-'], JSON.stringify(manifest));
    check(`${version}: Gateway API object refused: ${name}`, r.status !== 0 && pattern.test(r.stderr), `exit ${r.status}: ${r.stderr}${r.stdout}`);
  };
  const copy = (doc: any, name: string) => ({ ...structuredClone(doc), metadata: { ...structuredClone(doc.metadata), name } });
  const tlsOnHttp = copy(gateway, 'tls-on-http');
  tlsOnHttp.spec.listeners[0].tls = { mode: 'Terminate', certificateRefs: [{ name: 'x' }] };
  refused('TLS on an HTTP listener', tlsOnHttp, /tls must not be specified for protocols \['HTTP', 'TCP',/);
  const tcpHostname = copy(gateway, 'hostname-on-tcp');
  tcpHostname.spec.listeners.push({ name: 'tcp', port: 9000, protocol: 'TCP', hostname: 'x.example.com' });
  refused('a hostname on a TCP listener', tcpHostname, /hostname must not be specified for protocols \['TCP', 'UDP'\]/);
  // Listeners are a list map keyed by name: server-side apply refuses a duplicate before the CEL rule runs.
  const twice = copy(gateway, 'listener-twice');
  twice.spec.listeners.push({ ...twice.spec.listeners[0], port: 8080 });
  refused('two listeners of one name', twice, /duplicate entries for key \[name="http"\]|Listener name must be unique within the Gateway/);
  const noCertificate = copy(gateway, 'https-without-certificate');
  noCertificate.spec.listeners = [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'x.example.com', tls: { mode: 'Terminate' } }];
  refused('an HTTPS listener without a certificate', noCertificate, /certificateRefs or options must be specified/);
  const relative = copy(route, 'relative-path');
  relative.spec.rules[0].matches = [{ path: { type: 'PathPrefix', value: 'api' } }];
  refused('an HTTPRoute path that is not absolute', relative, /value must be an absolute path and start with '\/'/);
}

/**
 * Strings that look like other YAML types, written by the library's own synth into a file and
 * applied by kubectl as a pipeline would: every one must read back as the same string.
 */
/**
 * Look-alikes of the second trial's classes (issue 21), synthesized into files as a program
 * would, applied by kubectl from them and read back: config files of awkward text (tab-led
 * lines, U+2028, a byte-order mark, CRLF; DEL, NEL and C1, which go to binaryData) and of bytes
 * that are not UTF-8 (binaryData),
 * env set by the app and again by an init container, a sidecar, a worker and a job (merged by
 * name, or the server-side apply is refused), an Ingress class annotation equal to the class, a
 * CronJob on Saturdays in Europe/Berlin; and a security exception (a UID below 10000,
 * NET_BIND_SERVICE) that Pod Security "restricted" must still admit without a warning.
 */
function holesReadBack(version: string, kc: string): void {
  const { Chart } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-holes-'));
  const out = path.join(work, 'dist');
  try {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    fs.writeFileSync(path.join(work, 'all-bytes.bin'), bytes);
    // Text server-side apply carries (JSON escapes its controls), and text it cannot (DEL, NEL, C1), which goes to binaryData.
    const awkward = '\ufeff\tled by a tab\r\nLS \u2028 PS \u2029\n  \t\n\u0001 end\n';
    const unsafe = 'DEL \x7f NEL \x85 C1 \x9b\n';
    const logLevel = (v: string) => ({ LOG_LEVEL: lib.EnvValue.fromValue(v) });
    const app = new lib.WebStackApp({ outdir: out });
    const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    new lib.WebApp(new Chart(app, 'holes'), 'holes', {
      entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'holes.example.com', dns: false,
      env: { ...logLevel('info'), AWKWARD: lib.EnvValue.fromValue(awkward) },
      configFiles: [{ name: 'files', mountPath: '/etc/holes', files: { 'awkward.txt': awkward, 'unsafe.txt': unsafe, 'all-bytes.bin': lib.FileContent.fromFile(path.join(work, 'all-bytes.bin')) } }],
      initContainers: [{ name: 'migrate', env: logLevel('debug') }],
      sidecars: [{ name: 'proxy', env: logLevel('warn') }],
      // Native sidecars from 1.29 (before, the server drops their restartPolicy).
      sidecarMode: Number(version.split('.')[1]) >= 29 ? lib.SidecarMode.NATIVE : lib.SidecarMode.PLAIN,
      workers: [{ name: 'queue', env: logLevel('trace') }],
      scheduledJobs: [{ name: 'weekly', schedule: '0 3 * * 6', timeZone: 'Europe/Berlin', env: logLevel('error') }],
      route: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      // Issue 22's security exception: Pod Security "restricted" (the namespace enforces and warns) still admits it.
      security: { runAsUser: 1000, runAsGroup: 1000, exception: { reason: 'the image runs as 1000 and binds port 80', lowIds: true, netBindService: true } },
    });
    app.synth();
    const file = path.join(out, 'holes.k8s.yaml');
    const r = kubectl(kc, [...APPLY, '-f', path.join(out, 'namespaces.k8s.yaml'), '-f', file]);
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS()).filter(d => d);
    const wrong = docs.flatMap(doc => readBack(kc, doc).map(d => `${doc.kind} ${doc.metadata.name}${d}`));
    const configMap = docs.find(d => d.kind === 'ConfigMap');
    const binary = (key: string) => Buffer.from(configMap?.binaryData?.[key] ?? '', 'base64');
    const intact = configMap?.data?.['awkward.txt'] === awkward && binary('unsafe.txt').equals(Buffer.from(unsafe, 'utf8')) && binary('all-bytes.bin').equals(bytes);
    check(`${version}: look-alikes of the second trial (awkward and binary config files, env merged in every pod, the class annotation, a CronJob in a time zone, a restricted pod with a security exception) applied from the synthesized file without a warning and read back as written`,
      r.status === 0 && r.warnings.length === 0 && wrong.length === 0 && intact && docs.length > 0,
      `${r.stderr}${r.stdout}\n${wrong.join('\n')}${intact ? '' : '\nthe config files did not survive the writer'}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function lookalikesReadBack(version: string, kc: string): void {
  const { Chart } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-lookalikes-')), 'dist');
  try {
    const app = new lib.WebStackApp({ outdir: out });
    const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    new lib.WebApp(new Chart(app, 'lookalikes'), 'lookalikes', {
      entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'lookalikes.example.com', dns: false,
      env: Object.fromEntries(LOOKALIKES.map((v, i) => [`V${i}`, lib.EnvValue.fromValue(v)])),
      labels: { 'example.com/lookalike': '0o17' },
    });
    app.synth();
    const r = kubectl(kc, [...APPLY, '-f', path.join(out, 'namespaces.k8s.yaml'), '-f', path.join(out, 'lookalikes.k8s.yaml')]);
    const back = kubectl(kc, ['get', 'deployments.apps', 'lookalikes', '-n', 'lookalikes', '-o', 'json']);
    const deployment = back.status === 0 ? JSON.parse(back.stdout) : undefined;
    const env: Array<{ name: string; value: unknown }> = deployment?.spec.template.spec.containers[0].env ?? [];
    // The API server omits an empty value (omitempty): the variable is still set, to "".
    const read = (i: number) => { const e = env.find(x => x.name === `V${i}`); return e === undefined ? undefined : e.value ?? ''; };
    const wrong = LOOKALIKES.filter((v, i) => read(i) !== v).map(v => JSON.stringify(v));
    check(`${version}: ${LOOKALIKES.length} look-alike strings (0o17, 012, 1e3, .inf, yes, ~, 2026-11-25, <<, ...) applied from the synthesized file read back as the same strings`,
      r.status === 0 && r.warnings.length === 0 && deployment !== undefined && wrong.length === 0 && deployment.metadata.labels['example.com/lookalike'] === '0o17',
      `${r.stderr}${back.stderr} differ: ${wrong.join(', ')}`);
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

/**
 * A changed config entry, applied as a pipeline would: the server's Deployment changes in the
 * pod template's content hash and nowhere else, which is what rolls the pods.
 */
function configChange(version: string, kc: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const deploymentWith = (level: string) => {
    const app = Testing.app();
    const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    const chart = new Chart(app, 'web');
    new lib.WebApp(chart, 'configured', {
      entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'configured.example.com', dns: false,
      configFiles: [{ name: 'settings', mountPath: '/etc/app', files: { 'app.yaml': `level: ${level}\n` } }],
    });
    return Testing.synth(chart).filter((d: any) => ['Namespace', 'ConfigMap', 'Deployment'].includes(d.kind));
  };
  const read = () => {
    const r = kubectl(kc, ['get', 'deployments.apps', 'configured', '-n', 'configured', '-o', 'json']);
    const d = r.status === 0 ? JSON.parse(r.stdout) : undefined;
    return d && { spec: d.spec, generation: d.metadata.generation };
  };
  const apply = (docs: any[]) => kubectl(kc, [...APPLY, '-f', '-'], docs.map(d => JSON.stringify(d)).join('\n'));
  const first = apply(deploymentWith('info'));
  const before = read();
  const second = apply(deploymentWith('debug'));
  const after = read();
  const hash = (s: any) => s?.spec.template.metadata.annotations?.['checksum/config-settings'];
  const rest = (s: any) => { const c = structuredClone(s.spec); delete c.template.metadata.annotations; return JSON.stringify(c); };
  check(`${version}: a changed config entry changes the pod template's hash and nothing else of the Deployment`,
    first.status === 0 && second.status === 0 && before !== undefined && after !== undefined
      && hash(before) !== hash(after) && rest(before) === rest(after) && after.generation === before.generation + 1,
    `${first.stderr}${second.stderr} hashes ${hash(before)} -> ${hash(after)}, generation ${before?.generation} -> ${after?.generation}`);
}

/** SidecarMode.NATIVE: read back as written from Kubernetes 1.29; 1.28 drops or refuses it (why PLAIN exists). */
/**
 * Every kind of probe (gRPC, exec, HTTPS with headers on another port, TCP), on the app, a
 * sidecar and a worker, and env from the pod's fields and the container's resources: accepted
 * without warnings and read back as written (the API server defaults nothing the library left out).
 */
function podOverrides(version: string, kc: string, namespace: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  const chart = new Chart(app, 'web');
  new lib.WebApp(chart, 'probed', {
    entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'probed.example.com', namespace: { name: namespace, create: false },
    metrics: { port: 9090 },
    probes: {
      readiness: lib.Probe.grpc({ port: 8080, service: 'app.v1.Health' }),
      liveness: lib.Probe.exec(['/app/healthcheck', '--live']),
      startup: lib.Probe.httpGet('/started', { port: 'metrics', scheme: lib.ProbeScheme.HTTPS, headers: { 'Host': 'probed.example.com', 'X-Probe': 'startup' }, failureThreshold: 30 }),
    },
    env: {
      POD_NAME: lib.EnvValue.fromPodField(lib.PodField.NAME),
      POD_IP: lib.EnvValue.fromPodField(lib.PodField.POD_IP),
      MEMORY_MI: lib.EnvValue.fromResource(lib.ContainerResource.LIMITS_MEMORY, { divisor: '1Mi' }),
    },
    // Plain, for both servers: 1.28 drops a native sidecar's restartPolicy, then refuses its probe (nativeSidecar checks that case).
    sidecars: [{ name: 'proxy', image: 'registry.example.com/infra/proxy:1.0.0', port: 15000, readiness: lib.Probe.tcpSocket() }],
    sidecarMode: lib.SidecarMode.PLAIN,
    workers: [{ name: 'queue', liveness: lib.Probe.exec(['/app/queue', 'healthcheck']) }],
    scheduling: { spread: { nodes: lib.SpreadMode.REQUIRED, zones: lib.SpreadMode.REQUIRED, maxSkew: 2 } },
  });
  const docs = Testing.synth(chart).filter((d: any) => d.kind === 'Deployment');
  const r = kubectl(kc, [...APPLY, '-f', '-'], docs.map((d: any) => JSON.stringify(d)).join('\n'));
  const diffs = r.status === 0 ? docs.flatMap((d: any) => readBack(kc, d)) : [];
  check(`${version}: gRPC, exec, HTTPS-with-headers and TCP probes on the app, a sidecar and a worker, env from pod fields and resources, and a required spread: accepted without warnings and read back as written`,
    r.status === 0 && r.warnings.length === 0 && diffs.length === 0, `${r.stderr}${r.warnings.join('\n')}${diffs.join('\n')}`);
}

/**
 * Extra ports (UDP, appProtocol, a Service port of its own), the NetworkPolicy per port and a
 * full egress policy (DNS, the API server, a CIDR with except blocks, a UDP port range), and a
 * worker as a StatefulSet under a headless Service without ports: each accepted and read back.
 */
function portsAndPolicy(version: string, kc: string, namespace: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  const chart = new Chart(app, 'web');
  new lib.WebApp(chart, 'ported', {
    entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'ported.example.com', namespace: { name: namespace, create: false },
    ports: [
      { name: 'ssh', port: 2222, servicePort: 22 },
      { name: 'grpc', port: 9000, appProtocol: lib.AppProtocol.H2C },
      { name: 'ws', port: 9001, appProtocol: lib.AppProtocol.WS },
      { name: 'dns', port: 5353, protocol: lib.PortProtocol.UDP },
    ],
    metrics: {},
    networkPolicy: {
      allowFrom: [{ namespace: 'ci', ports: ['ssh'] }, { podLabels: { role: 'client' }, ports: ['grpc', 'ws', 'http'] }, { cidr: '10.20.0.0/16', ports: ['dns'] }],
      egress: {
        apiServer: { cidrs: ['192.0.2.1/32'] },
        allowTo: [
          { namespace: 'db', podLabels: { app: 'postgres' }, ports: [{ port: 5432 }] },
          { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'], ports: [{ port: 443 }, { port: 30000, endPort: 32767, protocol: lib.PortProtocol.UDP }] },
        ],
      },
    },
    workers: [{ name: 'spool', statefulSet: { claims: [{ name: 'buffer', size: '1Gi', mountPath: '/var/spool/app' }] } }],
  });
  const docs = Testing.synth(chart).filter((d: any) => ['Deployment', 'StatefulSet', 'Service', 'NetworkPolicy'].includes(d.kind));
  const r = kubectl(kc, [...APPLY, '-f', '-'], docs.map((d: any) => JSON.stringify(d)).join('\n'));
  const diffs = r.status === 0 ? docs.flatMap((d: any) => readBack(kc, d)) : [];
  const kinds = docs.map((d: any) => `${d.kind}/${d.metadata.name}`).join(', ');
  check(`${version}: extra TCP and UDP ports with appProtocol, a NetworkPolicy rule per port, an egress policy (DNS, API server, CIDR with except, UDP port range), a worker StatefulSet under a portless headless Service (${kinds}): accepted without warnings and read back as written`,
    r.status === 0 && r.warnings.length === 0 && diffs.length === 0 && kinds.includes('StatefulSet/ported-spool') && kinds.includes('Service/ported-spool-headless'), `${r.stderr}${r.warnings.join('\n')}${diffs.join('\n')}`);
}

/**
 * TCP routes: behind a Gateway a TCPRoute and a TLSRoute (passthrough) with their listeners,
 * behind an IngressVip a LoadBalancer Service on an address of its own and one sharing the
 * VIP's. The Gateway API kinds only where the installed release has them (v1.5 and later serve
 * TCPRoute and TLSRoute as v1; v1.2 has neither), which the check says.
 */
function tcpRoutes(version: string, kc: string, namespace: string, gatewayApi: string | undefined): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const gateway = new lib.Gateway(platform, 'Gateway', { implementation: lib.GatewayImplementation.envoyGateway(), name: 'streams', address: '192.0.2.20' });
  const vip = new lib.IngressVip(platform, 'IngressVip', { address: '192.0.2.10', name: 'tcp-vip', externalTrafficPolicy: lib.ExternalTrafficPolicy.CLUSTER });
  const chart = new Chart(app, 'web');
  const common = { image: 'registry.example.com/team/app:1.0.0', namespace: { name: namespace, create: false }, dns: false as const };
  new lib.WebApp(chart, 'streamed', {
    ...common, entryPoint: gateway, host: 'streamed.example.com',
    ports: [{ name: 'ssh', port: 2222, servicePort: 22 }, { name: 'imaps', port: 9993 }],
    routes: [
      { name: 'ssh', port: 'ssh', host: 'ssh.streamed.example.com', tcp: {} },
      { name: 'imap', port: 'imaps', host: 'imap.streamed.example.com', tcp: { passthrough: true } },
    ],
  });
  new lib.WebApp(chart, 'sshd', {
    ...common, entryPoint: vip, host: 'sshd.example.com', ports: [{ name: 'ssh', port: 2222, servicePort: 22 }, { name: 'git', port: 9418 }],
    routes: [
      { name: 'ssh', port: 'ssh', host: 'ssh.sshd.example.com', tcp: { address: '192.0.2.11', sourceRanges: ['198.51.100.0/24'] } },
      { name: 'git', port: 'git', host: 'sshd.example.com', tcp: {} },
    ],
  });
  const served = gatewayApi !== undefined && fs.existsSync(path.join(FIXTURES, 'gateway-api', gatewayApi, 'gateway.networking.k8s.io_tcproutes.yaml'));
  const kinds = ['Service', 'NetworkPolicy', ...(served ? ['Gateway', 'TCPRoute', 'TLSRoute'] : [])];
  const docs = [...Testing.synth(platform), ...Testing.synth(chart)].filter((d: any) => kinds.includes(d.kind));
  const r = kubectl(kc, [...APPLY, '-f', '-'], docs.map((d: any) => JSON.stringify(d)).join('\n'));
  const diffs = r.status === 0 ? docs.flatMap((d: any) => readBack(kc, d)) : [];
  const names = docs.map((d: any) => `${d.kind}/${d.metadata.name}`).join(', ');
  const shared = docs.filter((d: any) => d.kind === 'Service' && d.spec.type === 'LoadBalancer' && d.metadata.annotations?.['metallb.io/allow-shared-ip']).length;
  check(`${version}: TCP routes (${served ? `Gateway API ${gatewayApi}: a TCPRoute and a TLSRoute v1 with their TCP and TLS Passthrough listeners; ` : `Gateway API ${gatewayApi ?? 'none'} has no TCPRoute or TLSRoute, so only `}LoadBalancer Services of an IngressVip's TCP routes, on their own address and sharing the VIP's): accepted without warnings and read back as written (${names})`,
    r.status === 0 && r.warnings.length === 0 && diffs.length === 0 && shared === 2 && (!served || (names.includes('TCPRoute/streamed-ssh') && names.includes('TLSRoute/streamed-imap'))),
    `${r.stderr}${r.warnings.join('\n')}${diffs.join('\n')}`);
}

function nativeSidecar(version: string, kc: string, namespace: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  const chart = new Chart(app, 'web');
  new lib.WebApp(chart, 'sidecarred', {
    entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'sidecarred.example.com', namespace: { name: namespace, create: false },
    sidecars: [{ name: 'logs', image: 'registry.example.com/infra/fluent-bit:3.2.0' }],
  });
  const manifest = Testing.synth(chart).find((d: any) => d.kind === 'Deployment');
  const r = kubectl(kc, [...APPLY, '-f', '-'], JSON.stringify(manifest));
  const back = kubectl(kc, ['get', 'deployments.apps', 'sidecarred', '-n', namespace, '-o', 'json']);
  const policy = back.status === 0 ? JSON.parse(back.stdout).spec.template.spec.initContainers?.[0]?.restartPolicy : undefined;
  if (Number(version.split('.')[1]) >= 29) {
    check(`${version}: native sidecar accepted without warnings and read back with restartPolicy Always`,
      r.status === 0 && r.warnings.length === 0 && policy === 'Always', `${r.stderr} restartPolicy=${policy}`);
  } else {
    check(`${version}: native sidecar not kept before 1.29 (refused, or restartPolicy dropped): why SidecarMode.PLAIN exists`,
      r.status !== 0 || policy !== 'Always', `${r.stderr} restartPolicy=${policy}`);
  }
}

/**
 * `statefulSet` with every option that writes a field (claims, Parallel, a partition, a
 * Delete retention policy, which a server with StatefulSetAutoDeletePVC off would drop):
 * accepted without warnings and read back as written on every version; then a release (a new
 * image tag, so a new version label) applies over it, which it could not if the claim templates,
 * which never change, carried that label.
 */
function statefulApp(version: string, kc: string, namespace: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const release = (tag: string) => {
    const app = Testing.app();
    const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    const chart = new Chart(app, 'web');
    new lib.WebApp(chart, 'stateful', {
      entryPoint: vip, image: `registry.example.com/team/store:${tag}`, host: 'stateful.example.com', namespace: { name: namespace, create: false },
      replicas: 3,
      statefulSet: {
        claims: [{ name: 'data', size: '1Gi', mountPath: '/data' }],
        podManagement: lib.PodManagement.PARALLEL,
        updateStrategy: lib.StatefulSetUpdateStrategy.rollingUpdate({ partition: 1 }),
        retention: { whenScaled: lib.ClaimRetention.DELETE },
      },
    });
    return Testing.synth(chart).filter((d: any) => d.kind === 'StatefulSet' || (d.kind === 'Service' && d.metadata.name === 'stateful-headless'));
  };
  const first = release('1.0.0');
  const r = kubectl(kc, [...APPLY, '-f', '-'], first.map((d: any) => JSON.stringify(d)).join('\n'));
  const wrong = r.status === 0 ? first.flatMap((doc: any) => readBack(kc, doc).map(d => `${doc.kind} ${doc.metadata.name}${d}`)) : [];
  check(`${version}: a StatefulSet app (claims, Parallel, partition, retention Delete) and its headless Service accepted without warnings and read back as written`,
    r.status === 0 && r.warnings.length === 0 && wrong.length === 0, `${r.stderr}${wrong.join('\n')}`);
  const next = kubectl(kc, [...APPLY, '-f', '-'], release('1.1.0').map((d: any) => JSON.stringify(d)).join('\n'));
  check(`${version}: the StatefulSet's next release (a new version label) applies over it: its claim templates do not change`,
    next.status === 0 && next.warnings.length === 0, next.stderr);
}

/** PreStopMode.SLEEP_ACTION: accepted as written from Kubernetes 1.30, refused before. */
function sleepAction(version: string, kc: string, namespace: string): void {
  const { Chart, Testing } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  const chart = new Chart(app, 'web');
  new lib.WebApp(chart, 'sleeper', {
    entryPoint: vip, image: 'registry.example.com/team/distroless-app:1.0.0', host: 'sleeper.example.com', namespace: { name: namespace, create: false },
    shutdown: { preStopMode: lib.PreStopMode.SLEEP_ACTION },
  });
  const manifest = Testing.synth(chart).find((d: any) => d.kind === 'Deployment');
  const r = kubectl(kc, [...APPLY, '-f', '-'], JSON.stringify(manifest));
  const minor = Number(version.split('.')[1]);
  if (minor >= 30) {
    const back = kubectl(kc, ['get', 'deployments.apps', 'sleeper', '-n', namespace, '-o', 'json']);
    const lifecycle = back.status === 0 ? JSON.parse(back.stdout).spec.template.spec.containers[0].lifecycle : undefined;
    check(`${version}: preStop sleep action accepted without warnings and read back`,
      r.status === 0 && r.warnings.length === 0 && lifecycle?.preStop?.sleep?.seconds === 10, `${r.stderr}${JSON.stringify(lifecycle)}`);
  } else {
    check(`${version}: preStop sleep action refused before 1.30 (why it is opt-in)`, r.status !== 0 && /sleep/.test(r.stderr), r.stderr);
  }
}

/** kube-score: zero critical findings. */
function kubeScore(files: string[]): void {
  const r = spawnSync(env('KUBE_SCORE'), ['score', '--output-format', 'json', ...files], { encoding: 'utf8' });
  const objects: any[] = JSON.parse(r.stdout || '[]');
  const findings = objects.flatMap(o => (o.checks ?? [])
    .filter((c: any) => c.grade === 1 && !c.skipped)
    .map((c: any) => `${o.object_meta?.namespace ?? ''}/${o.object_meta?.name} (${o.type_meta?.kind}): ${c.check.name}: ${(c.comments ?? []).map((x: any) => x.summary).join('; ')}`));
  const warnings = objects.flatMap(o => (o.checks ?? []).filter((c: any) => c.grade === 5 && !c.skipped)).length;
  report.push(`| kube-score | ${objects.length} objects | ${findings.length} critical | ${warnings} warnings |`);
  check(`kube-score: ${findings.length} critical findings (${warnings} warnings)`, findings.length === 0 && objects.length > 0, findings.join('\n') || r.stderr);
}

/** Polaris: zero danger and zero warning findings. */
function polaris(): void {
  const r = spawnSync(env('POLARIS'), ['audit', '--audit-path', DIST, '--format', 'json', '--only-show-failed-tests'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let audit: any;
  try {
    audit = JSON.parse(r.stdout);
  } catch {
    check('polaris: audit ran', false, `${r.stderr}${r.stdout.slice(0, 2000)}`);
    return;
  }
  const results: string[] = [];
  const collect = (where: string, tests: Record<string, any> | undefined) => {
    for (const t of Object.values(tests ?? {})) {
      if (!t.Success && (t.Severity === 'danger' || t.Severity === 'warning')) {
        results.push(`${t.Severity} ${where}: ${t.ID}: ${t.Message}`);
      }
    }
  };
  for (const res of audit.Results ?? []) {
    const where = `${res.Kind} ${res.Namespace}/${res.Name}`;
    collect(where, res.Results);
    collect(`${where} pod`, res.PodResult?.Results);
    for (const c of res.PodResult?.ContainerResults ?? []) {
      collect(`${where} container ${c.Name}`, c.Results);
    }
  }
  const danger = results.filter(x => x.startsWith('danger')).length;
  report.push(`| polaris | ${(audit.Results ?? []).length} objects | ${danger} danger | ${results.length - danger} warnings |`);
  check(`polaris: ${danger} danger, ${results.length - danger} warning findings`, results.length === 0 && (audit.Results ?? []).length > 0, results.join('\n'));
}

async function main(): Promise<void> {
  const etcd = env('ETCD');
  const versions = Object.entries(process.env)
    .filter(([k]) => k.startsWith('APISERVER_'))
    .map(([, bin]) => ({ bin: bin!, version: execFileSync(bin!, ['--version']).toString().trim().replace(/^Kubernetes /, '') }))
    .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }));
  if (versions.length === 0) {
    throw new Error('no APISERVER_<minor> binaries given: run through npm run test:cluster');
  }
  yamlRoundTrip(env('YAML_READER'), check);
  report.push('| Kubernetes | Gateway API | documents applied | accepted | rejected | warnings | read back as written | time |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { version, bin } of versions) {
    await conformOn(version, bin, etcd);
  }
  const files = fs.readdirSync(DIST).filter(f => f.endsWith('.yaml')).sort().map(f => path.join(DIST, f));
  report.push('', '| Checker | scanned | blocking | other |', '| --- | --- | --- | --- |');
  kubeScore(files);
  polaris();

  // The pipeline's transcripts (every command and its output, about 900 lines) go to a file.
  const logs = path.join(process.env.CDK8S_WEBSTACK_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-webstack'), 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const transcript = path.join(logs, 'test-cluster-pipeline.log');
  const text = `${pipelineLog.join('\n')}\n`;
  fs.writeFileSync(transcript, text);
  console.log(`\n${report.join('\n')}\n\nThe pipeline steps' transcripts (${text.split('\n').length - 1} lines): ${transcript}`);
  checks.finish();
}

const guard = setTimeout(() => {
  console.error('conformance: gave up after 20 minutes');
  process.exit(2);
}, 20 * 60_000);
guard.unref();
main().catch(error => {
  console.error(error);
  checks.finish(1);
});

/**
 * The whole chain on loopback, with real components: a DNS name resolving to the VIP, the
 * controller at the VIP routing the host to the Service, the Service's endpoints being the app's
 * ready pods spread over zones, a rollout and a node drain keeping the app up, and a removed
 * app's objects and DNS record going away. Started by `npm run test:e2e` through
 * test/run-with-tools.sh, which installs the tools and passes their paths in the environment.
 *
 *   dig shop.webstack.test ──► BIND (records written by ExternalDNS over RFC 2136)
 *   https://shop.webstack.test ──► VIP 127.0.0.10:443 ──► Traefik websecure :8443
 *       ──► Ingress (NGINX provider) or HTTPRoute (Gateway provider) ──► EndpointSlice
 *       ──► pod address 198.18.<node>.x:8080 ──► app-server.js, started for the pod
 *
 * The control plane is kube-apiserver, kube-controller-manager and kube-scheduler 1.37 with
 * etcd; kwok plays three nodes in three zones (pod CIDRs in 198.18.0.0/16). The whole suite runs
 * in a network namespace of its own (netns.sh), where the pod range is local to the loopback
 * device, since the API server refuses loopback addresses in EndpointSlices. This file plays the
 * kubelet's part for the app containers: it starts app-server.js on each pod's address, runs the
 * pod's readiness probe (kwok marks the pod Ready only after that), and on deletion runs the
 * preStop sleep before it stops the server (kwok deletes the pod only after that).
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { parseAllDocuments } from 'yaml';
import { Checks, freePort, requireEnv } from '../_harness';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
const GATEWAY_API = path.join(FIXTURES, 'gateway-api', 'v1.6.1');
const DNSENDPOINT_CRD = path.join(FIXTURES, 'external-dns', 'dnsendpoints.externaldns.k8s.io.yaml');
const env = (name: string) => requireEnv(name, 'npm run test:e2e');

/** The VIP: the address the IngressVip and the Gateway pin, and Traefik listens on. */
const VIP = '127.0.0.10';
const ZONE = 'webstack.test';
const NODES = [
  { name: 'node-a', zone: 'zone-a', cidr: '198.18.1.0/24' },
  { name: 'node-b', zone: 'zone-b', cidr: '198.18.2.0/24' },
  { name: 'node-c', zone: 'zone-c', cidr: '198.18.3.0/24' },
];
/** Traefik's entry points, as its Helm chart names and numbers them. */
const ENTRY_POINTS: Record<string, number> = { web: 8000, websecure: 8443 };
const PROBE_ANNOTATION = 'e2e.cdk8s-webstack.test/probe';
const REPLICAS = 3;

const checks = new Checks();
const check = (name: string, ok: boolean, detail?: string) => checks.check(name, ok, detail);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-e2e-'));
const table: string[] = [];

/** Every process started, so that no exit path leaves one running. */
const children = new Set<ChildProcess>();
const servers: net.Server[] = [];
let cleaned = false;
function cleanup(): void {
  if (cleaned) {
    return;
  }
  cleaned = true;
  children.forEach(c => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
  servers.forEach(s => s.close());
  if (!process.env.E2E_KEEP) {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(130));
}

/** Starts a long-running component, its output in a log file that a failure prints the end of. */
function start(name: string, bin: string, args: string[]): ChildProcess {
  const log = fs.openSync(path.join(work, `${name}.log`), 'a');
  const proc = spawn(bin, args, { stdio: ['ignore', log, log], cwd: work });
  fs.closeSync(log);
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  return proc;
}

function logTail(name: string, lines = 30): string {
  try {
    return fs.readFileSync(path.join(work, `${name}.log`), 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    }
    await sleep(500);
  }
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: work, stdio: 'pipe' });
}

/** A certificate for `names` signed by the CA `ca` (files ca.crt / ca.key in the work folder). */
function certificate(ca: string, file: string, cn: string, sans: string): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${file}.key`, '-out', `${file}.csr`);
  fs.writeFileSync(path.join(work, `${file}.ext`), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', `${file}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${file}.ext`, '-out', `${file}.crt`);
}

// ---------------------------------------------------------------------------------------------
// The API, by kubectl (as a pipeline) and by HTTPS (for the stand-in kubelet's frequent calls).

let kubeconfig = '';
let apiPort = 0;
let token = '';
let clusterCa: Buffer;

interface Run { status: number; stdout: string; stderr: string }
function kubectl(args: string[], input?: string, extraEnv: Record<string, string> = {}): Run {
  const r = spawnSync(env('KUBECTL'), ['--kubeconfig', kubeconfig, '--request-timeout=30s', ...args],
    { input, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...extraEnv } });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** kubectl in a child process, leaving this one free to play the kubelet meanwhile. */
function kubectlAsync(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return run(env('KUBECTL'), ['--kubeconfig', kubeconfig, ...args], extraEnv);
}

function run(bin: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise(resolve => {
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...extraEnv } });
    children.add(proc);
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', c => (stdout += c));
    proc.stderr!.on('data', c => (stderr += c));
    proc.on('close', status => {
      children.delete(proc);
      resolve({ status: status ?? -1, stdout, stderr });
    });
  });
}

function api(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise(resolve => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({
      host: '127.0.0.1', port: apiPort, path: urlPath, method, ca: clusterCa, timeout: 10_000,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    }, res => {
      let text = '';
      res.on('data', c => (text += c));
      res.on('end', () => {
        let parsed: any = text;
        try {
          parsed = JSON.parse(text);
        } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', e => resolve({ status: 0, body: e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(data);
  });
}

const APPLY = ['apply', '--server-side', '--field-manager=cdk8s-webstack', '--force-conflicts'];

function applyJson(what: string, ...objects: object[]): void {
  const r = kubectl([...APPLY, '-f', '-'], objects.map(o => JSON.stringify(o)).join('\n'));
  if (r.status !== 0) {
    throw new Error(`apply ${what}: ${r.stderr}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The control plane.

async function startControlPlane(): Promise<void> {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=webstack-e2e-cluster-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  certificate('ca', 'apiserver', 'kube-apiserver', 'IP:127.0.0.1,DNS:localhost');
  openssl('genrsa', '-out', 'sa.key', '2048');
  openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  token = execFileSync('openssl', ['rand', '-hex', '24']).toString().trim();
  fs.writeFileSync(path.join(work, 'tokens.csv'), `${token},admin,admin-uid,system:masters\n`);
  clusterCa = fs.readFileSync(path.join(work, 'ca.crt'));

  const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
  apiPort = await freePort();
  start('etcd', env('ETCD'), [
    '--name', 'e2e', '--data-dir', path.join(work, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
    '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
    '--initial-cluster', `e2e=http://127.0.0.1:${etcdPeer}`, '--log-level', 'error', '--listen-metrics-urls', '',
  ]);
  start('kube-apiserver', env('KUBE_APISERVER'), [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
    `--cert-dir=${work}`, `--tls-cert-file=${work}/apiserver.crt`, `--tls-private-key-file=${work}/apiserver.key`,
    `--token-auth-file=${work}/tokens.csv`, '--authorization-mode=Node,RBAC', '--anonymous-auth=false',
    `--client-ca-file=${work}/ca.crt`,
    '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${work}/sa.pub`,
    `--service-account-signing-key-file=${work}/sa.key`, '--service-cluster-ip-range=10.96.0.0/16',
    '--endpoint-reconciler-type=none', '--profiling=false', '--v=0',
  ]);
  kubeconfig = path.join(work, 'kubeconfig');
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: e2e',
    'clusters:', '- name: e2e', '  cluster:', `    server: https://127.0.0.1:${apiPort}`, `    certificate-authority-data: ${clusterCa.toString('base64')}`,
    'users:', '- name: admin', '  user:', `    token: ${token}`,
    'contexts:', '- name: e2e', '  context:', '    cluster: e2e', '    user: admin', '',
  ].join('\n'));
  await until('kube-apiserver ready', 120_000, async () => (await api('GET', '/readyz')).status === 200 || undefined)
    .catch(e => { throw new Error(`${e.message}\n${logTail('kube-apiserver')}`); });

  const common = (name: string, port: number) => [
    `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1', `--secure-port=${port}`, `--cert-dir=${path.join(work, name)}`, '--leader-elect=false', '--v=1',
  ];
  start('kube-controller-manager', env('KUBE_CONTROLLER_MANAGER'), [
    ...common('kube-controller-manager', await freePort()),
    '--use-service-account-credentials=false', `--service-account-private-key-file=${work}/sa.key`, `--root-ca-file=${work}/ca.crt`,
    '--cluster-name=webstack-e2e', '--allocate-node-cidrs=false',
    // kwok's heartbeat comes every 20 to 45 s: a grace period above that keeps nodes Ready.
    '--node-monitor-grace-period=120s',
  ]);
  start('kube-scheduler', env('KUBE_SCHEDULER'), common('kube-scheduler', await freePort()));

  // kwok: the nodes' status and heartbeat by its own stages, the pods' by ours (kwok-pod-stages.yaml).
  const stages = env('KWOK_STAGES');
  start('kwok', env('KWOK'), [
    `--kubeconfig=${kubeconfig}`, '--manage-all-nodes=true', `--server-address=127.0.0.1:${await freePort()}`,
    '--node-ip=127.0.0.1', '--cidr=198.18.0.0/24',
    `--config=${path.join(stages, 'node', 'fast', 'node-initialize.yaml')}`,
    `--config=${path.join(stages, 'node', 'heartbeat', 'node-heartbeat.yaml')}`,
    `--config=${path.join(__dirname, 'kwok-pod-stages.yaml')}`,
  ]);
  for (const node of NODES) {
    applyJson(`node ${node.name}`, {
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name: node.name, annotations: { 'kwok.x-k8s.io/node': 'fake' },
        labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': node.zone, type: 'kwok' },
      },
      spec: { podCIDR: node.cidr, podCIDRs: [node.cidr] },
    });
    // What a kubelet reports: kwok's defaults leave out ephemeral-storage, which the app requests.
    const resources = { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' };
    const patched = kubectl(['patch', 'node', node.name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { capacity: resources, allocatable: resources } })]);
    if (patched.status !== 0) {
      throw new Error(`node ${node.name} status: ${patched.stderr}`);
    }
  }
  await until('three kwok nodes Ready', 90_000, async () => {
    const nodes = (await api('GET', '/api/v1/nodes')).body.items ?? [];
    return nodes.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length === NODES.length || undefined;
  }).catch(e => { throw new Error(`${e.message}\n${logTail('kwok')}`); });
  // The controller-manager creates each namespace's default ServiceAccount: pods need it.
  await until('default ServiceAccount created by the controller-manager', 60_000, async () =>
    (await api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 || undefined)
    .catch(e => { throw new Error(`${e.message}\n${logTail('kube-controller-manager')}`); });
  const version = JSON.parse(kubectl(['version', '-o', 'json']).stdout || '{}').serverVersion?.gitVersion;
  check(`control plane up: kube-apiserver ${version}, controller-manager, scheduler, kwok nodes in ${NODES.map(n => n.zone).join(', ')}`, Boolean(version));
}

// ---------------------------------------------------------------------------------------------
// The stand-in kubelet for the app containers.

interface RunningPod {
  server?: ChildProcess;
  ready?: boolean;
  terminating?: boolean;
  probe?: string;
  /** A Job's pod: run (for a while) and marked done, instead of served. */
  ran?: boolean;
}
const pods = new Map<string, RunningPod>();
let kubeletStopped = false;
const probeResults: Array<{ pod: string; probe: string; ok: boolean; detail: string }> = [];

function version(image: string): string {
  const tag = /:([^:/@]+)(@|$)/.exec(image);
  return tag ? tag[1] : 'untagged';
}

function httpGet(host: string, port: number, urlPath: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise(resolve => {
    const req = http.get({ host, port, path: urlPath, timeout: timeoutMs, agent: false }, res => {
      let body = '';
      res.on('data', c => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', e => resolve({ status: 0, body: e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

function portOf(container: any, port: number | string): number {
  return typeof port === 'number' ? port : (container.ports ?? []).find((p: any) => p.name === port)?.containerPort;
}

async function startPod(key: string, pod: any, state: RunningPod): Promise<void> {
  const container = pod.spec.containers[0];
  const readiness = container.readinessProbe?.httpGet;
  const port = container.ports?.[0]?.containerPort ?? 8080;
  // A port named tls-echo speaks TLS itself, with its app's passthrough certificate (installPlatform).
  const echoPort = (container.ports ?? []).find((p: any) => p.name === 'tls-echo')?.containerPort;
  const echo = echoPort === undefined ? [] : [`${echoPort}:${path.join(work, `passthrough-${pod.metadata.namespace}.crt`)}:${path.join(work, `passthrough-${pod.metadata.namespace}.key`)}`];
  state.server = start(`pod-${pod.metadata.namespace}-${pod.metadata.name}`, process.execPath,
    [path.join(__dirname, 'app-server.js'), pod.status.podIP, String(port), version(container.image), pod.metadata.name, ...echo]);
  const probePort = readiness ? portOf(container, readiness.port) : port;
  const probePath = readiness?.path ?? '/';
  state.probe = `GET ${probePath} on port ${readiness?.port ?? port} (${probePort})`;
  let last = { status: 0, body: '' };
  for (let i = 0; i < 40 && !state.terminating && !kubeletStopped; i++) {
    last = probePort ? await httpGet(pod.status.podIP, probePort, probePath) : { status: 0, body: `no container port named ${readiness?.port}` };
    if (last.status >= 200 && last.status < 400) {
      state.ready = true;
      break;
    }
    await sleep(500);
  }
  probeResults.push({ pod: key, probe: state.probe, ok: Boolean(state.ready), detail: `${last.status} ${last.body.trim()}` });
  if (state.ready) {
    await api('PATCH', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { metadata: { annotations: { [PROBE_ANNOTATION]: 'ready' } } });
  }
}

async function stopPod(pod: any, state: RunningPod): Promise<void> {
  const container = pod.spec.containers[0];
  const preStop = container.lifecycle?.preStop;
  const command: string[] = preStop?.exec?.command ?? [];
  const seconds = preStop?.sleep?.seconds ?? (command[0] === 'sleep' ? Number(command[1]) : command[0] === '/bin/sh' ? Number(/sleep (\d+)/.exec(command.join(' '))?.[1] ?? 0) : 0);
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  await sleep(1000 * Math.min(seconds, grace));
  state.server?.kill('SIGTERM');
  await sleep(500);
  await api('PATCH', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { metadata: { annotations: { [PROBE_ANNOTATION]: 'stopped' } } });
}

/** A Job's pod (a release's migration) runs for 3 s, then exits 0: kwok's pod-succeeded stage (kwok-pod-stages.yaml) marks it Succeeded. */
async function runJobPod(pod: any): Promise<void> {
  await sleep(3000);
  await api('PATCH', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { metadata: { annotations: { [PROBE_ANNOTATION]: 'succeeded' } } });
}

async function kubelet(): Promise<void> {
  const nodes = new Set(NODES.map(n => n.name));
  while (!kubeletStopped) {
    const list = await api('GET', '/api/v1/pods');
    const seen = new Set<string>();
    for (const pod of list.body?.items ?? []) {
      if (!nodes.has(pod.spec?.nodeName)) {
        continue;
      }
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      seen.add(key);
      let state = pods.get(key);
      if (!state) {
        state = {};
        pods.set(key, state);
      }
      const ofJob = (pod.metadata.ownerReferences ?? []).some((o: any) => o.kind === 'Job');
      if (ofJob) {
        if (!pod.metadata.deletionTimestamp && pod.status?.phase === 'Running' && !state.ran) {
          state.ran = true;
          void runJobPod(pod);
        }
      } else if (pod.metadata.deletionTimestamp && !state.terminating) {
        state.terminating = true;
        void stopPod(pod, state);
      } else if (!pod.metadata.deletionTimestamp && pod.status?.podIP && !state.server) {
        void startPod(key, pod, state);
      }
    }
    for (const [key, state] of pods) {
      if (!seen.has(key)) {
        state.server?.kill('SIGKILL');
        pods.delete(key);
      }
    }
    await sleep(400);
  }
}

// ---------------------------------------------------------------------------------------------
// DNS: BIND with a dynamic zone, ExternalDNS writing into it.

let dnsPort = 0;

async function startBind(): Promise<{ name: string; secret: string }> {
  dnsPort = await freePort();
  const key = { name: 'externaldns', secret: execFileSync('openssl', ['rand', '-base64', '32']).toString().trim() };
  const zoneFile = path.join(work, `${ZONE}.zone`);
  fs.writeFileSync(zoneFile, [
    `$ORIGIN ${ZONE}.`, '$TTL 60',
    `@ IN SOA ns1.${ZONE}. hostmaster.${ZONE}. ( 1 3600 600 86400 60 )`,
    `@ IN NS ns1.${ZONE}.`, 'ns1 IN A 127.0.0.1', '',
  ].join('\n'));
  const conf = path.join(work, 'named.conf');
  fs.writeFileSync(conf, [
    `key "${key.name}" { algorithm hmac-sha256; secret "${key.secret}"; };`,
    `options { directory "${work}"; listen-on port ${dnsPort} { 127.0.0.1; }; listen-on-v6 { none; };`,
    '  pid-file none; recursion no; notify no; dnssec-validation no; };',
    'controls { };',
    `zone "${ZONE}" { type primary; file "${zoneFile}"; allow-update { key "${key.name}"; }; allow-transfer { key "${key.name}"; }; };`,
    '',
  ].join('\n'));
  start('named', env('NAMED'), ['-g', '-c', conf, ...(process.getuid?.() === 0 ? ['-u', 'root'] : [])]);
  await until('named running', 20_000, () => /running$/m.test(logTail('named', 200)) || undefined)
    .catch(e => { throw new Error(`${e.message}\n${logTail('named')}`); });
  return key;
}

function dig(name: string): { status: string; answers: string[] } {
  const r = spawnSync(env('DIG'), ['@127.0.0.1', '-p', String(dnsPort), '+time=2', '+tries=2', '+norecurse', name, 'A'], { encoding: 'utf8', timeout: 15_000 });
  const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? `no answer (${r.stderr.trim() || r.status})`;
  const answers = r.stdout.split(';; ANSWER SECTION:')[1]?.split('\n\n')[0].trim().split('\n').filter(Boolean)
    .map(l => l.split(/\s+/).slice(-1)[0]) ?? [];
  return { status, answers };
}

async function startExternalDns(key: { name: string; secret: string }): Promise<void> {
  start('external-dns', env('EXTERNAL_DNS'), [
    `--kubeconfig=${kubeconfig}`,
    '--source=crd', '--crd-source-apiversion=externaldns.k8s.io/v1alpha1', '--crd-source-kind=DNSEndpoint',
    '--source=ingress', '--source=gateway-httproute',
    '--provider=rfc2136', '--rfc2136-host=127.0.0.1', `--rfc2136-port=${dnsPort}`, `--rfc2136-zone=${ZONE}`,
    `--rfc2136-tsig-keyname=${key.name}`, `--rfc2136-tsig-secret=${key.secret}`, '--rfc2136-tsig-secret-alg=hmac-sha256', '--rfc2136-tsig-axfr',
    `--domain-filter=${ZONE}`, '--registry=txt', '--txt-owner-id=webstack-e2e', '--policy=sync',
    '--interval=5s', '--events', `--metrics-address=127.0.0.1:${await freePort()}`, '--log-level=info',
  ]);
}

// ---------------------------------------------------------------------------------------------
// Traefik at the VIP, and the LoadBalancer Service's port mapping in front of it.

async function startTraefik(): Promise<void> {
  const ping = await freePort();
  const k8s = (provider: string) => [
    `--providers.${provider}.endpoint=https://127.0.0.1:${apiPort}`, `--providers.${provider}.token=${token}`,
    `--providers.${provider}.certauthfilepath=${work}/ca.crt`,
  ];
  start('traefik', env('TRAEFIK'), [
    '--global.checknewversion=false', '--global.sendanonymoususage=false', '--log.level=INFO',
    `--entrypoints.web.address=${VIP}:${ENTRY_POINTS.web}`, `--entrypoints.websecure.address=${VIP}:${ENTRY_POINTS.websecure}`,
    `--entrypoints.traefik.address=127.0.0.1:${ping}`, '--ping=true',
    '--providers.kubernetesingressnginx=true', ...k8s('kubernetesingressnginx'),
    '--providers.kubernetesingressnginx.httpentrypoint=web', '--providers.kubernetesingressnginx.httpsentrypoint=websecure',
    `--providers.kubernetesingressnginx.publishstatusaddress=${VIP}`,
    '--providers.kubernetesgateway=true', ...k8s('kubernetesgateway'),
    `--providers.kubernetesgateway.statusaddress.ip=${VIP}`,
  ]);
  await until('Traefik answers its ping', 60_000, async () => (await httpGet('127.0.0.1', ping, '/ping')).status === 200 || undefined)
    .catch(e => { throw new Error(`${e.message}\n${logTail('traefik')}`); });
}

/** The VIP's ports as the IngressVip Service maps them (80 -> web, 443 -> websecure), as kube-proxy would. */
async function mapVipPorts(service: any): Promise<void> {
  for (const port of service.spec.ports) {
    const target = ENTRY_POINTS[port.targetPort];
    const server = net.createServer(client => {
      const upstream = net.connect(target, VIP);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => server.listen(port.port, VIP, resolve).on('error', reject));
    servers.push(server);
  }
}

// ---------------------------------------------------------------------------------------------
// The stack, synthesized by the library.

interface Stack { dir: string; docs: any[] }

function synth(name: string, apps: { shop?: string; blog?: string; shopMigration?: boolean }): Stack {
  const { Chart } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const dir = path.join(work, name);
  const app = new lib.WebStackApp({ outdir: dir, applySet: { name: 'webstack-e2e' } });
  const platform = new Chart(app, 'platform');
  const vip = new lib.IngressVip(platform, 'IngressVip', { address: VIP, controller: lib.IngressController.traefik() });
  const gateway = new lib.Gateway(platform, 'Gateway', { implementation: lib.GatewayImplementation.traefik(), address: VIP });
  const tls = lib.TlsCertificate.fromClusterIssuer('webstack-e2e-ca');
  if (apps.shop) {
    const chart = new Chart(app, 'shop');
    const shop = new lib.WebApp(chart, 'shop', {
      // Its pages hold a WebSocket at /live open, idle for minutes: longer than Traefik's 60 s default.
      entryPoint: vip, image: `registry.example.com/web/shop:${apps.shop}`, host: `shop.${ZONE}`, replicas: REPLICAS, route: { tls, longLivedConnections: true },
      // A release with a schema change: its migration Job first, then every old pod stops before a new one starts.
      ...(apps.shopMigration ? { release: { migration: { name: 'migrate', command: ['/app/shop', 'migrate', 'up'] } }, updateStrategy: lib.UpdateStrategy.recreate() } : {}),
    });
    // Its API, a second app under /api of the shop's host: the shop's certificate and record.
    new lib.WebApp(chart, 'shop-api', {
      entryPoint: vip, image: 'registry.example.com/web/shop-api:1.0.0', host: `shop.${ZONE}`, hostOwner: shop, route: { paths: ['/api'] },
    });
  }
  if (apps.blog) {
    new lib.WebApp(new Chart(app, 'blog'), 'blog', {
      entryPoint: gateway, image: `registry.example.com/web/blog:${apps.blog}`, host: `blog.${ZONE}`, replicas: REPLICAS, route: { tls },
      // A port that speaks TLS itself, passed through by its SNI host on Traefik's websecure entry point.
      ports: [{ name: 'tls-echo', port: 9443 }],
      routes: [{ name: 'echo', port: 'tls-echo', host: `echo.${ZONE}`, tcp: { passthrough: true } }],
    });
  }
  app.synth();
  const docs = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()).filter(Boolean));
  return { dir, docs };
}

/** The pipeline's own steps (bin/cdk8s-webstack.js, from the synth's outputs.json), against this cluster. */
function pipeline(step: 'deploy' | 'smoke', stack: Stack, ...args: string[]): Promise<Run> {
  return run(process.execPath, [path.join(ROOT, 'bin', 'cdk8s-webstack.js'), step, stack.dir, ...args],
    { KUBECONFIG: kubeconfig, KUBECTL: env('KUBECTL') });
}

/**
 * The pipeline's deploy: diff; the Namespaces and the ApplySet's definition (outside the set),
 * its parent once, then `KUBECTL_APPLYSET=true kubectl apply --server-side --prune --applyset=...`;
 * then `kubectl rollout status` of every Deployment.
 */
function deploy(stack: Stack): Promise<Run> {
  return pipeline('deploy', stack, '--timeout=4m');
}

/** What the platform team's installs would leave: namespaces, classes, CRDs, certificates. */
function installPlatform(stack: Stack): void {
  const crds = kubectl([...APPLY, '-f', DNSENDPOINT_CRD, ...fs.readdirSync(GATEWAY_API).sort().flatMap(f => ['-f', path.join(GATEWAY_API, f)])]);
  check('Gateway API v1.6.1 (Standard channel) and DNSEndpoint CRDs installed from ../shared/fixtures', crds.status === 0, crds.stderr);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  applyJson('platform',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'traefik' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gateway' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'traefik' }, spec: { controllerName: 'traefik.io/gateway-controller' } },
  );
  // The test CA stands in for the ClusterIssuer: each Secret the manifests name, as cert-manager leaves it.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=webstack-e2e-app-ca', '-keyout', 'app-ca.key', '-out', 'app-ca.crt');
  const wanted: Array<{ namespace: string; name: string; hosts: string[] }> = [];
  for (const doc of stack.docs) {
    if (doc.kind === 'Ingress') {
      for (const t of doc.spec.tls ?? []) {
        wanted.push({ namespace: doc.metadata.namespace, name: t.secretName, hosts: t.hosts });
      }
    }
    if (doc.kind === 'Gateway') {
      for (const l of doc.spec.listeners) {
        for (const ref of l.tls?.certificateRefs ?? []) {
          wanted.push({ namespace: ref.namespace ?? doc.metadata.namespace, name: ref.name, hosts: [l.hostname] });
        }
      }
    }
  }
  // The app behind a TLSRoute holds its own certificate, for its host: what the Gateway passes through.
  for (const route of stack.docs.filter(d => d.kind === 'TLSRoute')) {
    certificate('app-ca', `passthrough-${route.metadata.namespace}`, route.spec.hostnames[0], route.spec.hostnames.map((h: string) => `DNS:${h}`).join(','));
  }
  for (const secret of wanted) {
    certificate('app-ca', secret.name, secret.hosts[0], secret.hosts.map(h => `DNS:${h}`).join(','));
    const read = (f: string) => fs.readFileSync(path.join(work, f)).toString('base64');
    kubectl(['create', 'namespace', secret.namespace]);
    applyJson(`Secret ${secret.namespace}/${secret.name}`, {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: secret.name, namespace: secret.namespace, annotations: { 'cert-manager.io/issuer-name': 'webstack-e2e-ca', 'cert-manager.io/issuer-kind': 'ClusterIssuer' } },
      data: { 'tls.crt': read(`${secret.name}.crt`), 'tls.key': read(`${secret.name}.key`), 'ca.crt': read('app-ca.crt') },
    });
  }
  check(`TLS Secrets signed by the test CA: ${wanted.map(w => `${w.namespace}/${w.name}`).join(', ')}`, wanted.length >= 2);
}

// ---------------------------------------------------------------------------------------------
// Clients: resolve through the DNS answer, verify against the test CA.

interface Answer { status: number; location?: string; body: string; error?: string }

function request(scheme: 'http' | 'https', host: string, address: string, timeoutMs = 5000, urlPath = '/'): Promise<Answer> {
  const lookup = (_h: string, options: any, cb: any) => (options?.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4));
  const mod = scheme === 'https' ? https : http;
  return new Promise(resolve => {
    const req = (mod as typeof https).get({
      hostname: host, port: scheme === 'https' ? 443 : 80, path: urlPath, lookup, timeout: timeoutMs, agent: false,
      ...(scheme === 'https' ? { ca: fs.readFileSync(path.join(work, 'app-ca.crt')), servername: host } : {}),
    }, res => {
      let body = '';
      res.on('data', c => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', e => resolve({ status: 0, body: '', error: e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Requests in a bounded loop until `done` resolves (at most `max` of them): what failed, which versions answered. */
async function load(host: string, address: string, done: Promise<unknown>, max = 3000): Promise<{ sent: number; failed: number; versions: Map<string, number>; errors: string[] }> {
  let finished = false;
  void done.finally(() => (finished = true));
  const result = { sent: 0, failed: 0, versions: new Map<string, number>(), errors: [] as string[] };
  while (!finished && result.sent < max) {
    const a = await request('https', host, address);
    result.sent++;
    if (a.status === 200) {
      const v = a.body.split(' ')[0];
      result.versions.set(v, (result.versions.get(v) ?? 0) + 1);
    } else {
      result.failed++;
      if (result.errors.length < 5) {
        result.errors.push(`${a.status} ${a.error ?? a.body.trim().slice(0, 80)}`);
      }
    }
    await sleep(50);
  }
  return result;
}

const summary = (r: Awaited<ReturnType<typeof load>>) =>
  `${r.sent} requests, ${r.failed} failed (${[...r.versions].map(([v, n]) => `${v}: ${n}`).join(', ')})`;

// ---------------------------------------------------------------------------------------------
// The checks.

interface AppRow { app: string; route: string; zones: string; dig: string; redirect: string; https: string; rollout: string; drain: string; prune: string }

/** Whether the app's own readiness probe answered in every pod the stand-in kubelet started. */
function probesAnswered(app: string): boolean {
  const probes = probeResults.filter(r => r.pod.startsWith(`${app}/`));
  return check(`${app}: every pod's readiness probe answered by the app (${probes[0]?.probe ?? 'no probe run'})`, probes.length > 0 && probes.every(p => p.ok),
    probes.filter(p => !p.ok).map(p => `${p.pod}: ${p.detail}`).join('\n'));
}

/** The pods of the app `app` in its namespace, which may hold another app too (the shop's API). */
async function podsOf(app: string, namespace = app): Promise<any[]> {
  return (await api('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app.kubernetes.io%2Finstance%3D${app}`)).body.items ?? [];
}

async function appDeployed(app: string): Promise<string[]> {
  const wait = await kubectlAsync(['wait', '--for=condition=Available', '--timeout=180s', `deployment/${app}`, '-n', app]);
  const rollout = await kubectlAsync(['rollout', 'status', `deployment/${app}`, '-n', app, '--timeout=180s']);
  const list = await podsOf(app);
  const running = list.filter((p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  const zones = running.map((p: any) => NODES.find(n => n.name === p.spec.nodeName)?.zone ?? '?').sort();
  probesAnswered(app);
  check(`${app}: Deployment Available`, wait.status === 0, `${wait.stderr}${kubectl(['get', 'deploy,rs,pods', '-n', app, '-o', 'wide']).stdout}`);
  check(`${app}: kubectl rollout status succeeds`, rollout.status === 0, rollout.stderr + rollout.stdout);
  check(`${app}: ${running.length} ready pods spread over ${new Set(zones).size} zones (${zones.join(', ')})`,
    running.length === REPLICAS && new Set(zones).size === NODES.length);
  const ips = running.map((p: any) => p.status.podIP).sort();
  // The EndpointSlice controller follows pod readiness a moment later: read until it has caught up (30 s at most).
  let endpoints: string[] = [];
  for (let attempt = 0; attempt < 30; attempt++) {
    const slices = (await api('GET', `/apis/discovery.k8s.io/v1/namespaces/${app}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${app}`)).body.items ?? [];
    endpoints = slices.flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready).flatMap((e: any) => e.addresses).sort();
    if (JSON.stringify(endpoints) === JSON.stringify(ips)) {
      break;
    }
    await sleep(1000);
  }
  check(`${app}: the Service's EndpointSlices hold the ready pods' addresses (${endpoints.join(', ')})`,
    endpoints.length === REPLICAS && JSON.stringify(endpoints) === JSON.stringify(ips) && endpoints.every((a: string) => a.startsWith('198.18.')));
  return zones;
}

async function chainWorks(app: string, host: string, expected: string): Promise<{ dig: string; redirect: string; https: string }> {
  const answer = await until(`${host} in DNS`, 90_000, () => { const a = dig(host); return a.answers.length > 0 ? a : undefined; })
    .catch(() => dig(host));
  check(`${app}: dig ${host} answers the VIP (${answer.status} ${answer.answers.join(',')})`, answer.status === 'NOERROR' && answer.answers.join(',') === VIP,
    logTail('external-dns', 15));
  const address = answer.answers[0] ?? VIP;
  const plain = await until(`${host} routed on HTTP`, 60_000, async () => { const a = await request('http', host, address); return a.status === 301 || a.status === 308 || a.status === 302 ? a : undefined; })
    .catch(() => request('http', host, address));
  check(`${app}: http://${host}/ redirects to HTTPS (${plain.status} ${plain.location ?? plain.error ?? ''})`,
    [301, 302, 307, 308].includes(plain.status) && plain.location?.startsWith(`https://${host}`) === true, `${plain.body}\n${logTail('traefik', 10)}`);
  const secure = await until(`${host} served on HTTPS`, 60_000, async () => { const a = await request('https', host, address); return a.status === 200 ? a : undefined; })
    .catch(() => request('https', host, address));
  check(`${app}: https://${host}/ reaches the app, certificate verified against the test CA (${secure.status} ${secure.body.trim() || secure.error})`,
    secure.status === 200 && secure.body.startsWith(`${expected} `), logTail('traefik', 15));
  return {
    dig: `${answer.status} ${answer.answers.join(',')}`,
    redirect: `${plain.status} → ${plain.location ?? '-'}`,
    https: `${secure.status} ${secure.body.split(' ')[0]}`,
  };
}

/**
 * The shop's host routes /api to the shop's API app (a second WebApp with `hostOwner`) and
 * everything else to the shop, each to its own pods, under the shop's one certificate.
 */
async function sharedHost(host: string): Promise<string> {
  const apiAnswer = await until(`${host}/api served by the API app`, 60_000, async () => {
    const a = await request('https', host, VIP, 5000, '/api');
    return a.status === 200 ? a : undefined;
  }).catch(() => request('https', host, VIP, 5000, '/api'));
  const below = await request('https', host, VIP, 5000, '/api/orders/7');
  const web = await request('https', host, VIP, 5000, '/');
  const podOf = (a: Answer) => a.body.trim().split(' ')[1] ?? '';
  const ok = apiAnswer.status === 200 && podOf(apiAnswer).startsWith('shop-api-') && below.status === 200 && podOf(below).startsWith('shop-api-')
    && web.status === 200 && podOf(web).startsWith('shop-') && !podOf(web).startsWith('shop-api-');
  check(`shop-api: https://${host}/api and /api/orders/7 reach the API app's pods (${podOf(apiAnswer)}, ${podOf(below)}), / the shop's (${podOf(web)}), under the shop's certificate`,
    ok, `${apiAnswer.status} ${apiAnswer.body}${apiAnswer.error ?? ''}\n${web.status} ${web.body}\n${logTail('traefik', 10)}`);
  const records = dig(host);
  check(`shop-api: ${host} has one record, the shop's (${records.answers.join(',')})`, records.answers.length === 1 && records.answers[0] === VIP);
  return `/api → ${podOf(apiAnswer)}, / → ${podOf(web)}`;
}

/** A WebSocket client (RFC 6455) over TLS to the VIP: what a browser page holds open. */
interface Socket {
  /** The pod that accepted the upgrade. */
  readonly pod: string;
  /** Sends a text message; resolves to the echo, or to why none came within 5 s. */
  send(text: string): Promise<{ ok: boolean; reply: string }>;
  /** Resolves when the connection ends, with the seconds it was open. */
  readonly closed: Promise<number>;
  close(): void;
}

function openWebSocket(host: string, urlPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = tls.connect({ host: VIP, port: 443, servername: host, ca: fs.readFileSync(path.join(work, 'app-ca.crt')) });
    const key = Buffer.from(Array.from({ length: 16 }, (_, i) => i * 7)).toString('base64');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let waiting: ((text: string) => void) | undefined;
    const closed = new Promise<number>(done => socket.on('close', () => done((Date.now() - opened) / 1000)));
    socket.on('error', e => !upgraded && reject(e));
    socket.on('secureConnect', () => socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    socket.on('data', chunk => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          return;
        }
        const head = buffer.subarray(0, end).toString();
        buffer = buffer.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        const pod = /^x-pod: (\S+)/im.exec(head)?.[1] ?? '?';
        resolve({
          pod,
          closed,
          close: () => socket.destroy(),
          send: text => new Promise(done => {
            const timer = setTimeout(() => { waiting = undefined; done({ ok: false, reply: 'no echo within 5 s' }); }, 5000);
            waiting = reply => { clearTimeout(timer); waiting = undefined; done({ ok: true, reply }); };
            const payload = Buffer.from(text);
            const mask = Buffer.from([1, 2, 3, 4]);
            socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]), error => {
              if (error) {
                clearTimeout(timer);
                done({ ok: false, reply: error.message });
              }
            });
          }),
        });
      }
      // The server's frames: unmasked, short.
      while (buffer.length >= 2 && buffer.length >= 2 + (buffer[1] & 0x7f)) {
        const length = buffer[1] & 0x7f;
        const opcode = buffer[0] & 0x0f;
        const payload = buffer.subarray(2, 2 + length).toString();
        buffer = buffer.subarray(2 + length);
        if (opcode === 0x1) {
          waiting?.(payload);
        }
      }
    });
    socket.setTimeout(0);
    void closed.then(() => waiting?.('(connection closed)'));
  });
}

/**
 * Two WebSockets through the real Traefik (its Kubernetes Ingress NGINX provider), opened
 * together, then idle for `idleSeconds`, longer than its 60 s default, while `meanwhile` runs (a
 * rollout of another app): the shop's, with `longLivedConnections` (proxy-read-timeout "0"),
 * still echoes; the API app's, without it, was ended by that default.
 */
async function longLived(host: string, idleSeconds: number, meanwhile: () => Promise<unknown>): Promise<string> {
  const held = await openWebSocket(host, '/live');
  const control = await openWebSocket(host, '/api/live');
  const first = await held.send('hello');
  check(`shop: a WebSocket to wss://${host}/live upgrades and echoes through Traefik (${first.reply})`, first.ok && first.reply === `${held.pod} hello`);
  const controlFirst = await control.send('hello');
  check(`shop-api: a WebSocket to wss://${host}/api/live upgrades and echoes (${controlFirst.reply})`, controlFirst.ok && controlFirst.reply.startsWith('shop-api-'));
  const started = Date.now();
  await meanwhile();
  const left = idleSeconds * 1000 - (Date.now() - started);
  if (left > 0) {
    await sleep(left);
  }
  const idle = ((Date.now() - started) / 1000).toFixed(0);
  const after = await held.send('still there?');
  check(`shop: the WebSocket (longLivedConnections) still echoes after ${idle} s idle, across a rollout of another app (${after.reply})`,
    after.ok && after.reply === `${held.pod} still there?`, logTail('traefik', 10));
  const controlAfter = await control.send('still there?');
  const controlEnded = await Promise.race([control.closed, sleep(1000).then(() => undefined)]);
  check(`shop-api: its WebSocket (no longLivedConnections: Traefik's proxy-read-timeout default of 60 s) was ended while idle (${controlEnded === undefined ? `still open: ${controlAfter.reply}` : `closed after ${controlEnded.toFixed(0)} s`})`,
    !controlAfter.ok || controlAfter.reply === '(connection closed)');
  held.close();
  control.close();
  return `held ${idle} s idle across the blog rollout and echoed; without the option ended after ${controlEnded === undefined ? '?' : controlEnded.toFixed(0)} s`;
}

/** Whether `host` answers with version `to` 20 times in a row, within a minute. */
/**
 * A TLS connection to `host` at the VIP's HTTPS port, by SNI: the Gateway (Traefik's TLSRoute
 * on its websecure entry point) passes it through, so the certificate is the app's own and the
 * bytes reach the pod, which echoes a line with its name. Its DNS record comes first.
 */
async function passthrough(host: string): Promise<string> {
  const answers = await until(`${host} resolves`, 60_000, () => (dig(host).answers.length > 0 ? dig(host).answers : undefined)).catch(() => dig(host).answers);
  const reply = await new Promise<{ subject?: string; line?: string; error?: string }>(resolve => {
    const socket = tls.connect({ host: VIP, port: 443, servername: host, ca: fs.readFileSync(path.join(work, 'app-ca.crt')), timeout: 5000 }, () => {
      const cn: string | string[] | undefined = socket.getPeerCertificate().subject?.CN;
      const subject = Array.isArray(cn) ? cn.join(',') : cn;
      socket.write('ping over passed-through TLS\n');
      let data = '';
      socket.on('data', chunk => {
        data += chunk.toString('utf8');
        if (data.includes('\n')) {
          socket.end();
          resolve({ subject, line: data.trim() });
        }
      });
    });
    socket.on('error', e => resolve({ error: e.message }));
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
  });
  const pods = (await podsOf('blog')).map(p => p.metadata.name);
  const ok = answers.join() === VIP && reply.subject === host && pods.some(p => reply.line === `${p} ping over passed-through TLS`);
  check(`TLSRoute passthrough: ${host} resolves to the VIP (${answers.join(', ')}), its TLS is the app's own (certificate for ${reply.subject ?? reply.error}), and a line reaches a blog pod and comes back (${reply.line ?? reply.error})`, ok);
  return ok ? `${host}: DNS ${answers.join(', ')}, the pod's certificate (CN ${reply.subject}), echoed by ${reply.line?.split(' ')[0]}` : `failed: ${reply.error ?? reply.line}`;
}

async function onlyAnswers(host: string, to: string): Promise<{ ok: boolean; last: string }> {
  let streak = 0;
  let last: Answer = { status: 0, body: '' };
  for (let i = 0; i < 600 && streak < 20; i++) {
    last = await request('https', host, VIP);
    streak = last.status === 200 && last.body.startsWith(`${to} `) ? streak + 1 : 0;
    await sleep(100);
  }
  return { ok: streak >= 20, last: `${last.status} ${last.body}` };
}

async function rollout(stack: Stack, app: string, host: string, to: string): Promise<string> {
  const deployed = deploy(stack);
  const result = await load(host, VIP, deployed);
  const r = await deployed;
  check(`${app}: the pipeline's deploy of ${to} succeeds (diff, apply of the ApplySet, kubectl rollout status of every Deployment)`, r.status === 0, `${r.stderr}${r.stdout.slice(-3000)}`);
  const after = await kubectlAsync(['rollout', 'status', `deployment/${app}`, '-n', app, '--timeout=60s']);
  check(`${app}: kubectl rollout status after the new tag`, after.status === 0, after.stderr);
  check(`${app}: during the rollout ${summary(result)}`, result.failed === 0 && (result.versions.get(to) ?? 0) > 0, result.errors.join('\n'));
  // The old pods keep serving through their preStop sleep, and Traefik may still send them a
  // request meanwhile; then only the new version answers.
  const only = await onlyAnswers(host, to);
  check(`${app}: then only ${to} answers (20 requests in a row)`, only.ok, only.last);
  return `${result.sent} req, ${result.failed} failed`;
}

/**
 * A release with a migration Job and the Recreate strategy: deploy waits for the Job (run by the
 * Job controller, its pod by the stand-in kubelet) before it applies the workloads, and the new
 * pods start only after the old ones stopped. Requests meanwhile fail, by design: counted and
 * reported, not hidden.
 */
async function migrationRelease(stack: Stack, app: string, host: string, to: string): Promise<string> {
  const deployed = deploy(stack);
  const result = await load(host, VIP, deployed);
  const r = await deployed;
  check(`${app}: the pipeline's deploy of ${to} with a migration Job and the Recreate strategy succeeds`, r.status === 0, `${r.stderr}${r.stdout.slice(-3000)}`);
  const complete = /^job\.batch\/(\S+) complete/m.exec(r.stdout);
  const waited = r.stdout.indexOf('== wait: the migrations of this release');
  const applied = r.stdout.indexOf('== apply: the ApplySet applysets.cdk8s-webstack.io/webstack-e2e,');
  check(`${app}: deploy applied what the migration needs, waited for the Job ${complete?.[1] ?? '(none)'} to complete, then applied the set`,
    complete !== null && waited >= 0 && waited < r.stdout.indexOf(complete[0]) && r.stdout.indexOf(complete[0]) < applied, r.stdout.slice(-3000));
  const job = complete ? (await api('GET', `/apis/batch/v1/namespaces/${app}/jobs/${complete[1]}`)).body : {};
  const sets = (await api('GET', `/apis/apps/v1/namespaces/${app}/replicasets`)).body.items ?? [];
  const created = sets.find((s: any) => s.spec.template.spec.containers[0].image.endsWith(`:${to}`))?.metadata.creationTimestamp;
  const completed = job.status?.completionTime;
  check(`${app}: the migration completed (${completed}) before the ${to} pods' ReplicaSet was created (${created})`,
    completed !== undefined && created !== undefined && Date.parse(completed) <= Date.parse(created), JSON.stringify(job.status));
  const only = await onlyAnswers(host, to);
  check(`${app}: then only ${to} answers (20 requests in a row); during the Recreate ${summary(result)}, expected: the old pods stop before the new ones start`,
    only.ok && result.sent > 0, only.last);
  return `${result.sent} req, ${result.failed} failed while no pod was up (Recreate)`;
}

async function drain(apps: Array<{ app: string; host: string }>): Promise<Map<string, string>> {
  const node = NODES[0].name;
  const before = (await api('GET', '/api/v1/pods')).body.items.filter((p: any) => p.spec.nodeName === node && apps.some(a => a.app === p.metadata.namespace)).length;
  const drained = kubectlAsync(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=240s']);
  // Each app under load while the drain evicts (through its PDB), and until its Deployment is
  // whole again on the other nodes.
  const whole = (app: string) => until(`${app} Available again`, 240_000, async () => {
    const d = (await api('GET', `/apis/apps/v1/namespaces/${app}/deployments/${app}`)).body;
    return d.status?.availableReplicas === REPLICAS && d.status?.updatedReplicas === REPLICAS && d.status?.replicas === REPLICAS || undefined;
  });
  const loads = apps.map(({ app, host }) => load(host, VIP, drained.then(() => whole(app)).catch(() => undefined)));
  const r = await drained;
  check(`kubectl drain ${node} succeeds (${before} app pods evicted through their PDBs)`, r.status === 0, `${r.stderr}${r.stdout}`);
  const results = new Map<string, string>();
  for (const [i, { app }] of apps.entries()) {
    const result = await loads[i];
    const list = await podsOf(app);
    const onNode = list.filter((p: any) => p.spec.nodeName === node && !p.metadata.deletionTimestamp).length;
    const ready = list.filter((p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    check(`${app}: after the drain ${ready} ready pods, none on ${node}; while it ran ${summary(result)}`,
      onNode === 0 && ready === REPLICAS && result.failed === 0 && result.sent > 0, result.errors.join('\n'));
    results.set(app, `${result.sent} req, ${result.failed} failed`);
  }
  await kubectlAsync(['uncordon', node]);
  return results;
}

async function prune(stack: Stack, app: string, host: string): Promise<string> {
  const applied = await deploy(stack);
  const pruned = applied.stdout.split('\n').filter(l => / pruned\b/.test(l) && !/dry run/.test(l));
  check(`${app}: removed from the program, the pipeline's deploy (kubectl apply --prune --applyset) prunes ${pruned.length} objects`, applied.status === 0 && pruned.length > 0,
    `${applied.stderr}${applied.stdout.slice(-3000)}`);
  const kinds = 'deployments.apps,services,httproutes.gateway.networking.k8s.io,ingresses.networking.k8s.io,dnsendpoints.externaldns.k8s.io,poddisruptionbudgets.policy,networkpolicies.networking.k8s.io';
  const gone = await until(`${app}'s objects gone`, 120_000, () => {
    const r = kubectl(['get', kinds, '-n', app, '-o', 'name', '--ignore-not-found']);
    return r.status === 0 && r.stdout.trim() === '' ? r : undefined;
  }).then(() => true, () => false);
  check(`${app}: its Deployment, Service, route, DNSEndpoint, PDB and NetworkPolicy are gone`, gone,
    kubectl(['get', kinds, '-n', app, '-o', 'name']).stdout);
  const answer = await until(`${host} gone from DNS`, 90_000, () => { const a = dig(host); return a.status === 'NXDOMAIN' ? a : undefined; })
    .catch(() => dig(host));
  check(`${app}: dig ${host} answers NXDOMAIN`, answer.status === 'NXDOMAIN', `${answer.status} ${answer.answers.join(',')}\n${logTail('external-dns', 15)}`);
  return gone && answer.status === 'NXDOMAIN' ? 'objects gone, NXDOMAIN' : `objects ${gone ? 'gone' : 'left'}, ${answer.status}`;
}

async function main(): Promise<void> {
  if (process.env.WEBSTACK_E2E_NETNS !== '1') {
    throw new Error('run through npm run test:e2e: the suite needs the network namespace of test/e2e/netns.sh');
  }
  const started = Date.now();
  const stamp = (what: string) => console.log(`-- ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  await startControlPlane();
  stamp('control plane up');
  void kubelet();

  const v1 = synth('dist-1', { shop: '1.0.0', blog: '1.0.0' });
  installPlatform(v1);
  const key = await startBind();
  await startExternalDns(key);
  await startTraefik();
  await mapVipPorts(v1.docs.find(d => d.kind === 'Service' && d.metadata.namespace === 'traefik'));
  stamp('Traefik, ExternalDNS and BIND up');

  const first = await deploy(v1);
  if (!check(`the pipeline's deploy of the synthesized stack (${v1.docs.length} documents, one ApplySet) succeeds`, first.status === 0, `${first.stderr}${first.stdout.slice(-3000)}`)) {
    ['shop', 'blog'].forEach(probesAnswered);
    throw new Error('the first deploy failed: nothing further to check');
  }
  const rows: Record<string, Partial<AppRow>> = {
    shop: { app: 'shop', route: 'Ingress (Traefik NGINX provider)' },
    blog: { app: 'blog', route: 'HTTPRoute (Traefik Gateway provider)' },
  };
  for (const app of ['shop', 'blog']) {
    const zones = await appDeployed(app);
    rows[app].zones = [...new Set(zones)].join(' ');
  }
  stamp('apps deployed');
  for (const app of ['shop', 'blog']) {
    Object.assign(rows[app], await chainWorks(app, `${app}.${ZONE}`, '1.0.0'));
  }
  const shared = await sharedHost(`shop.${ZONE}`);
  const passed = await passthrough(`echo.${ZONE}`);
  const smoke = await pipeline('smoke', v1, '--ca', path.join(work, 'app-ca.crt'));
  check('the pipeline\'s smoke step: every app URL answers at its entry point\'s address', smoke.status === 0, `${smoke.stderr}${smoke.stdout}`);
  stamp('chain checked');
  rows.shop.rollout = await rollout(synth('dist-2', { shop: '1.1.0', blog: '1.0.0' }), 'shop', `shop.${ZONE}`, '1.1.0');
  const sockets = await longLived(`shop.${ZONE}`, 75, async () => {
    rows.blog.rollout = await rollout(synth('dist-3', { shop: '1.1.0', blog: '1.1.0' }), 'blog', `blog.${ZONE}`, '1.1.0');
  });
  stamp('rollouts done');
  const drained = await drain([{ app: 'shop', host: `shop.${ZONE}` }, { app: 'blog', host: `blog.${ZONE}` }]);
  rows.shop.drain = drained.get('shop');
  rows.blog.drain = drained.get('blog');
  stamp('drain done');
  rows.blog.prune = await prune(synth('dist-4', { shop: '1.1.0' }), 'blog', `blog.${ZONE}`);
  const shopStill = await request('https', `shop.${ZONE}`, VIP);
  check('shop still served after blog was pruned', shopStill.status === 200, shopStill.body);
  rows.shop.prune = shopStill.status === 200 ? 'kept, still served' : `${shopStill.status}`;
  stamp('prune done');
  const migrated = await migrationRelease(synth('dist-5', { shop: '1.2.0', shopMigration: true }), 'shop', `shop.${ZONE}`, '1.2.0');
  stamp('release with a migration done');

  table.push('| App | Route | Zones of its pods | dig | HTTP | HTTPS (test CA) | Rollout 1.0.0 → 1.1.0 | Drain node-a | Prune |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...Object.values(rows).map(r => `| ${r.app} | ${r.route} | ${r.zones} | ${r.dig} | ${r.redirect} | ${r.https} | ${r.rollout} | ${r.drain} | ${r.prune ?? ''} |`));
  table.push('', `One host, two apps (shop and shop-api with hostOwner): ${shared}`);
  table.push('', `TLS passed through a TLSRoute (Traefik's Gateway provider): ${passed}`);
  table.push('', `WebSockets through Traefik: ${sockets}`);
  table.push('', `shop 1.1.0 → 1.2.0 with a migration Job and Recreate: the Job completed before the new pods; ${migrated}`);
  table.push('', `Total: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const guard = setTimeout(() => {
  console.error('e2e: gave up after 20 minutes');
  process.exit(2);
}, 20 * 60_000);
guard.unref();
main().then(() => {
  console.log(`\n${table.join('\n')}`);
  kubeletStopped = true;
  checks.finish();
  cleanup();
  process.exit(process.exitCode ?? 0);
}, error => {
  console.error(error);
  if (kubeconfig) {
    const state = ['get', 'nodes,pods,endpointslices,ingresses,httproutes,tlsroutes,gateways,dnsendpoints', '-A', '-o', 'wide'];
    console.error(`--- ${state.join(' ')}\n${kubectl(state).stdout}`);
    console.error(`--- events\n${kubectl(['get', 'events', '-A', '--sort-by=.lastTimestamp']).stdout.split('\n').slice(-25).join('\n')}`);
  }
  for (const name of ['kube-controller-manager', 'kube-scheduler', 'kwok', 'traefik', 'external-dns']) {
    console.error(`--- ${name} log, last lines:\n${logTail(name, 12)}`);
  }
  kubeletStopped = true;
  checks.finish(1);
  cleanup();
  process.exit(1);
});

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AppProtocol, ContainerResource, EntryPoint, EnvValue, NodeSelectorOperator, PodField, PodManagement, Probe, StatefulSetUpdateStrategy, TaintEffect, TlsCertificate, UpdateStrategy, VolumeSource, WebApp,
} from '../lib';

// Apps other teams run on the platform, each as its own chart, written the way the team would,
// with typed props alone: no JSON patch, no raw object.

/**
 * forge.k8s.yaml: the Git forge. One pod holds the repositories on a ReadWriteOnce claim, kept
 * when the app is removed; a release stops the old pod before the new one mounts the claim.
 * Its image runs as the user it was built for (UID 1000), acknowledged. SSH has an address of
 * its own: behind ingress-nginx's VIP, a LoadBalancer Service of the forge's pods.
 */
export function forge(scope: Construct, entryPoint: EntryPoint): WebApp {
  return new WebApp(new Chart(scope, 'forge'), 'forge', {
    entryPoint,
    image: 'registry.internal.example.com/dev/forge:1.22.3',
    imagePullSecrets: ['internal-registry'],
    host: 'git.example.com',
    port: 3000,
    command: ['/usr/local/bin/forge'],
    args: ['web', '--config', '/etc/forge/app.ini'],
    replicas: 1,
    updateStrategy: UpdateStrategy.recreate(),
    security: {
      runAsUser: 1000,
      runAsGroup: 1000,
      exception: { lowIds: true, reason: 'the forge image owns /data/git as UID 1000 (git), which its SSH and hooks expect' },
    },
    resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '1Gi', limit: '1Gi' } },
    probes: {
      readiness: Probe.httpGet('/api/healthz', { periodSeconds: 5 }),
      liveness: Probe.tcpSocket({ periodSeconds: 10 }),
    },
    configFiles: [{ name: 'settings', mountPath: '/etc/forge', files: { 'app.ini': '[server]\nROOT_URL = https://git.example.com/\nAPP_DATA_PATH = /data\n' } }],
    volumes: [
      { name: 'data', source: VolumeSource.newClaim({ size: '50Gi', storageClass: 'fast-ssd' }), mountPath: '/data' },
      { name: 'ssh-keys', source: VolumeSource.secret('forge-ssh-host-keys', { keys: ['ssh_host_ed25519_key'] }), mountPath: '/etc/forge/ssh' },
    ],
    // Custom templates live on the claim too, at the path the forge reads them from.
    mounts: [{ volume: 'data', mountPath: '/usr/local/share/forge/custom', subPath: 'custom', readOnly: true }],
    // Before the forge starts: its folders on the claim, by the forge's own binary.
    initContainers: [{ name: 'init-dirs', command: ['/usr/local/bin/forge', 'doctor', 'check', '--fix', '--run', 'paths'] }],
    env: { FORGE_INSTANCE: EnvValue.fromPodField(PodField.NAME) },
    scheduling: {
      nodeSelector: { 'node.example.com/pool': 'stateful' },
      // Never on a spot node: a reclaimed node would take the only replica with it.
      nodeAffinity: [{ key: 'node.example.com/lifecycle', operator: NodeSelectorOperator.NOT_IN, values: ['spot'] }],
      tolerations: [{ key: 'node.example.com/stateful', effect: TaintEffect.NO_SCHEDULE }],
      spread: false,
    },
    route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt'), proxyBodySize: '512m', proxyReadTimeoutSeconds: 300 },
    // Git over SSH beside HTTPS: for the CI runners in the cluster (port 22 on the Service), and
    // for developers on ssh.git.example.com, port 22 of an address of its own (an Ingress carries
    // no SSH), from the office and VPN ranges only. Its metrics are on the web port, at /metrics.
    ports: [{ name: 'ssh', port: 2222, servicePort: 22 }],
    routes: [{ name: 'ssh', port: 'ssh', host: 'ssh.git.example.com', tcp: { address: '192.0.2.12', sourceRanges: ['10.0.0.0/8'] } }],
    metrics: { path: '/metrics' },
    networkPolicy: { allowFrom: [{ namespace: 'ci-runners', ports: ['ssh', 'http'] }] },
  });
}

/**
 * ops-console.k8s.yaml: the platform team's internal console. Its account reads the
 * workloads of its namespace and the cluster's nodes; its event watcher is a StatefulSet with a
 * spool claim per replica; its pages hold event and log streams open; after each release a job
 * posts the release notes to the team's chat. Its gRPC API (for the team's CLI) is a GRPCRoute
 * on a host of its own.
 */
export function opsConsole(scope: Construct, entryPoint: EntryPoint): WebApp {
  return new WebApp(new Chart(scope, 'ops-console'), 'ops-console', {
    entryPoint,
    image: 'registry.internal.example.com/platform/ops-console:3.0.1',
    imagePullSecrets: ['internal-registry'],
    host: 'ops.internal.example.com',
    replicas: 2,
    serviceAccount: {
      mountToken: true,
      rbac: {
        rules: [
          { apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['ops-console'], verbs: ['patch'] },
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
        ],
        clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
      },
    },
    env: {
      CONSOLE_NAMESPACE: EnvValue.fromPodField(PodField.NAMESPACE),
      CHAT_WEBHOOK: EnvValue.fromSecret('ops-console-chat', 'webhook-url'),
    },
    // The watcher of cluster events it shows, two of them, one leading (a Lease): no port, so
    // its liveness is a command that fails when its watch has stalled. Each spools the events it
    // has not stored yet on a claim of its own (a StatefulSet), so a restart loses none.
    workers: [{
      name: 'watcher', command: ['/app/ops-console', 'watch-events', '--spool', '/var/spool/ops-console'],
      liveness: Probe.exec(['/app/ops-console', 'healthcheck', '--watch'], { periodSeconds: 30, timeoutSeconds: 5 }),
      statefulSet: { claims: [{ name: 'spool', size: '2Gi', mountPath: '/var/spool/ops-console' }] },
    }],
    release: {
      afterRelease: [{ name: 'announce', command: ['/app/ops-console', 'announce-release'], backoffLimit: 2, activeDeadlineSeconds: 120 }],
    },
    // It streams the events and pod logs it shows to the browser (server-sent events), each
    // stream open as long as the page is: the Gateway's request timeout must not end it.
    route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt'), longLivedConnections: true },
    // The gRPC API the team's CLI calls: its own port (h2c, as gRPC servers speak), its own host,
    // listener, certificate and DNS record; the Gateway's data plane is admitted to the port.
    ports: [{ name: 'grpc', port: 9090, appProtocol: AppProtocol.H2C }],
    routes: [{
      name: 'api', port: 'grpc', host: 'ops-api.internal.example.com', tls: TlsCertificate.fromClusterIssuer('letsencrypt'),
      grpc: [{ service: 'ops.v1.Console' }, { service: 'ops.v1.Events', method: 'Watch' }],
    }],
    networkPolicy: {
      allowFrom: [{ namespace: 'monitoring' }],
      // It calls the API server, and the chat service on the internet over HTTPS; nothing else.
      egress: {
        apiServer: { cidrs: ['192.0.2.1/32', '192.0.2.2/32', '192.0.2.3/32'] },
        allowTo: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], ports: [{ port: 443 }] }],
      },
    },
    // It calls the API server and the chat service by full name: two dots are enough.
    scheduling: { dnsConfig: { options: [{ name: 'ndots', value: '2' }] } },
  });
}

/**
 * registry-cache.k8s.yaml: the pull-through cache in front of the public container registries.
 * Each replica caches on a claim of its own (a StatefulSet's volumeClaimTemplates), so a node
 * failure loses one replica's cache, not the service; replicas share nothing, so they start
 * in parallel.
 */
export function registryCache(scope: Construct, entryPoint: EntryPoint): WebApp {
  return new WebApp(new Chart(scope, 'registry-cache'), 'registry-cache', {
    entryPoint,
    image: 'registry.internal.example.com/platform/registry:2.8.3',
    imagePullSecrets: ['internal-registry'],
    host: 'mirror.internal.example.com',
    port: 5000,
    replicas: 3,
    statefulSet: {
      claims: [{ name: 'cache', size: '200Gi', storageClass: 'fast-ssd', mountPath: '/var/lib/registry' }],
      podManagement: PodManagement.PARALLEL,
      updateStrategy: StatefulSetUpdateStrategy.rollingUpdate(),
    },
    env: {
      REGISTRY_PROXY_REMOTEURL: EnvValue.fromValue('https://registry-1.docker.io'),
      REGISTRY_STORAGE_DELETE_ENABLED: EnvValue.fromValue('true'),
      OTEL_RESOURCE_ATTRIBUTES: EnvValue.fromPodField(PodField.NAME),
      GOMEMLIMIT: EnvValue.fromResource(ContainerResource.LIMITS_MEMORY),
    },
    resources: { cpu: { request: '250m', limit: '2' }, memory: { request: '512Mi', limit: '512Mi' } },
    probes: {
      readiness: Probe.httpGet('/v2/', { periodSeconds: 5 }),
      liveness: Probe.tcpSocket({ periodSeconds: 10 }),
    },
    route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt'), requestTimeoutSeconds: 300 },
  });
}

/**
 * board.k8s.yaml: the team board, a realtime app (its pages and their WebSocket at /live), and
 * its API, a separate app of the same team under /api of the same host: one certificate, one
 * DNS record, two Deployments and Services.
 */
export function board(scope: Construct, entryPoint: EntryPoint): { web: WebApp; api: WebApp } {
  const chart = new Chart(scope, 'board');
  const web = new WebApp(chart, 'board', {
    entryPoint,
    image: 'registry.internal.example.com/collab/board-web:2.3.0',
    imagePullSecrets: ['internal-registry'],
    host: 'board.example.com',
    partOf: 'board',
    // Each open page holds a WebSocket at /live: no request timeout may end it.
    route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt'), longLivedConnections: true },
  });
  const api = new WebApp(chart, 'board-api', {
    entryPoint,
    hostOwner: web,
    image: 'registry.internal.example.com/collab/board-api:2.3.0',
    imagePullSecrets: ['internal-registry'],
    host: 'board.example.com',
    partOf: 'board',
    route: { paths: ['/api'] },
    // The web app's server side calls the API in the cluster too.
    networkPolicy: { allowFrom: [{ podLabels: web.selectorLabels }] },
  });
  return { web, api };
}

import { JsonPatch } from 'cdk8s';
import {
  EnvValue, ImagePullPolicy, NodeSelectorOperator, PathType, SpreadMode, PreStopMode, Probe, TaintEffect, TlsCertificate, UpdateStrategy, VipAddressMode, WebApp, WebAppProps,
} from '../lib';
import { DIGEST, docs, errorOf, given, IMAGE, kind, kinds, webApp } from './_fixtures';
import { schemaErrors } from './_schema';

describe('WebApp defaults', () => {
  const { chart, web } = webApp();
  const all = docs(chart);
  const deployment = kind(chart, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('snapshot, and every document is schema-valid', () => {
    expect(all).toMatchSnapshot();
    expect(all.flatMap(schemaErrors)).toEqual([]);
  });

  test('emits the whole stack, in apply order, every object named after the app', () => {
    expect(kinds(chart)).toEqual(['Namespace', 'Deployment', 'Service', 'Ingress', 'PodDisruptionBudget', 'NetworkPolicy', 'DNSEndpoint']);
    for (const doc of all) {
      expect(doc.metadata.name).toBe('shop');
      if (doc.kind !== 'Namespace') {
        expect(doc.metadata.namespace).toBe('shop');
      }
    }
    expect(web.autoscaler).toBeUndefined();
  });

  test('the namespace enforces, warns and audits Pod Security "restricted"', () => {
    expect(kind(chart, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  test('recommended labels everywhere; the selector keeps only the stable ones', () => {
    const labels = {
      'app.kubernetes.io/name': 'shop',
      'app.kubernetes.io/instance': 'shop',
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s-webstack',
    };
    for (const doc of all) {
      expect(doc.metadata.labels).toMatchObject(labels);
    }
    expect(deployment.spec.template.metadata.labels).toEqual(labels);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop' });
  });

  test('2 replicas, rolling update that never drops below the desired count', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
  });

  test('Pod Security Standards "restricted" at pod and container level', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('requests and limits for cpu, memory and ephemeral storage', () => {
    expect(container.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '1', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('distinct readiness and liveness probes, and a startup probe, on the named port', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/livez' }, periodSeconds: 2, failureThreshold: 30 });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('preStop delay covered by the grace period', () => {
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(pod.terminationGracePeriodSeconds).toBe(40);
  });

  test('spread over hosts and zones without blocking scheduling', () => {
    const term = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
    expect(term).toEqual({ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: deployment.spec.selector } });
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: deployment.spec.selector },
    ]);
  });

  test('no policy-checker exceptions on a fixed-size Deployment', () => {
    expect(deployment.metadata.annotations).toBeUndefined();
  });

  test('image pulled Always, so pull credentials are checked on every start', () => {
    expect(container.image).toBe(IMAGE);
    expect(container.imagePullPolicy).toBe('Always');
    expect(pod.imagePullSecrets).toBeUndefined();
  });

  test('a ClusterIP Service from port http to the container\'s named port', () => {
    const service = kind(chart, 'Service');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: deployment.spec.selector.matchLabels,
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
    });
  });

  test('an Ingress of the VIP\'s class for the host, plain HTTP, no redirect', () => {
    const ingress = kind(chart, 'Ingress');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{
        host: 'shop.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } }] },
      }],
    });
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' });
  });

  test('a PodDisruptionBudget that never blocks a drain', () => {
    expect(kind(chart, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: deployment.spec.selector,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('a NetworkPolicy that admits only the ingress controller to the app port', () => {
    expect(kind(chart, 'NetworkPolicy').spec).toEqual({
      podSelector: deployment.spec.selector,
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: {
            matchLabels: {
              'app.kubernetes.io/name': 'ingress-nginx',
              'app.kubernetes.io/instance': 'ingress-nginx',
              'app.kubernetes.io/component': 'controller',
            },
          },
        }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
  });

  test('a DNSEndpoint A record from the Ingress host to the VIP address', () => {
    expect(kind(chart, 'DNSEndpoint').spec).toEqual({
      endpoints: [{ dnsName: 'shop.example.com', recordType: 'A', targets: ['192.0.2.10'], recordTTL: 300 }],
    });
    expect(web.dnsRecord?.target).toBe('192.0.2.10');
  });

  test('resolved values are readable on the construct', () => {
    expect(web.name).toBe('shop');
    expect(web.namespace).toBe('shop');
    expect(web.replicas).toBe(2);
    expect(web.minReplicas).toBe(2);
    expect(web.image).toEqual({ reference: 'registry.example.com/team/shop:1.4.2', registry: 'registry.example.com', repository: 'team/shop', tag: '1.4.2', digest: undefined });
  });
});

describe('WebApp options', () => {
  test('autoscaling: an autoscaling/v2 HPA owns the count, and spec.replicas is not emitted', () => {
    const { chart, web } = webApp({ autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 60, memoryUtilization: 80 } });
    const hpa = kind(chart, 'HorizontalPodAutoscaler');
    expect(docs(chart)).toMatchSnapshot();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
    expect(kind(chart, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(kind(chart, 'Deployment').metadata.annotations).toEqual({
      'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true',
      'ignore-check.kube-linter.io/minimum-three-replicas': 'the HorizontalPodAutoscaler owns the replica count',
      'cdk8s-webstack/policy-exceptions': expect.stringMatching(/^deploymentMissingReplicas, minimum-three-replicas: the HorizontalPodAutoscaler owns/),
    });
    expect(web.replicas).toBeUndefined();
    expect(web.minReplicas).toBe(3);
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('autoscaling defaults: min 2, CPU 70%', () => {
    const { chart } = webApp({ autoscaling: { maxReplicas: 5 } });
    const hpa = kind(chart, 'HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  test('autoscaling on memory only', () => {
    const { chart } = webApp({ autoscaling: { maxReplicas: 5, memoryUtilization: 75 }, resources: { cpu: false } });
    expect(kind(chart, 'HorizontalPodAutoscaler').spec.metrics.map((m: any) => m.resource.name)).toEqual(['memory']);
  });

  test('TLS from a cert-manager ClusterIssuer, with HTTPS redirect', () => {
    const { chart } = webApp({ route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') } });
    const ingress = kind(chart, 'Ingress');
    expect(docs(chart)).toMatchSnapshot();
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
    });
  });

  test('TLS from an existing Secret, redirect turned off', () => {
    const { chart } = webApp({ route: { tls: TlsCertificate.fromSecret('wildcard-example-com'), sslRedirect: false } });
    const ingress = kind(chart, 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'wildcard-example-com' }]);
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' });
  });

  test('ingress paths, path type, nginx options and extra annotations', () => {
    const { chart } = webApp({
      route: {
        paths: ['/api', '/static'],
        pathType: PathType.EXACT,
        proxyBodySize: '16m',
        proxyConnectTimeoutSeconds: 3,
        proxyReadTimeoutSeconds: 120,
        proxySendTimeoutSeconds: 90,
        annotations: { 'nginx.ingress.kubernetes.io/enable-cors': 'true' },
      },
    });
    const ingress = kind(chart, 'Ingress');
    expect(ingress.spec.rules[0].http.paths.map((p: any) => [p.path, p.pathType])).toEqual([['/api', 'Exact'], ['/static', 'Exact']]);
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/enable-cors': 'true',
      'nginx.ingress.kubernetes.io/proxy-body-size': '16m',
      'nginx.ingress.kubernetes.io/proxy-connect-timeout': '3',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '120',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '90',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
    });
  });

  test('env from literals, Secrets and ConfigMaps', () => {
    const { chart } = webApp({
      env: {
        LOG_LEVEL: EnvValue.fromValue('info'),
        DB_PASSWORD: EnvValue.fromSecret('shop-db', 'password'),
        FLAGS: EnvValue.fromConfigMap('shop-config', 'flags.json', { optional: true }),
      },
    });
    expect(kind(chart, 'Deployment').spec.template.spec.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } },
      { name: 'FLAGS', valueFrom: { configMapKeyRef: { name: 'shop-config', key: 'flags.json', optional: true } } },
    ]);
  });

  test('private registry, pull policy, digest-pinned image without a version label', () => {
    const image = `registry.example.com/team/shop@${DIGEST}`;
    const { chart, web } = webApp({ image, imagePullSecrets: ['regcred'], imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT });
    const pod = kind(chart, 'Deployment').spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.containers[0]).toMatchObject({ image, imagePullPolicy: 'IfNotPresent' });
    expect(web.labels).not.toHaveProperty(['app.kubernetes.io/version']);
  });

  test('name, namespace, version, component, part-of and extra labels', () => {
    const { chart, web } = webApp({
      name: 'storefront', namespace: { name: 'retail' }, version: '2024.1', component: 'frontend', partOf: 'retail',
      labels: { team: 'checkout' },
    });
    expect(web.labels).toEqual({
      'app.kubernetes.io/component': 'frontend',
      'app.kubernetes.io/instance': 'storefront',
      'app.kubernetes.io/managed-by': 'cdk8s-webstack',
      'app.kubernetes.io/name': 'storefront',
      'app.kubernetes.io/part-of': 'retail',
      'app.kubernetes.io/version': '2024.1',
      'team': 'checkout',
    });
    for (const doc of docs(chart)) {
      expect(doc.metadata.name).toBe(doc.kind === 'Namespace' ? 'retail' : 'storefront');
    }
  });

  test('namespace managed elsewhere is not emitted', () => {
    const { chart } = webApp({ namespace: { name: 'shared', create: false } });
    expect(kinds(chart)).not.toContain('Namespace');
  });

  test('namespace without Pod Security labels', () => {
    const { chart } = webApp({ namespace: { podSecurityRestricted: false } });
    expect(Object.keys(kind(chart, 'Namespace').metadata.labels).filter(k => k.startsWith('pod-security'))).toEqual([]);
  });

  test('port, port name, resources, probes, security and shutdown', () => {
    const { chart } = webApp({
      port: 3000,
      portName: 'web',
      resources: { cpu: { request: '250m', limit: '2' }, memory: { request: '1Gi', limit: '2Gi' }, ephemeralStorage: false },
      probes: {
        readiness: Probe.httpGet('/ready', { initialDelaySeconds: 4, periodSeconds: 3, timeoutSeconds: 2 }),
        liveness: Probe.tcpSocket({ failureThreshold: 5 }),
        startup: false,
      },
      security: { runAsUser: 20000, runAsGroup: 20001, readOnlyRootFilesystem: false },
      shutdown: { preStopDelaySeconds: 5, terminationGracePeriodSeconds: 60 },
    });
    const pod = kind(chart, 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(c.ports).toEqual([{ name: 'web', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'web', scheme: 'HTTP' },
      initialDelaySeconds: 4, periodSeconds: 3, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1,
    });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'web' });
    expect(c.livenessProbe).not.toHaveProperty('initialDelaySeconds');
    expect(c.startupProbe).toBeUndefined();
    expect(c.securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20001, readOnlyRootFilesystem: false });
    expect(pod.securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20001, fsGroup: 20001 });
    expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(kind(chart, 'Service').spec.ports[0].targetPort).toBe('web');
    expect(kind(chart, 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 3000 }]);
  });

  test('preStopDelaySeconds 0 drops the hook, for images without sleep', () => {
    const { chart } = webApp({ shutdown: { preStopDelaySeconds: 0 } });
    const pod = kind(chart, 'Deployment').spec.template.spec;
    expect(pod.containers[0].lifecycle).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('the kubelet\'s sleep action, for images without a sleep binary', () => {
    const { chart } = webApp({ shutdown: { preStopDelaySeconds: 15, preStopMode: PreStopMode.SLEEP_ACTION } });
    const pod = kind(chart, 'Deployment').spec.template.spec;
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(45);
  });

  test('one replica gets no PodDisruptionBudget', () => {
    const { chart, web } = webApp({ replicas: 1 });
    expect(kinds(chart)).not.toContain('PodDisruptionBudget');
    expect(web.disruptionBudget).toBeUndefined();
  });

  test('disruption budget as a percentage, or turned off', () => {
    expect(kind(webApp({ disruptionBudget: { maxUnavailable: '25%' } }).chart, 'PodDisruptionBudget').spec.maxUnavailable).toBe('25%');
    expect(kinds(webApp({ disruptionBudget: false }).chart)).not.toContain('PodDisruptionBudget');
  });

  test('network policy with extra peers, or turned off', () => {
    const { chart } = webApp({
      networkPolicy: { allowFrom: [{ namespace: 'monitoring', podLabels: { app: 'prometheus' } }, { podLabels: { app: 'worker' } }, { cidr: '10.20.0.0/16' }] },
    });
    expect(kind(chart, 'NetworkPolicy').spec.ingress[0].from.slice(1)).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
      { podSelector: { matchLabels: { app: 'worker' } } },
      { ipBlock: { cidr: '10.20.0.0/16' } },
    ]);
    expect(kinds(webApp({ networkPolicy: false }).chart)).not.toContain('NetworkPolicy');
  });

  test('the NetworkPolicy reads the controller\'s namespace and labels from the VIP', () => {
    const { chart } = webApp({}, { address: '192.0.2.10', namespace: 'edge', controllerLabels: { app: 'edge' } });
    expect(kind(chart, 'NetworkPolicy').spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
      podSelector: { matchLabels: { app: 'edge' } },
    });
  });

  test('an IPv6 VIP gets an AAAA record', () => {
    const { chart } = webApp({}, { address: '2001:db8::10' });
    expect(kind(chart, 'DNSEndpoint').spec.endpoints[0]).toMatchObject({ recordType: 'AAAA', targets: ['2001:db8::10'] });
  });

  test('DNS TTL, or no record', () => {
    expect(kind(webApp({ dns: { ttl: 60 } }).chart, 'DNSEndpoint').spec.endpoints[0].recordTTL).toBe(60);
    const off = webApp({ dns: false });
    expect(kinds(off.chart)).not.toContain('DNSEndpoint');
    expect(off.web.dnsRecord).toBeUndefined();
  });

  test('a cloud-assigned VIP works with the DNS record off', () => {
    const { chart } = webApp({ dns: false }, { addressMode: VipAddressMode.CLOUD_ASSIGNED });
    expect(kind(chart, 'Ingress').spec.ingressClassName).toBe('nginx');
  });

  test('the Ingress takes its class from the VIP', () => {
    expect(kind(webApp({}, { address: '192.0.2.10', ingressClassName: 'public' }).chart, 'Ingress').spec.ingressClassName).toBe('public');
  });

  test('the same props give byte-identical output', () => {
    const props: Partial<WebAppProps> = { autoscaling: { maxReplicas: 4 }, labels: { b: '2', a: '1' } };
    expect(JSON.stringify(docs(webApp(props).chart))).toBe(JSON.stringify(docs(webApp(props).chart)));
  });
});

describe('WebApp fails', () => {
  const cases: Array<[string, Partial<WebAppProps>, string, RegExp]> = [
    ['if the name is not a DNS-1035 label', { name: 'Shop_1' }, 'name', /is not a valid DNS-1035 label/],
    ['if the name is too long', { name: 'a'.repeat(64) }, 'name', /is not a valid DNS-1035 label/],
    ['if the namespace is invalid', { namespace: { name: '-shop' } }, 'namespace.name', /DNS-1123 label/],
    ['if the host is an IP address', { host: '192.0.2.1' }, 'host', /is an IP address, not a host name/],
    ['if the host has upper case', { host: 'Shop.example.com' }, 'host', /has the label "Shop"/],
    ['if the host has an underscore', { host: 'my_shop.example.com' }, 'host', /has the label "my_shop"/],
    ['if the host has a leading hyphen', { host: '-shop.example.com' }, 'host', /has the label "-shop"/],
    ['if the host has a label over 63', { host: `${'a'.repeat(64)}.example.com` }, 'host', /a label of 64 characters/],
    ['if the host is over 253', { host: `${'a.'.repeat(127)}com` }, 'host', /over the 253/],
    ['if the host is not qualified', { host: 'shop' }, 'host', /not a fully qualified name/],
    ['if the host is a wildcard', { host: '*.example.com' }, 'host', /wildcard/],
    ['if the host is empty', { host: '' }, 'host', /non-empty string/],
    ['if the image has no tag', { image: 'registry.example.com/team/shop' }, 'image', /has no tag/],
    ['if the image uses latest', { image: 'registry.example.com/team/shop:latest' }, 'image', /moving tag 'latest'/],
    ['if the image has no registry', { image: 'shop:1.0' }, 'image', /does not start with a registry host/],
    ['if the image has a bad digest', { image: 'registry.example.com/shop@sha256:abc' }, 'image', /has the digest "sha256:abc"/],
    ['if the image has upper case', { image: 'registry.example.com/Team/shop:1.0' }, 'image', /invalid repository path/],
    ['if the port is 0', { port: 0 }, 'port', /from 1 to 65535/],
    ['if the port is 65536', { port: 65536 }, 'port', /from 1 to 65535/],
    ['if the port is not an integer', { port: 80.5 }, 'port', /whole number/],
    ['if the port name is not an IANA name', { portName: 'HTTP_PORT' }, 'portName', /IANA service name/],
    ['if replicas is negative', { replicas: -1 }, 'replicas', /from 0 to 10000/],
    ['if min replicas is above max', { autoscaling: { minReplicas: 11, maxReplicas: 10 } }, 'autoscaling.minReplicas', /must be <= 'autoscaling.maxReplicas' \(10\); raise maxReplicas or lower minReplicas/],
    ['if replicas and autoscaling are both set', { replicas: 3, autoscaling: { maxReplicas: 5 } }, 'replicas', /autoscaling owns the replica count/],
    ['if CPU autoscaling has no CPU request', { resources: { cpu: false }, autoscaling: { maxReplicas: 5 } }, 'autoscaling.cpuUtilization', /needs a CPU request/],
    ['if memory autoscaling has no memory request', { resources: { memory: false }, autoscaling: { maxReplicas: 5, memoryUtilization: 80 } }, 'autoscaling.memoryUtilization', /needs a memory request/],
    ['if a quantity has two dots', { resources: { memory: { request: '1.5.0Gi' } } }, 'resources.memory.request', /is not a positive Kubernetes quantity/],
    ['if a quantity is negative', { resources: { cpu: { limit: '-1' } } }, 'resources.cpu.limit', /is not a positive Kubernetes quantity/],
    ['if a quantity has an unknown unit', { resources: { ephemeralStorage: { limit: '10XB' } } }, 'resources.ephemeralStorage.limit', /is not a positive Kubernetes quantity/],
    ['if a request is above its limit', { resources: { memory: { request: '2Gi', limit: '1Gi' } } }, 'resources.memory.request', /is above 'resources.memory.limit'/],
    ['if readiness and liveness are the same', { probes: { readiness: Probe.httpGet('/health'), liveness: Probe.httpGet('/health') } }, 'probes.liveness', /same check as the readiness probe/],
    ['if a probe path has no leading slash', { probes: { readiness: Probe.httpGet('ready') } }, 'probes.readiness.path', /is not an absolute HTTP path/],
    ['if a probe period is 0', { probes: { liveness: Probe.httpGet('/livez', { periodSeconds: 0 }) } }, 'probes.liveness.periodSeconds', /from 1 to 3600/],
    ['if runAsUser is below 10000', { security: { runAsUser: 1000 } }, 'security.runAsUser', /10000 or above/],
    ['if the grace period does not cover the preStop delay', { shutdown: { preStopDelaySeconds: 30, terminationGracePeriodSeconds: 20 } }, 'shutdown.terminationGracePeriodSeconds', /must be longer than/],
    ['if an env name is not a variable name', { env: { 'log-level': EnvValue.fromValue('x') } }, 'env["log-level"]', /not a valid environment variable name/],
    ['if an env name starts with a digit', { env: { '1PASSWORD': EnvValue.fromValue('x') } }, 'env["1PASSWORD"]', /not a valid environment variable name/],
    ['if an env Secret name is invalid', { env: { A: EnvValue.fromSecret('Bad_Name', 'k') } }, 'env["A"] (object name)', /DNS-1123 subdomain/],
    ['if sslRedirect is asked without TLS', { route: { sslRedirect: true } }, 'route.sslRedirect', /has no TLS/],
    ['if an ingress path has no leading slash', { route: { paths: ['api'] } }, 'route.paths[0]', /absolute HTTP path/],
    ['if ingress paths are empty', { route: { paths: [] } }, 'route.paths', /is empty/],
    ['if the body size is not an nginx size', { route: { proxyBodySize: '8 MB' } }, 'route.proxyBodySize', /is not an nginx size/],
    ['if an annotation overrides a typed option', { route: { annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } } }, 'route.annotations["nginx.ingress.kubernetes.io/ssl-redirect"]', /would override/],
    ['if the TLS secret name is invalid', { route: { tls: TlsCertificate.fromSecret('Bad Secret') } }, 'route.tls.secretName', /DNS-1123 subdomain/],
    ['if a label overrides a recommended one', { labels: { 'app.kubernetes.io/name': 'x' } }, 'labels["app.kubernetes.io/name"]', /would override a recommended label/],
    ['if a label value is invalid', { labels: { team: 'a b' } }, 'labels["team"]', /is not a valid label value/],
    ['if the budget allows no disruption', { disruptionBudget: { maxUnavailable: 0 } }, 'disruptionBudget.maxUnavailable', /from 1 to 10000/],
    ['if the budget percentage is 0%', { disruptionBudget: { maxUnavailable: '0%' } }, 'disruptionBudget.maxUnavailable', /percentage from 1% to 100%/],
    ['if a budget is asked for a single replica', { replicas: 1, disruptionBudget: {} }, 'disruptionBudget', /as few as 1 replica/],
    ['if a network peer mixes cidr and labels', { networkPolicy: { allowFrom: [{ cidr: '10.0.0.0/8', podLabels: { a: 'b' } }] } }, 'networkPolicy.allowFrom[0]', /mixes cidr/],
    ['if a network peer CIDR is invalid', { networkPolicy: { allowFrom: [{ cidr: '10.0.0.0/40' }] } }, 'networkPolicy.allowFrom[0].cidr', /not a CIDR block/],
    ['if a network peer is empty', { networkPolicy: { allowFrom: [{}] } }, 'networkPolicy.allowFrom[0]', /is empty/],
    ['if the DNS TTL is 0', { dns: { ttl: 0 } }, 'dns.ttl', /from 1 to 2147483647/],
  ];

  test.each(cases)('%s', (_, props, prop, message) => {
    const error = errorOf(() => webApp(props));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`web/shop: '${prop}' (`)).toBe(true);
    expect(error.message).toMatch(/; \S.+$/);
  });

  test('if the VIP has no address and DNS is on', () => {
    const error = errorOf(() => webApp({}, { addressMode: VipAddressMode.CLOUD_ASSIGNED }));
    expect(error.message).toMatch(/^web\/shop\/DnsRecord: 'entryPoint' \("platform\/IngressVip"\) has no pinned address/);
  });

  test('if two apps render the same objects, at synth', () => {
    const { vip, chart } = given();
    new WebApp(chart, 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com' });
    new WebApp(chart, 'shop2', { entryPoint: vip, name: 'shop', image: IMAGE, host: 'shop2.example.com' });
    expect(() => docs(chart)).toThrow(/duplicate objects: web\/shop and web\/shop2 both render Namespace "shop", Deployment "shop" in namespace "shop", Service "shop" in namespace "shop", Ingress "shop" in namespace "shop", PodDisruptionBudget "shop" in namespace "shop", NetworkPolicy "shop" in namespace "shop", DNSEndpoint "shop" in namespace "shop"; the second would silently replace/);
  });

  test('if two apps share a namespace, at synth: the fix is namespace.create: false on all but one', () => {
    const { vip, chart } = given();
    new WebApp(chart, 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', namespace: { name: 'store' } });
    new WebApp(chart, 'cart', { entryPoint: vip, image: IMAGE, host: 'cart.example.com', namespace: { name: 'store' } });
    expect(() => docs(chart)).toThrow(/both render Namespace "store"; the second would silently replace the first in the cluster: if the apps are meant to share the namespace, set namespace\.create: false on all but one of them/);
    const shared = given();
    new WebApp(shared.chart, 'shop', { entryPoint: shared.vip, image: IMAGE, host: 'shop.example.com', namespace: { name: 'store' } });
    new WebApp(shared.chart, 'cart', { entryPoint: shared.vip, image: IMAGE, host: 'cart.example.com', namespace: { name: 'store', create: false } });
    expect(docs(shared.chart).filter(d => d.kind === 'Namespace').map(d => d.metadata.name)).toEqual(['store']);
  });

  test('if an escape-hatch patch moves the Ingress host away from the DNS name, at synth', () => {
    const { chart, web } = webApp({ route: { tls: TlsCertificate.fromSecret('tls') } });
    web.route.addJsonPatch(JsonPatch.replace('/spec/tls/0/hosts/0', 'other.example.com'));
    expect(() => docs(chart)).toThrow(/Ingress rule and TLS hosts are shop.example.com, other.example.com, but the app's host is "shop.example.com"/);
  });

  test('if a patch points the Ingress backend at a port the Service lacks, at synth', () => {
    const { chart, web } = webApp();
    web.route.addJsonPatch(JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service/port', { name: 'grpc' }));
    expect(() => docs(chart)).toThrow(/Ingress path "\/" points at service "shop" port "grpc"/);
  });

  test('if a patch sets replicas next to the autoscaler, at synth', () => {
    const { chart, web } = webApp({ autoscaling: { maxReplicas: 4 } });
    web.workload.addJsonPatch(JsonPatch.add('/spec/replicas', 3));
    expect(() => docs(chart)).toThrow(/an autoscaler owns the count/);
  });

  test('if a patch lowers the autoscaler minimum under the disruption budget, at synth', () => {
    const { chart, web } = webApp({ autoscaling: { maxReplicas: 4 } });
    web.autoscaler!.addJsonPatch(JsonPatch.replace('/spec/minReplicas', 1));
    expect(() => docs(chart)).toThrow(/PodDisruptionBudget covers an app whose minimum is 1 replica/);
  });

  test('if a patch makes the budget block drains, at synth', () => {
    const { chart, web } = webApp();
    web.disruptionBudget!.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', 0));
    expect(() => docs(chart)).toThrow(/would allow no disruption and block node drains/);
  });
});

describe('requests without limits', () => {
  test('a CPU request with no CPU limit', () => {
    const { chart } = webApp({ resources: { cpu: { request: '250m', limit: false } } });
    const resources = kind(chart, 'Deployment').spec.template.spec.containers[0].resources;
    expect(resources.requests.cpu).toBe('250m');
    expect(resources.limits.cpu).toBeUndefined();
    expect(resources.limits.memory).toBe('256Mi');
  });

  test('a limit with no request', () => {
    const { chart } = webApp({ resources: { memory: { request: false, limit: '1Gi' } } });
    const resources = kind(chart, 'Deployment').spec.template.spec.containers[0].resources;
    expect(resources.requests.memory).toBeUndefined();
    expect(resources.limits.memory).toBe('1Gi');
  });

  test('fails when both are left out, naming the way to drop the resource', () => {
    expect(errorOf(() => webApp({ resources: { cpu: { request: false, limit: false } } })).message)
      .toMatch(/'resources.cpu' \(\{"request":false,"limit":false\}\) leaves out both the request and the limit; set resources.cpu to false/);
  });

  test('autoscaling on CPU still needs the CPU request', () => {
    expect(errorOf(() => webApp({ resources: { cpu: { request: false } }, autoscaling: { maxReplicas: 4 } })).message)
      .toMatch(/'autoscaling.cpuUtilization' \(70\) needs a CPU request/);
  });
});

describe('WebApp update strategy', () => {
  test('the default: a rolling update with no pod unavailable and 25% surge', () => {
    expect(kind(webApp().chart, 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
  });

  test('Recreate, on the app and on a worker', () => {
    const { chart } = webApp({ updateStrategy: UpdateStrategy.recreate(), workers: [{ name: 'queue', updateStrategy: UpdateStrategy.recreate() }] });
    expect(docs(chart).filter(d => d.kind === 'Deployment').map(d => d.spec.strategy)).toEqual([{ type: 'Recreate' }, { type: 'Recreate' }]);
  });

  test('a rolling update with limits of its own', () => {
    const { chart } = webApp({ updateStrategy: UpdateStrategy.rollingUpdate({ maxSurge: 1, maxUnavailable: '10%' }) });
    expect(kind(chart, 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 1 } });
  });

  test.each<[string, () => unknown, RegExp]>([
    ['both limits 0', () => UpdateStrategy.rollingUpdate({ maxSurge: 0 }), /sets both maxSurge and maxUnavailable to 0, so a rollout could never replace a pod/],
    ['both limits 0%', () => UpdateStrategy.rollingUpdate({ maxSurge: '0%', maxUnavailable: '0%' }), /sets both maxSurge and maxUnavailable to 0/],
    ['a percentage over 100', () => UpdateStrategy.rollingUpdate({ maxSurge: '150%' }), /'options\.maxSurge' \("150%"\) is not a count or a percentage from 0% to 100%/],
    ['a fraction', () => UpdateStrategy.rollingUpdate({ maxUnavailable: 0.5 }), /'options\.maxUnavailable' \(0\.5\) must be a whole number from 0 to 10000/],
    ['a string that is no strategy', () => webApp({ updateStrategy: 'Recreate' as any }), /'updateStrategy' \("Recreate"\) is not an UpdateStrategy; use UpdateStrategy\.rollingUpdate\(\.\.\.\) or UpdateStrategy\.recreate\(\)/],
  ])('refuses %s', (_, build, message) => {
    expect(() => build()).toThrow(message);
  });
});

describe('WebApp scheduling', () => {
  const podSpec = (doc: any) => (doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template : doc.spec.template);

  test('nodeSelector, tolerations, priority and runtime class, host aliases, pod annotations and labels on the app\'s pods', () => {
    const { chart } = webApp({
      scheduling: {
        nodeSelector: { 'node.example.com/pool': 'web' },
        tolerations: [{ key: 'dedicated', value: 'web', effect: TaintEffect.NO_SCHEDULE }, { key: 'node.kubernetes.io/unreachable', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 30 }],
        priorityClassName: 'web-critical', runtimeClassName: 'gvisor',
        hostAliases: [{ ip: '10.0.0.5', hostnames: ['db', 'db.internal'] }],
        podAnnotations: { 'vault.hashicorp.com/agent-inject': 'true' }, podLabels: { 'sidecar.istio.io/inject': 'true' },
      },
    });
    const template = podSpec(kind(chart, 'Deployment'));
    expect(template.spec).toMatchObject({
      nodeSelector: { 'node.example.com/pool': 'web' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      ],
      priorityClassName: 'web-critical', runtimeClassName: 'gvisor',
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['db', 'db.internal'] }],
    });
    expect(template.metadata.annotations['vault.hashicorp.com/agent-inject']).toBe('true');
    expect(template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    // Pod labels are the pods' own: not on the Deployment, not in its selector.
    expect(kind(chart, 'Deployment').metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(kind(chart, 'Deployment').spec.selector.matchLabels['sidecar.istio.io/inject']).toBeUndefined();
  });

  test('node affinity, required and preferred, beside the spread\'s anti-affinity; alone without spread; dnsConfig', () => {
    const scheduling = {
      nodeAffinity: [
        { key: 'node.example.com/lifecycle', operator: NodeSelectorOperator.NOT_IN, values: ['spot'] },
        { key: 'node.example.com/generation', operator: NodeSelectorOperator.GT, values: ['3'] },
        { key: 'topology.kubernetes.io/zone', operator: NodeSelectorOperator.IN, values: ['eu-1a'], weight: 50 },
      ],
      dnsConfig: { nameservers: ['10.0.0.53'], searches: ['corp.example.com'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }] },
    };
    const spec = podSpec(kind(webApp({ scheduling }).chart, 'Deployment')).spec;
    expect(spec.affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [
        { key: 'node.example.com/lifecycle', operator: 'NotIn', values: ['spot'] },
        { key: 'node.example.com/generation', operator: 'Gt', values: ['3'] },
      ] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-1a'] }] } }],
    });
    expect(spec.affinity.podAntiAffinity).toBeDefined();
    expect(spec.dnsConfig).toEqual({ nameservers: ['10.0.0.53'], searches: ['corp.example.com'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }] });
    expect(spec.nodeAffinity).toBeUndefined();
    const alone = podSpec(kind(webApp({ scheduling: { ...scheduling, spread: false } }).chart, 'Deployment')).spec;
    expect(Object.keys(alone.affinity)).toEqual(['nodeAffinity']);
    expect(docs(webApp({ scheduling }).chart).flatMap(schemaErrors)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['In without values', { nodeAffinity: [{ key: 'a', operator: NodeSelectorOperator.IN }] }, 'scheduling.nodeAffinity[0].values', /needs one or more values with In/],
    ['Exists with values', { nodeAffinity: [{ key: 'a', operator: NodeSelectorOperator.EXISTS, values: ['x'] }] }, 'scheduling.nodeAffinity[0].values', /takes no values with Exists/],
    ['Gt with a word', { nodeAffinity: [{ key: 'a', operator: NodeSelectorOperator.GT, values: ['three'] }] }, 'scheduling.nodeAffinity[0].values', /takes one integer value with Gt/],
    ['an operator that is not one', { nodeAffinity: [{ key: 'a', operator: 'in', values: ['x'] }] }, 'scheduling.nodeAffinity[0].operator', /NodeSelectorOperator/],
    ['a weight of 0', { nodeAffinity: [{ key: 'a', operator: NodeSelectorOperator.EXISTS, weight: 0 }] }, 'scheduling.nodeAffinity[0].weight', /from 1 to 100/],
    ['four name servers', { dnsConfig: { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] } }, 'scheduling.dnsConfig.nameservers', /more than the 3 name servers/],
    ['a name server that is a name', { dnsConfig: { nameservers: ['dns.example.com'] } }, 'scheduling.dnsConfig.nameservers[0]', /./],
    ['an option with a colon', { dnsConfig: { options: [{ name: 'ndots:2' }] } }, 'scheduling.dnsConfig.options[0].name', /is not a resolver option/],
  ])('refuses %s', (_, scheduling, prop, message) => {
    const error = errorOf(() => webApp({ scheduling: scheduling as any }));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test('spread rules: nodes required, zones off; zones required with a skew; each level\'s default is preferred', () => {
    const spec = (spread: any) => podSpec(kind(webApp({ scheduling: { spread } }).chart, 'Deployment')).spec;
    const strict = spec({ nodes: SpreadMode.REQUIRED, zones: SpreadMode.OFF });
    expect(strict.affinity.podAntiAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: expect.any(Object) } }] });
    expect(strict.topologySpreadConstraints).toBeUndefined();
    const zoned = spec({ zones: SpreadMode.REQUIRED, maxSkew: 2 });
    expect(zoned.topologySpreadConstraints).toEqual([expect.objectContaining({ maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule', topologyKey: 'topology.kubernetes.io/zone' })]);
    expect(zoned.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    // {} is the default spread, written the same.
    expect(spec({})).toEqual(podSpec(kind(webApp().chart, 'Deployment')).spec);
    expect(Object.keys(spec({ nodes: SpreadMode.OFF, zones: SpreadMode.OFF }))).not.toContain('affinity');
    expect(errorOf(() => webApp({ scheduling: { spread: { maxSkew: 0 } } })).prop).toBe('scheduling.spread.maxSkew');
    expect(errorOf(() => webApp({ scheduling: { spread: { nodes: 'strict' as any } } })).message).toMatch(/SpreadMode/);
  });

  test('spread: false leaves placement to the scheduler; the default spreads', () => {
    expect(podSpec(kind(webApp().chart, 'Deployment')).spec.topologySpreadConstraints).toHaveLength(1);
    const spec = podSpec(kind(webApp({ scheduling: { spread: false } }).chart, 'Deployment')).spec;
    expect(spec.affinity).toBeUndefined();
    expect(spec.topologySpreadConstraints).toBeUndefined();
  });

  test('each worker and job takes its own, and none inherits the app\'s', () => {
    const { chart } = webApp({
      scheduling: { nodeSelector: { pool: 'web' } },
      workers: [{ name: 'queue', scheduling: { nodeSelector: { pool: 'batch' }, spread: false } }],
      scheduledJobs: [{ name: 'nightly', schedule: '@daily', scheduling: { tolerations: [{ key: 'batch' }] } }],
    });
    const [app, worker] = docs(chart).filter(d => d.kind === 'Deployment').map(d => podSpec(d).spec);
    const job = podSpec(kind(chart, 'CronJob')).spec;
    expect([app.nodeSelector, worker.nodeSelector, job.nodeSelector]).toEqual([{ pool: 'web' }, { pool: 'batch' }, undefined]);
    expect(worker.affinity).toBeUndefined();
    expect(job.tolerations).toEqual([{ key: 'batch', operator: 'Exists' }]);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a pod label that replaces the app\'s', { podLabels: { 'app.kubernetes.io/name': 'x' } }, 'scheduling.podLabels["app.kubernetes.io/name"]', /would replace a label the app sets on its pods/],
    ['a pod annotation that replaces a content hash', { podAnnotations: { 'checksum/config-x': '1' } }, 'scheduling.podAnnotations["checksum/config-x"]', /would replace an annotation the library writes/],
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'a', tolerationSeconds: 5 }] }, 'scheduling.tolerations[0].tolerationSeconds', /is set, but the effect is not NoExecute/],
    ['a toleration key that is no label key', { tolerations: [{ key: 'a b' }] }, 'scheduling.tolerations[0].key', /is not a valid label or annotation key/],
    ['an effect that is no TaintEffect', { tolerations: [{ key: 'a', effect: 'NOSCHEDULE' }] }, 'scheduling.tolerations[0].effect', /is not a member of TaintEffect/],
    ['a host alias that is no address', { hostAliases: [{ ip: 'db', hostnames: ['db'] }] }, 'scheduling.hostAliases[0].ip', /is not an IPv4 or IPv6 address/],
    ['a priority class that is no name', { priorityClassName: 'High' }, 'scheduling.priorityClassName', /is not a valid object name/],
    ['a node selector value that is no label value', { nodeSelector: { pool: 'a b' } }, 'scheduling.nodeSelector["pool"]', /is not a valid label value/],
    ['a misspelt option', { nodeSelecter: {} }, 'scheduling.nodeSelecter', /did you mean 'scheduling.nodeSelector'/],
  ])('refuses %s', (_, scheduling, prop, message) => {
    const error = errorOf(() => webApp({ scheduling } as any));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });

  test('a worker\'s errors name the worker', () => {
    expect(errorOf(() => webApp({ workers: [{ name: 'queue', scheduling: { podLabels: { 'app.kubernetes.io/instance': 'x' } } }] })).prop)
      .toBe('workers[0].scheduling.podLabels["app.kubernetes.io/instance"]');
  });
});

describe('WebApp security exceptions', () => {
  test('an image built for UID 1000 that binds port 80: acknowledged, still restricted', () => {
    const { chart } = webApp({
      port: 80,
      security: { runAsUser: 1000, runAsGroup: 1000, exception: { reason: 'the upstream image runs as 1000 and serves on 80', lowIds: true, netBindService: true } },
      workers: [{ name: 'queue' }],
    });
    const [app, worker] = docs(chart).filter(d => d.kind === 'Deployment');
    const container = app.spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({
      runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const d of [app, worker]) {
      expect(d.metadata.annotations['cdk8s-webstack/policy-exceptions']).toMatch(/security \(container-security-context-user-group-id\): the upstream image runs as 1000 and serves on 80$/);
      // kube-score's check of low IDs is told, beside the reason.
      expect(d.metadata.annotations['kube-score/ignore']).toBe('container-security-context-user-group-id');
    }
    expect(docs(chart).flatMap(schemaErrors)).toEqual([]);
  });

  test('sidecars keep every capability dropped', () => {
    const { chart } = webApp({ sidecars: [{ name: 'proxy' }], security: { exception: { reason: 'binds 443', netBindService: true } } });
    const sidecar = kind(chart, 'Deployment').spec.template.spec.initContainers[0];
    expect(sidecar.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a UID below 10000 without the exception', { runAsUser: 1000 }, 'security.runAsUser', /must be a whole number from 10000 to 2147483647; use a UID of 10000 or above, clear of host users, or acknowledge the image's with security\.exception: \{ lowIds: true, reason \}/],
    ['a GID below 10000 with an exception for something else', { runAsGroup: 999, exception: { reason: 'x', netBindService: true } }, 'security.runAsGroup', /10000 or above/],
    ['root, even with the exception', { runAsUser: 0, exception: { reason: 'x', lowIds: true } }, 'security.runAsUser', /must be a whole number from 1 to 2147483647; give a UID other than 0/],
    ['an exception without a reason', { exception: { lowIds: true } }, 'security.exception.reason', /is required/],
    ['an empty reason', { exception: { reason: ' ', lowIds: true } }, 'security.exception.reason', /is empty; say why/],
    ['a capability the exception has no name for', { exception: { reason: 'x', sysAdmin: true } }, 'security.exception.sysAdmin', /is not a prop of SecurityException/],
  ])('refuses %s', (_, security, prop, message) => {
    const error = errorOf(() => webApp({ security } as any));
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(message);
  });
});

describe('WebApp command and args', () => {
  test('the server container\'s own command and arguments; none by default', () => {
    const main = (props: Partial<WebAppProps>) => kind(webApp(props).chart, 'Deployment').spec.template.spec.containers[0];
    const given = main({ command: ['/app/server'], args: ['--config', '/etc/app/app.yaml'] });
    expect([given.command, given.args]).toEqual([['/app/server'], ['--config', '/etc/app/app.yaml']]);
    const none = main({});
    expect([none.command, none.args]).toEqual([undefined, undefined]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a command that is a string', { command: '/app/server' }, 'command'],
    ['an argument that is a number', { args: ['--port', 80] }, 'args[1]'],
  ])('refuses %s', (_, props, prop) => {
    expect(errorOf(() => webApp(props as any)).prop).toBe(prop);
  });
});

describe('WebApp liveness the same as readiness', () => {
  const same = { readiness: Probe.httpGet('/health'), liveness: Probe.httpGet('/health') };

  test('refused without a reason, the opt-in named in the fix', () => {
    expect(errorOf(() => webApp({ probes: same })).message).toMatch(/same check as the readiness probe.*, or give probes\.sameCheckReason when the app has no other$/);
    expect(errorOf(() => webApp({ probes: { ...same, sameCheckReason: ' ' } })).prop).toBe('probes.liveness');
  });

  test('taken with a reason, written beside any other exception', () => {
    const { chart } = webApp({
      probes: { ...same, sameCheckReason: 'the upstream image serves /health only' },
      security: { runAsUser: 1000, exception: { reason: 'runs as 1000', lowIds: true } },
    });
    const deployment = kind(chart, 'Deployment');
    const c = deployment.spec.template.spec.containers[0];
    expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path]).toEqual(['/health', '/health']);
    expect(deployment.metadata.annotations['cdk8s-webstack/policy-exceptions'])
      .toBe('security (container-security-context-user-group-id): runs as 1000; liveness same as readiness: the upstream image serves /health only');
  });
});

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsProvider, DnsZone, EnvValue, Gateway, imageTagFromEnv, IngressVip, Probe, Route53HostedZone, RouteOptions, TlsCertificate, WebApp } from '../lib';

/** What differs between the environments of one app: everything else is typed once, below. */
interface Environment {
  readonly name: 'dev' | 'staging' | 'prod';
  readonly host: string;
  readonly imageTag: string;
  readonly logLevel: string;
  /** A fixed count, or an autoscaling range. */
  readonly scale: { readonly replicas: number } | { readonly min: number; readonly max: number };
  readonly memory: string;
  /** The entry point the environment is served behind. */
  readonly entryPoint: keyof EntryPoints;
}

/** The cluster's two entry points: the seed's ingress-nginx VIP, and the Gateway apps move to. */
export interface EntryPoints {
  readonly ingress: IngressVip;
  readonly gateway: Gateway;
}

export const ENVIRONMENTS: readonly Environment[] = [
  { name: 'dev', host: 'blog.dev.example.com', imageTag: '2.1.0-rc.3', logLevel: 'debug', scale: { replicas: 2 }, memory: '256Mi', entryPoint: 'ingress' },
  { name: 'staging', host: 'blog.staging.example.com', imageTag: '2.0.4', logLevel: 'info', scale: { replicas: 3 }, memory: '384Mi', entryPoint: 'ingress' },
  // prod runs what the pipeline built and pushed (.github/workflows/deploy.yml), 2.0.4 in a local synth.
  { name: 'prod', host: 'blog.example.com', imageTag: imageTagFromEnv('BLOG_IMAGE_TAG', { default: '2.0.4' }), logLevel: 'warn', scale: { min: 3, max: 12 }, memory: '512Mi', entryPoint: 'gateway' },
];

/** Where the environments' DNS records go: dev and staging to the internal DNS, prod to Route 53. */
export interface BlogDns {
  readonly internal: DnsZone;
  readonly public: Route53HostedZone;
}

/**
 * How requests reach the blog. Uploads need a larger body than ingress-nginx's 1m; Gateway API
 * has no body-size field (the app enforces its own limit there), so behind the Gateway the
 * route bounds the whole request instead.
 */
const ROUTE: Record<keyof EntryPoints, RouteOptions> = {
  ingress: { tls: TlsCertificate.fromClusterIssuer('letsencrypt'), proxyBodySize: '16m' },
  gateway: { tls: TlsCertificate.fromClusterIssuer('letsencrypt'), requestTimeoutSeconds: 60 },
};

/** One chart per environment of the `blog` app, each behind the entry point its config names. */
export function blogEnvironments(scope: Construct, entryPoints: EntryPoints, dns: BlogDns): Chart[] {
  return ENVIRONMENTS.map(env => {
    const chart = new Chart(scope, `blog-${env.name}`);
    new WebApp(chart, 'blog', {
      entryPoint: entryPoints[env.entryPoint],
      image: `registry.internal.example.com/web/blog:${env.imageTag}`,
      host: env.host,
      namespace: { name: `blog-${env.name}` },
      partOf: 'publishing',
      port: 3000,
      env: {
        NODE_ENV: EnvValue.fromValue('production'),
        LOG_LEVEL: EnvValue.fromValue(env.logLevel),
        DATABASE_URL: EnvValue.fromSecret('blog-database', 'url'),
      },
      resources: { memory: { request: env.memory, limit: env.memory } },
      probes: { readiness: Probe.httpGet('/api/ready'), liveness: Probe.httpGet('/api/alive') },
      ...('replicas' in env.scale
        ? { replicas: env.scale.replicas }
        : { autoscaling: { minReplicas: env.scale.min, maxReplicas: env.scale.max, cpuUtilization: 65 } }),
      route: ROUTE[env.entryPoint],
      dns: { provider: env.name === 'prod' ? DnsProvider.route53(dns.public) : DnsProvider.zoneFile(dns.internal) },
    });
    return chart;
  });
}

/** The platform's DNS: the internal zone served by BIND, and the public hosted zone. */
export function platformDns(platform: Chart): BlogDns {
  return {
    internal: new DnsZone(platform, 'InternalZone', {
      zoneName: 'example.com',
      soa: { primaryNameServer: 'ns1.example.net', hostmaster: 'hostmaster@example.com', serial: 2026112301 },
      nameServers: ['ns1.example.net', 'ns2.example.net'],
    }),
    public: new Route53HostedZone(platform, 'PublicZone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' }),
  };
}

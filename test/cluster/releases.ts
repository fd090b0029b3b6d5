// The program the pipeline check deploys in three releases (test/cluster/pipeline.ts):
//   v1  two apps: alpha behind the ingress VIP, beta behind the Gateway;
//   v2  alpha with the image tag the pipeline passes (ALPHA_IMAGE_TAG), beta removed;
//   v3  the same as v2.
// usage: RELEASE=v1 ALPHA_IMAGE_TAG=1.0.0 OUTDIR=/tmp/x node bin/run.js test/cluster/releases.ts
import { Chart } from 'cdk8s';
import { DnsProvider, Gateway, GatewayAddressMode, GatewayImplementation, imageTagFromEnv, IngressVip, TlsCertificate, VipAddressMode, WebApp, WebStackApp } from '../../lib';

const release = process.env.RELEASE;
if (release !== 'v1' && release !== 'v2' && release !== 'v3') {
  throw new Error(`RELEASE must be v1, v2 or v3, not ${JSON.stringify(release)}`);
}
const app = new WebStackApp({ outdir: process.env.OUTDIR, applySet: { name: 'pipeline-check' } });
const platform = new Chart(app, 'platform');
const vip = new IngressVip(platform, 'IngressVip', { namespace: 'pipeline-ingress', address: '192.0.2.110', addressMode: VipAddressMode.METALLB });
const gateway = new Gateway(platform, 'Gateway', {
  namespace: 'pipeline-gateway', implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.120', addressMode: GatewayAddressMode.METALLB,
});
new WebApp(new Chart(app, 'alpha'), 'alpha', {
  entryPoint: vip,
  image: `registry.internal.example.com/web/alpha:${imageTagFromEnv('ALPHA_IMAGE_TAG')}`,
  host: 'alpha.example.com',
  autoscaling: { minReplicas: 2, maxReplicas: 4 },
  route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') },
  dns: { provider: DnsProvider.externalDns() },
});
if (release === 'v1') {
  new WebApp(new Chart(app, 'beta'), 'beta', {
    entryPoint: gateway,
    image: 'registry.internal.example.com/web/beta:3.1.0',
    host: 'beta.example.com',
    replicas: 2,
    route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') },
    scheduledJobs: [{ name: 'cleanup', schedule: '0 3 * * *', command: ['/app/beta', 'cleanup'] }],
    dns: { provider: DnsProvider.externalDns() },
  });
}
app.synth();

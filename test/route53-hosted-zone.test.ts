import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { Chart, Testing } from 'cdk8s';
import { DnsProvider, DnsRecord, DnsZone, ExternalDnsAnnotationPrefix, IngressVip, Route53HostedZone, WebStackApp } from '../lib';
import { errorOf, webApp } from './_fixtures';

function published(address: string, hosts: string[]) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const zone = new Route53HostedZone(platform, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const vip = new IngressVip(platform, 'IngressVip', { address });
  hosts.forEach((host, i) => new DnsRecord(new Chart(app, `app${i}`), 'Record', { hostName: host, entryPoint: vip, provider: DnsProvider.route53(zone), ttl: 120 }));
  return { app, zone };
}

describe('Route53HostedZone', () => {
  test('an A record per host, in the given zone, with no lookup and no bootstrap noise', () => {
    const { zone } = published('192.0.2.10', ['shop.example.com', 'blog.example.com']);
    const template = Template.fromJSON(zone.template());
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'shop.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ', ResourceRecords: ['192.0.2.10'], TTL: '120',
    });
    expect(Object.keys(zone.template())).toEqual(['Description', 'Resources']);
    expect(zone.stackName).toBe('dns-example-com');
  });

  test('AAAA for an IPv6 VIP', () => {
    const template = Template.fromJSON(published('2001:db8::10', ['shop.example.com']).zone.template());
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'shop.example.com.', Type: 'AAAA', ResourceRecords: ['2001:db8::10'] });
  });

  test('the template is deterministic', () => {
    expect(JSON.stringify(published('192.0.2.10', ['a.example.com', 'b.example.com']).zone.template()))
      .toBe(JSON.stringify(published('192.0.2.10', ['b.example.com', 'a.example.com']).zone.template()));
  });

  test('a WebApp publishes its host through it', () => {
    const { app } = published('192.0.2.10', []);
    const zone = app.node.findAll().find(c => c instanceof Route53HostedZone) as Route53HostedZone;
    const vip = app.node.findAll().find(c => c instanceof IngressVip) as IngressVip;
    const { WebApp } = require('../lib');
    new WebApp(new Chart(app, 'web'), 'shop', { entryPoint: vip, image: 'registry.example.com/team/shop:1.4.2', host: 'shop.example.com', dns: { provider: DnsProvider.route53(zone) } });
    Template.fromJSON(zone.template()).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'shop.example.com.', TTL: '300' });
    expect(Testing.synth(app.charts.find(c => c.node.id === 'web')!).map(d => d.kind)).not.toContain('DNSEndpoint');
  });

  test('fails at synth if two apps publish the same name', () => {
    const { app } = published('192.0.2.10', ['shop.example.com', 'shop.example.com']);
    expect(() => Testing.synth(app.charts[0])).toThrow('both publish A shop.example.com in zone "example.com"');
  });

  test('fails if the host is outside the zone', () => {
    expect(errorOf(() => published('192.0.2.10', ['shop.example.org'])).message).toMatch(/is outside the zone "example.com" of Route 53 platform\/Zone/);
  });

  test('fails if the hosted zone id is not one', () => {
    expect(errorOf(() => new Route53HostedZone(new Chart(Testing.app(), 'p'), 'Zone', { hostedZoneId: '/hostedzone/Z1', zoneName: 'example.com' })).prop).toBe('hostedZoneId');
  });

  describe('one owner per output file', () => {
    function appIn(outdir: string) {
      const app = new WebStackApp({ outdir });
      const platform = new Chart(app, 'platform');
      const zone = new Route53HostedZone(platform, 'Route53', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
      const vip = new IngressVip(platform, 'IngressVip', { address: '192.0.2.10' });
      new DnsRecord(new Chart(app, 'shop'), 'Record', { hostName: 'shop.example.com', entryPoint: vip, provider: DnsProvider.route53(zone), ttl: 120 });
      return app;
    }

    test.each([
      ['a zone file', (app: WebStackApp) => new DnsZone(new Chart(app, 'internal'), 'Zone', { zoneName: 'example.com', fileName: 'dns-example-com.template.json' }),
        'internal/Zone: \'fileName\' ("dns-example-com.template.json") names the output file "dns-example-com.template.json", which platform/Route53 (Route 53 template) writes too; '
        + 'one would replace the other; give this zone another fileName'],
      ['another hosted zone\'s template', (app: WebStackApp) => new Route53HostedZone(new Chart(app, 'internal'), 'Route53', { hostedZoneId: 'Z0123456789ABCDEFGHIK', zoneName: 'example.org', stackName: 'dns-example-com' }),
        'internal/Route53: \'stackName\' ("dns-example-com") names the output file "dns-example-com.template.json", which platform/Route53 (Route 53 template) writes too; '
        + 'one would replace the other; give this hosted zone another stackName'],
    ])('fails the synth if %s takes the template\'s name, naming both; dist/ untouched', (_, add, message) => {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-'));
      const outdir = path.join(parent, 'dist');
      appIn(outdir).synth();
      const files = () => fs.readdirSync(parent, { recursive: true }).map(String).sort()
        .map(f => [f, fs.statSync(path.join(parent, f)).isDirectory() ? '/' : fs.readFileSync(path.join(parent, f), 'utf8')]);
      const before = files();
      expect(before.map(([f]) => f)).toContain(path.join('dist', 'dns-example-com.template.json'));

      const app = appIn(outdir);
      add(app);
      expect(() => app.synth()).toThrow(message);
      expect(files()).toEqual(before);
    });
  });

  test('importing the library, and using any other provider, never loads aws-cdk-lib', () => {
    const script = `
      require('ts-node/register/transpile-only');
      const lib = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
      const { Chart, Testing } = require('cdk8s');
      const app = Testing.app();
      const vip = new lib.IngressVip(new Chart(app, 'p'), 'V', { address: '192.0.2.10' });
      const chart = new Chart(app, 'w');
      new lib.WebApp(chart, 'shop', { entryPoint: vip, image: 'registry.example.com/t/shop:1.0', host: 'shop.example.com' });
      Testing.synth(chart);
      process.stdout.write(String(Object.keys(require.cache).some(k => k.includes('aws-cdk-lib'))));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('false');
  });

  test('without aws-cdk-lib installed, a Route53HostedZone is a WebStackError saying what to install, and the peer range matches package.json', () => {
    const script = `
      require('ts-node/register/transpile-only');
      const lib = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
      const { Chart, Testing } = require('cdk8s');
      try {
        new lib.Route53HostedZone(new Chart(Testing.app(), 'p'), 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
      } catch (e) {
        process.stdout.write(e.name + ': ' + e.message);
      }`;
    const run = spawnSync(process.execPath, ['--require', path.join(__dirname, 'fixtures', 'no-aws-cdk-lib.js'), '-e', script],
      { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
    const peer = require('../package.json').peerDependencies['aws-cdk-lib'];
    expect(run.stdout).toBe(`WebStackError: p/Zone: 'props' ("Route53HostedZone") needs aws-cdk-lib, an optional peer dependency, which is not installed; install it beside cdk8s-webstack: npm install aws-cdk-lib@${peer}`);
  });
});

describe('ExternalDNS annotations', () => {
  test('annotate the Ingress with host, VIP target and TTL under the ExternalDNS 0.22 prefix, and emit no DNSEndpoint', () => {
    const { chart } = webApp({ dns: { provider: DnsProvider.externalDnsAnnotations(), ttl: 120 } });
    const docs = Testing.synth(chart);
    const ingress = docs.find(d => d.kind === 'Ingress');
    expect(Object.keys(ingress.metadata.annotations).filter(k => k.startsWith('external-dns'))).toHaveLength(3);
    expect(ingress.metadata.annotations).toMatchObject({
      'external-dns.kubernetes.io/hostname': 'shop.example.com',
      'external-dns.kubernetes.io/target': '192.0.2.10',
      'external-dns.kubernetes.io/ttl': '120',
    });
    expect(docs.map(d => d.kind)).not.toContain('DNSEndpoint');
  });

  test('the legacy alpha prefix, for ExternalDNS 0.21 and earlier', () => {
    const provider = DnsProvider.externalDnsAnnotations({ prefix: ExternalDnsAnnotationPrefix.LEGACY_ALPHA });
    const { chart } = webApp({ dns: { provider } });
    const ingress = Testing.synth(chart).find(d => d.kind === 'Ingress');
    expect(Object.keys(ingress.metadata.annotations).filter(k => k.includes('external-dns')).sort()).toEqual([
      'external-dns.alpha.kubernetes.io/hostname', 'external-dns.alpha.kubernetes.io/target', 'external-dns.alpha.kubernetes.io/ttl',
    ]);
  });

  test('fail for a prefix outside the enum (JavaScript callers), where the provider is made', () => {
    expect(errorOf(() => DnsProvider.externalDnsAnnotations({ prefix: 'external-dns/' as ExternalDnsAnnotationPrefix })).message)
      .toMatch(/^DnsProvider.externalDnsAnnotations\(\): 'options.prefix' \("external-dns\/"\) is not a member of ExternalDnsAnnotationPrefix; use ExternalDnsAnnotationPrefix.CURRENT \('external-dns.kubernetes.io\/'\), ExternalDnsAnnotationPrefix.LEGACY_ALPHA \('external-dns.alpha.kubernetes.io\/'\)$/);
  });

  test('fail for a standalone record with no route object', () => {
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'p'), 'Vip', { address: '192.0.2.10' });
    expect(errorOf(() => new DnsRecord(new Chart(app, 'd'), 'R', { hostName: 'a.example.com', entryPoint: vip, provider: DnsProvider.externalDnsAnnotations() })).message)
      .toMatch(/^d\/R: 'provider' \("ExternalDNS annotations"\) needs the route object \(Ingress or HTTPRoute\) to annotate/);
  });
});

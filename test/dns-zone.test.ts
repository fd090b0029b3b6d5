import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { DnsProvider, DnsRecord, DnsZone, DnsZoneProps, IngressVip, WebApp, WebStackApp } from '../lib';
import { errorOf, IMAGE } from './_fixtures';

const SOA = { primaryNameServer: 'ns1.example.com', hostmaster: 'hostmaster@example.com', serial: 2026112301 };

function zoneWith(props: Partial<DnsZoneProps>, records: Array<[string, string]>) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const zone = new DnsZone(platform, 'Zone', { zoneName: 'example.com', ...props });
  records.forEach(([host, address], i) => {
    const vip = new IngressVip(platform, `Vip${i}`, { address, name: `vip-${i}` });
    new DnsRecord(new Chart(app, `app${i}`), 'Record', { hostName: host, entryPoint: vip, provider: DnsProvider.zoneFile(zone), ttl: 60 });
  });
  return { app, zone };
}

describe('DnsZone', () => {
  test('a complete zone: SOA, NS, the glue of in-zone name servers and every app record sorted, relative to the origin', () => {
    const { zone } = zoneWith({ soa: SOA, nameServers: ['ns1.example.com', 'ns2.example.com'], nameServerAddresses: { 'ns1.example.com': ['192.0.2.53'], 'ns2.example.com': ['192.0.2.54'] } },
      [['shop.example.com', '192.0.2.10'], ['blog.example.com', '192.0.2.10'], ['example.com', '192.0.2.11'], ['blog.example.com', '2001:db8::10']]);
    expect(zone.render()).toBe([
      '; Zone file for example.com, written by cdk8s-webstack. Do not edit.',
      '$ORIGIN example.com.',
      '$TTL 300',
      '@ IN SOA ns1.example.com. hostmaster.example.com. ( 2026112301 3600 600 1209600 300 )',
      '@ IN NS ns1.example.com.',
      '@ IN NS ns2.example.com.',
      'blog 60 IN A 192.0.2.10',
      'blog 60 IN AAAA 2001:db8::10',
      '@ 60 IN A 192.0.2.11',
      'ns1 300 IN A 192.0.2.53',
      'ns2 300 IN A 192.0.2.54',
      'shop 60 IN A 192.0.2.10',
      '',
    ].join('\n'));
    expect(zone.complete).toBe(true);
  });

  test('a fragment: absolute names only, to $INCLUDE', () => {
    const { zone } = zoneWith({}, [['shop.example.com', '192.0.2.10']]);
    expect(zone.render()).toBe('; Zone fragment for example.com, written by cdk8s-webstack. Do not edit.\nshop.example.com. 60 IN A 192.0.2.10\n');
    expect(zone.fileName).toBe('example.com.zone');
  });

  test('the same records in any order give the same text', () => {
    const a = zoneWith({}, [['a.example.com', '192.0.2.1'], ['b.example.com', '192.0.2.2']]).zone.render();
    const b = zoneWith({}, [['b.example.com', '192.0.2.2'], ['a.example.com', '192.0.2.1']]).zone.render();
    expect(a).toBe(b);
  });

  test('fails at synth if two apps publish the same name and type', () => {
    const { app } = zoneWith({}, [['shop.example.com', '192.0.2.10'], ['shop.example.com', '192.0.2.11']]);
    expect(() => Testing.synth(app.charts[0])).toThrow('app0/Record and app1/Record both publish A shop.example.com in zone "example.com"');
  });

  test('fails if a host is outside the zone, and says which zone', () => {
    expect(errorOf(() => zoneWith({}, [['shop.example.org', '192.0.2.10']])).message)
      .toBe('app0/Record: \'hostName\' ("shop.example.org") is outside the zone "example.com" of zone file platform/Zone; publish it in a zone that contains it, or use a host under example.com');
  });

  test('fails if an SOA comes without name servers', () => {
    expect(errorOf(() => zoneWith({ soa: SOA }, [])).message).toMatch(/^platform\/Zone: 'nameServers' \(undefined\) is missing: a complete zone needs both/);
  });

  test('fails if the hostmaster cannot be written in the SOA', () => {
    expect(errorOf(() => zoneWith({ soa: { ...SOA, hostmaster: 'dns.admin@example.com' }, nameServers: ['ns1.example.com'] }, [])).message)
      .toMatch(/'soa.hostmaster' \("dns.admin@example.com"\) is not a mailbox the SOA can carry/);
  });

  test('fails if the serial is not a 32-bit number', () => {
    expect(errorOf(() => zoneWith({ soa: { ...SOA, serial: 2 ** 32 }, nameServers: ['ns1.example.com'] }, [])).prop).toBe('soa.serial');
  });

  describe('one owner per output file', () => {
    /** An app synthesized once into a fresh dist/; returns the app to add to, and a reader of all files beside and in dist/. */
    function synthesized() {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-'));
      const outdir = path.join(parent, 'dist');
      const build = () => {
        const app = new WebStackApp({ outdir });
        const platform = new Chart(app, 'platform');
        const vip = new IngressVip(platform, 'IngressVip', { address: '192.0.2.10' });
        const zone = new DnsZone(platform, 'Zone', { zoneName: 'example.com' });
        new WebApp(new Chart(app, 'shop'), 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com', dns: { provider: DnsProvider.zoneFile(zone) } });
        return { app, platform, vip };
      };
      build().app.synth();
      const files = () => Object.fromEntries(fs.readdirSync(parent, { recursive: true }).map(String).sort()
        .map(f => [f, fs.statSync(path.join(parent, f)).isDirectory() ? '/' : fs.readFileSync(path.join(parent, f), 'utf8')]));
      return { build, files };
    }

    test('fails the synth if two DnsZones of one zone, in different charts, would write one file, naming both; dist/ untouched', () => {
      const { build, files } = synthesized();
      const before = files();
      const { app, vip } = build();
      const blogZone = new DnsZone(new Chart(app, 'blog'), 'Zone', { zoneName: 'example.com' });
      new WebApp(app.node.findChild('blog') as Chart, 'blog', { entryPoint: vip, image: IMAGE, host: 'blog.example.com', dns: { provider: DnsProvider.zoneFile(blogZone) } });

      expect(() => app.synth()).toThrow('blog/Zone: \'fileName\' ("example.com.zone") names the output file "example.com.zone", which platform/Zone (zone file) writes too; '
        + 'one would replace the other; give this zone another fileName');
      expect(files()).toEqual(before);
    });

    test('fails the synth if a zone file takes the name of a chart\'s manifests, naming both; dist/ untouched', () => {
      const { build, files } = synthesized();
      const before = files();
      const { app, platform } = build();
      new DnsZone(platform, 'Internal', { zoneName: 'internal.example.com', fileName: 'shop.k8s.yaml' });

      expect(() => app.synth())
        .toThrow('platform/Internal: \'fileName\' ("shop.k8s.yaml") names the output file "shop.k8s.yaml", which shop (the chart\'s manifests) writes too; '
          + 'one would replace the other; give this zone another fileName');
      expect(files()).toEqual(before);
    });

    test('names are compared without case, so the output is the same on a case-insensitive filesystem', () => {
      const { build } = synthesized();
      const { app, platform } = build();
      new DnsZone(platform, 'Upper', { zoneName: 'example.org', fileName: 'Example.com.zone' });
      expect(() => app.synth()).toThrow(/platform\/Upper: 'fileName' \("Example.com.zone"\) names the output file "Example.com.zone", which platform\/Zone \(zone file\) writes too/);
    });
  });
});

describe('DnsZone glue', () => {
  const soa = { primaryNameServer: 'ns1.example.com', hostmaster: 'hostmaster@example.com', serial: 1 };
  const zone = (props: Partial<DnsZoneProps>) => new DnsZone(new Chart(Testing.app(), 'platform'), 'Zone', { zoneName: 'example.com', soa, ...props });

  test('a name server inside the zone gets its A and AAAA records, sorted with the others', () => {
    const text = zone({ nameServers: ['ns1.example.com', 'ns2.example.net'], nameServerAddresses: { 'ns1.example.com': ['192.0.2.53', '2001:db8::53'] } }).render();
    expect(text).toContain('@ IN NS ns1.example.com.\n@ IN NS ns2.example.net.\nns1 300 IN A 192.0.2.53\nns1 300 IN AAAA 2001:db8::53\n');
  });

  test('refuses an in-zone name server without glue, glue for an outside or unknown one, and empty glue', () => {
    expect(errorOf(() => zone({ nameServers: ['ns1.example.com'] })).message)
      .toContain('\'nameServerAddresses\' ({}) has no address for ns1.example.com, a name server inside the zone example.com: without glue no resolver can reach it, and named-checkzone refuses the zone; give its addresses');
    expect(errorOf(() => zone({ nameServers: ['ns1.example.net'], nameServerAddresses: { 'ns1.example.net': ['192.0.2.53'] } })).message)
      .toContain('is glue for ns1.example.net, which is outside the zone example.com');
    expect(errorOf(() => zone({ nameServers: ['ns1.example.net'], nameServerAddresses: { 'ns9.example.com': ['192.0.2.53'] } })).message)
      .toContain('names no name server of the zone (ns1.example.net)');
    expect(errorOf(() => zone({ nameServers: ['ns1.example.com'], nameServerAddresses: { 'ns1.example.com': [] } })).message).toContain('is empty');
    expect(errorOf(() => zone({ nameServers: ['ns1.example.com'], nameServerAddresses: { 'ns1.example.com': ['192.0.2'] } })).message).toContain('nameServerAddresses');
  });
});

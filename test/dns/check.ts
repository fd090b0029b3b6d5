/**
 * DNS checks of what `npm run synth` wrote into dist/, with the real tools: every complete zone
 * file passes named-checkzone and is served by a real BIND named on a loopback port, which must
 * answer each declared name with its address and NXDOMAIN for a name that was not declared; a
 * zone fragment is checked $INCLUDEd in a zone of its own; every CloudFormation template passes
 * cfn-lint. Started by `npm run test:dns` through test/run-with-tools.sh.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Checks, freePort, requireEnv } from '../_harness';

const DIST = path.resolve(process.env.DNS_DIST ?? path.join(__dirname, '..', '..', 'dist'));
const checks = new Checks();
const check = (name: string, ok: boolean, detail?: string) => checks.check(name, ok, detail);
const env = (name: string) => requireEnv(name, 'npm run test:dns');

interface Zone {
  readonly origin: string;
  readonly file: string;
  readonly records: Array<{ name: string; type: string; value: string }>;
  /** The zone's name servers (NS at the apex). */
  readonly nameServers: string[];
}

/** The origin and address records of a zone file this library wrote. */
function readZone(file: string): Zone {
  const text = fs.readFileSync(file, 'utf8');
  const origin = /^\$ORIGIN (\S+)\.$/m.exec(text)?.[1] ?? '';
  const records = [...text.matchAll(/^(\S+) \d+ IN (A|AAAA) (\S+)$/gm)].map(([, owner, type, value]) => ({
    name: owner.endsWith('.') ? owner.slice(0, -1) : owner === '@' ? origin : `${owner}.${origin}`, type, value,
  }));
  const nameServers = [...text.matchAll(/^@ IN NS (\S+)\.$/gm)].map(m => m[1]);
  return { origin, file, records, nameServers };
}

function dig(port: number, name: string, type: string): { status: string; answers: string[] } {
  const r = spawnSync(env('DIG'), ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=2', '+norecurse', name, type], { encoding: 'utf8', timeout: 15_000 });
  const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? `no answer (${r.stderr.trim() || r.status})`;
  const answers = r.stdout.split(';; ANSWER SECTION:')[1]?.split('\n\n')[0].trim().split('\n').filter(Boolean)
    .map(l => l.split(/\s+/).slice(-1)[0]) ?? [];
  return { status, answers };
}

async function serve(zones: Zone[], work: string): Promise<{ port: number; named: ChildProcess; stop: () => void }> {
  const port = await freePort();
  const conf = path.join(work, 'named.conf');
  fs.writeFileSync(conf, [
    `options { directory "${work}"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };`,
    '  pid-file none; recursion no; notify no; dnssec-validation no; };',
    ...zones.map(z => `zone "${z.origin}" { type primary; file "${z.file}"; };`),
    '',
  ].join('\n'));
  const named = spawn(env('NAMED'), ['-g', '-c', conf, ...(process.getuid?.() === 0 ? ['-u', 'root'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  named.stderr!.on('data', c => (log += c));
  named.stdout!.on('data', c => (log += c));
  const stop = () => named.exitCode === null && named.kill('SIGKILL');
  process.on('exit', stop);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !/running$/m.test(log)) {
    if (named.exitCode !== null) {
      throw new Error(`named exited:\n${log.slice(-2000)}`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
  if (!/running$/m.test(log)) {
    stop();
    throw new Error(`named did not start in 20 s:\n${log.slice(-2000)}`);
  }
  return { port, named, stop };
}

/** The VIP address that the platform chart in `dir` pins: what every record must point at. */
function vipAddress(dir: string): string {
  const text = fs.readFileSync(path.join(dir, 'platform.k8s.yaml'), 'utf8');
  return /loadBalancerIPs: (\S+)/i.exec(text)?.[1] ?? '(no VIP address in platform.k8s.yaml)';
}

/**
 * A second output: a zone fragment that two apps behind one VIP publish into, and a complete
 * zone whose name servers are inside it, with their glue.
 */
function synthFragment(dir: string): void {
  const { Chart } = require('cdk8s');
  const lib: typeof import('../../lib') = require('../../lib');
  const app = new lib.WebStackApp({ outdir: dir });
  const platform = new Chart(app, 'platform');
  const vip = new lib.IngressVip(platform, 'IngressVip', { address: '198.51.100.7' });
  const zone = new lib.DnsZone(platform, 'Zone', { zoneName: 'apps.example.org' });
  for (const name of ['wiki', 'chat']) {
    new lib.WebApp(new Chart(app, name), name, {
      entryPoint: vip, image: `registry.example.com/team/${name}:1.0.0`, host: `${name}.apps.example.org`, dns: { provider: lib.DnsProvider.zoneFile(zone) },
    });
  }
  const lab = new lib.DnsZone(platform, 'LabZone', {
    zoneName: 'lab.example.org',
    soa: { primaryNameServer: 'ns1.lab.example.org', hostmaster: 'hostmaster@example.org', serial: 2026120301 },
    nameServers: ['ns1.lab.example.org', 'ns2.lab.example.org'],
    nameServerAddresses: { 'ns1.lab.example.org': ['198.51.100.53'], 'ns2.lab.example.org': ['198.51.100.54', '2001:db8::54'] },
  });
  new lib.WebApp(new Chart(app, 'lab'), 'lab', {
    entryPoint: vip, image: 'registry.example.com/team/lab:1.0.0', host: 'lab.example.org', dns: { provider: lib.DnsProvider.zoneFile(lab) },
  });
  app.synth();
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-dns-'));
  const fragmentDist = path.join(work, 'fragment-dist');
  synthFragment(fragmentDist);
  try {
    const zoneFiles = [
      ...fs.readdirSync(DIST).filter(f => f.endsWith('.zone')).sort().map(f => ({ dir: DIST, f })),
      ...fs.readdirSync(fragmentDist).filter(f => f.endsWith('.zone')).map(f => ({ dir: fragmentDist, f })),
    ];
    check('dist/ holds at least one zone file', zoneFiles.some(z => z.dir === DIST));
    const zones: Zone[] = [];
    for (const { dir, f } of zoneFiles) {
      const source = path.join(dir, f);
      let zone = readZone(source);
      if (!zone.origin) {
        // A fragment: check it $INCLUDEd in a minimal zone of its own.
        const origin = path.basename(f, '.zone');
        const wrapper = path.join(work, f);
        fs.writeFileSync(wrapper, `$ORIGIN ${origin}.\n$TTL 300\n@ IN SOA ns1.example.net. hostmaster.example.net. ( 1 3600 600 1209600 300 )\n@ IN NS ns1.example.net.\n$INCLUDE ${source}\n`);
        zone = { ...readZone(source), origin, file: wrapper };
      }
      const r = spawnSync(env('NAMED_CHECKZONE'), ['-k', 'fail', '-n', 'fail', '-m', 'fail', '-M', 'fail', '-S', 'fail', zone.origin, zone.file], { encoding: 'utf8' });
      check(`named-checkzone ${zone.origin} (${f}, ${zone.records.length} address records)`, r.status === 0 && zone.records.length > 0, r.stdout + r.stderr);
      const address = vipAddress(dir);
      // The glue of in-zone name servers is theirs; every other record is an app's.
      const stray = zone.records.filter(rec => rec.value !== address && !zone.nameServers.includes(rec.name));
      check(`every record of ${zone.origin} points at the VIP ${address}`, stray.length === 0, JSON.stringify(stray));
      const inZone = zone.nameServers.filter(ns => ns.endsWith(`.${zone.origin}`));
      if (inZone.length > 0) {
        check(`${zone.origin}: its in-zone name servers ${inZone.join(', ')} have glue`, inZone.every(ns => zone.records.some(rec => rec.name === ns)), JSON.stringify(zone.records));
        // The control: the same zone without its glue, which the library refuses to write, is refused by named-checkzone too.
        const bare = path.join(work, `${zone.origin}.no-glue.zone`);
        const glue = new Set(inZone.map(ns => ns.slice(0, -zone.origin.length - 1)));
        fs.writeFileSync(bare, fs.readFileSync(zone.file, 'utf8').split('\n').filter(l => !glue.has(l.split(' ')[0])).join('\n'));
        const refused = spawnSync(env('NAMED_CHECKZONE'), ['-k', 'fail', '-n', 'fail', '-m', 'fail', '-M', 'fail', '-S', 'fail', zone.origin, bare], { encoding: 'utf8' });
        check(`named-checkzone refuses ${zone.origin} without its glue (${(refused.stdout + refused.stderr).split('\n').find(l => /has no address|not found/.test(l))?.trim() ?? 'no message'})`, refused.status !== 0, refused.stdout + refused.stderr);
      }
      zones.push(zone);
    }

    const server = await serve(zones, work);
    try {
      for (const zone of zones) {
        for (const record of zone.records) {
          const answer = dig(server.port, record.name, record.type);
          check(`dig ${record.name} ${record.type} -> ${record.value}`, answer.status === 'NOERROR' && answer.answers.join(',') === record.value,
            `status ${answer.status}, answers ${answer.answers.join(',')}`);
        }
        const missing = `not-declared.${zone.origin}`;
        const answer = dig(server.port, missing, 'A');
        check(`dig ${missing} A -> NXDOMAIN`, answer.status === 'NXDOMAIN', `status ${answer.status}`);
      }
    } finally {
      server.stop();
    }

    const templates = fs.readdirSync(DIST).filter(f => f.endsWith('.template.json')).sort();
    check('dist/ holds at least one CloudFormation template', templates.length > 0);
    for (const t of templates) {
      const r = spawnSync(env('CFN_LINT'), ['--regions', 'us-east-1', '--', path.join(DIST, t)], { encoding: 'utf8' });
      check(`cfn-lint ${t}`, r.status === 0, r.stdout + r.stderr);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  checks.finish();
}

setTimeout(() => {
  console.error('dns checks: gave up after 5 minutes');
  process.exit(2);
}, 5 * 60_000).unref();
main().catch(error => {
  console.error(error);
  checks.finish(1);
});

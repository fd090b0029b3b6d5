import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { transformSync } from 'esbuild';
import {
  DnsProvider, DnsRecordType, DnsZone, EnvValue, Gateway, GatewayAddressMode, GatewayImplementation, IngressController, IngressVip, VipAddressMode, WebApp, WebStackApp,
} from '../lib';
import { IMAGE, kind as kindOf, webApp } from './_fixtures';

/** The inputs behind each row of the README's "What bad input gets" table. */
export const BAD_INPUT: Record<string, () => unknown> = {
  'an image tagged `latest`': () => webApp({ image: 'registry.example.com/team/shop:latest' }),
  'an image with no registry': () => webApp({ image: 'shop:1.4.2' }),
  'a host with an underscore': () => webApp({ host: 'my_shop.example.com' }),
  'min replicas above max': () => webApp({ autoscaling: { minReplicas: 11, maxReplicas: 10 } }),
  'a memory request above its limit': () => webApp({ resources: { memory: { request: '2Gi', limit: '1Gi' } } }),
  'a bad quantity': () => webApp({ resources: { cpu: { request: '1.5.0' } } }),
  'port 0': () => webApp({ port: 0 }),
  'an env name with a hyphen': () => webApp({ env: { 'log-level': EnvValue.fromValue('debug') } }),
  'an A record for an IPv6 VIP': () => webApp({ dns: { recordType: DnsRecordType.A } }, { address: '2001:db8::10' }),
  'a bad VIP address': () => webApp({}, { address: '192.0.2.300' }),
  'a body size behind a Gateway': () => {
    const app = Testing.app();
    const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', { implementation: GatewayImplementation.envoyGateway(), address: '192.0.2.20' });
    new WebApp(new Chart(app, 'web'), 'shop', { entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route: { proxyBodySize: '8m' } });
  },
  'an option the ingress controller cannot express': () => webApp({ route: { proxyBodySize: '8m' } }, { address: '192.0.2.10', controller: IngressController.haproxy() }),
  'a read timeout of 0, which nginx takes as zero seconds': () => webApp({ route: { proxyReadTimeoutSeconds: 0 } }),
  'two apps on one host and path': () => {
    const { vip, chart } = webApp();
    new WebApp(chart, 'shop-v2', { entryPoint: vip, image: IMAGE, host: 'shop.example.com' });
  },
  'a misspelt prop from JavaScript': () => webApp({ autoscalling: { maxReplicas: 5 } } as any),
  'the enum key instead of its value': () => webApp({}, { address: '192.0.2.10', addressMode: 'METALLB' as VipAddressMode }),
  'a string where an object goes': () => webApp({ namespace: 'payments' } as any),
  'a system namespace': () => webApp({ namespace: { name: 'kube-system', create: false } }),
  'a route path with `//`': () => webApp({ route: { paths: ['/api//v1'] } }),
  'a CIDR with host bits set': () => webApp({ networkPolicy: { allowFrom: [{ cidr: '10.1.2.3/8' }] } }),
  'two zone files of one name (at synth)': () => {
    const app = new WebStackApp({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-')), 'dist') });
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    for (const name of ['shop', 'blog']) {
      const chart = new Chart(app, name);
      const zone = new DnsZone(chart, 'Zone', { zoneName: 'example.com' });
      new WebApp(chart, name, { entryPoint: vip, image: IMAGE, host: `${name}.example.com`, dns: { provider: DnsProvider.zoneFile(zone) } });
    }
    app.synth();
  },
  'two apps with one name in one namespace (at synth)': () => {
    const app = Testing.app();
    const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
    const chart = new Chart(app, 'web');
    new WebApp(chart, 'shop', { entryPoint: vip, image: IMAGE, host: 'shop.example.com' });
    new WebApp(chart, 'shop-copy', { entryPoint: vip, name: 'shop', image: IMAGE, host: 'copy.example.com' });
    Testing.synth(chart);
  },
  'a patch on a misspelt field (at synth)': () => {
    const { chart, web } = webApp();
    web.workload.addJsonPatch(JsonPatch.replace('/spec/replica', 3));
    Testing.synth(chart);
  },
};

function messageOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message.replace(/^Validation failed with the following errors:\n\s+/, '');
  }
  return '(nothing was thrown)';
}

describe('README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

  test('its contents list every section in order, each link the anchor GitHub gives the heading', () => {
    const headings = readme.split('\n').filter(l => l.startsWith('## ') && l !== '## Contents').map(l => l.slice(3));
    const anchor = (h: string) => h.toLowerCase().replace(/`/g, '').replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
    const contents = readme.split('## Contents\n\n')[1].split('\n\n')[0].split('\n');
    expect(contents).toEqual(headings.map(h => `- [${h}](#${anchor(h)})`));
  });
  const section = readme.split('## What bad input gets')[1]?.split('\n## ')[0] ?? '';
  const rows = [...section.matchAll(/^\| (.+?) \| `(.+)` \|$/gm)].map(m => [m[1], m[2]] as const);

  test('"What bad input gets" lists every case, each with its real message, verbatim', () => {
    expect(rows.map(([input]) => input)).toEqual(Object.keys(BAD_INPUT));
    for (const [input, message] of rows) {
      expect(`${input}: ${message}`).toBe(`${input}: ${messageOf(BAD_INPUT[input])}`);
    }
  });

  test('the quick start runs and writes the files it names', () => {
    const code = readme.split('## Quick start')[1].split('```ts')[1].split('```')[0];
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quickstart-')), 'dist');
    const program = code
      .replace("from 'cdk8s-webstack'", `from ${JSON.stringify(path.join(__dirname, '..', 'lib'))}`)
      .replace('new WebStackApp()', `new WebStackApp({ outdir: ${JSON.stringify(outdir)} })`);
    const { code: js } = transformSync(program, { loader: 'ts', format: 'cjs' });
    new Function('require', js)(require);
    const named = /app\.synth\(\); \/\/ (.*)$/m.exec(code)![1].split(', ').map(f => f.replace('dist/', ''));
    expect(fs.readdirSync(outdir).sort()).toEqual(named.sort());
  });

  describe('the long-lived connections tables say what each preset writes', () => {
    const longLived = readme.split('### Long-lived connections')[1].split('\n### ')[0];
    const [ingressTable, gatewayTable] = longLived.split('Gateway API implementations:');
    /** `preset` -> the cells after the preset's, for each row of a table. */
    const rows = (table: string) => [...table.matchAll(/^\| `(\w+)\(\)` \| (.*) \|$/gm)].map(m => [m[1], m[2].split(' | ')] as const);

    test.each(rows(ingressTable))('IngressController.%s()', (preset, cells) => {
      const controller = (IngressController as any)[preset]() as IngressController;
      const annotations = (route: object) => kindOf(webApp({ route }, { address: '192.0.2.10', controller }).chart, 'Ingress').metadata.annotations ?? {};
      const before = annotations({});
      const written = Object.fromEntries(Object.entries(annotations({ longLivedConnections: true })).filter(([k, v]) => before[k] !== v));
      const documented = Object.fromEntries([...cells[2].matchAll(/`([\w./-]+): ([^`]+)`/g)]
        .map(([, key, value]) => [key, value.replace(/^"(.*)"$/, '$1').replace('<the app\'s Service>', 'shop')]));
      expect(written).toEqual(documented);
    });

    test.each(rows(gatewayTable))('GatewayImplementation.%s()', (preset, cells) => {
      const implementation = (GatewayImplementation as any)[preset]() as GatewayImplementation;
      const build = () => {
        const app = Testing.app();
        const gateway = new Gateway(new Chart(app, 'platform'), 'Gateway', {
          implementation, address: '192.0.2.20', ...(implementation.copiesInfrastructureAnnotations ? {} : { addressMode: GatewayAddressMode.PINNED_ELSEWHERE }),
        });
        const chart = new Chart(app, 'web');
        new WebApp(chart, 'shop', {
          entryPoint: gateway, image: IMAGE, host: 'shop.example.com', route: { longLivedConnections: true }, ...(gateway.dataPlane ? {} : { networkPolicy: false }),
        });
        return kindOf(chart, 'HTTPRoute').spec.rules[0].timeouts;
      };
      const written = (() => {
        try {
          return build() ?? 'nothing';
        } catch (error) {
          return /'route.longLivedConnections' \(true\) cannot be written on an HTTPRoute/.test((error as Error).message) ? 'an error' : error;
        }
      })();
      const documented = cells[1].startsWith('`timeouts.request: 0s`') ? { request: '0s' } : cells[1].split(':')[0];
      expect(written).toEqual(documented);
    });
  });

  if (process.env.PRINT_README_TABLE) {
    test('print', () => {
      console.log(Object.entries(BAD_INPUT).map(([input, build]) => `| ${input} | \`${messageOf(build)}\` |`).join('\n'));
    });
  }
});

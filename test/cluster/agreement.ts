/**
 * Where the library and the API server must agree on what is valid: seeded inputs around the
 * API server's own rules (cron schedules by robfig/cron's standard parser, time zones from the tz
 * database, CronJob name lengths), each given to the library and, as a raw object, to the server
 * (server-side dry run). The library must accept exactly what the server accepts: what it
 * accepts is applied as it synthesizes it, what it refuses is applied as a bare CronJob.
 */
import { Chart, Testing } from 'cdk8s';
import { seeded } from '../_harness';

type Check = (name: string, ok: boolean, detail?: string) => void;
type Kubectl = (args: string[], input?: string) => { status: number; stderr: string };

const FIELDS = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'Feb', 'DEC', 'foo'] }, { min: 0, max: 6, names: ['sun', 'Mon', 'SAT', 'sunday'] },
];

/** Schedules near the edges of each field: out-of-range values, 7 for Sunday, reversed ranges, zero steps. */
export function schedules(count: number, seed: number): string[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  // Mostly values within range, so that whole schedules are often valid; the edges a tenth of the time.
  const value = (f: typeof FIELDS[number]) => (f.names && random() < 0.2 ? pick(f.names)
    : String(random() < 0.1 ? pick([f.min - 1, f.max + 1]) : random() < 0.2 ? pick([f.min, f.max]) : Math.floor(f.min + random() * (f.max - f.min + 1))));
  const item = (f: typeof FIELDS[number]): string => {
    const r = random();
    if (r < 0.35) return pick(['*', '?']);
    if (r < 0.55) return value(f);
    if (r < 0.65) return `${value(f)}-${value(f)}`;
    if (r < 0.85) return `${pick(['*', value(f), `${value(f)}-${value(f)}`])}/${pick([0, 1, 2, 7, 15, 60])}`;
    return `${value(f)},${value(f)}`;
  };
  const out = ['0 0 * * 7', '0 0 * * 0-7', '0 0 * * 5-7', '@daily', '@weekly', '@yearly', '0 0 * *', '0 0 * * * *', '* * * * *'];
  while (out.length < count) {
    out.push(FIELDS.map(item).join(' '));
  }
  return out;
}

export const TIME_ZONES = [
  'UTC', 'Etc/UTC', 'Europe/Berlin', 'europe/berlin', 'EUROPE/BERLIN', 'America/Argentina/Buenos_Aires', 'US/Pacific', 'us/pacific',
  'Etc/GMT+5', 'Etc/GMT+15', 'EST5EDT', 'Local', 'local', 'Mars/Base', 'Europe/Nowhere', 'zone.tab', 'Europe', '-UTC', 'Europe/../UTC',
  'VeryLongZoneNamePart/X', 'Asia/Calcutta', 'Asia/Kolkata', 'Factory',
];

function bareCronJob(name: string, schedule: string, timeZone?: string): object {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: {
      schedule, ...(timeZone !== undefined ? { timeZone } : {}),
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'registry.example.com/c:1' }] } } } },
    },
  };
}

/** The library's CronJob for the job, or the message it refuses it with. */
function synthesized(job: { name: string; schedule: string; timeZone?: string }): { doc?: any; refusal?: string } {
  const lib: typeof import('../../lib') = require('../../lib');
  const app = Testing.app();
  const vip = new lib.IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  try {
    const chart = new Chart(app, 'c');
    new lib.WebApp(chart, 'shop', { entryPoint: vip, image: 'registry.example.com/team/app:1.0.0', host: 'shop.example.com', dns: false, scheduledJobs: [job] });
    const doc = lib.synthManifests(chart).find((d: any) => d.kind === 'CronJob');
    return { doc: { ...doc, metadata: { ...doc.metadata, namespace: 'default' } } };
  } catch (error) {
    if (error instanceof lib.WebStackError) {
      return { refusal: error.message };
    }
    throw error;
  }
}

export function agreeWithServer(version: string, kubectl: Kubectl, apply: string[], check: Check): void {
  const cases: Array<{ what: string; job: { name: string; schedule: string; timeZone?: string } }> = [
    ...schedules(150, 20261203).map(schedule => ({ what: `schedule "${schedule}"`, job: { name: 'nightly', schedule } })),
    ...TIME_ZONES.map(timeZone => ({ what: `time zone "${timeZone}"`, job: { name: 'nightly', schedule: '@daily', timeZone } })),
    // shop-<name>: 46 to 48 characters of name make CronJob names of 51 to 53.
    ...[46, 47, 48].map(n => ({ what: `CronJob name of ${n + 5} characters`, job: { name: 'x'.repeat(n), schedule: '@daily' } })),
  ];
  const disagreements: string[] = [];
  let accepted = 0;
  for (const { what, job } of cases) {
    const ours = synthesized(job);
    const manifest = ours.doc ?? bareCronJob(`shop-${job.name}`, job.schedule, job.timeZone);
    const server = kubectl([...apply, '--dry-run=server', '-f', '-'], JSON.stringify(manifest));
    accepted += server.status === 0 ? 1 : 0;
    if ((ours.doc !== undefined) !== (server.status === 0)) {
      disagreements.push(`${what}: the library ${ours.doc ? 'accepts it' : `refuses it (${ours.refusal})`}, the server ${server.status === 0 ? 'accepts it' : `refuses it: ${server.stderr.trim().split('\n').pop()}`}`);
    }
  }
  check(`${version}: the library accepts exactly the CronJobs the server accepts (${cases.length} schedules, time zones and names; the server took ${accepted})`,
    disagreements.length === 0, disagreements.join('\n'));
}

import * as fs from 'fs';
import * as path from 'path';
import { errorAt, Where } from '../core/errors';

// A CronJob's schedule and time zone, as the API server validates them
// (pkg/apis/batch/validation: robfig/cron's standard parser, the tz database, 52-character names).

/** The longest CronJob name: the API server adds 11 characters to name each Job. */
export const CRON_JOB_NAME_LIMIT = 52;

const MACRO = /^@(hourly|daily|midnight|weekly|monthly|yearly|annually)$/;
/** The five fields' ranges, as robfig/cron's standard parser reads them; months and weekdays may be named. */
const FIELDS: Array<{ min: number; max: number; names?: string[] }> = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  // 0 to 6: unlike some crons, the parser takes no 7 for Sunday.
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Fails unless `schedule` is a macro or five fields of values, ranges, lists and steps within range. */
export function checkSchedule(where: Where, prop: string, schedule: string): void {
  if (!validSchedule(schedule.trim())) {
    throw errorAt(where, prop, schedule, 'is not a cron schedule the API server takes',
      'write five fields (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6 with 0 for Sunday), e.g. \'30 2 * * *\', or \'@daily\'');
  }
}

function validSchedule(schedule: string): boolean {
  if (MACRO.test(schedule)) {
    return true;
  }
  const fields = schedule.split(/\s+/);
  return fields.length === 5 && fields.every((field, i) => field.split(',').every(item => {
    const { min, max, names } = FIELDS[i];
    const value = (v: string) => {
      const named = names?.indexOf(v.toLowerCase()) ?? -1;
      const n = named >= 0 ? named + min : /^\d+$/.test(v) ? Number(v) : NaN;
      return n >= min && n <= max ? n : NaN;
    };
    const [range, step, ...more] = item.split('/');
    if (more.length > 0 || (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1))) {
      return false;
    }
    if (range === '*' || range === '?') {
      return true;
    }
    const [from, to, ...beyond] = range.split('-');
    return beyond.length === 0 && !Number.isNaN(value(from)) && (to === undefined || value(to) >= value(from));
  }));
}

/** A part of a zone's name, as the API server allows it before it looks the zone up. */
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * Fails unless `zone` is a time zone the API server finds: a name of the tz database (in its
 * case), not `Local` (the server's own zone, which it refuses).
 */
export function checkTimeZone(where: Where, prop: string, zone: string): void {
  const fix = 'write an IANA time zone name as the tz database spells it, e.g. \'Europe/Berlin\' or \'UTC\'';
  if (zone.split('/').some(part => part === '.' || part === '..' || part.startsWith('-') || !ZONE_PART.test(part))) {
    throw errorAt(where, prop, zone, 'is not an IANA time zone name', fix);
  }
  if (zone.toLowerCase() === 'local') {
    throw errorAt(where, prop, zone, 'is the API server\'s own zone, which it refuses for a CronJob', fix);
  }
  if (!knownZone(zone)) {
    throw errorAt(where, prop, zone, 'is a zone the tz database does not have', fix);
  }
}

const ZONEINFO = '/usr/share/zoneinfo';

/**
 * Whether the tz database has `zone`: its file in this machine's database, as the API server's Go
 * reads one (case-sensitive, links included), or, on a machine without one, Node's ICU.
 */
function knownZone(zone: string): boolean {
  if (fs.existsSync(path.join(ZONEINFO, 'UTC'))) {
    try {
      const fd = fs.openSync(path.join(ZONEINFO, zone), 'r');
      try {
        const magic = Buffer.alloc(4);
        return fs.readSync(fd, magic, 0, 4, 0) === 4 && magic.toString('latin1') === 'TZif';
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return false;
    }
  }
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    // ICU ignores case; Go does not: a name ICU spells otherwise only in case is misspelt.
    return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}

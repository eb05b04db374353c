/**
 * Date, Datetime, Timestamp and Interval values for the offline script's
 * literals: JS values and ISO 8601 text read into YDB's units, range-checked
 * as YDB stores them, and written back in YDB's canonical form (see literal.ts).
 */
import type { YqlType } from './types.js';
import { invalid } from './literal-error.js';

const DAY_MS = 86_400_000;
/** YDB's bounds (exclusive): 2106-01-01, as days, seconds and microseconds since 1970-01-01. */
const MAX_DATE = 49_673;
const MAX_DATETIME = MAX_DATE * 86_400;
const MAX_TIMESTAMP = BigInt(MAX_DATETIME) * 1_000_000n;
const RANGE = 'outside 1970-01-01..2105-12-31, the range YDB stores';

export function dateDays(value: unknown, type: YqlType): number {
  let ms: number;
  if (value instanceof Date) {
    ms = validDateMs(value, type);
    if (ms % DAY_MS !== 0) throw invalid(value, type, 'has a time of day; a Date is a whole day at UTC midnight');
  } else if (typeof value === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) throw invalid(value, type, "write 'YYYY-MM-DD'");
    ms = civilMs(value, type, match.slice(1, 4).map(Number) as [number, number, number], [0, 0, 0]);
  } else {
    throw invalid(value, type, "expected a Date or a 'YYYY-MM-DD' string");
  }
  if (ms < 0 || ms >= MAX_DATE * DAY_MS) throw invalid(value, type, RANGE);
  return ms / DAY_MS;
}

export function datetimeSeconds(value: unknown, type: YqlType): number {
  const micros = instantMicros(value, type, false);
  if (micros % 1_000_000n !== 0n) throw invalid(value, type, 'has a fraction of a second; Datetime holds whole seconds (use Timestamp)');
  return Number(micros / 1_000_000n);
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Microseconds since 1970 of a Date or an ISO 8601 string, within YDB's range. */
export function instantMicros(value: unknown, type: YqlType, fractionAllowed: boolean): bigint {
  const form = `'YYYY-MM-DDTHH:MM:SS${fractionAllowed ? '[.ffffff]' : ''}Z' (or ±HH:MM for Z)`;
  let micros: bigint;
  if (value instanceof Date) {
    micros = BigInt(validDateMs(value, type)) * 1000n;
  } else if (typeof value === 'string') {
    const match = INSTANT.exec(value);
    if (!match) throw invalid(value, type, `write ${form}`);
    const [, year, month, day, hour, minute, second, fraction, zone] = match as unknown as string[];
    if (fraction !== undefined && (!fractionAllowed || fraction.length > 6)) {
      throw invalid(value, type, fractionAllowed ? 'more than 6 fractional digits; YDB keeps microseconds' : `write ${form}`);
    }
    const ms = civilMs(value, type, [+year!, +month!, +day!], [+hour!, +minute!, +second!]);
    micros = BigInt(ms - zoneOffsetMs(value, type, zone!)) * 1000n + BigInt((fraction ?? '').padEnd(6, '0'));
  } else {
    throw invalid(value, type, `expected a Date or a string ${form}`);
  }
  if (micros < 0n || micros >= MAX_TIMESTAMP) throw invalid(value, type, RANGE);
  return micros;
}

function validDateMs(value: Date, type: YqlType): number {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw invalid(value, type, 'it is an Invalid Date');
  return ms;
}

/** Milliseconds since 1970 of a civil date and time in UTC, refusing ones that do not exist (2023-02-30, 24:00:00). */
function civilMs(value: unknown, type: YqlType, [year, month, day]: [number, number, number], [hour, minute, second]: [number, number, number]): number {
  // Years before 100 would be read as 19xx by Date.UTC; they are out of range anyway.
  if (year < 1970 || year > 2105) throw invalid(value, type, RANGE);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  const exists =
    back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day &&
    back.getUTCHours() === hour && back.getUTCMinutes() === minute && back.getUTCSeconds() === second;
  if (!exists) throw invalid(value, type, 'no such date or time of day');
  return ms;
}

function zoneOffsetMs(value: unknown, type: YqlType, zone: string): number {
  if (zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) throw invalid(value, type, `${zone} is not a UTC offset`);
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

export function isoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

export function formatTimestamp(micros: bigint): string {
  const fraction = micros % 1_000_000n;
  const seconds = isoSeconds(Number(micros / 1_000_000n));
  return fraction === 0n ? `${seconds}Z` : `${seconds}.${String(fraction).padStart(6, '0')}Z`;
}

// ---- intervals -------------------------------------------------------------

const MICROS = { week: 604_800_000_000n, day: 86_400_000_000n, hour: 3_600_000_000n, minute: 60_000_000n, second: 1_000_000n };
/** YDB keeps |interval| below the Timestamp range. */
const MAX_INTERVAL = MAX_TIMESTAMP - 1n;
const DURATION = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,6}))?S)?)?$/;

export function intervalMicros(value: unknown, type: YqlType): bigint {
  let micros: bigint;
  if (typeof value === 'bigint') {
    micros = value;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value);
    // The T must have a part after it, and P must have something at all.
    if (!match || /T$/.test(value) || /^[+-]?P$/.test(value)) {
      throw invalid(value, type, "write an ISO 8601 duration such as 'P1DT2H30M' or '-PT0.5S' (weeks, days, hours, minutes, seconds; no years or months)");
    }
    const [, sign, weeks, days, hours, minutes, seconds, fraction] = match;
    const magnitude =
      BigInt(weeks ?? 0) * MICROS.week + BigInt(days ?? 0) * MICROS.day + BigInt(hours ?? 0) * MICROS.hour +
      BigInt(minutes ?? 0) * MICROS.minute + BigInt(seconds ?? 0) * MICROS.second + BigInt((fraction ?? '').padEnd(6, '0'));
    micros = sign === '-' ? -magnitude : magnitude;
  } else {
    throw invalid(value, type, "expected microseconds as a bigint (1500000n) or an ISO 8601 duration string ('PT1.5S')");
  }
  if (micros > MAX_INTERVAL || micros < -MAX_INTERVAL) throw invalid(value, type, `beyond ±${MAX_INTERVAL} microseconds (about 136 years), the range YDB stores`);
  return micros;
}

/** YDB's own spelling: `[-]P[nD][T[nH][nM][n[.f]S]]`, zero as `PT0S`. */
export function formatInterval(micros: bigint): string {
  let rest = micros < 0n ? -micros : micros;
  const take = (unit: bigint) => {
    const whole = rest / unit;
    rest -= whole * unit;
    return whole;
  };
  const [days, hours, minutes, seconds] = [take(MICROS.day), take(MICROS.hour), take(MICROS.minute), take(MICROS.second)];
  let time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
  if (seconds || rest || (!days && !hours && !minutes)) {
    time += `${seconds}${rest ? `.${String(rest).padStart(6, '0').replace(/0+$/, '')}` : ''}S`;
  }
  return `${micros < 0n ? '-' : ''}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

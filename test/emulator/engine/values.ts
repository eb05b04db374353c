/**
 * Values of YQL types in plain JS, and the conversions between them.
 * Representation by type: Bool → boolean; Int8..Int32, Uint8..Uint32, Float, Double → number;
 * Int64, Uint64 → bigint; String, Yson → Uint8Array; Utf8, Json, JsonDocument → string;
 * Uuid → lower-case canonical string; Date → days, Datetime → seconds (numbers);
 * Timestamp, Interval → microseconds (bigint); Decimal → scaled bigint; NULL → null.
 */
import {
  baseType, integerInfo, isFloating, isInteger, isSafeIntegerWidening, isStringLike, isTemporal, primitiveName,
  type PrimitiveName, type YqlType,
} from './types.js';

export type Value = boolean | number | bigint | string | Uint8Array | null;

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400n * MICROS_PER_SECOND;
/** YDB's date types end before 2106-01-01. */
const MAX_DATE_DAYS = 49_673;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** The text of valid UTF-8 bytes, or undefined. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- text → value

/** Parses the text of a typed literal (`Date("2017-11-27")`, `Int64("-9")`, ...); undefined if invalid. */
export function parseFromText(type: YqlType, text: string): Value | undefined {
  if (type.kind === 'decimal') return parseDecimal(text, type.precision, type.scale);
  const name = primitiveName(type);
  switch (name) {
    case undefined:
      return undefined;
    case 'Bool':
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : undefined;
    case 'Float':
    case 'Double': {
      const n = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+|inf|nan)$/i.test(text.trim()) ? Number(text.replace(/inf/i, 'Infinity')) : NaN;
      return Number.isNaN(n) && !/nan/i.test(text) ? undefined : name === 'Float' ? Math.fround(n) : n;
    }
    case 'String':
    case 'Yson':
      return utf8Bytes(text);
    case 'Utf8':
      return text;
    case 'Json':
    case 'JsonDocument':
      return isJson(text) ? text : undefined;
    case 'Uuid':
      return UUID_RE.test(text) ? text.toLowerCase() : undefined;
    case 'Date':
      return parseDate(text);
    case 'Datetime':
      return parseDatetime(text);
    case 'Timestamp':
      return parseTimestamp(text);
    case 'Interval':
      return parseInterval(text);
    default:
      return /^[+-]?\d+$/.test(text.trim()) ? fitInteger(BigInt(text.trim()), name) : undefined;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** An integer as the JS value of `name`, or undefined when out of range. */
export function fitInteger(n: bigint, name: PrimitiveName): Value | undefined {
  const info = integerInfo(name);
  if (!info || n < info.min || n > info.max) return undefined;
  return info.bits === 64 ? n : Number(n);
}

function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  const days = ms / 86_400_000;
  return days >= 0 && days < MAX_DATE_DAYS ? days : undefined;
}

function parseDatetime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  const days = m ? parseDate(m[1]!) : undefined;
  if (!m || days === undefined || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return undefined;
  return days * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

function parseTimestamp(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(text);
  const seconds = m ? parseDatetime(`${m[1]}Z`) : undefined;
  if (!m || seconds === undefined) return undefined;
  return BigInt(seconds) * MICROS_PER_SECOND + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
}

/** ISO 8601 durations without years and months (YQL's Interval has none): `P1DT2H`, `-PT0.5S`, `P2W`. */
function parseInterval(text: string): bigint | undefined {
  const m = /^(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,6}))?S)?)?$/.exec(text);
  if (!m || text.endsWith('P') || text.endsWith('T')) return undefined;
  const [, minus, w, d, h, min, s, frac] = m;
  const n = (x: string | undefined): bigint => BigInt(x ?? '0');
  const micros =
    (n(w) * 7n + n(d)) * MICROS_PER_DAY +
    (n(h) * 3600n + n(min) * 60n + n(s)) * MICROS_PER_SECOND +
    BigInt((frac ?? '').padEnd(6, '0') || '0');
  return minus ? -micros : micros;
}

/** Decimal text → scaled bigint, rounding extra fraction digits half away from zero. */
export function parseDecimal(text: string, precision: number, scale: number): bigint | undefined {
  const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = m[3] ?? '';
  let scaled = BigInt(m[2]! + frac.slice(0, scale).padEnd(scale, '0'));
  if (frac.length > scale && Number(frac[scale]) >= 5) scaled += 1n;
  if (scaled >= 10n ** BigInt(precision)) return undefined;
  return m[1] === '-' ? -scaled : scaled;
}

// ---------------------------------------------------------------- value → text

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatDecimal(scaled: bigint, scale: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function formatTimestampMicros(micros: bigint, withFraction: boolean): string {
  const ms = Number(micros / 1000n);
  const iso = new Date(ms).toISOString().slice(0, 19);
  const frac = micros % MICROS_PER_SECOND;
  return `${iso}${withFraction && frac !== 0n ? `.${pad(frac, 6)}` : ''}Z`;
}

function formatInterval(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  let rest = micros < 0n ? -micros : micros;
  const days = rest / MICROS_PER_DAY;
  rest %= MICROS_PER_DAY;
  const h = rest / (3600n * MICROS_PER_SECOND);
  rest %= 3600n * MICROS_PER_SECOND;
  const m = rest / (60n * MICROS_PER_SECOND);
  rest %= 60n * MICROS_PER_SECOND;
  const s = rest / MICROS_PER_SECOND;
  const frac = rest % MICROS_PER_SECOND;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || frac ? `${s}${frac ? `.${pad(frac, 6).replace(/0+$/, '')}` : ''}S` : ''}`;
  return `${sign}P${days ? `${days}D` : ''}${time ? `T${time}` : days ? '' : 'T0S'}`;
}

/** The canonical text of a non-null value, as CAST(x AS Utf8) gives it. */
export function formatAsText(type: YqlType, v: Value): string {
  const t = baseType(type);
  if (t.kind === 'decimal') return formatDecimal(v as bigint, t.scale);
  switch (primitiveName(t)) {
    case 'String':
    case 'Yson':
      return Buffer.from(v as Uint8Array).toString('utf8');
    case 'Date':
      return new Date((v as number) * 86_400_000).toISOString().slice(0, 10);
    case 'Datetime':
      return formatTimestampMicros(BigInt(v as number) * MICROS_PER_SECOND, false);
    case 'Timestamp':
      return formatTimestampMicros(v as bigint, true);
    case 'Interval':
      return formatInterval(v as bigint);
    default:
      return String(v);
  }
}

// ---------------------------------------------------------------- comparison and keys

/** Microseconds since the epoch of a Date/Datetime/Timestamp value. */
export function temporalMicros(name: PrimitiveName, v: Value): bigint {
  if (name === 'Date') return BigInt(v as number) * MICROS_PER_DAY;
  if (name === 'Datetime') return BigInt(v as number) * MICROS_PER_SECOND;
  return v as bigint;
}

export function fromMicros(name: PrimitiveName, micros: bigint): Value | undefined {
  const v = name === 'Date' ? micros / MICROS_PER_DAY : name === 'Datetime' ? micros / MICROS_PER_SECOND : micros;
  const maxMicros = BigInt(MAX_DATE_DAYS) * MICROS_PER_DAY;
  if (micros < 0n || micros >= maxMicros) return undefined;
  return name === 'Timestamp' ? v : Number(v);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

const sign = (x: number | bigint): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * Orders two non-null values of comparable types (checked at compile time).
 * Mixed numeric types compare by value; String and Utf8 by bytes; dates on one time line.
 */
export function compareValues(aType: YqlType, a: Value, bType: YqlType, b: Value): number {
  const an = primitiveName(aType);
  const bn = primitiveName(bType);
  const ab = baseType(aType);
  const bb = baseType(bType);
  if (ab.kind === 'decimal' && bb.kind === 'decimal') {
    const diff = ab.scale - bb.scale;
    const x = diff < 0 ? (a as bigint) * 10n ** BigInt(-diff) : (a as bigint);
    const y = diff > 0 ? (b as bigint) * 10n ** BigInt(diff) : (b as bigint);
    return sign(x - y);
  }
  if (isInteger(an) && isInteger(bn)) return sign(BigInt(a as number | bigint) - BigInt(b as number | bigint));
  if ((isInteger(an) || isFloating(an)) && (isInteger(bn) || isFloating(bn))) return sign(Number(a) - Number(b));
  if (isStringLike(an) || an === 'Yson') return compareBytes(asBytes(a), asBytes(b));
  if (isTemporal(an) && isTemporal(bn)) return sign(temporalMicros(an!, a) - temporalMicros(bn!, b));
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' || typeof a === 'number') return sign((a as number) - (b as number));
  return a === b ? 0 : String(a) < String(b) ? -1 : 1;
}

function asBytes(v: Value): Uint8Array {
  return typeof v === 'string' ? utf8Bytes(v) : (v as Uint8Array);
}

/** NULL sorts first, as in YDB keys and ORDER BY ... ASC. */
export function compareNullable(aType: YqlType, a: Value, bType: YqlType, b: Value): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  return compareValues(aType, a, bType, b);
}

/** A string that identifies a primary key value (values already converted to the key columns' types). */
export function encodeKey(values: Value[]): string {
  return JSON.stringify(values, (_k, v: unknown) =>
    typeof v === 'bigint' ? `n${v}` : v instanceof Uint8Array ? `b${Buffer.from(v).toString('hex')}` : typeof v === 'string' ? `s${v}` : v,
  );
}

// ---------------------------------------------------------------- conversions

/** Converts a non-null value; undefined when this value does not fit the target type. */
export type Converter = (v: Exclude<Value, null>) => Value | undefined;

const same: Converter = (v) => v;

/**
 * Implicit conversion of a value to a column's type on write, as YDB does it:
 * literals convert when the value fits (an integer into any integer column, a
 * String literal into Utf8 when it is valid UTF-8); other values only widen
 * safely. Undefined when the types never convert.
 */
export function implicitConverter(from: YqlType, to: YqlType, isLiteral: boolean): Converter | undefined {
  const src = baseType(from);
  if (src.kind === 'null') return same;
  if (src.kind === 'decimal' || to.kind === 'decimal') {
    return src.kind === 'decimal' && to.kind === 'decimal' && src.precision === to.precision && src.scale === to.scale ? same : undefined;
  }
  const fromName = primitiveName(src)!;
  const toName = primitiveName(to)!;
  if (fromName === toName) return same;
  if (isInteger(fromName) && isInteger(toName)) {
    return isLiteral || isSafeIntegerWidening(fromName, toName) ? (v) => fitInteger(BigInt(v as number | bigint), toName) : undefined;
  }
  if (isInteger(fromName) && isFloating(toName)) {
    return isLiteral || integerInfo(fromName)!.bits <= 32 ? (v) => Number(v) : undefined;
  }
  if (fromName === 'Float' && toName === 'Double') return same;
  if (fromName === 'Double' && toName === 'Float' && isLiteral) return (v) => Math.fround(v as number);
  if (fromName === 'String' && toName === 'Utf8' && isLiteral) return (v) => decodeUtf8(v as Uint8Array);
  if (fromName === 'Utf8' && toName === 'String') return (v) => utf8Bytes(v as string);
  if (isTemporal(fromName) && isTemporal(toName) && temporalRank(fromName) < temporalRank(toName)) {
    return (v) => fromMicros(toName, temporalMicros(fromName, v));
  }
  return undefined;
}

function temporalRank(name: PrimitiveName): number {
  return ['Date', 'Datetime', 'Timestamp'].indexOf(name);
}

/** Whether CAST(x AS to) type-checks for x of type `from`. */
export function isCastable(from: YqlType, to: YqlType): boolean {
  const f = baseType(from);
  if (f.kind === 'null') return true;
  if (f.kind === 'decimal' || to.kind === 'decimal') {
    const other = f.kind === 'decimal' ? primitiveName(to) : primitiveName(f);
    return (f.kind === 'decimal' && to.kind === 'decimal') || isStringLike(other) || isInteger(other) || isFloating(other);
  }
  const a = primitiveName(f)!;
  const b = primitiveName(to)!;
  const numericish = (n: PrimitiveName): boolean => isInteger(n) || isFloating(n) || n === 'Bool';
  return (
    a === b ||
    isStringLike(a) ||
    isStringLike(b) ||
    (numericish(a) && numericish(b)) ||
    (isTemporal(a) && isTemporal(b)) ||
    (isInteger(a) && (isTemporal(b) || b === 'Interval')) ||
    ((isTemporal(a) || a === 'Interval') && isInteger(b))
  );
}

/** CAST semantics: the converted value, or null when it does not convert (CAST yields T?). */
export function castValue(from: YqlType, v: Value, to: YqlType): Value {
  if (v === null) return null;
  const src = baseType(from);
  if (to.kind === 'decimal') {
    const text = src.kind === 'decimal' ? formatDecimal(v as bigint, src.scale) : formatAsText(src, v);
    return parseDecimal(text, to.precision, to.scale) ?? null;
  }
  const toName = primitiveName(to)!;
  const fromName = src.kind === 'decimal' ? undefined : primitiveName(src)!;
  if (toName === 'String' || toName === 'Utf8') {
    if (fromName === 'String' && toName === 'Utf8') return decodeUtf8(v as Uint8Array) ?? null;
    const text = formatAsText(src, v);
    return toName === 'String' ? utf8Bytes(text) : text;
  }
  if (fromName === 'String' || fromName === 'Utf8' || src.kind === 'decimal') {
    const text = fromName === 'String' ? decodeUtf8(v as Uint8Array) : formatAsText(src, v);
    if (text === undefined) return null;
    if (src.kind === 'decimal' && isInteger(toName)) return fitInteger(BigInt(text.split('.')[0]!), toName) ?? null;
    return parseFromText(to, text) ?? null;
  }
  if (fromName !== undefined && isTemporal(fromName) && isTemporal(toName)) {
    return fromMicros(toName, temporalMicros(fromName, v)) ?? null;
  }
  if (toName === 'Bool') return typeof v === 'bigint' ? v !== 0n : Boolean(v);
  const numeric = typeof v === 'boolean' ? Number(v) : v;
  if (isFloating(toName)) return toName === 'Float' ? Math.fround(Number(numeric)) : Number(numeric);
  if (typeof numeric === 'number' && !Number.isFinite(numeric)) return null;
  const whole = typeof numeric === 'number' ? BigInt(Math.trunc(numeric)) : (numeric as bigint);
  if (isInteger(toName)) return fitInteger(whole, toName) ?? null;
  if (toName === 'Interval') return whole;
  if (isTemporal(toName)) {
    const micros = toName === 'Date' ? whole * MICROS_PER_DAY : toName === 'Datetime' ? whole * MICROS_PER_SECOND : whole;
    return fromMicros(toName, micros) ?? null;
  }
  return null;
}

/** What `readTable` hands to tests: bigint for 64-bit ints, Date for dates, string for Utf8, bytes for String. */
export function toPlainJs(type: YqlType, v: Value): unknown {
  if (v === null) return null;
  const t = baseType(type);
  if (t.kind === 'decimal') return formatDecimal(v as bigint, t.scale);
  const name = primitiveName(t)!;
  if (isTemporal(name)) return new Date(Number(temporalMicros(name, v) / 1000n));
  return v;
}

/**
 * YqlType + JS value ⇄ YDB protocol values (`Ydb.ITypedValue`), and result
 * rows back into JS. A value is first checked by `encodeLiteral`, so online
 * parameters accept exactly what the offline script accepts, with the same
 * messages. No runtime dependency on ydb-sdk: the objects are the plain
 * protobuf shapes, and 64-bit fields are decimal strings, which the encoder
 * reads as Longs.
 *
 * JS values read back: Bool boolean; Int8..Int32, Uint8..Uint32, Float,
 * Double number; Int64, Uint64, Interval (microseconds) bigint; Utf8, Json,
 * JsonDocument string; String, Yson Uint8Array; Date, Datetime, Timestamp
 * Date (a Timestamp loses its microseconds); Decimal string; Uuid string;
 * NULL null.
 */
import type { Ydb } from 'ydb-sdk';
import { MigrateError } from '../errors.js';
import { encodeLiteral, parseParamValue, type PrimitiveTypeName, type YqlType } from '../yql/literal.js';

/** `Ydb.Type.PrimitiveTypeId`, the wire protocol's numbers (checked against ydb-sdk by the tests). */
export const PRIMITIVE_TYPE_IDS: Readonly<Record<PrimitiveTypeName, number>> = {
  Bool: 6, Int8: 7, Uint8: 5, Int16: 8, Uint16: 9, Int32: 1, Uint32: 2, Int64: 3, Uint64: 4,
  Float: 33, Double: 32, Date: 48, Datetime: 49, Timestamp: 50, Interval: 51,
  String: 4097, Utf8: 4608, Yson: 4609, Json: 4610, Uuid: 4611, JsonDocument: 4612,
};
const NAME_BY_TYPE_ID = new Map(Object.entries(PRIMITIVE_TYPE_IDS).map(([name, id]) => [id, name as PrimitiveTypeName]));

const NULL_VALUE = 0; // google.protobuf.NullValue.NULL_VALUE
const DAY_MS = 86_400_000;
const MASK_64 = (1n << 64n) - 1n;
/** YDB's Decimal specials: +inf is 10^35, nan is 10^35 + 1. */
const DECIMAL_INF = 10n ** 35n;
const DECIMAL_NAN = DECIMAL_INF + 1n;

export function toYdbType(type: YqlType): Ydb.IType {
  switch (type.kind) {
    case 'primitive':
      return { typeId: PRIMITIVE_TYPE_IDS[type.name] };
    case 'decimal':
      return { decimalType: { precision: type.precision, scale: type.scale } };
    case 'optional':
      return { optionalType: { item: toYdbType(type.item) } };
  }
}

/** A typed parameter value; throws LITERAL_INVALID (as `encodeLiteral` does) for a value the type cannot hold. */
export function toTypedValue(type: YqlType, value: unknown): Ydb.ITypedValue {
  encodeLiteral(type, value);
  return { type: toYdbType(type), value: toValue(type, value) };
}

function toValue(type: YqlType, value: unknown): Ydb.IValue {
  if (type.kind === 'optional') {
    if (value === null || value === undefined) return { nullFlagValue: NULL_VALUE };
    const item = toValue(type.item, value);
    return type.item.kind === 'optional' ? { nestedValue: item } : item;
  }
  if (type.kind === 'decimal') return decimalValue(value as string, type.scale);
  switch (type.name) {
    case 'Bool':
      return { boolValue: value as boolean };
    case 'Int8': case 'Int16': case 'Int32':
      return { int32Value: Number(value) };
    case 'Uint8': case 'Uint16': case 'Uint32':
      return { uint32Value: Number(value) };
    case 'Int64':
      return { int64Value: wire64(value as bigint | number) };
    case 'Uint64':
      return { uint64Value: wire64(value as bigint | number) };
    case 'Float':
      return { floatValue: value as number };
    case 'Double':
      return { doubleValue: value as number };
    case 'String': case 'Yson':
      return { bytesValue: value instanceof Uint8Array ? value : Buffer.from(value as string, 'utf8') };
    case 'Utf8': case 'Json': case 'JsonDocument':
      return { textValue: value as string };
    case 'Date':
      return { uint32Value: instantMs(value, 'T00:00:00Z') / DAY_MS };
    case 'Datetime':
      return { uint32Value: instantMs(value, '') / 1000 };
    case 'Timestamp':
      return { uint64Value: wire64(timestampMicros(value)) };
    case 'Interval':
      return { int64Value: wire64(typeof value === 'bigint' ? value : (parseParamValue(type, value as string) as bigint)) };
    case 'Uuid':
      return uuidValue(value as string);
  }
}

/** A 64-bit field: protobufjs reads a decimal string into a Long; its typings list only number | Long. */
function wire64(n: bigint | number): number {
  return String(n) as unknown as number;
}

/** Milliseconds since 1970 of a Date or of an ISO string `encodeLiteral` accepted (`suffix` completes a bare date). */
function instantMs(value: unknown, suffix: string): number {
  return value instanceof Date ? value.getTime() : Date.parse(`${value as string}${suffix}`);
}

/** Date.parse keeps milliseconds only; the fraction's other digits are added back. */
function timestampMicros(value: unknown): bigint {
  if (value instanceof Date) return BigInt(value.getTime()) * 1000n;
  const text = value as string;
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return BigInt(Date.parse(text.replace(/\.\d+/, ''))) * 1000n + BigInt(fraction.padEnd(6, '0'));
}

function decimalValue(text: string, scale: number): Ydb.IValue {
  const lower = text.toLowerCase();
  let scaled: bigint;
  if (lower === 'nan') scaled = DECIMAL_NAN;
  else if (lower.endsWith('inf')) scaled = lower.startsWith('-') ? -DECIMAL_INF : DECIMAL_INF;
  else {
    const [whole = '0', fraction = ''] = text.replace(/^\+/, '').split('.');
    const negative = whole.startsWith('-');
    const digits = BigInt(`${whole.replace('-', '')}${fraction.padEnd(scale, '0')}`);
    scaled = negative ? -digits : digits;
  }
  return { low_128: wire64(scaled & MASK_64), high_128: wire64(BigInt.asUintN(64, scaled >> 64n)) };
}

/** YDB's Uuid layout: the first three groups little-endian, then the bytes as two little-endian 64-bit halves. */
function uuidValue(text: string): Ydb.IValue {
  const bytes = uuidBytes(text);
  return { low_128: wire64(bytes.readBigUInt64LE(0)), high_128: wire64(bytes.readBigUInt64LE(8)) };
}

function uuidBytes(text: string): Buffer {
  const b = Buffer.from(text.replace(/-/g, ''), 'hex');
  return Buffer.concat([b.subarray(0, 4).reverse(), b.subarray(4, 6).reverse(), b.subarray(6, 8).reverse(), b.subarray(8)]);
}

/** A result set's rows as `{column: value}` records, values as the module comment describes. */
export function rowsOf(resultSet: Ydb.IResultSet): Record<string, unknown>[] {
  const columns = resultSet.columns ?? [];
  return (resultSet.rows ?? []).map((row) => {
    const record: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      record[column.name ?? `column${i}`] = fromValue(column.type ?? {}, row.items?.[i] ?? {});
    });
    return record;
  });
}

export function fromValue(type: Ydb.IType, value: Ydb.IValue): unknown {
  if (type.optionalType) {
    if (value.nullFlagValue !== undefined && value.nullFlagValue !== null) return null;
    return fromValue(type.optionalType.item ?? {}, value.nestedValue ?? value);
  }
  if (type.nullType !== undefined && type.nullType !== null) return null;
  if (type.decimalType) return decimalText(int128(value), type.decimalType.scale ?? 0);
  const name = NAME_BY_TYPE_ID.get(type.typeId ?? 0);
  if (!name) throw new MigrateError('YDB_UNEXPECTED_TYPE', `YDB returned a value of a type ydb-migrate does not read (${JSON.stringify(type)})`);
  switch (name) {
    case 'Bool':
      return Boolean(value.boolValue);
    case 'Int8': case 'Int16': case 'Int32':
      return value.int32Value ?? 0;
    case 'Uint8': case 'Uint16': case 'Uint32':
      return value.uint32Value ?? 0;
    case 'Int64': case 'Interval':
      return BigInt.asIntN(64, big(value.int64Value));
    case 'Uint64':
      return BigInt.asUintN(64, big(value.uint64Value));
    case 'Float':
      return value.floatValue ?? 0;
    case 'Double':
      return value.doubleValue ?? 0;
    case 'String': case 'Yson':
      return value.bytesValue ?? new Uint8Array();
    case 'Utf8': case 'Json': case 'JsonDocument':
      return value.textValue ?? '';
    case 'Date':
      return new Date((value.uint32Value ?? 0) * DAY_MS);
    case 'Datetime':
      return new Date((value.uint32Value ?? 0) * 1000);
    case 'Timestamp':
      return new Date(Number(BigInt.asUintN(64, big(value.uint64Value)) / 1000n));
    case 'Uuid':
      return uuidText(value);
  }
}

/**
 * A 64-bit field as protobufjs decodes it (Long, number or string), modulo 2^64: every caller reads it
 * with BigInt.asIntN or asUintN. A Long is taken from its two 32-bit halves, as its toString() (a
 * division per digit) was most of the time status spent reading a long history.
 */
function big(field: unknown): bigint {
  if (typeof field === 'object' && field !== null && 'high' in field && 'low' in field) {
    const { high, low } = field as { high: number; low: number };
    return (BigInt(high) << 32n) | BigInt(low >>> 0);
  }
  return BigInt(String(field ?? 0));
}

function int128(value: Ydb.IValue): bigint {
  return (BigInt.asIntN(64, big(value.high_128)) << 64n) | BigInt.asUintN(64, big(value.low_128));
}

function decimalText(scaled: bigint, scale: number): string {
  if (scaled === DECIMAL_NAN) return 'nan';
  if (scaled === DECIMAL_INF || scaled === -DECIMAL_INF) return scaled < 0n ? '-inf' : 'inf';
  const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${scaled < 0n ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

function uuidText(value: Ydb.IValue): string {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, big(value.low_128)), 0);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, big(value.high_128)), 8);
  // The layout is its own inverse: swapping the first three groups back gives the text order.
  const hex = uuidBytes(bytes.toString('hex')).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

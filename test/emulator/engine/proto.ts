/** Emulator values ⇄ YDB protocol messages (`Ydb.IType`, `Ydb.IValue`, `Ydb.ITypedValue`). */
import ydbProto from 'ydb-sdk-proto';
import type { Ydb as YdbTypes } from 'ydb-sdk-proto';
import { EngineError, IssueCode, issue } from './errors.js';
import { baseType, isBigintPrimitive, optional, primitive, PRIMITIVES, type PrimitiveName, type YqlType } from './types.js';
import { type Value } from './values.js';

const { Ydb } = ydbProto;
const TypeId = Ydb.Type.PrimitiveTypeId;
const NULL_VALUE = 0; // google.protobuf.NullValue.NULL_VALUE

const TYPE_IDS: Record<PrimitiveName, number> = {
  Bool: TypeId.BOOL, Int8: TypeId.INT8, Int16: TypeId.INT16, Int32: TypeId.INT32, Int64: TypeId.INT64,
  Uint8: TypeId.UINT8, Uint16: TypeId.UINT16, Uint32: TypeId.UINT32, Uint64: TypeId.UINT64,
  Float: TypeId.FLOAT, Double: TypeId.DOUBLE, String: TypeId.STRING, Utf8: TypeId.UTF8, Json: TypeId.JSON,
  JsonDocument: TypeId.JSON_DOCUMENT, Yson: TypeId.YSON, Uuid: TypeId.UUID, Date: TypeId.DATE,
  Datetime: TypeId.DATETIME, Timestamp: TypeId.TIMESTAMP, Interval: TypeId.INTERVAL,
};

export function toYdbType(t: YqlType): YdbTypes.IType {
  switch (t.kind) {
    case 'primitive':
      return { typeId: TYPE_IDS[t.name] };
    case 'decimal':
      return { decimalType: { precision: t.precision, scale: t.scale } };
    case 'optional':
      return { optionalType: { item: toYdbType(t.item) } };
    case 'null':
      return { nullType: NULL_VALUE };
  }
}

const MASK_64 = (1n << 64n) - 1n;

/** YDB's Uuid layout: the first three fields little-endian, then two little-endian 64-bit halves. */
function uuidToHalves(uuid: string): [bigint, bigint] {
  const b = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  const bytes = Buffer.concat([b.subarray(0, 4).reverse(), b.subarray(4, 6).reverse(), b.subarray(6, 8).reverse(), b.subarray(8)]);
  return [bytes.readBigUInt64LE(0), bytes.readBigUInt64LE(8)];
}

function uuidFromHalves(low: bigint, high: bigint): string {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64LE(low, 0);
  bytes.writeBigUInt64LE(high, 8);
  const b = Buffer.concat([bytes.subarray(0, 4).reverse(), bytes.subarray(4, 6).reverse(), bytes.subarray(6, 8).reverse(), bytes.subarray(8)]);
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The plain-object form that `Ydb.Value.fromObject` turns into Longs where the field is 64-bit. */
function plainValue(t: YqlType, v: Value): Record<string, unknown> {
  if (v === null) return { nullFlagValue: NULL_VALUE };
  const b = baseType(t);
  if (b.kind === 'decimal') {
    const n = v as bigint;
    return { low_128: (n & MASK_64).toString(), high_128: BigInt.asIntN(64, n >> 64n).toString() };
  }
  const name = (b as { name: PrimitiveName }).name;
  switch (name) {
    case 'Bool':
      return { boolValue: v };
    case 'Int8': case 'Int16': case 'Int32':
      return { int32Value: v };
    case 'Uint8': case 'Uint16': case 'Uint32': case 'Date': case 'Datetime':
      return { uint32Value: v };
    case 'Int64': case 'Interval':
      return { int64Value: String(v) };
    case 'Uint64': case 'Timestamp':
      return { uint64Value: String(v) };
    case 'Float':
      return { floatValue: v };
    case 'Double':
      return { doubleValue: v };
    case 'String': case 'Yson':
      return { bytesValue: v };
    case 'Utf8': case 'Json': case 'JsonDocument':
      return { textValue: v };
    case 'Uuid': {
      const [low, high] = uuidToHalves(v as string);
      return { low_128: low.toString(), high_128: high.toString() };
    }
  }
}

export function toYdbValue(t: YqlType, v: Value): YdbTypes.IValue {
  return Ydb.Value.fromObject(plainValue(t, v));
}

// ---------------------------------------------------------------- parameters

export interface ParamValue {
  type: YqlType;
  value: Value;
}

function badParam(name: string, message: string): EngineError {
  return new EngineError('BAD_REQUEST', [issue(`${message}: ${name}`, { code: IssueCode.BAD_REQUEST })]);
}

export function fromYdbType(t: YdbTypes.IType, paramName: string): YqlType {
  if (t.typeId !== undefined && t.typeId !== null && t.typeId !== 0) {
    const name = PRIMITIVES.find((p) => TYPE_IDS[p] === t.typeId);
    if (!name) throw badParam(paramName, 'Parameter type is not supported by the ydb-migrate test emulator');
    return primitive(name);
  }
  if (t.decimalType) return { kind: 'decimal', precision: t.decimalType.precision ?? 22, scale: t.decimalType.scale ?? 9 };
  if (t.optionalType?.item) {
    const item = fromYdbType(t.optionalType.item, paramName);
    if (item.kind === 'optional') throw badParam(paramName, 'Nested Optional parameters are not supported by the ydb-migrate test emulator');
    return optional(item);
  }
  if (t.nullType !== undefined && t.nullType !== null) return { kind: 'null' };
  throw badParam(paramName, 'Parameter type (List, Struct, Tuple, Dict, ...) is not supported by the ydb-migrate test emulator');
}

const toBigint = (x: unknown): bigint => BigInt(String(x ?? 0));

function fromYdbValue(t: YqlType, v: YdbTypes.IValue, paramName: string): Value {
  if (t.kind === 'null') return null;
  if (t.kind === 'optional') {
    if (v.nullFlagValue !== undefined && v.nullFlagValue !== null) return null;
    return fromYdbValue(t.item, v.nestedValue ?? v, paramName);
  }
  if (t.kind === 'decimal') return (BigInt.asIntN(64, toBigint(v.high_128)) << 64n) | (toBigint(v.low_128) & MASK_64);
  const name = t.name;
  if (name === 'Uuid') return uuidFromHalves(toBigint(v.low_128) & MASK_64, toBigint(v.high_128) & MASK_64);
  if (isBigintPrimitive(name)) {
    const raw = toBigint(name === 'Int64' || name === 'Interval' ? v.int64Value : v.uint64Value);
    return name === 'Int64' || name === 'Interval' ? BigInt.asIntN(64, raw) : BigInt.asUintN(64, raw);
  }
  const fields: Record<PrimitiveName, unknown> = {
    Bool: v.boolValue, Int8: v.int32Value, Int16: v.int32Value, Int32: v.int32Value, Uint8: v.uint32Value,
    Uint16: v.uint32Value, Uint32: v.uint32Value, Date: v.uint32Value, Datetime: v.uint32Value, Float: v.floatValue,
    Double: v.doubleValue, String: v.bytesValue, Yson: v.bytesValue, Utf8: v.textValue, Json: v.textValue,
    JsonDocument: v.textValue, Int64: 0, Uint64: 0, Timestamp: 0, Interval: 0, Uuid: 0,
  };
  const value = fields[name];
  if (value === undefined || value === null) {
    if (name === 'Bool') return false;
    if (name === 'String' || name === 'Yson') return new Uint8Array();
    if (name === 'Utf8' || name === 'Json' || name === 'JsonDocument') return '';
    return 0;
  }
  return value as Value;
}

export function fromTypedValue(name: string, tv: YdbTypes.ITypedValue): ParamValue {
  if (!tv.type) throw badParam(name, 'Failed to parse parameter type');
  const type = fromYdbType(tv.type, name);
  return { type, value: fromYdbValue(type, tv.value ?? {}, name) };
}

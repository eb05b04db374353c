/** YQL types the emulator knows: primitives, Decimal(p,s), Optional<T>, and the type of NULL. */
import type { TypeNode } from './ast.js';
import { syntaxError, typeError, unsupported } from './errors.js';

export const PRIMITIVES = [
  'Bool', 'Int8', 'Int16', 'Int32', 'Int64', 'Uint8', 'Uint16', 'Uint32', 'Uint64', 'Float', 'Double',
  'String', 'Utf8', 'Json', 'JsonDocument', 'Yson', 'Uuid', 'Date', 'Datetime', 'Timestamp', 'Interval',
] as const;
export type PrimitiveName = (typeof PRIMITIVES)[number];

export type YqlType =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'optional'; item: YqlType }
  | { kind: 'null' };

export const primitive = (name: PrimitiveName): YqlType => ({ kind: 'primitive', name });
export const optional = (item: YqlType): YqlType => (item.kind === 'optional' || item.kind === 'null' ? item : { kind: 'optional', item });
export const NULL_TYPE: YqlType = { kind: 'null' };
export const BOOL = primitive('Bool');

/** Type names are case-insensitive in YQL: `UINT64`, `uint64` and `Uint64` are one type. */
export function primitiveByName(name: string): PrimitiveName | undefined {
  const lower = name.toLowerCase();
  return PRIMITIVES.find((p) => p.toLowerCase() === lower);
}

export function isOptional(t: YqlType): boolean {
  return t.kind === 'optional' || t.kind === 'null';
}

/** The type without its Optional wrapper (NULL stays NULL). */
export function baseType(t: YqlType): YqlType {
  return t.kind === 'optional' ? t.item : t;
}

export function primitiveName(t: YqlType): PrimitiveName | undefined {
  const b = baseType(t);
  return b.kind === 'primitive' ? b.name : undefined;
}

export function sameType(a: YqlType, b: YqlType): boolean {
  return formatType(a) === formatType(b);
}

/** YQL's own spelling, used in error messages: `Optional<Utf8>`, `Decimal(22,9)`. */
export function formatType(t: YqlType): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'decimal':
      return `Decimal(${t.precision},${t.scale})`;
    case 'optional':
      return `Optional<${formatType(t.item)}>`;
    case 'null':
      return 'Null';
  }
}

/** The short spelling used by `describeTable`: `Utf8?` for a nullable column. */
export function formatColumnType(t: YqlType, notNull: boolean): string {
  const base = formatType(baseType(t));
  return notNull ? base : `${base}?`;
}

interface IntegerInfo {
  signed: boolean;
  bits: 8 | 16 | 32 | 64;
  min: bigint;
  max: bigint;
}

const INTEGERS: Partial<Record<PrimitiveName, IntegerInfo>> = {};
for (const bits of [8, 16, 32, 64] as const) {
  INTEGERS[`Int${bits}`] = { signed: true, bits, min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n };
  INTEGERS[`Uint${bits}`] = { signed: false, bits, min: 0n, max: (1n << BigInt(bits)) - 1n };
}

export function integerInfo(name: PrimitiveName | undefined): IntegerInfo | undefined {
  return name === undefined ? undefined : INTEGERS[name];
}

export const isInteger = (name: PrimitiveName | undefined): boolean => integerInfo(name) !== undefined;
export const isFloating = (name: PrimitiveName | undefined): boolean => name === 'Float' || name === 'Double';
export const isNumeric = (name: PrimitiveName | undefined): boolean => isInteger(name) || isFloating(name);
export const isStringLike = (name: PrimitiveName | undefined): boolean => name === 'String' || name === 'Utf8';
export const isTemporal = (name: PrimitiveName | undefined): boolean =>
  name === 'Date' || name === 'Datetime' || name === 'Timestamp';

/** Integer primitives whose JS representation is a bigint (the rest are numbers). */
export const isBigintPrimitive = (name: PrimitiveName): boolean =>
  name === 'Int64' || name === 'Uint64' || name === 'Timestamp' || name === 'Interval';

/** Whether every value of `from` fits in `to` (YQL's safe, implicit integer widening). */
export function isSafeIntegerWidening(from: PrimitiveName, to: PrimitiveName): boolean {
  const a = integerInfo(from);
  const b = integerInfo(to);
  return a !== undefined && b !== undefined && a.min >= b.min && a.max <= b.max;
}

/** Types YDB refuses as primary key columns. */
export function isKeyableType(t: YqlType): boolean {
  const name = primitiveName(t);
  return !(isFloating(name) || name === 'Json' || name === 'JsonDocument' || name === 'Yson');
}

/** Resolves a written type (`Utf8`, `uint64?`, `Optional<Date>`, `Decimal(22,9)`); refuses the rest. */
export function resolveTypeNode(node: TypeNode): YqlType {
  const upper = node.name.toUpperCase();
  let t: YqlType;
  if (upper === 'OPTIONAL') {
    if (!node.item) throw syntaxError(node.pos, `mismatched input '${node.name}' expecting '<'`);
    t = resolveTypeNode(node.item);
    if (t.kind === 'optional') throw unsupported(node.pos, 'A nested Optional type');
    t = optional(t);
  } else if (upper === 'DECIMAL') {
    const [precision, scale] = node.numbers;
    // kqp_scheme_ut.cpp CreateTableWithDecimalColumn
    if (node.numbers.length !== 2) throw typeError(node.pos, `Invalid decimal parameters: Decimal(${node.numbers.join(',')})`);
    if (precision! < 1 || precision! > 35) throw typeError(node.pos, `Invalid decimal precision: ${precision}, expected 1..35`);
    if (scale! > precision!) throw typeError(node.pos, `Invalid decimal parameters: scale ${scale} is greater than precision ${precision}`);
    t = { kind: 'decimal', precision: precision!, scale: scale! };
  } else {
    const name = primitiveByName(node.name);
    if (!name) {
      if (COMPOSITE_TYPES.has(upper) || TYPE_ALIASES.has(upper) || upper.startsWith('PG')) throw unsupported(node.pos, `Type ${node.name}`);
      throw typeError(node.pos, `Unknown type: '${node.name}'`);
    }
    if (node.item || node.numbers.length) throw syntaxError(node.pos, `Type ${name} takes no parameters`);
    t = primitive(name);
  }
  if (node.nullable) {
    if (t.kind === 'optional') throw unsupported(node.pos, 'A nested Optional type');
    t = optional(t);
  }
  return t;
}

/** SQL aliases and Serial types YQL knows (issue 18; docs serial.md) that the emulator does not map. */
const TYPE_ALIASES = new Set([
  'BIGINT', 'INT', 'INTEGER', 'SMALLINT', 'TINYINT', 'VARCHAR', 'TEXT', 'BYTES', 'JSON_DOCUMENT',
  'SERIAL', 'SMALLSERIAL', 'BIGSERIAL', 'SERIAL2', 'SERIAL4', 'SERIAL8',
]);

const COMPOSITE_TYPES = new Set([
  'LIST', 'STRUCT', 'TUPLE', 'DICT', 'SET', 'VARIANT', 'ENUM', 'TAGGED', 'VOID', 'NULL', 'EMPTYLIST', 'EMPTYDICT',
  'TZDATE', 'TZDATETIME', 'TZTIMESTAMP', 'DATE32', 'DATETIME64', 'TIMESTAMP64', 'INTERVAL64', 'DYNUMBER', 'STREAM',
  'CALLABLE', 'RESOURCE', 'PG',
]);

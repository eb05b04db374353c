/**
 * YDB's column types: every name YQL accepts for a table column, with its
 * aliases, in one list. Lint's `unknown-type`, the DDL reader, the schema
 * model and parameter types all read it.
 *
 * Sources (ydb-platform/ydb):
 * - names and SQL aliases: yql/essentials/core/sql_types/simple_types.cpp
 *   (`LookupSimpleTypeBySqlAlias`: lower-cased lookup, so names are
 *   case-insensitive; `text` and `bytes` only with FlexibleTypes, which
 *   yql/essentials/sql/v1/context.h turns on by default);
 * - type ids: ydb/public/api/protos/ydb_value.proto (`Type.PrimitiveTypeId`);
 * - key and index columns: ydb/core/tx/schemeshard/schemeshard_utils.h
 *   (`IsAllowedKeyType`: not Float, Double, Json, JsonDocument, Yson);
 * - Decimal(p,s): yql/essentials/public/decimal/yql_decimal.h (`MaxPrecision = 35`),
 *   scale at most precision;
 * - serial types: ydb/docs/en/core/yql/reference/types/serial.md;
 * - PostgreSQL types (`pgint4`, `pgtext`, ...): ydb/docs/en/core/postgresql/types.md; a table takes
 *   them where the server enables EnableTablePgTypes (KQP's test harness does, kqp_ut_common.cpp; SchemeShard
 *   refuses them where it is off), which lint cannot see, so they are neither known nor unknown.
 */

export interface ColumnType {
  /** The canonical spelling, as YDB reports it. */
  name: string;
  /** Ydb.Type.PrimitiveTypeId. */
  typeId: number;
  /** Other spellings YQL accepts (compared case-insensitively, like the name). */
  aliases: readonly string[];
  /** Whether it may be a primary key or secondary index column. */
  keyable: boolean;
}

const type = (name: string, typeId: number, aliases: readonly string[] = [], keyable = true): ColumnType => ({ name, typeId, aliases, keyable });

export const COLUMN_TYPES: readonly ColumnType[] = [
  type('Bool', 6),
  type('Int8', 7, ['TINYINT']),
  type('Int16', 8, ['SMALLINT']),
  type('Int32', 1, ['INT', 'INTEGER']),
  type('Int64', 3, ['BIGINT']),
  type('Uint8', 5),
  type('Uint16', 9),
  type('Uint32', 2),
  type('Uint64', 4),
  type('Float', 33, [], false),
  type('Double', 32, [], false),
  type('DyNumber', 4866),
  type('String', 4097, ['VARCHAR', 'Bytes']),
  type('Utf8', 4608, ['Text']),
  type('Yson', 4609, [], false),
  type('Json', 4610, [], false),
  type('Uuid', 4611),
  type('JsonDocument', 4612, ['json_document'], false),
  type('Date', 48),
  type('Datetime', 49),
  type('Timestamp', 50),
  type('Interval', 51),
  type('TzDate', 52),
  type('TzDatetime', 53),
  type('TzTimestamp', 54),
  type('Date32', 64),
  type('Datetime64', 65),
  type('Timestamp64', 66),
  type('Interval64', 67),
];

/** Serial pseudo-types: an integer column with a sequence as its default; CREATE TABLE only. */
export interface SerialType {
  name: string;
  aliases: readonly string[];
  /** The integer type YDB stores. */
  stores: string;
}

export const SERIAL_TYPES: readonly SerialType[] = [
  { name: 'SmallSerial', aliases: ['Serial2'], stores: 'Int16' },
  { name: 'Serial', aliases: ['Serial4'], stores: 'Int32' },
  { name: 'BigSerial', aliases: ['Serial8'], stores: 'Int64' },
];

export const DECIMAL_MAX_PRECISION = 35;

export type ResolvedType =
  | { kind: 'simple'; type: ColumnType }
  | { kind: 'decimal'; precision: number; scale: number; name: string }
  | { kind: 'serial'; serial: SerialType }
  /** A PostgreSQL type by its YQL name; which Postgres types exist is the server's catalog, not checked here. */
  | { kind: 'pg'; name: string }
  | { kind: 'unknown'; why: string };

const byLowerName = <T extends { name: string; aliases: readonly string[] }>(list: readonly T[]) =>
  new Map(list.flatMap((t) => [t.name, ...t.aliases].map((n): [string, T] => [n.toLowerCase(), t])));

const SIMPLE = byLowerName(COLUMN_TYPES);
const SERIAL = byLowerName(SERIAL_TYPES);
const BY_TYPE_ID = new Map(COLUMN_TYPES.map((t) => [t.typeId, t]));

/** The column type named `name` (any spelling), or undefined. */
export function simpleType(name: string): ColumnType | undefined {
  return SIMPLE.get(name.toLowerCase());
}

/** The serial type named `name` (any spelling), or undefined. */
export function serialType(name: string): SerialType | undefined {
  return SERIAL.get(name.toLowerCase());
}

/** The serial type YDB reports for a sequence-backed column of `stores` (Int32 → Serial). */
export function serialStoredAs(stores: string): SerialType | undefined {
  return SERIAL_TYPES.find((s) => s.stores === stores);
}

export function typeById(typeId: number): ColumnType | undefined {
  return BY_TYPE_ID.get(typeId);
}

/**
 * A column type as written in DDL (`bigint`, `Decimal(22,9)`, `Serial`), spaces removed.
 * @example resolveColumnType('Decimal(40,2)') // { kind: 'unknown', why: 'Decimal precision 40 is outside 1..35' }
 */
export function resolveColumnType(written: string): ResolvedType {
  const decimal = /^decimal\((\d+),(\d+)\)$/i.exec(written);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    const why = decimalProblem(precision, scale);
    return why ? { kind: 'unknown', why } : { kind: 'decimal', precision, scale, name: `Decimal(${precision},${scale})` };
  }
  const simple = simpleType(written);
  if (simple) return { kind: 'simple', type: simple };
  const serial = serialType(written);
  if (serial) return { kind: 'serial', serial };
  if (/^_?pg[a-z][a-z0-9_]*$/i.test(written)) return { kind: 'pg', name: written.toLowerCase() };
  if (/[<?]/.test(written)) return { kind: 'unknown', why: 'a column type is never Optional: columns are nullable unless NOT NULL' };
  return { kind: 'unknown', why: 'not a YDB column type' };
}

/** Why Decimal(precision, scale) is refused, or null. */
export function decimalProblem(precision: number, scale: number): string | null {
  if (precision < 1 || precision > DECIMAL_MAX_PRECISION) return `Decimal precision ${precision} is outside 1..${DECIMAL_MAX_PRECISION}`;
  if (scale > precision) return `Decimal scale ${scale} is greater than its precision ${precision}`;
  return null;
}

/** The canonical name of a resolved type as the schema model spells it (Serial keeps its name). */
export function canonicalName(resolved: ResolvedType): string | undefined {
  switch (resolved.kind) {
    case 'simple': return resolved.type.name;
    case 'decimal': return resolved.name;
    case 'serial': return resolved.serial.name;
    case 'pg': return resolved.name;
    case 'unknown': return undefined;
  }
}

/** Whether a column of this type may be in a primary key or an index; Decimal and serials may. */
export function isKeyable(resolved: ResolvedType): boolean {
  return resolved.kind !== 'simple' || resolved.type.keyable;
}

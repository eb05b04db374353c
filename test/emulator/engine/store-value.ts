/** Storing a value into a column: YDB's implicit conversions and NOT NULL rules, checked before execution. */
import { IssueCode, typeError, type Position } from './errors.js';
import type { Compiled } from './expressions.js';
import { columnType, type ColumnSchema } from './storage.js';
import { baseType, formatType, isOptional } from './types.js';
import { implicitConverter, type Value } from './values.js';

/**
 * Type-checks `value` against `column` and returns the per-value conversion.
 * A constant that does not fit (e.g. 300 into Uint8) fails here, as in YDB.
 */
export function columnWriter(column: ColumnSchema, value: Compiled, pos: Position, mismatchText?: string): (v: Value) => Value {
  const mismatch = (): Error =>
    typeError(pos, mismatchText ?? `Failed to convert '${column.name}': ${formatType(value.type)} to ${formatType(columnType(column))}`);
  if (column.notNull && isOptional(value.type)) {
    throw typeError(pos, `Can't set NULL or optional value to not null column: ${column.name}. All not null columns should be initialized`, IssueCode.BAD_COLUMN_TYPE);
  }
  const convert = implicitConverter(value.type, column.type, value.literal);
  if (!convert) throw mismatch();
  const write = (v: Value): Value => {
    if (v === null) return null;
    const converted = convert(v);
    if (converted === undefined) throw mismatch();
    return converted;
  };
  if (value.constant && !value.aggregate) write(value.eval({}));
  return write;
}

/**
 * A column's DEFAULT as KQP's type annotation checks it (ydb/core/kqp/provider/yql_kikimr_type_ann.cpp,
 * the "default" column constraint): only a NULL default (a type that has Null) is refused for a NOT NULL
 * column; an optional one is unwrapped, so `NOT NULL DEFAULT CAST("x" AS Utf8)` is accepted.
 */
export function defaultWriter(column: ColumnSchema, value: Compiled, pos: Position): (v: Value) => Value {
  if (value.type.kind === 'null' && column.notNull) {
    throw typeError(pos, `Default expr ${column.name} is nullable or optional, but column has not null constraint. `);
  }
  const mismatch = `Default expr ${column.name} type mismatch, expected: ${formatType(column.type)}, actual: ${formatType(baseType(value.type))}`;
  return columnWriter({ ...column, notNull: false }, value, pos, mismatch);
}

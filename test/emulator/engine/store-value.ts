/** Storing a value into a column: YDB's implicit conversions and NOT NULL rules, checked before execution. */
import { IssueCode, typeError, type Position } from './errors.js';
import type { Compiled } from './expressions.js';
import { columnType, type ColumnSchema } from './storage.js';
import { formatType, isOptional } from './types.js';
import { implicitConverter, type Value } from './values.js';

/**
 * Type-checks `value` against `column` and returns the per-value conversion.
 * A constant that does not fit (e.g. 300 into Uint8) fails here, as in YDB.
 */
export function columnWriter(column: ColumnSchema, value: Compiled, pos: Position): (v: Value) => Value {
  const mismatch = (): Error =>
    typeError(pos, `Failed to convert '${column.name}': ${formatType(value.type)} to ${formatType(columnType(column))}`);
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

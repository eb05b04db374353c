/**
 * Column types as the schema model spells them: YDB's primitive type ids,
 * the one canonical spelling of each name (YQL type names are
 * case-insensitive), and the serial pseudo-types YDB reports as a sequence.
 */
import { PRIMITIVE_TYPE_IDS } from '../ydb/typed-values.js';

/** Ydb.Type.PrimitiveTypeId → name; the ones after the first entries are types ydb-migrate never binds as parameters. */
export const COLUMN_TYPE_NAMES = new Map<number, string>([
  ...Object.entries(PRIMITIVE_TYPE_IDS).map(([name, id]): [number, string] => [id, name]),
  [64, 'Date32'], [65, 'Datetime64'], [66, 'Timestamp64'], [67, 'Interval64'],
  [52, 'TzDate'], [53, 'TzDatetime'], [54, 'TzTimestamp'], [4866, 'DyNumber'],
]);

/** What YDB stores for a serial column: its integer type, with a sequence as default. */
export const SERIAL_TYPES: Readonly<Record<string, string>> = { Int16: 'SmallSerial', Int32: 'Serial', Int64: 'BigSerial' };

const BY_LOWER_NAME = new Map<string, string>([
  ...[...COLUMN_TYPE_NAMES.values(), ...Object.values(SERIAL_TYPES)].map((n): [string, string] => [n.toLowerCase(), n]),
  ['bytes', 'String'],
  ['text', 'Utf8'],
]);

/** `uint64` → `Uint64`; undefined for a name that is not a column type the model knows. Decimal is spelled apart. */
export function canonicalTypeName(name: string): string | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

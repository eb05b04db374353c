/** YQL type names as the engine describes columns (`Utf8?`, `Uint64`, `Decimal(22,9)`) → `Ydb.Type`. */
import { Ydb, type YdbTypes } from './ydb-proto.js';

// 'jsondocument' → JSON_DOCUMENT, 'tzdate' → TZ_DATE, ...: YQL names are the enum names without '_'.
const PRIMITIVES = new Map<string, YdbTypes.Type.PrimitiveTypeId>(
  Object.entries(Ydb.Type.PrimitiveTypeId)
    .filter((entry): entry is [string, YdbTypes.Type.PrimitiveTypeId] => typeof entry[1] === 'number' && entry[1] !== 0)
    .map(([name, id]) => [name.replace(/_/g, '').toLowerCase(), id]),
);

const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i;

/** The `Ydb.Type` of a type name, or undefined when the name is not one the emulator knows. */
export function ydbTypeOf(name: string): YdbTypes.IType | undefined {
  const trimmed = name.trim();
  if (trimmed.endsWith('?')) {
    const item = ydbTypeOf(trimmed.slice(0, -1));
    return item && { optionalType: { item } };
  }
  const decimal = DECIMAL.exec(trimmed);
  if (decimal) return { decimalType: { precision: Number(decimal[1]), scale: Number(decimal[2]) } };
  const id = PRIMITIVES.get(trimmed.toLowerCase());
  return id === undefined ? undefined : { typeId: id };
}

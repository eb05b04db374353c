/** A value a literal's type cannot hold: LITERAL_INVALID, naming the value (shortened) and the type. */
import { MigrateError } from '../errors.js';
import { formatType, type YqlType } from './types.js';

export function invalid(value: unknown, type: YqlType, why: string): MigrateError {
  return new MigrateError('LITERAL_INVALID', `${describe(value)} is not a valid ${formatType(type)}: ${why}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date ${value.toISOString()}`;
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  return String(value);
}

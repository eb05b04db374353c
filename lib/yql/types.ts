/**
 * The YQL types a parameter can have in ydb-migrate: primitives, Decimal and
 * Optional. `parseType` reads a type as written in a DECLARE; `formatType`
 * writes the one canonical spelling, so two spellings of a type compare equal.
 */
import { MigrateError } from '../errors.js';
import { decimalProblem, simpleType } from '../rules/column-types.js';

export type PrimitiveTypeName =
  | 'Bool' | 'Int8' | 'Int16' | 'Int32' | 'Int64' | 'Uint8' | 'Uint16' | 'Uint32' | 'Uint64' | 'Float' | 'Double'
  | 'String' | 'Utf8' | 'Json' | 'JsonDocument' | 'Yson' | 'Date' | 'Datetime' | 'Timestamp' | 'Interval' | 'Uuid';

export type YqlType =
  | { kind: 'primitive'; name: PrimitiveTypeName }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'optional'; item: YqlType };

const PRIMITIVE_NAMES: readonly PrimitiveTypeName[] = [
  'Bool', 'Int8', 'Int16', 'Int32', 'Int64', 'Uint8', 'Uint16', 'Uint32', 'Uint64', 'Float', 'Double',
  'String', 'Utf8', 'Json', 'JsonDocument', 'Yson', 'Date', 'Datetime', 'Timestamp', 'Interval', 'Uuid',
];

const BINDABLE: ReadonlySet<string> = new Set(PRIMITIVE_NAMES);

/** Any spelling YQL accepts (case-insensitive, SQL aliases too: lib/rules/column-types.ts) of a type ydb-migrate binds. */
function primitiveNamed(name: string): PrimitiveTypeName | undefined {
  const canonical = simpleType(name)?.name;
  return canonical !== undefined && BINDABLE.has(canonical) ? (canonical as PrimitiveTypeName) : undefined;
}

const SUPPORTED_TYPES = `${PRIMITIVE_NAMES.join(', ')}, Decimal(precision,scale), and Optional<T> or T? of these`;

/**
 * @example parseType('Optional<UInt64>') // { kind: 'optional', item: { kind: 'primitive', name: 'Uint64' } }
 * @example parseType('decimal(22, 9)?')  // Optional of { kind: 'decimal', precision: 22, scale: 9 }
 */
export function parseType(text: string): YqlType {
  const parser = new TypeParser(text);
  const type = parser.type();
  parser.expectEnd();
  return type;
}

/**
 * @example formatType(parseType('optional<uint64>')) // 'Uint64?'
 */
export function formatType(type: YqlType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `Decimal(${type.precision},${type.scale})`;
    case 'optional':
      return `${formatType(type.item)}?`;
  }
}

const TYPE_TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+)|([<>(),?]))/y;

/** A recursive-descent reader of `type := (Optional<type> | Decimal(p,s) | name) '?'*`. */
class TypeParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  type(): YqlType {
    const name = this.next('a type name');
    let type = this.afterName(name);
    while (this.peek() === '?') {
      this.next('?');
      type = { kind: 'optional', item: type };
    }
    return type;
  }

  expectEnd(): void {
    const rest = this.text.slice(this.pos);
    if (rest.trim() !== '') throw this.fail(`unexpected '${rest.trim()}' after the type`);
  }

  private afterName(name: string): YqlType {
    const lower = name.toLowerCase();
    if (lower === 'optional') {
      this.expect('<');
      const item = this.type();
      this.expect('>');
      return { kind: 'optional', item };
    }
    if (lower === 'decimal') return this.decimal();
    const primitive = primitiveNamed(name);
    if (!primitive) throw this.fail(`'${name}' is not a type ydb-migrate can bind`);
    return { kind: 'primitive', name: primitive };
  }

  private decimal(): YqlType {
    this.expect('(');
    const precision = this.integer('the precision');
    this.expect(',');
    const scale = this.integer('the scale');
    this.expect(')');
    const problem = decimalProblem(precision, scale);
    if (problem) throw this.fail(problem);
    return { kind: 'decimal', precision, scale };
  }

  private integer(what: string): number {
    const token = this.next(what);
    if (!/^\d+$/.test(token)) throw this.fail(`expected ${what} (a number), found '${token}'`);
    return Number(token);
  }

  private expect(punct: string): void {
    const token = this.next(`'${punct}'`);
    if (token !== punct) throw this.fail(`expected '${punct}', found '${token}'`);
  }

  private peek(): string | undefined {
    return this.scan()?.token;
  }

  private next(what: string): string {
    const scanned = this.scan();
    if (!scanned) {
      const rest = this.text.slice(this.pos).trim();
      throw this.fail(rest === '' ? `expected ${what} at the end` : `unexpected '${rest}'`);
    }
    this.pos = scanned.end;
    return scanned.token;
  }

  private scan(): { token: string; end: number } | undefined {
    TYPE_TOKEN.lastIndex = this.pos;
    const match = TYPE_TOKEN.exec(this.text);
    return match ? { token: match.slice(1).find((group) => group !== undefined)!, end: TYPE_TOKEN.lastIndex } : undefined;
  }

  private fail(why: string): MigrateError {
    return new MigrateError('YQL_BAD_TYPE', `bad type '${this.text}': ${why}; supported: ${SUPPORTED_TYPES}`);
  }
}

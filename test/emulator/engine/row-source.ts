/**
 * Finding the rows a statement works on: a point read when the WHERE clause
 * fixes every primary-key column with `=`, otherwise a full scan. The choice
 * decides the optimistic lock taken: one key, or the whole table.
 */
import type { Expr } from './ast.js';
import { typeError } from './errors.js';
import { compileExpr, type Compiled, type ExprEnv } from './expressions.js';
import type { Row, Table } from './storage.js';
import type { Tx } from './transactions.js';
import { formatType, primitiveName } from './types.js';
import { encodeKey, implicitConverter, type Value } from './values.js';

export interface Filter {
  where?: Compiled;
  /** Primary key values when the WHERE clause pins the whole key. */
  pointKey?: Value[];
}

export function compileFilter(where: Expr | undefined, table: Table | undefined, env: ExprEnv): Filter {
  if (!where) return {};
  const compiled = compileExpr(where, env);
  if (compiled.type.kind !== 'null' && primitiveName(compiled.type) !== 'Bool') {
    throw typeError(where.pos, `Expected Bool or Optional<Bool> in WHERE, but got: ${formatType(compiled.type)}`);
  }
  if (compiled.aggregate) throw typeError(where.pos, 'Aggregation is not allowed in WHERE');
  const pointKey = table ? pinnedKey(where, table, env) : undefined;
  return { where: compiled, ...(pointKey ? { pointKey } : {}) };
}

/** `k1 = c1 AND k2 = c2 ...` with constants covering the key → the key values, converted to the key types. */
function pinnedKey(where: Expr, table: Table, env: ExprEnv): Value[] | undefined {
  const equalities = new Map<string, Compiled>();
  const visit = (e: Expr): void => {
    if (e.kind === 'binary' && e.op === 'AND') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'binary' && e.op === '=') {
      for (const [col, other] of [[e.left, e.right], [e.right, e.left]] as const) {
        if (col.kind !== 'column' || !table.isKeyColumn(col.name)) continue;
        const value = compileExpr(other, env);
        if (value.constant && !value.aggregate) equalities.set(col.name, value);
      }
    }
  };
  visit(where);
  const key: Value[] = [];
  for (const name of table.schema.primaryKey) {
    const value = equalities.get(name);
    if (!value) return undefined;
    const v = value.eval({});
    const convert = v === null ? undefined : implicitConverter(value.type, table.column(name)!.type, true);
    const converted = convert?.(v as Exclude<Value, null>);
    // A NULL or a value outside the key type matches no row; a scan gives that answer.
    if (converted === undefined) return undefined;
    key.push(converted);
  }
  return key;
}

export function matches(filter: Filter, row: Row): boolean {
  return !filter.where || filter.where.eval(row) === true;
}

/** The table's rows that pass the filter, in primary-key order, as the transaction sees them. */
export function selectRows(tx: Tx, table: Table, filter: Filter): Row[] {
  if (filter.pointKey) {
    const row = tx.read(table, encodeKey(filter.pointKey));
    return row && matches(filter, row) ? [row] : [];
  }
  return tx.scan(table).filter((row) => matches(filter, row));
}

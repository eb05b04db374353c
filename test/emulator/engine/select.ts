/**
 * SELECT: projection (`*`, expressions, aliases), WHERE, COUNT(*), ORDER BY,
 * LIMIT/OFFSET; with or without FROM. Nullable columns come back as
 * Optional<T>, exactly like YDB's result sets.
 */
import type { Ydb } from 'ydb-sdk-proto';
import type { Expr, OrderTerm, Statement } from './ast.js';
import { tableNotFound, typeError } from './errors.js';
import { compileExpr, comparable, type Compiled, type ExprEnv } from './expressions.js';
import { exprEnv, resolvePath, type QueryContext } from './context.js';
import { toYdbType, toYdbValue } from './proto.js';
import { compileFilter, matches, selectRows } from './row-source.js';
import { columnType, type Row, type Table } from './storage.js';
import type { Tx } from './transactions.js';
import { formatType, integerInfo, primitiveName } from './types.js';
import { compareNullable, type Value } from './values.js';

type SelectStatement = Extract<Statement, { kind: 'select' }>;

interface Projection {
  name: string;
  value: Compiled;
}

interface Ordering {
  value: (row: Row, projected: Record<string, Value>) => Value;
  compiled: Compiled;
  descending: boolean;
}

export function executeSelect(stmt: SelectStatement, ctx: QueryContext, tx: Tx): Ydb.IResultSet {
  let table: Table | undefined;
  if (stmt.from) {
    const path = resolvePath(ctx, stmt.from);
    table = ctx.catalog.get(path);
    if (!table) throw tableNotFound(stmt.from.pos, path, 'KiReadTable!');
  }
  const env = exprEnv(ctx, table, true);
  const projections = project(stmt, table, env);
  const aggregate = projections.some((p) => p.value.aggregate);
  if (aggregate) {
    const loose = projections.find((p) => !p.value.aggregate && !p.value.constant);
    if (loose) throw typeError(stmt.pos, `Column ${loose.name} must either be a key column in GROUP BY or it should be used in aggregation function`);
  }
  const filter = compileFilter(stmt.where, table, exprEnv(ctx, table));
  const orderings = stmt.orderBy.map((term) => ordering(term, projections, env, aggregate));
  const limit = rowCount(stmt.limit, env, 'LIMIT');
  const offset = rowCount(stmt.offset, env, 'OFFSET') ?? 0;

  const source = table ? selectRows(tx, table, filter) : [{}].filter((row) => matches(filter, row));
  const outputs: Row[] = aggregate ? [{}] : source;
  const group = { count: source.length };
  let rows = outputs.map((row) => ({ row, values: projections.map((p) => p.value.eval(row, group)) }));
  if (orderings.length) {
    const byName = (values: Value[]): Record<string, Value> => Object.fromEntries(projections.map((p, i) => [p.name, values[i]]));
    const keyed = rows.map((r) => ({ ...r, keys: orderings.map((o) => o.value(r.row, byName(r.values))) }));
    keyed.sort((a, b) => {
      for (const [i, o] of orderings.entries()) {
        const c = compareNullable(o.compiled.type, a.keys[i] ?? null, o.compiled.type, b.keys[i] ?? null);
        if (c !== 0) return o.descending ? -c : c;
      }
      return 0;
    });
    rows = keyed;
  }
  rows = rows.slice(offset, limit === undefined ? undefined : offset + limit);
  return {
    columns: projections.map((p) => ({ name: p.name, type: toYdbType(p.value.type) })),
    rows: rows.map((r) => ({ items: r.values.map((v, i) => toYdbValue(projections[i]!.value.type, v)) })),
    truncated: false,
  };
}

function project(stmt: SelectStatement, table: Table | undefined, env: ExprEnv): Projection[] {
  if (stmt.items === 'star') {
    if (!table) throw typeError(stmt.pos, 'SELECT * requires FROM');
    return table.schema.columns.map((c) => ({
      name: c.name,
      value: { type: columnType(c), value: null, literal: false, aggregate: false, constant: false, eval: (row: Row) => row[c.name] ?? null },
    }));
  }
  const seen = new Set<string>();
  return stmt.items.map((item, i) => {
    const name = item.alias ?? (item.expr.kind === 'column' ? item.expr.name : `column${i}`);
    if (seen.has(name)) throw typeError(item.expr.pos, `Unable to use duplicate column names. Collision in name: ${name}`);
    seen.add(name);
    return { name, value: compileExpr(item.expr, env) };
  });
}

/** ORDER BY a result column's name (alias), or by an expression over the source row. */
function ordering(term: OrderTerm, projections: Projection[], env: ExprEnv, aggregate: boolean): Ordering {
  const expr: Expr = term.expr;
  const named = expr.kind === 'column' ? projections.findIndex((p) => p.name === expr.name) : -1;
  if (named >= 0) {
    const p = projections[named]!;
    return { value: (_row, projected) => projected[p.name], compiled: p.value, descending: term.descending };
  }
  if (aggregate) throw typeError(expr.pos, 'ORDER BY of an aggregated query may only name result columns');
  const compiled = compileExpr(expr, env);
  if (!comparable(compiled.type, compiled.type)) throw typeError(expr.pos, `Cannot sort by a value of type ${formatType(compiled.type)}`);
  return { value: (row) => compiled.eval(row), compiled, descending: term.descending };
}

function rowCount(expr: Expr | undefined, env: ExprEnv, clause: string): number | undefined {
  if (!expr) return undefined;
  const compiled = compileExpr(expr, { ...env, columns: new Map() });
  const v = compiled.eval({});
  if (!integerInfo(primitiveName(compiled.type)) || v === null || BigInt(v as number | bigint) < 0n) {
    throw typeError(expr.pos, `${clause} expects a non-negative integer, got ${formatType(compiled.type)}`);
  }
  return Number(v);
}

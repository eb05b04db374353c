/** What every statement of one query shares: the committed state, the path rules, bindings and the clock. */
import type { TableRef } from './ast.js';
import type { ExprEnv } from './expressions.js';
import type { PathResolver } from './paths.js';
import type { Scope } from './scope.js';
import { columnType, type Catalog, type Table } from './storage.js';
import type { YqlType } from './types.js';

export interface QueryContext {
  catalog: Catalog;
  paths: PathResolver;
  scope: Scope;
  /** CurrentUtcTimestamp() for the whole query, in microseconds. */
  now: bigint;
}

export function resolvePath(ctx: QueryContext, ref: TableRef): string {
  return ctx.paths.resolve(ref.path, ctx.scope.tablePathPrefix);
}

/** Expression environment; with a table, its columns are in scope (nullable ones as `T?`). */
export function exprEnv(ctx: QueryContext, table?: Table, allowAggregates = false): ExprEnv {
  const columns = table ? new Map<string, YqlType>(table.schema.columns.map((c) => [c.name, columnType(c)])) : undefined;
  return {
    ...(columns ? { columns } : {}),
    param: (name, pos) => ctx.scope.lookup(name, pos),
    now: ctx.now,
    allowAggregates,
  };
}

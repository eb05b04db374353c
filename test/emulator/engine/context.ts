/** What every statement of one query shares: the committed state, the server profile, the resolved paths, bindings and the clock. */
import type { TableRef } from './ast.js';
import type { ExprEnv } from './expressions.js';
import type { PathResolver } from './paths.js';
import type { YdbProfile } from './profile.js';
import type { Scope } from './scope.js';
import { columnType, type Catalog, type Table } from './storage.js';
import type { YqlType } from './types.js';

export interface QueryContext {
  catalog: Catalog;
  paths: PathResolver;
  profile: YdbProfile;
  /** Every table name of the text, resolved by translate.ts under the TablePathPrefix in force where it is written. */
  tablePaths: ReadonlyMap<TableRef, string>;
  scope: Scope;
  /** CurrentUtcTimestamp() for the whole query, in microseconds. */
  now: bigint;
}

export function resolvePath(ctx: QueryContext, ref: TableRef): string {
  const path = ctx.tablePaths.get(ref);
  if (path === undefined) throw new Error(`emulator: table name '${ref.path}' was not resolved by translate()`);
  return path;
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

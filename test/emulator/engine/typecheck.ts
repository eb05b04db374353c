/**
 * YDB type-checks a query (and each COMMIT-separated part of a script) whole,
 * against the schema as it stood when the query started, before running any
 * statement; one failure and nothing runs. The checks and texts are those of
 * ydb/core/kqp/provider/yql_kikimr_type_ann.cpp (HandleCreateTable,
 * HandleAlterTable, HandleDropTable, EnsureTableExists): a table created,
 * or a column added, earlier in the same query does not exist yet here.
 * What only the scheme shard finds (an existing path, a column added twice in
 * one query) fails while executing, after earlier statements were applied.
 */
import type { AlterAction, Statement } from './ast.js';
import { resolvePath, type QueryContext } from './context.js';
import { columnSchema, createTableSchema } from './ddl.js';
import { tableNotFound, typeError } from './errors.js';
import type { TableSchema } from './storage.js';
import { resolveTypeNode } from './types.js';

export function typecheck(statements: Statement[], ctx: QueryContext): void {
  for (const s of statements) {
    switch (s.kind) {
      case 'declare':
        resolveTypeNode(s.type);
        break;
      case 'createTable':
        createTableSchema(s, ctx, false);
        break;
      case 'dropTable': {
        const path = resolvePath(ctx, s.table);
        if (!s.ifExists && !ctx.catalog.get(path)) throw tableNotFound(s.table.pos, path);
        break;
      }
      case 'alterTable': {
        const path = resolvePath(ctx, s.table);
        const table = ctx.catalog.get(path);
        if (!table) throw tableNotFound(s.table.pos, path);
        for (const action of s.actions) checkAlterAction(action, table.schema, `db.[${path}]`, ctx);
        break;
      }
      default:
        break;
    }
  }
}

/** `table` is YDB's FullTableName: `db.[/local/t]`. */
function checkAlterAction(action: AlterAction, schema: TableSchema, table: string, ctx: QueryContext): void {
  const has = (column: string): boolean => schema.columns.some((c) => c.name === column);
  switch (action.kind) {
    case 'addColumn': {
      const { name } = action.column;
      if (has(name.name)) throw typeError(name.pos, `AlterTable : ${table} Column: "${name.name}" already exists`);
      columnSchema(action.column, ctx, false);
      return;
    }
    case 'dropColumn': {
      const { name } = action;
      if (!has(name.name)) throw typeError(name.pos, `AlterTable : ${table} Column "${name.name}" does not exist`);
      if (schema.primaryKey.includes(name.name)) {
        throw typeError(name.pos, `AlterTable : ${table} Column: "${name.name}" is a key column. Key column drop is not supported`);
      }
      return;
    }
    case 'addIndex':
      for (const column of [...action.index.columns, ...action.index.cover]) {
        if (!has(column.name)) throw typeError(column.pos, `AlterTable : ${table} Column: "${column.name}" does not exist`);
      }
      return;
    case 'dropIndex':
      if (!schema.indexes.some((i) => i.name === action.name.name)) {
        throw typeError(action.name.pos, `AlterTable : ${table} Index: "${action.name.name}" does not exist`);
      }
      return;
    case 'renameTo':
      return;
  }
}

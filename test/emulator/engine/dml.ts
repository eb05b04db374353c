/**
 * UPSERT / INSERT / REPLACE ... VALUES, UPDATE and DELETE inside a transaction.
 * Everything is type-checked before the first row is written.
 */
import type { Identifier, Statement } from './ast.js';
import { EngineError, IssueCode, issue, tableNotFound, typeError } from './errors.js';
import { compileExpr } from './expressions.js';
import { exprEnv, resolvePath, type QueryContext } from './context.js';
import { compileFilter, selectRows } from './row-source.js';
import { columnWriter } from './store-value.js';
import type { ColumnSchema, Row, Table } from './storage.js';
import type { Tx } from './transactions.js';
import { encodeKey, type Value } from './values.js';

type WriteStatement = Extract<Statement, { kind: 'write' }>;
type UpdateStatement = Extract<Statement, { kind: 'update' }>;
type DeleteStatement = Extract<Statement, { kind: 'delete' }>;

function writableTable(ctx: QueryContext, stmt: WriteStatement | UpdateStatement | DeleteStatement): Table {
  const path = resolvePath(ctx, stmt.table);
  const table = ctx.catalog.get(path);
  if (!table) throw tableNotFound(stmt.table.pos, path, 'KiWriteTable!');
  return table;
}

function tableColumn(table: Table, id: Identifier): ColumnSchema {
  const column = table.column(id.name);
  if (!column) throw typeError(id.pos, `Column '${id.name}' does not exist in table '${table.path}'`);
  return column;
}

function ensureDistinct(ids: Identifier[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id.name)) throw typeError(id.pos, `Duplicate column: ${id.name}`);
    seen.add(id.name);
  }
}

function constraintViolation(message: string): EngineError {
  return new EngineError('PRECONDITION_FAILED', [issue(message, { code: IssueCode.CONSTRAINT_VIOLATION })]);
}

/** Columns left out of the input get their DEFAULT (or NULL); key and NOT NULL columns may not be left out. */
function defaultsFor(table: Table, given: Set<string>, stmt: WriteStatement): Row {
  const defaults: Row = {};
  for (const c of table.schema.columns) {
    if (given.has(c.name)) continue;
    if (c.defaultValue === undefined && table.isKeyColumn(c.name)) {
      throw typeError(stmt.pos, `Missing key column in input: ${c.name} for table: ${table.path}`, IssueCode.PRECONDITION_FAILED);
    }
    if (c.defaultValue === undefined && c.notNull) {
      throw typeError(stmt.pos, `Missing not null column in input: ${c.name}. All not null columns should be initialized`, IssueCode.NO_COLUMN_DEFAULT_VALUE);
    }
    defaults[c.name] = c.defaultValue ?? null;
  }
  return defaults;
}

export function executeWrite(stmt: WriteStatement, ctx: QueryContext, tx: Tx): void {
  const table = writableTable(ctx, stmt);
  ensureDistinct(stmt.columns);
  const columns = stmt.columns.map((id) => tableColumn(table, id));
  const defaults = defaultsFor(table, new Set(columns.map((c) => c.name)), stmt);
  const env = exprEnv(ctx);
  const rows = stmt.rows.map((exprs, r) => {
    if (exprs.length !== columns.length) {
      throw typeError(exprs[0]!.pos, `VALUES row ${r + 1} has ${exprs.length} columns, ${stmt.mode} INTO expects: ${columns.length}`);
    }
    return exprs.map((e, i) => {
      const compiled = compileExpr(e, env);
      if (compiled.aggregate) throw typeError(e.pos, 'Aggregation is not allowed in VALUES');
      return columnWriter(columns[i]!, compiled, e.pos)(compiled.eval({}));
    });
  });
  const inserted = new Set<string>();
  for (const values of rows) {
    const given: Row = Object.fromEntries(columns.map((c, i) => [c.name, values[i]!]));
    const key = table.keyOf({ ...defaults, ...given });
    if (stmt.mode === 'UPSERT') {
      tx.write(table, key, { kind: 'merge', values: given, defaults });
      continue;
    }
    if (stmt.mode === 'INSERT' && (inserted.has(key) || tx.read(table, key))) throw constraintViolation('Conflict with existing key.');
    inserted.add(key);
    tx.write(table, key, { kind: 'put', row: { ...defaults, ...given } });
  }
  ensureUniqueIndexes(table, tx);
}

export function executeUpdate(stmt: UpdateStatement, ctx: QueryContext, tx: Tx): void {
  const table = writableTable(ctx, stmt);
  ensureDistinct(stmt.assignments.map((a) => a.column));
  const env = exprEnv(ctx, table);
  const setters = stmt.assignments.map(({ column: id, value }) => {
    const column = tableColumn(table, id);
    if (table.isKeyColumn(column.name)) throw typeError(id.pos, `Cannot update primary key column: ${column.name}`);
    const compiled = compileExpr(value, env);
    if (compiled.aggregate) throw typeError(value.pos, 'Aggregation is not allowed in UPDATE');
    const write = columnWriter(column, compiled, value.pos);
    return (row: Row): [string, Value] => [column.name, write(compiled.eval(row))];
  });
  const filter = compileFilter(stmt.where, table, env);
  for (const row of selectRows(tx, table, filter)) {
    // Values are computed from the row as it was before this statement.
    const updated = { ...row, ...Object.fromEntries(setters.map((set) => set(row))) };
    tx.write(table, table.keyOf(row), { kind: 'put', row: updated });
  }
  ensureUniqueIndexes(table, tx);
}

export function executeDelete(stmt: DeleteStatement, ctx: QueryContext, tx: Tx): void {
  const table = writableTable(ctx, stmt);
  const filter = compileFilter(stmt.where, table, exprEnv(ctx, table));
  for (const row of selectRows(tx, table, filter)) tx.write(table, table.keyOf(row), { kind: 'delete' });
}

/** A GLOBAL UNIQUE index refuses a second row with the same (non-NULL) indexed values. */
function ensureUniqueIndexes(table: Table, tx: Tx): void {
  const unique = table.schema.indexes.filter((i) => i.unique);
  if (unique.length === 0) return;
  const rows = tx.scan(table);
  for (const index of unique) {
    const seen = new Set<string>();
    for (const row of rows) {
      const values = index.columns.map((c) => row[c] ?? null);
      if (values.includes(null)) continue;
      const key = encodeKey(values);
      if (seen.has(key)) throw constraintViolation(`Operation aborted due to constraint violation: Conflict with existing key in unique index '${index.name}'`);
      seen.add(key);
    }
  }
}

/** Table DDL that cannot be right: YDB refuses it whatever the database holds. */
import type { ColumnDef, IndexDef, NameAt } from '../schema/statement.js';
import type { Report, RuleFamily, StatementContext } from './types.js';

export const tableRules: RuleFamily = {
  rules: [
    { id: 'no-primary-key', severity: 'error', summary: 'CREATE TABLE without a PRIMARY KEY', fix: 'add PRIMARY KEY (column, ...): every YDB table is keyed and sharded by its primary key' },
    { id: 'undefined-key-column', severity: 'error', summary: 'a PRIMARY KEY column the table does not define', fix: 'define the column in the table, or name one it has' },
    { id: 'undefined-index-column', severity: 'error', summary: 'an index (or its COVER) over a column the table does not have', fix: 'index a column the table has (the schema is replayed from the migrations before this one)' },
    { id: 'unknown-type', severity: 'error', summary: 'a column type YDB does not have', fix: 'use a YDB column type (Uint64, Utf8, Timestamp, Decimal(22,9), ...); columns are nullable unless NOT NULL, never Optional<...>' },
    { id: 'table-exists', severity: 'error', summary: 'CREATE TABLE of a table the migrations before it already created', fix: 'ALTER the existing table, or pick another name (IF NOT EXISTS would silently keep the old shape)' },
    { id: 'duplicate-column', severity: 'error', summary: 'a column defined twice, or added to a table that has it', fix: 'remove the second definition, or give the column another name' },
  ],
  statement(ctx, report) {
    const { ddl, file } = ctx;
    if (ddl.kind === 'create-table') {
      if (ddl.asSelect) return;
      if (!ddl.ifNotExists && ctx.schema.table(ddl.table.name)) report('table-exists', file, ddl.table, `table ${ddl.table.name} already exists here (an earlier migration or statement creates it), so YDB refuses to create it again`);
      if (!ddl.primaryKey) report('no-primary-key', file, ddl.table, `table ${ddl.table.name} has no PRIMARY KEY`);
      const seen = new Set<string>();
      for (const column of ddl.columns) {
        if (seen.has(column.name)) report('duplicate-column', file, column, `column ${column.name} is defined twice in table ${ddl.table.name}`);
        seen.add(column.name);
        checkType(column, file, report);
      }
      for (const key of ddl.primaryKey ?? []) {
        if (!seen.has(key.name)) report('undefined-key-column', file, key, `the PRIMARY KEY of table ${ddl.table.name} names column ${key.name}, which the table does not define`);
      }
      for (const index of ddl.indexes) checkIndex(index, ddl.table.name, seen, file, report);
    } else if (ddl.kind === 'alter-table') {
      alterTable(ctx, report);
    }
  },
};

function alterTable(ctx: StatementContext, report: Report): void {
  if (ctx.ddl.kind !== 'alter-table') return;
  const { table: target, actions } = ctx.ddl;
  const table = ctx.schema.table(target.name);
  const columns = table ? new Set(table.columns.map((c) => c.name)) : null;
  for (const action of actions) {
    if (action.kind === 'add-column') {
      checkType(action.column, ctx.file, report);
      if (columns?.has(action.column.name)) report('duplicate-column', ctx.file, action.column, `table ${target.name} already has a column ${action.column.name}`);
      columns?.add(action.column.name);
    } else if (action.kind === 'drop-column') {
      columns?.delete(action.column.name);
    } else if (action.kind === 'add-index' && columns) {
      checkIndex(action.index, target.name, columns, ctx.file, report);
    }
  }
}

function checkType(column: ColumnDef, file: string, report: Report): void {
  if (!column.typeKnown) report('unknown-type', file, column.typeAt, `'${column.type}' (column ${column.name}) is not a YDB column type`);
}

function checkIndex(index: IndexDef, table: string, columns: ReadonlySet<string>, file: string, report: Report): void {
  const undefinedColumn = (c: NameAt, role: string) =>
    report('undefined-index-column', file, c, `index ${index.name} ${role} column ${c.name}, which table ${table} does not have`);
  for (const c of index.columns) if (!columns.has(c.name)) undefinedColumn(c, 'is over');
  for (const c of index.cover) if (!columns.has(c.name)) undefinedColumn(c, 'covers');
}

/** ALTER / DROP TABLE (and DML) that YDB refuses given the schema the migrations before it built. */
import type { ResolvedType } from '../rules/column-types.js';
import type { TableModel } from '../schema/model.js';
import { tokenize } from '../yql/lexer.js';
import type { AlterTable, NameAt } from '../yql/ddl.js';
import { checkChangefeed, checkColumn, checkFamily, checkIndex, checkSettings, checkTtl, columnTypes } from './table.js';
import type { Report, RuleFamily, StatementContext } from './types.js';
import { ydbRule } from './ydb-rule.js';

export const alterRules: RuleFamily = {
  rules: (['missing-table', 'rename-onto-existing', 'rename-with-other-action', 'missing-object', 'serial-add-column', 'serial-column-change', 'drop-ttl-column', 'not-yql', 'update-key-column', 'drop-indexed-column'] as const).map(ydbRule),
  everyStatement: true,
  statement(ctx, report) {
    const { ddl, file } = ctx;
    if (ddl.kind === 'create-index') report('not-yql', file, ddl.at, 'YQL has no CREATE INDEX statement');
    else if (ddl.kind === 'drop-table') {
      if (!ddl.ifExists && !ctx.schema.table(ddl.table.name)) report('missing-table', file, ddl.table, missingTable(ddl.table.name));
    } else if (ddl.kind === 'alter-table') {
      const table = ctx.schema.table(ddl.table.name);
      if (!table) report('missing-table', file, ddl.table, missingTable(ddl.table.name));
      alterTable(ddl, table, ctx, report);
    } else if (ctx.statement.role === 'dml' && ctx.statement.keyword === 'UPDATE') {
      updateKey(ctx, report);
    }
  },
};

function missingTable(name: string): string {
  return `table ${name} does not exist here: no statement before this one creates it (if it predates the migrations, suppress with that reason)`;
}

function alterTable(ddl: AlterTable, before: TableModel | undefined, ctx: StatementContext, report: Report): void {
  const { file } = ctx;
  const name = ddl.table.name;
  const opaque = before ? ctx.schema.columnsUnknown(name) : true;
  // Actions see the actions before them in the statement: work on a copy.
  const types = before ? columnTypes(before) : new Map<string, ResolvedType>();
  const indexes = new Set(before?.indexes.map((i) => i.name));
  const changefeeds = new Set(before?.changefeeds.map((c) => c.name));
  const families = new Set(['default', ...(before?.families.map((f) => f.name) ?? [])]);
  const serial = (column: string) => before?.columns.find((c) => c.name === column && /Serial$/.test(c.type)) !== undefined;
  const missing = (what: string, n: NameAt) => {
    if (before && !opaque) report('missing-object', file, n, `table ${name} has no ${what} ${n.name}`);
  };
  for (const action of ddl.actions) {
    switch (action.kind) {
      case 'add-column': {
        const { column } = action;
        checkColumn(column, name, file, report, new Set(types.keys()));
        if (column.resolved.kind === 'serial') report('serial-add-column', file, column.typeAt, `column ${column.name} is added as ${column.type}: a serial column can only be created with its table`);
        if (types.has(column.name) && !opaque) report('duplicate-column', file, column, `table ${name} already has a column ${column.name}`);
        if (column.family && !families.has(column.family.name) && before) report('undefined-family', file, column.family, `column ${column.name} is put in family ${column.family.name}, which table ${name} does not define`);
        types.set(column.name, column.resolved);
        break;
      }
      case 'drop-column':
        if (!types.has(action.column.name)) missing('column', action.column);
        else if (serial(action.column.name)) report('serial-column-change', file, action.column, `column ${action.column.name} of ${name} is a serial column, which YDB does not drop`);
        else if (before?.ttl?.column === action.column.name) report('drop-ttl-column', file, action.column, `the TTL of table ${name} is on column ${action.column.name}`);
        else {
          const index = before?.indexes.find((i) => indexes.has(i.name) && (i.columns.includes(action.column.name) || i.cover.includes(action.column.name)));
          if (index) report('drop-indexed-column', file, action.column, `index ${index.name} of table ${name} is over or covers column ${action.column.name}`);
        }
        types.delete(action.column.name);
        break;
      case 'alter-column':
        if (!types.has(action.column.name)) missing('column', action.column);
        else if (serial(action.column.name)) report('serial-column-change', file, action.column, `column ${action.column.name} of ${name} is a serial column, which YDB does not change`);
        if (action.family && before && !families.has(action.family.name)) report('undefined-family', file, action.family, `family ${action.family.name} is not defined in table ${name}`);
        break;
      case 'add-index':
        if (indexes.has(action.index.name)) report('duplicate-index', file, action.index, `table ${name} already has an index ${action.index.name}`);
        indexes.add(action.index.name);
        if (before && !opaque) checkIndex(action.index, name, types, before.primaryKey, file, report);
        break;
      case 'drop-index':
        if (!indexes.delete(action.index.name)) missing('index', action.index);
        break;
      case 'rename-index':
        if (!indexes.delete(action.index.name)) missing('index', action.index);
        else if (indexes.has(action.to.name)) report('duplicate-index', file, action.to, `table ${name} already has an index ${action.to.name}`);
        indexes.add(action.to.name);
        break;
      case 'alter-index':
        if (!indexes.has(action.index.name)) missing('index', action.index);
        break;
      case 'reset-index':
        if (!indexes.has(action.index.name)) missing('index', action.index);
        for (const n of action.names) report('unsupported-setting', file, n, `${n.name} of index ${action.index.name} cannot be RESET; set it to a value`);
        break;
      case 'alter-changefeed':
        for (const s of action.settings.filter((x) => x.name === 'FORMAT')) report('unsupported-setting', file, s, `the FORMAT of changefeed ${action.changefeed.name} cannot be altered`);
        break;
      case 'alter-family':
        if (before?.store === 'row') checkFamily([action.setting], name, file, report);
        break;
      case 'add-changefeed':
        changefeeds.add(action.changefeed.name);
        checkChangefeed(action.changefeed, file, report);
        break;
      case 'drop-changefeed':
        if (!changefeeds.delete(action.changefeed.name)) missing('changefeed', action.changefeed);
        break;
      case 'add-family':
        families.add(action.family.name);
        if (before?.store === 'row') checkFamily(action.family.settings, name, file, report);
        break;
      case 'set':
        if (action.settings.ttl && before && !opaque) checkTtl(action.settings.ttl, name, types, file, report);
        checkSettings(action.settings.settings, name, file, report);
        for (const s of action.settings.settings.filter((x) => x.name === 'UNIFORM_PARTITIONS')) report('bad-table-setting', file, s, `UNIFORM_PARTITIONS of table ${name} can only be given in CREATE TABLE`);
        for (const s of action.settings.settings.filter((x) => x.name === 'PARTITION_AT_KEYS')) report('unsupported-setting', file, s, `PARTITION_AT_KEYS of table ${name} can only be given in CREATE TABLE`);
        break;
      case 'rename-to':
        if (ddl.actions.length > 1) report('rename-with-other-action', file, action.at, `RENAME TO ${action.to.name} shares its ALTER TABLE ${name} with ${ddl.actions.length - 1} other action(s)`);
        if (ctx.schema.table(action.to.name)) report('rename-onto-existing', file, action.to, `table ${action.to.name} already exists, so ${name} cannot be renamed to it`);
        break;
      case 'other':
        if (action.what === 'RENAME COLUMN') report('not-yql', file, action.at, 'YQL has no ALTER TABLE ... RENAME COLUMN');
        break;
      default:
        break;
    }
  }
}

/** `UPDATE t SET k = ...` where k is in t's primary key. */
function updateKey({ statement, file, schema }: StatementContext, report: Report): void {
  const tokens = tokenize(statement.text, file).filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  const target = tokens[1];
  if (!target || (target.kind !== 'word' && target.kind !== 'quoted')) return;
  const table = schema.table(target.kind === 'quoted' ? target.text.slice(1, -1) : target.text);
  if (!table || !/^SET$/i.test(tokens[2]?.text ?? '')) return;
  const key = new Set(table.primaryKey);
  for (let i = 3, depth = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && /^(WHERE|ON|RETURNING)$/i.test(t.text)) break;
    const assigns = depth === 0 && (i === 3 || tokens[i - 1]!.text === ',') && tokens[i + 1]?.text === '=';
    const name = t.kind === 'quoted' ? t.text.slice(1, -1) : t.text;
    if (assigns && key.has(name)) {
      const line = statement.line + t.line - 1;
      const column = t.line === 1 ? statement.column + t.column - 1 : t.column;
      report('update-key-column', file, { line, column }, `column ${name} is in the primary key of ${table.path}: UPDATE cannot change it`);
    }
  }
}

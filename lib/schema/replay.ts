/**
 * A schema replayed statically from migration files: the tables the
 * statements so far have created, altered and dropped, in the schema model's
 * shape. Statements the reader does not understand change nothing, so the
 * replay errs towards "unknown" (checks that need a table skip it) rather
 * than inventing objects.
 */
import type { TableModel } from './model.js';
import type { ColumnDef, DdlStatement, IndexDef } from './statement.js';

/** Tables by path. `fork()` gives a copy-on-write view, so a down can be tried after its up without copying every table. */
export class ReplayedSchema {
  private readonly own = new Map<string, TableModel | null>();

  constructor(private readonly parent: ReplayedSchema | null = null) {}

  table(path: string): TableModel | undefined {
    const mine = this.own.get(path);
    if (mine !== undefined) return mine ?? undefined;
    return this.parent?.table(path);
  }

  fork(): ReplayedSchema {
    return new ReplayedSchema(this);
  }

  apply(ddl: DdlStatement): void {
    if (ddl.kind === 'create-table') {
      if (ddl.ifNotExists && this.table(ddl.table.name)) return;
      this.own.set(ddl.table.name, {
        path: ddl.table.name,
        store: 'row',
        columns: ddl.columns.map(columnModel),
        partitionBy: [],
        primaryKey: (ddl.primaryKey ?? []).map((k) => k.name),
        indexes: ddl.indexes.map(indexModel),
        families: [],
        settings: {},
        ttl: null,
        changefeeds: [],
      });
    } else if (ddl.kind === 'drop-table') {
      this.own.set(ddl.table.name, null);
    } else if (ddl.kind === 'alter-table') {
      const before = this.table(ddl.table.name);
      if (!before) return;
      const table: TableModel = { ...before, columns: [...before.columns], indexes: [...before.indexes], changefeeds: [...before.changefeeds] };
      for (const action of ddl.actions) {
        if (action.kind === 'add-column') table.columns.push(columnModel(action.column));
        else if (action.kind === 'drop-column') table.columns = table.columns.filter((c) => c.name !== action.column.name);
        else if (action.kind === 'add-index') table.indexes.push(indexModel(action.index));
        else if (action.kind === 'drop-index') table.indexes = table.indexes.filter((i) => i.name !== action.index.name);
        else if (action.kind === 'add-changefeed') table.changefeeds.push({ name: action.changefeed.name, mode: '', format: '', virtualTimestamps: false, resolvedTimestampsSeconds: null });
        else if (action.kind === 'drop-changefeed') table.changefeeds = table.changefeeds.filter((c) => c.name !== action.changefeed.name);
      }
      this.own.set(table.path, table);
    }
  }
}

function columnModel(c: ColumnDef): TableModel['columns'][number] {
  return { name: c.name, type: c.type, notNull: c.notNull, default: null, family: null };
}

function indexModel(i: IndexDef): TableModel['indexes'][number] {
  return { name: i.name, mode: i.unique ? 'unique' : 'sync', columns: i.columns.map((c) => c.name), cover: i.cover.map((c) => c.name) };
}

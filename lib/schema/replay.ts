/**
 * A schema replayed statically from migration files: the tables the
 * statements so far have created, altered and dropped, in the schema model's
 * shape. Statements the reader does not understand change nothing, so the
 * replay errs towards "unknown" (checks that need a table skip it) rather
 * than inventing objects.
 */
import { canonicalName } from '../rules/column-types.js';
import type { AlterAction, ColumnDef, DdlStatement, IndexDef, TableSettings, TtlDef } from '../yql/ddl.js';
import type { ColumnModel, IndexModel, TableModel, TtlModel } from './model.js';

/** Tables by path. `fork()` gives a copy-on-write view, so a down can be tried after its up without copying every table. */
export class ReplayedSchema {
  private readonly own = new Map<string, TableModel | null>();
  /** Tables made by CREATE TABLE ... AS SELECT: their columns are not in the text. */
  private readonly opaque = new Set<string>();
  /** What the replay did not keep of a table (see `unkept`), by path; an own empty list hides the parent's. */
  private readonly lost = new Map<string, readonly string[]>();

  constructor(private readonly parent: ReplayedSchema | null = null) {}

  table(path: string): TableModel | undefined {
    const mine = this.own.get(path);
    if (mine !== undefined) return mine ?? undefined;
    return this.parent?.table(path);
  }

  /** Whether the table's columns are unknown (created from a SELECT), so column checks must not judge it. */
  columnsUnknown(path: string): boolean {
    return this.opaque.has(path) || (this.parent?.columnsUnknown(path) ?? false);
  }

  /**
   * What the model of the table does not hold although its statements said
   * it (TTL delays, changefeed and family options, settings of indexes...):
   * empty when the model is the table as the migrations leave it.
   */
  unkept(path: string): readonly string[] {
    return this.lost.get(path) ?? this.parent?.unkept(path) ?? [];
  }

  /** Every table the statements so far leave, by path. */
  tables(): TableModel[] {
    const paths = new Set<string>();
    for (let at: ReplayedSchema | null = this; at; at = at.parent) for (const path of at.own.keys()) paths.add(path);
    return [...paths].sort().flatMap((path) => this.table(path) ?? []);
  }

  private lose(path: string, what: readonly string[]): void {
    if (what.length > 0) this.lost.set(path, [...new Set([...this.unkept(path), ...what])]);
  }

  fork(): ReplayedSchema {
    return new ReplayedSchema(this);
  }

  apply(ddl: DdlStatement): void {
    if (ddl.kind === 'create-table') {
      if (ddl.ifNotExists && this.table(ddl.table.name)) return;
      const table: TableModel = {
        path: ddl.table.name,
        store: ddl.store,
        columns: ddl.columns.map(columnModel),
        partitionBy: (ddl.partitionBy ?? []).map((c) => c.name),
        primaryKey: (ddl.primaryKeys[0] ?? []).map((k) => k.name),
        indexes: ddl.indexes.map(indexModel),
        families: ddl.families.map((f) => ({ name: f.name, data: null, compression: null })),
        settings: {},
        ttl: null,
        changefeeds: ddl.changefeeds.map((c) => changefeedModel(c.name)),
      };
      applySettings(table, ddl);
      if (ddl.asSelect) this.opaque.add(table.path);
      this.own.set(table.path, table);
      this.lost.set(table.path, []);
      this.lose(table.path, [
        ...(ddl.asSelect ? ['its columns (CREATE TABLE ... AS SELECT)'] : []),
        ...(ddl.ttl ? [TTL_DELAY] : []),
        ...(ddl.changefeeds.length > 0 ? [CHANGEFEED_OPTIONS] : []),
        ...(ddl.families.length > 0 ? [FAMILY_OPTIONS] : []),
      ]);
    } else if (ddl.kind === 'drop-table') {
      this.own.set(ddl.table.name, null);
      this.lost.set(ddl.table.name, []);
    } else if (ddl.kind === 'alter-table') {
      const before = this.table(ddl.table.name);
      if (!before) return;
      const table: TableModel = { ...before, columns: [...before.columns], indexes: [...before.indexes], changefeeds: [...before.changefeeds], families: [...before.families], settings: { ...before.settings } };
      let renamedTo: string | null = null;
      const lost: string[] = [];
      for (const action of ddl.actions) {
        const what = UNKEPT_ACTIONS[action.kind];
        if (what) lost.push(what);
        if (action.kind === 'set' && action.settings.ttl) lost.push(TTL_DELAY);
        switch (action.kind) {
          case 'add-column': table.columns.push(columnModel(action.column)); break;
          case 'drop-column': table.columns = table.columns.filter((c) => c.name !== action.column.name); break;
          case 'alter-column':
            table.columns = table.columns.map((c) => (c.name !== action.column.name ? c : action.change === 'set-family' ? { ...c, family: action.family?.name ?? null } : { ...c, notNull: action.change === 'set-not-null' }));
            break;
          case 'add-index': table.indexes.push(indexModel(action.index)); break;
          case 'drop-index': table.indexes = table.indexes.filter((i) => i.name !== action.index.name); break;
          case 'rename-index':
            table.indexes = table.indexes.filter((i) => i.name !== action.to.name).map((i) => (i.name === action.index.name ? { ...i, name: action.to.name } : i));
            break;
          case 'add-changefeed': table.changefeeds.push(changefeedModel(action.changefeed.name)); break;
          case 'drop-changefeed': table.changefeeds = table.changefeeds.filter((c) => c.name !== action.changefeed.name); break;
          case 'add-family': table.families.push({ name: action.family.name, data: null, compression: null }); break;
          case 'set': applySettings(table, action.settings); break;
          case 'reset':
            for (const n of action.names) {
              if (n.name === 'TTL') table.ttl = null;
              else delete table.settings[n.name];
            }
            break;
          case 'rename-to': renamedTo = action.to.name; break;
          default: break;
        }
      }
      if (renamedTo !== null) {
        lost.push(...this.unkept(table.path));
        this.own.set(table.path, null);
        this.lost.set(table.path, []);
        if (this.columnsUnknown(table.path)) this.opaque.add(renamedTo);
        table.path = renamedTo;
      }
      this.own.set(table.path, table);
      this.lose(table.path, lost);
    }
  }
}

const TTL_DELAY = 'its TTL delay';
const CHANGEFEED_OPTIONS = "its changefeeds' options";
const FAMILY_OPTIONS = "its column families' options";

/** ALTER TABLE actions the model does not follow, and what of the table they leave unknown. */
const UNKEPT_ACTIONS: Partial<Record<AlterAction['kind'], string>> = {
  'add-changefeed': CHANGEFEED_OPTIONS,
  'alter-changefeed': CHANGEFEED_OPTIONS,
  'add-family': FAMILY_OPTIONS,
  'alter-family': FAMILY_OPTIONS,
  'alter-index': "its indexes' settings",
  'change-type-or-key': 'a change of its types or key (which YDB refuses)',
  other: 'an ALTER TABLE action the DDL reader does not model',
};

function applySettings(table: TableModel, given: TableSettings): void {
  for (const s of given.settings) if (s.name !== 'STORE') table.settings[s.name] = s.value.text;
  if (given.ttl) table.ttl = ttlModel(given.ttl);
}

function columnModel(c: ColumnDef): ColumnModel {
  const serial = c.resolved.kind === 'serial';
  return { name: c.name, type: canonicalName(c.resolved) ?? c.type, notNull: c.notNull || serial, default: c.default?.text ?? null, family: c.family?.name ?? null };
}

function indexModel(i: IndexDef): IndexModel {
  return { name: i.name, mode: i.unique ? 'unique' : i.sync === 'ASYNC' ? 'async' : 'sync', columns: i.columns.map((c) => c.name), cover: i.cover.map((c) => c.name) };
}

function changefeedModel(name: string): TableModel['changefeeds'][number] {
  return { name, mode: '', format: '', virtualTimestamps: false, resolvedTimestampsSeconds: null };
}

/** The replay keeps the TTL's column and unit; its delay is not evaluated (expireAfterSeconds 0). */
function ttlModel(ttl: TtlDef): TtlModel {
  return { column: ttl.on.name, expireAfterSeconds: 0, unit: ttl.unit?.name ?? null };
}

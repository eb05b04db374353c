/**
 * The schema model: a database's objects as plain, JSON-ready data, in one
 * canonical order (tables and others by path, indexes, families and
 * changefeeds by name; columns in the table's own order), so that two reads
 * of one schema are deepEqual and render byte for byte alike.
 *
 * Paths are relative to the database (`dir/t`). Types are YQL spellings of
 * the column's type without its nullability (`Uint64`, `Decimal(22,9)`).
 * Settings are the WITH clause's names and values as YQL writes them
 * (`AUTO_PARTITIONING_BY_SIZE: 'ENABLED'`, `READ_REPLICAS_SETTINGS: '"PER_AZ:1"'`).
 */

export interface Schema {
  tables: TableModel[];
  /** Objects the model does not describe (topics, views, ...): named, never dropped silently. */
  others: OtherObject[];
}

export interface TableModel {
  path: string;
  store: 'row' | 'column';
  columns: ColumnModel[];
  /** A column table's PARTITION BY HASH columns; empty for row tables. */
  partitionBy: string[];
  primaryKey: string[];
  indexes: IndexModel[];
  families: FamilyModel[];
  /** WITH settings other than TTL, by upper-case name; values as YQL text. */
  settings: Record<string, string>;
  ttl: TtlModel | null;
  changefeeds: ChangefeedModel[];
}

export interface ColumnModel {
  name: string;
  type: string;
  notNull: boolean;
  /** The DEFAULT as a YQL literal, when YDB reports one. */
  default: string | null;
  /** The column family, when not the default one. */
  family: string | null;
}

export interface IndexModel {
  name: string;
  /** SYNC, ASYNC or UNIQUE (a unique index is synchronous). */
  mode: 'sync' | 'async' | 'unique';
  columns: string[];
  cover: string[];
}

export interface FamilyModel {
  name: string;
  /** Storage pool kind (`ssd`, `rot`), or null for the default. */
  data: string | null;
  /** `off`, `lz4`, or null when unspecified. */
  compression: string | null;
}

export interface TtlModel {
  column: string;
  expireAfterSeconds: number;
  /** For a numeric column: SECONDS, MILLISECONDS, MICROSECONDS or NANOSECONDS. */
  unit: string | null;
}

export interface ChangefeedModel {
  name: string;
  /** KEYS_ONLY, UPDATES, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES. */
  mode: string;
  /** JSON, DYNAMODB_STREAMS_JSON, DEBEZIUM_JSON. */
  format: string;
  virtualTimestamps: boolean;
  /** RESOLVED_TIMESTAMPS interval in seconds, or null. */
  resolvedTimestampsSeconds: number | null;
}

export interface OtherObject {
  path: string;
  /** YDB's entry type name, e.g. TOPIC, VIEW, COORDINATION_NODE. */
  kind: string;
}

export const byName = <T extends { name: string }>(a: T, b: T): number => compareText(a.name, b.name);
export const byPath = <T extends { path: string }>(a: T, b: T): number => compareText(a.path, b.path);

/** Code-unit order, independent of locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The model in its canonical order. */
export function canonical(schema: Schema): Schema {
  return {
    tables: schema.tables
      .map((t) => ({ ...t, indexes: [...t.indexes].sort(byName), families: [...t.families].sort(byName), changefeeds: [...t.changefeeds].sort(byName), settings: sortedRecord(t.settings) }))
      .sort(byPath),
    others: [...schema.others].sort(byPath),
  };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

/**
 * A schema with each table's columns in name order. YDB adds a column at the
 * end of its table and has no way to put one back in its place, so a down
 * that re-adds a dropped column cannot restore the order: comparisons of what
 * a migration can restore leave it out.
 */
export function withoutColumnOrder(schema: Schema): Schema {
  return { ...schema, tables: schema.tables.map((t) => ({ ...t, columns: [...t.columns].sort(byName) })) };
}

/** The tables whose columns are the same but in another order in `b`; null when `a` and `b` differ otherwise. */
export function columnOrderChanges(a: Schema, b: Schema): string[] | null {
  if (!sameJson(withoutColumnOrder(a), withoutColumnOrder(b))) return null;
  return a.tables.filter((t, i) => !sameJson(t.columns, b.tables[i]!.columns)).map((t) => t.path);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The schema a migration starts from, and where it was taken from (said in a generated migration's header). */
export interface CurrentSchema {
  schema: Schema;
  /** e.g. "read from grpc://localhost:2136/local", "replayed from the migrations in sql/ up to 0005_x". */
  source: string;
}

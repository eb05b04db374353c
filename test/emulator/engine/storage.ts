/**
 * Committed state: tables (scheme + rows kept in primary-key order on read)
 * and the folders their paths create. Every change of a row records the commit
 * version that made it, which is what optimistic locks are checked against.
 */
import { type YqlType, optional } from './types.js';
import { compareNullable, encodeKey, type Value } from './values.js';

export interface ColumnSchema {
  name: string;
  /** The declared type, never Optional: nullability is `notNull`. */
  type: YqlType;
  notNull: boolean;
  defaultValue?: Value;
}

export interface IndexSchema {
  name: string;
  columns: string[];
  cover: string[];
  async: boolean;
  unique: boolean;
}

export interface TtlSchema {
  column: string;
  expireAfterSeconds: number;
  /** For a numeric column: SECONDS, MILLISECONDS, MICROSECONDS or NANOSECONDS. */
  unit?: string;
}

export interface TableSchema {
  columns: ColumnSchema[];
  primaryKey: string[];
  indexes: IndexSchema[];
  settings: Record<string, string>;
  ttl?: TtlSchema;
}

export type Row = Record<string, Value>;

/** The type a column has in queries: `T?` unless NOT NULL. */
export function columnType(c: ColumnSchema): YqlType {
  return c.notNull ? c.type : optional(c.type);
}

export class Table {
  /** Bumped by every ALTER; transactions that touched an older scheme are aborted. */
  schemaVersion = 1;
  /** Committed rows by encoded primary key. */
  readonly rows = new Map<string, Row>();
  /** Commit version of the last change of each key, deleted keys included. */
  readonly keyVersions = new Map<string, number>();
  /** Commit version of the last change of any row. */
  lastChange = 0;

  constructor(
    public path: string,
    public schema: TableSchema,
  ) {}

  column(name: string): ColumnSchema | undefined {
    return this.schema.columns.find((c) => c.name === name);
  }

  isKeyColumn(name: string): boolean {
    return this.schema.primaryKey.includes(name);
  }

  keyOf(row: Row): string {
    return encodeKey(this.schema.primaryKey.map((k) => row[k] ?? null));
  }

  /** Orders rows by primary key, NULLs first, like a YDB table scan. */
  compareByKey = (a: Row, b: Row): number => {
    for (const k of this.schema.primaryKey) {
      const t = columnType(this.column(k)!);
      const c = compareNullable(t, a[k] ?? null, t, b[k] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  };

  /** Applies committed changes at `version`. */
  apply(changes: Map<string, Row | null>, version: number): void {
    for (const [key, row] of changes) {
      if (row) this.rows.set(key, row);
      else this.rows.delete(key);
      this.keyVersions.set(key, version);
    }
    if (changes.size > 0) this.lastChange = version;
  }

  /** Rewrites every committed row after a scheme change (a column added or dropped). */
  rewriteRows(transform: (row: Row) => Row): void {
    for (const [key, row] of this.rows) this.rows.set(key, transform(row));
    this.schemaVersion++;
  }
}

export class Catalog {
  private readonly tables = new Map<string, Table>();
  private readonly folders = new Set<string>();

  get(path: string): Table | undefined {
    return this.tables.get(path);
  }

  isFolder(path: string): boolean {
    return this.folders.has(path);
  }

  /** Table paths, sorted. */
  paths(): string[] {
    return [...this.tables.keys()].sort();
  }

  add(table: Table, folders: string[]): void {
    for (const f of folders) this.folders.add(f);
    this.tables.set(table.path, table);
  }

  remove(path: string): void {
    this.tables.delete(path);
  }

  rename(table: Table, to: string, folders: string[]): void {
    this.tables.delete(table.path);
    table.path = to;
    table.schemaVersion++;
    this.add(table, folders);
  }
}

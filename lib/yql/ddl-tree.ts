/**
 * The table DDL a migration contains, as one typed tree with positions:
 * CREATE / ALTER / DROP TABLE in the forms YDB's grammar has
 * (yql/essentials/sql/v1/SQLv1Antlr4.g.in: create_table_stmt,
 * alter_table_stmt, drop_table_stmt). ddl.ts reads it; lint, the schema
 * replay and the desired-schema reader use it.
 */
import type { Token } from './lexer.js';
import type { ResolvedType } from '../rules/column-types.js';

export interface Position {
  line: number;
  column: number;
}

export interface NameAt extends Position {
  name: string;
}

/** An expression as written: a setting's value or a DEFAULT. */
export interface Expr extends Position {
  /** The tokens, whitespace and comments left out, without spaces between them. */
  text: string;
  tokens: Token[];
}

/** `NAME = value` in WITH (...), SET (...), a FAMILY or a CHANGEFEED; the name upper-cased. */
export interface Setting extends NameAt {
  value: Expr;
}

export interface ColumnDef extends NameAt {
  /** Whether the name is written in backquotes (a keyword may then name the column). */
  quoted: boolean;
  /** The type as written, spaces removed (`Uint64`, `Decimal(22,9)`, `bigint`). */
  type: string;
  typeAt: Position;
  resolved: ResolvedType;
  notNull: boolean;
  default: Expr | null;
  family: NameAt | null;
}

export interface IndexDef extends NameAt {
  /** GLOBAL or LOCAL (GLOBAL when not written). */
  scope: 'GLOBAL' | 'LOCAL';
  unique: boolean;
  /** SYNC or ASYNC as written, or null. */
  sync: 'SYNC' | 'ASYNC' | null;
  /** `USING vector_kmeans_tree`: the index type, or null for a secondary index. */
  using: string | null;
  columns: NameAt[];
  cover: NameAt[];
  settings: Setting[];
}

export interface FamilyDef extends NameAt {
  settings: Setting[];
}

export interface ChangefeedDef extends NameAt {
  settings: Setting[];
}

export interface TtlTier {
  /** The eviction delay, e.g. `Interval("P1D")`. */
  delay: Expr;
  /** Null for DELETE (the default); the external data source for `TO EXTERNAL DATA SOURCE`. */
  evictTo: NameAt | null;
}

export interface TtlDef extends Position {
  tiers: TtlTier[];
  /** The column after ON. */
  on: NameAt;
  /** SECONDS, MILLISECONDS, MICROSECONDS or NANOSECONDS as written (upper-cased), or null. */
  unit: NameAt | null;
}

/** WITH (...) / SET (...) contents: TTL apart, the others in order. */
export interface TableSettings {
  settings: Setting[];
  ttl: TtlDef | null;
}

/** Something the reader does not model, kept with where it starts so that nothing is lost silently. */
export interface Unread extends Position {
  what: string;
}

export interface CreateTable extends TableSettings {
  kind: 'create-table';
  table: NameAt;
  orReplace: boolean;
  ifNotExists: boolean;
  columns: ColumnDef[];
  /** Every PRIMARY KEY clause (YDB allows one). */
  primaryKeys: NameAt[][];
  indexes: IndexDef[];
  families: FamilyDef[];
  changefeeds: ChangefeedDef[];
  /** `PARTITION BY [HASH] (...)`, or null. */
  partitionBy: NameAt[] | null;
  /** From `STORE = COLUMN` in WITH. */
  store: 'row' | 'column';
  asSelect: boolean;
  unread: Unread[];
}

export type AlterAction =
  | { kind: 'add-column'; column: ColumnDef }
  | { kind: 'drop-column'; column: NameAt }
  | { kind: 'alter-column'; column: NameAt; change: 'set-family' | 'drop-not-null' | 'set-not-null'; family: NameAt | null }
  | { kind: 'add-index'; index: IndexDef }
  | { kind: 'drop-index'; index: NameAt }
  | { kind: 'rename-index'; index: NameAt; to: NameAt }
  | { kind: 'alter-index'; index: NameAt; settings: Setting[] }
  | { kind: 'reset-index'; index: NameAt; names: NameAt[] }
  | { kind: 'add-changefeed'; changefeed: ChangefeedDef }
  /** `ALTER CHANGEFEED c SET (...)`: the settings, empty for its other forms. */
  | { kind: 'alter-changefeed'; changefeed: NameAt; settings: Setting[] }
  | { kind: 'drop-changefeed'; changefeed: NameAt }
  | { kind: 'add-family'; family: FamilyDef }
  | { kind: 'alter-family'; family: NameAt; setting: Setting }
  | { kind: 'set'; at: Position; settings: TableSettings }
  | { kind: 'reset'; at: Position; names: NameAt[] }
  | { kind: 'rename-to'; at: Position; to: NameAt }
  /** `ALTER COLUMN c SET TYPE ...`, `ALTER COLUMN c TYPE ...`, `ADD/DROP/ALTER PRIMARY KEY`: no such statement in YDB. */
  | { kind: 'change-type-or-key'; at: Position; what: string }
  | { kind: 'other'; at: Position; what: string };

export interface AlterTable {
  kind: 'alter-table';
  table: NameAt;
  actions: AlterAction[];
}

export interface DropTable {
  kind: 'drop-table';
  table: NameAt;
  ifExists: boolean;
}

/** A PostgreSQL-style `CREATE [UNIQUE] INDEX name ON t (...)`, which YQL does not have. */
export interface CreateIndex {
  kind: 'create-index';
  at: Position;
}

export type DdlStatement = CreateTable | AlterTable | DropTable | CreateIndex | { kind: 'other' };

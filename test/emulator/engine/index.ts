/**
 * The YDB emulator's YQL engine: in-memory tables, a YQL subset (SUBSET.md),
 * YDB's statuses and issue texts, and serializable transactions with
 * optimistic locks. Pure TypeScript; the gRPC server in test/emulator drives it.
 */
import type { Ydb } from 'ydb-sdk-proto';
import { EngineError, IssueCode, issue } from './errors.js';
import { runQuery, type ExecMode } from './executor.js';
import { PathResolver } from './paths.js';
import { ydbProfile, type ProfileOptions, type YdbProfile } from './profile.js';
import { toYdbType, toYdbValue } from './proto.js';
import { Catalog, columnType, type TtlSchema } from './storage.js';
import { TransactionManager, type Transaction, type Tx } from './transactions.js';
import { formatColumnType } from './types.js';
import { toPlainJs } from './values.js';

export { EngineError } from './errors.js';
export type { EngineIssue, StatusName } from './errors.js';
export type { ExecMode } from './executor.js';
export type { Transaction } from './transactions.js';
export { NEWEST_KNOWN_VERSION, OLDEST_SUPPORTED_VERSION, type ProfileOptions, type YdbProfile, type YqlParser } from './profile.js';

export interface ExecuteRequest {
  text: string;
  /** Keys like '$name'. */
  params: Record<string, Ydb.ITypedValue>;
  mode: ExecMode;
  /** For 'tx'. */
  tx?: Transaction;
}

export interface ExecuteResult {
  resultSets: Ydb.IResultSet[];
}

export interface EngineOptions extends ProfileOptions {
  /** The database path; '/local' by default. */
  database?: string;
}

export interface TableDescription {
  /** `defaultValue`: a DEFAULT literal, as DescribeTable's `from_literal` reports it. */
  columns: { name: string; type: string; notNull: boolean; defaultValue?: Ydb.ITypedValue }[];
  primaryKey: string[];
  indexes: { name: string; columns: string[]; async: boolean; unique: boolean; cover: string[] }[];
  /** The WITH settings as written, names in upper case (TTL apart). */
  settings: Record<string, string>;
  ttl?: TtlSchema;
}

export class Engine {
  private readonly catalog = new Catalog();
  private readonly paths: PathResolver;
  private readonly txs: TransactionManager;
  /** The YDB server this engine plays (profile.ts). */
  readonly profile: YdbProfile;

  constructor(options: EngineOptions = {}) {
    this.profile = ydbProfile(options);
    this.paths = new PathResolver(options.database ?? '/local');
    this.txs = new TransactionManager(this.catalog);
  }

  /** Throws EngineError. */
  execute(req: ExecuteRequest): ExecuteResult {
    const tx = req.tx === undefined ? undefined : this.own(req.tx);
    const resultSets = runQuery({ text: req.text, params: req.params, mode: req.mode, ...(tx ? { tx } : {}) }, {
      catalog: this.catalog,
      paths: this.paths,
      profile: this.profile,
      txs: this.txs,
    });
    return { resultSets };
  }

  /** Serializable read-write. */
  beginTransaction(): Transaction {
    return this.txs.begin();
  }

  /** Throws EngineError ABORTED ("Transaction locks invalidated", issue 2001) on conflict. */
  commit(tx: Transaction): void {
    this.txs.commit(this.own(tx));
  }

  rollback(tx: Transaction): void {
    this.txs.rollback(this.own(tx));
  }

  findTransaction(id: string): Transaction | undefined {
    return this.txs.find(id);
  }

  /** Test hook: table paths relative to the database, e.g. 'dir/t'. */
  listTables(): string[] {
    return this.catalog.paths().map((p) => this.paths.relative(p));
  }

  /** Test hook: the committed scheme of a table (path relative to the database or absolute). */
  describeTable(path: string): TableDescription | undefined {
    const table = this.catalog.get(this.paths.resolve(path));
    if (!table) return undefined;
    const { columns, primaryKey, indexes, settings, ttl } = table.schema;
    return {
      columns: columns.map((c) => ({
        name: c.name,
        type: formatColumnType(c.type, c.notNull),
        notNull: c.notNull,
        ...(c.defaultValue === undefined ? {} : { defaultValue: { type: toYdbType(columnType(c)), value: toYdbValue(columnType(c), c.defaultValue) } }),
      })),
      primaryKey: [...primaryKey],
      indexes: indexes.map((i) => ({ name: i.name, columns: [...i.columns], async: i.async, unique: i.unique, cover: [...i.cover] })),
      settings: { ...settings },
      ...(ttl ? { ttl: { ...ttl } } : {}),
    };
  }

  /** Test hook: committed rows in key order, as plain JS values. */
  readTable(path: string): Record<string, unknown>[] {
    const table = this.catalog.get(this.paths.resolve(path));
    if (!table) return [];
    const rows = [...table.rows.values()].sort(table.compareByKey);
    return rows.map((row) => Object.fromEntries(table.schema.columns.map((c) => [c.name, toPlainJs(columnType(c), row[c.name] ?? null)])));
  }

  /** Transactions are only ever the engine's own objects; a stranger is an unknown id. */
  private own(tx: Transaction): Tx {
    const found = this.txs.find(tx.id);
    if (!found) {
      throw new EngineError('NOT_FOUND', [issue(`Transaction not found: ${tx.id}`, { code: IssueCode.TRANSACTION_NOT_FOUND })]);
    }
    return found;
  }
}

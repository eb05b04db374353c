/**
 * The history table online: the statements come from history.ts (the one
 * description of its columns), every value bound as a typed parameter.
 */
import {
  addProgressColumnStatement,
  decodeHistoryRow,
  historyDeleteStatement,
  historySelectStatement,
  historyTableDdl,
  historyUpsertStatement,
  lockTableDdl,
  PROGRESS_COLUMN,
  type HistoryRow,
  type HistoryShape,
  type HistoryWrite,
} from '../history.js';
import { MigrateError } from '../errors.js';
import type { Connection } from './connection.js';
import { QueryBuilder, runRequest, statusOf, type Request } from './execute.js';

/** A change to the history that rides along the next transaction. */
export type HistoryChange = { kind: 'upsert'; row: HistoryWrite } | { kind: 'delete'; name: string };

/** Bookkeeping queries are short: a YDB that does not answer them within this is stuck. */
export const BOOKKEEPING_TIMEOUT_MS = 30_000;

export function addHistoryChanges(builder: QueryBuilder, table: string, changes: readonly HistoryChange[]): QueryBuilder {
  for (const change of changes) {
    builder.add(change.kind === 'upsert' ? historyUpsertStatement(table, change.row, builder.bind) : historyDeleteStatement(table, change.name, builder.bind));
  }
  return builder;
}

/** Both tables in one scheme query; IF NOT EXISTS lets concurrent runners race harmlessly. */
export function createTablesRequest(table: string): Request {
  return { kind: 'scheme', query: { text: `${historyTableDdl(table)}\n${lockTableDdl(table)}`, bindings: [], source: null } };
}

export function decodeHistory(rows: readonly Record<string, unknown>[], table: string): HistoryRow[] {
  return rows.map((row) => decodeHistoryRow(row, table));
}

/** The history as it is, without taking the lock and changing nothing; empty when the table does not exist yet (nothing was ever applied). */
export async function readHistory(connection: Connection, table: string): Promise<HistoryRow[]> {
  const read = async (shape: HistoryShape): Promise<HistoryRow[]> => {
    const query = new QueryBuilder().add(historySelectStatement(table, shape)).build();
    const [[rows = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [query] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `reading the history table ${table}` });
    return decodeHistory(rows, table);
  };
  try {
    return (await readInShape(connection, read)).value;
  } catch (err) {
    if (isMissingTable(connection, err)) return [];
    const column = missingColumn(connection, err);
    if (column) {
      throw new MigrateError(
        'HISTORY_NOT_OURS',
        `table ${table} exists but is not a ydb-migrate history table (it has no column ${column}); nothing was written: pass --table (or YDB_MIGRATE_TABLE) a name that is free or holds ydb-migrate's history`,
      );
    }
    throw err;
  }
}

/**
 * Runs `read` with the current shape's SELECT and, when the table lacks
 * PROGRESS_COLUMN (written by an earlier version, or only by offline
 * scripts of one), again with the older shape's. YDB refuses a SELECT of a
 * missing column when it compiles the query, so nothing of the first try ran.
 */
export async function readInShape<T>(connection: Connection, read: (shape: HistoryShape) => Promise<T>): Promise<{ value: T; shape: HistoryShape }> {
  try {
    return { value: await read('current'), shape: 'current' };
  } catch (err) {
    if (missingColumn(connection, err) !== PROGRESS_COLUMN) throw err;
  }
  return { value: await read('without-progress'), shape: 'without-progress' };
}

/** The column a query named that its table lacks: YDB's compile error "Member not found: NAME". */
function missingColumn(connection: Connection, err: unknown): string | null {
  const column = /Member not found: ([A-Za-z0-9_]+)/.exec(err instanceof Error ? err.message : '');
  return statusOf(connection, err) === 'GENERIC_ERROR' && column ? column[1]! : null;
}

/**
 * Brings a `without-progress` table to the current shape in place; run
 * under the lock before the run's first history write. A concurrent runner
 * of this version that took the lock first may have added the column
 * already: YDB then refuses the ALTER at compile time, and the run goes on.
 */
export async function upgradeHistoryTable(connection: Connection, table: string): Promise<void> {
  const query = { text: addProgressColumnStatement(table), bindings: [], source: null };
  try {
    await runRequest(connection, { kind: 'scheme', query }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `adding the column ${PROGRESS_COLUMN} to the history table ${table}` });
  } catch (err) {
    if (statusOf(connection, err) === 'GENERIC_ERROR' && new RegExp(`"${PROGRESS_COLUMN}" already exists`).test(err instanceof Error ? err.message : '')) return;
    throw err;
  }
}

/** YDB answers SCHEME_ERROR for a table that does not exist. */
export function isMissingTable(connection: Connection, err: unknown): boolean {
  return statusOf(connection, err) === 'SCHEME_ERROR';
}

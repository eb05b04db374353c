/**
 * The history table online: the statements come from history.ts (the one
 * description of its columns), every value bound as a typed parameter.
 */
import { decodeHistoryRow, historyDeleteStatement, historySelectStatement, historyTableDdl, historyUpsertStatement, lockTableDdl, type HistoryRow, type HistoryWrite } from '../history.js';
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

/** The history as it is, without taking the lock; empty when the table does not exist yet (nothing was ever applied). */
export async function readHistory(connection: Connection, table: string): Promise<HistoryRow[]> {
  const query = new QueryBuilder().add(historySelectStatement(table)).build();
  try {
    const [[rows = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [query] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `reading the history table ${table}` });
    return decodeHistory(rows, table);
  } catch (err) {
    if (isMissingTable(connection, err)) return [];
    const column = /Member not found: (\S+)/.exec(err instanceof Error ? err.message : '');
    if (statusOf(connection, err) === 'GENERIC_ERROR' && column) {
      throw new MigrateError(
        'HISTORY_NOT_OURS',
        `table ${table} exists but is not a ydb-migrate history table (it has no column ${column[1]}); nothing was written: pass --table (or YDB_MIGRATE_TABLE) a name that is free or holds ydb-migrate's history`,
      );
    }
    throw err;
  }
}

/** YDB answers SCHEME_ERROR for a table that does not exist. */
export function isMissingTable(connection: Connection, err: unknown): boolean {
  return statusOf(connection, err) === 'SCHEME_ERROR';
}

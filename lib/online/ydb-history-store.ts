/**
 * The history store in YDB: the history table and the lock table beside it,
 * every value bound as a typed parameter. Taking the lock reads the history
 * in the same transaction, so a runner always plans from the history as it
 * stands once nobody else can change it. Expiry is judged by YDB's clock,
 * never by the clients'.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MigrateError } from '../errors.js';
import type { Connection } from '../ydb/connection.js';
import { QueryBuilder, runRequest, runTransaction, statusOf, type Query, type Request } from '../ydb/execute.js';
import type { HistoryStore, LockRequest } from './history-store.js';
import {
  addHistoryChanges,
  changedName,
  CURRENT_HISTORY_VERSION,
  decodeHistoryRow,
  historySelectStatement,
  historyTableDdl,
  historyUpgradeStatements,
  versionWithout,
  type HistoryChange,
  type HistoryRow,
  type HistoryVersion,
} from './history-table.js';
import { lockTableName } from '../own-tables.js';
import { interruptedWaiting } from './interrupt.js';
import { Lease } from './lease.js';
import {
  describeHolder,
  holderOf,
  holderSelectStatement,
  leaseRenewStatement,
  leaseRowStatement,
  lockReleaseStatement,
  lockRemoveStatement,
  lockTableDdl,
  type LockHolder,
  type LockOwner,
} from './lock-table.js';

/** Bookkeeping queries are short: a YDB that does not answer them within this is stuck. */
export const BOOKKEEPING_TIMEOUT_MS = 30_000;
export const DEFAULT_LEASE_SECONDS = 30;
const POLL_MS = 250;

export function ydbHistoryStore(connection: Connection, table: string): HistoryStore {
  const bookkeeping = (doing: string) => ({ timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing });
  const releaseQuery = (owner: LockOwner, changes: readonly HistoryChange[]): Query => {
    const builder = addHistoryChanges(new QueryBuilder(), table, changes);
    return builder.add(lockReleaseStatement(table, owner, builder.bind)).build();
  };
  const store: HistoryStore = {
    table,
    read: () => readHistory(connection, table),

    async lock(request: LockRequest): Promise<{ lease: Lease; history: HistoryRow[] }> {
      const { lease, history, version } = await acquireLock(connection, table, request);
      if (version < CURRENT_HISTORY_VERSION) {
        try {
          await upgradeHistoryTable(connection, table, version);
        } catch (err) {
          await lease.stop();
          await store.release(lease, []).catch(() => undefined); // the error at hand says more; the lease expires anyway
          throw err;
        }
      }
      return { lease, history };
    },

    async release(lease: Lease, changes: readonly HistoryChange[]): Promise<void> {
      const names = changes.map(changedName);
      const doing = changes.length > 0 ? `writing the history of ${names.join(', ')} and releasing the lock` : 'releasing the lock';
      await runRequest(connection, { kind: 'transaction', queries: [releaseQuery(lease.owner, changes)] }, bookkeeping(doing));
    },

    async holder(): Promise<LockHolder | null> {
      try {
        const [[[row] = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [holderQuery(table)] }, bookkeeping('reading who holds the lock'));
        return row ? holderOf(row) : null;
      } catch (err) {
        if (isMissingTable(connection, err)) return null;
        throw err;
      }
    },

    async breakLock(): Promise<LockHolder | null> {
      const remove = new QueryBuilder();
      remove.add(lockRemoveStatement(table, remove.bind));
      try {
        return await runTransaction(connection, async (tx) => {
          const [[row] = []] = await tx.query(holderQuery(table));
          await tx.query(remove.build(), { commit: true });
          return row ? holderOf(row) : null;
        }, bookkeeping('removing the lock'));
      } catch (err) {
        if (isMissingTable(connection, err)) return null;
        throw err;
      }
    },

    releaseQuery,
  };
  return store;
}

/** Both tables in one scheme query; IF NOT EXISTS lets concurrent runners race harmlessly. */
export function createTablesRequest(table: string): Request {
  return { kind: 'scheme', query: { text: `${historyTableDdl(table)}\n${lockTableDdl(table)}`, bindings: [], source: null } };
}

/** The history as it is, without taking the lock and changing nothing; empty when the table does not exist yet (nothing was ever applied). */
async function readHistory(connection: Connection, table: string): Promise<HistoryRow[]> {
  const read = async (version: HistoryVersion): Promise<HistoryRow[]> => {
    const query = new QueryBuilder().add(historySelectStatement(table, version)).build();
    const [[rows = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [query] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `reading the history table ${table}` });
    return rows.map((row) => decodeHistoryRow(row, table));
  };
  try {
    return (await readInVersion(connection, read)).value;
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
 * Runs `read` with the current version's SELECT and, when the table lacks
 * one of its columns (written by an earlier version, or only by offline
 * scripts of one), again with the version before that column, until one
 * fits. YDB refuses a SELECT of a missing column when it compiles the query,
 * so nothing of a failed try ran.
 */
async function readInVersion<T>(connection: Connection, read: (version: HistoryVersion) => Promise<T>): Promise<{ value: T; version: HistoryVersion }> {
  for (let version = CURRENT_HISTORY_VERSION; ; ) {
    try {
      return { value: await read(version), version };
    } catch (err) {
      const column = missingColumn(connection, err);
      const older = column === null ? null : versionWithout(column);
      if (older === null || older >= version) throw err;
      version = older;
    }
  }
}

/** The column a query named that its table lacks: YDB's compile error "Member not found: NAME". */
function missingColumn(connection: Connection, err: unknown): string | null {
  const column = /Member not found: ([A-Za-z0-9_]+)/.exec(err instanceof Error ? err.message : '');
  return statusOf(connection, err) === 'GENERIC_ERROR' && column ? column[1]! : null;
}

/**
 * Brings a table of an earlier version to the current one in place, a
 * column per request; run under the lock before the run's first history
 * write. A concurrent runner of this version that took the lock first (or
 * an upgrade cut short) may have added a column already: YDB then refuses
 * its ALTER at compile time, and the upgrade goes on.
 */
async function upgradeHistoryTable(connection: Connection, table: string, from: HistoryVersion): Promise<void> {
  for (const { column, statement } of historyUpgradeStatements(table, from)) {
    const query = { text: statement, bindings: [], source: null };
    try {
      await runRequest(connection, { kind: 'scheme', query }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `adding the column ${column} to the history table ${table}` });
    } catch (err) {
      if (statusOf(connection, err) === 'GENERIC_ERROR' && (err instanceof Error ? err.message : '').includes(`"${column}" already exists`)) continue;
      throw err;
    }
  }
}

/** YDB answers SCHEME_ERROR for a table that does not exist. */
function isMissingTable(connection: Connection, err: unknown): boolean {
  return statusOf(connection, err) === 'SCHEME_ERROR';
}

/** Takes the lock, waiting while another runner holds it; returns the lease and the history read with it, in the table's version. */
async function acquireLock(connection: Connection, table: string, request: LockRequest): Promise<{ lease: Lease; history: HistoryRow[]; version: HistoryVersion }> {
  const leaseSeconds = request.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const deadline = performance.now() + request.waitSeconds * 1000;
  const waitedFor = new Set<string>();
  let created = false;
  for (;;) {
    let outcome: Attempt;
    let version: HistoryVersion;
    const sent = performance.now();
    try {
      ({ value: outcome, version } = await readInVersion(connection, (version) => attempt(connection, table, request.owner, leaseSeconds, version)));
    } catch (err) {
      if (created || !isMissingTable(connection, err)) throw err;
      await runRequest(connection, createTablesRequest(table), { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `creating the history and lock tables ${table} and ${lockTableName(table)}` });
      created = true;
      continue;
    }
    if (outcome.kind === 'acquired') {
      if (outcome.tookOver) request.onTakeover?.(outcome.tookOver);
      return { lease: new Lease(request.owner, leaseSeconds, sent, () => renew(connection, table, request.owner, leaseSeconds)), history: outcome.history, version };
    }
    if (outcome.kind === 'free') continue; // released between the two reads
    const seen = waitedFor.has(outcome.holder.owner);
    waitedFor.add(outcome.holder.owner);
    if (!seen) await request.onHeld?.(outcome.holder);
    if (request.signal?.aborted) throw interruptedWaiting(request.signal);
    if (performance.now() >= deadline) throw lockTimeout(outcome.holder, request.waitSeconds);
    if (!seen) request.onWait?.(outcome.holder);
    await sleep(POLL_MS * (1 + Math.random()), undefined, request.signal ? { signal: request.signal } : {}).catch(() => undefined); // an abort ends the nap: the next attempt takes the lock if it is free, else reports the stop
  }
}

type Attempt =
  | { kind: 'acquired'; history: HistoryRow[]; tookOver: LockHolder | null }
  | { kind: 'held'; holder: LockHolder }
  | { kind: 'free' };

/**
 * INSERT the lease row and read the history in one query: one round trip
 * when the lock is free. INSERT fails with PRECONDITION_FAILED when the row
 * exists; then one transaction reads it and, if its lease has expired,
 * takes it over and reads the history.
 */
async function attempt(connection: Connection, table: string, owner: LockOwner, leaseSeconds: number, version: HistoryVersion): Promise<Attempt> {
  const decode = (rows: readonly Record<string, unknown>[]): HistoryRow[] => rows.map((row) => decodeHistoryRow(row, table));
  const insert = new QueryBuilder();
  insert.add(leaseRowStatement('INSERT', { table, owner }, leaseSeconds, insert.bind)).add(historySelectStatement(table, version));
  try {
    const [[rows = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [insert.build()] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'taking the lock' });
    return { kind: 'acquired', history: decode(rows), tookOver: null };
  } catch (err) {
    if (statusOf(connection, err) !== 'PRECONDITION_FAILED') throw err;
  }
  const check = holderQuery(table, ', (expires_at IS NULL OR expires_at <= CurrentUtcTimestamp()) AS expired');
  const takeOver = new QueryBuilder();
  takeOver.add(leaseRowStatement('UPSERT', { table, owner }, leaseSeconds, takeOver.bind)).add(historySelectStatement(table, version));
  return runTransaction(connection, async (tx): Promise<Attempt> => {
    const [[row] = []] = await tx.query(check);
    if (!row) return { kind: 'free' };
    const holder = holderOf(row);
    // Our own row: an INSERT whose answer was lost committed after all (it is repeated on UNAVAILABLE).
    if (row.expired === false && holder.owner !== owner.owner) return { kind: 'held', holder };
    const [rows = []] = await tx.query(takeOver.build(), { commit: true });
    return { kind: 'acquired', history: decode(rows), tookOver: holder.owner === owner.owner ? null : holder };
  }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'taking over an expired lock' });
}

/** Moves the lease end on and reads who holds the lock after it, in one transaction. */
async function renew(connection: Connection, table: string, owner: LockOwner, leaseSeconds: number): Promise<LockHolder | null> {
  const builder = new QueryBuilder();
  builder.add(holderSelectStatement(table, builder.bind));
  builder.add(leaseRenewStatement(table, owner, leaseSeconds, builder.bind));
  const [[[row] = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [builder.build()] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'renewing the lock' });
  return row ? holderOf(row) : null;
}

function holderQuery(table: string, extraColumns = ''): Query {
  const builder = new QueryBuilder();
  return builder.add(holderSelectStatement(table, builder.bind, extraColumns)).build();
}

function lockTimeout(holder: LockHolder, seconds: number): MigrateError {
  return new MigrateError(
    'LOCK_TIMEOUT',
    `the migration lock is held by ${describeHolder(holder)}, and it was not released within ${seconds} s; wait for that run to finish (or raise --lock-timeout), or if it is gone for good, run \`ydb-migrate unlock --force\``,
  );
}

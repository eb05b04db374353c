/**
 * The migration lock: one lease row in the lock table beside the history
 * table. Taking it reads the history in the same transaction, so a runner
 * always plans from the history as it stands once nobody else can change it.
 * The lease is renewed while the run lasts; a lease left by a runner that
 * died expires and is taken over. Expiry is judged by YDB's clock, never by
 * the clients'.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { MigrateError } from '../errors.js';
import { LOCK_COLUMNS, historySelectStatement, lockTableName, quoteIdentifier, type Bind, type HistoryRow, type HistoryShape } from '../history.js';
import type { YqlType } from '../yql/literal.js';
import type { Connection } from './connection.js';
import { QueryBuilder, runRequest, runTransaction, statusOf, type Query } from './execute.js';
import { BOOKKEEPING_TIMEOUT_MS, createTablesRequest, decodeHistory, isMissingTable, readInShape } from './history-store.js';

/** Who holds (or wants) the lock. */
export interface LockOwner {
  /** Unique per run. */
  owner: string;
  host: string;
  pid: number;
}

export interface LockHolder extends LockOwner {
  acquiredAt: Date | null;
  expiresAt: Date | null;
}

export interface AcquireOptions {
  table: string;
  owner: LockOwner;
  /** How long to wait for another runner's lock; 0 fails at once. */
  waitSeconds: number;
  leaseSeconds?: number;
  /** Told once for each holder the runner waits for. */
  onWait?: (holder: LockHolder) => void;
  /** Told when an expired lease is taken over. */
  onTakeover?: (holder: LockHolder) => void;
}

/** One lock per history table; the key leaves room for more kinds of lock later. */
export const LOCK_ID = 'migrate';
export const DEFAULT_LEASE_SECONDS = 30;
const POLL_MS = 250;
const UTF8: YqlType = { kind: 'primitive', name: 'Utf8' };
const INTERVAL: YqlType = { kind: 'primitive', name: 'Interval' };

export function newLockOwner(): LockOwner {
  return { owner: randomUUID(), host: hostname(), pid: process.pid };
}

export function describeHolder(holder: LockHolder): string {
  const since = holder.acquiredAt ? ` since ${holder.acquiredAt.toISOString()}` : '';
  const until = holder.expiresAt ? `, lease until ${holder.expiresAt.toISOString()}` : '';
  return `pid ${holder.pid} on ${holder.host} (run ${holder.owner})${since}${until}`;
}

/**
 * A held lock. The runner checks `assertHeld` before each request: when a
 * renewal finds that another runner took the lease over (this process was
 * paused past its expiry), nothing more may be run.
 */
export class Lease {
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> = Promise.resolve();
  /** undefined while held; null when the row was removed; else who took it over. */
  private lostTo: LockHolder | null | undefined;

  /** `lastRenewed`: when the request that took or last renewed the lease was sent (performance.now()). */
  constructor(
    private readonly connection: Connection,
    private readonly table: string,
    readonly owner: LockOwner,
    private readonly leaseSeconds: number,
    private lastRenewed: number,
  ) {
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renew());
    }, (leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  assertHeld(): void {
    const expired = performance.now() - this.lastRenewed > this.leaseSeconds * 1000;
    if (this.lostTo === undefined && !expired) return;
    const why =
      this.lostTo === null ? 'its lock row was removed (by `unlock --force`?)'
      : this.lostTo ? `its lease ran out and the lock is now held by ${describeHolder(this.lostTo)} (was this process paused?)`
      : `its lease of ${this.leaseSeconds} s ran out before it could be renewed (was the process paused or cut off from YDB?)`;
    throw new MigrateError('LOCK_LOST', `this run lost the migration lock: ${why}; it stopped, so check the history with \`ydb-migrate status\` before running again`, { kind: 'runtime' });
  }

  /** Stops renewing; call before the release is sent. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
  }

  private async renew(): Promise<void> {
    if (!this.timer) return;
    const builder = new QueryBuilder();
    builder.add(holderSelect(this.table, builder.bind, ''));
    builder.add(leaseRenewStatement(this.table, this.owner, this.leaseSeconds, builder.bind));
    const sent = performance.now();
    try {
      const [[[row] = []] = []] = await runRequest(this.connection, { kind: 'transaction', queries: [builder.build()] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'renewing the lock' });
      const holder = row ? holderOf(row) : null;
      if (holder?.owner === this.owner.owner) this.lastRenewed = sent;
      else this.lostTo = holder;
    } catch {
      // A failed renewal is retried at the next tick; assertHeld notices when the lease has run out meanwhile.
    }
  }
}

/**
 * Takes the lock (creating the tables on first use) and returns the lease
 * and the history read in the same transaction, with the history table's
 * shape. Waits while another runner holds it, at most `waitSeconds`.
 */
export async function acquireLock(connection: Connection, options: AcquireOptions): Promise<{ lease: Lease; history: HistoryRow[]; shape: HistoryShape }> {
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const deadline = performance.now() + options.waitSeconds * 1000;
  const waitedFor = new Set<string>();
  let created = false;
  for (;;) {
    let outcome: Attempt;
    let shape: HistoryShape;
    const sent = performance.now();
    try {
      ({ value: outcome, shape } = await readInShape(connection, (shape) => attempt(connection, options, leaseSeconds, shape)));
    } catch (err) {
      if (created || !isMissingTable(connection, err)) throw err;
      await runRequest(connection, createTablesRequest(options.table), { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: `creating the history and lock tables ${options.table} and ${lockTableName(options.table)}` });
      created = true;
      continue;
    }
    if (outcome.kind === 'acquired') {
      if (outcome.tookOver) options.onTakeover?.(outcome.tookOver);
      return { lease: new Lease(connection, options.table, options.owner, leaseSeconds, sent), history: outcome.history, shape };
    }
    if (outcome.kind === 'free') continue; // released between the two reads
    if (performance.now() >= deadline) throw lockTimeout(outcome.holder, options.waitSeconds);
    if (!waitedFor.has(outcome.holder.owner)) {
      waitedFor.add(outcome.holder.owner);
      options.onWait?.(outcome.holder);
    }
    await sleep(POLL_MS * (1 + Math.random()));
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
async function attempt(connection: Connection, options: AcquireOptions, leaseSeconds: number, shape: HistoryShape): Promise<Attempt> {
  const insert = new QueryBuilder();
  insert.add(leaseRowStatement('INSERT', options, leaseSeconds, insert.bind)).add(historySelectStatement(options.table, shape));
  try {
    const [[rows = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [insert.build()] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'taking the lock' });
    return { kind: 'acquired', history: decodeHistory(rows, options.table), tookOver: null };
  } catch (err) {
    if (statusOf(connection, err) !== 'PRECONDITION_FAILED') throw err;
  }
  const check = holderQuery(options.table, ', (expires_at IS NULL OR expires_at <= CurrentUtcTimestamp()) AS expired');
  const takeOver = new QueryBuilder();
  takeOver.add(leaseRowStatement('UPSERT', options, leaseSeconds, takeOver.bind)).add(historySelectStatement(options.table, shape));
  return runTransaction(connection, async (tx): Promise<Attempt> => {
    const [[row] = []] = await tx.query(check);
    if (!row) return { kind: 'free' };
    const holder = holderOf(row);
    // Our own row: an INSERT whose answer was lost committed after all (it is repeated on UNAVAILABLE).
    if (row.expired === false && holder.owner !== options.owner.owner) return { kind: 'held', holder };
    const [rows = []] = await tx.query(takeOver.build(), { commit: true });
    return { kind: 'acquired', history: decodeHistory(rows, options.table), tookOver: holder.owner === options.owner.owner ? null : holder };
  }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'taking over an expired lock' });
}

/** Adds the statement that releases `owner`'s lock (and only theirs) to a final transaction. */
export function addLockRelease(builder: QueryBuilder, table: string, owner: LockOwner): QueryBuilder {
  return builder.add(lockReleaseStatement(table, owner, builder.bind));
}

/** Deletes `owner`'s lease row (and only theirs): typed parameters online, literals in an offline script. */
export function lockReleaseStatement(table: string, owner: LockOwner, bind: Bind): string {
  return `DELETE FROM ${lockTable(table)} WHERE id = ${bind(UTF8, LOCK_ID)} AND owner = ${bind(UTF8, owner.owner)};`;
}

/** Moves `owner`'s lease end to `leaseSeconds` from now by YDB's clock; does nothing once another holds it. */
export function leaseRenewStatement(table: string, owner: LockOwner, leaseSeconds: number, bind: Bind): string {
  return `UPDATE ${lockTable(table)} SET expires_at = CurrentUtcTimestamp() + ${bind(INTERVAL, leaseMicros(leaseSeconds))} WHERE id = ${bind(UTF8, LOCK_ID)} AND owner = ${bind(UTF8, owner.owner)};`;
}

/** Who holds the lock now, or null when nobody does (or the lock table does not exist). */
export async function readLockHolder(connection: Connection, table: string): Promise<LockHolder | null> {
  try {
    const [[[row] = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [holderQuery(table, '')] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'reading who holds the lock' });
    return row ? holderOf(row) : null;
  } catch (err) {
    if (isMissingTable(connection, err)) return null;
    throw err;
  }
}

/** Removes whoever's lock there is, for `unlock --force`; returns the holder it removed. */
export async function breakLock(connection: Connection, table: string): Promise<LockHolder | null> {
  const remove = new QueryBuilder();
  remove.add(`DELETE FROM ${lockTable(table)} WHERE id = ${remove.bind(UTF8, LOCK_ID)};`);
  try {
    return await runTransaction(connection, async (tx) => {
      const [[row] = []] = await tx.query(holderQuery(table, ''));
      await tx.query(remove.build(), { commit: true });
      return row ? holderOf(row) : null;
    }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing: 'removing the lock' });
  } catch (err) {
    if (isMissingTable(connection, err)) return null;
    throw err;
  }
}

function holderQuery(table: string, extraColumns: string): Query {
  const builder = new QueryBuilder();
  return builder.add(holderSelect(table, builder.bind, extraColumns)).build();
}

function holderSelect(table: string, bind: Bind, extraColumns: string): string {
  return `SELECT owner, host, pid, acquired_at, expires_at${extraColumns} FROM ${lockTable(table)} WHERE id = ${bind(UTF8, LOCK_ID)};`;
}

/** The lease row, its columns from LOCK_COLUMNS; both timestamps are YDB's clock. */
export function leaseRowStatement(verb: 'INSERT' | 'UPSERT', options: Pick<AcquireOptions, 'table' | 'owner'>, leaseSeconds: number, bind: Bind): string {
  const { owner, host, pid } = options.owner;
  const values: Record<string, (type: YqlType) => string> = {
    id: (type) => bind(type, LOCK_ID),
    owner: (type) => bind(type, owner),
    host: (type) => bind(type, host),
    pid: (type) => bind(type, pid),
    acquired_at: () => 'CurrentUtcTimestamp()',
    expires_at: () => `CurrentUtcTimestamp() + ${bind(INTERVAL, leaseMicros(leaseSeconds))}`,
  };
  const columns = LOCK_COLUMNS.map((c) => quoteIdentifier(c.column));
  const row = LOCK_COLUMNS.map((c) => values[c.column]!(c.type));
  return `${verb} INTO ${lockTable(options.table)} (${columns.join(', ')}) VALUES (${row.join(', ')});`;
}

function holderOf(row: Record<string, unknown>): LockHolder {
  const date = (v: unknown): Date | null => (v instanceof Date ? v : null);
  return {
    owner: String(row.owner ?? '?'),
    host: String(row.host ?? '?'),
    pid: Number(row.pid ?? 0),
    acquiredAt: date(row.acquired_at),
    expiresAt: date(row.expires_at),
  };
}

function lockTimeout(holder: LockHolder, seconds: number): MigrateError {
  return new MigrateError(
    'LOCK_TIMEOUT',
    `the migration lock is held by ${describeHolder(holder)}, and it was not released within ${seconds} s; wait for that run to finish (or raise --lock-timeout), or if it is gone for good, run \`ydb-migrate unlock --force\``,
    { kind: 'runtime' },
  );
}

function lockTable(table: string): string {
  return quoteIdentifier(lockTableName(table));
}

function leaseMicros(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1_000_000));
}

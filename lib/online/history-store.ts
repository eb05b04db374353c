/**
 * Where the runner keeps the history and its lock: the few operations it
 * needs, whatever stores them. lib/online/ydb-history-store.ts is the YDB
 * one; the statements of both tables are in history-table.ts and lock-table.ts.
 */
import type { Query } from '../ydb/execute.js';
import type { HistoryChange, HistoryRow } from './history-table.js';
import type { Lease } from './lease.js';
import type { LockHolder, LockOwner } from './lock-table.js';

export interface LockRequest {
  owner: LockOwner;
  /** How long to wait for another runner's lock; 0 fails at once. */
  waitSeconds: number;
  leaseSeconds?: number;
  /** Told once for each holder found, before any wait: may throw to stop waiting for it. */
  onHeld?: (holder: LockHolder) => Promise<void>;
  /** Told once for each holder the runner waits for. */
  onWait?: (holder: LockHolder) => void;
  /** Told when an expired lease is taken over. */
  onTakeover?: (holder: LockHolder) => void;
  /** Ends the wait for another runner's lock at once when aborted (an INTERRUPTED error). */
  signal?: AbortSignal | undefined;
}

export interface HistoryStore {
  /** The history table's path; its lock table is beside it. */
  readonly table: string;
  /** The history as it is, without the lock; empty when nothing was ever applied. */
  read(): Promise<HistoryRow[]>;
  /**
   * Takes the lock (creating the tables on first use, bringing an older
   * history table up to date) and returns its lease, renewed until stopped,
   * with the history read in the same transaction. Waits while another runner
   * holds it, at most `waitSeconds`.
   */
  lock(request: LockRequest): Promise<{ lease: Lease; history: HistoryRow[] }>;
  /** Writes `changes` and releases `lease` in one transaction. */
  release(lease: Lease, changes: readonly HistoryChange[]): Promise<void>;
  /** The transaction `release` sends, for a dry run to show. */
  releaseQuery(owner: LockOwner, changes: readonly HistoryChange[]): Query;
  /** Who holds the lock now, or null. */
  holder(): Promise<LockHolder | null>;
  /** Removes whoever's lock there is (`unlock --force`); returns the holder it removed. */
  breakLock(): Promise<LockHolder | null>;
}

/**
 * The lock table beside the history table: one lease row per lock id, held by
 * `owner` until `expires_at` (YDB's clock). Its statements, for the online
 * runner (typed parameters, lib/online/lease.ts) and the offline script's
 * guard (literals, lib/offline/guard.ts).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { quoteIdentifier } from '../yql/identifier.js';
import type { YqlType } from '../yql/literal.js';
import { lockTableName } from '../own-tables.js';
import { tableDdl, TIMESTAMP, UINT32, UTF8, type Bind, type ColumnSpec } from './history-table.js';

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

export const LOCK_COLUMNS: ReadonlyArray<ColumnSpec> = [
  { column: 'id', type: UTF8, key: true },
  { column: 'owner', type: UTF8 },
  { column: 'host', type: UTF8 },
  { column: 'pid', type: UINT32 },
  { column: 'acquired_at', type: TIMESTAMP },
  { column: 'expires_at', type: TIMESTAMP },
];

/** One lock per history table; the key leaves room for more kinds of lock later. */
export const LOCK_ID = 'migrate';
const INTERVAL: YqlType = { kind: 'primitive', name: 'Interval' };

export function newLockOwner(): LockOwner {
  return { owner: randomUUID(), host: hostname(), pid: process.pid };
}

/** How an offline script's lock owner starts (lib/offline/guard.ts, scriptLockOwner): its lease lasts an hour, and nothing renews it once the script stopped. */
export const OFFLINE_OWNER_PREFIX = 'offline-script-';

export function isOfflineScript(holder: LockOwner): boolean {
  return holder.owner.startsWith(OFFLINE_OWNER_PREFIX);
}

export function describeHolder(holder: LockHolder): string {
  const since = holder.acquiredAt ? ` since ${holder.acquiredAt.toISOString()}` : '';
  const until = holder.expiresAt ? `, lease until ${holder.expiresAt.toISOString()}` : '';
  return `pid ${holder.pid} on ${holder.host} (run ${holder.owner})${since}${until}`;
}

export function lockTableDdl(table: string): string {
  return tableDdl(lockTableName(table), LOCK_COLUMNS);
}

/** The lease row, its columns from LOCK_COLUMNS; both timestamps are YDB's clock. */
export function leaseRowStatement(verb: 'INSERT' | 'UPSERT', options: { table: string; owner: LockOwner }, leaseSeconds: number, bind: Bind): string {
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

/** Deletes `owner`'s lease row (and only theirs): typed parameters online, literals in an offline script. */
export function lockReleaseStatement(table: string, owner: LockOwner, bind: Bind): string {
  return `DELETE FROM ${lockTable(table)} WHERE id = ${bind(UTF8, LOCK_ID)} AND owner = ${bind(UTF8, owner.owner)};`;
}

/** Deletes the lease row whoever holds it: `unlock --force`. */
export function lockRemoveStatement(table: string, bind: Bind): string {
  return `DELETE FROM ${lockTable(table)} WHERE id = ${bind(UTF8, LOCK_ID)};`;
}

/** Moves `owner`'s lease end to `leaseSeconds` from now by YDB's clock; does nothing once another holds it. */
export function leaseRenewStatement(table: string, owner: LockOwner, leaseSeconds: number, bind: Bind): string {
  return `UPDATE ${lockTable(table)} SET expires_at = CurrentUtcTimestamp() + ${bind(INTERVAL, leaseMicros(leaseSeconds))} WHERE id = ${bind(UTF8, LOCK_ID)} AND owner = ${bind(UTF8, owner.owner)};`;
}

/** The holder's row (read back with `holderOf`); `extraColumns` adds computed ones. */
export function holderSelectStatement(table: string, bind: Bind, extraColumns = ''): string {
  return `SELECT owner, host, pid, acquired_at, expires_at${extraColumns} FROM ${lockTable(table)} WHERE id = ${bind(UTF8, LOCK_ID)};`;
}

export function holderOf(row: Record<string, unknown>): LockHolder {
  const date = (v: unknown): Date | null => (v instanceof Date ? v : null);
  return {
    owner: String(row.owner ?? '?'),
    host: String(row.host ?? '?'),
    pid: Number(row.pid ?? 0),
    acquiredAt: date(row.acquired_at),
    expiresAt: date(row.expires_at),
  };
}

function lockTable(table: string): string {
  return quoteIdentifier(lockTableName(table));
}

function leaseMicros(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1_000_000));
}

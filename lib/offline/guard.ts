/**
 * What an offline script runs before it changes anything: checks, with YQL's
 * `Ensure` (docs: yql/reference/builtins/basic.md#ensure, "If the check fails,
 * the entire query fails", and its message "can be an arbitrary expression"),
 * that the history is exactly at the state the range starts from and that
 * nobody holds the migration lock, then takes the lock. All of it is one DML
 * part: a failed check fails that part's transaction, lease row included, and
 * the Scripting service stops the script there, so a refused script leaves the
 * database as it found it. A Scripting part is compiled and run by KQP like any
 * data query (ydb/core/kqp/ut/yql/kqp_scripting_ut.cpp runs SELECTs, COUNT(*)
 * and writes in parts); YDB's runtime reports a failed Ensure as "Condition
 * violated: <message>" (the Transfer EnsureError test in YDB's sources). No YDB
 * test runs Ensure through ExecuteYql itself: that is inferred, not seen.
 *
 * The checks read the tables row by row (no subquery), so one `Ensure` per
 * row names what it found, and a `COUNT(*)` finds what is missing.
 */
import { createHash } from 'node:crypto';
import { lockTableName } from '../own-tables.js';
import { quoteIdentifier } from '../yql/identifier.js';
import { LOCK_ID, OFFLINE_OWNER_PREFIX, leaseRowStatement, lockReleaseStatement, type LockOwner } from '../online/lock-table.js';
import { encodeLiteral, parseType, type YqlType } from '../yql/literal.js';

/**
 * How long a script's lease lasts, renewed by the part that closes each
 * migration (lease check, history writes, renewal): longer than any single
 * part should take (the Scripting service stops a script after 10 minutes by
 * default; one `ydb sql` part of a long index build may run longer), short
 * enough that a script that died frees the lock within the hour.
 * `unlock --force` frees it at once.
 */
export const OFFLINE_LEASE_SECONDS = 3600;

/** The history a range starts from: exactly these applied rows. */
export interface ExpectedHistory {
  /** The state's name, as the DBA gave it (a migration name or `base`). */
  from: string;
  rows: readonly { name: string; checksum: string }[];
  /** Down range only: the down text the script runs for each migration it reverts; a stored one must equal it. */
  downTexts: readonly { name: string; text: string }[];
}

const UTF8 = parseType('Utf8');
const INTERVAL = parseType('Interval');
const utf8 = (text: string): string => encodeLiteral(UTF8, text);
const column = (name: string): string => quoteIdentifier(name);
/** A condition over nullable columns is Bool? in YQL; Ensure's is taken as plain Bool, NULL counting as false. */
const definite = (condition: string): string => `COALESCE(${condition}, false)`;

/** The script's lock holder: fixed by the script's content, so the same inputs give the same bytes. */
export function scriptLockOwner(identity: string): LockOwner {
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return { owner: `${OFFLINE_OWNER_PREFIX}${digest}`, host: 'ydb-migrate offline script', pid: 0 };
}

/** The guard's statements, then the one that takes the lease: one DML part. */
export function guardStatements(table: string, expected: ExpectedHistory, owner: LockOwner): string[] {
  const t = quoteIdentifier(table);
  const lock = quoteIdentifier(lockTableName(table));
  const n = expected.rows.length;
  const names = n === 0 ? 'none' : expected.rows.map((r) => r.name).join(', ');
  const startsFrom = `this script starts from ${expected.from}, where the history holds exactly ${n} applied migration${n === 1 ? '' : 's'} with the checksums in its header (${names})`;
  const advice =
    '. Nothing was changed. Run `ydb-migrate status` to see the state of the database, then generate the script for that state with `ydb-migrate sql --from STATE`; ' +
    "a row left 'applying' or 'failed' by a run that stopped is settled first with `ydb-migrate resolve NAME --applied` (or `--reverted`)";
  const matches = expected.rows.map((r) => `(${column('name')} = ${utf8(r.name)} AND ${column('checksum')} = ${utf8(r.checksum)})`);
  const rowCondition = n === 0 ? 'false' : definite(`${column('state')} = ${utf8('applied')} AND (\n    ${matches.join('\n    OR ')}\n)`);
  const found = `${utf8('found history row \'')} || ${column('name')} || ${utf8("' (state ")} || COALESCE(${column('state')}, ${utf8('?')}) || ${utf8(', sha256:')} || COALESCE(${column('checksum')}, ${utf8('?')}) || ${utf8(`), but ${startsFrom}${advice}`)}`;
  const statements = [
    `SELECT Ensure(${column('name')}, ${rowCondition}, ${found}) AS unexpected_history_row FROM ${t};`,
    `SELECT Ensure(COUNT(*), COUNT(*) = ${n}, ${utf8(`the history lacks some of the migrations: ${startsFrom}${advice}`)}) AS history_rows FROM ${t};`,
  ];
  if (expected.downTexts.length > 0) {
    const same = expected.downTexts.map((d) => `(${column('name')} = ${utf8(d.name)} AND ${column('down_text')} = ${utf8(d.text)})`);
    const reverted = expected.downTexts.map((d) => utf8(d.name)).join(', ');
    const differs = `${utf8('the down text stored in the history for \'')} || ${column('name')} || ${utf8(
      "' when it was applied differs from its down file, which this script runs. Nothing was changed. Revert it online with `ydb-migrate down` (it runs the stored text), " +
        'or make the down file what it was when the migration was applied and generate the script again',
    )}`;
    statements.push(
      `SELECT Ensure(${column('name')}, ${definite(`${column('down_text')} IS NULL OR ${same.join(' OR ')}`)}, ${differs}) AS changed_down_text FROM ${t} WHERE ${column('name')} IN (${reverted});`,
    );
  }
  const holder = `${utf8('the migration lock is held by run ')} || COALESCE(${column('owner')}, ${utf8('?')}) || ${utf8(' on ')} || COALESCE(${column('host')}, ${utf8('?')}) || ${utf8(
    ' (pid ',
  )} || COALESCE(CAST(${column('pid')} AS Utf8), ${utf8('?')}) || ${utf8('), lease until ')} || COALESCE(CAST(${column('expires_at')} AS Utf8), ${utf8('?')}) || ${utf8(
    '. Nothing was changed. Wait for that run to finish and run this script again; if it is gone for good, run `ydb-migrate unlock --force`',
  )}`;
  statements.push(
    `SELECT Ensure(${column('owner')}, ${definite(`${column('expires_at')} IS NULL OR ${column('expires_at')} <= CurrentUtcTimestamp()`)}, ${holder}) AS lock_holder FROM ${lock} WHERE ${column('id')} = ${utf8(LOCK_ID)};`,
    leaseRowStatement('UPSERT', { table, owner }, OFFLINE_LEASE_SECONDS, encodeLiteral),
  );
  return statements;
}

/** What a script or part says when it finds that it no longer holds its lease. */
export const LEASE_LOST_MESSAGE =
  'this script no longer holds the migration lock: it was removed (`ydb-migrate unlock --force`?) or taken over after its lease ran out. ' +
  'It stopped before this part; check `ydb-migrate status` before running anything more';

/** The lease statements that ride along the history writes, one statement each. */
export interface LeaseStatements {
  /** Fails the part unless the script still holds its lease: first in every part that writes the history after the guard. */
  check: string;
  /**
   * Moves the lease's end an hour on, so that it outlives a long script: in every such part but the last.
   * By the key alone: the check before it, in the same part, has found the row held by this script, and a
   * part is one serializable transaction (YDB docs concepts/transactions.md: a concurrent change to that
   * row aborts the commit with "Transaction locks invalidated"), so the row it moves is still this script's.
   */
  renewal: string;
  /** Frees the lock: in the last part. */
  release: string;
}

/** How a script names, once at its top, what its lease statements would otherwise spell out in every part. */
export interface LeaseNames {
  /** Query text for LEASE_LOST_MESSAGE (a single script binds it: it would otherwise repeat 10,000 times in 10,000 migrations). */
  message: string;
  /** Query text for the script's lock owner. */
  owner: string;
}

/**
 * The check fails the part (its history writes, and the migration's DML
 * that shares it, roll back): what the online runner's `assertHeld` does
 * before each request. `names` default to the literals, for a part that
 * stands alone.
 */
export function leaseStatements(table: string, owner: LockOwner, names: LeaseNames = { message: utf8(LEASE_LOST_MESSAGE), owner: utf8(owner.owner) }): LeaseStatements {
  const bind = (type: YqlType, value: unknown): string => (value === owner.owner ? names.owner : encodeLiteral(type, value));
  const lock = quoteIdentifier(lockTableName(table));
  const key = `id = ${utf8(LOCK_ID)}`;
  return {
    // Ensure's first argument is only what the row shows; 0 keeps the line short.
    check: `SELECT Ensure(0, COUNT(*) = 1, ${names.message}) AS lock_held FROM ${lock} WHERE ${key} AND owner = ${names.owner};`,
    renewal: `UPDATE ${lock} SET expires_at = CurrentUtcTimestamp() + ${encodeLiteral(INTERVAL, BigInt(OFFLINE_LEASE_SECONDS) * 1_000_000n)} WHERE ${key};`,
    release: lockReleaseStatement(table, owner, bind),
  };
}

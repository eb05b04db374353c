/**
 * The one recovery message: what the history says of a migration a run did
 * not finish (which, how far, by whom) and the exact commands that settle it,
 * in order. Every place that meets such a row says it the same way: `up`
 * refusing to run over it, a run that just left it, a lock held by an
 * offline script that left it, and `status`.
 */
import { MigrateError } from '../errors.js';
import type { Migration } from '../migration.js';
import type { HistoryRow, HistoryWrite } from './history-table.js';
import { describeHolder, isOfflineScript, type LockHolder } from './lock-table.js';
import { decodeRequestsRan } from './requests-ran.js';

export interface Unfinished {
  /** As read (with its time), or as the run that just left it writes it. */
  row: HistoryWrite & { appliedAt?: Date };
  /** Its migration in the manifest, null when it is gone from it. */
  migration: Migration | null;
}

/** How far it got: `after 1 of 3 requests ran`, or that the row does not say. */
function howFar({ row, migration }: Unfinished): string {
  if (row.requestsDone === null) return 'with no record of how far it got';
  const of = decodeRequestsRan(row.requestsRan)?.direction === 'down' || !migration ? '' : ` of ${migration.up.blocks.length}`;
  return `after ${row.requestsDone}${of} request${row.requestsDone === 1 && of === '' ? '' : 's'} ran`;
}

function resumeCommand({ row }: Unfinished): string {
  const ran = decodeRequestsRan(row.requestsRan);
  return ran?.direction === 'down' ? '`ydb-migrate down --resume`'
    : ran ? '`ydb-migrate up --resume`'
    : '`ydb-migrate up --resume` (or `ydb-migrate down --resume` if it was being reverted)';
}

/** `0002_x is recorded 'failed' after 1 of 3 requests ran (applying it, by me@host, ydb-migrate 1.0.0, at 2026-...)`. */
export function describeUnfinished(unfinished: Unfinished): string {
  const { row } = unfinished;
  const ran = decodeRequestsRan(row.requestsRan);
  const how = `'${row.state}' ${howFar(unfinished)}${row.state === 'applying' ? ' (the run stopped without recording its end)' : ''}`;
  const direction = ran ? `${ran.direction === 'up' ? 'applying' : 'reverting'} it, ` : '';
  const at = row.appliedAt ? `, at ${row.appliedAt.toISOString()}` : '';
  return `${row.name} is recorded ${how} (${direction}by ${row.appliedBy || 'an unknown runner'}, ydb-migrate ${row.toolVersion || '?'}${at})`;
}

/** The same in one line, for `status` and drift: `failed, 1 of 3 requests ran: fix and `ydb-migrate up --resume`, or `ydb-migrate resolve NAME --applied|--reverted``. */
export function recoveryLine(unfinished: Unfinished): string {
  const far = unfinished.row.requestsDone === null ? '' : `, ${howFar(unfinished).replace(/^after /, '')}`;
  return `${unfinished.row.state}${far}: fix and ${resumeCommand(unfinished).replace(/ \(or .*\)$/, '')}, or \`ydb-migrate resolve ${unfinished.row.name} --applied|--reverted\``;
}

/** The commands that settle it, in order; `holder` is the lock's holder when an offline script holds it. */
export function recoveryCommands({ row, migration }: Unfinished, holder: LockHolder | null = null): string[] {
  const ran = decodeRequestsRan(row.requestsRan);
  const resume = resumeCommand({ row, migration });
  const file = ran?.direction === 'down' ? 'its down text' : (migration?.up.path ?? 'its file');
  return [
    ...(holder && isOfflineScript(holder) ? [`once the offline script is no longer running, free its lock: \`ydb-migrate unlock --force\` (held by ${describeHolder(holder)})`] : []),
    `fix ${file} where the request that failed needs it (the requests that ran must stay as they are), then ${resume}: it checks that they are unchanged, skips what already took effect, and runs the rest`,
    `or check the database yourself and record what you find: \`ydb-migrate resolve ${row.name} --applied\` if all of it took effect, \`ydb-migrate resolve ${row.name} --reverted\` if none did`,
  ];
}

/** The commands as the steps of a list: `1. ...`. */
export function numbered(commands: readonly string[]): string[] {
  return commands.map((c, i) => `${i + 1}. ${c}`);
}

/** A run that meets unfinished migrations stops before it runs anything: the error says what the history holds and the commands, as details. */
export function unfinishedError(unfinished: readonly Unfinished[], holder: LockHolder | null, why: string): MigrateError {
  const names = unfinished.map((u) => u.row.name).join(', ');
  return new MigrateError('MIGRATION_UNFINISHED', `${why}: the history holds ${names}, which a run did not finish; nothing was run`, {
    details: unfinished.flatMap((u) => [describeUnfinished(u), ...numbered(recoveryCommands(u, holder))]),
  });
}

/** The unfinished rows of `history`, each with its migration. */
export function unfinishedRows(history: readonly HistoryRow[], migrations: readonly Migration[]): (Unfinished & { row: HistoryRow })[] {
  return history.filter((row) => row.state !== 'applied').map((row) => ({ row, migration: migrations.find((m) => m.name === row.name) ?? null }));
}

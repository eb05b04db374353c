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

/** `1 of 3 requests ran` (`1 request ran` of a revert, whose text is not the up file), or null when the row does not say. */
function ranCount({ row, migration }: Unfinished): string | null {
  if (row.requestsDone === null) return null;
  const of = direction(row) === 'down' || !migration ? '' : ` of ${migration.up.blocks.length}`;
  return `${row.requestsDone}${of} request${row.requestsDone === 1 && of === '' ? '' : 's'} ran`;
}

/** The direction the run took, when the row records it. */
function direction(row: Unfinished['row']): 'up' | 'down' | null {
  return decodeRequestsRan(row.requestsRan)?.direction ?? null;
}

/** How to finish it; null when it cannot be resumed (an up whose file is gone from the manifest). */
function resumeCommand({ row, migration }: Unfinished, short = false): string | null {
  const way = direction(row);
  if (way === 'down') return '`ydb-migrate down --resume`';
  if (!migration) return null;
  return way || short ? '`ydb-migrate up --resume`' : '`ydb-migrate up --resume` (or `ydb-migrate down --resume` if it was being reverted)';
}

/** `0002_x is recorded 'failed' after 1 of 3 requests ran (applying it, by me@host, ydb-migrate 1.0.0, at 2026-...)`. */
export function describeUnfinished(unfinished: Unfinished): string {
  const { row } = unfinished;
  const count = ranCount(unfinished);
  const how = `'${row.state}' ${count ? `after ${row.state === 'applying' ? 'at least ' : ''}${count}` : 'with no record of how far it got'}${row.state === 'applying' ? ' (no run recorded its end: it stopped, or is still running)' : ''}`;
  const way = direction(row);
  const doing = way ? `${way === 'up' ? 'applying' : 'reverting'} it, ` : '';
  const at = row.appliedAt ? `, at ${row.appliedAt.toISOString()}` : '';
  return `${row.name} is recorded ${how} (${doing}by ${row.appliedBy || 'an unknown runner'}, ydb-migrate ${row.toolVersion || '?'}${at})`;
}

/** The same in one line, for `status` and drift: `failed, 1 of 3 requests ran: fix and `ydb-migrate up --resume`, or `ydb-migrate resolve NAME --applied|--reverted``. */
export function recoveryLine(unfinished: Unfinished): string {
  const count = ranCount(unfinished);
  const resume = resumeCommand(unfinished, true);
  const fix = unfinished.row.requestsRan !== null ? 'fix and ' : '';
  return `${unfinished.row.state}${count ? `, ${count}` : ''}: ${resume ? `${fix}${resume}, or ` : ''}\`ydb-migrate resolve ${unfinished.row.name} --applied|--reverted\``;
}

/** The commands that settle it, in order; `holder` is the lock's holder when an offline script holds it. */
export function recoveryCommands(unfinished: Unfinished, holder: LockHolder | null = null): string[] {
  const { row, migration } = unfinished;
  const resume = resumeCommand(unfinished);
  const file = direction(row) === 'down' ? `${migration?.down?.path ?? 'its down file'} (and pass --down-from-file, or the resume runs the down text stored in the history)` : migration?.up.path;
  return [
    ...(holder && isOfflineScript(holder) ? [`once the offline script is no longer running, free its lock: \`ydb-migrate unlock --force\` (held by ${describeHolder(holder)})`] : []),
    ...(!resume ? []
      : row.requestsRan !== null ? [`if the request it stopped at failed, fix it in ${file} (the requests that ran must stay as they are); then ${resume}: it checks that they are unchanged, skips what already took effect, and runs the rest`]
      : [`with ${file ?? 'its file'} as it ran (this row does not record its requests one by one, so the file must be unchanged), ${resume}: it takes the requests up to the last one whose effect shows in the schema as run, and runs the rest`]),
    `${resume ? 'or ' : ''}check the database yourself and record what you find: ${resolveAdvice(row.name, direction(row))}`,
  ];
}

/**
 * Which `resolve` records what the user finds: a revert that took effect
 * in full leaves the migration reverted, an apply leaves it applied; when the
 * row does not say which it was, both readings are given.
 */
export function resolveAdvice(name: string, way: 'up' | 'down' | null): string {
  const [all, none] = way === 'down' ? ['--reverted', '--applied'] : ['--applied', '--reverted'];
  const what = way === null ? ' of what it was doing (applying it, or with `down`, reverting it)' : ` of its ${way === 'up' ? 'changes' : 'revert'}`;
  return `\`ydb-migrate resolve ${name} ${all}\` if all${what} took effect, \`ydb-migrate resolve ${name} ${none}\` if none did${way === null ? ' (the other way round for a revert)' : ''}`;
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

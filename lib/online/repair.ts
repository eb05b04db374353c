/**
 * `repair`: after review of edits to applied migration files, records the
 * files' current checksums and texts in the history (and with `downText`,
 * their down texts), with when and by whom; `applied_at` stays. An edit of
 * comments and whitespace is recorded as it is; an edit that changes a
 * statement was never run against the database, so it is recorded only
 * when the caller confirms (`acceptChangedStatements`, the CLI's --yes).
 */
import { MigrateError, formatLocation } from '../errors.js';
import type { Migration } from '../migration.js';
import { statementChange } from '../yql/same-statements.js';
import type { HistoryChange, HistoryRow } from './history-table.js';
import type { MigrationResult, RepairOptions, RunResult, UpFileEdit } from './results.js';
import { appliedBy } from './steps.js';
import { finish, refuseBadInput, withLock, type RunnerContext } from './under-lock.js';

/**
 * Records the edited files of the named applied migrations or, with no
 * names, of every applied one that is still listed. Runs nothing else.
 */
export function repairHistory(ctx: RunnerContext, names: readonly string[], options: RepairOptions = {}): Promise<RunResult> {
  const byName = new Map(ctx.set.migrations.map((m) => [m.name, m]));
  const repairs = (_: RunnerContext, history: readonly HistoryRow[]): { results: MigrationResult[]; pending: HistoryChange[] } => {
    const applied = history.filter((row) => row.state === 'applied');
    for (const name of names) {
      if (!byName.has(name)) throw new MigrateError('REPAIR_UNKNOWN', `no migration named '${name}' in ${ctx.set.manifest.path}; repair records the files of listed, applied migrations`);
      if (!applied.some((row) => row.name === name)) throw new MigrateError('REPAIR_NOT_APPLIED', `${name} is not applied, so there is no record to repair; \`ydb-migrate status\` shows its state`);
    }
    const results: MigrationResult[] = [];
    const pending: HistoryChange[] = [];
    const repairedBy = appliedBy();
    for (const row of applied) {
      const migration = byName.get(row.name);
      if (!migration || (names.length > 0 && !names.includes(row.name))) continue;
      // With no down file there is nothing to record: the down text stored at apply time is the only revert left, and stays.
      const down = options.downText && migration.down ? migration.down.text : row.downText;
      if (options.downText && !migration.down && row.downText !== null) {
        ctx.onEvent({ type: 'warning', warning: { code: 'REPAIR_KEPT_DOWN_TEXT', message: `${row.name} has no down file, so --down-text keeps the down text stored when it was applied (the only revert left); write ${row.name}.down.yql to record another`, location: { file: migration.up.path, line: 1, column: 1 } } });
      }
      const edit = upFileEdit(row, migration);
      const changes = [
        ...(edit.kind !== 'unchanged' ? [`checksum ${row.checksum.slice(0, 12)} → ${migration.up.checksum.slice(0, 12)} (${migration.up.path})`] : []),
        ...(down !== row.downText ? [`down text now that of ${migration.down!.path}`] : []),
      ];
      if (changes.length === 0) continue;
      pending.push({ kind: 'repair', repair: { name: row.name, checksum: migration.up.checksum, upText: migration.up.text, downText: down, repairedBy } });
      results.push({ name: row.name, direction: 'up', status: options.dryRun ? 'planned' : 'repaired', file: migration.up.path, durationMs: 0, changes, edit });
    }
    if (!options.dryRun && !options.acceptChangedStatements) refuseUnconfirmed(results);
    return { results, pending };
  };
  if (options.dryRun) {
    return finish(ctx, 'repair', true, async (ctx) => ({ ...repairs(ctx, await ctx.store.read()), pending: [], error: null, plan: null }));
  }
  return finish(ctx, 'repair', false, async (ctx) => {
    await refuseBadInput(ctx, repairs);
    return withLock(ctx, async (history) => ({ ...repairs(ctx, history), error: null, plan: null }));
  });
}

/** How the up file differs from the text the history holds for it. */
function upFileEdit(row: HistoryRow, migration: Migration): UpFileEdit {
  if (row.checksum === migration.up.checksum) return { kind: 'unchanged' };
  if (row.upText === null) return { kind: 'unknown' };
  const stored = `the text of ${row.name} in the history`;
  try {
    const change = statementChange({ text: row.upText, file: stored }, { text: migration.up.text, file: migration.up.path });
    return change === null ? { kind: 'cosmetic' } : { kind: 'statements', ...change };
  } catch (err) {
    // A stored text this lexer cannot read (written by another version) cannot be compared: like no text at all. The file must read.
    if (err instanceof MigrateError && err.location?.file === stored) return { kind: 'unknown' };
    throw err;
  }
}

/** One line on what an edit of the up file is, for people. */
export function describeEdit(edit: UpFileEdit): string {
  switch (edit.kind) {
    case 'unchanged':
      return 'up file unchanged';
    case 'cosmetic':
      return 'cosmetic: only comments and whitespace differ from the applied text';
    case 'unknown':
      return 'cannot tell whether statements changed: the history holds no applied text for it (recorded by an earlier version or an offline script)';
    case 'statements': {
      const token = (text: string | null): string => (text === null ? 'nothing' : `\`${shortened(text.trim().replace(/\s+/g, ' '))}\``);
      return `statements changed: statement ${edit.statement} differs at ${formatLocation(edit.at)} (${token(edit.was)} applied, ${token(edit.now)} now)`;
    }
  }
}

/** A token as a message shows it: a long string literal or hint cut to its start. */
function shortened(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Without confirmation, nothing is written when an edit may change what ran: the database may not match the file. */
function refuseUnconfirmed(results: readonly MigrationResult[]): void {
  const unconfirmed = results.filter((r) => r.edit?.kind === 'statements' || r.edit?.kind === 'unknown');
  if (unconfirmed.length === 0) return;
  const names = unconfirmed.map((r) => r.name);
  const known = unconfirmed.every((r) => r.edit?.kind === 'statements');
  const subject = names.length === 1 ? `the up file of ${names[0]}` : `the up files of ${names.join(', ')}`;
  const verb = known ? (names.length === 1 ? 'changes' : 'change') : 'may change';
  throw new MigrateError(
    'REPAIR_NEEDS_YES',
    `${subject} ${verb} statements that already ran, and the database has what the applied text made; nothing was written: check that the database matches the file${names.length === 1 ? '' : 's'} now (or make it match), then repeat the repair with --yes`,
    { details: results.map((r) => `${r.name}: ${describeEdit(r.edit!)}`) },
  );
}

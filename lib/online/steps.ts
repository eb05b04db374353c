/**
 * From a plan to what its steps run: each step's text (the up file, or the
 * down text stored when it was applied), its bound parameters and history
 * rows. Every input error surfaces here, before anything runs.
 */
import { hostname, userInfo } from 'node:os';
import { emptyDownError, isUnmarkedEmptyDown } from '../down-text.js';
import { MigrateError } from '../errors.js';
import { bindParam } from '../params.js';
import type { Migration } from '../migration.js';
import type { Plan, Step } from './plan.js';
import { unfinishedError, unfinishedRows } from './recovery.js';
import { toBlocks } from '../yql/blocks.js';
import { historyRowFor, nextHistoryPosition, type HistoryRow } from './history-table.js';
import type { StepInput, StepText } from './requests.js';
import type { MigrateOptions, RunCommand } from './results.js';
import type { RunnerContext } from './under-lock.js';

/**
 * `up`, `down` and `redo` never run over a migration a run left unfinished,
 * whatever the flags (`resumed`, the one a resume finishes, aside): only a
 * resume or `resolve` settles its row, and reverting the migrations below a
 * half-applied one would leave its part standing on what they made. Checked
 * before planning, so that it is what the user hears first. Watch, for
 * development, withdraws its own.
 */
export function refuseUnfinished(command: RunCommand, history: readonly HistoryRow[], migrations: readonly Migration[], resumed: string | null): void {
  if (command === 'watch') return;
  const unfinished = unfinishedRows(history, migrations).filter((u) => u.row.name !== resumed);
  if (unfinished.length > 0) throw unfinishedError(unfinished, null, `${command} refused`);
}

/** Drift other than an unfinished migration is refused by `up` unless the options allow it; the error lists every finding and what settles it. */
export function refuseDrift(command: RunCommand, plan: Plan, options: MigrateOptions): void {
  if (command !== 'up') return;
  const blocking = plan.drift.filter((d) => d.kind !== 'failed' && (d.kind === 'out-of-order' ? !options.allowOutOfOrder : !options.allowDrift));
  if (blocking.length === 0) return;
  const flags = [...new Set(blocking.map((d) => (d.kind === 'out-of-order' ? '--allow-out-of-order' : '--allow-drift')))].join(' or ');
  throw new MigrateError(
    'DRIFT',
    `up refused: the database and the migration files disagree (${blocking.length} finding${blocking.length === 1 ? '' : 's'} below); fix them, or pass ${flags} to run anyway`,
    { details: blocking.map((d) => `${d.kind}: ${d.message}`) },
  );
}

/** Each step's text, bound parameters and history rows; every input error surfaces here, before anything runs. */
export function stepInputs(ctx: RunnerContext, plan: Plan, history: readonly HistoryRow[], options: MigrateOptions, command: RunCommand): StepInput[] {
  let position = nextHistoryPosition(history);
  return plan.steps.map((step) => {
    const text = step.direction === 'up' ? step.migration!.up : downText(ctx, step, options, command);
    const params = text.declarations.map((d) => bindParam(d, text.path, ctx.params));
    if (step.direction === 'up') {
      // A resumed migration keeps the place in the history its first run took.
      const row = historyRowFor(step.migration!, step.history?.position ?? position++, 'applying', appliedBy());
      return { direction: 'up', name: step.name, text, params, row, done: { kind: 'upsert', row: { ...row, state: 'applied' } } };
    }
    const { appliedAt: _, ...row } = step.history!;
    return { direction: 'down', name: step.name, text, params, row, done: { kind: 'delete', name: step.name } };
  });
}

/**
 * Which down text a down step runs: by default the one stored in the
 * history when the migration was applied (it undoes what actually ran),
 * else the file's; `downFromFile` picks the file's.
 */
function downText(ctx: RunnerContext, step: Step, options: MigrateOptions, command: RunCommand): StepText {
  const file = step.migration?.down ?? null;
  const stored = step.history?.downText ?? null;
  if (options.downFromFile || stored === null) {
    if (!file) {
      throw new MigrateError('DOWN_MISSING', `migration ${step.name} has no down file${stored === null ? '' : ' (drop --down-from-file to use the down text stored in the history)'}; write ${step.name}.down.yql`);
    }
    if (isUnmarkedEmptyDown(file)) throw emptyDownError(step.name, file.path, '');
    return file;
  }
  if (file?.text === stored) {
    if (isUnmarkedEmptyDown(file)) throw emptyDownError(step.name, file.path, '');
    return file;
  }
  const path = `${ctx.store.table}:${step.name}.down.yql`;
  const storedText: StepText = { path, text: stored, ...toBlocks(stored, path) };
  if (isUnmarkedEmptyDown(storedText)) {
    const fileCanRevert = file !== null && !isUnmarkedEmptyDown(file);
    // Watch is for development: the down file written since is the only revert there is.
    if (fileCanRevert && command === 'watch') return file;
    const note = fileCanRevert ? ` (the down text stored when it was applied is empty; pass --down-from-file to revert with ${file.path} as it is now)` : ' (nor is there one in the down text stored when it was applied)';
    throw emptyDownError(step.name, file?.path ?? path, note);
  }
  if (file) {
    ctx.onEvent({
      type: 'warning',
      warning: {
        code: 'DOWN_TEXT_CHANGED',
        message: `${file.path} changed since ${step.name} was applied; running the down text stored in the history at apply time (shown as ${path}); pass --down-from-file to run the file instead`,
        location: { file: file.path, line: 1, column: 1 },
      },
    });
  }
  return storedText;
}

/** `user@host`, as the history's applied_by shows it. */
export function appliedBy(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}

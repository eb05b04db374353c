/**
 * `up --resume` and `down --resume`: where a migration that a run left
 * unfinished goes on. The requests that ran must be unchanged in the text it
 * runs now (request by request, against the history's `requests_ran`); the
 * request that failed is looked for in the live schema when its effect shows
 * there (a table, column, index or changefeed created or dropped) and skipped
 * if it landed; a request whose effect does not show (DML, anything else) is
 * run again only with --assume-not-applied.
 */
import { checksumOf } from '../checksum.js';
import { MigrateError } from '../errors.js';
import type { Migration, MigrationSet } from '../migration.js';
import { planMigrations, type Plan } from './plan.js';
import type { Block } from '../yql/blocks.js';
import type { HistoryRow } from './history-table.js';
import { resolveAdvice, unfinishedError, unfinishedRows } from './recovery.js';
import type { StepText } from './requests.js';
import { decodeRequestsRan, requestChecksum } from './requests-ran.js';
import { lookFor, type Seen } from './effects.js';
import type { RunnerContext, StepChooser } from './under-lock.js';

/** The unfinished row that `direction --resume` finishes: there must be exactly one, left in that direction (or in an unrecorded one). */
export function rowToResume(history: readonly HistoryRow[], migrations: readonly Migration[], direction: 'up' | 'down'): HistoryRow {
  const unfinished = unfinishedRows(history, migrations);
  if (unfinished.length === 0) throw new MigrateError('RESUME_NOTHING', `${direction} --resume: the history holds no unfinished migration, so there is nothing to resume; run \`ydb-migrate ${direction}\``);
  if (unfinished.length > 1) throw unfinishedError(unfinished, null, `${direction} --resume finishes one migration at a time`);
  const { row } = unfinished[0]!;
  const left = decodeRequestsRan(row.requestsRan)?.direction ?? direction;
  if (left !== direction) {
    throw new MigrateError('RESUME_NOTHING', `${row.name} was left unfinished while being ${left === 'up' ? 'applied' : 'reverted'}, so \`ydb-migrate ${direction} --resume\` cannot finish it; run \`ydb-migrate ${left} --resume\``);
  }
  return row;
}

/** Refuses (RESUME_EDITED) when a request that ran is not the same in `text`, naming it. */
export function requireRanUnchanged(row: HistoryRow, text: StepText, migration: Migration | null): void {
  const ran = decodeRequestsRan(row.requestsRan);
  if (!ran) {
    // No record request by request (an offline script's row, an earlier version's): only the whole text can tell.
    if (text.text === row.downText || (text === migration?.up && row.checksum === checksumOf(text.text))) return;
    throw new MigrateError(
      'RESUME_EDITED',
      `${row.name}: the history does not record its requests that ran one by one (the row was written by an offline script or an earlier version), and ${text.path} changed since that run, so resuming could run a request twice or skip one; restore ${text.path} as it ran (sha256 ${row.checksum.slice(0, 12)}), or check the database and \`ydb-migrate resolve ${row.name} --applied|--reverted\``,
      { location: { file: text.path, line: 1, column: 1 } },
    );
  }
  for (const [i, checksum] of ran.checksums.entries()) {
    const block = text.blocks[i];
    if (block && requestChecksum(block) === checksum) continue;
    const where = block ? `request ${i + 1} (${text.path}:${block.line}) changed since it ran` : `${text.path} now has ${text.blocks.length} request${text.blocks.length === 1 ? '' : 's'}, fewer than the ${ran.checksums.length} that ran`;
    throw new MigrateError(
      'RESUME_EDITED',
      `${row.name}: ${where}; a resume runs only what did not run, so the requests that ran must stay as they ran: undo the edit (fix only the request that failed and those after it), or check the database and \`ydb-migrate resolve ${row.name} --applied|--reverted\``,
      block ? { location: { file: text.path, line: block.line, column: block.column } } : {},
    );
  }
}

/**
 * The first request to run: after the recorded ones, or when the row does
 * not record how far it got, after the last one whose effect shows. The
 * request at that point is looked for first; the warnings say what was skipped.
 * Without a record, a request whose effect cannot be read may have run or
 * not, and so may every such request up to the first checkable one found
 * absent (the run stopped at or before it): --assume-not-applied then says
 * that none of them did, and the messages name them all.
 */
export async function resumeFrom(ctx: RunnerContext, row: HistoryRow, text: StepText, direction: 'up' | 'down', assumeNotApplied: boolean): Promise<number> {
  const { blocks } = text;
  const seen = new Map<number, Seen>();
  const look = async (i: number): Promise<Seen> => {
    if (!seen.has(i)) seen.set(i, await lookFor(ctx.connection, blocks[i]!, text.path));
    return seen.get(i)!;
  };
  const record = decodeRequestsRan(row.requestsRan);
  const recorded = record?.checksums.length ?? row.requestsDone;
  let from = recorded ?? 0;
  if (recorded === null) {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const found = await look(i);
      if (found.kind === 'landed') {
        warn(ctx, 'RESUME_SKIPPED', `the history does not record how far ${row.name} got; the schema shows that request ${i + 1} (${text.path}:${blocks[i]!.line}) took effect (${found.what}), so the requests up to it are taken as run`, text.path, blocks[i]!);
        from = i + 1;
        break;
      }
    }
  }
  if (from >= blocks.length) return blocks.length;
  const at = `request ${from + 1} of ${row.name} (${text.path}:${blocks[from]!.line})`;
  if (record?.nextDidNotRun) {
    warn(ctx, 'RESUME_FROM', `resuming ${row.name} at ${at.replace(` of ${row.name}`, '')}: the run that stopped recorded that it did not run (refused by YDB, or never sent)`, text.path, blocks[from]!);
    return from;
  }
  const found = await look(from);
  if (found.kind === 'landed') {
    warn(ctx, 'RESUME_SKIPPED', `${at} took effect before the run stopped (${found.what}), so it is skipped`, text.path, blocks[from]!);
    return from + 1;
  }
  if (found.kind === 'absent') {
    warn(ctx, 'RESUME_FROM', `resuming ${row.name} at ${at.replace(` of ${row.name}`, '')}: it did not take effect (${found.what})`, text.path, blocks[from]!);
    return from;
  }
  // Recorded: the run stopped at `from`. Not recorded: anywhere up to the first checkable request found absent.
  let last = from;
  while (recorded === null && last + 1 < blocks.length && (await look(last + 1)).kind === 'unknown') last++;
  const doubt =
    last === from && recorded !== null
      ? `${at} is where the run stopped, and whether it took effect cannot be read from the schema (${found.what})`
      : `the history does not record how far ${row.name} got, and the schema cannot show whether ${last === from ? at : `requests ${from + 1} to ${last + 1} of ${row.name} (${text.path}:${blocks.slice(from, last + 1).map((b) => b.line).join(', :')})`} took effect (${found.what}): the run may have stopped at ${last === from ? 'it' : 'any of them'}`;
  if (!assumeNotApplied) {
    throw new MigrateError(
      'RESUME_UNCHECKABLE',
      `${doubt}; check the database: if ${last === from ? 'it did not take effect' : 'none of them took effect'}, run again with --assume-not-applied; otherwise finish the rest by hand and record it: ${resolveAdvice(row.name, direction)}`,
      { location: { file: text.path, line: blocks[from]!.line, column: blocks[from]!.column } },
    );
  }
  warn(ctx, 'RESUME_FROM', `resuming ${row.name} at ${at.replace(` of ${row.name}`, '')}: ${last === from ? 'it is' : `requests ${from + 1} to ${last + 1} are`} assumed not applied (--assume-not-applied)`, text.path, blocks[from]!);
  return from;
}

function warn(ctx: RunnerContext, code: string, message: string, file: string, block: Block): void {
  ctx.onEvent({ type: 'warning', warning: { code, message, location: { file, line: block.line, column: block.column } } });
}

/**
 * The plan of `direction --resume`: for `up`, the run's own plan, which must
 * start with the unfinished migration; for `down`, its revert alone.
 */
export function resumePlan(direction: 'up' | 'down', set: MigrationSet, history: readonly HistoryRow[], choose: StepChooser): Plan {
  const row = rowToResume(history, set.migrations, direction);
  if (direction === 'up') {
    const plan = choose(set, history);
    if (plan.steps[0]?.name !== row.name) {
      throw new MigrateError('RESUME_NOTHING', `up --resume: ${row.name} is left unfinished, but the target ${plan.steps.length === 0 ? 'needs no migration' : `starts with ${plan.steps[0]!.name}`}; resume it with \`ydb-migrate up ${row.name} --resume\``);
    }
    return plan;
  }
  const state = planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: { kind: 'head' }, direction: 'up', allowOutOfOrder: true });
  const migration = set.migrations.find((m) => m.name === row.name) ?? null;
  return { steps: [{ direction: 'down', name: row.name, migration, history: row }], drift: state.drift, current: state.current, target: state.current };
}

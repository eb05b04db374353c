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
import { lookFor, readableAlone, type Seen } from './effects.js';
import type { RunnerContext, StepChooser } from './under-lock.js';

/** The unfinished row that `direction --resume` finishes: there must be exactly one, left in that direction (or in an unrecorded one). */
export function rowToResume(history: readonly HistoryRow[], migrations: readonly Migration[], direction: 'up' | 'down'): HistoryRow {
  const unfinished = unfinishedRows(history, migrations);
  if (unfinished.length === 0) throw new MigrateError('RESUME_NOTHING', `${direction} --resume: the history holds no unfinished migration, so there is nothing to resume; run \`ydb-migrate ${direction}\``);
  if (unfinished.length > 1) throw unfinishedError(unfinished, null, `${direction} --resume finishes one migration at a time`);
  const { row } = unfinished[0]!;
  const left = decodeRequestsRan(row.requestsRan)?.direction ?? direction;
  if (left === 'up' && !migrations.some((m) => m.name === row.name)) {
    throw new MigrateError('RESUME_NOTHING', `${row.name} was left unfinished while being applied, but it is no longer in the manifest, so no resume can finish it: list it again with its up file as it ran, then \`ydb-migrate up --resume\`; or check the database and ${resolveAdvice(row.name, 'up')}`);
  }
  if (left !== direction) {
    throw new MigrateError('RESUME_NOTHING', `${row.name} was left unfinished while being ${left === 'up' ? 'applied' : 'reverted'}, so \`ydb-migrate ${direction} --resume\` cannot finish it; run \`ydb-migrate ${left} --resume\``);
  }
  return row;
}

/**
 * Refuses (RESUME_EDITED) when a request that ran is not the same in `text`,
 * naming it; so is a request whose outcome is unknown, since the resume
 * looks for the effect of the text that was sent.
 */
export function requireRanUnchanged(row: HistoryRow, text: StepText, migration: Migration | null): void {
  const ran = decodeRequestsRan(row.requestsRan);
  if (!ran || row.state !== 'failed') {
    // No record of how far it got (an offline script's row, a run that died, an earlier version's): only the whole text can tell.
    if (text.text === row.downText || (text === migration?.up && row.checksum === checksumOf(text.text))) return;
    throw new MigrateError(
      'RESUME_EDITED',
      `${row.name}: the history does not record how far it got (its row was left '${row.state}' by an offline script, a run that died, or an earlier version), and ${text.path} changed since that run, so resuming could run a request twice or skip one; restore ${text.path} as it ran (sha256 ${row.checksum.slice(0, 12)}), or check the database and \`ydb-migrate resolve ${row.name} --applied|--reverted\``,
      { location: { file: text.path, line: 1, column: 1 } },
    );
  }
  const sent = ran.next?.kind === 'unknown' ? [...ran.checksums, ran.next.checksum] : ran.checksums;
  for (const [i, checksum] of sent.entries()) {
    const block = text.blocks[i];
    if (block && requestChecksum(block) === checksum) continue;
    const inFlight = i === ran.checksums.length;
    const where = block
      ? `request ${i + 1} (${text.path}:${block.line}) changed since ${inFlight ? 'it was sent, and its outcome is unknown: the resume must look for the effect of the text that was sent' : 'it ran'}`
      : `${text.path} now has ${text.blocks.length} request${text.blocks.length === 1 ? '' : 's'}, fewer than the ${sent.length} that were sent`;
    throw new MigrateError(
      'RESUME_EDITED',
      `${row.name}: ${where}; a resume runs only what did not run, so the requests that were sent must stay as they were: undo the edit (fix only ${inFlight ? 'the requests after it' : 'the request that failed and those after it'}; change the rest in a new migration), or check the database and \`ydb-migrate resolve ${row.name} --applied|--reverted\``,
      block ? { location: { file: text.path, line: block.line, column: block.column } } : {},
    );
  }
}

/**
 * The first request to run. A row left 'failed' records how far the run got
 * and what is known of the next request: it did not run (it runs), or its
 * outcome is unknown (its effect is looked for in the schema). A row left
 * 'applying' (the run died, or an offline script stopped) records at most
 * the requests before the run began: the run stopped at one of the points
 * after them that the schema agrees with, where every request before the
 * point shows its effect or cannot show one and every request after it
 * shows none or cannot show one. One such point is where it resumes; several
 * (requests between them that cannot be read) need --assume-not-applied,
 * which takes the first; none, or a request whose effect another request of
 * the text overrides, cannot be read.
 */
export async function resumeFrom(ctx: RunnerContext, row: HistoryRow, text: StepText, direction: 'up' | 'down', assumeNotApplied: boolean): Promise<number> {
  const { blocks } = text;
  const record = decodeRequestsRan(row.requestsRan);
  const start = record?.checksums.length ?? row.requestsDone ?? 0;
  if (start >= blocks.length) return blocks.length;
  const alone = readableAlone(blocks, text.path);
  const seen = new Map<number, Seen>();
  const look = async (i: number): Promise<Seen> => {
    if (!seen.has(i)) seen.set(i, alone[i] ? await lookFor(ctx.connection, blocks[i]!, text.path) : { kind: 'unknown', what: 'another request of the migration changes the same thing, so the schema shows the later one' });
    return seen.get(i)!;
  };
  const request = (i: number): string => `request ${i + 1} (${text.path}:${blocks[i]!.line})`;
  const requestOf = (i: number): string => `request ${i + 1} of ${row.name} (${text.path}:${blocks[i]!.line})`;

  if (row.state === 'failed' && record?.next?.kind === 'did not run') {
    warn(ctx, 'RESUME_FROM', `resuming ${row.name} at ${request(start)}: the run that stopped recorded that it did not run (refused by YDB, or never sent)`, text.path, blocks[start]!);
    return start;
  }
  // The points the run may have stopped at: `start` alone when the row records it, else any point the schema agrees with.
  const exact = row.state === 'failed' && record !== null;
  const verdicts: Seen[] = [];
  for (let i = start; i < (exact ? start + 1 : blocks.length); i++) verdicts.push(await look(i));
  const points: number[] = [];
  if (exact) points.push(start);
  else {
    for (let p = start; p <= blocks.length; p++) {
      if (verdicts.slice(0, p - start).every((v) => v.kind !== 'absent') && verdicts.slice(p - start).every((v) => v.kind !== 'landed')) points.push(p);
    }
  }
  if (points.length === 0) {
    throw new MigrateError(
      'RESUME_UNCHECKABLE',
      `the history does not record how far ${row.name} got, and the schema matches no point where the run could have stopped (${verdicts.map((v, k) => `${request(start + k)}: ${v.what}`).join('; ')}); check the database and finish it by hand, then record it: ${resolveAdvice(row.name, direction)}`,
      { location: { file: text.path, line: blocks[start]!.line, column: blocks[start]!.column } },
    );
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (!exact && first > start) {
    // The run got past every request before the last one whose effect shows.
    const shown = start + verdicts.slice(0, first - start).map((v) => v.kind).lastIndexOf('landed');
    warn(ctx, 'RESUME_SKIPPED', `the history does not record how far ${row.name} got; the schema shows that ${request(shown)} took effect (${verdicts[shown - start]!.what}), so the requests up to it are taken as run`, text.path, blocks[shown]!);
  }
  if (first >= blocks.length) return blocks.length;
  if (exact && verdicts[0]!.kind === 'landed') {
    warn(ctx, 'RESUME_SKIPPED', `${requestOf(start)} took effect before the run stopped (${verdicts[0]!.what}), so it is skipped`, text.path, blocks[start]!);
    return start + 1;
  }
  if (first === last && (exact ? verdicts[0]!.kind === 'absent' : true)) {
    const why = exact ? `it did not take effect (${verdicts[0]!.what})` : `the schema shows it did not take effect (${verdicts[first - start]!.what})`;
    warn(ctx, 'RESUME_FROM', `resuming ${row.name} at ${request(first)}: ${why}`, text.path, blocks[first]!);
    return first;
  }
  // The run may have stopped at any point from `first` to `last`: the requests between cannot be read.
  const doubtful = exact ? [start] : Array.from({ length: last - first }, (_, k) => first + k);
  const which = doubtful.length === 1 ? requestOf(doubtful[0]!) : `requests ${first + 1} to ${last} (${text.path}:${doubtful.map((i) => blocks[i]!.line).join(', :')})`;
  const reason = verdicts[doubtful[0]! - start]!.what;
  const doubt = exact
    ? `${requestOf(start)} is where the run stopped, and its outcome is unknown: whether it took effect cannot be read from the schema (${reason})`
    : `the history does not record how far ${row.name} got, and the schema cannot show whether ${which} took effect (${reason}): the run may have stopped at ${doubtful.length === 1 ? 'it' : 'any of them'}`;
  if (!assumeNotApplied) {
    throw new MigrateError(
      'RESUME_UNCHECKABLE',
      `${doubt}; check the database: if ${doubtful.length === 1 ? 'it did not take effect' : 'none of them took effect'}, run again with --assume-not-applied; otherwise finish the rest by hand and record it: ${resolveAdvice(row.name, direction)}`,
      { location: { file: text.path, line: blocks[first]!.line, column: blocks[first]!.column } },
    );
  }
  warn(ctx, 'RESUME_FROM', `resuming ${row.name} at ${request(first)}: ${doubtful.length === 1 ? 'it is' : `requests ${first + 1} to ${last} are`} assumed not applied (--assume-not-applied)`, text.path, blocks[first]!);
  return first;
}

function warn(ctx: RunnerContext, code: string, message: string, file: string, block: Block): void {
  ctx.onEvent({ type: 'warning', warning: { code, message, location: { file, line: block.line, column: block.column } } });
}

/**
 * The plan of `direction --resume`: for `up`, the run's own plan, which must
 * start with the unfinished migration; for `down`, its revert alone.
 */
export function resumePlan(direction: 'up' | 'down', row: HistoryRow, set: MigrationSet, history: readonly HistoryRow[], choose: StepChooser): Plan {
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

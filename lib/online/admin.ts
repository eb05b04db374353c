/**
 * The history's admin commands: `baseline` and `resolve` (record what was
 * done by hand), `status` and `unlock` (`repair` has its own room, repair.ts). None runs a migration; the writing ones work under the lock.
 */
import { MigrateError } from '../errors.js';
import type { Migration, MigrationSet } from '../migration.js';
import { planMigrations } from './plan.js';
import type { HistoryStore } from './history-store.js';
import { historyRowFor, nextHistoryPosition, type HistoryChange, type HistoryRow } from './history-table.js';
import type { EntryState, MigrationResult, RunResult, StatusEntry, StatusReport } from './results.js';
import { describeUnfinished, numbered, recoveryCommands, unfinishedRows } from './recovery.js';
import { appliedBy } from './steps.js';
import { finish, refuseBadInput, withLock, type RunnerContext } from './under-lock.js';

/** Records every migration up to `name` as applied without running it, for a database made before ydb-migrate. */
export function recordBaseline(ctx: RunnerContext, name: string): Promise<RunResult> {
  const goalOf = (ctx: RunnerContext): Migration => {
    const goal = ctx.set.migrations.find((m) => m.name === name);
    if (!goal) throw new MigrateError('BASELINE_UNKNOWN', `no migration named '${name}' in ${ctx.set.manifest.path}; name the last migration the database already has`);
    return goal;
  };
  return finish(ctx, 'baseline', false, async (ctx) => {
    goalOf(ctx);
    return withLock(ctx, async (history) => {
      const goal = goalOf(ctx);
      const unfinished = history.filter((row) => row.state !== 'applied');
      if (unfinished.length > 0) {
        throw new MigrateError('BASELINE_FAILED_ROWS', `the history holds unfinished migrations (${unfinished.map((r) => `${r.name}: ${r.state}`).join(', ')}); settle them with \`ydb-migrate resolve\` before a baseline`);
      }
      const recorded = new Set(history.map((row) => row.name));
      let position = nextHistoryPosition(history);
      const added = ctx.set.migrations.slice(0, goal.index + 1).filter((m) => !recorded.has(m.name));
      const pending = added.map((m): HistoryChange => ({ kind: 'upsert', row: historyRowFor(m, position++, 'applied', `${appliedBy()} (baseline)`) }));
      const results = added.map((m): MigrationResult => ({ name: m.name, direction: 'up', status: 'baselined', file: m.up.path, durationMs: 0 }));
      return { results, error: null, pending, plan: null };
    });
  });
}

/** Settles a migration left 'failed' or 'applying': marks it applied, or removes its row (reverted). */
export function resolveFailed(ctx: RunnerContext, name: string, as: 'applied' | 'reverted'): Promise<RunResult> {
  const unfinishedRow = (_: RunnerContext, history: readonly HistoryRow[]): HistoryRow => {
    const row = history.find((r) => r.name === name);
    if (!row) throw new MigrateError('RESOLVE_UNKNOWN', `the history has no row for '${name}'; \`ydb-migrate status\` lists the failed migrations`);
    if (row.state === 'applied') throw new MigrateError('RESOLVE_NOT_FAILED', `'${name}' is applied, not failed; there is nothing to resolve`);
    return row;
  };
  return finish(ctx, 'resolve', false, async (ctx) => {
    await refuseBadInput(ctx, unfinishedRow);
    return withLock(ctx, async (history) => {
      const { appliedAt: _, ...write } = unfinishedRow(ctx, history);
      const change: HistoryChange = as === 'applied' ? { kind: 'upsert', row: { ...write, state: 'applied', requestsDone: null, requestsRan: null } } : { kind: 'delete', name };
      const results: MigrationResult[] = [{ name, direction: as === 'applied' ? 'up' : 'down', status: 'resolved', file: null, durationMs: 0 }];
      return { results, error: null, pending: [change], plan: null };
    });
  });
}

/**
 * For watch, after `name`'s up step failed: puts it back to pending. When
 * part of it ran (`partial`: DDL is not transactional), its down text
 * undoes that part; then its unfinished history row is removed. Does
 * nothing when the history holds no unfinished row for it.
 */

/** Each migration's state, from the history as it is (no lock taken, nothing written). */
export async function readStatus(store: HistoryStore, database: string, set: MigrationSet): Promise<StatusReport> {
  // One after the other: at once, they would need a second session.
  const history = await store.read();
  const lock = await store.holder();
  const plan = planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: { kind: 'head' }, direction: 'up', allowOutOfOrder: true });
  const rows = new Map(history.map((row) => [row.name, row]));
  const outOfOrder = new Set(plan.drift.filter((d) => d.kind === 'out-of-order').map((d) => d.name));
  const tagsAfter = (index: number): string[] => set.manifest.tags.filter((t) => t.afterIndex === index).map((t) => t.tag);
  const entry = (name: string, row: HistoryRow | undefined, migration: Migration | null): StatusEntry => ({
    name,
    state: stateOf(row, migration),
    recorded: row?.state ?? null,
    appliedAt: row?.appliedAt ?? null,
    position: row?.position ?? null,
    file: migration?.up.path ?? null,
    tags: migration ? tagsAfter(migration.index) : [],
    outOfOrder: outOfOrder.has(name),
    progress: row?.state === 'failed' && row.requestsDone !== null ? { ran: row.requestsDone, of: migration?.up.blocks.length ?? null } : null,
    repaired: row?.repairedAt ? { at: row.repairedAt, by: row.repairedBy ?? '' } : null,
  });
  const known = set.migrations.map((m) => entry(m.name, rows.get(m.name), m));
  const listed = new Set(set.migrations.map((m) => m.name));
  const gone = history.filter((row) => !listed.has(row.name)).map((row) => entry(row.name, row, null));
  const entries = [...known, ...gone];
  return {
    database,
    table: store.table,
    current: plan.current,
    entries,
    pending: entries.filter((e) => e.state === 'pending').length,
    drift: plan.drift,
    lock,
    recovery: unfinishedRows(history, set.migrations).flatMap((u) => [describeUnfinished(u), ...numbered(recoveryCommands(u, lock))]),
    warnings: set.warnings,
  };
}

function stateOf(row: HistoryRow | undefined, migration: Migration | null): EntryState {
  if (!row) return 'pending';
  if (row.state !== 'applied') return 'failed';
  if (!migration) return 'missing';
  return row.checksum === migration.up.checksum ? 'applied' : 'changed';
}

/**
 * Watch's plan: the steps that make the database match the migration files.
 *
 * The applied history (oldest first) and the manifest share a longest
 * common prefix: the same names in the same order, each applied with its up
 * file's current checksum. Everything applied past that prefix is reverted,
 * latest first, each with the down text stored when it was applied; then
 * every listed migration past it is applied, in manifest order. So an edited
 * applied migration is reverted and applied again with everything after it,
 * new names are applied, names gone from the manifest are reverted, and a
 * reordered manifest is replayed from the first difference.
 *
 * Pure; the runner calls it with the history read under the lock.
 */
import type { HistoryRow } from '../online/history-table.js';
import type { Migration, MigrationSet } from '../migration.js';
import { planMigrations, type Plan, type Step } from '../online/plan.js';
import type { StepChooser } from '../online/under-lock.js';

export const reconcile: StepChooser = (set: MigrationSet, history: readonly HistoryRow[]): Plan => {
  const applied = history.filter((row) => row.state === 'applied').sort((a, b) => a.position - b.position);
  const kept = commonPrefix(applied, set.migrations);
  const listed = new Map(set.migrations.map((m) => [m.name, m]));
  const unfinished = new Map(history.filter((row) => row.state !== 'applied').map((row) => [row.name, row]));
  const reverts = applied
    .slice(kept)
    .reverse()
    .map((row): Step => ({ direction: 'down', name: row.name, migration: listed.get(row.name) ?? null, history: row }));
  const waiting = waitingForStatements(set);
  const end = waiting ? waiting.index : set.migrations.length;
  const applies = set.migrations
    .slice(kept, Math.max(kept, end))
    .map((m): Step => ({ direction: 'up', name: m.name, migration: m, history: unfinished.get(m.name) ?? null }));
  // The planner's drift findings say why the steps are there (changed, missing, order-differs...); watch never refuses them.
  const { drift } = planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: { kind: 'head' }, direction: 'up', allowOutOfOrder: true });
  return {
    steps: [...reverts, ...applies],
    drift,
    current: applied[applied.length - 1]?.name ?? null,
    target: set.migrations[end - 1]?.name ?? null,
  };
};

/**
 * The first listed migration whose up file has no statements yet (a file
 * just made by `create`): watch applies nothing from it on, until it has.
 */
export function waitingForStatements(set: MigrationSet): Migration | null {
  return set.migrations.find((m) => m.up.blocks.length === 0) ?? null;
}

/** How many applied rows, from the first, match the manifest's migrations one for one. */
function commonPrefix(applied: readonly HistoryRow[], migrations: readonly Migration[]): number {
  let kept = 0;
  while (kept < applied.length && kept < migrations.length && applied[kept]!.name === migrations[kept]!.name && applied[kept]!.checksum === migrations[kept]!.up.checksum) {
    kept++;
  }
  return kept;
}

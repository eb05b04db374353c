/**
 * `verify`: every pending migration up to a target, checked for a down that
 * undoes its up. For each: schema → up → down → schema (must equal the
 * first) → up again (it must run a second time). Runs only through the
 * Migrator's own operations, so it checks what `up` and `down` really do.
 * It stops at the first failure, leaving the database where it stopped.
 */
import { MigrateError } from '../errors.js';
import { columnOrderChanges, withoutColumnOrder, type Schema } from './model.js';
import { renderSchema } from './render.js';
import { lineDiff } from './text-diff.js';

/** How verify refuses a YDB that is not on this machine (see lib/ydb/local-endpoint.ts). */
export const VERIFY_REMOTE_REFUSAL = { code: 'VERIFY_REMOTE_REFUSED', reason: 'verify applies and reverts every pending migration, so it only runs' } as const;

export type VerifyStatus = 'ok' | 'up-failed' | 'down-failed' | 'down-differs' | 'reapply-failed';

export interface VerifyStep {
  name: string;
  status: VerifyStatus;
  /** For down-differs: the schema before up (-) against the schema after down (+), columns in name order. */
  diff: string | null;
  /** For ok: what the down could not restore and verify does not count (the order of a table's columns). */
  note: string | null;
  error: MigrateError | null;
}

export interface VerifyReport {
  ok: boolean;
  steps: VerifyStep[];
  /** A failure before any migration was tried (bad target, no connection...). */
  error: MigrateError | null;
}

/** The operations verify runs (the Migrator's own), so that it checks what `up` and `down` really do. */
export interface VerifyOperations {
  up(target: string, options?: { dryRun?: boolean }): Promise<{ error: MigrateError | null; results: readonly { name: string }[] }>;
  down(target: string): Promise<{ error: MigrateError | null }>;
  schema(): Promise<Schema>;
}

export async function verifyMigrations(migrator: VerifyOperations, target = 'head'): Promise<VerifyReport> {
  const plan = await migrator.up(target, { dryRun: true });
  if (plan.error) return { ok: false, steps: [], error: plan.error };
  const steps: VerifyStep[] = [];
  for (const { name } of plan.results) {
    const step = await verifyOne(migrator, name);
    steps.push(step);
    if (step.status !== 'ok') return { ok: false, steps, error: null };
  }
  return { ok: true, steps, error: null };
}

async function verifyOne(migrator: VerifyOperations, name: string): Promise<VerifyStep> {
  const failed = (status: VerifyStatus, error: MigrateError | null, diff: string | null = null, note: string | null = null): VerifyStep => ({ name, status, diff, note, error });
  const before = await migrator.schema();
  const up = await migrator.up(name);
  if (up.error) return failed('up-failed', up.error);
  const down = await migrator.down('-1');
  if (down.error) return failed('down-failed', down.error);
  const after = await migrator.schema();
  const reordered = columnOrderChanges(before, after);
  if (reordered === null) return failed('down-differs', null, lineDiff(renderSchema(withoutColumnOrder(before)), renderSchema(withoutColumnOrder(after))));
  const again = await migrator.up(name);
  if (again.error) return failed('reapply-failed', again.error);
  const note = reordered.length === 0 ? null : `only the order of the columns of ${reordered.join(', ')} changed (YDB adds a column at the end and cannot put it back in its place)`;
  return failed('ok', null, null, note);
}

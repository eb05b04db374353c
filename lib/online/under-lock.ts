/**
 * What every online command that writes shares: its context, the lock's
 * lifecycle (take it with the history, work, write the history changes the
 * work left and release it in one transaction) and the shaping of its result.
 */
import { MigrateError, type Warning } from '../errors.js';
import type { MigrationSet } from '../migration.js';
import type { RawParamValue } from '../params.js';
import type { Plan } from './plan.js';
import type { Connection } from '../ydb/connection.js';
import type { HistoryStore } from './history-store.js';
import { changedName, type HistoryChange, type HistoryRow } from './history-table.js';
import type { Lease } from './lease.js';
import { isOfflineScript, type LockHolder, type LockOwner } from './lock-table.js';
import { unfinishedError, unfinishedRows } from './recovery.js';
import { failedRun, type DryRunRequests, type MigrationResult, type RunCommand, type RunEvent, type RunResult } from './results.js';

export interface RunnerContext {
  /** Where the migrations' own requests go. */
  connection: Connection;
  /** Where the history and the lock are kept. */
  store: HistoryStore;
  set: MigrationSet;
  params: Readonly<Record<string, RawParamValue>>;
  owner: LockOwner;
  lockTimeoutSeconds: number;
  onEvent: (event: RunEvent) => void;
  /** Ends a wait for the lock when aborted (the run was asked to stop). */
  signal?: AbortSignal | undefined;
}

/** Chooses a run's steps from the migrations and the history: what tells up, down and redo apart. */
export type StepChooser = (set: MigrationSet, history: readonly HistoryRow[]) => Plan;

/** Outcome of work done under the lock: what to commit with the release. */
export interface LockedOutcome {
  results: MigrationResult[];
  error: MigrateError | null;
  pending: HistoryChange[];
  plan: Plan | null;
  requests?: DryRunRequests;
  /** Another runner owns the lock now: write nothing more. */
  lockLost?: boolean;
}

/** Runs `work` with a context whose warnings are also collected, and shapes the result. */
export async function finish(ctx: RunnerContext, command: RunCommand, dryRun: boolean, work: (ctx: RunnerContext) => Promise<LockedOutcome>): Promise<RunResult> {
  const started = performance.now();
  const warnings: Warning[] = [];
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'warning') warnings.push(event.warning);
    ctx.onEvent(event);
  };
  for (const warning of ctx.set.warnings) onEvent({ type: 'warning', warning });
  let outcome: LockedOutcome;
  try {
    outcome = await work({ ...ctx, onEvent });
  } catch (err) {
    if (!(err instanceof MigrateError)) throw err;
    return { ...failedRun(command, dryRun, err), warnings, durationMs: elapsed(started) };
  }
  return {
    command,
    ...(outcome.error === null ? { ok: true, error: null } : { ok: false, error: outcome.error }),
    dryRun,
    results: outcome.results,
    drift: outcome.plan?.drift ?? [],
    from: outcome.plan?.current ?? null,
    target: outcome.plan?.target ?? null,
    requests: outcome.requests ?? null,
    warnings,
    durationMs: elapsed(started),
  };
}

/**
 * Input errors touch nothing: `check` runs first on the history read
 * without the lock (empty when the tables do not exist yet, and nothing is
 * created), and an input error it throws ends the run there. The run then
 * checks again against the history read under the lock.
 */
export async function refuseBadInput<T>(ctx: RunnerContext, check: (ctx: RunnerContext, history: readonly HistoryRow[]) => T): Promise<T | null> {
  const history = await ctx.store.read();
  try {
    return check({ ...ctx, onEvent: () => undefined }, history);
  } catch (err) {
    if (err instanceof MigrateError && err.kind === 'input') throw err;
    return null;
  }
}

/**
 * Takes the lock, runs `work` with the history read under it, and releases
 * the lock in one transaction with the changes `work` left pending, whatever
 * happened, unless the lock was lost.
 */
export async function withLock(ctx: RunnerContext, work: (history: HistoryRow[], lease: Lease) => Promise<LockedOutcome>): Promise<LockedOutcome> {
  const { lease, history } = await ctx.store.lock({
    owner: ctx.owner,
    waitSeconds: ctx.lockTimeoutSeconds,
    onHeld: (holder) => refuseDeadScript(ctx, holder),
    onWait: (holder) => ctx.onEvent({ type: 'lock-wait', holder }),
    onTakeover: (holder) => ctx.onEvent({ type: 'lock-takeover', holder }),
    signal: ctx.signal,
  });
  let outcome: LockedOutcome;
  try {
    outcome = await work(history, lease);
  } catch (err) {
    await lease.stop();
    await ctx.store.release(lease, []).catch(() => undefined); // the error at hand says more; the lease expires anyway
    throw err;
  }
  await lease.stop();
  if (outcome.lockLost) return outcome;
  try {
    await ctx.store.release(lease, outcome.pending);
  } catch (err) {
    const problem = err instanceof MigrateError ? err.message : String(err);
    const unsaved = outcome.pending.length > 0 ? `; the history still shows ${outcome.pending.map(changedName).join(', ')} as 'applying'` : '';
    const note = `releasing the lock failed (${problem})${unsaved}; check with \`ydb-migrate status\``;
    return { ...outcome, error: outcome.error ? withDetail(outcome.error, note) : new MigrateError('LOCK_RELEASE_FAILED', note, { cause: err }) };
  }
  return outcome;
}

/**
 * An offline script that left a migration unfinished holds the lock for the
 * rest of its hour's lease, and nothing renews it once the script stopped:
 * rather than wait, the run says so at once with the recovery message.
 */
async function refuseDeadScript(ctx: RunnerContext, holder: LockHolder): Promise<void> {
  if (!isOfflineScript(holder)) return;
  const unfinished = unfinishedRows(await ctx.store.read(), ctx.set.migrations);
  if (unfinished.length === 0) return;
  throw unfinishedError(unfinished, holder, 'the migration lock is held by an offline script that left a migration unfinished, so this run does not wait for the lock');
}

export function withDetail(error: MigrateError, detail: string): MigrateError {
  return new MigrateError(error.code, error.message, {
    kind: error.kind,
    details: [...error.details, detail],
    cause: error.cause,
    ...(error.location ? { location: error.location } : {}),
  });
}

export function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

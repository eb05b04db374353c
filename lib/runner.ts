/**
 * The online runner: takes the lock (reading the history in the same
 * transaction), plans, runs each step's requests as lib/ydb/protocol.ts lays
 * them out, and releases the lock together with the last history changes.
 * Every outcome comes back as data; a MigrateError stops the run and is
 * returned with the results so far.
 */
import { userInfo, hostname } from 'node:os';
import type { RawParamValue } from './params.js';
import { emptyDownError, isUnmarkedEmptyDown } from './down-text.js';
import { MigrateError, type Warning } from './errors.js';
import { historyRowFor, nextHistoryPosition, type HistoryRow } from './history.js';
import type { Migration, MigrationSet } from './migration.js';
import { bindParam, requireDeclaredParams } from './params.js';
import { planMigrations, type Drift, type Plan, type Step } from './plan.js';
import type { Connection } from './ydb/connection.js';
import { QueryBuilder, runRequest, statusOf, type Query } from './ydb/execute.js';
import { addHistoryChanges, BOOKKEEPING_TIMEOUT_MS, readHistory, upgradeHistoryTable, type HistoryChange } from './ydb/history-store.js';
import { acquireLock, addLockRelease, breakLock, readLockHolder, type Lease, type LockHolder, type LockOwner } from './ydb/lock.js';
import { planRequests, type PlannedRequest, type PlannedStep, type RunRequests, type StepInput, type StepText } from './ydb/protocol.js';
import { toBlocks, type Block } from './yql/blocks.js';
import { encodeLiteral, formatType } from './yql/literal.js';

export interface RunnerContext {
  connection: Connection;
  set: MigrationSet;
  table: string;
  params: Readonly<Record<string, RawParamValue>>;
  owner: LockOwner;
  lockTimeoutSeconds: number;
  onEvent: (event: RunEvent) => void;
}

export type RunCommand = 'up' | 'down' | 'redo' | 'baseline' | 'resolve' | 'repair' | 'watch';

export interface MigrateOptions {
  /** Plan and print the exact YQL; run nothing, take no lock. */
  dryRun?: boolean;
  /** Run `up` although the planner found drift. */
  allowDrift?: boolean;
  /** Apply pending migrations listed before applied ones. */
  allowOutOfOrder?: boolean;
  /** Revert with the down file's text instead of the one stored when the migration was applied. */
  downFromFile?: boolean;
  /** When aborted, the run stops before its next request, records where it is and releases the lock. */
  signal?: AbortSignal;
  /** Bounds each request of a migration (default DEFAULT_STATEMENT_TIMEOUT_SECONDS): a block YDB never answers fails then. */
  statementTimeoutSeconds?: number;
  /**
   * Asked before the lock is taken when a run would revert more than one
   * migration (planned from the history as read then); false cancels it.
   */
  confirmRevert?: (steps: readonly Step[]) => Promise<boolean>;
}

/** Generous: a migration may build an index over a big table; a request YDB never answers still ends. */
export const DEFAULT_STATEMENT_TIMEOUT_SECONDS = 6 * 3600;

export type MigrationStatus = 'applied' | 'reverted' | 'failed' | 'planned' | 'baselined' | 'resolved' | 'repaired';

export interface MigrationResult {
  name: string;
  direction: 'up' | 'down';
  status: MigrationStatus;
  /** The file whose text ran (or was recorded); null when nothing ran. */
  file: string | null;
  durationMs: number;
  /** A failed step: how many of its requests (blocks) completed before the failing one. */
  progress?: { ran: number; of: number };
  /** repair: what it recorded, e.g. `checksum 1a2b3c4d5e6f → 9f8e7d6c5b4a`. */
  changes?: string[];
}

/** A request a dry run would send: its kind, exact text and parameters as YQL literals. */
export interface PlannedQuery {
  kind: 'scheme' | 'transaction';
  text: string;
  params: Record<string, string>;
}

/** A run's outcome: `if (!result.ok) result.error.message` type-checks. */
export type RunResult = RunReport & ({ ok: true; error: null } | { ok: false; error: MigrateError });

export interface RunReport {
  command: RunCommand;
  dryRun: boolean;
  results: MigrationResult[];
  drift: Drift[];
  /** The last applied migration before the run, null at base. */
  from: string | null;
  /** The one the run meant to reach. */
  target: string | null;
  /** Dry run only (else null): each step's requests in order, then the transaction that releases the lock. */
  requests: DryRunRequests | null;
  warnings: Warning[];
  durationMs: number;
}

export interface DryRunRequests {
  steps: { name: string; direction: 'up' | 'down'; file: string; queries: PlannedQuery[] }[];
  /** Commits the history changes still pending after the last step, with the lock's release. */
  release: PlannedQuery;
}

export type RunEvent =
  | { type: 'lock-wait'; holder: LockHolder }
  | { type: 'lock-takeover'; holder: LockHolder }
  | { type: 'warning'; warning: Warning }
  | { type: 'step-start'; name: string; direction: 'up' | 'down'; index: number; total: number; file: string }
  | { type: 'block-start'; name: string; block: number; blocks: number; line: number; kind: Block['kind'] }
  | { type: 'step-end'; result: MigrationResult };

/** Chooses a run's steps from the migrations and the history: what tells up, down and redo apart. */
export type StepChooser = (set: MigrationSet, history: readonly HistoryRow[]) => Plan;

/** Outcome of work done under the lock: what to commit with the release. */
interface LockedOutcome {
  results: MigrationResult[];
  error: MigrateError | null;
  pending: HistoryChange[];
  plan: Plan | null;
  requests?: DryRunRequests;
  /** Another runner owns the lock now: write nothing more. */
  lockLost?: boolean;
}

/**
 * up, down and redo: plan from the history read under the lock, refuse
 * drift for `up`, then run the steps. A dry run reads the history without
 * the lock and sends nothing else.
 */
export function runMigrations(ctx: RunnerContext, command: RunCommand, choose: StepChooser, options: MigrateOptions = {}): Promise<RunResult> {
  /** The plan, and its requests unless the plan is refused: then the outcome keeps the plan (its drift) beside the error. */
  const prepare = (ctx: RunnerContext, history: readonly HistoryRow[]): { plan: Plan; planned: RunRequests } | LockedOutcome => {
    const plan = choose(ctx.set, history);
    try {
      refuseDrift(command, plan.drift, options);
      return { plan, planned: planRequests(stepInputs(ctx, plan, history, options, command), ctx.table) };
    } catch (err) {
      if (!(err instanceof MigrateError)) throw err;
      return { results: [], error: err, pending: [], plan };
    }
  };
  if (options.dryRun) {
    return finish(ctx, command, true, async (ctx) => {
      requireDeclaredParams(ctx.set, ctx.params);
      const prepared = prepare(ctx, await readHistory(ctx.connection, ctx.table));
      if (!('planned' in prepared)) return prepared;
      const { plan, planned } = prepared;
      const results = planned.steps.map((s): MigrationResult => ({ name: s.name, direction: s.direction, status: 'planned', file: s.file, durationMs: 0 }));
      const release = describeQuery('transaction', addLockRelease(addHistoryChanges(new QueryBuilder(), ctx.table, planned.pending), ctx.table, ctx.owner).build());
      return { results, error: null, pending: [], plan, requests: { steps: planned.steps.map(describeStep), release } };
    });
  }
  const refuseInput = (ctx: RunnerContext, history: readonly HistoryRow[]): Plan => {
    const prepared = prepare(ctx, history);
    if (!('planned' in prepared) && prepared.error?.kind === 'input') throw prepared.error;
    return prepared.plan!;
  };
  return finish(ctx, command, false, async (ctx) => {
    if (command !== 'watch') {
      requireDeclaredParams(ctx.set, ctx.params);
      const plan = await refuseBadInput(ctx, refuseInput);
      const reverts = plan?.steps.filter((s) => s.direction === 'down') ?? [];
      if (options.confirmRevert && reverts.length > 1 && !(await options.confirmRevert(reverts))) {
        throw new MigrateError('NOT_CONFIRMED', `nothing was reverted: reverting ${reverts.length} migrations was not confirmed`);
      }
    }
    return withLock(ctx, async (history, lease) => {
      const prepared = prepare(ctx, history);
      if (!('planned' in prepared)) return prepared;
      const { plan, planned } = prepared;
      return { ...(await execute(ctx, planned.steps, planned.pending, lease, options)), plan };
    });
  });
}

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
      const change: HistoryChange = as === 'applied' ? { kind: 'upsert', row: { ...write, state: 'applied', requestsDone: null } } : { kind: 'delete', name };
      const results: MigrationResult[] = [{ name, direction: as === 'applied' ? 'up' : 'down', status: 'resolved', file: null, durationMs: 0 }];
      return { results, error: null, pending: [change], plan: null };
    });
  });
}

export interface RepairOptions {
  /** Also record the down files' current text as the one to revert with. */
  downText?: boolean;
  /** Show what would be recorded; write nothing, take no lock. */
  dryRun?: boolean;
}

/**
 * After review of edits to applied migration files: records the files'
 * current checksums (and with `downText`, their down texts) in the history,
 * for the named applied migrations or, with no names, every applied one
 * that is still listed. Runs nothing else.
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
    for (const row of applied) {
      const migration = byName.get(row.name);
      if (!migration || (names.length > 0 && !names.includes(row.name))) continue;
      const down = options.downText ? (migration.down?.text ?? null) : row.downText;
      const changes = [
        ...(row.checksum !== migration.up.checksum ? [`checksum ${row.checksum.slice(0, 12)} → ${migration.up.checksum.slice(0, 12)} (${migration.up.path})`] : []),
        ...(down !== row.downText ? [`down text now ${migration.down ? `that of ${migration.down.path}` : 'none (no down file)'}`] : []),
      ];
      if (changes.length === 0) continue;
      const { appliedAt: _applied, ...write } = row;
      pending.push({ kind: 'upsert', row: { ...write, checksum: migration.up.checksum, downText: down } });
      results.push({ name: row.name, direction: 'up', status: options.dryRun ? 'planned' : 'repaired', file: migration.up.path, durationMs: 0, changes });
    }
    return { results, pending };
  };
  if (options.dryRun) {
    return finish(ctx, 'repair', true, async (ctx) => ({ ...repairs(ctx, await readHistory(ctx.connection, ctx.table)), pending: [], error: null, plan: null }));
  }
  return finish(ctx, 'repair', false, async (ctx) => {
    await refuseBadInput(ctx, repairs);
    return withLock(ctx, async (history) => ({ ...repairs(ctx, history), error: null, plan: null }));
  });
}

/**
 * For watch, after `name`'s up step failed: puts it back to pending. When
 * part of it ran (`partial`: DDL is not transactional), its down text
 * undoes that part; then its unfinished history row is removed. Does
 * nothing when the history holds no unfinished row for it.
 */
export function withdrawFailed(ctx: RunnerContext, name: string, partial: boolean, options: MigrateOptions = {}): Promise<RunResult> {
  return finish(ctx, 'watch', false, (ctx) =>
    withLock(ctx, async (history, lease) => {
      const row = history.find((r) => r.name === name && r.state !== 'applied');
      if (!row) return { results: [], error: null, pending: [], plan: null };
      if (!partial) return { results: [], error: null, pending: [{ kind: 'delete', name }], plan: null };
      const migration = ctx.set.migrations.find((m) => m.name === name) ?? null;
      const undo: Plan = { steps: [{ direction: 'down', name, migration, history: row }], drift: [], current: null, target: null };
      const planned = planRequests(stepInputs(ctx, undo, history, options, 'watch'), ctx.table);
      return { ...(await execute(ctx, planned.steps, planned.pending, lease, options)), plan: null };
    }),
  );
}

export type EntryState = 'applied' | 'pending' | 'changed' | 'missing' | 'failed';

export interface StatusEntry {
  name: string;
  state: EntryState;
  /** The history row's own state when there is one ('applying' tells a crash from a reported failure). */
  recorded: HistoryRow['state'] | null;
  appliedAt: Date | null;
  position: number | null;
  /** The up file, null for a migration gone from the manifest. */
  file: string | null;
  /** Tags placed right after this migration in the manifest. */
  tags: string[];
  outOfOrder: boolean;
  /**
   * For a row recorded 'failed' with its count: how many requests completed,
   * of how many the up file has now (null when the file is gone). Null
   * otherwise, and for failures recorded before the history kept the count.
   */
  progress: { ran: number; of: number | null } | null;
}

export interface StatusReport {
  database: string;
  table: string;
  current: string | null;
  entries: StatusEntry[];
  pending: number;
  drift: Drift[];
  lock: LockHolder | null;
  /** From loading the migration files (unlisted files, empty up files). */
  warnings: Warning[];
}

/** Each migration's state, from the history as it is (no lock taken, nothing written). */
export async function readStatus(connection: Connection, set: MigrationSet, table: string): Promise<StatusReport> {
  // One after the other: at once, they would need a second session.
  const history = await readHistory(connection, table);
  const lock = await readLockHolder(connection, table);
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
  });
  const known = set.migrations.map((m) => entry(m.name, rows.get(m.name), m));
  const listed = new Set(set.migrations.map((m) => m.name));
  const gone = history.filter((row) => !listed.has(row.name)).map((row) => entry(row.name, row, null));
  const entries = [...known, ...gone];
  return {
    database: connection.target.display,
    table,
    current: plan.current,
    entries,
    pending: entries.filter((e) => e.state === 'pending').length,
    drift: plan.drift,
    lock,
    warnings: set.warnings,
  };
}

function stateOf(row: HistoryRow | undefined, migration: Migration | null): EntryState {
  if (!row) return 'pending';
  if (row.state !== 'applied') return 'failed';
  if (!migration) return 'missing';
  return row.checksum === migration.up.checksum ? 'applied' : 'changed';
}

/** `unlock --force`: removes the lock whoever holds it; returns who did. */
export function forceUnlock(connection: Connection, table: string): Promise<LockHolder | null> {
  return breakLock(connection, table);
}

// ---- the mechanism ---------------------------------------------------------

/** Runs `work` with a context whose warnings are also collected, and shapes the result. */
async function finish(ctx: RunnerContext, command: RunCommand, dryRun: boolean, work: (ctx: RunnerContext) => Promise<LockedOutcome>): Promise<RunResult> {
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

/** The result of a run that stopped before it could plan anything (bad input, no connection, lock timeout). */
export function failedRun(command: RunCommand, dryRun: boolean, error: MigrateError): RunResult {
  return { command, ok: false, dryRun, results: [], drift: [], from: null, target: null, requests: null, warnings: [], error, durationMs: 0 };
}

/**
 * Input errors touch nothing: `check` runs first on the history read
 * without the lock (empty when the tables do not exist yet, and nothing is
 * created), and an input error it throws ends the run there. The run then
 * checks again against the history read under the lock.
 */
async function refuseBadInput<T>(ctx: RunnerContext, check: (ctx: RunnerContext, history: readonly HistoryRow[]) => T): Promise<T | null> {
  const history = await readHistory(ctx.connection, ctx.table);
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
async function withLock(ctx: RunnerContext, work: (history: HistoryRow[], lease: Lease) => Promise<LockedOutcome>): Promise<LockedOutcome> {
  const { lease, history, shape } = await acquireLock(ctx.connection, {
    table: ctx.table,
    owner: ctx.owner,
    waitSeconds: ctx.lockTimeoutSeconds,
    onWait: (holder) => ctx.onEvent({ type: 'lock-wait', holder }),
    onTakeover: (holder) => ctx.onEvent({ type: 'lock-takeover', holder }),
  });
  let outcome: LockedOutcome;
  try {
    if (shape === 'without-progress') await upgradeHistoryTable(ctx.connection, ctx.table);
    outcome = await work(history, lease);
  } catch (err) {
    await lease.stop();
    await release(ctx, lease, []).catch(() => undefined); // the error at hand says more; the lease expires anyway
    throw err;
  }
  await lease.stop();
  if (outcome.lockLost) return outcome;
  try {
    await release(ctx, lease, outcome.pending);
  } catch (err) {
    const problem = err instanceof MigrateError ? err.message : String(err);
    const unsaved = outcome.pending.length > 0 ? `; the history still shows ${outcome.pending.map(changeName).join(', ')} as 'applying'` : '';
    const note = `releasing the lock failed (${problem})${unsaved}; check with \`ydb-migrate status\``;
    return { ...outcome, error: outcome.error ? withDetail(outcome.error, note) : new MigrateError('LOCK_RELEASE_FAILED', note, { kind: 'runtime', cause: err }) };
  }
  return outcome;
}

function release(ctx: RunnerContext, lease: Lease, changes: HistoryChange[]): Promise<unknown> {
  const builder = addLockRelease(addHistoryChanges(new QueryBuilder(), ctx.table, changes), ctx.table, lease.owner);
  const doing = changes.length > 0 ? `writing the history of ${changes.map(changeName).join(', ')} and releasing the lock` : 'releasing the lock';
  return runRequest(ctx.connection, { kind: 'transaction', queries: [builder.build()] }, { timeoutMs: BOOKKEEPING_TIMEOUT_MS, idempotent: true, doing });
}

/** Runs the steps in order; the first failure stops the run and decides what must still be written. */
async function execute(ctx: RunnerContext, steps: PlannedStep[], pending: HistoryChange[], lease: Lease, options: MigrateOptions = {}): Promise<Omit<LockedOutcome, 'plan'>> {
  const { signal } = options;
  const blockTimeoutMs = (options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS) * 1000;
  const results: MigrationResult[] = [];
  for (const [index, step] of steps.entries()) {
    const started = performance.now();
    ctx.onEvent({ type: 'step-start', name: step.name, direction: step.direction, index, total: steps.length, file: step.file });
    const blocks = step.requests.filter((r) => r.block !== null).length;
    for (const [i, planned] of step.requests.entries()) {
      try {
        lease.assertHeld();
      } catch (err) {
        return { results, error: err as MigrateError, pending: [], lockLost: true };
      }
      if (signal?.aborted) {
        // Stopped right after its marker row: nothing of the step ran, so the history goes back to how it was.
        if (step.failure !== null && planned.block === 0) {
          const before: HistoryChange = step.direction === 'up' ? { kind: 'delete', name: step.name } : { kind: 'upsert', row: { ...step.failure, state: 'applied', requestsDone: null } };
          return { results, error: interrupted(signal, null), pending: [before] };
        }
        const marked = step.failure !== null && i > 0;
        if (marked) {
          const result: MigrationResult = { name: step.name, direction: step.direction, status: 'failed', file: step.file, durationMs: elapsed(started), progress: { ran: planned.block ?? 0, of: blocks } };
          results.push(result);
          ctx.onEvent({ type: 'step-end', result });
        }
        const error = interrupted(signal, marked ? partlyRun(step, planned.block ?? 0, blocks, planned) : null);
        return { results, error, pending: [...planned.carried, ...(marked ? [failedAfter(step, planned.block ?? 0)] : [])] };
      }
      if (planned.block !== null) {
        const block = blockOf(planned);
        ctx.onEvent({ type: 'block-start', name: step.name, block: planned.block + 1, blocks, line: block.line, kind: block.kind });
      }
      try {
        await runRequest(ctx.connection, planned.request, planned.block === null ? { idempotent: true, doing: `writing the history row of ${step.name}` } : { timeoutMs: blockTimeoutMs });
      } catch (err) {
        const error = err as MigrateError;
        const ran = planned.block ?? 0;
        // A refused down step stays failed: the database may already lack what it reverts (watch then applies it afresh).
        const untouched = step.direction === 'up' && nothingRan(ctx, planned, error);
        const result: MigrationResult = { name: step.name, direction: step.direction, status: 'failed', file: step.file, durationMs: elapsed(started), progress: { ran, of: blocks } };
        results.push(result);
        ctx.onEvent({ type: 'step-end', result });
        // A marker row was written when a request came before this one: put the history back as it was, or leave it failed.
        const marked = step.failure !== null && i > 0;
        const after: HistoryChange[] = !marked ? [] : untouched ? [{ kind: 'delete', name: step.name }] : [failedAfter(step, ran)];
        const note = untouched ? stillPending(step) : marked ? partlyRun(step, ran, blocks, planned) : null;
        return { results, error: note ? withDetail(error, note) : error, pending: [...planned.carried, ...after] };
      }
    }
    const result: MigrationResult = { name: step.name, direction: step.direction, status: step.direction === 'up' ? 'applied' : 'reverted', file: step.file, durationMs: elapsed(started) };
    results.push(result);
    ctx.onEvent({ type: 'step-end', result });
  }
  return { results, error: null, pending };
}

/** The 'failed' row of a step stopped after `ran` of its requests completed: `status` shows how far it got. */
function failedAfter(step: PlannedStep, ran: number): HistoryChange {
  return { kind: 'upsert', row: { ...step.failure!, requestsDone: ran } };
}

function blockOf(planned: PlannedRequest): Block {
  const query = planned.request.kind === 'scheme' ? planned.request.query : planned.request.queries[0]!;
  return query.source!.block;
}

/** Statuses with which YDB refuses a request without running any of it. */
const REFUSALS = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'SCHEME_ERROR', 'GENERIC_ERROR', 'PRECONDITION_FAILED', 'ALREADY_EXISTS', 'NOT_FOUND', 'UNSUPPORTED', 'ABORTED', 'OVERLOADED', 'BAD_SESSION', 'SESSION_BUSY']);

/**
 * True when the failed request was the step's first block and YDB refused it:
 * every block is one atomic request (a single DDL statement or a DML
 * transaction), so the database is as before the step.
 */
function nothingRan(ctx: RunnerContext, planned: PlannedRequest, error: MigrateError): boolean {
  if (planned.block !== 0) return false;
  const status = statusOf(ctx.connection, error);
  return status !== null && REFUSALS.has(status);
}

function interrupted(signal: AbortSignal, note: string | null): MigrateError {
  const reason = typeof signal.reason === 'string' ? signal.reason : 'the caller';
  const message = `interrupted by ${reason}: stopped before the next request (the one in progress finished), recorded where the run is, and released the lock`;
  return new MigrateError('INTERRUPTED', message, { kind: 'runtime', ...(note ? { details: [note] } : {}) });
}

function stillPending(step: PlannedStep): string {
  return `nothing of ${step.name} ran (YDB refused its first request), so it is still pending: fix ${step.file} and run \`ydb-migrate up\` again`;
}

/** What a step that ran in part left, and the command that settles it once the user has looked. */
function partlyRun(step: PlannedStep, ran: number, of: number, planned: PlannedRequest): string {
  const from = planned.block === null ? '' : ` (from ${step.file}:${blockOf(planned).line} on, the statements did not run)`;
  const [done, undone] = step.direction === 'up' ? ['--applied', '--reverted'] : ['--reverted', '--applied'];
  const what = step.direction === 'up' ? 'its changes' : 'the changes its down text undoes';
  return (
    `${step.name}${step.direction === 'down' ? ' (down)' : ''} is recorded as failed after ${ran} of ${of} requests ran${from}: check in the database which of ${what} took effect, ` +
    `then record what you find: \`ydb-migrate resolve ${step.name} ${done}\` once all of it took effect (e.g. you finished it by hand), ` +
    `or \`ydb-migrate resolve ${step.name} ${undone}\` once none of it did (e.g. you undid it)`
  );
}

function refuseDrift(command: RunCommand, drift: readonly Drift[], options: MigrateOptions): void {
  if (command !== 'up') return;
  const blocking = drift.filter((d) => (d.kind === 'out-of-order' ? !options.allowOutOfOrder : !options.allowDrift));
  if (blocking.length === 0) return;
  const failed = blocking.filter((d) => d.kind === 'failed').map((d) => d.name);
  const others = blocking.filter((d) => d.kind !== 'failed');
  const flags = [...new Set(others.map((d) => (d.kind === 'out-of-order' ? '--allow-out-of-order' : '--allow-drift')))].join(' or ');
  const todo = [
    ...(failed.length > 0 ? [`settle ${failed.join(', ')} with \`ydb-migrate resolve NAME --applied|--reverted\` as said below`] : []),
    ...(others.length > 0 ? [`fix ${failed.length > 0 ? 'the rest' : 'them'}, or pass ${flags} to run anyway`] : []),
  ];
  throw new MigrateError(
    'DRIFT',
    `up refused: the database and the migration files disagree (${blocking.length} finding${blocking.length === 1 ? '' : 's'} below); ${todo.join('; ')}`,
    { kind: 'runtime', details: blocking.map((d) => `${d.kind}: ${d.message}`) },
  );
}

/** Each step's text, bound parameters and history rows; every input error surfaces here, before anything runs. */
function stepInputs(ctx: RunnerContext, plan: Plan, history: readonly HistoryRow[], options: MigrateOptions, command: RunCommand): StepInput[] {
  let position = nextHistoryPosition(history);
  return plan.steps.map((step) => {
    const text = step.direction === 'up' ? step.migration!.up : downText(ctx, step, options, command);
    const params = text.declarations.map((d) => bindParam(d, text.path, ctx.params));
    if (step.direction === 'up') {
      const row = historyRowFor(step.migration!, position++, 'applying', appliedBy());
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
  const path = `${ctx.table}:${step.name}.down.yql`;
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
function appliedBy(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}

function describeStep(step: PlannedStep): DryRunRequests['steps'][number] {
  const queries = step.requests.flatMap(({ request }) =>
    request.kind === 'scheme' ? [describeQuery('scheme', request.query)] : request.queries.map((q) => describeQuery('transaction', q)),
  );
  return { name: step.name, direction: step.direction, file: step.file, queries };
}

function describeQuery(kind: PlannedQuery['kind'], query: Query): PlannedQuery {
  return {
    kind,
    text: query.text,
    params: Object.fromEntries(query.bindings.map((b) => [b.name, `${encodeLiteral(b.type, b.value)} -- ${formatType(b.type)}`])),
  };
}

function changeName(change: HistoryChange): string {
  return change.kind === 'upsert' ? change.row.name : change.name;
}

function withDetail(error: MigrateError, detail: string): MigrateError {
  return new MigrateError(error.code, error.message, {
    kind: error.kind,
    details: [...error.details, detail],
    cause: error.cause,
    ...(error.location ? { location: error.location } : {}),
  });
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

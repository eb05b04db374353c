/**
 * up, down and redo (and watch's steps): take the lock (reading the history
 * in the same transaction), plan, run each step's requests as requests.ts
 * lays them out, and release the lock together with the last history
 * changes. Every outcome comes back as data; a MigrateError stops the run
 * and is returned with the results so far.
 */
import { MigrateError } from '../errors.js';
import { requireDeclaredParams } from '../params.js';
import type { Plan } from './plan.js';
import { outcomeOf, runRequest, type Query } from '../ydb/execute.js';
import type { Block } from '../yql/blocks.js';
import { encodeLiteral, formatType } from '../yql/literal.js';
import type { HistoryChange, HistoryRow } from './history-table.js';
import type { Lease } from './lease.js';
import { planRequests, type PlannedRequest, type PlannedStep, type RunRequests, type StepInput } from './requests.js';
import { requireRanUnchanged, resumeFrom, resumePlan, rowToResume } from './resume.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type DryRunRequests, type MigrateOptions, type MigrationResult, type PlannedQuery, type RunCommand, type RunResult } from './results.js';
import { describeUnfinished, numbered, recoveryCommands } from './recovery.js';
import { encodeRequestsRan } from './requests-ran.js';
import { refuseDrift, refuseUnfinished, stepInputs } from './steps.js';
import { interruption, stopBefore } from './interrupt.js';
import { elapsed, finish, refuseBadInput, withDetail, withLock, type LockedOutcome, type RunnerContext, type StepChooser } from './under-lock.js';

/** A plan and its steps' inputs, or the plan with the error that refuses it (drift, bad input): the outcome keeps the plan's drift beside the error. */
type Prepared = { plan: Plan; inputs: StepInput[]; error: null } | { plan: Plan; inputs: null; error: MigrateError };

/**
 * Plans from the history, refuses drift and unfinished migrations for `up`,
 * and lays out the requests (with `resume`, after the checks of resume.ts).
 * A dry run reads the history without the lock and sends nothing else; a real
 * run checks its input against the history read without the lock first (so a
 * bad input touches nothing), asks before reverting several migrations, then
 * plans again from the history read under the lock and runs the steps.
 */
export function runMigrations(ctx: RunnerContext, command: RunCommand, choose: StepChooser, options: MigrateOptions = {}): Promise<RunResult> {
  const resuming = options.resume && (command === 'up' || command === 'down') ? command : null;
  const prepare = (ctx: RunnerContext, history: readonly HistoryRow[]): Prepared => {
    let plan: Plan | null = null;
    try {
      const resumed = resuming ? rowToResume(history, ctx.set.migrations, resuming) : null;
      refuseUnfinished(command, history, ctx.set.migrations, resumed?.name ?? null);
      plan = resuming && resumed ? resumePlan(resuming, resumed, ctx.set, history, choose) : choose(ctx.set, history);
      refuseDrift(command, plan, options);
      const inputs = stepInputs(ctx, plan, history, options, command);
      if (resuming) requireRanUnchanged(plan.steps[0]!.history!, inputs[0]!.text, plan.steps[0]!.migration);
      return { plan, inputs, error: null };
    } catch (err) {
      if (!(err instanceof MigrateError) || !plan) throw err;
      return { plan, inputs: null, error: err };
    }
  };
  /** The requests, the resumed step starting where resume.ts finds the run stopped. */
  const layOut = async (ctx: RunnerContext, { plan, inputs }: Prepared & { error: null }): Promise<RunRequests> => {
    if (resuming) {
      const [first, ...rest] = inputs;
      const from = await resumeFrom(ctx, plan.steps[0]!.history!, first!.text, first!.direction, options.assumeNotApplied ?? false);
      return planRequests([{ ...first!, resume: { from } }, ...rest], ctx.store.table);
    }
    return planRequests(inputs, ctx.store.table);
  };
  const refused = ({ plan, error }: Prepared & { error: MigrateError }): LockedOutcome => ({ results: [], error, pending: [], plan });

  if (options.dryRun) {
    return finish(ctx, command, true, async (ctx) => {
      requireDeclaredParams(ctx.set, ctx.params);
      const prepared = prepare(ctx, await ctx.store.read());
      if (prepared.error) return refused(prepared);
      return { ...dryRun(ctx, await layOut(ctx, prepared)), plan: prepared.plan };
    });
  }
  return finish(ctx, command, false, async (ctx) => {
    if (command !== 'watch') {
      requireDeclaredParams(ctx.set, ctx.params);
      const prepared = await refuseBadInput(ctx, (ctx, history) => {
        const prepared = prepare(ctx, history);
        if (prepared.error?.kind === 'input') throw prepared.error;
        return prepared;
      });
      const reverts = prepared?.plan.steps.filter((s) => s.direction === 'down') ?? [];
      if (options.confirmRevert && reverts.length > 1 && !(await options.confirmRevert(reverts))) {
        throw new MigrateError('NOT_CONFIRMED', `nothing was reverted: reverting ${reverts.length} migrations was not confirmed`);
      }
    }
    return withLock(ctx, async (history, lease) => {
      const prepared = prepare(ctx, history);
      if (prepared.error) return refused(prepared);
      return { ...(await execute(ctx, await layOut(ctx, prepared), lease, options)), plan: prepared.plan };
    });
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
      const requests = planRequests(stepInputs(ctx, undo, history, options, 'watch'), ctx.store.table);
      return { ...(await execute(ctx, requests, lease, options)), plan: null };
    }),
  );
}

/** What a dry run shows: each step's requests, and the transaction that would write the rest of the history and release the lock. */
function dryRun(ctx: RunnerContext, requests: RunRequests): Omit<LockedOutcome, 'plan'> {
  const results = requests.steps.map((s): MigrationResult => ({ name: s.name, direction: s.direction, status: 'planned', file: s.file, durationMs: 0 }));
  const release = describeQuery('transaction', ctx.store.releaseQuery(ctx.owner, requests.pending));
  return { results, error: null, pending: [], requests: { steps: requests.steps.map(describeStep), release } };
}

/** Runs the steps in order; the first failure stops the run and decides what must still be written. */
async function execute(ctx: RunnerContext, { steps, pending }: RunRequests, lease: Lease, options: MigrateOptions): Promise<Omit<LockedOutcome, 'plan'>> {
  const blockTimeoutMs = (options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS) * 1000;
  const results: MigrationResult[] = [];
  for (const [index, step] of steps.entries()) {
    const started = performance.now();
    ctx.onEvent({ type: 'step-start', name: step.name, direction: step.direction, index, total: steps.length, file: step.file });
    const blocks = step.blocks.length;
    for (const [i, planned] of step.requests.entries()) {
      const lost = lease.lost();
      if (lost) return { results, error: lost, pending: [], lockLost: true };
      const stop = stopBefore(options, i);
      if (stop) {
        // Stopped right after its marker row: nothing of the step ran, so the history goes back to how it was (a resumed row stays as it is).
        if (step.failure !== null && planned.block === 0 && !step.resumed) {
          const before: HistoryChange = step.direction === 'up' ? { kind: 'delete', name: step.name } : { kind: 'upsert', row: { ...step.failure, state: 'applied', requestsDone: null, requestsRan: null } };
          return { results, error: interruption(stop, []), pending: [before] };
        }
        const marked = step.failure !== null && i > 0;
        if (marked) {
          const result: MigrationResult = { name: step.name, direction: step.direction, status: 'failed', file: step.file, durationMs: elapsed(started), progress: { ran: planned.block ?? 0, of: blocks } };
          results.push(result);
          ctx.onEvent({ type: 'step-end', result });
        }
        const error = interruption(stop, marked ? leftUnfinished(ctx, step, planned.block ?? 0, planned, 'not sent') : []);
        return { results, error, pending: [...planned.carried, ...(marked ? [failedAfter(step, planned.block ?? 0, 'not sent')] : [])] };
      }
      if (planned.block !== null) {
        const block = blockOf(planned);
        ctx.onEvent({ type: 'block-start', name: step.name, block: planned.block + 1, blocks, line: block.line, kind: block.kind });
      }
      try {
        await runRequest(ctx.connection, planned.request, planned.block === null ? { idempotent: true, doing: `writing the history row of ${step.name}` } : { timeoutMs: blockTimeoutMs });
      } catch (err) {
        if (!(err instanceof MigrateError)) throw err;
        const error = err;
        const ran = planned.block ?? 0;
        const outcome = outcomeOf(ctx.connection, error);
        // Only a row this run wrote goes back to pending when YDB refused the step's first request (a resumed row keeps its record);
        // a refused down step stays failed: the database may already lack what it reverts (watch then applies it afresh).
        const untouched = step.direction === 'up' && !step.resumed && planned.block === 0 && outcome !== 'unknown';
        const result: MigrationResult = { name: step.name, direction: step.direction, status: 'failed', file: step.file, durationMs: elapsed(started), progress: { ran, of: blocks } };
        results.push(result);
        ctx.onEvent({ type: 'step-end', result });
        // A marker row was written when a request came before this one: put the history back as it was, or leave it failed.
        const marked = step.failure !== null && i > 0;
        const after: HistoryChange[] = !marked ? [] : untouched ? [{ kind: 'delete', name: step.name }] : [failedAfter(step, ran, outcome)];
        const notes = untouched ? [stillPending(step, outcome === 'refused')] : marked ? leftUnfinished(ctx, step, ran, planned, outcome) : [];
        return { results, error: notes.reduce(withDetail, error), pending: [...planned.carried, ...after] };
      }
    }
    const result: MigrationResult = { name: step.name, direction: step.direction, status: step.direction === 'up' ? 'applied' : 'reverted', file: step.file, durationMs: elapsed(started) };
    results.push(result);
    ctx.onEvent({ type: 'step-end', result });
  }
  return { results, error: null, pending };
}

/**
 * The failed row of a step after `ran` requests, with what is known of the
 * request after them: refused or never sent (a resume runs it), or unknown
 * (a resume looks for the effect of the text that was sent).
 */
function failedAfter(step: PlannedStep, ran: number, outcome: 'refused' | 'unknown' | 'not sent'): HistoryChange & { kind: 'upsert' } {
  const block = step.blocks[ran];
  const next = outcome !== 'unknown' ? ({ kind: 'did not run' } as const) : block ? ({ kind: 'unknown', block } as const) : null;
  return { kind: 'upsert', row: { ...step.failure!, requestsDone: ran, requestsRan: encodeRequestsRan(step.direction, step.blocks.slice(0, ran), next) } };
}

function blockOf(planned: PlannedRequest): Block {
  const query = planned.request.kind === 'scheme' ? planned.request.query : planned.request.queries[0]!;
  return query.source!.block;
}

function stillPending(step: PlannedStep, refused: boolean): string {
  return refused
    ? `nothing of ${step.name} ran (YDB refused its first request), so it is still pending: fix ${step.file} and run \`ydb-migrate up\` again`
    : `nothing of ${step.name} ran (its first request was not sent), so it is still pending: run \`ydb-migrate up\` again once YDB serves requests`;
}

/**
 * What a step that ran in part left, as the recovery message says it: how
 * far it got, what is known of the request it stopped at (refused: it did
 * not run; unknown: its answer was lost or timed out; not sent), and the commands.
 */
function leftUnfinished(ctx: RunnerContext, step: PlannedStep, ran: number, planned: PlannedRequest, outcome: 'refused' | 'unknown' | 'not sent'): string[] {
  const at = planned.block === null ? null : `${step.file}:${blockOf(planned).line}`;
  const stop =
    at === null ? ''
    : outcome === 'unknown' ? `; the outcome of the request at ${at} is unknown (its answer was lost or timed out: it may have taken effect, or may yet), and nothing after it was sent`
    : `; from ${at} on, nothing ran (${outcome === 'refused' ? 'YDB refused that request' : 'it was not sent'})`;
  const unfinished = { row: failedAfter(step, ran, outcome).row, migration: ctx.set.migrations.find((m) => m.name === step.name) ?? null };
  return [`${describeUnfinished(unfinished)}${stop}`, ...numbered(recoveryCommands(unfinished))];
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

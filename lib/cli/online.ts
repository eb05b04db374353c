/**
 * What the commands that talk to YDB share: their options, a Migrator built
 * from the command context (loaded on demand, so the offline commands never
 * load ydb-sdk), the live printing of its events, and how results print.
 */
import type { Argv } from 'yargs';
import { exitCodeOf, EXIT_OK, MigrateError } from '../errors.js';
import type { Migrator } from '../migrator.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type MigrateOptions, type MigrationResult, type PlannedQuery, type RunEvent, type RunResult } from '../online/results.js';
import { describeHolder } from '../online/lock-table.js';
import type { Config } from '../config.js';
import type { CommandContext, GlobalArgs } from './context.js';
import type { Output } from './output.js';
import type { Stops } from '../online/interrupt.js';
import { interruptible, RunTracker } from './interrupt.js';
import { ProgressLine } from './progress.js';

export interface ConnectArgs extends GlobalArgs {
  connectTimeout?: number;
}

export interface LockArgs extends ConnectArgs {
  lockTimeout?: number;
}

export interface PlanArgs extends LockArgs {
  dryRun: boolean;
  statementTimeout?: number;
}

export function withConnectOptions<T extends GlobalArgs>(y: Argv<T>) {
  return y
    .option('connect-timeout', { type: 'number', describe: 'Seconds to wait for YDB to answer before giving up', defaultDescription: '10' });
}

export function withLockOptions<T extends GlobalArgs>(y: Argv<T>) {
  return withConnectOptions(y)
    .option('lock-timeout', { type: 'number', describe: 'Seconds to wait while another runner holds the migration lock (0: do not wait)', defaultDescription: '60' });
}

export function withPlanOptions<T extends GlobalArgs>(y: Argv<T>) {
  return withLockOptions(y)
    .option('dry-run', {
      type: 'boolean',
      default: false,
      describe: 'Print the plan and the exact YQL with its parameters; execute nothing, take no lock',
    })
    .option('statement-timeout', {
      type: 'number',
      describe: 'Seconds to wait for YDB to answer one request of a migration (a statement, or a DML transaction) before failing it',
      defaultDescription: `${DEFAULT_STATEMENT_TIMEOUT_SECONDS} (6 hours)`,
    });
}

/** The options of up/down/redo that every run shares, from the command line. */
export function runOptions(args: PlanArgs): { dryRun: boolean; statementTimeoutSeconds?: number } {
  const seconds = args.statementTimeout;
  if (seconds !== undefined && !(seconds > 0 && seconds < Infinity)) {
    throw new MigrateError('USAGE', `--statement-timeout must be a number of seconds above 0; got ${seconds}`);
  }
  return { dryRun: args.dryRun, ...(seconds === undefined ? {} : { statementTimeoutSeconds: seconds }) };
}

/** up's and down's --assume-not-applied: the user's word for what the schema cannot show. */
export const ASSUME_NOT_APPLIED_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'With --resume: run the request the run stopped at although its outcome is unknown and the schema cannot show it (DML): only once you checked it did not take effect',
} as const;

/** `--resume` and `--assume-not-applied` of up and down, refused apart (the second means nothing without the first). */
export function resumeOptions(args: { resume: boolean; assumeNotApplied: boolean }): Pick<MigrateOptions, 'resume' | 'assumeNotApplied'> {
  if (args.assumeNotApplied && !args.resume) throw new MigrateError('USAGE', '--assume-not-applied goes with --resume: it says the request a resume would run again did not take effect');
  return { resume: args.resume, assumeNotApplied: args.assumeNotApplied };
}

/** up's and redo's --lint: lint's error rules over the migrations the run applies, before anything runs. */
export const LINT_OPTION = {
  type: 'boolean',
  default: true,
  describe: 'Refuse to apply a migration lint rates an error (YDB would refuse it), before the lock is taken; --no-lint applies it anyway',
} as const;

export function withDownTextOption<T extends GlobalArgs>(y: Argv<T>) {
  return y.option('down-from-file', {
    type: 'boolean',
    default: false,
    describe: "Revert with the .down.yql file's current text instead of the down text stored when the migration was applied",
  });
}

/**
 * Shows the run events that up/down and watch print alike: lock waits and
 * takeovers, warnings, and the live line of the block running. Returns false
 * for the events each command shows its own way.
 */
export function showSharedRunEvent(event: RunEvent, out: Output, progress: ProgressLine): boolean {
  switch (event.type) {
    case 'lock-wait':
      out.warn({ code: 'LOCK_WAIT', message: `waiting for the migration lock, held by ${describeHolder(event.holder)}` });
      return true;
    case 'lock-takeover':
      out.warn({ code: 'LOCK_TAKEN_OVER', message: `took over the migration lock: its lease had expired (it was held by ${describeHolder(event.holder)})` });
      return true;
    case 'warning':
      progress.clear();
      out.warn(event.warning);
      return true;
    case 'block-start':
      progress.start(`${event.name}: block ${event.block}/${event.blocks} (${event.kind.toUpperCase()}, line ${event.line})`);
      return true;
    default:
      return false;
  }
}

/**
 * A Migrator for the command, printing lock waits, warnings, each
 * migration's line and the progress line as they happen; `observe` sees
 * every event first.
 */
export async function openMigrator({ config, out }: CommandContext, progress = ProgressLine.for(process.stderr, out.json), observe?: (event: RunEvent) => void): Promise<Migrator> {
  const { Migrator } = await import('../migrator.js');
  const onEvent = (event: RunEvent): void => {
    observe?.(event);
    if (showSharedRunEvent(event, out, progress)) return;
    switch (event.type) {
      case 'step-start':
        progress.start(`${event.name} (${event.index + 1}/${event.total})`);
        break;
      case 'step-end':
        progress.clear();
        out.line(resultLine(event.result));
        break;
    }
  };
  return Migrator.fromConfig(await withDeclaredFileParams(config, out), { onEvent });
}

/** The config without the config file's params no migration declares, each told as a warning (read only when the config file has params). */
export async function withDeclaredFileParams(config: Config, out: Output): Promise<Config> {
  if (config.fileParams.length === 0) return config;
  const [{ loadMigrationSet }, { withoutUndeclaredFileParams }] = await Promise.all([import('../migration.js'), import('../params.js')]);
  let set;
  try {
    set = await loadMigrationSet(config.dir, { drafts: 'warn' });
  } catch {
    // The Migrator reports what is wrong with the files; the params wait for them.
    return config;
  }
  const { params, warnings } = withoutUndeclaredFileParams(set, config.params, config.fileParams);
  for (const w of warnings) out.warn(w);
  return warnings.length === 0 ? config : Object.freeze({ ...config, params, fileParams: [] });
}

const VERB: Readonly<Record<MigrationResult['status'], string>> = {
  applied: 'applied',
  reverted: 'reverted',
  failed: 'FAILED',
  planned: 'planned',
  baselined: 'baselined',
  resolved: 'resolved',
  repaired: 'repaired',
};

export function resultLine(result: MigrationResult): string {
  const arrow = result.direction === 'up' ? 'up  ' : 'down';
  return `  ${arrow} ${VERB[result.status].padEnd(9)} ${result.name}  ${result.durationMs} ms`;
}

/**
 * Prints a run's outcome: the dry run's YQL, the summary line and the error
 * (people), or one JSON document (machines). Returns the exit code.
 */
export function reportRun(out: Output, result: RunResult): number {
  if (out.json) {
    const { error, ...rest } = result;
    out.data({ ...rest, error: error ? error.toJSON() : null });
    return error ? exitCodeOf(error) : EXIT_OK;
  }
  if (result.dryRun && result.error === null && result.requests) {
    out.raw(dryRunText(result));
    for (const r of result.results) out.line(resultLine(r));
  }
  if (!result.error || result.results.length > 0) out.line(summary(result));
  return result.error ? out.error(result.error) : EXIT_OK;
}

/** Commands after which the database is at a state worth naming. */
const MOVES = new Set<RunResult['command']>(['up', 'down', 'redo']);

function summary(result: RunResult): string {
  const counts = new Map<string, number>();
  for (const r of result.results) counts.set(VERB[r.status], (counts.get(VERB[r.status]) ?? 0) + 1);
  const done = [...counts].map(([verb, n]) => `${n} ${verb}`).join(', ');
  const at = (name: string | null, verb: string): string => (MOVES.has(result.command) ? `; ${verb} ${name ?? 'base'}` : '');
  if (result.error) return `${result.command} stopped after ${done}`;
  if (result.results.length === 0) return `${result.command}: nothing to do${at(result.from, 'the database is at')}`;
  const dry = result.dryRun ? ' (dry run, nothing executed)' : '';
  return `${result.command}${dry}: ${done} in ${result.durationMs} ms${at(result.target, result.dryRun ? 'would reach' : 'the database is at')}`;
}

/** The exact requests a run would send, as YQL comments and text a reviewer can read. */
function dryRunText(result: RunResult): string {
  const lines = [`-- ${result.command} from ${result.from ?? 'base'} to ${result.target ?? 'base'}: the requests a run would send, in order`];
  const query = (heading: string, q: PlannedQuery): void => {
    lines.push(heading);
    for (const [name, literal] of Object.entries(q.params)) lines.push(`--   ${name} = ${literal}`);
    lines.push(q.text);
  };
  for (const step of result.requests?.steps ?? []) {
    lines.push('', `-- ${step.name} (${step.direction}) from ${step.file}`);
    step.queries.forEach((q, i) => query(`-- request ${i + 1}: ${q.kind === 'scheme' ? 'scheme query, no transaction' : 'serializable transaction'}`, q));
  }
  if (result.requests) query('\n-- finally, one serializable transaction: the history changes still pending, and the lock released', result.requests.release);
  return `${lines.join('\n')}\n\n`;
}

/**
 * Opens a Migrator and runs an up, down or redo on it with Ctrl-C and
 * SIGTERM handled as lib/cli/interrupt.ts says. Returns the exit code.
 */
export async function runInterruptibly(ctx: CommandContext, run: (migrator: Migrator, stops: Required<Stops>) => Promise<RunResult>): Promise<number> {
  const progress = ProgressLine.for(process.stderr, ctx.out.json);
  const tracker = new RunTracker();
  const migrator = await openMigrator(ctx, progress, (event) => tracker.observe(event));
  return interruptible(ctx.out, progress, tracker, (stops) => run(migrator, stops), (result) => reportRun(ctx.out, result));
}

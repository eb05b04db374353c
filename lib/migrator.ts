/**
 * The programmatic face of the online runner.
 *
 *   const migrator = new Migrator({ dir: 'sql', connectionString: 'grpc://localhost:2136/local' });
 *   const { ok, results, error } = await migrator.up();
 *
 * Every operation reads the migration files afresh, opens its own
 * connection and closes it. up, down, redo, baseline and resolve return a
 * RunResult even when they fail (its `error` says why, `results` what was
 * done before); status and unlock, which change nothing, throw. watch
 * keeps one connection for its whole session and reports through events.
 */
import { DEFAULT_CONNECTION_STRING, DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_LOCK_TIMEOUT_SECONDS, DEFAULT_TABLE, type Config, type RawParamValue } from './config.js';
import { MigrateError } from './errors.js';
import { checkHistoryTable } from './history.js';
import { loadMigrationSet, type MigrationSet } from './migration.js';
import { parseTarget, planMigrations, type Plan } from './plan.js';
import {
  failedRun,
  forceUnlock,
  readStatus,
  recordBaseline,
  repairHistory,
  resolveFailed,
  runMigrations,
  type MigrateOptions,
  type RepairOptions,
  type RunCommand,
  type RunEvent,
  type RunResult,
  type RunnerContext,
  type StatusReport,
  type StepChooser,
} from './runner.js';
import type { WatchOptions, WatchSession } from './watch/session.js';
import { withConnection, type Connection } from './ydb/connect.js';
import { newLockOwner, type LockHolder } from './ydb/lock.js';

export interface MigratorOptions {
  /** The migrations directory, holding manifest.txt. */
  dir: string;
  /** Default: YDB_CONNECTION_STRING from `env`, else grpc://localhost:2136/local. */
  connectionString?: string;
  /** History table; its lock table is `<table>_lock`. */
  table?: string;
  /** Values of the parameters migrations DECLARE. */
  params?: Readonly<Record<string, RawParamValue>>;
  lockTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  /** Where credentials (YDB_*_CREDENTIALS...) are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress: lock waits, warnings, each migration's start and end. */
  onEvent?: (event: RunEvent) => void;
}

export class Migrator {
  readonly #options: Readonly<Required<MigratorOptions>>;

  constructor(options: MigratorOptions) {
    const env = options.env ?? process.env;
    const lockTimeoutSeconds = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
    const connectTimeoutSeconds = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
    if (!(lockTimeoutSeconds >= 0 && lockTimeoutSeconds < Infinity)) {
      throw new MigrateError('USAGE', `the lock timeout (--lock-timeout) must be a number of seconds, 0 or more; got ${lockTimeoutSeconds}`);
    }
    if (!(connectTimeoutSeconds > 0 && connectTimeoutSeconds < Infinity)) {
      throw new MigrateError('USAGE', `the connect timeout (--connect-timeout) must be a number of seconds above 0; got ${connectTimeoutSeconds}`);
    }
    this.#options = Object.freeze({
      dir: options.dir,
      connectionString: options.connectionString ?? (env.YDB_CONNECTION_STRING || DEFAULT_CONNECTION_STRING),
      table: checkHistoryTable(options.table ?? DEFAULT_TABLE),
      params: Object.freeze({ ...(options.params ?? {}) }),
      lockTimeoutSeconds,
      connectTimeoutSeconds,
      env,
      onEvent: options.onEvent ?? (() => undefined),
    });
  }

  /** The CLI's way in: everything from a resolved Config. */
  static fromConfig(config: Config, extra: Pick<MigratorOptions, 'env' | 'onEvent'> = {}): Migrator {
    return new Migrator({
      dir: config.dir,
      connectionString: config.connectionString,
      table: config.table,
      params: config.params,
      lockTimeoutSeconds: config.lockTimeoutSeconds,
      connectTimeoutSeconds: config.connectTimeoutSeconds,
      ...extra,
    });
  }

  /** Applies pending migrations up to TARGET: a name, @TAG, head (default) or +N. */
  up(target = 'head', options: MigrateOptions = {}): Promise<RunResult> {
    return this.#run('up', options, (ctx) => runMigrations(ctx, 'up', toward('up', target, options), options));
  }

  /** Reverts applied migrations, latest first, until TARGET (a name, @TAG, base or -N; default -1) is the last applied. */
  down(target = '-1', options: MigrateOptions = {}): Promise<RunResult> {
    return this.#run('down', options, (ctx) => runMigrations(ctx, 'down', toward('down', target, options), options));
  }

  /** Reverts the last applied migration and applies it again from its file. */
  redo(options: MigrateOptions = {}): Promise<RunResult> {
    return this.#run('redo', options, (ctx) => runMigrations(ctx, 'redo', redoLast, options));
  }

  /** Records every migration up to NAME as applied, running nothing: for a database that predates ydb-migrate. */
  baseline(name: string): Promise<RunResult> {
    return this.#run('baseline', {}, (ctx) => recordBaseline(ctx, name));
  }

  /** Settles a migration a run left failed: `applied` keeps its row as applied, `reverted` removes it. */
  resolve(name: string, as: 'applied' | 'reverted'): Promise<RunResult> {
    return this.#run('resolve', {}, (ctx) => resolveFailed(ctx, name, as));
  }

  /** After review of edits to applied files: records their current checksums (and with `downText`, down texts); all applied ones when no names are given. */
  repair(names: readonly string[] = [], options: RepairOptions = {}): Promise<RunResult> {
    return this.#run('repair', { dryRun: options.dryRun ?? false }, (ctx) => repairHistory(ctx, names, options));
  }

  /** Each migration's state as the database records it. */
  status(): Promise<StatusReport> {
    return this.#session((ctx) => readStatus(ctx.connection, ctx.set, ctx.table));
  }

  /** Removes the migration lock whoever holds it; returns who did, or null. Only for a runner that is gone. */
  unlock(): Promise<LockHolder | null> {
    return this.#connected((connection) => forceUnlock(connection, this.#options.table));
  }

  /**
   * Watch mode: applies pending migrations, then, on every save of the
   * manifest or a migration file, reverts and re-applies what changed, on
   * one connection, until `stop()`. Refuses a YDB that is not on this
   * machine unless `allowRemote`. See lib/watch/session.ts.
   */
  async watch(options: WatchOptions = {}): Promise<WatchSession> {
    const { startWatch } = await import('./watch/session.js');
    return startWatch(this.#options, options);
  }

  /** The mechanism behind every operation that changes the database: a session, and failures returned as data. */
  async #run(command: RunCommand, options: MigrateOptions, work: (ctx: RunnerContext) => Promise<RunResult>): Promise<RunResult> {
    try {
      return await this.#session(work);
    } catch (err) {
      if (err instanceof MigrateError) return failedRun(command, options.dryRun ?? false, err);
      throw err;
    }
  }

  /** Fresh migration files and a fresh connection, closed whatever happens. */
  async #session<T>(work: (ctx: RunnerContext) => Promise<T>): Promise<T> {
    const o = this.#options;
    const set: MigrationSet = await loadMigrationSet(o.dir);
    return this.#connected((connection) =>
      work({ connection, set, table: o.table, params: o.params, owner: newLockOwner(), lockTimeoutSeconds: o.lockTimeoutSeconds, onEvent: o.onEvent }),
    );
  }

  #connected<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const o = this.#options;
    return withConnection({ connectionString: o.connectionString, connectTimeoutSeconds: o.connectTimeoutSeconds, env: o.env }, work);
  }
}

function toward(direction: 'up' | 'down', target: string, options: MigrateOptions): StepChooser {
  return (set, history) =>
    planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: parseTarget(target), direction, allowOutOfOrder: options.allowOutOfOrder ?? false });
}

/** The last applied migration down (its stored down text unless told otherwise), then up again from its file. */
const redoLast: StepChooser = (set, history): Plan => {
  const down = planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: { kind: 'relative', steps: -1 }, direction: 'down' });
  const last = down.steps[0]!;
  if (!last.migration) {
    throw new MigrateError('REDO_NOT_LISTED', `cannot redo ${last.name}: it is no longer in ${set.manifest.path}, so there is no up file to apply again; revert it with \`ydb-migrate down\``);
  }
  return { ...down, steps: [...down.steps, { direction: 'up', name: last.name, migration: last.migration, history: null }], target: last.name };
};

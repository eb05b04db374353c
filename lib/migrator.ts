/**
 * The programmatic face of the online runner.
 *
 *   const migrator = new Migrator({ dir: 'sql', connectionString: 'grpc://localhost:2136/local' });
 *   const result = await migrator.up();
 *   if (!result.ok) console.error(result.error.message);
 *
 * Every operation reads the migration files afresh, opens its own
 * connection and closes it (a `driver` given in the options is used instead,
 * and never closed). up, down, redo, baseline and resolve return a
 * RunResult even when they fail (its `error` says why, `results` what was
 * done before); status and unlock, which change nothing, throw. watch
 * keeps one connection for its whole session and reports through events.
 */
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_LOCK_TIMEOUT_SECONDS, DEFAULT_TABLE, type Config } from './config.js';
import type { RawParamValue } from './params.js';
import { MigrateError } from './errors.js';
import { checkHistoryTable } from './own-tables.js';
import { loadMigrationSet, type MigrationSet } from './migration.js';
import { parseTarget, planMigrations, type Plan } from './online/plan.js';
import { readStatus, recordBaseline, resolveFailed } from './online/admin.js';
import { repairHistory } from './online/repair.js';
import { newLockOwner, type LockHolder } from './online/lock-table.js';
import { failedRun, type MigrateOptions, type RepairOptions, type RunCommand, type RunEvent, type RunResult, type StatusReport } from './online/results.js';
import { eitherStop } from './online/interrupt.js';
import { refusingLintErrors } from './online/lint-gate.js';
import { runMigrations } from './online/run.js';
import type { RunnerContext, StepChooser } from './online/under-lock.js';
import { ydbHistoryStore } from './online/ydb-history-store.js';
import { staleSchemaFile, writeSchemaFile } from './schema/file.js';
import type { Schema } from './schema/model.js';
import type { VerifyReport } from './schema/verify.js';
import { readSchema } from './schema/read.js';
import type { WatchOptions, WatchSession, WatchSettings } from './watch/session.js';
import { withConnection } from './ydb/driver.js';
import type { Connection } from './ydb/connection.js';
import type { Credentials } from './ydb/credentials.js';
import { resolveConnection, type ConnectionInputs, type ExistingDriver } from './ydb/settings.js';

/** Where `up` goes: a migration name, `@TAG`, `head` or `+N`. */
export type UpTarget = 'head' | `@${string}` | `+${number}` | (string & {});
/** Where `down` stops: a migration name, `@TAG`, `base` or `-N`. */
export type DownTarget = 'base' | `@${string}` | `-${number}` | (string & {});

export interface MigratorOptions {
  /** The migrations directory, holding manifest.txt. */
  dir: string;
  /** `grpc[s]://HOST:PORT/DATABASE`. Default, in the ydb CLI's order: `profile`'s, else YDB_CONNECTION_STRING from `env`, else the active profile's, else grpc://localhost:2136/local. */
  connectionString?: string;
  /** Instead of connectionString: `[grpc[s]://]HOST[:PORT]`, as the ydb CLI's -e takes it. */
  endpoint?: string;
  /** With endpoint: the database path, e.g. /local. */
  database?: string;
  /** A ydb CLI profile (in ~/ydb/config/config.yaml) to read endpoint, database, CA file and credentials from. */
  profile?: string;
  /** With no `profile`: read the ydb CLI's active profile, as the CLI does. Default false. */
  useActiveProfile?: boolean;
  /** How to log in; beats every credential variable in `env` and the profile. Default: from `env`, else anonymous. */
  credentials?: Credentials;
  /**
   * An open ydb-sdk `Driver` to run on instead of connecting; the Migrator never closes it.
   * Its connection string, if you also give one, only names the database in messages.
   */
  driver?: ExistingDriver;
  /** History table; its lock table is `<table>_lock`. */
  table?: string;
  /** Values of the parameters migrations DECLARE. */
  params?: Readonly<Record<string, RawParamValue>>;
  lockTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  /** Where YDB_CONNECTION_STRING, credential variables and HOME (for profiles) are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress: lock waits, warnings, each migration's start and end. */
  onEvent?: (event: RunEvent) => void;
  /** Rewritten with the schema after every successful up, down, redo and watch run; status warns when it is stale. */
  schemaFile?: string | null;
}

interface ResolvedOptions {
  dir: string;
  connection: ConnectionInputs;
  driver: ExistingDriver | undefined;
  table: string;
  params: Readonly<Record<string, RawParamValue>>;
  lockTimeoutSeconds: number;
  connectTimeoutSeconds: number;
  env: NodeJS.ProcessEnv;
  onEvent: (event: RunEvent) => void;
  schemaFile: string | null;
}

export class Migrator {
  #options: Readonly<ResolvedOptions>;

  constructor(options: MigratorOptions) {
    const lockTimeoutSeconds = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
    const connectTimeoutSeconds = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
    if (!(lockTimeoutSeconds >= 0 && lockTimeoutSeconds < Infinity)) {
      throw new MigrateError('USAGE', `the lock timeout (--lock-timeout) must be a number of seconds, 0 or more; got ${lockTimeoutSeconds}`);
    }
    if (!(connectTimeoutSeconds > 0 && connectTimeoutSeconds < Infinity)) {
      throw new MigrateError('USAGE', `the connect timeout (--connect-timeout) must be a number of seconds above 0; got ${connectTimeoutSeconds}`);
    }
    const given = <K extends keyof MigratorOptions>(key: K): Partial<Pick<MigratorOptions, K>> => (options[key] === undefined ? {} : ({ [key]: options[key] } as Pick<MigratorOptions, K>));
    this.#options = Object.freeze({
      dir: options.dir,
      connection: {
        ...given('connectionString'),
        ...given('endpoint'),
        ...given('database'),
        ...given('credentials'),
        profile: options.profile ?? (options.useActiveProfile ? undefined : (false as const)),
      },
      driver: options.driver,
      table: checkHistoryTable(options.table ?? DEFAULT_TABLE),
      params: Object.freeze({ ...(options.params ?? {}) }),
      lockTimeoutSeconds,
      connectTimeoutSeconds,
      env: options.env ?? process.env,
      onEvent: options.onEvent ?? (() => undefined),
      schemaFile: options.schemaFile ?? null,
    });
  }

  /** The CLI's way in: everything from a resolved Config (the ydb CLI's active profile included). */
  static fromConfig(config: Config, extra: Pick<MigratorOptions, 'env' | 'onEvent'> = {}): Migrator {
    const { connection } = config;
    const migrator = new Migrator({
      dir: config.dir,
      ...(connection.connectionString !== undefined ? { connectionString: connection.connectionString } : {}),
      ...(connection.endpoint !== undefined ? { endpoint: connection.endpoint } : {}),
      ...(connection.database !== undefined ? { database: connection.database } : {}),
      ...(typeof connection.profile === 'string' ? { profile: connection.profile } : { useActiveProfile: true }),
      table: config.table,
      params: config.params,
      lockTimeoutSeconds: config.lockTimeoutSeconds,
      connectTimeoutSeconds: config.connectTimeoutSeconds,
      schemaFile: config.schemaFile,
      ...extra,
    });
    // The config file's connection string ranks below the environment and the profile, so it is no connectionString option.
    const file = connection.fileConnectionString;
    if (file !== undefined) migrator.#options = Object.freeze({ ...migrator.#options, connection: { ...migrator.#options.connection, fileConnectionString: file } });
    return migrator;
  }

  /** Applies pending migrations up to TARGET: a name, @TAG, head (default) or +N. */
  up(target: UpTarget = 'head', options: MigrateOptions = {}): Promise<RunResult> {
    return this.#run('up', options, (ctx) => runMigrations(ctx, 'up', linted(toward('up', target, options), options), options));
  }

  /** Reverts applied migrations, latest first, until TARGET (a name, @TAG, base or -N; default -1) is the last applied. */
  down(target: DownTarget = '-1', options: MigrateOptions = {}): Promise<RunResult> {
    return this.#run('down', options, (ctx) => runMigrations(ctx, 'down', toward('down', target, options), options));
  }

  /** Reverts the last applied migration and applies it again from its file. */
  redo(options: MigrateOptions = {}): Promise<RunResult> {
    return this.#run('redo', options, (ctx) => runMigrations(ctx, 'redo', linted(redoLast, options), options));
  }

  /** Records every migration up to NAME as applied, running nothing: for a database that predates ydb-migrate. */
  baseline(name: string): Promise<RunResult> {
    return this.#run('baseline', {}, (ctx) => recordBaseline(ctx, name));
  }

  /** Settles a migration a run left failed: `applied` keeps its row as applied, `reverted` removes it. */
  resolve(name: string, as: 'applied' | 'reverted'): Promise<RunResult> {
    return this.#run('resolve', {}, (ctx) => resolveFailed(ctx, name, as));
  }

  /**
   * After review of edits to applied files: records their current checksums
   * and texts (and with `downText`, down texts) with when and by whom,
   * keeping `applied_at`; all applied ones when no names are given. Each
   * result's `edit` says whether the up file changed in comments and
   * whitespace only or in a statement; the latter needs `acceptChangedStatements`.
   */
  repair(names: readonly string[] = [], options: RepairOptions = {}): Promise<RunResult> {
    return this.#run('repair', { dryRun: options.dryRun ?? false }, (ctx) => repairHistory(ctx, names, options));
  }

  /** Each migration's state as the database records it. */
  status(): Promise<StatusReport> {
    return this.#session(async (ctx) => {
      const report = await readStatus(ctx.store, ctx.connection.target.display, ctx.set);
      const stale = this.#options.schemaFile ? await staleSchemaFile(ctx.connection, ctx.store.table, this.#options.schemaFile) : null;
      return stale ? { ...report, warnings: [...report.warnings, stale] } : report;
    });
  }

  /** The database's schema model, without the history and lock tables. See lib/schema/model.ts. */
  schema(): Promise<Schema> {
    return this.#connected((connection) => readSchema(connection, this.#options.table));
  }

  /**
   * For each pending migration up to TARGET: up, down (the schema must be as
   * before), up again; stops at the first that fails. Refuses a YDB that is
   * not on this machine unless `allowRemote`. See lib/schema/verify.ts.
   */
  async verify(target: UpTarget = 'head', options: { allowRemote?: boolean } = {}): Promise<VerifyReport> {
    const [{ verifyMigrations, VERIFY_REMOTE_REFUSAL }, { requireLocalEndpoint }] = await Promise.all([import('./schema/verify.js'), import('./ydb/local-endpoint.js')]);
    await requireLocalEndpoint(this.#settings().connect.settings.target, options.allowRemote ?? false, undefined, VERIFY_REMOTE_REFUSAL);
    return verifyMigrations(this, target);
  }

  /** Removes the migration lock whoever holds it; returns who did, or null. Only for a runner that is gone. */
  unlock(): Promise<LockHolder | null> {
    return this.#connected((connection) => ydbHistoryStore(connection, this.#options.table).breakLock());
  }

  /**
   * Watch mode: applies pending migrations, then, on every save of the
   * manifest or a migration file, reverts and re-applies what changed, on
   * one connection, until `stop()`. Refuses a YDB that is not on this
   * machine unless `allowRemote`. See lib/watch/session.ts.
   */
  async watch(options: WatchOptions = {}): Promise<WatchSession> {
    const { startWatch } = await import('./watch/session.js');
    return startWatch(this.#settings(), options);
  }

  /** The mechanism behind every operation that changes the database: a session, and failures returned as data. */
  async #run(command: RunCommand, options: MigrateOptions, work: (ctx: RunnerContext) => Promise<RunResult>): Promise<RunResult> {
    try {
      return await this.#session(async (ctx) => {
        const result = await work({ ...ctx, signal: eitherStop(options) });
        if (result.ok && !result.dryRun && this.#options.schemaFile) await writeSchemaFile(ctx.connection, ctx.store.table, this.#options.schemaFile);
        return result;
      });
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
      work({ connection, store: ydbHistoryStore(connection, o.table), set, params: o.params, owner: newLockOwner(), lockTimeoutSeconds: o.lockTimeoutSeconds, onEvent: o.onEvent }),
    );
  }

  #connected<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return withConnection(this.#settings().connect, work);
  }

  /** What every operation (watch's too) needs, resolved now: the profile and the environment are read on each operation. */
  #settings(): WatchSettings {
    const o = this.#options;
    const connect = { settings: resolveConnection(o.connection, o.env), connectTimeoutSeconds: o.connectTimeoutSeconds, ...(o.driver ? { driver: o.driver } : {}) };
    return { dir: o.dir, table: o.table, params: o.params, lockTimeoutSeconds: o.lockTimeoutSeconds, connect, schemaFile: o.schemaFile };
  }
}

function toward(direction: 'up' | 'down', target: string, options: MigrateOptions): StepChooser {
  return (set, history) =>
    planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: parseTarget(target), direction, allowOutOfOrder: options.allowOutOfOrder ?? false });
}

/** `choose`, refusing to apply a migration lint rates an error unless told not to check. */
function linted(choose: StepChooser, options: MigrateOptions): StepChooser {
  return options.lint === false ? choose : refusingLintErrors(choose);
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

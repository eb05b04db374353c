/**
 * The watch loop: one connection for the whole session; on start and after
 * every burst of saves, the migration files are read again and, when the
 * database must change, one run (under the migration lock, taken only for
 * that run) reverts and re-applies what the files ask for. Failures are
 * reported as events and the loop goes on; the next save tries again.
 *
 *   const session = await startWatch(settings, { onEvent: (e) => console.log(e) });
 *   ...
 *   await session.stop();
 */
import { MigrateError, formatWarning, type Warning } from '../errors.js';
import type { RawParamValue } from '../params.js';
import type { HistoryRow } from '../online/history-table.js';
import { loadMigrationSet, type MigrationSet } from '../migration.js';
import type { MigrateOptions, MigrationResult, RunEvent, RunResult } from '../online/results.js';
import { runMigrations, withdrawFailed } from '../online/run.js';
import type { RunnerContext } from '../online/under-lock.js';
import { connect } from '../ydb/driver.js';
import type { ConnectOptions, Connection } from '../ydb/connection.js';
import type { ConnectionSettings } from '../ydb/settings.js';
import { ydbHistoryStore } from '../online/ydb-history-store.js';
import { newLockOwner } from '../online/lock-table.js';
import { compareSets, needsRun } from './changes.js';
import { Coalescer } from './coalescer.js';
import { leftoverOf, type Leftover } from './leftover.js';
import { requireLocalEndpoint } from '../ydb/local-endpoint.js';
import { reconcile, waitingForStatements } from './reconcile.js';
import { watchMigrationFiles, type FileWatcher } from './watcher.js';
import { writeSchemaFile } from '../schema/file.js';

/** Where and how to migrate: what a Migrator resolved from its options. */
export interface WatchSettings {
  /** The migrations directory, holding manifest.txt. */
  dir: string;
  table: string;
  params: Readonly<Record<string, RawParamValue>>;
  lockTimeoutSeconds: number;
  /** Where YDB is and how to reach it, resolved. */
  connect: ConnectOptions & { settings: ConnectionSettings };
  /** Rewritten with the schema after every successful run. */
  schemaFile?: string | null;
}

export interface WatchOptions {
  /** Watch a YDB that is not on this machine (its host does not resolve to loopback only). */
  allowRemote?: boolean;
  /** Quiet time after the last write in the directory before a run starts. Default 50 ms. */
  debounceMs?: number;
  /** Revert with the down files' current text instead of the down text stored at apply time. */
  downFromFile?: boolean;
  onEvent?: (event: WatchEvent) => void;
}

export interface WatchSession {
  /** Stops watching; a run in progress ends first (and releases the lock); then the connection closes. Safe to call twice. */
  stop(): Promise<void>;
}

/** What a run did, in the order it did it: reverts first, then applies. */
export interface RunSummary {
  /** 'start': the run when watch starts; 'change': after saves. */
  trigger: 'start' | 'change';
  /** The files whose events led to the run, as shown elsewhere (relative paths). */
  files: string[];
  reverted: string[];
  revertMs: number;
  applied: string[];
  applyMs: number;
  /** The whole run: lock, history, migrations, release. */
  totalMs: number;
}

export type WatchEvent =
  /** The runner's own events: lock waits, warnings, each migration's start and end. */
  | RunEvent
  | { type: 'watching'; dir: string; database: string; table: string; debounceMs: number }
  | { type: 'run-start'; trigger: RunSummary['trigger']; files: string[] }
  | ({ type: 'applied'; current: string | null } & RunSummary)
  | ({
      type: 'failed';
      /** 'load': the files could not be read (nothing ran); 'run': the database run failed. */
      stage: 'load' | 'run';
      error: MigrateError;
      /** The migration whose step failed, if one did, and which way it was going. */
      migration: string | null;
      direction: 'up' | 'down' | null;
      /** What a failed up step left in the database; after `undoError === null` with 'some', it was undone. */
      leftover: Leftover | null;
      /** Why undoing a partly applied migration failed. */
      undoError: MigrateError | null;
      /** The last applied migration now; absent when the history could not be read. */
      current?: string | null;
    } & RunSummary)
  | { type: 'unchanged'; files: string[] }
  /** Only down files changed: each is stored with its migration's history row when that migration is next applied. */
  | { type: 'down-saved'; files: string[]; migrations: string[] }
  | { type: 'watch-error'; error: MigrateError }
  | { type: 'stopped' };

export const DEFAULT_DEBOUNCE_MS = 50;
const MAX_DEBOUNCE_MS = 60_000;

/**
 * Checks the endpoint, reads the files, connects, starts watching and
 * starts the first run (pending migrations, plus whatever changed since the
 * database last matched the files). Throws a MigrateError when it cannot
 * start; after that, every failure is an event.
 */
export async function startWatch(settings: WatchSettings, options: WatchOptions = {}): Promise<WatchSession> {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  if (!(debounceMs >= 0 && debounceMs <= MAX_DEBOUNCE_MS)) {
    throw new MigrateError('USAGE', `the debounce (--debounce) must be from 0 to ${MAX_DEBOUNCE_MS} ms, got ${debounceMs}`);
  }
  const emit = options.onEvent ?? (() => undefined);
  await requireLocalEndpoint(settings.connect.settings.target, options.allowRemote ?? false);
  // Read once here to refuse broken files before connecting; each run reads them again, after the watcher is armed.
  const { dir } = await loadMigrationSet(settings.dir, { drafts: 'warn' });
  const connection = await connect(settings.connect);
  const loop = new WatchLoop(connection, settings, { downFromFile: options.downFromFile ?? false }, emit);
  const coalescer = new Coalescer<string>({
    debounceMs,
    run: (files) => loop.check(files),
    onError: (err) => emit({ type: 'watch-error', error: asError(err, RUN_BROKE) }),
  });
  let watcher: FileWatcher;
  try {
    watcher = await watchMigrationFiles(dir, {
      onChange: (path) => coalescer.push(path),
      onActivity: () => coalescer.delay(),
      onError: (err) => emit({ type: 'watch-error', error: asError(err, WATCHING_FAILED) }),
    });
  } catch (err) {
    await connection.close();
    throw asError(err, WATCHING_FAILED);
  }
  emit({ type: 'watching', dir, database: connection.target.display, table: settings.table, debounceMs });
  coalescer.flush();
  let stopped: Promise<void> | null = null;
  return {
    stop: () =>
      (stopped ??= (async () => {
        loop.stop();
        await watcher.close();
        await coalescer.close();
        await connection.close();
        emit({ type: 'stopped' });
      })()),
  };
}

/** One check after saves: read the files, decide, run; remembers what the database matched. */
class WatchLoop {
  /** The files the database matched after the last successful run; null: the next check runs whatever changed. */
  #settled: MigrationSet | null = null;
  /** The files as last read, for telling new warnings from ones already shown. */
  #seen: MigrationSet | null = null;
  #first = true;
  /** Aborted when the session stops: a run waiting for the lock gives up at once (a run under way finishes). */
  #stopping = new AbortController();

  constructor(
    private readonly connection: Connection,
    private readonly settings: WatchSettings,
    private readonly options: MigrateOptions,
    private readonly emit: (event: WatchEvent) => void,
  ) {}

  stop(): void {
    this.#stopping.abort('the watch session stopping');
  }

  async check(files: string[]): Promise<void> {
    const trigger = this.#first ? 'start' : 'change';
    this.#first = false;
    let set: MigrationSet;
    try {
      set = await loadMigrationSet(this.settings.dir, { drafts: 'warn' });
    } catch (err) {
      if (!(err instanceof MigrateError)) throw err;
      this.emit({ type: 'failed', stage: 'load', error: err, migration: null, direction: null, leftover: null, undoError: null, ...summarize(trigger, files, null) });
      return;
    }
    this.#showNewWarnings(set);
    const changes = this.#settled ? compareSets(this.#settled, set) : null;
    if (changes && !needsRun(changes)) {
      this.#settled = set;
      this.emit(changes.editedDown.length > 0 ? { type: 'down-saved', files, migrations: changes.editedDown } : { type: 'unchanged', files });
      return;
    }
    this.emit({ type: 'run-start', trigger, files });
    await this.#run(set, trigger, files);
  }

  async #run(set: MigrationSet, trigger: RunSummary['trigger'], files: string[]): Promise<void> {
    // The block each migration was at when its step ended: a failure happened in it.
    const blockOf = new Map<string, number>();
    const ctx = this.#context(set, (event) => {
      if (event.type === 'step-start') blockOf.delete(event.name);
      if (event.type === 'block-start') blockOf.set(event.name, event.block);
    });
    const result = await runMigrations(ctx, 'watch', reconcile, this.options);
    if (result.error?.code === 'INTERRUPTED') return; // the session stopped while this run waited for the lock: nothing ran
    if (result.ok) {
      this.#settled = set;
      if (this.settings.schemaFile) await writeSchemaFile(this.connection, this.settings.table, this.settings.schemaFile);
      this.emit({ type: 'applied', current: result.target, ...summarize(trigger, files, result) });
      return;
    }
    this.#settled = null;
    const failed = result.results.find((r) => r.status === 'failed') ?? null;
    const migration = failed?.direction === 'up' ? set.migrations.find((m) => m.name === failed.name) : undefined;
    const leftover = migration ? leftoverOf(migration.up, blockOf.get(migration.name) ?? null) : null;
    let undoError: MigrateError | null = null;
    if (migration && leftover !== null) {
      // Back to pending: undo what ran of it (with its down text), and remove its 'failed' row.
      undoError = (await withdrawFailed(this.#context(set, () => undefined), migration.name, leftover === 'some', this.options)).error;
    }
    const current = await this.#current();
    this.emit({
      type: 'failed',
      stage: 'run',
      error: result.error!,
      migration: failed?.name ?? null,
      direction: failed?.direction ?? null,
      leftover,
      undoError,
      ...(current === undefined ? {} : { current }),
      ...summarize(trigger, files, result),
    });
  }

  /** A runner context on the session's connection; a fresh lock owner for each run. */
  #context(set: MigrationSet, observe: (event: RunEvent) => void): RunnerContext {
    return {
      connection: this.connection,
      store: ydbHistoryStore(this.connection, this.settings.table),
      set,
      params: this.settings.params,
      owner: newLockOwner(),
      lockTimeoutSeconds: this.settings.lockTimeoutSeconds,
      signal: this.#stopping.signal,
      onEvent: (event) => {
        observe(event);
        // The runner repeats the files' warnings on every run; #showNewWarnings shows each once.
        if (event.type === 'warning' && set.warnings.includes(event.warning)) return;
        this.emit(event);
      },
    };
  }

  /** Warnings about the files (unlisted files, empty up files) that the previous read did not have. */
  #showNewWarnings(set: MigrationSet): void {
    const known = new Set((this.#seen ? watchWarnings(this.#seen) : []).map(formatWarning));
    for (const warning of watchWarnings(set)) {
      if (!known.has(formatWarning(warning))) this.emit({ type: 'warning', warning });
    }
    this.#seen = set;
  }

  /** The last applied migration, read from the history; undefined when it cannot be read. */
  async #current(): Promise<string | null | undefined> {
    let history: HistoryRow[];
    try {
      history = await ydbHistoryStore(this.connection, this.settings.table).read();
    } catch {
      return undefined;
    }
    const applied = history.filter((row) => row.state === 'applied').sort((a, b) => a.position - b.position);
    return applied[applied.length - 1]?.name ?? null;
  }
}

/** The files' warnings, with watch's own about an up file it waits for; an empty up file is not applied by watch. */
function watchWarnings(set: MigrationSet): Warning[] {
  const waiting = waitingForStatements(set);
  const filesOwn = set.warnings.filter((w) => !(waiting && w.code === 'EMPTY_UP' && w.location?.file === waiting.up.path));
  if (!waiting) return filesOwn;
  const after = set.migrations.length - waiting.index - 1;
  const message = `${waiting.up.path} has no statements yet: watch applies ${waiting.name}${after > 0 ? ` and the ${after} listed after it` : ''} once you save it with some`;
  return [...filesOwn, { code: 'WATCH_WAITING', message, location: { file: waiting.up.path, line: 1, column: 1 } }];
}

function summarize(trigger: RunSummary['trigger'], files: string[], result: RunResult | null): RunSummary {
  const done = (status: MigrationResult['status']): MigrationResult[] => result?.results.filter((r) => r.status === status) ?? [];
  const reverted = done('reverted');
  const applied = done('applied');
  const ms = (results: MigrationResult[]): number => results.reduce((sum, r) => sum + r.durationMs, 0);
  return { trigger, files, reverted: reverted.map((r) => r.name), revertMs: ms(reverted), applied: applied.map((r) => r.name), applyMs: ms(applied), totalMs: result?.durationMs ?? 0 };
}

const RUN_BROKE = (reason: string): string =>
  `a watch run stopped on an unexpected error (${reason}), a bug in ydb-migrate: please report it; watching goes on, and \`ydb-migrate status\` shows where the database is`;
const WATCHING_FAILED = (reason: string): string =>
  `watching the migration files failed (${reason}); check the directory's permissions and, on Linux, fs.inotify.max_user_watches`;

/** A failure that is not a migration's, as a MigrateError saying what happened and why. */
function asError(err: unknown, describe: (reason: string) => string): MigrateError {
  if (err instanceof MigrateError) return err;
  return new MigrateError('WATCH_FAILED', describe(err instanceof Error ? err.message : String(err)), { kind: 'runtime', cause: err });
}

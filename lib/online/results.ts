/**
 * What the online commands return and tell as they go: results as data (a
 * MigrateError stops a run and comes back with the results so far), the
 * options of a run, its events, and `status`'s report.
 */
import type { MigrateError, Warning } from '../errors.js';
import type { Drift, Step } from './plan.js';
import type { Block } from '../yql/blocks.js';
import type { StatementChange } from '../yql/same-statements.js';
import type { HistoryRow } from './history-table.js';
import type { LockHolder } from './lock-table.js';

export type RunCommand = 'up' | 'down' | 'redo' | 'baseline' | 'resolve' | 'repair' | 'watch';

export interface MigrateOptions {
  /** Plan and print the exact YQL; run nothing, take no lock. */
  dryRun?: boolean;
  /** Run `up` although applied files changed or are missing, or the order differs; never over an unfinished migration. */
  allowDrift?: boolean;
  /** `up`/`down`: finish the migration a run left unfinished (lib/online/resume.ts), then go on to the target (`up`) or stop (`down`). */
  resume?: boolean;
  /** With `resume`: run the request that failed again although its effect cannot be checked. */
  assumeNotApplied?: boolean;
  /** Apply pending migrations listed before applied ones. */
  allowOutOfOrder?: boolean;
  /**
   * up and redo: refuse to apply a migration whose up file lint rates an
   * error (LINT_REFUSED), before the lock is taken and anything runs. Default
   * true; false applies it anyway (YDB then has the last word).
   */
  lint?: boolean;
  /** Revert with the down file's text instead of the one stored when the migration was applied. */
  downFromFile?: boolean;
  /**
   * When aborted, the run stops before its next migration: the one running
   * finishes all its requests. It records where it is and releases the lock;
   * a wait for the lock ends at once. (Up to 0.1.0 this stopped before the next
   * request: pass the same signal as `stopNow` too for that.)
   */
  signal?: AbortSignal;
  /**
   * When aborted, the run stops after the request in progress: a migration
   * stopped part-way is recorded failed with how many of its requests ran
   * (settle it with `resolve`). The CLI aborts it on a second Ctrl-C.
   */
  stopNow?: AbortSignal;
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
  /** repair: how the up file differs from the text that was applied. */
  edit?: UpFileEdit;
}

/**
 * How an applied migration's up file differs from the text the history
 * holds: not at all (only the down text is recorded), in comments and
 * whitespace only, in a statement (the first difference), or `unknown` when
 * the history holds no text to compare (rows of earlier versions and of
 * offline scripts).
 */
export type UpFileEdit = { kind: 'unchanged' } | { kind: 'cosmetic' } | { kind: 'unknown' } | ({ kind: 'statements' } & StatementChange);

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


/** The result of a run that stopped before it could plan anything (bad input, no connection, lock timeout). */
export function failedRun(command: RunCommand, dryRun: boolean, error: MigrateError): RunResult {
  return { command, ok: false, dryRun, results: [], drift: [], from: null, target: null, requests: null, warnings: [], error, durationMs: 0 };
}

export interface RepairOptions {
  /** Also record the down files' current text as the one to revert with. */
  downText?: boolean;
  /** Show what would be recorded; write nothing, take no lock. */
  dryRun?: boolean;
  /**
   * Also record files whose statements changed (or may have: the history
   * holds no text to compare), after checking that the database matches
   * them; without it such a repair writes nothing and fails with
   * REPAIR_NEEDS_YES. Edits of comments and whitespace need no confirmation.
   */
  acceptChangedStatements?: boolean;
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
  /** When and by whom `repair` last recorded an edit of its files; null when never. */
  repaired: { at: Date; by: string } | null;
}

export interface StatusReport {
  database: string;
  table: string;
  current: string | null;
  entries: StatusEntry[];
  pending: number;
  drift: Drift[];
  lock: LockHolder | null;
  /** For each migration a run left unfinished: what the history says of it, then the commands that settle it, numbered. */
  recovery: string[];
  /** From loading the migration files (unlisted files, empty up files). */
  warnings: Warning[];
}

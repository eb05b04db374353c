/**
 * ydb-migrate as a library.
 *
 *   import { Migrator } from 'ydb-migrate';
 *   const result = await new Migrator({ dir: 'sql', credentials: { kind: 'access-token', token } }).up();
 *   if (!result.ok) throw result.error;
 *
 * None of these types mentions ydb-sdk: it stays inside lib/ydb/.
 * Importing it does not load ydb-sdk; the first online operation does.
 * Watch mode: `const session = await migrator.watch({ onEvent })`, then `await session.stop()`.
 */
export { Migrator, type MigratorOptions, type UpTarget, type DownTarget } from './migrator.js';
export type { Credentials } from './ydb/credentials.js';
export type { ExistingDriver } from './ydb/settings.js';
export type {
  EntryState,
  MigrateOptions,
  MigrationResult,
  MigrationStatus,
  DryRunRequests,
  PlannedQuery,
  RepairOptions,
  RunCommand,
  RunEvent,
  RunReport,
  RunResult,
  StatusEntry,
  StatusReport,
  UpFileEdit,
} from './online/results.js';
export type { LockHolder } from './online/lock-table.js';
export type { RunSummary, WatchEvent, WatchOptions, WatchSession } from './watch/session.js';
export type { Leftover } from './watch/leftover.js';
export type { Schema, TableModel, ColumnModel, IndexModel, FamilyModel, TtlModel, ChangefeedModel, OtherObject } from './schema/model.js';
export type { VerifyReport, VerifyStep, VerifyStatus } from './schema/verify.js';
export { renderSchema } from './schema/render.js';
export { parseSchema } from './schema/parse.js';
export { diffSchemas, type Change, type SchemaDiff, type DiffOptions } from './schema/diff.js';
export { loadMigrationSet, type Migration, type MigrationSet, type MigrationText } from './migration.js';
export type { OfflineRequest, OfflineScript } from './offline/range.js';
export { offlineScriptChunks, renderOfflineScript, type OfflineScriptChunks } from './offline/script.js';
export { renderOfflineParts, type OfflinePart, type OfflineParts } from './offline/parts.js';
export { lintDirectory, lintMigrations, RULES as LINT_RULES, type LintRun, type LintSelection } from './lint/lint.js';
export type { Finding, RuleInfo, Severity } from './lint/types.js';
export { parseTarget, planMigrations, type Drift, type DriftKind, type Plan, type Step, type Target } from './online/plan.js';
export type { HistoryRow, HistoryState } from './online/history-table.js';
export { resolveConfig, type Config } from './config.js';
export type { RawParamValue } from './params.js';
export { MigrateError, MigrateErrors, EXIT_OK, EXIT_RUNTIME, EXIT_INPUT, exitCodeOf, formatLocation, type ErrorKind, type SourceLocation, type Warning } from './errors.js';

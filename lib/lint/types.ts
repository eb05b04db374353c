/** What a lint rule is, what it reports, and what it sees of a migration. */
import type { SourceLocation } from '../errors.js';
import type { Migration } from '../migration.js';
import type { YdbRuleId } from '../rules/ydb-rules.js';
import type { ReplayedSchema } from '../schema/replay.js';
import type { DdlStatement, Position } from '../yql/ddl.js';
import type { Statement } from '../yql/blocks.js';

export type Severity = 'error' | 'warning' | 'info';

/** Most serious first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Every rule id: YDB's refusals (lib/rules/ydb-rules.ts) and lint's own advice; a misspelt id does not compile. */
export type RuleId =
  | YdbRuleId
  | 'prefer-upsert' | 'unbounded-update-delete' | 'mixed-ddl-dml'
  | 'drop-table' | 'drop-column' | 'drop-index'
  | 'down-missing' | 'down-does-not-undo' | 'down-not-partial-safe'
  | 'pragma-online-only' | 'runs-alone' | 'unknown-rule';

export interface RuleInfo {
  id: RuleId;
  severity: Severity;
  /** One line: what the rule finds. */
  summary: string;
  /** One line: what to do about it. */
  fix: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  fix: string;
  location: SourceLocation;
}

export interface LintOptions {
  /** `MAJOR.MINOR` of the target YDB; without it, features are not checked against a version. */
  ydbVersion?: string;
}

/** A statement of a migration file with what lint derives from it. */
export interface AnalyzedStatement {
  statement: Statement;
  ddl: DdlStatement;
  /** 0-based index of the request (block) that sends it; -1 for PRAGMA/DECLARE/COMMIT outside any. */
  request: number;
}

export interface AnalyzedFile {
  path: string;
  statements: AnalyzedStatement[];
  /** Index of the file's last request (-1 when it has none): the one that commits with the history row. */
  lastRequest: number;
}

export interface StatementContext extends AnalyzedStatement {
  migration: Migration;
  side: 'up' | 'down';
  file: string;
  /** The schema just before this statement: every earlier migration's up, then this file's statements before it. */
  schema: ReplayedSchema;
  /** Tables an earlier statement of this migration created (the up's, for a down statement). */
  createdByMigration: ReadonlySet<string>;
  options: LintOptions;
  /** The file's last request index (see AnalyzedFile). */
  lastRequest: number;
}

export interface MigrationContext {
  migration: Migration;
  up: AnalyzedFile;
  /** Null when the migration has no down file. */
  down: AnalyzedFile | null;
  options: LintOptions;
}

export type Report = (rule: RuleId, file: string, at: Position, message: string) => void;

/** One family of rules (one file of lib/lint/): its rules and the checks that report them. */
export interface RuleFamily {
  rules: readonly RuleInfo[];
  /** Called for each table DDL statement (CREATE/ALTER/DROP TABLE), and for every other statement too when `everyStatement`. */
  statement?(ctx: StatementContext, report: Report): void;
  everyStatement?: true;
  migration?(ctx: MigrationContext, report: Report): void;
}

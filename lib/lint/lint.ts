/**
 * `lint`: every rule over a migration set, offline. The schema each
 * migration sees is replayed from the ups before it (lib/schema/replay.ts),
 * so rules that need a table's columns work across migrations with no database.
 */
import { MigrateError } from '../errors.js';
import { loadMigrationSet, type Migration, type MigrationSet, type MigrationText } from '../migration.js';
import { ReplayedSchema } from '../schema/replay.js';
import { readDdl } from '../yql/ddl.js';
import { alterRules } from './alter.js';
import { dataRules } from './data.js';
import { destructiveRules } from './destructive.js';
import { inPlaceRules } from './in-place.js';
import { reversibilityRules } from './reversibility.js';
import { setsTablePathPrefix, TablePaths } from './paths.js';
import { runnerRules } from './runner.js';
import { applySuppressions, UNKNOWN_RULE } from './suppress.js';
import { tableRules } from './table.js';
import { SEVERITIES, type AnalyzedFile, type AnalyzedStatement, type Finding, type LintOptions, type Report, type RuleFamily, type RuleInfo, type StatementContext } from './types.js';
import type { Statement } from '../yql/blocks.js';
import { versionRank } from '../rules/versions.js';

const FAMILIES: readonly RuleFamily[] = [tableRules, alterRules, inPlaceRules, destructiveRules, reversibilityRules, dataRules, runnerRules];

/** Every rule, in README order. */
export const RULES: readonly RuleInfo[] = [...FAMILIES.flatMap((f) => f.rules), UNKNOWN_RULE];
const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
const RULE_IDS: ReadonlySet<string> = new Set(RULE_BY_ID.keys());

export interface LintRun extends LintOptions {
  /** Which migrations to report on (the others are only replayed); all when absent. */
  only?: (migration: Migration) => boolean;
  /** Only the families with a rule this serious run (`validate` wants errors only); every finding they make is still returned. */
  errorsOnly?: boolean;
}

/** The findings, most serious first, then by file, line and column. */
export function lintMigrations(migrations: readonly Migration[], run: LintRun = {}): Finding[] {
  if (run.ydbVersion !== undefined && versionRank(run.ydbVersion) === null) {
    throw new MigrateError('USAGE', `--ydb-version must look like 24.1 (MAJOR.MINOR), not "${run.ydbVersion}"`);
  }
  const options: LintOptions = run.ydbVersion === undefined ? {} : { ydbVersion: run.ydbVersion };
  const families = run.errorsOnly ? FAMILIES.filter((f) => f.rules.some((r) => r.severity === 'error')) : FAMILIES;
  const schema = new ReplayedSchema();
  const paths = new TablePaths();
  const findings: Finding[] = [];
  for (const migration of migrations) {
    const up = analyze(migration.up);
    if (run.only && !run.only(migration)) {
      const prefixed = setsTablePathPrefix(up.statements);
      for (const s of up.statements) schema.apply(paths.canonical(s.ddl, schema, prefixed));
      continue;
    }
    const own: Finding[] = [];
    const report: Report = (rule, file, at, message) => {
      const info = RULE_BY_ID.get(rule)!;
      own.push({ rule, severity: info.severity, message, fix: info.fix, location: { file, line: at.line, column: at.column } });
    };
    const createdByMigration = new Set<string>();
    const check = (side: 'up' | 'down', file: AnalyzedFile, replayed: ReplayedSchema) =>
      checkStatements(families, { migration, side, file, schema: replayed, paths, createdByMigration, options }, report);
    check('up', up, schema);
    const down = migration.down ? analyze(migration.down) : null;
    if (down) check('down', down, schema.fork());
    for (const family of families) family.migration?.({ migration, up, down, options }, report);
    for (const text of migration.down ? [migration.up, migration.down] : [migration.up]) {
      const inFile = own.filter((f) => f.location.file === text.path);
      // One by one: a spread of a huge file's findings would overflow the stack.
      for (const finding of applySuppressions(text.path, text.text, text.statements, inFile, RULE_IDS)) findings.push(finding);
    }
  }
  return findings.sort(bySeriousness);
}

interface FileRun {
  migration: Migration;
  side: 'up' | 'down';
  file: AnalyzedFile;
  schema: ReplayedSchema;
  paths: TablePaths;
  /** Filled as CREATE TABLEs go by: the up's, then the down's. */
  createdByMigration: Set<string>;
  options: LintOptions;
}

/** Runs the statement checks of every family on each statement, replaying it into `schema` after. */
function checkStatements(families: readonly RuleFamily[], { file, createdByMigration, migration, side, schema, paths, options }: FileRun, report: Report): void {
  // Most statements of a data migration are not table DDL: only the families that read every statement see them.
  const everyStatement = families.filter((f) => f.everyStatement);
  const [first] = file.statements;
  if (!first) return;
  // One context, its statement fields moved along (a data migration may hold hundreds of thousands of statements).
  const ctx: StatementContext = { ...first, migration, side, schema, options, file: file.path, createdByMigration, lastRequest: file.lastRequest };
  const prefixed = setsTablePathPrefix(file.statements);
  for (const analyzed of file.statements) {
    const isTableDdl = analyzed.ddl.kind !== 'other';
    const readers = isTableDdl ? families : everyStatement;
    if (readers.length === 0) continue;
    const ddl = isTableDdl ? paths.canonical(analyzed.ddl, schema, prefixed) : analyzed.ddl;
    ctx.statement = analyzed.statement;
    ctx.ddl = ddl;
    ctx.request = analyzed.request;
    for (const family of readers) family.statement?.(ctx, report);
    if (!isTableDdl) continue;
    schema.apply(ddl);
    if (ddl.kind === 'create-table') createdByMigration.add(ddl.table.name);
  }
}

/** Each statement with its DDL tree and request; the blocks hold the file's statements in order, so one pass assigns requests. */
function analyze(text: MigrationText): AnalyzedFile {
  const statements: AnalyzedStatement[] = [];
  let next = 0;
  const add = (upTo: Statement | null, request: number) => {
    while (next < text.statements.length) {
      const statement = text.statements[next++]!;
      const own = statement === upTo;
      statements.push({ statement, ddl: readDdl(statement, text.path), request: own ? request : -1 });
      if (own) return;
    }
  };
  text.blocks.forEach((block, i) => {
    for (const statement of block.statements) add(statement, i);
  });
  add(null, -1);
  return { path: text.path, statements, lastRequest: text.blocks.length - 1 };
}

function bySeriousness(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column
  );
}

export interface LintSelection extends LintOptions {
  /** Only these migrations (manifest names). */
  names?: readonly string[];
  /** Only the migrations after this one. */
  since?: string;
}

/** Loads `dir` and lints the selected migrations; the set's own warnings come back too. */
export async function lintDirectory(dir: string, selection: LintSelection = {}): Promise<{ set: MigrationSet; findings: Finding[]; linted: number }> {
  const set = await loadMigrationSet(dir);
  const indexOf = (name: string, flag: string): number => {
    const found = set.migrations.find((m) => m.name === name);
    if (!found) throw new MigrateError('LINT_UNKNOWN_MIGRATION', `${flag}${name} is not a migration in ${set.manifest.path}; name one it lists`);
    return found.index;
  };
  const names = new Set(selection.names ?? []);
  for (const name of names) indexOf(name, '');
  const after = selection.since === undefined ? -1 : indexOf(selection.since, '--since ');
  const only = (m: Migration) => m.index > after && (names.size === 0 || names.has(m.name));
  const findings = lintMigrations(set.migrations, { ...selection, only });
  return { set, findings, linted: set.migrations.filter(only).length };
}

/** The error-level findings as input errors, for `validate`: what YDB would refuse, found before it does. */
export function lintErrors(migrations: readonly Migration[]): MigrateError[] {
  return lintMigrations(migrations, { errorsOnly: true })
    .filter((f) => f.severity === 'error')
    .map((f) => new MigrateError(f.rule, `${f.message}; ${f.fix}`, { location: f.location }));
}

/**
 * Offline mode: a range of migrations → ONE literal-bound YQL script that a DBA
 * reviews and runs with `ydb scripting yql -f`. No parameter is left in it:
 * declared parameters become named expressions bound once at the top, and the
 * history writes carry every value as a literal. Same inputs, same bytes.
 */
import type { RawParamValue } from './config.js';
import { MigrateError } from './errors.js';
import { historyDeleteStatement, historyRowFor, historyStateStatement, historyTableDdl, historyUpsertStatement, lockTableDdl } from './history.js';
import type { Migration, MigrationSet, MigrationText } from './migration.js';
import { bindParam, type BoundParam } from './params.js';
import { TOOL_VERSION } from './package-info.js';
import { historyForState, parseTarget, planMigrations, resolveState, type Step } from './plan.js';
import { guardStatements, leaseRelease, leaseRenewal, OFFLINE_LEASE_SECONDS, scriptLockOwner } from './offline/guard.js';
import { renderTemplate } from './templates.js';
import type { Statement } from './yql/blocks.js';
import { encodeLiteral, formatType } from './yql/literal.js';

/** Who the history rows say applied a migration that ran from an offline script. */
export const OFFLINE_APPLIED_BY = 'ydb-migrate offline script';

export interface OfflineRequest {
  set: MigrationSet;
  direction: 'up' | 'down';
  /** The state the database is in before the script: a migration name, @TAG, `base` or `head`. */
  from: string;
  /** The state after it: a name, @TAG, `base`, `head`, `+N` or `-N`. */
  to: string;
  table: string;
  params: Readonly<Record<string, RawParamValue>>;
  /** The file the script is written to, shown in the header's run command. */
  scriptFile?: string | null;
  /** Fills the header's run command; placeholders otherwise. */
  connectionString?: string | null;
  /** Written in the header only when given, so the output is byte-identical by default. */
  generatedAt?: Date | null;
}

export interface OfflineScript {
  text: string;
  steps: { direction: 'up' | 'down'; name: string; checksum: string; file: string }[];
}

/** One migration of the range, with the history writes around it. */
export interface OfflineStep {
  direction: 'up' | 'down';
  name: string;
  migration: Migration;
  text: MigrationText;
  /** Writes the row 'applying' (and renews the lease) before the first part; null for a text that commits whole. */
  marker: string | null;
  /** Records it done: the 'applied' row or the row's removal, with the lease renewed, or released after the last. */
  done: string;
}

/** What both offline formats are made of: the range, its guard and its steps. */
export interface OfflineRange {
  fromState: string;
  toState: string;
  steps: OfflineStep[];
  /** Ensures the history and lock tables: one DDL statement each. */
  tables: string[];
  /** The guard and the lease it takes, one DML part. */
  guard: string;
  /** For an empty range: frees the lease the guard took. */
  release: string | null;
}

/** Plans `req`'s range and the statements around it; every input error surfaces here. */
export function prepareOfflineRange(req: OfflineRequest): OfflineRange {
  const { set, direction, table } = req;
  const fromName = resolveState(set.migrations, set.manifest.tags, req.from);
  const history = historyForState(set.migrations, fromName);
  const plan = planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: parseTarget(req.to), direction });
  const planned = plan.steps.map((step) => ({ step, migration: migrationOf(step), text: textOf(step) }));
  const owner = scriptLockOwner(JSON.stringify([table, direction, fromName, planned.map((s) => [s.step.name, s.text.checksum])]));
  const guard = guardStatements(table, {
    from: fromName ?? 'base',
    rows: history.map((row) => ({ name: row.name, checksum: row.checksum })),
    downTexts: direction === 'down' ? planned.map(({ step, text }) => ({ name: step.name, text: text.text })) : [],
  }, owner);
  const steps = planned.map(({ step, migration, text }, i): OfflineStep => {
    const up = step.direction === 'up';
    const lease = i === planned.length - 1 ? leaseRelease(table, owner) : leaseRenewal(table, owner);
    const row = (state: 'applying' | 'applied'): string =>
      historyUpsertStatement(table, historyRowFor(migration, migration.index + 1, state, OFFLINE_APPLIED_BY), encodeLiteral, 'without-progress');
    const marker = up ? row('applying') : historyStateStatement(table, migration.name, 'applying', encodeLiteral);
    const done = up ? row('applied') : historyDeleteStatement(table, migration.name, encodeLiteral);
    return {
      direction: step.direction,
      name: step.name,
      migration,
      text,
      marker: writesProgress(text) ? `${marker}\n${leaseRenewal(table, owner)}` : null,
      done: `${done}\n${lease}`,
    };
  });
  return {
    fromState: fromName ?? 'base',
    toState: plan.target ?? 'base',
    steps,
    tables: [historyTableDdl(table), lockTableDdl(table)],
    guard: guard.join('\n'),
    release: steps.length === 0 ? leaseRelease(table, owner) : null,
  };
}

/** The fields of the header both formats share. */
export function headerFields(req: OfflineRequest, range: OfflineRange): Record<string, unknown> {
  return {
    version: TOOL_VERSION,
    direction: req.direction,
    fromState: range.fromState,
    toState: range.toState,
    manifest: req.set.manifest.path,
    table: req.table,
    generatedAt: req.generatedAt ? req.generatedAt.toISOString() : null,
    steps: stepSummaries(range),
    leaseHours: OFFLINE_LEASE_SECONDS / 3600,
    ...endpointOf(req.connectionString ?? null),
  };
}

export function stepSummaries(range: OfflineRange): OfflineScript['steps'] {
  return range.steps.map(({ direction, name, text }) => ({ direction, name, checksum: text.checksum, file: text.path }));
}

export function renderOfflineScript(req: OfflineRequest): OfflineScript {
  const range = prepareOfflineRange(req);
  const texts = range.steps.map((s) => s.text);
  refuseUnscopable(texts);
  const params = bindScriptParams(texts, req.params);
  const text = renderTemplate('offline-script.yql.hbs', {
    ...headerFields(req, range),
    scriptFile: req.scriptFile ?? '<script.yql>',
    params: params.map((p) => ({ assignment: `$${p.name} = ${encodeLiteral(p.type, p.value)};` })),
    tables: range.tables,
    guard: range.guard,
    release: range.release,
    parts: range.steps.map((step) => ({
      direction: step.direction,
      name: step.name,
      file: step.text.path,
      body: renderMigrationBody(step.text, step),
    })),
  });
  return { text, steps: stepSummaries(range) };
}

function migrationOf(step: Step): Migration {
  // Offline history is synthesized from the manifest, so every step has its migration.
  if (!step.migration) throw new MigrateError('OFFLINE_NO_MIGRATION', `migration ${step.name} is not in the manifest`);
  return step.migration;
}

function textOf(step: Step): MigrationText {
  const migration = migrationOf(step);
  if (step.direction === 'up') return migration.up;
  if (!migration.down) {
    throw new MigrateError(
      'DOWN_MISSING',
      `migration ${migration.name} has no down file, so the script cannot revert it: write ${migration.name}.down.yql or choose a range that stops above it`,
      { location: { file: migration.up.path, line: 1, column: 1 } },
    );
  }
  return migration.down;
}

/**
 * Binds every parameter the range declares, once. A name declared with two
 * different types cannot be bound once, so that is an error naming both places.
 */
function bindScriptParams(texts: MigrationText[], values: Readonly<Record<string, RawParamValue>>): BoundParam[] {
  const bound = new Map<string, BoundParam>();
  for (const text of texts) {
    for (const declaration of text.declarations) {
      const param = bindParam(declaration, text.path, values);
      const earlier = bound.get(param.name);
      if (!earlier) {
        bound.set(param.name, param);
      } else if (formatType(earlier.type) !== formatType(param.type)) {
        throw new MigrateError(
          'PARAM_TYPE_CONFLICT',
          `$${param.name} is declared as ${formatType(param.type)} here but as ${formatType(earlier.type)} at ` +
            `${earlier.file}:${earlier.declaration.line}:${earlier.declaration.column}; an offline script binds each parameter once, so give them one type or different names`,
          { location: { file: text.path, line: declaration.line, column: declaration.column } },
        );
      }
    }
  }
  return [...bound.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Refuses, at its file:line:col, what an offline script cannot keep inside
 * its migration or cannot run at all. The Scripting service translates the
 * whole script as one program:
 * - a PRAGMA reaches every migration and history write of the script (and
 *   YDB applies the last TablePathPrefix of a program to all its tables,
 *   even those named before it: LegacyModeUsesFinalPrefix in YDB's
 *   yql/essentials/sql/v1/translation/ut/sql_table_path_prefix_ut.cpp), so no
 *   PRAGMA can be scoped to its migration;
 * - a named expression bound by an earlier migration, or a parameter
 *   another migration declares (all are bound at the top), would be
 *   silently visible to this one, where online it is unknown (redefining
 *   one is fine: it hides the earlier one, YQL docs syntax/expressions.md);
 * - CREATE TABLE ... AS SELECT and BATCH UPDATE/DELETE run only alone, with
 *   no transaction, which the Scripting service does not do.
 */
function refuseUnscopable(texts: MigrationText[]): void {
  // Parameters are bound once at the top of the script, so every migration sees all of them.
  const boundElsewhere = new Map<string, string>();
  for (const text of [...texts].reverse()) for (const { name } of text.declarations) boundElsewhere.set(name, text.path);
  for (const text of texts) {
    const declared = new Set(text.declarations.map((d) => d.name));
    const own = new Set<string>();
    for (const statement of text.statements) {
      const location = { file: text.path, line: statement.line, column: statement.column };
      const why = unscriptable(statement);
      if (why) throw new MigrateError('OFFLINE_UNSUPPORTED', why, { location });
      for (const name of statement.params) {
        const elsewhere = boundElsewhere.get(name);
        if (own.has(name) || declared.has(name) || elsewhere === undefined) continue;
        throw new MigrateError(
          'OFFLINE_FOREIGN_NAME',
          `$${name} is bound by ${elsewhere}, not by this migration: online it is unknown here, and an offline script would silently use that value; define or DECLARE $${name} in this migration`,
          { location },
        );
      }
      for (const name of statement.defines) own.add(name);
    }
    for (const name of own) boundElsewhere.set(name, text.path);
  }
}

function unscriptable(statement: Statement): string | null {
  if (statement.role === 'pragma') {
    return (
      'a PRAGMA cannot be kept inside its migration in an offline script: the Scripting service translates the whole script as one program, ' +
      'so the PRAGMA would reach every other migration and the history writes (YDB applies the last TablePathPrefix to every table of the program); ' +
      'write the offline range with `sql --format parts` (one query per part, each with its own PRAGMAs), apply this migration online (`ydb-migrate up`), or remove the PRAGMA and write full table paths'
    );
  }
  const alone = statement.role === 'batch' ? 'BATCH UPDATE/DELETE' : statement.createsFromSelect ? 'CREATE TABLE ... AS SELECT' : null;
  if (!alone) return null;
  return `${alone} runs only as a query of its own with no transaction, which the Scripting service that runs offline scripts cannot do; write the offline range with \`sql --format parts\` (it becomes a query of its own for \`ydb sql -f\`), or apply this migration online (\`ydb-migrate up\`), which sends it alone`;
}

/**
 * Whether a migration writes its history row 'applying' before its first
 * part, as the online runner does (lib/ydb/protocol.ts): every text but a
 * single DML block, which commits with its history write or not at all. A
 * script that stops inside such a migration leaves the row 'applying':
 * `status` shows it failed, `up` refuses to run past it, `resolve` settles it.
 */
function writesProgress(text: MigrationText): boolean {
  return text.blocks.length > 1 || (text.blocks.length === 1 && text.blocks[0]!.kind !== 'dml');
}

/** The history statements around a migration's parts. */
export interface BodyHistory {
  /** A part of its own before the migration's first part; null for none. */
  marker: string | null;
  /** Records the migration done: inside the last block's part when that block is DML. */
  done: string;
}

/**
 * The file's text as written (comments kept for the reviewer) with: each
 * DECLARE turned into a comment (the value is bound at the top), `COMMIT;`
 * after every block (each DDL statement, each run of DML) unless the file
 * has one there, the progress marker before it, and the history write —
 * inside the last block's part when that block is DML, so that data and
 * history commit together.
 */
export function renderMigrationBody(text: MigrationText, history: BodyHistory): string {
  const { statements, blocks } = text;
  const edits: { at: number; end: number; insert: string }[] = [];
  for (const { declaration, start, end } of statements) {
    if (declaration) {
      edits.push({ at: start, end, insert: `/* DECLARE $${declaration.name} AS ${declaration.typeText}; bound at the top of this script */` });
    }
  }
  const last = statements[statements.length - 1];
  if (last && !last.text.trimEnd().endsWith(';')) edits.push({ at: last.end, end: last.end, insert: ';' });
  // Blocks and COMMITs both come in file order: one walk finds the first COMMIT after each block.
  const commits = statements.filter((s) => s.role === 'commit');
  let commit = 0;
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    while (commit < commits.length && commits[commit]!.start < block.end) commit++;
    const committed = next !== undefined && commit < commits.length && commits[commit]!.end <= next.start;
    // On a line of its own, so that a reviewer sees where each part ends.
    const lineEnd = text.text.indexOf('\n', block.end);
    const lineGoesOn = text.text.slice(block.end, lineEnd === -1 ? undefined : lineEnd).trim() !== '';
    if (next && !committed) edits.push({ at: block.end, end: block.end, insert: `\nCOMMIT;${lineGoesOn ? '\n' : ''}` });
  });
  let body = applyEdits(text.text, edits).trimEnd();
  const lastBlock = blocks[blocks.length - 1];
  if (lastBlock && lastBlock.kind !== 'dml') body += '\nCOMMIT;';
  body += `${body ? '\n' : ''}${history.done}\nCOMMIT;`;
  return history.marker === null ? body : `${history.marker}\nCOMMIT;\n${body}`;
}

function applyEdits(source: string, edits: { at: number; end: number; insert: string }[]): string {
  edits.sort((a, b) => a.at - b.at);
  let out = '';
  let pos = 0;
  for (const edit of edits) {
    out += source.slice(pos, edit.at) + edit.insert;
    pos = edit.end;
  }
  return out + source.slice(pos);
}

function endpointOf(connectionString: string | null): { endpoint: string; database: string } {
  if (!connectionString) return { endpoint: '<grpc://host:2136>', database: '<database>' };
  try {
    const url = new URL(connectionString);
    const database = url.searchParams.get('database') ?? (url.pathname && url.pathname !== '/' ? url.pathname : '<database>');
    return { endpoint: `${url.protocol}//${url.host}`, database };
  } catch {
    return { endpoint: '<grpc://host:2136>', database: '<database>' };
  }
}

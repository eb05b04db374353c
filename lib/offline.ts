/**
 * Offline mode: a range of migrations → ONE literal-bound YQL script that a DBA
 * reviews and runs with `ydb scripting yql -f`. No parameter is left in it:
 * declared parameters become named expressions bound once at the top, and the
 * history writes carry every value as a literal. Same inputs, same bytes.
 */
import type { RawParamValue } from './config.js';
import { MigrateError } from './errors.js';
import { historyDeleteStatement, historyRowFor, historyTableDdl, historyUpsertStatement } from './history.js';
import type { Migration, MigrationSet, MigrationText } from './migration.js';
import { bindParam, type BoundParam } from './params.js';
import { TOOL_VERSION } from './package-info.js';
import { historyForState, parseTarget, planMigrations, resolveState, type Step } from './plan.js';
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

export function renderOfflineScript(req: OfflineRequest): OfflineScript {
  const { set, direction } = req;
  const fromName = resolveState(set.migrations, set.manifest.tags, req.from);
  const plan = planMigrations({
    migrations: set.migrations,
    tags: set.manifest.tags,
    history: historyForState(set.migrations, fromName),
    target: parseTarget(req.to),
    direction,
  });
  const steps = plan.steps.map((step) => ({ step, migration: migrationOf(step), text: textOf(step) }));
  refuseUnscopable(steps.map((s) => s.text));
  const params = bindScriptParams(steps.map((s) => s.text), req.params);

  const parts = steps.map(({ step, migration, text }) => ({
    direction: step.direction,
    name: step.name,
    file: text.path,
    body: renderMigrationBody(text, step.direction === 'up'
      ? historyUpsertStatement(req.table, historyRowFor(migration, migration.index + 1, 'applied', OFFLINE_APPLIED_BY), encodeLiteral)
      : historyDeleteStatement(req.table, migration.name, encodeLiteral)),
  }));

  const { endpoint, database } = endpointOf(req.connectionString ?? null);
  const text = renderTemplate('offline-script.yql.hbs', {
    version: TOOL_VERSION,
    direction,
    fromState: fromName ?? 'base',
    toState: plan.target ?? 'base',
    manifest: set.manifest.path,
    table: req.table,
    generatedAt: req.generatedAt ? req.generatedAt.toISOString() : null,
    steps: steps.map(({ step, text }) => ({ direction: step.direction, name: step.name, checksum: text.checksum, file: text.path })),
    endpoint,
    database,
    scriptFile: req.scriptFile ?? '<script.yql>',
    params: params.map((p) => ({ assignment: `$${p.name} = ${encodeLiteral(p.type, p.value)};` })),
    historyDdl: historyTableDdl(req.table),
    parts,
  });
  return {
    text,
    steps: steps.map(({ step, text: t }) => ({ direction: step.direction, name: step.name, checksum: t.checksum, file: t.path })),
  };
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
      'apply this migration online (`ydb-migrate up`), or remove the PRAGMA and write full table paths'
    );
  }
  const alone = statement.role === 'batch' ? 'BATCH UPDATE/DELETE' : statement.createsFromSelect ? 'CREATE TABLE ... AS SELECT' : null;
  if (!alone) return null;
  return `${alone} runs only as a query of its own with no transaction, which the Scripting service that runs offline scripts cannot do; apply this migration online (\`ydb-migrate up\`), which sends it alone`;
}

/**
 * The file's text as written (comments kept for the reviewer) with: each
 * DECLARE turned into a comment (the value is bound at the top), `COMMIT;`
 * after every block (each DDL statement, each run of DML) unless the file
 * has one there, and the history write — inside the last block's part when
 * that block is DML, so that data and history commit together.
 */
export function renderMigrationBody(text: MigrationText, historyStatement: string): string {
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
  body += `${body ? '\n' : ''}${historyStatement}\nCOMMIT;`;
  return body;
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

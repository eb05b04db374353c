/**
 * The single offline script: a range of migrations → ONE literal-bound YQL
 * script that a DBA reviews and runs with `ydb scripting yql -f`. No
 * parameter is left in it: declared parameters become named expressions
 * bound once at the top, and the history writes carry every value as a
 * literal. The text is produced as a sequence of chunks, one per migration,
 * so that a range of 10,000 migrations is written without ever being held
 * whole; every input error is found before the first chunk.
 */
import type { RawParamValue } from '../params.js';
import { MigrateError } from '../errors.js';
import type { MigrationText } from '../migration.js';
import { bindParam, type BoundParam } from '../params.js';
import { headerFields, joint, OFFLINE_APPLIED_BY, prepareOfflineRange, renderMigrationBody, type HeaderFields, type OfflineRequest, type OfflineScript } from './range.js';
import { RESERVED_NAME_PREFIX, type Statement } from '../yql/blocks.js';
import { encodeLiteral, formatType, parseType } from '../yql/literal.js';
import { type Bind } from '../online/history-table.js';
import { lockTableName } from '../own-tables.js';
import { LEASE_LOST_MESSAGE, leaseStatements } from './guard.js';

/** Bound once at the top: the message every lease check shows and the lock owner they check, instead of repeating them in every part. */
const LEASE_LOST = `$${RESERVED_NAME_PREFIX}lease_lost`;
const OWNER = `$${RESERVED_NAME_PREFIX}owner`;
/** Bound once at the top: who every history row says applied it. */
const APPLIED_BY = `$${RESERVED_NAME_PREFIX}by`;

/** Names the values bound at the top; any other value is a literal. The same value under its name: a name never changes what is written. */
const bindNamed: Bind = (type, value) => (value === OFFLINE_APPLIED_BY ? APPLIED_BY : encodeLiteral(type, value));

export interface OfflineScriptChunks extends Pick<OfflineScript, 'steps'> {
  /** The script's text, in order: the header, then one chunk per migration. */
  chunks(): Generator<string, void, undefined>;
}

/** Checks and plans `req`'s script; throws every input error now, so that writing it cannot fail half-way for one. */
export function offlineScriptChunks(req: OfflineRequest): OfflineScriptChunks {
  const range = prepareOfflineRange(req);
  const texts = range.steps.map((s) => s.text);
  refuseUnscopable(texts);
  const params = bindScriptParams(texts, req.params);
  const lease = leaseStatements(req.table, range.owner, { message: LEASE_LOST, owner: OWNER });
  const header = headerFields(req, range);
  return {
    steps: header.steps,
    *chunks() {
      yield headerText(header, req.scriptFile ?? '<script.yql>');
      const bindings = [
        ...(params.length === 0 ? [] : ['', '-- Parameters, bound once for the whole script:', ...params.map((p) => `$${p.name} = ${encodeLiteral(p.type, p.value)};`)]),
        '',
        '-- The migration lock this script holds, who its history rows say applied them, and what it says when it has lost the lock:',
        `${OWNER} = ${encodeLiteral(UTF8, range.owner.owner)};`,
        `${APPLIED_BY} = ${encodeLiteral(UTF8, OFFLINE_APPLIED_BY)};`,
        `${LEASE_LOST} = ${encodeLiteral(UTF8, LEASE_LOST_MESSAGE)};`,
        '',
      ];
      const tables = range.tables.map((ddl) => `${ddl}\nCOMMIT;\n`).join('');
      const first = joint(range, 0, lease, bindNamed);
      const then = first ? `take the lock and record ${range.steps[0]!.name} 'applying'` : 'take the lock';
      const guard = `\n-- ===== guard: the history must be at ${range.fromState} and the lock free; then ${then} =====\n${range.guard}\n${first ? `${first}\n` : ''}COMMIT;\n`;
      yield `${bindings.join('\n')}\n${tables}${guard}`;
      for (let i = 0; i < range.steps.length; i++) {
        const { direction, name, text } = range.steps[i]!;
        // The name says the file (NAME.up.yql in the manifest's folder, as the header says): one short line a reviewer skips to.
        yield `\n-- ===== ${direction} ${name}\n${renderMigrationBody(text, joint(range, i + 1, lease, bindNamed))}\n`;
      }
      if (range.steps.length === 0) yield `\n-- ===== nothing to run: release the lock =====\n${lease.check}\n${lease.release}\nCOMMIT;\n`;
    },
  };
}

/** The whole script as one string: what the library's callers get. */
export function renderOfflineScript(req: OfflineRequest): OfflineScript {
  const script = offlineScriptChunks(req);
  return { text: [...script.chunks()].join(''), steps: script.steps };
}

const UTF8 = parseType('Utf8');

/** What the script says of itself before its first statement: the range, its migrations by name, how to run it, what it guards, how to tell its bookkeeping. */
function headerText(h: HeaderFields, scriptFile: string): string {
  const migrations =
    h.steps.length === 0
      ? ['-- Nothing to run: the range is empty. Only the history table is created.']
      : [
          `-- Migrations, in the order this script runs them (${h.steps.length}). Each one's section below starts with one line`,
          `-- \`-- ===== ${h.direction} NAME\`, then holds NAME.${h.direction}.yql (in the manifest's folder) as written${h.direction === 'up' ? '; its history row' : ':'}`,
          ...(h.direction === 'up' ? ["-- records the file's sha256:"] : []),
          ...h.steps.map((s) => `--   ${s.direction} ${s.name}`),
        ];
  return [
    // `sql -o` knows its own earlier output by this line (offline/output.ts).
    `-- ydb-migrate ${h.version}: offline migration script`,
    `-- Direction:   ${h.direction}, from ${h.fromState} to ${h.toState}`,
    `-- Manifest:    ${h.manifest}`,
    `-- History:     ${h.table}`,
    ...(h.generatedAt ? [`-- Generated:   ${h.generatedAt}`] : []),
    '--',
    ...migrations,
    '--',
    '-- Needs YDB 24.1 or newer (CREATE TABLE IF NOT EXISTS, for the history and lock tables).',
    '-- Run it with the Scripting service, which runs the COMMIT-separated parts one after another:',
    `--   ydb -e ${h.endpoint} -d ${h.database} scripting yql -f ${scriptFile}`,
    '-- The `ydb` CLI marks `scripting yql` deprecated in favour of `ydb sql`, but `ydb sql -f` sends a',
    '-- file as ONE query and refuses COMMIT inside it, so `scripting yql` is the command for this file.',
    '-- With `ydb sql` instead: `ydb-migrate sql --format parts -o DIR` writes one query per file and a',
    '-- run.sh that runs them in order with `ydb sql -f` (it can also carry PRAGMAs and BATCH statements).',
    '-- Each DDL statement is a part of its own: YDB checks a part whole against the schema as it stood',
    '-- when the part began, so a statement that depends on an earlier one (ALTER after CREATE) needs a COMMIT',
    '-- between them.',
    '--',
    '-- Guarded: after ensuring the history and lock tables, the script checks (Ensure) that the history',
    `-- is exactly at ${h.fromState} and that no other run holds the migration lock; otherwise it stops`,
    `-- before changing anything and says what it found. Then it holds the lock (lease ${h.leaseHours} h,`,
    '-- renewed between two migrations) until its last write releases it.',
    `-- Bookkeeping: every statement on ${h.table} or ${lockTableName(h.table)} is this tool's, and it`,
    "-- comes after the migration's own statements: the lines from `SELECT Ensure(0, ...) AS lock_held` to the",
    "-- section's last COMMIT (the lease check, the migration's 'applied' write, the next one's 'applying' row,",
    '-- the lease renewal). The rest of a section is the migration as written, with COMMIT; after every DDL',
    '-- statement and every run of DML.',
    '-- DDL is not transactional in YDB: if a part fails, the parts before it stay applied. A migration of',
    "-- several parts is recorded 'applying' before its first part, so `ydb-migrate status` then shows it",
    '-- unfinished: `ydb-migrate up --resume` finishes it online (the file unchanged; it checks the schema for what',
    '-- ran), or check what it changed and settle it with `ydb-migrate resolve NAME --applied` (or --reverted).',
    '-- A script that dies leaves its lease until it expires; `ydb-migrate unlock --force` frees it at once.',
    '',
  ].join('\n');
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


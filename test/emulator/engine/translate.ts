/**
 * What YQL's SQL translator settles for a whole text before any of it runs
 * (a Query-service query, or a whole Scripting script, which is one program):
 * - `PRAGMA TablePathPrefix` as released servers apply it (the feature flags
 *   EnableSequentialTablePathPrefix and EnableTablePathPrefixRelativePaths
 *   off; ydb/core/kqp/ut/query/kqp_table_path_prefix_scope_ut.cpp and
 *   kqp_table_path_prefix_relative_ut.cpp): the LAST prefix of the text names
 *   every relative table of the text, statements before it included, and a
 *   relative prefix starts at the cluster root (absolute names are left alone);
 * - system views (`.sys`) are refused as not supported;
 * - every `$name` defined before its use, by a named expression, a DECLARE or
 *   (from YDB 25.1) a parameter sent with the request; otherwise
 *   `Unknown name: $x` (yql/essentials/sql/v1), and nothing runs;
 * - the `IF [NOT] EXISTS` guards exist only from YDB 24.1.
 */
import { subexpressions, type Expr, type Statement, type TableRef } from './ast.js';
import { syntaxError, typeError, unsupported, type Position } from './errors.js';
import type { PathResolver } from './paths.js';
import type { YdbProfile } from './profile.js';

export interface TranslateOptions {
  /** Names of the parameters sent with the request, without `$`. */
  params: Iterable<string>;
  paths: PathResolver;
  profile: YdbProfile;
}

/** Absolute path of every table name in the text; throws EngineError. */
export function translate(statements: Statement[], options: TranslateOptions): Map<TableRef, string> {
  const known = new Set(options.profile.implicitParameters ? options.params : []);
  const resolved = new Map<TableRef, string>();
  const prefix = lastTablePathPrefix(statements);
  const table = (ref: TableRef): void => {
    const path = options.paths.resolve(ref.path, prefix);
    if (path.split('/').includes('.sys')) throw unsupported(ref.pos, 'Reading a system view (.sys)');
    resolved.set(ref, path);
  };
  const names = (...exprs: (Expr | undefined)[]): void => {
    for (const expr of exprs) if (expr) ensureKnown(expr, known);
  };
  for (const s of statements) {
    switch (s.kind) {
      case 'pragma':
        break;
      case 'declare':
        if (s.name === '_') throw syntaxError(s.pos, 'Can not use anonymous name $_ in DECLARE statement');
        known.add(s.name);
        break;
      case 'namedExpr':
        names(s.value);
        known.add(s.name);
        break;
      case 'createTable':
        refuseGuard(s.ifNotExists, options.profile);
        names(...s.columns.map((c) => c.defaultValue));
        table(s.table);
        break;
      case 'alterTable':
        table(s.table);
        for (const a of s.actions) {
          if (a.kind === 'renameTo') table(a.target);
          if (a.kind === 'addColumn') names(a.column.defaultValue);
        }
        break;
      case 'dropTable':
        refuseGuard(s.ifExists, options.profile);
        table(s.table);
        break;
      case 'write':
        names(...s.rows.flat());
        table(s.table);
        break;
      case 'update':
        names(...s.assignments.map((a) => a.value), s.where);
        table(s.table);
        break;
      case 'delete':
        names(s.where);
        table(s.table);
        break;
      case 'select':
        names(...(s.items === 'star' ? [] : s.items.map((i) => i.expr)), s.where, ...s.orderBy.map((o) => o.expr), s.limit, s.offset);
        if (s.from) table(s.from);
        break;
      case 'commit':
        break;
    }
  }
  return resolved;
}

/** The prefix of the text's last `PRAGMA TablePathPrefix`; other PRAGMAs are refused. */
function lastTablePathPrefix(statements: Statement[]): string | undefined {
  let prefix: string | undefined;
  for (const s of statements) if (s.kind === 'pragma') prefix = tablePathPrefix(s.name, s.args, s.pos);
  return prefix;
}

function tablePathPrefix(name: string, args: string[], pos: Position): string {
  if (name.toLowerCase() !== 'tablepathprefix') throw unsupported(pos, `PRAGMA ${name}`);
  if (args.length !== 1) throw typeError(pos, 'Expected exactly one argument for PRAGMA TablePathPrefix');
  return args[0]!;
}

/** Servers before 24.1 do not know the guards (exact pre-24.1 wording unsettled, see SUBSET.md). */
function refuseGuard(guard: Position | undefined, profile: YdbProfile): void {
  if (guard && !profile.tableExistenceGuards) {
    throw syntaxError(guard, "Unexpected token 'IF' : cannot match to any predicted input...");
  }
}

export function unknownName(pos: Position, name: string): Error {
  return syntaxError(pos, `Unknown name: $${name}`);
}

function ensureKnown(expr: Expr, known: ReadonlySet<string>): void {
  if (expr.kind === 'param') {
    // yql/essentials/sql/v1/sql_ut.cpp ReferenceAnonymousVariableIsForbidden
    if (expr.name === '_') throw syntaxError(expr.pos, 'Unable to reference anonymous name $_');
    if (!known.has(expr.name)) throw unknownName(expr.pos, expr.name);
  }
  for (const e of subexpressions(expr)) ensureKnown(e, known);
}

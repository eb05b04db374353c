/**
 * What YQL's SQL translator settles for a whole text before any of it runs
 * (a Query-service query, or a whole Scripting script, which is one program):
 * - PRAGMAs, in order: `TablePathPrefix` applies to the table names written
 *   after it, to the end of the text (docs: yql/reference/syntax/pragma.md,
 *   "Scope" and "TablePathPrefix"), across COMMIT parts of a script;
 * - every table name resolved to an absolute path under the prefix in force
 *   where it is written (absolute names are left alone);
 * - every `$name` defined before its use, by a named expression, a DECLARE or
 *   (from YDB 25.1) a parameter sent with the request; otherwise
 *   `Unknown name: $x` (yql/essentials/sql/v1), and nothing runs;
 * - the `IF [NOT] EXISTS` guards exist only from YDB 24.1.
 */
import type { Expr, Statement, TableRef } from './ast.js';
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
  let prefix: string | undefined;
  const table = (ref: TableRef): void => {
    resolved.set(ref, options.paths.resolve(ref.path, prefix));
  };
  const names = (...exprs: (Expr | undefined)[]): void => {
    for (const expr of exprs) if (expr) ensureKnown(expr, known);
  };
  for (const s of statements) {
    switch (s.kind) {
      case 'pragma':
        prefix = tablePathPrefix(s.name, s.args, s.pos);
        break;
      case 'declare':
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
  switch (expr.kind) {
    case 'param':
      if (!known.has(expr.name)) throw unknownName(expr.pos, expr.name);
      return;
    case 'unary':
    case 'isNull':
    case 'cast':
      return ensureKnown(expr.operand, known);
    case 'binary':
      ensureKnown(expr.left, known);
      return ensureKnown(expr.right, known);
    case 'in':
      ensureKnown(expr.operand, known);
      return expr.list.forEach((e) => ensureKnown(e, known));
    case 'between':
      [expr.operand, expr.low, expr.high].forEach((e) => ensureKnown(e, known));
      return;
    case 'call':
      return expr.args.forEach((e) => ensureKnown(e, known));
    default:
      return;
  }
}

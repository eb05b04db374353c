/**
 * Statements → blocks. YDB runs DDL and DML in separate requests (a query
 * that mixes them fails with issue 2009), so a migration file is cut into
 * blocks: runs of consecutive statements of one kind, each sent as one
 * request. `COMMIT;` ends a block early, as it does in the Scripting service.
 */
import { MigrateError, type SourceLocation } from '../errors.js';
import { tokenize, type Token } from './lexer.js';

export type StatementRole = 'ddl' | 'dml' | 'pragma' | 'declare' | 'expr' | 'commit';

export interface Declaration {
  /** Without the `$`. */
  name: string;
  /** As written, e.g. 'Utf8', 'Optional<Int32>', 'Decimal(22,9)'. */
  typeText: string;
  /** Where its DECLARE starts, 1-based. */
  line: number;
  column: number;
}

export interface Statement {
  role: StatementRole;
  /** `source.slice(start, end)`, including the trailing ';' when present. */
  text: string;
  start: number;
  end: number;
  /** Position of its first token, 1-based. */
  line: number;
  column: number;
  /** First word upper-cased (e.g. 'CREATE', 'UPSERT', 'DECLARE'); '' for `$x = ...` and `(SELECT ...)`. */
  keyword: string;
  /** For role 'declare'. */
  declaration?: Declaration;
  /** `$names` the statement reads (not the one a DECLARE or `$x = ...` defines), without `$`, unique, in order. */
  params: string[];
}

export interface Block {
  kind: 'ddl' | 'dml';
  /** Including the PRAGMA/DECLARE/`$x = ...` statements that precede and belong to it. */
  statements: Statement[];
  /** From the first statement's start to the last statement's end. */
  start: number;
  end: number;
  line: number;
  column: number;
  /**
   * `source.slice(start, end)`. Contiguous, so that a YDB error position
   * (row, col) inside it maps back to the file:
   * line = block.line + row - 1; col = row === 1 ? block.column + col - 1 : col.
   */
  text: string;
  /** `$names` the block reads that the file DECLAREs (anywhere), unique, in order. */
  params: string[];
}

const ROLE_BY_KEYWORD: Readonly<Record<string, StatementRole>> = {
  CREATE: 'ddl',
  ALTER: 'ddl',
  DROP: 'ddl',
  GRANT: 'ddl',
  REVOKE: 'ddl',
  ANALYZE: 'ddl',
  TRUNCATE: 'ddl',
  BACKUP: 'ddl',
  RESTORE: 'ddl',
  UPSERT: 'dml', // but UPSERT OBJECT is DDL, see roleOf
  INSERT: 'dml',
  REPLACE: 'dml',
  UPDATE: 'dml',
  DELETE: 'dml',
  SELECT: 'dml',
  VALUES: 'dml',
  DISCARD: 'dml',
  PROCESS: 'dml',
  REDUCE: 'dml',
  FROM: 'dml', // FROM t SELECT ...
  WITH: 'dml', // WITH ... SELECT ...
  PRAGMA: 'pragma',
  DECLARE: 'declare',
  COMMIT: 'commit',
};

const SUPPORTED =
  'supported are CREATE, ALTER, DROP, GRANT, REVOKE, ANALYZE, TRUNCATE, BACKUP, RESTORE, UPSERT OBJECT (DDL); ' +
  'UPSERT, INSERT, REPLACE, UPDATE, DELETE, SELECT, VALUES, DISCARD, PROCESS, REDUCE, FROM ... SELECT, WITH ... SELECT, (SELECT ...) (DML); ' +
  'PRAGMA, DECLARE, $name = ... (attached to the next DDL/DML statement); COMMIT (ends a block)';

const NESTED_STATEMENTS = 'it holds statements of its own, which ydb-migrate cannot cut into DDL and DML blocks; write them out';
/** Why a statement YDB knows is refused, where a plain "unknown" would mislead. */
const UNSUPPORTED_BECAUSE: Readonly<Record<string, string>> = {
  BATCH: 'BATCH UPDATE/DELETE must run alone outside a transaction, and ydb-migrate runs each DML block as one transaction; use UPDATE/DELETE',
  ROLLBACK: 'ydb-migrate controls transactions itself',
  DEFINE: NESTED_STATEMENTS,
  DO: NESTED_STATEMENTS,
  EVALUATE: NESTED_STATEMENTS,
  IF: NESTED_STATEMENTS,
  FOR: NESTED_STATEMENTS,
  PARALLEL: NESTED_STATEMENTS,
};

/**
 * The statements of a YQL file, in order: cut at `;` outside strings,
 * comments, quoted names and lambda bodies (`{ ...; RETURN ... }`), empty
 * ones skipped, each classified by its first word.
 *
 * @example splitStatements('CREATE TABLE t (id Int32, PRIMARY KEY (id));\nUPSERT INTO t (id) VALUES (1)', 'a.yql')
 *   .map((s) => [s.role, s.line]) // [['ddl', 1], ['dml', 2]]
 */
export function splitStatements(text: string, file: string): Statement[] {
  const statements: Statement[] = [];
  let significant: Token[] = [];
  let braceDepth = 0;
  const flush = (end: number) => {
    if (significant.length > 0) statements.push(toStatement(text, file, significant, end));
    significant = [];
  };
  for (const token of tokenize(text, file)) {
    if (token.kind === 'ws' || token.kind === 'comment') continue;
    if (token.kind === 'punct') {
      if (token.text === ';' && braceDepth === 0) {
        flush(token.end);
        continue;
      }
      if (token.text === '{') braceDepth++;
      if (token.text === '}') braceDepth = Math.max(0, braceDepth - 1);
    }
    significant.push(token);
  }
  flush(significant[significant.length - 1]?.end ?? text.length);
  return statements;
}

function toStatement(source: string, file: string, tokens: Token[], end: number): Statement {
  const first = tokens[0]!;
  const role = roleOf(tokens, file);
  const statement: Statement = {
    role,
    text: source.slice(first.start, end),
    start: first.start,
    end,
    line: first.line,
    column: first.column,
    keyword: first.kind === 'word' ? first.text.toUpperCase() : '',
    params: paramsRead(tokens, role),
  };
  if (role === 'declare') statement.declaration = parseDeclare(source, file, tokens);
  return statement;
}

function roleOf(tokens: Token[], file: string): StatementRole {
  const [first, second] = tokens as [Token, Token | undefined];
  if (first.kind === 'param') return 'expr';
  if (first.kind === 'punct' && first.text === '(') return 'dml';
  const keyword = first.kind === 'word' ? first.text.toUpperCase() : '';
  if (keyword === 'UPSERT' && second?.kind === 'word' && second.text.toUpperCase() === 'OBJECT') return 'ddl';
  const role = ROLE_BY_KEYWORD[keyword];
  if (role) return role;
  const because = UNSUPPORTED_BECAUSE[keyword];
  // Escaped beyond printable ASCII, so that an invisible character (a byte-order mark, say) shows.
  const shown = JSON.stringify(first.text.length > 40 ? `${first.text.slice(0, 37)}...` : first.text).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  throw new MigrateError(
    'YQL_UNKNOWN_STATEMENT',
    `a statement starting with ${shown} is not one ydb-migrate can run${because ? ` (${because})` : ''}; ${SUPPORTED}`,
    { location: locationOf(file, first) },
  );
}

/** Every `$name` read, skipping the targets of `$a, $b = ...` and the name a DECLARE defines. */
function paramsRead(tokens: Token[], role: StatementRole): string[] {
  if (role === 'declare') return [];
  const firstRead = role === 'expr' ? tokens.findIndex((t) => t.kind === 'punct' && t.text === '=') + 1 : 0;
  const names = tokens.slice(firstRead).filter((t) => t.kind === 'param').map((t) => t.text.slice(1));
  return [...new Set(names)];
}

/** `DECLARE $name AS Type` — the type kept as written, for `parseType` to judge. */
function parseDeclare(source: string, file: string, tokens: Token[]): Declaration {
  const [declare, param, as, ...typeTokens] = tokens as [Token, ...(Token | undefined)[]];
  const fail = (why: string, at: Token | undefined) =>
    new MigrateError('YQL_BAD_DECLARE', `malformed DECLARE: ${why}; write DECLARE $name AS Type;`, { location: locationOf(file, at ?? declare) });
  if (param?.kind !== 'param') throw fail('expected a $name after DECLARE', param);
  if (as?.kind !== 'word' || as.text.toUpperCase() !== 'AS') throw fail(`expected AS after ${param.text}`, as);
  const [firstType] = typeTokens;
  const lastType = typeTokens[typeTokens.length - 1];
  if (!firstType || !lastType) throw fail('expected a type after AS', as);
  const defaultValue = typeTokens.find((t) => t?.kind === 'punct' && t.text === '=');
  if (defaultValue) {
    throw new MigrateError('YQL_BAD_DECLARE', `DECLARE ${param.text} has a default value, which ydb-migrate does not support; remove "= ..." and pass the value with --param`, {
      location: locationOf(file, defaultValue),
    });
  }
  return { name: param.text.slice(1), typeText: source.slice(firstType.start, lastType.end), line: declare.line, column: declare.column };
}

function locationOf(file: string, token: Token): SourceLocation {
  return { file, line: token.line, column: token.column };
}

/**
 * The file's statements cut into DDL and DML blocks. PRAGMA, DECLARE and
 * `$x = ...` join the block of the next DDL/DML statement; those with none
 * after them join the last block. `COMMIT;` closes the current block: it is
 * in no block, and the preludes before it join the block it closes (or none,
 * when no block is open), so that every block's text stays free of COMMIT.
 */
export function toBlocks(text: string, file: string): { statements: Statement[]; blocks: Block[]; declarations: Declaration[] } {
  const statements = splitStatements(text, file);
  const declarations = uniqueDeclarations(statements, file);
  const declared = new Set(declarations.map((d) => d.name));
  const groups: Group[] = [];
  let open = null as Group | null;
  let prelude: Statement[] = [];
  for (const statement of statements) {
    const role = statement.role;
    if (role === 'ddl' || role === 'dml') {
      if (open?.kind === role) open.statements.push(...prelude, statement);
      else groups.push((open = { kind: role, statements: [...prelude, statement] }));
      prelude = [];
    } else if (role === 'commit') {
      open?.statements.push(...prelude);
      prelude = [];
      open = null;
    } else {
      prelude.push(statement);
    }
  }
  open?.statements.push(...prelude);
  const blocks = groups.map((group) => toBlock(text, group.kind, group.statements, declared));
  return { statements, blocks, declarations };
}

interface Group {
  kind: 'ddl' | 'dml';
  statements: Statement[];
}

function toBlock(source: string, kind: 'ddl' | 'dml', statements: Statement[], declared: Set<string>): Block {
  const first = statements[0]!;
  const last = statements[statements.length - 1]!;
  const params = [...new Set(statements.flatMap((s) => s.params))].filter((name) => declared.has(name));
  return { kind, statements, start: first.start, end: last.end, line: first.line, column: first.column, text: source.slice(first.start, last.end), params };
}

function uniqueDeclarations(statements: Statement[], file: string): Declaration[] {
  const byName = new Map<string, Declaration>();
  for (const { declaration } of statements) {
    if (!declaration) continue;
    const earlier = byName.get(declaration.name);
    if (earlier) {
      throw new MigrateError(
        'YQL_DUPLICATE_DECLARE',
        `$${declaration.name} is declared twice (first at line ${earlier.line}); keep one DECLARE`,
        { location: { file, line: declaration.line, column: declaration.column } },
      );
    }
    byName.set(declaration.name, declaration);
  }
  return [...byName.values()];
}

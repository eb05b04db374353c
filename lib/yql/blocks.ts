/**
 * Statements → blocks, each sent as one request. YDB compiles a request
 * whole against the schema as it stood when the request started, and runs
 * DDL and DML in separate requests (issue 2009), so a migration file is cut
 * into blocks: each DDL statement alone, each BATCH UPDATE/DELETE alone, and
 * runs of consecutive DML statements together (one transaction). `COMMIT;`
 * ends a DML run early, as it does in the Scripting service.
 *
 * A file's PRAGMAs, DECLAREs and named expressions (`$x = ...;`) apply to
 * every later statement of the file, whatever block it lands in: each block
 * carries every PRAGMA before it and the named expressions it reads
 * (transitively), copied from the file as written, so that YDB positions in
 * the request still map back to the file (see `blockPosition`). DECLAREs are
 * not copied: the request declares the parameters the block reads.
 */
import { MigrateError, type SourceLocation } from '../errors.js';
import { tokenize, type Token } from './lexer.js';
import { ContextFinder } from './block-context.js';
import { isWordAt, NONE, StatementScanner } from './scan.js';
import type { Block, Declaration, Statement, StatementRole, TextPiece } from './statement.js';

export type { Block, Declaration, Statement, StatementRole, TextPiece } from './statement.js';

/** ydb-migrate binds its own parameters under this prefix; a migration may not define such names. */
export const RESERVED_NAME_PREFIX = 'ydb_migrate_';

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
  'BATCH UPDATE, BATCH DELETE; PRAGMA, DECLARE, $name = ... (they apply to the rest of the file); COMMIT (ends a DML block)';

const NESTED_STATEMENTS = 'its statements run as one unit that ydb-migrate cannot send as separate DDL and DML requests; write the statements out in the migration';
/** Why a statement YDB knows is refused, and what to do instead, where a plain "unknown" would mislead. */
const UNSUPPORTED_BECAUSE: Readonly<Record<string, string>> = {
  ROLLBACK: 'ydb-migrate controls transactions itself; remove it',
  USE: 'a YDB query always runs in the database it is sent to, so USE picks nothing; remove it, and write PRAGMA TablePathPrefix or full paths to reach a folder',
  SHOW: 'SHOW CREATE only prints a definition and changes nothing; run it by hand (`ydb sql -s`), not in a migration',
  IMPORT: 'IMPORT loads named expressions from a YQL library file, which ydb-migrate does not send with a migration; define them in the migration itself',
  EXPORT: 'EXPORT publishes named expressions of a YQL library file, and a migration is not one; remove it',
  DEFINE: `DEFINE ACTION/SUBQUERY defines statements to run later with DO or EVALUATE: ${NESTED_STATEMENTS}`,
  DO: `DO runs an action or a BEGIN ... END DO block: ${NESTED_STATEMENTS}`,
  EVALUATE: `EVALUATE IF/FOR runs actions chosen while the query compiles: ${NESTED_STATEMENTS}`,
  IF: NESTED_STATEMENTS,
  FOR: NESTED_STATEMENTS,
  PARALLEL: NESTED_STATEMENTS,
};

/**
 * The statements of a YQL file, in order: cut at `;` outside strings,
 * comments, quoted names, lambda bodies (`{ ...; RETURN ... }`),
 * `DO BEGIN ... END DO` and `DEFINE ACTION/SUBQUERY ... END DEFINE`; empty
 * ones skipped, each classified by its first word.
 *
 * @example splitStatements('CREATE TABLE t (id Int32, PRIMARY KEY (id));\nUPSERT INTO t (id) VALUES (1)', 'a.yql')
 *   .map((s) => [s.role, s.line]) // [['ddl', 1], ['dml', 2]]
 */
export function splitStatements(text: string, file: string): Statement[] {
  const statements: Statement[] = [];
  const scanner = new StatementScanner(text, file);
  // A statement's error waits until the whole file is lexed, so that a lexing error anywhere is the one reported (as when the file was lexed first).
  let refused: unknown = null;
  while (scanner.next()) {
    if (refused !== null) continue;
    try {
      statements.push(toStatement(scanner, file));
    } catch (err) {
      refused = err;
    }
  }
  if (refused !== null) throw refused;
  return fitted(statements);
}

function toStatement(scanned: StatementScanner, file: string): Statement {
  const { start, end, line, column } = scanned;
  const keyword = scanned.firstKind === 'word' ? keywordOf(scanned.text, start, scanned.firstEnd) : '';
  const role = roleOf(scanned, keyword, file);
  const statement = new FileStatement(scanned.text, role, start, end, line, column, keyword, role === 'declare' ? NONE : scanned.reads, scanned.defines, role === 'ddl' && scanned.createTableAs);
  if (role === 'declare') statement.declaration = parseDeclare(scanned.text, file, scanned.declareTokens!);
  // A DECLAREd name too: `up --param ydb_migrate_1=x` would otherwise meet the history values the runner binds under that name.
  const declared = statement.declaration ? [statement.declaration] : [];
  for (const { name, at } of [...statement.defines.map((name) => ({ name, at: { line, column } })), ...declared.map((d) => ({ name: d.name, at: d }))]) {
    if (name.startsWith(RESERVED_NAME_PREFIX)) {
      throw new MigrateError('YQL_RESERVED_NAME', `$${name} is a name ydb-migrate gives its own parameters; rename it so it does not start with $${RESERVED_NAME_PREFIX}`, {
        location: { file, line: at.line, column: at.column },
      });
    }
  }
  return statement;
}

/** A Statement that slices its text from the file when asked, so that a file of 350,000 statements keeps no string for each. */
class FileStatement implements Statement {
  readonly #source: string;
  declare declaration?: Declaration;

  constructor(
    source: string,
    public role: StatementRole,
    public start: number,
    public end: number,
    public line: number,
    public column: number,
    public keyword: string,
    public params: string[],
    public defines: string[],
    public createsFromSelect: boolean,
  ) {
    this.#source = source;
  }

  get text(): string {
    return this.#source.slice(this.start, this.end);
  }
}

/** The word `text[start, end)` upper-cased; one string for all statements of a known keyword, as a big file repeats a few thousandfold. */
function keywordOf(text: string, start: number, end: number): string {
  for (const keyword of KEYWORDS_BY_LENGTH[end - start] ?? NONE) if (isWordAt(text, start, end, keyword)) return keyword;
  return text.slice(start, end).toUpperCase();
}

/** The keywords blocks.ts knows, by length. */
const KEYWORDS_BY_LENGTH: string[][] = [];
for (const keyword of [...Object.keys(ROLE_BY_KEYWORD), 'BATCH']) (KEYWORDS_BY_LENGTH[keyword.length] ??= []).push(keyword);

function roleOf(first: StatementScanner, keyword: string, file: string): StatementRole {
  if (first.firstKind === 'param') return 'expr';
  if (first.firstKind === 'punct' && first.firstEnd === first.start + 1 && first.text.charCodeAt(first.start) === 0x28 /* ( */) return 'dml';
  if (keyword === 'UPSERT' && secondWordIs(first, 'OBJECT')) return 'ddl';
  if (keyword === 'BATCH' && (secondWordIs(first, 'UPDATE') || secondWordIs(first, 'DELETE'))) return 'batch';
  const role = ROLE_BY_KEYWORD[keyword];
  if (role) return role;
  const because = UNSUPPORTED_BECAUSE[keyword];
  const text = first.firstText();
  // Escaped beyond printable ASCII, so that an invisible character (a byte-order mark, say) shows.
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  throw new MigrateError(
    'YQL_UNKNOWN_STATEMENT',
    because ? `a statement starting with ${shown} cannot run in a migration: ${because}` : `a statement starting with ${shown} is not one ydb-migrate can run; ${SUPPORTED}`,
    { location: { file, line: first.line, column: first.column } },
  );
}

function secondWordIs(scanned: StatementScanner, word: string): boolean {
  return isWordAt(scanned.text, scanned.secondStart, scanned.secondEnd, word);
}

/** `DECLARE $name AS Type` — the type kept as written (comments left out), for `parseType` to judge. */
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
  const typeText = tokenize(source.slice(firstType.start, lastType.end), file)
    .filter((t) => t.kind !== 'comment')
    .map((t) => t.text)
    .join('');
  return { name: param.text.slice(1), typeText, line: declare.line, column: declare.column };
}

function locationOf(file: string, token: Token): SourceLocation {
  return { file, line: token.line, column: token.column };
}

/**
 * The file's statements cut into blocks: each DDL and BATCH statement
 * alone, runs of DML statements together (a COMMIT, DDL or BATCH statement
 * ends a run). PRAGMA, DECLARE and `$x = ...` between two DML statements of
 * a run stay in its text; every block also carries the context it needs from
 * earlier in the file (see the module comment).
 */
export function toBlocks(text: string, file: string): { statements: Statement[]; blocks: Block[]; declarations: Declaration[] } {
  const statements = splitStatements(text, file);
  const declarations = uniqueDeclarations(statements, file);
  const declared = declarations.length === 0 ? NO_NAMES : new Set(declarations.map((d) => d.name));
  const context = ContextFinder.of(statements);
  const blocks: Block[] = [];
  /** The DML run open at the current statement: its first and last DML statements; -1 when none is open. */
  let runFirst = -1;
  let runLast = -1;
  for (let index = 0; index < statements.length; index++) {
    const { role } = statements[index]!;
    if (role === 'dml') {
      if (runFirst === -1) runFirst = index;
      runLast = index;
    } else if (role === 'ddl' || role === 'batch' || role === 'commit') {
      if (runFirst !== -1) blocks.push(toBlock(text, statements, runFirst, runLast, context, declared));
      runFirst = -1;
      if (role !== 'commit') blocks.push(toBlock(text, statements, index, index, context, declared));
    }
  }
  if (runFirst !== -1) blocks.push(toBlock(text, statements, runFirst, runLast, context, declared));
  return { statements, blocks: fitted(blocks), declarations };
}

/**
 * `list` without the spare room `push` leaves (the first push makes room for
 * 17): a file's lists live as long as its migration set, and in a directory
 * of thousands of small files that room would be a quarter of the heap.
 */
function fitted<T>(list: T[]): T[] {
  return list.slice();
}

const NO_NAMES: ReadonlySet<string> = new Set();

function toBlock(source: string, all: Statement[], firstIndex: number, lastIndex: number, finder: ContextFinder | null, declared: ReadonlySet<string>): Block {
  const context = finder?.of(firstIndex, lastIndex) ?? NONE;
  const first = all[firstIndex]!;
  // A block of all the file's statements (a one-statement file, say) shares the file's list.
  const own = firstIndex === 0 && lastIndex === all.length - 1 ? all : firstIndex === lastIndex ? [first] : all.slice(firstIndex, lastIndex + 1);
  const last = all[lastIndex]!;
  const joined = context.length === 0 ? null : [...context.map((s) => s.text), source.slice(first.start, last.end)].join('\n');
  const kind = first.role === 'dml' ? 'dml' : first.role === 'batch' ? 'batch' : 'ddl';
  return new StatementBlock(source, joined, kind, own, context, first.start, last.end, first.line, first.column, blockParams(context, own, declared));
}

/**
 * A Block that slices its text from the file when asked (unless it carries
 * context), and works out its pieces when asked (only to place a YDB error),
 * so that thousands of blocks keep neither.
 */
class StatementBlock implements Block {
  readonly #source: string;
  /** The request text of a block that carries context; null when the text is its own statements as written. */
  readonly #joined: string | null;

  constructor(
    source: string,
    joined: string | null,
    public kind: Block['kind'],
    public statements: Statement[],
    public context: Statement[],
    public start: number,
    public end: number,
    public line: number,
    public column: number,
    public params: string[],
  ) {
    this.#source = source;
    this.#joined = joined;
  }

  get text(): string {
    return this.#joined ?? this.#source.slice(this.start, this.end);
  }

  get pieces(): TextPiece[] {
    let row = 1;
    const pieces: TextPiece[] = [];
    for (const piece of this.context) {
      pieces.push({ row, line: piece.line, column: piece.column });
      row += lineCount(piece.text);
    }
    pieces.push({ row, line: this.line, column: this.column });
    return pieces;
  }
}

/** The declared names that `context` and `own` read, unique, in order. */
function blockParams(context: Statement[], own: Statement[], declared: ReadonlySet<string>): string[] {
  if (declared.size === 0) return NONE;
  const params = new Set<string>();
  for (const statements of [context, own]) for (const { params: read } of statements) for (const name of read) if (declared.has(name)) params.add(name);
  return params.size === 0 ? NONE : [...params];
}

/** Rows of `text`: one more than its line breaks. */
function lineCount(text: string): number {
  let rows = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) rows++;
  return rows;
}

/**
 * A YDB position (1-based row and column) inside `block.text` → the file's
 * line and column; null when it falls outside the text. The column must
 * already count in the file's units (UTF-16), see lib/ydb/execute.ts.
 */
export function blockPosition(block: Block, row: number, column: number): { line: number; column: number } | null {
  if (row < 1 || row > lineCount(block.text)) return null;
  const piece = [...block.pieces].reverse().find((p) => p.row <= row)!;
  return { line: piece.line + row - piece.row, column: row === piece.row ? piece.column + column - 1 : column };
}

function uniqueDeclarations(statements: Statement[], file: string): Declaration[] {
  let byName: Map<string, Declaration> | null = null;
  for (const { declaration } of statements) {
    if (!declaration) continue;
    byName ??= new Map();
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
  return byName === null ? NONE : [...byName.values()];
}

/**
 * The statement scanner: one pass over a YQL file's tokens (read through the
 * lexer's TokenCursor, so both agree on every token) that finds where each
 * statement starts and ends and what blocks.ts needs to classify it. It
 * builds no token object (but a DECLARE's own tokens, to parse its type) and
 * no object per statement: `next()` moves to the next statement and sets the
 * scanner's fields, as TokenCursor does for tokens, so a file of 350,000
 * statements costs only what its statements keep.
 *
 * Statements end at `;` outside strings, comments, quoted names, lambda
 * bodies (`{ ...; RETURN ... }`), `DO BEGIN ... END DO` and
 * `DEFINE ACTION/SUBQUERY ... END DEFINE`.
 */
import { MigrateError } from '../errors.js';
import { TokenCursor, type Token, type TokenKind } from './lexer.js';

/** The empty list every statement and block without names or context shares: frozen, so that no one fills it for all. */
export const NONE: never[] = Object.freeze([]) as never[];

/**
 * Walks the non-empty statements of `text`, in order. The lexer's errors
 * (YQL_UNTERMINATED, YQL_ANSI_LEXER, YQL_PG_SYNTAX) are thrown by the
 * constructor or `next()`.
 *
 * @example const scanner = new StatementScanner("$a = 1; SELECT $a, ';'", 'f.yql');
 *   while (scanner.next()) console.log(scanner.firstText(), scanner.reads); // '$a' [], 'SELECT' ['a']
 */
export class StatementScanner {
  /** The kind of the statement's first token, whitespace and comments aside. */
  firstKind: TokenKind = 'ws';
  /** Where its first token starts and ends. */
  start = 0;
  firstEnd = 0;
  /** 1-based position of its first token. */
  line = 1;
  column = 1;
  /** After its `;`, or after its last token when no `;` ends it. */
  end = 0;
  /** For a statement that starts with a `$name` (`$a, $b = ...`): the names before its first `=`, without `$`. */
  defines: string[] = NONE;
  /**
   * The `$names` it reads, without `$`, unique, in order: after the first `=`
   * when it starts with a `$name`; never a parameter of one of its lambdas (`($x) -> ...`).
   */
  reads: string[] = NONE;
  /** `CREATE ... TABLE ...` (TABLE among its first five tokens) with an `AS` outside parentheses. */
  createTableAs = false;
  /** Its tokens, whitespace and comments aside, only when it starts with DECLARE; null otherwise. */
  declareTokens: Token[] | null = null;

  /** Where its second token starts and ends when that is a word; -1 otherwise. */
  secondStart = -1;
  secondEnd = -1;

  private readonly cursor: TokenCursor;
  /** Every `$name` of the statement, in order, with repeats. */
  private names: string[] = NONE;
  /** For each open `(`, how many of `names` stood before it: `openParens[0, parens)`, the array reused from statement to statement. */
  private readonly openParens: number[] = [];
  private parens = 0;
  private lambdaNames: Set<string> | null = null;

  constructor(
    readonly text: string,
    private readonly file: string,
  ) {
    this.cursor = new TokenCursor(text, file);
  }

  /** The first token's text. */
  firstText(): string {
    return this.text.slice(this.start, this.firstEnd);
  }

  /** Moves to the next non-empty statement; false when there is none. */
  next(): boolean {
    const { cursor, text } = this;
    let count = 0;
    let braceDepth = 0;
    /** Where the outermost `{` still open starts. */
    let braceAt = -1;
    let bodyDepth = 0;
    let parenDepth = 0;
    let namesBeforeAssignment = -1;
    let lastIsName = false;
    /** When the previous token is `)`: how many of `names` stood before its `(`; -1 otherwise. */
    let closedParenNamesFrom = -1;
    /** The previous token when it is a word, for `bodyStep`; -1 otherwise. */
    let wordStart = -1;
    let wordEnd = -1;
    let tableInFirstFive = false;
    let asOutsideParens = false;
    this.reset();
    while (cursor.next()) {
      const { kind, start, end } = cursor;
      if (kind === 'ws' || kind === 'comment') continue;
      const single = kind === 'punct' && end === start + 1 ? text.charCodeAt(start) : 0;
      if (single === SEMICOLON && braceDepth === 0 && bodyDepth === 0) {
        if (count > 0) return this.close(end, lastIsName, namesBeforeAssignment, tableInFirstFive && asOutsideParens);
        continue;
      }
      if (single === OPEN_BRACE) {
        if (braceDepth++ === 0) braceAt = start;
      } else if (single === CLOSE_BRACE) braceDepth = Math.max(0, braceDepth - 1);
      count++;
      if (count === 1) this.open(kind, start, end);
      else {
        if (count === 2 && kind === 'word') {
          this.secondStart = start;
          this.secondEnd = end;
        }
        if (kind === 'word' && wordStart !== -1) bodyDepth = Math.max(0, bodyDepth + bodyStep(text, wordStart, wordEnd, start, end));
        this.declareTokens?.push(cursor.token());
      }
      this.end = end;
      const closedFrom = closedParenNamesFrom;
      closedParenNamesFrom = -1;
      lastIsName = kind === 'param';
      wordStart = kind === 'word' ? start : -1;
      wordEnd = end;
      if (kind === 'param') {
        if (this.names === NONE) this.names = [];
        this.names.push(text.slice(start + 1, end));
      } else if (kind === 'word') {
        if (count <= 5 && isWordAt(text, start, end, 'TABLE')) tableInFirstFive = true;
        if (parenDepth === 0 && isWordAt(text, start, end, 'AS')) asOutsideParens = true;
      } else if (single === OPEN_PAREN) {
        parenDepth++;
        this.openParens[this.parens++] = this.names.length;
      } else if (single === CLOSE_PAREN) {
        parenDepth--;
        // An unmatched `)` reaches back to the statement's start.
        closedParenNamesFrom = this.parens > 0 ? this.openParens[--this.parens]! : 0;
      } else if (single === EQUALS) {
        if (namesBeforeAssignment === -1) namesBeforeAssignment = this.names.length;
      } else if (end - start === 2 && kind === 'punct' && text.charCodeAt(start) === MINUS && text.charCodeAt(start + 1) === GREATER /* -> */) {
        if (closedFrom !== -1) this.addLambdaNames(closedFrom);
      }
    }
    if (braceDepth > 0) throw this.unclosedBrace(braceAt);
    return count > 0 && this.close(this.end, lastIsName, namesBeforeAssignment, tableInFirstFive && asOutsideParens);
  }

  /** A `{` never closed hides every `;` after it: the rest of the file would be one statement, and the statements in it would never run. */
  private unclosedBrace(at: number): MigrateError {
    this.cursor.locate(at);
    return new MigrateError('YQL_UNCLOSED_BRACE', "this '{' is never closed, so everything after it up to the end of the file is taken as one statement; close the lambda body with '}' (after its RETURN)", {
      location: { file: this.file, line: this.cursor.line, column: this.cursor.column },
    });
  }

  private reset(): void {
    this.names = NONE;
    this.parens = 0;
    this.lambdaNames = null;
    this.declareTokens = null;
    this.secondStart = -1;
    this.secondEnd = -1;
  }

  private open(kind: TokenKind, start: number, end: number): void {
    const { cursor } = this;
    cursor.locate(start);
    this.firstKind = kind;
    this.start = start;
    this.firstEnd = end;
    this.line = cursor.line;
    this.column = cursor.column;
    if (kind === 'word' && isWordAt(this.text, start, end, 'DECLARE')) this.declareTokens = [cursor.token()];
  }

  /** Sets what is known once the statement's last token is read; true. */
  private close(end: number, lastIsName: boolean, assignment: number, tableAs: boolean): true {
    const { names } = this;
    const startsWithName = this.firstKind === 'param';
    // With no `=`, every name but a last token's counts as defined (the reads then start at the first name).
    const defined = !startsWithName ? 0 : assignment !== -1 ? assignment : names.length - (lastIsName ? 1 : 0);
    this.end = end;
    this.defines = defined === 0 ? NONE : names.slice(0, defined);
    this.reads = this.readsFrom(startsWithName && assignment !== -1 ? assignment : 0);
    this.createTableAs = tableAs && isWordAt(this.text, this.start, this.firstEnd, 'CREATE');
    return true;
  }

  /** The names from `names[from]` on that no lambda of the statement binds, unique, in order. */
  private readsFrom(from: number): string[] {
    const { names, lambdaNames } = this;
    if (from >= names.length) return NONE;
    const reads = new Set<string>();
    for (let i = from; i < names.length; i++) {
      const name = names[i]!;
      if (!lambdaNames?.has(name)) reads.add(name);
    }
    return reads.size === 0 ? NONE : [...reads];
  }

  /** `($x, $y) -> ...`: the names between the `(` and `)` before the arrow are the lambda's own. */
  private addLambdaNames(from: number): void {
    this.lambdaNames ??= new Set();
    for (let i = from; i < this.names.length; i++) this.lambdaNames.add(this.names[i]!);
  }
}

const SEMICOLON = 0x3b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const EQUALS = 0x3d;
const MINUS = 0x2d;
const GREATER = 0x3e;

/**
 * Two words in a row: +1 where a body of statements opens (`DO BEGIN`,
 * `DEFINE ACTION`, `DEFINE SUBQUERY`), -1 where one closes (`END DO`, `END DEFINE`), 0 otherwise.
 */
function bodyStep(text: string, previousStart: number, previousEnd: number, start: number, end: number): number {
  switch (previousEnd - previousStart) {
    case 2:
      return isWordAt(text, previousStart, previousEnd, 'DO') && isWordAt(text, start, end, 'BEGIN') ? 1 : 0;
    case 3:
      return isWordAt(text, previousStart, previousEnd, 'END') && (isWordAt(text, start, end, 'DO') || isWordAt(text, start, end, 'DEFINE')) ? -1 : 0;
    case 6:
      return isWordAt(text, previousStart, previousEnd, 'DEFINE') && (isWordAt(text, start, end, 'ACTION') || isWordAt(text, start, end, 'SUBQUERY')) ? 1 : 0;
    default:
      return 0;
  }
}

/** Whether `text[start, end)`, a word, is `upper` in any case. */
export function isWordAt(text: string, start: number, end: number, upper: string): boolean {
  if (end - start !== upper.length) return false;
  for (let i = 0; i < upper.length; i++) {
    const c = text.charCodeAt(start + i);
    const u = upper.charCodeAt(i);
    if (c !== u && c !== u + 32) return false;
  }
  return true;
}

/**
 * The statement scanner: one pass over a YQL file's tokens (read through the
 * lexer's TokenCursor, so both agree on every token) that finds where each
 * statement starts and ends and what blocks.ts needs to classify it. It
 * keeps no token but each statement's first (and a DECLARE's own, to parse
 * its type), so a file of 350,000 statements costs a few objects each.
 *
 * Statements end at `;` outside strings, comments, quoted names, lambda
 * bodies (`{ ...; RETURN ... }`), `DO BEGIN ... END DO` and
 * `DEFINE ACTION/SUBQUERY ... END DEFINE`.
 */
import { TokenCursor, type Token } from './lexer.js';

/** The empty list every statement and block without names or context shares: frozen, so that no one fills it for all. */
export const NONE: never[] = Object.freeze([]) as never[];

export interface ScannedStatement {
  /** Its first token, whitespace and comments aside. */
  first: Token;
  /** The second token's text upper-cased when it is a word, else ''. */
  secondWord: string;
  /** After its `;`, or after its last token when no `;` ends it. */
  end: number;
  /** For a statement that starts with a `$name` (`$a, $b = ...`): the names before its first `=`, without `$`. */
  defines: string[];
  /**
   * The `$names` it reads, without `$`, unique, in order: after the first `=`
   * when it starts with a `$name`; never a parameter of one of its lambdas (`($x) -> ...`).
   */
  reads: string[];
  /** `CREATE ... TABLE ...` (TABLE among its first five tokens) with an `AS` outside parentheses. */
  createTableAs: boolean;
  /** Its tokens, whitespace and comments aside, only when it starts with DECLARE; null otherwise. */
  tokens: Token[] | null;
}

/**
 * Calls `onStatement` for each non-empty statement of `text`, in order.
 * Throws the lexer's errors (YQL_UNTERMINATED, YQL_ANSI_LEXER, YQL_PG_SYNTAX).
 *
 * @example const found: string[] = [];
 *   scanStatements("$a = 1; SELECT $a, ';'", 'f.yql', (s) => found.push(`${s.first.text} reads [${s.reads}]`));
 *   // found: ['$a reads []', 'SELECT reads [a]']
 */
export function scanStatements(text: string, file: string, onStatement: (statement: ScannedStatement) => void): void {
  const cursor = new TokenCursor(text, file);
  let open: OpenStatement | null = null;
  let braceDepth = 0;
  let bodyDepth = 0;
  while (cursor.next()) {
    const { kind, start, end } = cursor;
    if (kind === 'ws' || kind === 'comment') continue;
    if (kind === 'punct' && end === start + 1) {
      const c = text.charCodeAt(start);
      if (c === SEMICOLON && braceDepth === 0 && bodyDepth === 0) {
        if (open) onStatement(open.close(end));
        open = null;
        continue;
      }
      if (c === OPEN_BRACE) braceDepth++;
      else if (c === CLOSE_BRACE) braceDepth = Math.max(0, braceDepth - 1);
    }
    if (open === null) {
      open = new OpenStatement(cursor);
    } else {
      if (kind === 'word') bodyDepth = Math.max(0, bodyDepth + open.bodyDelta(start, end));
      open.add(cursor);
    }
  }
  if (open) onStatement(open.close(open.lastEnd));
}

const SEMICOLON = 0x3b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const EQUALS = 0x3d;

/** What is known of the statement being scanned, token by token. */
class OpenStatement {
  readonly first: Token;
  private readonly text: string;
  private count = 1;
  private secondWord = '';
  lastEnd: number;
  /** The previous token when it is a word, for `bodyDelta`; -1 otherwise. */
  private wordStart = -1;
  private wordEnd = -1;
  /** Every `$name` in it, in order, with repeats. */
  private names: string[] = NONE;
  /** How many of `names` stand before its first `=`; -1 while there is none. */
  private namesBeforeAssignment = -1;
  private lastIsName: boolean;
  /** For each open `(`, how many of `names` stood before it. */
  private openParens: number[] = NONE;
  /** When the previous token is `)`: how many of `names` stood before its `(`; -1 otherwise. */
  private closedParenNamesFrom = -1;
  private lambdaNames: Set<string> | null = null;
  /** Parentheses open minus closed, unclamped, for `AS` outside them. */
  private parenDepth = 0;
  private tableInFirstFive = false;
  private asOutsideParens = false;
  private readonly tokens: Token[] | null;

  constructor(cursor: TokenCursor) {
    this.text = cursor.text;
    this.first = tokenAt(cursor);
    this.lastEnd = cursor.end;
    this.lastIsName = false;
    this.tokens = cursor.kind === 'word' && this.isWord(cursor.start, cursor.end, 'DECLARE') ? [this.first] : null;
    this.see(cursor);
  }

  add(cursor: TokenCursor): void {
    if (this.count === 1 && cursor.kind === 'word') this.secondWord = cursor.tokenText().toUpperCase();
    this.count++;
    this.lastEnd = cursor.end;
    this.tokens?.push(tokenAt(cursor));
    this.see(cursor);
  }

  /** +1 where a body of statements opens (`DO BEGIN`, `DEFINE ACTION`, `DEFINE SUBQUERY`), -1 where one closes (`END DO`, `END DEFINE`). */
  bodyDelta(start: number, end: number): number {
    if (this.wordStart === -1) return 0;
    const previous = (word: string) => this.isWord(this.wordStart, this.wordEnd, word);
    const current = (word: string) => this.isWord(start, end, word);
    if (previous('DO')) return current('BEGIN') ? 1 : 0;
    if (previous('DEFINE')) return current('ACTION') || current('SUBQUERY') ? 1 : 0;
    if (previous('END')) return current('DO') || current('DEFINE') ? -1 : 0;
    return 0;
  }

  close(end: number): ScannedStatement {
    const startsWithName = this.first.kind === 'param';
    const assignment = this.namesBeforeAssignment;
    // With no `=`, every name but a last token's counts as defined (the reads then start at the first name).
    const defined = !startsWithName ? 0 : assignment !== -1 ? assignment : this.names.length - (this.lastIsName ? 1 : 0);
    const firstRead = startsWithName && assignment !== -1 ? assignment : 0;
    return {
      first: this.first,
      secondWord: this.secondWord,
      end,
      defines: defined === 0 ? NONE : this.names.slice(0, defined),
      reads: this.readsFrom(firstRead),
      createTableAs: this.tableInFirstFive && this.asOutsideParens && this.isWord(this.first.start, this.first.end, 'CREATE'),
      tokens: this.tokens,
    };
  }

  /** The names from `names[from]` on that no lambda of the statement binds, unique, in order. */
  private readsFrom(from: number): string[] {
    if (from >= this.names.length) return NONE;
    const reads = new Set<string>();
    for (let i = from; i < this.names.length; i++) {
      const name = this.names[i]!;
      if (!this.lambdaNames?.has(name)) reads.add(name);
    }
    return reads.size === 0 ? NONE : [...reads];
  }

  /** Updates what is known with the token at `cursor`, the `count`-th of the statement. */
  private see(cursor: TokenCursor): void {
    const { kind, start, end } = cursor;
    const closedFrom = this.closedParenNamesFrom;
    this.closedParenNamesFrom = -1;
    this.lastIsName = kind === 'param';
    this.wordStart = kind === 'word' ? start : -1;
    this.wordEnd = end;
    if (kind === 'param') {
      if (this.names === NONE) this.names = [];
      this.names.push(this.text.slice(start + 1, end));
    } else if (kind === 'word') {
      if (this.count <= 5 && this.isWord(start, end, 'TABLE')) this.tableInFirstFive = true;
      if (this.parenDepth === 0 && this.isWord(start, end, 'AS')) this.asOutsideParens = true;
    } else if (kind === 'punct') {
      const c = this.text.charCodeAt(start);
      if (end - start === 2 && c === 0x2d && this.text.charCodeAt(start + 1) === 0x3e /* -> */) {
        if (closedFrom !== -1) this.addLambdaNames(closedFrom);
      } else if (end - start === 1) {
        if (c === OPEN_PAREN) {
          this.parenDepth++;
          if (this.openParens === NONE) this.openParens = [];
          this.openParens.push(this.names.length);
        } else if (c === CLOSE_PAREN) {
          this.parenDepth--;
          // An unmatched `)` reaches back to the statement's start.
          this.closedParenNamesFrom = this.openParens.length > 0 ? this.openParens.pop()! : 0;
        } else if (c === EQUALS && this.namesBeforeAssignment === -1) {
          this.namesBeforeAssignment = this.names.length;
        }
      }
    }
  }

  /** `($x, $y) -> ...`: the names between the `(` and `)` before the arrow are the lambda's own. */
  private addLambdaNames(from: number): void {
    this.lambdaNames ??= new Set();
    for (let i = from; i < this.names.length; i++) this.lambdaNames.add(this.names[i]!);
  }

  /** Whether `text[start, end)`, a word, is `upper` in any case. */
  private isWord(start: number, end: number, upper: string): boolean {
    if (end - start !== upper.length) return false;
    for (let i = 0; i < upper.length; i++) {
      const c = this.text.charCodeAt(start + i);
      const u = upper.charCodeAt(i);
      if (c !== u && c !== u + 32) return false;
    }
    return true;
  }
}

function tokenAt(cursor: TokenCursor): Token {
  const { kind, start, end } = cursor;
  const { line, column } = cursor.locate(start);
  return { kind, text: cursor.tokenText(), start, end, line, column };
}

/**
 * The YQL lexer in its default ("C++") mode, modelled on YDB's grammar
 * (yql/essentials/sql/v1/SQLv1Antlr4.g.in) and its string unescaper
 * (yql_ast_escaping.cpp, UnescapeArbitraryAtom):
 *
 * - `'...'` and `"..."` hold any character but their quote and `\`; a `\`
 *   escapes the next character, so a string may span lines. Doubling a quote
 *   is not an escape. An optional suffix follows the closing quote directly:
 *   `s` String, `u` Utf8, `y` Yson, `j` Json (and the PostgreSQL `p`, `pt`,
 *   `pb`, `pv`), in either case.
 * - `@@...@@` is a raw string; `@@@@` inside stands for `@@`, and one more `@`
 *   after the closing `@@` belongs to the content (`@@a@@@` is `a@`).
 * - `` `name` `` quotes an identifier; `` \` `` and ` `` ` both escape a backtick.
 * - `--` runs to the end of the line; `/* ... *\/` ends at the first `*\/`.
 * - Numbers: decimal, `0x`, `0o`, `0b`, with integer suffixes (`1u`, `1ul`,
 *   `7t`, ...), reals `1.5`, `1e3`, `1.5f`.
 * - Lines are counted at `\n` only (as YDB counts them), so `\r\n` is one
 *   break; columns are 1-based UTF-16 code units, as in `SourceLocation`.
 */
import { MigrateError, type SourceLocation } from '../errors.js';

export type TokenKind = 'ws' | 'comment' | 'word' | 'quoted' /* `ident` */ | 'string' | 'number' | 'param' /* $name */ | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`, in UTF-16 code units. */
  column: number;
}

export interface DecodedString {
  bytes: Uint8Array;
  /**
   * The literal's type suffix: '' for String (an explicit `s` suffix also
   * gives '', String being the default type), 'u' Utf8, 'j' Json, 'y' Yson.
   */
  suffix: '' | 'u' | 'j' | 'y';
}

const REAL = /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)(?:[fF]|[pP](?:[fF][48]|[nN])?)?/y;
const INTEGER = /(?:0[xX][0-9a-fA-F]+|0[oO][0-8]+|0[bB][01]+|\d+)[pPuU]?[lLsStTiIbBnN]?/y;
const STRING_SUFFIX = /[pP][tTbBvV]?|[sSuUyYjJ]/y;
/** Multi-character operators of the grammar, longest first where one is a prefix of another. */
const OPERATORS = ['|<<', '<|', '|>', '||', '::', '->', '==', '!=', '<>', '<=', '>=', '<<'];

/**
 * Walks `text` one token at a time without building token objects: `next()`
 * moves to the next token (whitespace and comments included) and sets
 * `kind`, `start` and `end`; `locate(pos)` sets `line` and `column`.
 * `tokenize` and the statement scanner (scan.ts) both read text through it.
 */
export class TokenCursor {
  kind: TokenKind = 'ws';
  start = 0;
  end = 0;
  /** 1-based line and column of the position last given to `locate`. */
  line = 1;
  column = 1;
  /** `locate`'s memo: newlines before `countedTo` are counted in `line`; `nextBreak` is the first one after (-1: none). */
  private countedTo = 0;
  private lineStart = 0;
  private nextBreak: number;

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    rejectOtherSyntaxModes(text, file);
    this.nextBreak = text.indexOf('\n');
  }

  /** Moves to the next token; false at the end of the text. Throws YQL_UNTERMINATED for a string, comment or name that never closes. */
  next(): boolean {
    const { text } = this;
    const pos = this.end;
    if (pos >= text.length) return false;
    const kind = tokenKindAt(text, pos);
    const end = tokenEnd(text, pos, kind);
    if (end === -1) {
      this.locate(pos);
      throw unterminated(text, pos, { file: this.file, line: this.line, column: this.column });
    }
    this.kind = kind;
    this.start = pos;
    this.end = end;
    return true;
  }

  /** The current token's text. */
  tokenText(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Sets `line` and `column` to those of `pos`; cheap when positions come in order, as tokens do. */
  locate(pos: number): void {
    if (pos < this.countedTo) {
      this.countedTo = 0;
      this.line = 1;
      this.lineStart = 0;
      this.nextBreak = this.text.indexOf('\n');
    }
    while (this.nextBreak !== -1 && this.nextBreak < pos) {
      this.line++;
      this.lineStart = this.nextBreak + 1;
      this.nextBreak = this.text.indexOf('\n', this.lineStart);
    }
    this.countedTo = pos;
    this.column = pos - this.lineStart + 1;
  }

  /** The current token as an object, positioned. */
  token(): Token {
    this.locate(this.start);
    return { kind: this.kind, text: this.tokenText(), start: this.start, end: this.end, line: this.line, column: this.column };
  }
}

/**
 * Splits `text` into tokens, whitespace and comments included, so that the
 * tokens' texts concatenate back to `text`.
 *
 * @example tokenize("SELECT 'a;b'u; -- c", 'x.yql').map((t) => t.kind)
 *   // ['word', 'ws', 'string', 'punct', 'ws', 'comment']
 */
export function tokenize(text: string, file: string): Token[] {
  const cursor = new TokenCursor(text, file);
  const tokens: Token[] = [];
  while (cursor.next()) tokens.push(cursor.token());
  return tokens;
}

const enum Char {
  Tab = 9,
  LineFeed = 10,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  DoubleQuote = 34,
  Dollar = 36,
  Quote = 39,
  Star = 42,
  Minus = 45,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  At = 64,
  Backslash = 92,
  Backtick = 96,
}

const isWhitespace = (c: number) => c === Char.Space || c === Char.LineFeed || c === Char.Tab || c === Char.CarriageReturn || c === Char.FormFeed;
/** `[A-Za-z_]` */
const isWordStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= Char.Zero && c <= Char.Nine;

/** Classes of ASCII characters, as bits, for `runEnd`: a table lookup per character, no call. */
const enum Class {
  /** `[A-Za-z0-9_]` */
  WordPart = 1,
  Whitespace = 2,
  Digit = 4,
}
const CLASSES = Uint8Array.from({ length: 128 }, (_, c) =>
  (isWordStart(c) || isDigit(c) ? Class.WordPart : 0) | (isWhitespace(c) ? Class.Whitespace : 0) | (isDigit(c) ? Class.Digit : 0),
);

/** The kind of a token by its first character alone, for ASCII; 'punct' where the second character may decide. */
const KIND_BY_FIRST = Array.from({ length: 128 }, (_, c): TokenKind => {
  if (c === Char.Quote || c === Char.DoubleQuote) return 'string';
  if (c === Char.Backtick) return 'quoted';
  if (isDigit(c)) return 'number';
  if (isWhitespace(c)) return 'ws';
  if (isWordStart(c)) return 'word';
  return 'punct';
});

/** The kind of the token that starts at `pos`: its first two characters decide it. */
function tokenKindAt(text: string, pos: number): TokenKind {
  const c = text.charCodeAt(pos);
  const kind = c < 128 ? KIND_BY_FIRST[c]! : 'punct';
  if (kind !== 'punct') return kind;
  const next = text.charCodeAt(pos + 1);
  if ((c === Char.Minus && next === Char.Minus) || (c === Char.Slash && next === Char.Star)) return 'comment';
  if (c === Char.At && next === Char.At) return 'string';
  if (c === Char.Dollar && isWordStart(next)) return 'param';
  return 'punct';
}

/** The end of the token of `kind` that starts at `pos`, or -1 when `text` ends before it closes. */
function tokenEnd(text: string, pos: number, kind: TokenKind): EndOrMissing {
  switch (kind) {
    case 'comment':
      return text.charCodeAt(pos) === Char.Minus ? lineCommentEnd(text, pos) : blockCommentEnd(text, pos);
    case 'string': {
      const end = text.charCodeAt(pos) === Char.At ? rawStringEnd(text, pos) : quotedEnd(text, pos);
      return end === -1 ? -1 : withSuffix(text, end);
    }
    case 'quoted':
      return backtickEnd(text, pos);
    case 'number':
      return numberEnd(text, pos);
    case 'ws':
      return runEnd(text, pos + 1, Class.Whitespace);
    case 'word':
      return runEnd(text, pos + 1, Class.WordPart);
    case 'param':
      return runEnd(text, pos + 2, Class.WordPart);
    case 'punct':
      return punctEnd(text, pos);
  }
}

/** The end of the run of characters of `classes` from `pos`. */
function runEnd(text: string, pos: number, classes: Class): number {
  let end = pos;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (c >= 128 || (CLASSES[c]! & classes) === 0) break;
  }
  return end;
}

function punctEnd(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  // Every operator starts with one of | < : - = ! >.
  if (c === 124 || c === 60 || c === 58 || c === Char.Minus || c === 61 || c === 33 || c === 62) {
    for (const op of OPERATORS) if (text.startsWith(op, pos)) return pos + op.length;
  }
  // One code point, so that a character outside the BMP stays whole.
  return pos + ((text.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1);
}

function matchAt(re: RegExp, text: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(text) ? re.lastIndex : 0;
}

function lineCommentEnd(text: string, pos: number): number {
  const match = /[\r\n]/g;
  match.lastIndex = pos;
  const found = match.exec(text);
  if (!found) return text.length;
  // The break belongs to the comment, as in the grammar; `\r\n` is one break.
  return found.index + (text.startsWith('\r\n', found.index) ? 2 : 1);
}

/** The end offset of the token, or -1 when `text` ends before it closes. */
type EndOrMissing = number;

function blockCommentEnd(text: string, pos: number): EndOrMissing {
  const at = text.indexOf('*/', pos + 2);
  return at === -1 ? -1 : at + 2;
}

function quotedEnd(text: string, pos: number): EndOrMissing {
  const quote = text.charCodeAt(pos);
  for (let i = pos + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === Char.Backslash) i++;
    else if (c === quote) return i + 1;
  }
  return -1;
}

function backtickEnd(text: string, pos: number): EndOrMissing {
  for (let i = pos + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '`') {
      if (text[i + 1] !== '`') return i + 1;
      i++;
    }
  }
  return -1;
}

/** `(@@ .*? @@)+ @?`: each `@@` right after a closing `@@` opens the next segment. */
function rawStringEnd(text: string, pos: number): EndOrMissing {
  let end = pos;
  do {
    const close = text.indexOf('@@', end + 2);
    if (close === -1) return -1;
    end = close + 2;
  } while (text.startsWith('@@', end));
  return text[end] === '@' ? end + 1 : end;
}

/** The error for a string, comment or quoted name that starts at `pos` and never closes. */
function unterminated(text: string, pos: number, location: SourceLocation): MigrateError {
  const opener = text[pos];
  const [what, closer] =
    opener === '`' ? ['quoted identifier', '`'] : opener === '/' ? ['comment', '*/'] : opener === '@' ? ['raw string', '@@'] : ['string', opener];
  return new MigrateError('YQL_UNTERMINATED', `unterminated ${what} starts here: close it with ${closer}`, { location });
}

function withSuffix(text: string, end: number): number {
  // Every suffix starts with one of p s u y j: a quick look spares the expression for most strings.
  const c = text.charCodeAt(end) | 0x20;
  if (c !== 0x70 && c !== 0x73 && c !== 0x75 && c !== 0x79 && c !== 0x6a) return end;
  return matchAt(STRING_SUFFIX, text, end) || end;
}

function numberEnd(text: string, pos: number): number {
  const digitsEnd = runEnd(text, pos + 1, Class.Digit);
  // Only `.`, an exponent, a base or a suffix letter can follow the digits and still belong to the number.
  if (!isNumberPart(text.charCodeAt(digitsEnd))) return digitsEnd;
  return Math.max(matchAt(REAL, text, pos), matchAt(INTEGER, text, pos));
}

/** `.` and the letters of exponents, bases (x o b) and type suffixes (p u l s t i b n f), in either case. */
const isNumberPart = (c: number) => c === 0x2e || (isWordStart(c) && NUMBER_LETTERS.includes(String.fromCharCode(c | 0x20)));
const NUMBER_LETTERS = 'eobxpulstinf';

/**
 * YDB reads `--!setting` lines at the top of a query (blank lines aside) as
 * translation settings. `ansi_lexer` changes what quotes and comments mean
 * and `syntax_pg` switches to PostgreSQL: splitting such a file by these
 * rules would cut it where YDB does not, so it is refused instead.
 */
function rejectOtherSyntaxModes(text: string, file: string): void {
  // A file that starts with a visible ASCII character has its first line's setting, if any, right there.
  const first = text.charCodeAt(0);
  if (first > 0x20 && first < 0x7f && !text.startsWith('--!')) return;
  for (let start = 0, line = 1; ; line++) {
    const newline = text.indexOf('\n', start);
    const lineText = text.slice(start, newline === -1 ? text.length : newline);
    const setting = lineText.trim();
    if (setting !== '' && !setting.startsWith('--!')) return;
    const location = { file, line, column: lineText.indexOf('--!') + 1 };
    if (setting === '--!ansi_lexer') {
      throw new MigrateError(
        'YQL_ANSI_LEXER',
        "--!ansi_lexer (ANSI quoting: '' escapes a quote, \"...\" is a name) is not supported by ydb-migrate; remove the line and write strings with \\' escapes",
        { location },
      );
    }
    if (setting === '--!syntax_pg') {
      throw new MigrateError('YQL_PG_SYNTAX', '--!syntax_pg (PostgreSQL syntax) is not supported by ydb-migrate; write the migration in YQL', { location });
    }
    if (newline === -1) return;
    start = newline + 1;
  }
}

const utf8Encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const SUFFIXES: Record<string, DecodedString['suffix']> = { '': '', s: '', u: 'u', j: 'j', y: 'y' };

/**
 * The bytes a string token stands for, and its type suffix. Escapes are
 * YDB's: `\t \n \r \b \f \a \v`; `\NNN` (exactly three octal digits, the
 * first 0-3); `\xHH` (exactly two hex digits); `\uHHHH`, `\UHHHHHHHH` (a
 * Unicode scalar value, written as UTF-8); a `\` before any other character
 * stands for that character (`\'`, `\"`, `\\`, `\?`, ...). A Utf8 literal
 * must be valid UTF-8 once unescaped; Json and Yson content is not checked.
 *
 * @example decodeStringLiteral("'it\\'s'u") // { bytes: <69 74 27 73>, suffix: 'u' }
 */
export function decodeStringLiteral(tokenText: string): DecodedString {
  const { body, raw, suffixText } = splitStringToken(tokenText);
  const suffix = SUFFIXES[suffixText.toLowerCase()];
  if (suffix === undefined) {
    throw badString(tokenText, `the suffix '${suffixText}' is not supported: use u, j, y, s or none (PostgreSQL's p, pt, pb, pv are not supported)`);
  }
  const bytes = raw ? utf8Encoder.encode(body.replaceAll('@@@@', '@@')) : unescape(body, tokenText);
  if (suffix === 'u' && !isUtf8(bytes)) throw badString(tokenText, 'a Utf8 literal (suffix u) must be valid UTF-8 once unescaped');
  return { bytes, suffix };
}

function splitStringToken(tokenText: string): { body: string; raw: boolean; suffixText: string } {
  const raw = tokenText.startsWith('@@');
  if (!raw && tokenText[0] !== "'" && tokenText[0] !== '"') throw badString(tokenText, 'a string literal starts with \', " or @@');
  const end = raw ? rawStringEnd(tokenText, 0) : quotedEnd(tokenText, 0);
  if (end === -1) throw badString(tokenText, 'it is not closed');
  const quoteLength = raw ? 2 : 1;
  return { body: tokenText.slice(quoteLength, end - quoteLength), raw, suffixText: tokenText.slice(end) };
}

function unescape(body: string, tokenText: string): Uint8Array {
  const out: number[] = [];
  const pushText = (s: string) => {
    for (const byte of utf8Encoder.encode(s)) out.push(byte);
  };
  let i = 0;
  for (let slash = body.indexOf('\\'); slash !== -1; slash = body.indexOf('\\', i)) {
    pushText(body.slice(i, slash));
    const [bytesOrText, length] = escapeAt(body, slash, tokenText);
    if (typeof bytesOrText === 'string') pushText(bytesOrText);
    else out.push(bytesOrText);
    i = slash + length;
  }
  pushText(body.slice(i));
  return Uint8Array.from(out);
}

/** The escape at `body[slash]`: a byte or a text, and how many UTF-16 units it spans. */
function escapeAt(body: string, slash: number, tokenText: string): [number | string, number] {
  if (slash + 1 === body.length) throw badString(tokenText, 'it ends in a lone \\');
  const next = String.fromCodePoint(body.codePointAt(slash + 1)!);
  const named = NAMED_ESCAPES[next];
  if (named !== undefined) return [named, 2];
  if (next >= '0' && next <= '3') {
    const digits = body.slice(slash + 1, slash + 4);
    if (!/^[0-7]{3}$/.test(digits)) throw badString(tokenText, `\\${digits} is not an octal escape: write exactly three octal digits, e.g. \\000`);
    return [parseInt(digits, 8), 4];
  }
  if (next === 'x') {
    const digits = body.slice(slash + 2, slash + 4);
    if (!/^[0-9a-fA-F]{2}$/.test(digits)) throw badString(tokenText, `\\x${digits} is not a hex escape: write exactly two hex digits, e.g. \\x0A`);
    return [parseInt(digits, 16), 4];
  }
  if (next === 'u' || next === 'U') {
    const width = next === 'u' ? 4 : 8;
    const digits = body.slice(slash + 2, slash + 2 + width);
    const value = digits.length === width && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : -1;
    if (value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
      throw badString(tokenText, `\\${next}${digits} is not a Unicode escape: write ${width} hex digits of a code point up to 10FFFF outside D800-DFFF`);
    }
    return [String.fromCodePoint(value), 2 + width];
  }
  return [next, 1 + next.length];
}

const NAMED_ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, b: 8, f: 12, a: 7, v: 11 };

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function badString(tokenText: string, why: string): MigrateError {
  const shown = tokenText.length > 60 ? `${tokenText.slice(0, 57)}...` : tokenText;
  return new MigrateError('YQL_BAD_STRING', `bad string literal ${shown}: ${why}`);
}

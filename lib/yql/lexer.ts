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

const WHITESPACE = /[ \t\r\n\f]+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const PARAM = /\$[A-Za-z_][A-Za-z0-9_]*/y;
const REAL = /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)(?:[fF]|[pP](?:[fF][48]|[nN])?)?/y;
const INTEGER = /(?:0[xX][0-9a-fA-F]+|0[oO][0-8]+|0[bB][01]+|\d+)[pPuU]?[lLsStTiIbBnN]?/y;
const STRING_SUFFIX = /[pP][tTbBvV]?|[sSuUyYjJ]/y;
/** Multi-character operators of the grammar, longest first where one is a prefix of another. */
const OPERATORS = ['|<<', '<|', '|>', '||', '::', '->', '==', '!=', '<>', '<=', '>=', '<<'];

/**
 * Splits `text` into tokens, whitespace and comments included, so that the
 * tokens' texts concatenate back to `text`.
 *
 * @example tokenize("SELECT 'a;b'u; -- c", 'x.yql').map((t) => t.kind)
 *   // ['word', 'ws', 'string', 'punct', 'ws', 'comment']
 */
export function tokenize(text: string, file: string): Token[] {
  rejectOtherSyntaxModes(text, file);
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  while (pos < text.length) {
    const column = pos - lineStart + 1;
    const [kind, end] = scanToken(text, pos, { file, line, column });
    const token: Token = { kind, text: text.slice(pos, end), start: pos, end, line, column };
    tokens.push(token);
    for (let at = token.text.indexOf('\n'); at !== -1; at = token.text.indexOf('\n', at + 1)) {
      line++;
      lineStart = pos + at + 1;
    }
    pos = end;
  }
  return tokens;
}

/** The kind and end of the token at `pos`; `where` is its location, for errors. */
function scanToken(text: string, pos: number, where: SourceLocation): [TokenKind, number] {
  const ch = text[pos]!;
  const next = text[pos + 1];
  if (ch === '-' && next === '-') return ['comment', lineCommentEnd(text, pos)];
  if (ch === '/' && next === '*') return ['comment', orUnterminated(blockCommentEnd(text, pos), 'comment', '*/', where)];
  if (ch === "'" || ch === '"') return ['string', withSuffix(text, orUnterminated(quotedEnd(text, pos), 'string', ch, where))];
  if (ch === '@' && next === '@') return ['string', withSuffix(text, orUnterminated(rawStringEnd(text, pos), 'raw string', '@@', where))];
  if (ch === '`') return ['quoted', orUnterminated(backtickEnd(text, pos), 'quoted identifier', '`', where)];
  if (ch >= '0' && ch <= '9') return ['number', numberEnd(text, pos)];
  const ws = matchAt(WHITESPACE, text, pos);
  if (ws) return ['ws', ws];
  const word = matchAt(WORD, text, pos);
  if (word) return ['word', word];
  const param = matchAt(PARAM, text, pos);
  if (param) return ['param', param];
  const operator = OPERATORS.find((op) => text.startsWith(op, pos));
  if (operator) return ['punct', pos + operator.length];
  // One code point, so that a character outside the BMP stays whole.
  return ['punct', pos + String.fromCodePoint(text.codePointAt(pos)!).length];
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
  const quote = text[pos];
  for (let i = pos + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === quote) return i + 1;
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

function orUnterminated(end: EndOrMissing, what: string, closer: string, where: SourceLocation): number {
  if (end !== -1) return end;
  throw new MigrateError('YQL_UNTERMINATED', `unterminated ${what} starts here: close it with ${closer}`, { location: where });
}

function withSuffix(text: string, end: number): number {
  return matchAt(STRING_SUFFIX, text, end) || end;
}

function numberEnd(text: string, pos: number): number {
  return Math.max(matchAt(REAL, text, pos), matchAt(INTEGER, text, pos));
}

/**
 * YDB reads `--!setting` lines at the top of a query (blank lines aside) as
 * translation settings. `ansi_lexer` changes what quotes and comments mean
 * and `syntax_pg` switches to PostgreSQL: splitting such a file by these
 * rules would cut it where YDB does not, so it is refused instead.
 */
function rejectOtherSyntaxModes(text: string, file: string): void {
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

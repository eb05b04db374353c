/**
 * YQL's default lexer: C-style escapes in '...' and "..." (doubling a quote is
 * NOT an escape), literal suffixes, @@raw@@ strings, `backtick` identifiers,
 * -- and /* *\/ comments, $parameters. Positions are 1-based row/column;
 * columns count Unicode code points (YDB's antlr4 parser) or UTF-8 bytes
 * (the antlr3 parser of older servers), never UTF-16 units.
 */
import { syntaxError, unsupported, type Position } from './errors.js';

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** ident/quoted: the name; param: name without `$`; number: digits without suffix; op: the operator. */
  value: string;
  /** Strings: the decoded bytes. */
  bytes?: Uint8Array;
  /** Strings: '', 'u', 'y', 'j', 's'; numbers: '', 't', 's', 'l', 'u', 'ut', 'us', 'ul', 'f' (lower-case). */
  suffix?: string;
  /** Numbers: whether it has a fraction or exponent. */
  isFloat?: boolean;
  pos: Position;
  /** Offset in the source text; the statement splitter uses it. */
  offset: number;
}

const OPERATORS = ['??', '==', '!=', '<>', '<=', '>=', '||', '(', ')', ',', ';', '.', '=', '<', '>', '+', '-', '*', '/', '%', '?', ':'];
const STRING_SUFFIXES = new Set(['u', 'y', 'j', 's']);
const INT_SUFFIXES = ['ut', 'us', 'ul', 't', 's', 'l', 'u'];

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** How issue columns are counted: antlr4 counts code points, antlr3 bytes. */
export type ColumnUnit = 'codepoints' | 'bytes';

export function tokenize(text: string, columns: ColumnUnit = 'codepoints'): Token[] {
  if (/^--!ansi_lexer\b/.test(text)) {
    throw unsupported({ row: 1, column: 1 }, 'The ANSI lexer (--!ansi_lexer)');
  }
  return new Lexer(text, columns).run();
}

class Lexer {
  private i = 0;
  private row = 1;
  private lineStart = 0;
  /** Width (in the column unit) of the current line up to `at`. */
  private measured = { lineStart: 0, at: 0, width: 0 };
  private readonly tokens: Token[] = [];

  constructor(
    private readonly src: string,
    private readonly columns: ColumnUnit,
  ) {}

  run(): Token[] {
    while (this.skipSpaceAndComments()) {
      this.tokens.push(this.next());
    }
    this.tokens.push({ kind: 'eof', text: '<EOF>', value: '', pos: this.pos(), offset: this.i });
    return this.tokens;
  }

  private pos(at = this.i): Position {
    // Measured from the last measured point of the line, so a long line costs linear time.
    if (this.measured.lineStart !== this.lineStart || at < this.measured.at) this.measured = { lineStart: this.lineStart, at: this.lineStart, width: 0 };
    const between = this.src.slice(this.measured.at, at);
    const width = this.measured.width + (this.columns === 'bytes' ? Buffer.byteLength(between, 'utf8') : [...between].length);
    this.measured = { lineStart: this.lineStart, at, width };
    return { row: this.row, column: width + 1 };
  }

  private advance(n = 1): void {
    for (let k = 0; k < n; k++) {
      if (this.src[this.i] === '\n') {
        this.row++;
        this.lineStart = this.i + 1;
      }
      this.i++;
    }
  }

  /** Returns false at end of input. */
  private skipSpaceAndComments(): boolean {
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) return false;
      if (/\s/.test(c)) {
        this.advance();
      } else if (this.src.startsWith('--', this.i)) {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.advance();
      } else if (this.src.startsWith('/*', this.i)) {
        const start = this.pos();
        const end = this.src.indexOf('*/', this.i + 2);
        if (end < 0) throw syntaxError(start, 'Unterminated multi-line comment');
        this.advance(end + 2 - this.i);
      } else {
        return true;
      }
    }
  }

  private next(): Token {
    const c = this.src[this.i]!;
    if (c === "'" || c === '"') return this.quotedString(c);
    if (this.src.startsWith('@@', this.i)) return this.rawString();
    if (c === '`') return this.quotedIdent();
    if (c === '$') return this.param();
    if (isDigit(c)) return this.number();
    if (isIdentStart(c)) return this.word('ident');
    if (this.src.startsWith('<|', this.i)) throw unsupported(this.pos(), 'Struct literals (<|...|>)');
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.i));
    if (op) return this.make('op', op.length, op);
    if (c === '[' || c === '{') throw unsupported(this.pos(), 'List and dict literals ([...], {...})');
    throw syntaxError(this.pos(), `Unexpected character '${c}' : cannot match to any predicted input...`);
  }

  private make(kind: TokenKind, length: number, value: string, extra: Partial<Token> = {}): Token {
    const token: Token = { kind, text: this.src.slice(this.i, this.i + length), value, pos: this.pos(), offset: this.i, ...extra };
    this.advance(length);
    return token;
  }

  private word(kind: 'ident'): Token {
    let j = this.i;
    while (j < this.src.length && isIdentPart(this.src[j]!)) j++;
    return this.make(kind, j - this.i, this.src.slice(this.i, j));
  }

  private param(): Token {
    if (this.src[this.i + 1] === '`') {
      const end = this.src.indexOf('`', this.i + 2);
      if (end > this.i + 2) return this.make('param', end + 1 - this.i, this.src.slice(this.i + 2, end));
    }
    let j = this.i + 1;
    while (j < this.src.length && isIdentPart(this.src[j]!)) j++;
    if (j === this.i + 1) throw syntaxError(this.pos(), "Unexpected character '$' : cannot match to any predicted input...");
    return this.make('param', j - this.i, this.src.slice(this.i + 1, j));
  }

  private quotedIdent(): Token {
    let j = this.i + 1;
    let name = '';
    for (;;) {
      const ch = this.src[j];
      if (ch === undefined) throw syntaxError(this.pos(), 'Unterminated quoted identifier');
      if (ch === '\\' && j + 1 < this.src.length) {
        name += this.src[j + 1];
        j += 2;
      } else if (ch === '`' && this.src[j + 1] === '`') {
        name += '`';
        j += 2;
      } else if (ch === '`') {
        break;
      } else {
        name += ch;
        j++;
      }
    }
    return this.make('quoted', j + 1 - this.i, name);
  }

  private quotedString(quote: string): Token {
    const bytes: number[] = [];
    let j = this.i + 1;
    for (;;) {
      const ch = this.src[j];
      if (ch === undefined) throw syntaxError(this.pos(), 'Unterminated string literal');
      if (ch === quote) break;
      if (ch === '\\') {
        j = this.escape(j, bytes);
      } else {
        const cp = this.src.codePointAt(j)!;
        bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
        j += cp > 0xffff ? 2 : 1;
      }
    }
    return this.withStringSuffix(j + 1, bytes);
  }

  /** Decodes one escape starting at the backslash; returns the index after it. */
  private escape(j: number, out: number[]): number {
    const e = this.src[j + 1];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
    if (e !== undefined && e in simple) {
      out.push(simple[e]!);
      return j + 2;
    }
    const hex = (len: number): number => {
      const digits = this.src.slice(j + 2, j + 2 + len);
      if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(digits)) {
        throw syntaxError(this.pos(j), 'Failed to parse string literal: Invalid hexadecimal value');
      }
      return parseInt(digits, 16);
    };
    if (e === 'x') {
      out.push(hex(2));
      return j + 4;
    }
    if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      out.push(...Buffer.from(String.fromCodePoint(hex(len)), 'utf8'));
      return j + 2 + len;
    }
    const octal = /^[0-7]{3}/.exec(this.src.slice(j + 1, j + 4));
    if (octal) {
      out.push(parseInt(octal[0], 8) & 0xff);
      return j + 4;
    }
    if (e !== undefined && /[0-7]/.test(e)) throw syntaxError(this.pos(j), 'Failed to parse string literal: Invalid octal value');
    throw syntaxError(this.pos(j), `Invalid escape sequence in string literal`);
  }

  private rawString(): Token {
    let j = this.i + 2;
    let body = '';
    for (;;) {
      const end = this.src.indexOf('@@', j);
      if (end < 0) throw syntaxError(this.pos(), 'Unterminated @@ string literal');
      body += this.src.slice(j, end);
      // `@@@@` inside a raw string stands for a literal `@@`.
      if (this.src.startsWith('@@@@', end)) {
        body += '@@';
        j = end + 4;
      } else {
        j = end + 2;
        break;
      }
    }
    // YQL's STRING_MULTILINE is `(@@ .*? @@)+ @?` (yql/essentials/sql/v1/SQLv1Antlr4.g.in): one `@` right
    // after the closing `@@` still belongs to the string, so `@@a@@@` is `a@`.
    if (this.src[j] === '@') {
      body += '@';
      j++;
    }
    return this.withStringSuffix(j, [...Buffer.from(body, 'utf8')]);
  }

  private withStringSuffix(end: number, bytes: number[]): Token {
    const s = this.src[end];
    const hasSuffix = s !== undefined && STRING_SUFFIXES.has(s.toLowerCase()) && !isIdentPart(this.src[end + 1] ?? ' ');
    const length = end - this.i + (hasSuffix ? 1 : 0);
    return this.make('string', length, '', { bytes: Uint8Array.from(bytes), suffix: hasSuffix ? s!.toLowerCase() : '' });
  }

  private number(): Token {
    const rest = this.src.slice(this.i);
    const radix = /^0[xX][0-9A-Fa-f]+|^0[oO][0-7]+|^0[bB][01]+/.exec(rest);
    const float = radix ? null : /^\d+(\.\d*)?([eE][+-]?\d+)?/.exec(rest)!;
    const body = radix ? radix[0] : float![0];
    const isFloat = !radix && (float![1] !== undefined || float![2] !== undefined);
    const after = rest.slice(body.length);
    const suffixes = isFloat ? ['f'] : INT_SUFFIXES;
    const suffix = suffixes.find((s) => after.slice(0, s.length).toLowerCase() === s && !isIdentPart(after[s.length] ?? ' ')) ?? '';
    if (suffix === '' && isIdentPart(after[0] ?? ' ')) {
      throw syntaxError(this.pos(this.i + body.length), `Unexpected token '${after[0]}' after number literal`);
    }
    return this.make('number', body.length + suffix.length, body, { suffix, isFloat });
  }
}

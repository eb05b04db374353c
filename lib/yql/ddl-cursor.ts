/**
 * The DDL reader's footing: a cursor over one statement's significant tokens,
 * with the small reads every part of the grammar uses (names, lists, balanced
 * brackets, expressions up to their end), and the two modes' answer to what it
 * does not know: skip and record it (tolerant), or a SCHEMA_PARSE error (strict).
 */
import { MigrateError } from '../errors.js';
import type { Expr, NameAt, Position } from './ddl-tree.js';
import { decodeStringLiteral, type Token } from './lexer.js';

export type ReadMode = 'tolerant' | 'strict';

/** `` `a\nb` `` → a, line break, b: YDB unescapes a quoted name as a string (IdContent in yql/essentials/sql/v1/node.cpp). */
export function unquoteName(text: string): string {
  const body = text.slice(1, -1).replace(/``/g, '`').replace(/(\\[\s\S])|"/g, (_, escape: string | undefined) => escape ?? '\\"');
  return Buffer.from(decodeStringLiteral(`"${body}"`).bytes).toString('utf8');
}

export abstract class DdlCursor {
  protected pos = 0;

  constructor(
    protected readonly tokens: Token[],
    protected readonly at: (t: Token) => Position,
    protected readonly file: string,
    protected readonly mode: ReadMode,
  ) {}

  /** An expression up to the `,` or `)` that ends it; for a DEFAULT, also before NOT NULL or FAMILY. */
  protected expr(isDefault: boolean): Expr {
    const start = this.pos;
    for (let depth = 0; this.pos < this.tokens.length; this.pos++) {
      const t = this.tokens[this.pos]!;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
      else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) {
        if (--depth < 0) break;
      } else if (depth === 0 && t.kind === 'punct' && t.text === ',') break;
      else if (depth === 0 && isDefault && this.pos > start && ((this.isWord('NOT') && this.isWord('NULL', 1)) || this.isWord('FAMILY'))) break;
    }
    return this.exprOf(start, this.pos);
  }

  protected exprOf(start: number, end: number, tokens = this.tokens.slice(start, end)): Expr {
    const first = tokens[0] ?? this.tokens[Math.min(start, this.tokens.length - 1)];
    const at = first ? this.at(first) : { line: 0, column: 0 };
    return { ...at, text: tokens.map((t) => t.text).join(''), tokens };
  }

  protected nameList(): NameAt[] {
    const names: NameAt[] = [];
    this.expectOp('(');
    do {
      if (this.isOp(')')) break;
      const name = this.name('a column name');
      if (name) names.push(name);
      else break;
    } while (this.op(','));
    this.expectOp(')');
    return names;
  }

  /** Skips to the `,` that ends the current item (or the end), nested brackets included. */
  protected skipItem(): void {
    for (let depth = 0; this.pos < this.tokens.length; this.pos++) {
      const t = this.tokens[this.pos]!;
      if (t.kind !== 'punct') continue;
      if (t.text === '(' || t.text === '<') depth++;
      else if ((t.text === ')' || t.text === '>') && depth > 0) depth--;
      else if (depth === 0 && (t.text === ',' || t.text === ')')) return;
    }
  }

  /** Records what is next as unread (tolerant) or fails (strict), and skips the item. */
  protected unexpected(unread: { line: number; column: number; what: string }[], where: string): void {
    const t = this.peek();
    if (this.mode === 'strict') this.fail(t, `unexpected '${t?.text ?? 'end'}' ${where}`);
    if (t) unread.push({ ...this.at(t), what: t.text });
    this.skipItem();
  }

  /** From an opening `(` or `<` to its match, as one string without spaces. */
  protected balanced(): string {
    let text = '';
    for (let depth = 0; this.pos < this.tokens.length; ) {
      const t = this.tokens[this.pos++]!;
      text += t.text;
      if (t.text === '(' || t.text === '<') depth++;
      else if (t.text === ')' || t.text === '>') depth--;
      if (depth === 0) break;
    }
    return text;
  }

  protected end(): void {
    if (this.mode === 'strict' && this.peek()) this.fail(this.peek(), `unexpected '${this.peek()!.text}'`);
  }

  protected name(what: string): NameAt | null {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) {
      if (this.mode === 'strict') this.fail(t, `expected ${what}${t ? `, not '${t.text}'` : ''}`);
      return null;
    }
    this.pos++;
    return this.nameOf(t);
  }

  protected nameOf(t: Token): NameAt {
    return { name: t.kind === 'quoted' ? unquoteName(t.text) : t.text, ...this.at(t) };
  }

  protected placeholder(): NameAt {
    const t = this.peek() ?? this.tokens[this.tokens.length - 1]!;
    return { name: '', ...this.at(t) };
  }

  protected peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }

  protected isWord(word: string, k = 0): boolean {
    return isWord(this.peek(k), word);
  }

  protected isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === 'punct' && t.text === op;
  }

  protected isNameAt(k: number): boolean {
    const t = this.peek(k);
    return t?.kind === 'word' || t?.kind === 'quoted';
  }

  /** `NAME =` at k: the start of a setting. */
  protected isSettingAt(k: number): boolean {
    const t = this.peek(k);
    return (t?.kind === 'word' && this.isOp('=', k + 1)) || this.isOp(')', k);
  }

  protected op(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  protected expectOp(op: string): void {
    if (this.op(op)) return;
    if (this.mode === 'strict') this.fail(this.peek(), `expected '${op}'${this.peek() ? `, not '${this.peek()!.text}'` : ''}`);
    this.skipItem();
    this.op(op);
  }

  /** Consumes the words (case-insensitive) if all come next. */
  protected words(...words: string[]): boolean {
    if (!words.every((w, k) => isWord(this.peek(k), w))) return false;
    this.pos += words.length;
    return true;
  }

  protected fail(t: Token | undefined, message: string): never {
    const where = t ?? this.tokens[this.tokens.length - 1];
    throw new MigrateError('SCHEMA_PARSE', message, where ? { location: { file: this.file, ...this.at(where) } } : {});
  }
}


/** Case-insensitive; the length test first spares most upper-casings (lint reads every DDL statement of every migration). */
export function isWord(t: Token | undefined, word: string): boolean {
  return t?.kind === 'word' && t.text.length === word.length && t.text.toUpperCase() === word;
}

/**
 * One migration statement's table DDL, read tolerantly with positions: what
 * `lint` needs to replay a migration's schema and to point at the offending
 * token. Unlike parse.ts (a desired schema, where anything unexpected is an
 * error), what this reader does not understand becomes an 'other' action or
 * statement, never an exception: judging it is the linter's job.
 */
import { resolveColumnType } from '../rules/column-types.js';
import { tokenize, type Token } from '../yql/lexer.js';
import type { Statement } from '../yql/blocks.js';

export interface Position {
  line: number;
  column: number;
}

export interface NameAt extends Position {
  name: string;
}

export interface ColumnDef extends NameAt {
  /** The type as written, without spaces (`Uint64`, `Decimal(22,9)`). */
  type: string;
  typeAt: Position;
  /** Whether `type` is a column type YDB has (a name the schema model knows, or Decimal(p,s)). */
  typeKnown: boolean;
  notNull: boolean;
  hasDefault: boolean;
}

export interface IndexDef extends NameAt {
  unique: boolean;
  columns: NameAt[];
  cover: NameAt[];
}

export type AlterAction =
  | { kind: 'add-column'; column: ColumnDef }
  | { kind: 'drop-column'; column: NameAt }
  | { kind: 'add-index'; index: IndexDef }
  | { kind: 'drop-index'; index: NameAt }
  | { kind: 'add-changefeed'; changefeed: NameAt }
  | { kind: 'drop-changefeed'; changefeed: NameAt }
  /** `ALTER COLUMN c SET TYPE ...`, `ALTER COLUMN c TYPE ...`, `ADD/DROP/ALTER PRIMARY KEY`: no such statement in YDB. */
  | { kind: 'change-type-or-key'; at: Position; what: string }
  | { kind: 'other'; at: Position };

export type DdlStatement =
  | {
      kind: 'create-table';
      table: NameAt;
      ifNotExists: boolean;
      columns: ColumnDef[];
      /** Null when the statement has no PRIMARY KEY clause. */
      primaryKey: NameAt[] | null;
      indexes: IndexDef[];
      asSelect: boolean;
    }
  | { kind: 'alter-table'; table: NameAt; actions: AlterAction[] }
  | { kind: 'drop-table'; table: NameAt; ifExists: boolean }
  | { kind: 'other' };

const OTHER: DdlStatement = { kind: 'other' };

/** The statement's table DDL; `{ kind: 'other' }` for anything that is not CREATE/ALTER/DROP TABLE. */
export function readDdl(statement: Statement, file: string): DdlStatement {
  if (statement.role !== 'ddl' || !/^(CREATE|ALTER|DROP)$/.test(statement.keyword)) return OTHER;
  return new DdlReader(statement, file).statement();
}

class DdlReader {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly source: Statement,
    file: string,
  ) {
    this.tokens = tokenize(source.text, file).filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  }

  statement(): DdlStatement {
    if (this.words('CREATE', 'TABLE') || this.words('CREATE', 'OR', 'REPLACE', 'TABLE')) return this.createTable();
    if (this.words('ALTER', 'TABLE')) return this.alterTable();
    if (this.words('DROP', 'TABLE')) {
      const ifExists = this.words('IF', 'EXISTS');
      const table = this.name();
      return table ? { kind: 'drop-table', table, ifExists } : OTHER;
    }
    return OTHER;
  }

  private createTable(): DdlStatement {
    const ifNotExists = this.words('IF', 'NOT', 'EXISTS');
    const table = this.name();
    if (!table || !this.op('(')) return OTHER;
    const columns: ColumnDef[] = [];
    const indexes: IndexDef[] = [];
    let primaryKey: NameAt[] | null = null;
    do {
      if (this.isOp(')')) break;
      if (this.words('PRIMARY', 'KEY')) primaryKey = this.nameList();
      else if (this.words('INDEX')) {
        const index = this.index();
        if (index) indexes.push(index);
      } else if (this.isWord('FAMILY') && this.peek(1)?.kind !== 'word') {
        // FAMILY name (...) — a column named `family` is followed by its type, a word.
        this.skipItem();
      } else {
        const column = this.column();
        if (column) columns.push(column);
      }
      this.skipItem();
    } while (this.op(','));
    this.op(')');
    const asSelect = this.source.createsFromSelect;
    return { kind: 'create-table', table, ifNotExists, columns, primaryKey, indexes, asSelect };
  }

  private alterTable(): DdlStatement {
    const table = this.name();
    if (!table) return OTHER;
    const actions: AlterAction[] = [];
    do {
      const at = this.here();
      if (!at) break;
      actions.push(this.alterAction(at));
      this.skipItem();
    } while (this.op(','));
    return { kind: 'alter-table', table, actions };
  }

  private alterAction(at: Position): AlterAction {
    const other: AlterAction = { kind: 'other', at };
    if (this.words('ADD', 'PRIMARY', 'KEY') || this.words('DROP', 'PRIMARY', 'KEY') || this.words('ALTER', 'PRIMARY', 'KEY')) {
      return { kind: 'change-type-or-key', at, what: 'the primary key' };
    }
    if (this.words('ADD', 'INDEX')) {
      const index = this.index();
      return index ? { kind: 'add-index', index } : other;
    }
    if (this.words('DROP', 'INDEX')) return this.named(other, (index) => ({ kind: 'drop-index', index }));
    if (this.words('ADD', 'CHANGEFEED')) return this.named(other, (changefeed) => ({ kind: 'add-changefeed', changefeed }));
    if (this.words('DROP', 'CHANGEFEED')) return this.named(other, (changefeed) => ({ kind: 'drop-changefeed', changefeed }));
    if (this.words('ALTER', 'COLUMN')) {
      const column = this.name();
      const changesType = this.words('SET', 'TYPE') || this.words('SET', 'DATA', 'TYPE') || this.words('TYPE');
      return column && changesType ? { kind: 'change-type-or-key', at, what: `the type of column ${column.name}` } : other;
    }
    if (this.isWord('ADD')) {
      this.words('ADD');
      if (this.isWord('FAMILY')) return other;
      this.words('COLUMN');
      const column = this.column();
      return column ? { kind: 'add-column', column } : other;
    }
    if (this.isWord('DROP')) {
      this.words('DROP');
      this.words('COLUMN');
      return this.named(other, (column) => ({ kind: 'drop-column', column }));
    }
    return other;
  }

  private named(other: AlterAction, make: (name: NameAt) => AlterAction): AlterAction {
    const name = this.name();
    return name ? make(name) : other;
  }

  /** `name Type [FAMILY f] [NOT NULL | NULL] [DEFAULT expr]`, the rest of the item left for skipItem. */
  private column(): ColumnDef | null {
    const name = this.name();
    const typeToken = this.peek();
    if (!name || !typeToken || (typeToken.kind !== 'word' && typeToken.kind !== 'quoted')) return null;
    const typeAt = this.position(typeToken);
    this.pos++;
    let type = typeToken.text;
    if (this.isOp('(') || this.isOp('<')) type += this.balanced();
    while (this.isOp('?')) type += this.tokens[this.pos++]!.text;
    const typeKnown = resolveColumnType(type).kind !== 'unknown';
    let notNull = false;
    let hasDefault = false;
    for (let depth = 0, i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')' && --depth < 0) break;
      else if (depth === 0 && t.kind === 'punct' && t.text === ',') break;
      else if (depth === 0 && isWord(t, 'DEFAULT')) hasDefault = true;
      else if (depth === 0 && isWord(t, 'NOT') && isWord(this.tokens[i + 1], 'NULL')) notNull = true;
    }
    return { ...name, type, typeAt, typeKnown, notNull, hasDefault };
  }

  /** `name GLOBAL [UNIQUE] [SYNC|ASYNC] ON (cols) [COVER (cols)]`; null when ON (...) is missing. */
  private index(): IndexDef | null {
    const name = this.name();
    if (!name) return null;
    let unique = false;
    while (this.peek() && !this.isWord('ON') && !this.isOp(',') && !this.isOp(')')) {
      if (this.isWord('UNIQUE')) unique = true;
      this.pos++;
    }
    if (!this.words('ON')) return null;
    const columns = this.nameList();
    const cover = this.words('COVER') ? this.nameList() : [];
    return { ...name, unique, columns, cover };
  }

  private nameList(): NameAt[] {
    const names: NameAt[] = [];
    if (!this.op('(')) return names;
    do {
      const name = this.name();
      if (name) names.push(name);
    } while (this.op(','));
    this.op(')');
    return names;
  }

  /** Skips to the `,` or `)` that ends the current item, nested parentheses included. */
  private skipItem(): void {
    for (let depth = 0; this.pos < this.tokens.length; this.pos++) {
      const t = this.tokens[this.pos]!;
      if (t.kind !== 'punct') continue;
      if (t.text === '(' || t.text === '<') depth++;
      else if ((t.text === ')' || t.text === '>') && depth > 0) depth--;
      else if (depth === 0 && (t.text === ',' || t.text === ')' || t.text === ';')) return;
    }
  }

  /** From an opening `(` or `<` to its match, as one string without spaces. */
  private balanced(): string {
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

  private name(): NameAt | null {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return null;
    this.pos++;
    return { name: t.kind === 'quoted' ? t.text.slice(1, -1).replace(/``/g, '`') : t.text, ...this.position(t) };
  }

  private peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }

  private here(): Position | null {
    const t = this.peek();
    return t ? this.position(t) : null;
  }

  private isWord(word: string): boolean {
    return isWord(this.peek(), word);
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === op;
  }

  private op(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  /** Consumes the words (case-insensitive) if all come next. */
  private words(...words: string[]): boolean {
    if (!words.every((w, k) => isWord(this.peek(k), w))) return false;
    this.pos += words.length;
    return true;
  }

  /** A token's position in the file: the statement's text starts at its own line and column. */
  private position(t: Token): Position {
    return { line: this.source.line + t.line - 1, column: t.line === 1 ? this.source.column + t.column - 1 : t.column };
  }
}

/** Case-insensitive; the length test first spares most upper-casings (lint reads every DDL statement of every migration). */
function isWord(t: Token | undefined, word: string): boolean {
  return t?.kind === 'word' && t.text.length === word.length && t.text.toUpperCase() === word;
}

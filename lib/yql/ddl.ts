/**
 * The one DDL reader: CREATE / ALTER / DROP TABLE read into the tree of
 * ddl-tree.ts, following YDB's grammar (yql/essentials/sql/v1/SQLv1Antlr4.g.in).
 *
 * Two modes. Tolerant (lint): what the reader does not know becomes an
 * `other` action or an `unread` entry, never an exception. Strict
 * (desired-schema files): the same, but the first thing it does not know
 * inside table DDL is a SCHEMA_PARSE error at its file:line:col.
 */
import { resolveColumnType } from '../rules/column-types.js';
import { DdlCursor, type ReadMode } from './ddl-cursor.js';
import { tokenize, type Token } from './lexer.js';
import type { Statement } from './blocks.js';
import type {
  AlterAction, ChangefeedDef, ColumnDef, CreateTable, DdlStatement, Expr, FamilyDef, IndexDef, NameAt, Position, Setting, TableSettings, TtlDef, TtlTier,
} from './ddl-tree.js';

export type * from './ddl-tree.js';

export { unquoteName, type ReadMode } from './ddl-cursor.js';

const OTHER: DdlStatement = { kind: 'other' };
const TTL_UNITS = new Set(['SECONDS', 'MILLISECONDS', 'MICROSECONDS', 'NANOSECONDS']);

/** A migration statement's table DDL; `{ kind: 'other' }` for anything that is not table DDL. */
export function readDdl(statement: Statement, file: string, mode: ReadMode = 'tolerant'): DdlStatement {
  if (statement.role !== 'ddl' || !/^(CREATE|ALTER|DROP)$/.test(statement.keyword)) return OTHER;
  const tokens = significant(tokenize(statement.text, file));
  const at = (t: Token): Position => ({ line: statement.line + t.line - 1, column: t.line === 1 ? statement.column + t.column - 1 : t.column });
  return new DdlReader(tokens, at, file, mode, statement.createsFromSelect).statement();
}

/** Every statement of a whole file (a desired schema), each read in `mode`; positions are the file's own. */
export function readDdlFile(text: string, file: string, mode: ReadMode): { ddl: DdlStatement; first: Token }[] {
  const all = significant(tokenize(text, file));
  const out: { ddl: DdlStatement; first: Token }[] = [];
  let start = 0;
  for (let i = 0; i <= all.length; i++) {
    if (i < all.length && !(all[i]!.kind === 'punct' && all[i]!.text === ';')) continue;
    const tokens = all.slice(start, i);
    start = i + 1;
    if (tokens.length === 0) continue;
    const ddl = new DdlReader(tokens, (t) => ({ line: t.line, column: t.column }), file, mode, false).statement();
    out.push({ ddl, first: tokens[0]! });
  }
  return out;
}

/** Without whitespace, comments and the statement's closing `;`. */
function significant(tokens: Token[]): Token[] {
  const kept = tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  const last = kept[kept.length - 1];
  if (last?.kind === 'punct' && last.text === ';') kept.pop();
  return kept;
}

class DdlReader extends DdlCursor {
  constructor(tokens: Token[], at: (t: Token) => Position, file: string, mode: ReadMode, private readonly createsFromSelect: boolean) {
    super(tokens, at, file, mode);
  }

  statement(): DdlStatement {
    const first = this.peek();
    if (this.words('CREATE', 'TABLE')) return this.createTable(false);
    if (this.words('CREATE', 'OR', 'REPLACE', 'TABLE')) return this.createTable(true);
    if (this.words('ALTER', 'TABLE')) return this.alterTable();
    if (this.words('DROP', 'TABLE')) {
      const ifExists = this.words('IF', 'EXISTS');
      const table = this.name('a table name');
      this.end();
      return table ? { kind: 'drop-table', table, ifExists } : OTHER;
    }
    if (first && (this.words('CREATE', 'INDEX') || this.words('CREATE', 'UNIQUE', 'INDEX'))) return { kind: 'create-index', at: this.at(first) };
    // Which statements a file may hold is its reader's business (parse.ts); strictness is about table DDL.
    return OTHER;
  }

  private createTable(orReplace: boolean): DdlStatement {
    const ifNotExists = this.words('IF', 'NOT', 'EXISTS');
    const table = this.name('a table name');
    if (!table || !this.op('(')) {
      if (this.mode === 'strict') this.fail(this.peek(), "expected '(' and the table's columns");
      return OTHER;
    }
    const ddl: CreateTable = {
      kind: 'create-table', table, orReplace, ifNotExists, columns: [], primaryKeys: [], indexes: [], families: [], changefeeds: [],
      partitionBy: null, settings: [], ttl: null, store: 'row', asSelect: this.createsFromSelect, unread: [],
    };
    do {
      if (this.isOp(')')) break;
      this.entry(ddl);
    } while (this.op(','));
    this.expectOp(')');
    while (this.peek()) {
      if (this.words('PARTITION', 'BY')) {
        this.words('HASH');
        ddl.partitionBy = this.nameList();
      } else if (this.words('WITH')) {
        Object.assign(ddl, this.tableSettings());
      } else if (this.isWord('AS')) {
        ddl.asSelect = true;
        this.pos = this.tokens.length;
      } else {
        this.unexpected(ddl.unread, 'after the column list');
        break;
      }
    }
    const store = ddl.settings.find((s) => s.name === 'STORE');
    if (store && /^column$/i.test(store.value.text)) ddl.store = 'column';
    return ddl;
  }

  /** One item of CREATE TABLE's list: a column, PRIMARY KEY, INDEX, FAMILY or CHANGEFEED. */
  private entry(ddl: CreateTable): void {
    if (this.isWord('PRIMARY') && this.isWord('KEY', 1)) {
      this.pos += 2;
      ddl.primaryKeys.push(this.nameList());
    } else if (this.isWord('INDEX') && this.isIndexAhead()) {
      this.pos++;
      const index = this.index();
      if (index) ddl.indexes.push(index);
      else this.unexpected(ddl.unread, 'in INDEX');
    } else if (this.isWord('FAMILY') && this.isOp('(', 2) && this.isSettingAt(3)) {
      this.pos++;
      ddl.families.push(this.family());
    } else if (this.isWord('CHANGEFEED') && this.isWord('WITH', 2)) {
      this.pos++;
      ddl.changefeeds.push(this.changefeed());
    } else if (this.isWord('PARTITION') && this.isWord('BY', 1) && (this.isOp('(', 2) || this.isWord('HASH', 2))) {
      // A row table's `PARTITION BY (...)` inside the list (kqp_scheme_ut.cpp CreateAndAlterTableWithPartitionBy).
      this.pos += 2;
      this.words('HASH');
      ddl.partitionBy = this.nameList();
    } else {
      const column = this.column();
      if (column) ddl.columns.push(column);
      else this.unexpected(ddl.unread, 'where a column was expected');
    }
    if (!this.isOp(',') && !this.isOp(')')) this.unexpected(ddl.unread, 'in the column list');
  }

  /** `INDEX name` followed by what only an index has (a column named `index` is followed by its type). */
  private isIndexAhead(): boolean {
    const t = this.peek(2);
    return t?.kind === 'word' && /^(GLOBAL|LOCAL|ON|UNIQUE|SYNC|ASYNC|USING)$/i.test(t.text);
  }

  private alterTable(): DdlStatement {
    const table = this.name('a table name');
    if (!table) return OTHER;
    const actions: AlterAction[] = [];
    do {
      const first = this.peek();
      if (!first) break;
      const action = this.alterAction(this.at(first));
      if (action.kind === 'other' && this.mode === 'strict') this.fail(first, `${action.what} is not something a desired schema holds`);
      actions.push(action);
      if (!this.isOp(',') && this.peek()) {
        actions.push({ kind: 'other', at: this.at(this.peek()!), what: `'${this.peek()!.text}'` });
        this.skipItem();
      }
    } while (this.op(','));
    return { kind: 'alter-table', table, actions };
  }

  private alterAction(at: Position): AlterAction {
    const other = (what: string): AlterAction => {
      this.skipItem();
      return { kind: 'other', at, what };
    };
    for (const verb of ['ADD', 'DROP', 'ALTER']) {
      if (this.words(verb, 'PRIMARY', 'KEY')) return this.skipped({ kind: 'change-type-or-key', at, what: 'the primary key' });
    }
    if (this.words('ADD', 'INDEX')) {
      const index = this.index();
      return index ? { kind: 'add-index', index } : other('ADD INDEX without ON (columns)');
    }
    if (this.isWord('DROP') && this.isWord('INDEX', 1) && this.isNameAt(2) && this.words('DROP', 'INDEX')) return this.named(other, (index) => ({ kind: 'drop-index', index }));
    if (this.words('RENAME', 'INDEX')) {
      const index = this.name('an index name');
      const to = this.words('TO') ? this.name('the new index name') : null;
      return index && to ? { kind: 'rename-index', index, to } : other('RENAME INDEX');
    }
    if (this.words('ALTER', 'INDEX')) {
      const index = this.name('an index name');
      if (index && this.words('RESET')) return { kind: 'reset-index', index, names: this.nameList().map((n) => ({ ...n, name: n.name.toUpperCase() })) };
      return index && this.words('SET') ? { kind: 'alter-index', index, settings: this.settingsAfterSet().settings } : other('ALTER INDEX');
    }
    if (this.isWord('RENAME') && this.isWord('COLUMN', 1)) return other('RENAME COLUMN');
    if (this.words('RENAME', 'TO')) return this.named(other, (to) => ({ kind: 'rename-to', at, to }));
    if (this.isWord('ADD') && this.isWord('CHANGEFEED', 1) && this.isWord('WITH', 3) && this.words('ADD', 'CHANGEFEED')) return { kind: 'add-changefeed', changefeed: this.changefeed() };
    if (this.words('ALTER', 'CHANGEFEED')) {
      const changefeed = this.name('a changefeed name');
      if (changefeed && this.words('SET')) return { kind: 'alter-changefeed', changefeed, settings: this.settingsAfterSet().settings };
      return changefeed ? this.skipped({ kind: 'alter-changefeed', changefeed, settings: [] }) : other('ALTER CHANGEFEED');
    }
    if (this.isWord('DROP') && this.isWord('CHANGEFEED', 1) && this.isNameAt(2) && this.words('DROP', 'CHANGEFEED')) return this.named(other, (changefeed) => ({ kind: 'drop-changefeed', changefeed }));
    if (this.isWord('ADD') && this.isWord('FAMILY', 1) && this.isOp('(', 3) && this.words('ADD', 'FAMILY')) return { kind: 'add-family', family: this.family() };
    if (this.words('ALTER', 'FAMILY')) {
      const family = this.name('a family name');
      const setting = family && this.words('SET') ? this.setting(false) : null;
      return family && setting ? { kind: 'alter-family', family, setting } : other('ALTER FAMILY');
    }
    if (this.words('ALTER', 'COLUMN')) return this.alterColumn(at, other);
    if (this.words('SET')) return { kind: 'set', at, settings: this.settingsAfterSet() };
    if (this.words('RESET')) {
      const names = this.nameList().map((n) => ({ ...n, name: n.name.toUpperCase() }));
      return { kind: 'reset', at, names };
    }
    if (this.isWord('ADD')) {
      this.pos++;
      this.words('COLUMN');
      const column = this.column();
      return column ? { kind: 'add-column', column } : other('ADD');
    }
    if (this.isWord('DROP')) {
      this.pos++;
      this.words('COLUMN');
      return this.named(other, (column) => ({ kind: 'drop-column', column }));
    }
    return other(`'${this.peek()?.text ?? ''}'`);
  }

  private alterColumn(at: Position, other: (what: string) => AlterAction): AlterAction {
    const column = this.name('a column name');
    if (!column) return other('ALTER COLUMN');
    if (this.words('SET', 'TYPE') || this.words('SET', 'DATA', 'TYPE') || this.words('TYPE')) {
      return this.skipped({ kind: 'change-type-or-key', at, what: `the type of column ${column.name}` });
    }
    if (this.words('SET', 'FAMILY')) return { kind: 'alter-column', column, change: 'set-family', family: this.name('a family name') };
    if (this.words('DROP', 'NOT', 'NULL')) return { kind: 'alter-column', column, change: 'drop-not-null', family: null };
    if (this.words('SET', 'NOT', 'NULL')) return { kind: 'alter-column', column, change: 'set-not-null', family: null };
    return other(`ALTER COLUMN ${column.name}`);
  }

  private skipped(action: AlterAction): AlterAction {
    this.skipItem();
    return action;
  }

  private named(other: (what: string) => AlterAction, make: (name: NameAt) => AlterAction): AlterAction {
    const name = this.name('a name');
    return name ? make(name) : other('a name');
  }

  /** `name Type [options]`, options being FAMILY f, [NOT] NULL, DEFAULT expr, bare or as `(option, ...)`. */
  private column(): ColumnDef | null {
    const quoted = this.peek()?.kind === 'quoted';
    const name = this.name('a column name');
    const typeToken = this.peek();
    if (!name || !typeToken || (typeToken.kind !== 'word' && typeToken.kind !== 'quoted')) return null;
    this.pos++;
    let type = typeToken.text;
    if (this.isOp('<') || (this.isOp('(') && !this.isColumnOptionAt(1))) type += this.balanced();
    while (this.isOp('?')) type += this.tokens[this.pos++]!.text;
    const column: ColumnDef = { ...name, quoted, type, typeAt: this.at(typeToken), resolved: resolveColumnType(type), notNull: false, default: null, family: null };
    if (this.isOp('(') && this.isColumnOptionAt(1)) {
      this.pos++;
      do this.columnOptions(column, true);
      while (this.op(','));
      this.expectOp(')');
    } else {
      this.columnOptions(column, false);
    }
    return column;
  }

  private isColumnOptionAt(k: number): boolean {
    return this.isWord('DEFAULT', k) || this.isWord('NOT', k) || this.isWord('NULL', k) || this.isWord('FAMILY', k);
  }

  /** Options until none is next; inside parentheses, one option per comma. */
  private columnOptions(column: ColumnDef, one: boolean): void {
    for (;;) {
      if (this.words('FAMILY')) column.family = this.name('a family name');
      else if (this.words('NOT', 'NULL')) column.notNull = true;
      else if (this.words('NULL')) column.notNull = false;
      else if (this.isWord('DEFAULT')) {
        this.pos++;
        column.default = this.expr(true);
      } else return;
      if (one) return;
    }
  }

  /** `name [GLOBAL|LOCAL] [UNIQUE] [SYNC|ASYNC] [USING type] ON (cols) [COVER (cols)] [WITH (settings)]`; null without ON. */
  private index(): IndexDef | null {
    const name = this.name('an index name');
    if (!name) return null;
    const index: IndexDef = { ...name, scope: 'GLOBAL', unique: false, sync: null, using: null, columns: [], cover: [], settings: [] };
    for (;;) {
      const word = this.peek()?.kind === 'word' ? this.peek()!.text.toUpperCase() : '';
      if (word === 'GLOBAL' || word === 'LOCAL') index.scope = word;
      else if (word === 'UNIQUE') index.unique = true;
      else if (word === 'SYNC' || word === 'ASYNC') index.sync = word;
      else if (word === 'USING') {
        this.pos++;
        index.using = this.peek()?.text ?? '';
      } else break;
      this.pos++;
    }
    if (!this.words('ON')) {
      if (this.mode === 'strict') this.fail(this.peek(), 'expected ON (columns) in the index');
      return null;
    }
    index.columns = this.nameList();
    if (this.words('COVER')) index.cover = this.nameList();
    if (this.words('WITH')) index.settings = this.settingList();
    return index;
  }

  private family(): FamilyDef {
    const name = this.name('a family name') ?? this.placeholder();
    return { ...name, settings: this.settingList() };
  }

  private changefeed(): ChangefeedDef {
    const name = this.name('a changefeed name') ?? this.placeholder();
    const settings = this.words('WITH') ? this.settingList() : [];
    if (settings.length === 0 && this.mode === 'strict') this.fail(this.peek(), "expected WITH (MODE = '...', FORMAT = '...')");
    return { ...name, settings };
  }

  /** After SET: `(NAME = value, ...)` or the short form `NAME value` (`SET TTL Interval("P1D") ON c`). */
  private settingsAfterSet(): TableSettings {
    if (this.isOp('(')) return this.tableSettings();
    const setting = this.setting(false);
    if (!setting) return { settings: [], ttl: null };
    return setting.name === 'TTL' ? { settings: [], ttl: this.ttlFrom(setting) } : { settings: [setting], ttl: null };
  }

  /** `(NAME = value, ...)` of a table (WITH or SET): TTL read apart, with its tiers. */
  private tableSettings(): TableSettings {
    const out: TableSettings = { settings: [], ttl: null };
    this.expectOp('(');
    do {
      if (this.isOp(')')) break;
      const setting = this.setting(true);
      if (!setting) break;
      if (setting.name === 'TTL') out.ttl = this.ttlFrom(setting);
      else out.settings.push(setting);
    } while (this.op(','));
    this.expectOp(')');
    return out;
  }

  private settingList(): Setting[] {
    const settings: Setting[] = [];
    this.expectOp('(');
    do {
      if (this.isOp(')')) break;
      const setting = this.setting(true);
      if (!setting) break;
      settings.push(setting);
    } while (this.op(','));
    this.expectOp(')');
    return settings;
  }

  /** `NAME = value` (or `NAME value` when `equals` is false and no `=` follows); the value up to `,` or `)`. */
  private setting(equals: boolean): Setting | null {
    const name = this.name('a setting name');
    if (!name) return null;
    if (!this.op('=') && equals && this.mode === 'strict') this.fail(this.peek(), `expected '=' after ${name.name}`);
    const value = name.name.toUpperCase() === 'TTL' ? this.ttlValue() : this.expr(false);
    return { ...name, name: name.name.toUpperCase(), value };
  }

  /** A TTL's value runs past commas (`Interval("P1D") TO EXTERNAL DATA SOURCE s, Interval("P2D") DELETE ON c`), to its ON column and unit. */
  private ttlValue(): Expr {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.tokens.length; this.pos++) {
      const t = this.tokens[this.pos]!;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')' && --depth < 0) break;
      else if (depth === 0 && t.kind === 'word' && /^ON$/i.test(t.text)) {
        this.pos += 2;
        if (this.isWord('AS')) this.pos += 2;
        break;
      }
    }
    return this.exprOf(start, this.pos);
  }

  private ttlFrom(setting: Setting): TtlDef | null {
    const tokens = setting.value.tokens;
    const tiers: TtlTier[] = [];
    let i = 0;
    const isWordAt = (k: number, w: string) => tokens[k]?.kind === 'word' && tokens[k]!.text.toUpperCase() === w;
    for (;;) {
      const start = i;
      for (let depth = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (t.text === '(' && t.kind === 'punct') depth++;
        else if (t.text === ')' && t.kind === 'punct') depth--;
        else if (depth === 0 && t.kind === 'word' && /^(ON|DELETE|TO)$/i.test(t.text)) break;
        else if (depth === 0 && t.kind === 'punct' && t.text === ',') break;
      }
      if (i === start) break;
      const delay = this.exprOf(0, 0, tokens.slice(start, i));
      let evictTo: NameAt | null = null;
      if (isWordAt(i, 'DELETE')) i++;
      else if (isWordAt(i, 'TO') && isWordAt(i + 1, 'EXTERNAL')) {
        const storage = tokens[i + 4];
        evictTo = storage ? this.nameOf(storage) : null;
        i += 5;
      }
      tiers.push({ delay, evictTo });
      if (tokens[i]?.text === ',') i++;
      else break;
    }
    if (!isWordAt(i, 'ON') || !tokens[i + 1]) {
      if (this.mode === 'strict') this.fail(tokens[i] ?? tokens[0], 'expected ON column in the TTL');
      return null;
    }
    const column = this.nameOf(tokens[i + 1]!);
    const unit = isWordAt(i + 2, 'AS') && tokens[i + 3] ? { ...this.nameOf(tokens[i + 3]!), name: tokens[i + 3]!.text.toUpperCase() } : null;
    if (unit && !TTL_UNITS.has(unit.name) && this.mode === 'strict') this.fail(tokens[i + 3], `a TTL unit is one of ${[...TTL_UNITS].join(', ')}`);
    return { line: setting.line, column: setting.column, tiers, on: column, unit };
  }
}

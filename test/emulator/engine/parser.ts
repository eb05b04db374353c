/**
 * Recursive-descent parser for the YQL subset (see SUBSET.md). Known YQL
 * constructs outside the subset are refused by name ("... is not supported by
 * the ydb-migrate test emulator"); unknown text is a syntax error at the
 * offending token, worded like YQL's ANTLR parser.
 */
import { subexpressions } from './ast.js';
import type {
  AlterAction, BinaryOp, ColumnDef, Expr, Identifier, IndexDef, OrderTerm, SelectItem, Statement, TableRef,
  TableSetting, TtlDef, TypeNode,
} from './ast.js';
import { syntaxError, typeError, unsupported } from './errors.js';
import { tokenize, type ColumnUnit, type Token } from './lexer.js';
import { checkSettings } from './settings.js';
import { primitive } from './types.js';
import { parseFromText } from './values.js';

export function parse(text: string, columns: ColumnUnit = 'codepoints'): Statement[] {
  return new Parser(tokenize(text, columns)).statements();
}

/** YQL statements that exist but are outside the emulator's subset. */
const UNSUPPORTED_STATEMENTS = new Set([
  'USE', 'DEFINE', 'EXPORT', 'IMPORT', 'EVALUATE', 'PROCESS', 'REDUCE', 'DISCARD', 'GRANT', 'REVOKE', 'ANALYZE',
  'BACKUP', 'RESTORE', 'BATCH', 'DO', 'IF', 'FOR', 'PARALLEL', 'VALUES', 'EXPLAIN',
  'SHOW', 'TRUNCATE',
]);

/** Clauses that may follow FROM in YQL but are outside the subset. */
const UNSUPPORTED_CLAUSES = new Set([
  'JOIN', 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'FULL', 'EXCLUSION', 'GROUP', 'HAVING', 'UNION', 'WINDOW', 'FLATTEN',
  'SAMPLE', 'TABLESAMPLE', 'ASSUME', 'INTO', 'EXCEPT', 'INTERSECT', 'WITHOUT',
]);

/** Words that end a select item instead of naming it (an alias may be given without AS). */
const SELECT_TERMINATORS = new Set([
  'FROM', 'WHERE', 'ORDER', 'LIMIT', 'OFFSET', 'SELECT', 'UPSERT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'CREATE',
  'ALTER', 'DROP', 'DECLARE', 'PRAGMA', 'COMMIT', 'ROLLBACK', ...UNSUPPORTED_CLAUSES,
]);

/**
 * Keywords that cannot name a column (YQL's grammar rule id_schema), from
 * yql/essentials/sql/v1/sql_ut_common.h, test TokensAsColumnNameInAddColumn.
 */
const NOT_COLUMN_NAMES = new Set([
  'ANY', 'AUTOMAP', 'CALLABLE', 'COLUMN', 'DICT', 'ENUM', 'ERASE', 'FALSE', 'FLOW', 'LIST', 'OPTIONAL', 'REPEATABLE',
  'RESOURCE', 'SET', 'STREAM', 'STRUCT', 'TAGGED', 'TRUE', 'TUPLE', 'VARIANT',
]);

/** What may follow ADD / DROP in ALTER TABLE besides a column (the word COLUMN is optional). */
const ALTER_OBJECTS = new Set(['COLUMN', 'INDEX', 'FAMILY', 'CHANGEFEED']);

/** A literal or an operator over literals: what ORDER BY refuses as constant. */
function isConstant(e: Expr): boolean {
  if (e.kind === 'number' || e.kind === 'string' || e.kind === 'bool' || e.kind === 'null') return true;
  return (e.kind === 'unary' || e.kind === 'binary') && subexpressions(e).every(isConstant);
}

/** The first column an expression reads, if any. */
function columnReference(e: Expr): Extract<Expr, { kind: 'column' }> | undefined {
  return e.kind === 'column' ? e : subexpressions(e).map(columnReference).find((c) => c);
}

const AGGREGATES = new Set(['COUNT', 'SUM', 'MIN', 'MAX', 'AVG']);

/** An aggregate over `*` or constants (over a column, a missing FROM is reported for the column). */
function constantAggregate(e: Expr): Expr | undefined {
  if (e.kind === 'call' && AGGREGATES.has(e.name.toUpperCase()) && (e.star || e.args.every(isConstant))) return e;
  return subexpressions(e).map(constantAggregate).find((x) => x);
}

/** YQL's wording when no statement can start with this token. */
function unexpectedToken(t: Token): Error {
  return syntaxError(t.pos, `Unexpected token '${t.text}' : cannot match to any predicted input...`);
}

const COMPARISONS: Record<string, BinaryOp> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  // ------------------------------------------------------------ token helpers

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.value.toUpperCase() === word;
  }

  /** Consumes the keywords if they all come next. */
  private acceptKw(...words: string[]): boolean {
    if (!words.every((w, k) => this.isKw(w, k))) return false;
    this.i += words.length;
    return true;
  }

  private mismatch(expected: string): never {
    const t = this.peek();
    throw syntaxError(t.pos, `mismatched input '${t.text}' expecting ${expected}`);
  }

  private expectKw(word: string): Token {
    if (!this.isKw(word)) this.mismatch(word);
    return this.next();
  }

  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.i++;
    return true;
  }

  private expectOp(op: string): Token {
    if (!this.isOp(op)) this.mismatch(`'${op}'`);
    return this.next();
  }

  private identifier(): Identifier {
    const t = this.peek();
    if (t.kind !== 'ident' && t.kind !== 'quoted') this.mismatch('an identifier');
    this.next();
    return { name: t.value, pos: t.pos };
  }

  private identifierList(): Identifier[] {
    this.expectOp('(');
    const list = [this.identifier()];
    while (this.acceptOp(',')) list.push(this.identifier());
    this.expectOp(')');
    return list;
  }

  private tableRef(): TableRef {
    const t = this.peek();
    if (t.kind === 'param') throw unsupported(t.pos, 'A table name given by a named expression');
    const id = this.identifier();
    if (this.isOp('.')) throw unsupported(this.peek().pos, 'A cluster-qualified table name');
    return { path: id.name, pos: id.pos };
  }

  // ------------------------------------------------------------ statements

  statements(): Statement[] {
    const result: Statement[] = [];
    for (;;) {
      while (this.acceptOp(';'));
      if (this.peek().kind === 'eof') return result;
      result.push(this.statement());
      if (!this.acceptOp(';') && this.peek().kind !== 'eof') this.mismatch("{<EOF>, ';'}");
    }
  }

  private statement(): Statement {
    const t = this.peek();
    if (t.kind === 'param') return this.namedExpr();
    if (t.kind !== 'ident') throw unexpectedToken(t);
    const word = t.value.toUpperCase();
    switch (word) {
      case 'CREATE':
        return this.createTable();
      case 'ALTER':
        return this.alterTable();
      case 'DROP':
        return this.dropTable();
      case 'UPSERT':
      case 'INSERT':
      case 'REPLACE':
        return this.write(word);
      case 'UPDATE':
        return this.update();
      case 'DELETE':
        return this.deleteFrom();
      case 'SELECT':
        return this.select();
      case 'DECLARE':
        return this.declare();
      case 'PRAGMA':
        return this.pragma();
      case 'COMMIT':
      case 'ROLLBACK':
        this.next();
        return { kind: 'commit', ...(word === 'ROLLBACK' ? { rollback: true } : {}), pos: t.pos };
      default:
        if (UNSUPPORTED_STATEMENTS.has(word)) throw unsupported(t.pos, `The ${word} statement`);
        throw unexpectedToken(t);
    }
  }

  /** `CREATE TABLE`, or a refusal naming the object kind (`CREATE VIEW`, `CREATE TOPIC`, ...). */
  private objectKeyword(verb: string): void {
    this.next();
    if (this.isKw('TABLE')) {
      this.next();
      return;
    }
    const t = this.peek();
    if (t.kind === 'ident') throw unsupported(t.pos, `${verb} ${t.value.toUpperCase()}`);
    this.mismatch('TABLE');
  }

  private createTable(): Statement {
    const pos = this.peek().pos;
    this.objectKeyword('CREATE');
    const guard = this.peek().pos;
    const ifNotExists = this.acceptKw('IF', 'NOT', 'EXISTS') ? guard : undefined;
    const table = this.tableRef();
    const columns: ColumnDef[] = [];
    const indexes: IndexDef[] = [];
    let primaryKey: Identifier[] | undefined;
    let partitionBy: Identifier[] | undefined;
    this.expectOp('(');
    do {
      if (this.isOp(')')) break; // YQL accepts a trailing comma
      if (this.isKw('PRIMARY')) {
        this.next();
        this.expectKw('KEY');
        if (primaryKey) throw syntaxError(this.peek().pos, 'PRIMARY KEY is specified more than once');
        primaryKey = this.identifierList();
      } else if (this.isKw('INDEX')) {
        this.next();
        indexes.push(this.indexDef());
      } else if (this.isKw('PARTITION') && this.isKw('BY', 1)) {
        this.i += 2;
        partitionBy = this.identifierList();
      } else if (this.isTableLevelDefinition()) {
        throw unsupported(this.peek().pos, `${this.peek().value.toUpperCase()} in CREATE TABLE`);
      } else {
        columns.push(this.columnDef());
      }
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (this.isKw('AS')) throw unsupported(this.peek().pos, 'CREATE TABLE ... AS SELECT');
    if (this.isKw('PARTITION')) throw unsupported(this.peek().pos, 'PARTITION BY');
    const settings = this.acceptKw('WITH') ? this.settings() : [];
    if (!primaryKey) {
      throw syntaxError(pos, 'Primary key is required for ydb tables.');
    }
    if (partitionBy) checkPartitionBy(partitionBy, primaryKey);
    checkSettings(settings, primaryKey.length);
    return { kind: 'createTable', table, ...(ifNotExists ? { ifNotExists } : {}), columns, primaryKey, indexes, settings, pos };
  }

  /** `(name = value, ...)` of WITH and SET. */
  /**
   * `FAMILY name (...)`, `CHANGEFEED name WITH (...)` or `CONSTRAINT ...` in CREATE TABLE;
   * `FAMILY Utf8` or `CHANGEFEED Utf8 NOT NULL` is a column with that name.
   */
  private isTableLevelDefinition(): boolean {
    if (this.isKw('CONSTRAINT')) return true;
    if (!this.isKw('FAMILY') && !this.isKw('CHANGEFEED')) return false;
    const name = this.peek(1);
    return (name.kind === 'ident' || name.kind === 'quoted') && (this.isOp('(', 2) || this.isKw('WITH', 2));
  }

  private settings(): TableSetting[] {
    this.expectOp('(');
    const list: TableSetting[] = [];
    do {
      const name = this.identifier();
      this.expectOp('=');
      list.push(this.settingValue(name));
    } while (this.acceptOp(','));
    this.expectOp(')');
    return list;
  }

  /** After `name =` (or `SET name` in the short form): the value, a TTL, or PARTITION_AT_KEYS' split points. */
  private settingValue(name: Identifier): TableSetting {
    const upper = name.name.toUpperCase();
    if (upper === 'TTL') return { name, value: '', ttl: this.ttlDef() };
    if (upper === 'PARTITION_AT_KEYS') return { name, value: '', keyArities: this.splitPoints() };
    const v = this.next();
    if (v.kind === 'op' || v.kind === 'eof') throw syntaxError(v.pos, `mismatched input '${v.text}' expecting a setting value`);
    if (v.kind === 'ident' && this.isOp('(')) throw unsupported(v.pos, `Table setting ${upper}`);
    return { name, value: v.kind === 'string' ? Buffer.from(v.bytes!).toString('utf8') : v.value };
  }

  /** `(k, (k1, k2), ...)`: the number of key values of each split point. */
  private splitPoints(): number[] {
    const literal = (): void => {
      this.acceptOp('-');
      const t = this.next();
      if (t.kind !== 'number' && t.kind !== 'string') throw syntaxError(t.pos, `mismatched input '${t.text}' expecting a literal`);
    };
    this.expectOp('(');
    const arities: number[] = [];
    do {
      if (this.acceptOp('(')) {
        let n = 0;
        do {
          literal();
          n++;
        } while (this.acceptOp(','));
        this.expectOp(')');
        arities.push(n);
      } else {
        literal();
        arities.push(1);
      }
    } while (this.acceptOp(','));
    this.expectOp(')');
    return arities;
  }

  /** After `TTL =`: `Interval("...") [DELETE] ON column [AS unit]` (eviction to external storage is not supported). */
  private ttlDef(): TtlDef {
    const interval = this.peek();
    const text = this.peek(2);
    if (!this.isKw('INTERVAL') || !this.isOp('(', 1) || text.kind !== 'string' || !this.isOp(')', 3)) {
      throw syntaxError(interval.pos, 'Literal of Interval type is expected for TTL');
    }
    this.i += 4;
    const micros = parseFromText(primitive('Interval'), Buffer.from(text.bytes!).toString('utf8'));
    if (typeof micros !== 'bigint') throw typeError(interval.pos, 'Invalid TTL interval: expected an Interval');
    if (micros < 0n) throw syntaxError(interval.pos, 'Interval value cannot be negative');
    this.acceptKw('DELETE');
    if (this.isKw('TO')) throw unsupported(this.peek().pos, 'TTL eviction TO EXTERNAL DATA SOURCE');
    this.expectKw('ON');
    const column = this.identifier();
    const unit = this.acceptKw('AS') ? this.identifier().name.toUpperCase() : undefined;
    return { expireAfterSeconds: Number(micros / 1_000_000n), column, ...(unit ? { unit } : {}) };
  }

  private columnDef(): ColumnDef {
    const word = this.peek();
    if (word.kind === 'ident' && NOT_COLUMN_NAMES.has(word.value.toUpperCase())) this.mismatch('a column name');
    const name = this.identifier();
    const type = this.typeNode();
    let notNull = false;
    let defaultValue: Expr | undefined;
    // The docs' "alternative syntax" (ydb/docs/en/core/yql/reference/syntax/alter_table/columns.md):
    // `rate Double (DEFAULT 5.0, NOT NULL)`, the same constraints in parentheses, comma-separated.
    const parenthesized = this.acceptOp('(');
    for (;;) {
      if (this.acceptKw('NOT', 'NULL')) {
        notNull = true;
      } else if (this.acceptKw('NULL')) {
        notNull = false;
      } else if (this.acceptKw('DEFAULT')) {
        defaultValue = this.expression();
        // yql/essentials/sql/v1/sql_ut_common.h DefaultValueColumn3
        const column = columnReference(defaultValue);
        if (column) throw syntaxError(column.pos, `Column reference "${column.name}" is not allowed in current scope`);
      } else if (this.isKw('FAMILY')) {
        throw unsupported(this.peek().pos, 'Column FAMILY');
      } else if (parenthesized && this.acceptOp(',')) {
        continue;
      } else {
        if (parenthesized) this.expectOp(')');
        return { name, type, notNull, ...(defaultValue ? { defaultValue } : {}) };
      }
    }
  }

  /** After `INDEX`: `name GLOBAL [UNIQUE] [SYNC|ASYNC] ON (cols) [COVER (cols)]`. */
  private indexDef(): IndexDef {
    const name = this.identifier();
    if (this.isKw('LOCAL')) throw unsupported(this.peek().pos, 'LOCAL index');
    this.expectKw('GLOBAL');
    const unique = this.acceptKw('UNIQUE');
    const async = this.acceptKw('ASYNC');
    if (!async) this.acceptKw('SYNC');
    if (this.isKw('USING')) throw unsupported(this.peek().pos, 'Index USING (vector indexes)');
    this.expectKw('ON');
    const columns = this.identifierList();
    const cover = this.acceptKw('COVER') ? this.identifierList() : [];
    if (this.isKw('WITH')) throw unsupported(this.peek().pos, 'Index WITH settings');
    return { name, unique, async, columns, cover };
  }

  private alterTable(): Statement {
    const pos = this.peek().pos;
    this.objectKeyword('ALTER');
    const table = this.tableRef();
    const actions: AlterAction[] = [];
    do {
      actions.push(this.alterAction());
    } while (this.acceptOp(','));
    const rename = actions.findIndex((a) => a.kind === 'renameTo');
    if (rename >= 0 && actions.length > 1) {
      // yql/essentials/sql/v1/sql_query.cpp AlterTableAction; sql_ut.cpp ErrRenameWithAddColumn, ErrAddColumnAndRename
      throw syntaxError(actions[rename === 0 ? 1 : rename]!.pos, 'RENAME TO can not be used together with another table action');
    }
    return { kind: 'alterTable', table, actions, pos };
  }

  private alterAction(): AlterAction {
    const t = this.peek();
    const pos = t.pos;
    const columnFollows = (): boolean => this.peek(1).kind === 'quoted' || (this.peek(1).kind === 'ident' && !ALTER_OBJECTS.has(this.peek(1).value.toUpperCase()));
    if (this.acceptKw('ADD', 'COLUMN') || (this.isKw('ADD') && columnFollows() && this.acceptKw('ADD'))) return { kind: 'addColumn', column: this.columnDef(), pos };
    if (this.acceptKw('DROP', 'COLUMN') || (this.isKw('DROP') && columnFollows() && this.acceptKw('DROP'))) return { kind: 'dropColumn', name: this.identifier(), pos };
    if (this.acceptKw('ADD', 'INDEX')) return { kind: 'addIndex', index: this.indexDef(), pos };
    if (this.acceptKw('DROP', 'INDEX')) return { kind: 'dropIndex', name: this.identifier(), pos };
    if (this.acceptKw('RENAME', 'TO')) return { kind: 'renameTo', target: this.tableRef(), pos };
    if (this.acceptKw('RENAME', 'INDEX')) {
      const from = this.identifier();
      this.expectKw('TO');
      return { kind: 'renameIndex', from, to: this.identifier(), pos };
    }
    if (this.acceptKw('SET')) {
      if (this.isOp('(')) {
        const settings = this.settings();
        checkSettings(settings, undefined);
        return { kind: 'setSettings', settings, pos };
      }
      const settings = [this.settingValue(this.identifier())];
      checkSettings(settings, undefined);
      return { kind: 'setSettings', settings, pos };
    }
    if (this.acceptKw('RESET')) return { kind: 'resetSettings', names: this.identifierList(), pos };
    if (t.kind === 'ident') {
      const second = this.peek(1);
      const words = second.kind === 'ident' ? `${t.value} ${second.value}` : t.value;
      throw unsupported(pos, `ALTER TABLE ${words.toUpperCase()}`);
    }
    this.mismatch('ADD, DROP or RENAME');
  }

  private dropTable(): Statement {
    const pos = this.peek().pos;
    this.objectKeyword('DROP');
    const guard = this.peek().pos;
    const ifExists = this.acceptKw('IF', 'EXISTS');
    return { kind: 'dropTable', table: this.tableRef(), ...(ifExists ? { ifExists: guard } : {}), pos };
  }

  private write(mode: 'UPSERT' | 'INSERT' | 'REPLACE'): Statement {
    const pos = this.next().pos;
    if (mode === 'INSERT' && this.isKw('OR')) throw unsupported(this.peek().pos, `INSERT OR ${this.peek(1).text.toUpperCase()}`);
    this.expectKw('INTO');
    const table = this.tableRef();
    if (this.isKw('WITH')) throw unsupported(this.peek().pos, 'Table hints (WITH) in writes');
    if (!this.isOp('(')) {
      if (this.isKw('SELECT')) throw unsupported(this.peek().pos, `${mode} INTO ... SELECT`);
      if (this.isKw('ERASE')) throw unsupported(this.peek().pos, 'ERASE BY');
      this.mismatch("'('");
    }
    const columns = this.identifierList();
    if (this.isKw('SELECT')) throw unsupported(this.peek().pos, `${mode} INTO ... SELECT`);
    this.expectKw('VALUES');
    const rows: Expr[][] = [];
    do {
      this.expectOp('(');
      const row = [this.expression()];
      while (this.acceptOp(',')) row.push(this.expression());
      this.expectOp(')');
      rows.push(row);
    } while (this.acceptOp(','));
    if (this.isKw('RETURNING')) throw unsupported(this.peek().pos, 'RETURNING');
    return { kind: 'write', mode, table, columns, rows, pos };
  }

  private update(): Statement {
    const pos = this.next().pos;
    const table = this.tableRef();
    if (this.isKw('ON')) throw unsupported(this.peek().pos, 'UPDATE ... ON');
    this.expectKw('SET');
    if (this.isOp('(')) throw unsupported(this.peek().pos, 'UPDATE ... SET (columns) = (values)');
    const assignments: { column: Identifier; value: Expr }[] = [];
    do {
      const column = this.identifier();
      this.expectOp('=');
      assignments.push({ column, value: this.expression() });
    } while (this.acceptOp(','));
    const where = this.acceptKw('WHERE') ? this.expression() : undefined;
    if (this.isKw('RETURNING')) throw unsupported(this.peek().pos, 'RETURNING');
    return { kind: 'update', table, assignments, ...(where ? { where } : {}), pos };
  }

  private deleteFrom(): Statement {
    const pos = this.next().pos;
    this.expectKw('FROM');
    const table = this.tableRef();
    if (this.isKw('ON')) throw unsupported(this.peek().pos, 'DELETE ... ON');
    const where = this.acceptKw('WHERE') ? this.expression() : undefined;
    if (this.isKw('RETURNING')) throw unsupported(this.peek().pos, 'RETURNING');
    return { kind: 'delete', table, ...(where ? { where } : {}), pos };
  }

  private select(): Statement {
    const pos = this.next().pos;
    if (this.isKw('DISTINCT') || this.isKw('STREAM')) throw unsupported(this.peek().pos, `SELECT ${this.peek().value.toUpperCase()}`);
    const items = this.acceptOp('*') ? 'star' : this.selectItems();
    let from: TableRef | undefined;
    if (this.acceptKw('FROM')) {
      if (this.isOp('(')) throw unsupported(this.peek().pos, 'A subquery in FROM');
      from = this.tableRef();
      if (this.isKw('VIEW')) throw unsupported(this.peek().pos, 'Reading through a secondary index (VIEW)');
      if (this.isKw('AS') || (this.peek().kind === 'ident' && !SELECT_TERMINATORS.has(this.peek().value.toUpperCase()))) {
        throw unsupported(this.peek().pos, 'A table alias');
      }
    }
    this.refuseClause();
    const where = this.acceptKw('WHERE') ? this.expression() : undefined;
    // A SELECT without FROM reads YQL's fake source (yql/essentials/sql/v1/source.cpp TFakeSource).
    if (!from && where) throw syntaxError(where.pos, 'Filtering is not allowed without FROM');
    const aggregate = !from && items !== 'star' ? items.map((i) => constantAggregate(i.expr)).find((e) => e) : undefined;
    if (aggregate) throw syntaxError(aggregate.pos, 'Aggregation is not allowed without FROM');
    this.refuseClause();
    const orderBy: OrderTerm[] = [];
    if (this.acceptKw('ORDER')) {
      this.expectKw('BY');
      do {
        const expr = this.expression();
        // yql/essentials/sql/v1 (sql_ut.cpp SelectOrderByConstantNum, SelectOrderByConstantExpr)
        if (isConstant(expr)) throw syntaxError(expr.pos, 'Unable to ORDER BY constant expression');
        const descending = this.acceptKw('DESC');
        if (!descending) this.acceptKw('ASC');
        orderBy.push({ expr, descending });
      } while (this.acceptOp(','));
    }
    const limit = this.acceptKw('LIMIT') ? this.expression() : undefined;
    if (limit && this.isOp(',')) throw unsupported(this.peek().pos, 'LIMIT offset, count');
    const offset = this.acceptKw('OFFSET') ? this.expression() : undefined;
    this.refuseClause();
    return {
      kind: 'select', items, ...(from ? { from } : {}), ...(where ? { where } : {}), orderBy,
      ...(limit ? { limit } : {}), ...(offset ? { offset } : {}), pos,
    };
  }

  private refuseClause(): void {
    const t = this.peek();
    if (t.kind === 'ident' && UNSUPPORTED_CLAUSES.has(t.value.toUpperCase())) {
      throw unsupported(t.pos, t.value.toUpperCase() === 'INTO' ? 'SELECT ... INTO RESULT' : t.value.toUpperCase());
    }
  }

  private selectItems(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (this.peek().kind === 'ident' && this.isOp('.', 1) && this.isOp('*', 2)) throw unsupported(this.peek().pos, 'table.*');
      const expr = this.expression();
      const alias = this.alias();
      items.push({ expr, ...(alias === undefined ? {} : { alias }) });
    } while (this.acceptOp(',') && !this.isSelectEnd());
    return items;
  }

  /** After a select list's comma: the list may end with it (`SELECT a, b, FROM t`). */
  private isSelectEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || (t.kind === 'op' && t.value === ';') || (t.kind === 'ident' && ['FROM', 'WHERE', 'ORDER', 'LIMIT'].includes(t.value.toUpperCase()));
  }

  /** `AS name`, or a bare name / string right after the expression (YQL allows both). */
  private alias(): string | undefined {
    const explicit = this.acceptKw('AS');
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return Buffer.from(t.bytes!).toString('utf8');
    }
    if (t.kind === 'quoted' || (t.kind === 'ident' && (explicit || !SELECT_TERMINATORS.has(t.value.toUpperCase())))) {
      this.next();
      return t.value;
    }
    if (explicit) this.mismatch('an alias');
    return undefined;
  }

  private declare(): Statement {
    const pos = this.next().pos;
    const t = this.peek();
    if (t.kind !== 'param') this.mismatch('a $parameter');
    this.next();
    this.expectKw('AS');
    return { kind: 'declare', name: t.value, type: this.typeNode(), pos };
  }

  private namedExpr(): Statement {
    const t = this.next();
    if (this.isOp(',')) throw unsupported(this.peek().pos, 'Assigning several named expressions at once');
    this.expectOp('=');
    if (this.isKw('SELECT') || (this.isOp('(') && this.isKw('SELECT', 1))) {
      throw unsupported(this.peek().pos, 'A named expression bound to a SELECT (subquery)');
    }
    if (this.isKw('PROCESS') || this.isKw('REDUCE') || this.isKw('DEFINE')) throw unsupported(this.peek().pos, this.peek().value.toUpperCase());
    return { kind: 'namedExpr', name: t.value, value: this.expression(), pos: t.pos };
  }

  private pragma(): Statement {
    const pos = this.next().pos;
    let name = this.identifier().name;
    while (this.acceptOp('.')) name += `.${this.identifier().name}`;
    const args: string[] = [];
    const value = (): void => {
      const v = this.next();
      if (v.kind === 'op' || v.kind === 'eof') throw syntaxError(v.pos, `mismatched input '${v.text}' expecting a pragma value`);
      args.push(v.kind === 'string' ? Buffer.from(v.bytes!).toString('utf8') : v.value);
    };
    if (this.acceptOp('=')) {
      value();
    } else if (this.acceptOp('(')) {
      value();
      while (this.acceptOp(',')) value();
      this.expectOp(')');
    }
    return { kind: 'pragma', name, args, pos };
  }

  // ------------------------------------------------------------ types

  typeNode(): TypeNode {
    const id = this.peek();
    if (id.kind !== 'ident') this.mismatch('a type name');
    this.next();
    const node: TypeNode = { name: id.value, numbers: [], nullable: false, pos: id.pos };
    if (this.acceptOp('<')) {
      node.item = this.typeNode();
      if (this.isOp(',')) throw unsupported(this.peek().pos, `Type ${id.value}<...> with several arguments`);
      this.expectOp('>');
    } else if (this.isOp('(') && this.peek(1).kind === 'number') {
      this.next();
      do {
        const n = this.next();
        if (n.kind !== 'number' || n.isFloat) throw syntaxError(n.pos, `mismatched input '${n.text}' expecting an integer`);
        node.numbers.push(Number(n.value));
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (this.isOp('??')) throw unsupported(this.peek().pos, 'A nested Optional type');
    while (this.acceptOp('?')) {
      if (node.nullable) throw unsupported(this.peek().pos, 'A nested Optional type');
      node.nullable = true;
    }
    return node;
  }

  // ------------------------------------------------------------ expressions

  expression(): Expr {
    return this.orExpr();
  }

  private binaryLevel(next: () => Expr, ops: Record<string, BinaryOp>, keyword = false): Expr {
    let left = next();
    for (;;) {
      const t = this.peek();
      const key = keyword ? (t.kind === 'ident' ? t.value.toUpperCase() : '') : t.kind === 'op' ? t.value : '';
      const op = ops[key];
      if (!op) return left;
      this.next();
      left = { kind: 'binary', op, left, right: next(), pos: t.pos };
    }
  }

  private orExpr(): Expr {
    return this.binaryLevel(() => this.andExpr(), { OR: 'OR' }, true);
  }

  private andExpr(): Expr {
    return this.binaryLevel(() => this.notExpr(), { AND: 'AND' }, true);
  }

  private notExpr(): Expr {
    const t = this.peek();
    if (this.acceptKw('NOT')) return { kind: 'unary', op: 'NOT', operand: this.notExpr(), pos: t.pos };
    if (this.isKw('XOR')) throw unsupported(t.pos, 'XOR');
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.binaryLevel(() => this.coalesce(), COMPARISONS);
    const t = this.peek();
    if (this.acceptKw('IS')) {
      const negated = this.acceptKw('NOT');
      if (this.isKw('DISTINCT')) throw unsupported(this.peek().pos, 'IS [NOT] DISTINCT FROM');
      this.expectKw('NULL');
      return { kind: 'isNull', operand: left, negated, pos: t.pos };
    }
    const negated = this.isKw('NOT') && (this.isKw('IN', 1) || this.isKw('BETWEEN', 1) || this.isKw('LIKE', 1));
    if (negated) this.next();
    const op = this.peek();
    if (this.acceptKw('IN')) {
      if (this.isKw('COMPACT')) throw unsupported(this.peek().pos, 'IN COMPACT');
      if (!this.isOp('(')) throw unsupported(this.peek().pos, 'IN with a non-literal list');
      this.next();
      if (this.isKw('SELECT')) throw unsupported(this.peek().pos, 'IN (SELECT ...)');
      const list = [this.expression()];
      while (this.acceptOp(',')) list.push(this.expression());
      this.expectOp(')');
      return { kind: 'in', operand: left, list, negated, pos: op.pos };
    }
    if (this.acceptKw('BETWEEN')) {
      const low = this.additive();
      this.expectKw('AND');
      return { kind: 'between', operand: left, low, high: this.additive(), negated, pos: op.pos };
    }
    for (const word of ['LIKE', 'ILIKE', 'REGEXP', 'RLIKE', 'MATCH', 'GLOB']) {
      if (this.isKw(word)) throw unsupported(this.peek().pos, word);
    }
    return left;
  }

  /** `a ?? b`: COALESCE(a, b), binding looser than arithmetic, tighter than comparisons. */
  private coalesce(): Expr {
    let left = this.additive();
    for (;;) {
      const t = this.peek();
      if (!this.acceptOp('??')) return left;
      left = { kind: 'call', name: 'COALESCE', args: [left, this.additive()], typeArgs: [], star: false, pos: t.pos };
    }
  }

  private additive(): Expr {
    return this.binaryLevel(() => this.multiplicative(), { '+': '+', '-': '-', '||': '||' });
  }

  private multiplicative(): Expr {
    return this.binaryLevel(() => this.unary(), { '*': '*', '/': '/', '%': '%' });
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.acceptOp('-')) return { kind: 'unary', op: '-', operand: this.unary(), pos: t.pos };
    if (this.acceptOp('+')) return { kind: 'unary', op: '+', operand: this.unary(), pos: t.pos };
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'number', text: t.value, suffix: t.suffix ?? '', isFloat: t.isFloat ?? false, pos: t.pos };
      case 'string':
        this.next();
        return { kind: 'string', bytes: t.bytes!, suffix: t.suffix ?? '', pos: t.pos };
      case 'param':
        this.next();
        return { kind: 'param', name: t.value, pos: t.pos };
      case 'quoted':
        this.next();
        return { kind: 'column', name: t.value, pos: t.pos };
      case 'op':
        if (this.acceptOp('(')) {
          const inner = this.expression();
          if (this.isOp(',')) throw unsupported(this.peek().pos, 'Tuples');
          this.expectOp(')');
          return inner;
        }
        throw syntaxError(t.pos, `mismatched input '${t.text}' expecting an expression`);
      case 'eof':
        throw syntaxError(t.pos, `mismatched input '<EOF>' expecting an expression`);
      case 'ident':
        return this.wordExpr(t);
    }
  }

  private wordExpr(t: Token): Expr {
    const word = t.value.toUpperCase();
    if (word === 'TRUE' || word === 'FALSE') {
      this.next();
      return { kind: 'bool', value: word === 'TRUE', pos: t.pos };
    }
    if (word === 'NULL') {
      this.next();
      return { kind: 'null', pos: t.pos };
    }
    if (word === 'CAST') {
      this.next();
      this.expectOp('(');
      const operand = this.expression();
      this.expectKw('AS');
      const type = this.typeNode();
      this.expectOp(')');
      return { kind: 'cast', operand, type, pos: t.pos };
    }
    for (const keyword of ['CASE', 'EXISTS', 'BITCAST', 'SELECT']) {
      if (word === keyword) throw unsupported(t.pos, keyword === 'SELECT' ? 'A subquery' : keyword);
    }
    this.next();
    if (this.isOp(':') && this.isOp(':', 1)) throw unsupported(t.pos, `UDF ${t.value}::...`);
    if (this.acceptOp('(')) return this.call(t);
    if (this.acceptOp('.')) throw unsupported(t.pos, 'A qualified column name');
    return { kind: 'column', name: t.value, pos: t.pos };
  }

  /** After `name(`. `Nothing(T?)` takes a type; `COUNT(*)` a star. */
  private call(t: Token): Expr {
    const name = t.value;
    const args: Expr[] = [];
    const typeArgs: TypeNode[] = [];
    let star = false;
    if (name.toUpperCase() === 'NOTHING') {
      typeArgs.push(this.typeNode());
    } else if (this.acceptOp('*')) {
      star = true;
    } else if (!this.isOp(')')) {
      if (this.isKw('DISTINCT')) throw unsupported(this.peek().pos, `${name}(DISTINCT ...)`);
      args.push(this.expression());
      while (this.acceptOp(',')) args.push(this.expression());
    }
    this.expectOp(')');
    if (this.isKw('OVER')) throw unsupported(this.peek().pos, 'Window functions (OVER)');
    return { kind: 'call', name, args, typeArgs, star, pos: t.pos };
  }
}

/**
 * A row table's PARTITION BY must list the whole primary key, in order
 * (ydb/core/kqp/ut/scheme/kqp_scheme_ut.cpp CreateAndAlterTableWithPartitionBy).
 */
function checkPartitionBy(partitionBy: Identifier[], primaryKey: Identifier[]): void {
  const at = partitionBy[0]!.pos;
  if (partitionBy.length > primaryKey.length) throw syntaxError(at, '"Partition by" contains more columns than primary key does');
  if (partitionBy.some((c, i) => c.name !== primaryKey[i]!.name)) throw syntaxError(at, '"Partition by" doesn\'t match primary key');
  if (partitionBy.length < primaryKey.length) throw syntaxError(at, '"Partition by" is not supported yet');
}

/**
 * A desired schema written as YQL — the statements `ydb-migrate schema`
 * prints: CREATE TABLE (columns with FAMILY, NOT NULL and a literal DEFAULT;
 * INDEX ... GLOBAL [UNIQUE] [SYNC|ASYNC] ON (...) [COVER (...)]; FAMILY;
 * PRIMARY KEY; PARTITION BY HASH; WITH settings and TTL) and ALTER TABLE ...
 * ADD CHANGEFEED — read into the schema model with the project's lexer.
 * Anything else is an input error at its file:line:col.
 */
import { MigrateError } from '../errors.js';
import { decodeStringLiteral, tokenize, type Token } from '../yql/lexer.js';
import { encodeLiteral, parseParamValue, parseType, type YqlType } from '../yql/literal.js';
import { canonical, type ChangefeedModel, type ColumnModel, type FamilyModel, type IndexModel, type Schema, type TableModel, type TtlModel } from './model.js';
import { canonicalName, resolveColumnType, serialType } from '../rules/column-types.js';

/** WITH settings the model keeps (YDB reports them back), and how their values are spelled. */
const SETTINGS: Readonly<Record<string, 'flag' | 'count' | 'replicas'>> = {
  AUTO_PARTITIONING_BY_SIZE: 'flag',
  AUTO_PARTITIONING_BY_LOAD: 'flag',
  AUTO_PARTITIONING_PARTITION_SIZE_MB: 'count',
  AUTO_PARTITIONING_MIN_PARTITIONS_COUNT: 'count',
  AUTO_PARTITIONING_MAX_PARTITIONS_COUNT: 'count',
  KEY_BLOOM_FILTER: 'flag',
  READ_REPLICAS_SETTINGS: 'replicas',
};
const TTL_UNITS = new Set(['SECONDS', 'MILLISECONDS', 'MICROSECONDS', 'NANOSECONDS']);
const CHANGEFEED_MODES = new Set(['KEYS_ONLY', 'UPDATES', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']);
const CHANGEFEED_FORMATS = new Set(['JSON', 'DYNAMODB_STREAMS_JSON', 'DEBEZIUM_JSON']);
const INTERVAL = parseType('Interval');

export function parseSchema(text: string, file: string): Schema {
  return new SchemaParser(text, file).schema();
}

class SchemaParser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly tables = new Map<string, TableModel>();

  constructor(
    text: string,
    private readonly file: string,
  ) {
    this.tokens = tokenize(text, file).filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  }

  schema(): Schema {
    while (this.peek()) {
      if (this.acceptOp(';')) continue;
      const start = this.peek()!;
      if (this.acceptWords('CREATE', 'TABLE')) this.createTable();
      else if (this.acceptWords('ALTER', 'TABLE')) this.addChangefeed();
      else this.fail(start, `a desired schema holds only CREATE TABLE and ALTER TABLE ... ADD CHANGEFEED statements, not '${start.text}'`);
      if (this.peek()) this.expectOp(';');
    }
    return canonical({ tables: [...this.tables.values()], others: [] });
  }

  private createTable(): void {
    this.acceptWords('IF', 'NOT', 'EXISTS');
    const at = this.peek();
    const path = this.path();
    if (this.tables.has(path)) this.fail(at, `table ${path} is created twice`);
    const table: TableModel = { path, store: 'row', columns: [], partitionBy: [], primaryKey: [], indexes: [], families: [], settings: {}, ttl: null, changefeeds: [] };
    let keyGiven = false;
    this.expectOp('(');
    do {
      if (this.isOp(')')) break;
      if (this.acceptWords('PRIMARY', 'KEY')) {
        table.primaryKey = this.nameList();
        keyGiven = true;
      } else if (this.acceptWords('INDEX')) table.indexes.push(this.index());
      else if (this.acceptWords('FAMILY')) table.families.push(this.family());
      else table.columns.push(this.column());
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (!keyGiven) this.fail(at, `table ${path} has no PRIMARY KEY; YDB requires one`);
    if (this.acceptWords('PARTITION', 'BY', 'HASH')) table.partitionBy = this.nameList();
    if (this.acceptWords('WITH')) this.settings(table);
    this.checkTable(table, at);
    this.tables.set(path, table);
  }

  /** The names a table refers to must be its own columns. */
  private checkTable(table: TableModel, at: Token | undefined): void {
    const columns = new Set(table.columns.map((c) => c.name));
    const unknown = (names: readonly string[], where: string): void => {
      const missing = names.find((n) => !columns.has(n));
      if (missing !== undefined) this.fail(at, `${where} of table ${table.path} names the column ${missing}, which the table does not have`);
    };
    unknown(table.primaryKey, 'the PRIMARY KEY');
    unknown(table.partitionBy, 'PARTITION BY');
    for (const i of table.indexes) unknown([...i.columns, ...i.cover], `index ${i.name}`);
    if (table.ttl) unknown([table.ttl.column], 'the TTL');
    const families = new Set(['default', ...table.families.map((f) => f.name)]);
    const strange = table.columns.find((c) => c.family !== null && !families.has(c.family));
    if (strange) this.fail(at, `column ${strange.name} of table ${table.path} is in family ${strange.family}, which the table does not declare`);
    if (table.store === 'row' && table.partitionBy.length > 0) this.fail(at, `PARTITION BY HASH is for column tables (WITH (STORE = COLUMN)); table ${table.path} is a row table`);
  }

  private column(): ColumnModel {
    const name = this.name();
    const typeToken = this.peek();
    const type = this.type();
    let family: string | null = null;
    let notNull = false;
    let defaultValue: string | null = null;
    if (this.acceptWords('FAMILY')) family = this.name();
    if (this.acceptWords('NOT', 'NULL')) notNull = true;
    else this.acceptWords('NULL');
    if (this.acceptWords('DEFAULT')) defaultValue = this.literal(type, typeToken);
    if (serialType(type)) notNull = true;
    return { name, type, notNull, default: defaultValue, family: family === 'default' ? null : family };
  }

  private type(): string {
    const t = this.next('a column type');
    if (t.kind === 'word' && t.text.toLowerCase() === 'decimal') {
      this.expectOp('(');
      const precision = this.integer();
      this.expectOp(',');
      const scale = this.integer();
      this.expectOp(')');
      return `Decimal(${precision},${scale})`;
    }
    const name = t.kind === 'word' ? canonicalName(resolveColumnType(t.text)) : undefined;
    if (!name) this.fail(t, `'${t.text}' is not a column type the schema model knows`);
    if (this.isOp('?') || this.isOp('<')) this.fail(this.peek(), 'a column type is never Optional: columns are nullable unless NOT NULL');
    return name;
  }

  /** A DEFAULT literal, in the spelling `encodeLiteral` gives (the one a schema read gives). */
  private literal(type: string, at: Token | undefined): string {
    if (this.acceptWords('NULL')) return 'NULL';
    const yqlType = this.literalType(type, at);
    const t = this.next('a literal');
    const value = ((): unknown => {
      if (t.kind === 'string') return this.stringValue(t, yqlType);
      if (t.kind === 'number') return this.valueOf(t, yqlType, t.text.replace(/[a-zA-Z]+$/, ''));
      if (t.kind === 'punct' && t.text === '-' && this.peek()?.kind === 'number') return this.valueOf(t, yqlType, `-${this.next('a number').text.replace(/[a-zA-Z]+$/, '')}`);
      if (t.kind === 'word' && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === 'true';
      if (t.kind === 'word' && this.isOp('(')) {
        this.expectOp('(');
        const inner = this.next('a string');
        if (inner.kind !== 'string') this.fail(inner, `expected a string inside ${t.text}(...)`);
        // Decimal("1.5", 22, 9) repeats the column's precision and scale.
        while (this.acceptOp(',')) this.integer();
        this.expectOp(')');
        return this.stringValue(inner, yqlType);
      }
      return this.fail(t, `DEFAULT takes a literal (a number, a string, true/false, NULL or Type("text")), not '${t.text}'`);
    })();
    return encodeLiteral(yqlType, value);
  }

  private literalType(type: string, at: Token | undefined): YqlType {
    try {
      return parseType(type);
    } catch {
      return this.fail(at, `a DEFAULT for a ${type} column is not something the schema model can compare`);
    }
  }

  private stringValue(t: Token, type: YqlType): unknown {
    const text = Buffer.from(decodeStringLiteral(t.text).bytes).toString('utf8');
    return this.valueOf(t, type, text);
  }

  private valueOf(t: Token, type: YqlType, text: string): unknown {
    try {
      return parseParamValue(type, text);
    } catch (err) {
      return this.fail(t, `'${text}' is not a ${type.kind === 'primitive' ? type.name : 'Decimal'}: ${(err as Error).message}`);
    }
  }

  private index(): IndexModel {
    const name = this.name();
    if (!this.acceptWords('GLOBAL')) this.fail(this.peek(), 'expected GLOBAL: the schema model knows global secondary indexes only');
    const unique = this.acceptWords('UNIQUE');
    const async = this.acceptWords('ASYNC');
    if (!async) this.acceptWords('SYNC');
    if (unique && async) this.fail(this.peek(), 'a UNIQUE index is synchronous');
    if (!this.acceptWords('ON')) this.fail(this.peek(), 'expected ON (columns)');
    const columns = this.nameList();
    const cover = this.acceptWords('COVER') ? this.nameList() : [];
    return { name, mode: unique ? 'unique' : async ? 'async' : 'sync', columns, cover };
  }

  private family(): FamilyModel {
    const name = this.name();
    const family: FamilyModel = { name, data: null, compression: null };
    this.expectOp('(');
    do {
      if (this.isOp(')')) break;
      const option = this.next('DATA or COMPRESSION');
      this.expectOp('=');
      const value = this.plainString();
      if (/^DATA$/i.test(option.text)) family.data = value;
      else if (/^COMPRESSION$/i.test(option.text)) family.compression = value.toLowerCase();
      else this.fail(option, `a column family takes DATA and COMPRESSION, not ${option.text}`);
    } while (this.acceptOp(','));
    this.expectOp(')');
    return family;
  }

  private settings(table: TableModel): void {
    this.expectOp('(');
    do {
      const nameToken = this.next('a setting');
      const name = nameToken.text.toUpperCase();
      this.expectOp('=');
      if (name === 'TTL') table.ttl = this.ttl();
      else if (name === 'STORE') {
        const store = this.next('ROW or COLUMN').text.toUpperCase();
        if (store !== 'ROW' && store !== 'COLUMN') this.fail(nameToken, `STORE is ROW or COLUMN, not ${store}`);
        table.store = store === 'COLUMN' ? 'column' : 'row';
      } else if (SETTINGS[name]) table.settings[name] = this.settingValue(SETTINGS[name], nameToken);
      else this.fail(nameToken, `${name} is not a table setting the schema model keeps (known: TTL, STORE, ${Object.keys(SETTINGS).join(', ')})`);
    } while (this.acceptOp(','));
    this.expectOp(')');
  }

  private settingValue(kind: 'flag' | 'count' | 'replicas', at: Token): string {
    if (kind === 'flag') {
      const value = this.next('ENABLED or DISABLED').text.toUpperCase();
      if (value !== 'ENABLED' && value !== 'DISABLED') this.fail(at, `${at.text} is ENABLED or DISABLED, not ${value}`);
      return value;
    }
    if (kind === 'count') return String(this.integer());
    const value = this.plainString().toUpperCase().replace(/\s+/g, '');
    if (!/^(PER_AZ|ANY_AZ):\d+$/.test(value)) this.fail(at, `READ_REPLICAS_SETTINGS is "PER_AZ:N" or "ANY_AZ:N", not "${value}"`);
    return `"${value}"`;
  }

  private ttl(): TtlModel {
    const expireAfterSeconds = this.interval();
    this.acceptWords('DELETE');
    if (!this.acceptWords('ON')) this.fail(this.peek(), 'expected ON column after the TTL interval (eviction to external storage is not modelled)');
    const column = this.name();
    let unit: string | null = null;
    if (this.acceptWords('AS')) {
      const t = this.next('a unit');
      unit = t.text.toUpperCase();
      if (!TTL_UNITS.has(unit)) this.fail(t, `a TTL unit is one of ${[...TTL_UNITS].join(', ')}`);
    }
    return { column, expireAfterSeconds, unit };
  }

  /** `Interval("P1D")` → seconds. */
  private interval(): number {
    const word = this.next('Interval("...")');
    if (!/^interval$/i.test(word.text)) this.fail(word, `expected Interval("..."), not '${word.text}'`);
    this.expectOp('(');
    const t = this.peek();
    const micros = this.valueOf(t!, INTERVAL, this.plainString()) as bigint;
    this.expectOp(')');
    if (micros < 0n || micros % 1_000_000n !== 0n) this.fail(t, 'the interval must be a whole, non-negative number of seconds');
    return Number(micros / 1_000_000n);
  }

  private addChangefeed(): void {
    const at = this.peek();
    const path = this.path();
    const table = this.tables.get(path);
    if (!table) this.fail(at, `ALTER TABLE ${path} ADD CHANGEFEED: a desired schema creates the table first`);
    if (!this.acceptWords('ADD', 'CHANGEFEED')) this.fail(this.peek(), 'in a desired schema, ALTER TABLE only adds changefeeds (ADD CHANGEFEED)');
    const feed: ChangefeedModel = { name: this.name(), mode: '', format: '', virtualTimestamps: false, resolvedTimestampsSeconds: null };
    if (!this.acceptWords('WITH')) this.fail(this.peek(), "expected WITH (MODE = '...', FORMAT = '...')");
    this.expectOp('(');
    do {
      const option = this.next('a changefeed option');
      const name = option.text.toUpperCase();
      this.expectOp('=');
      if (name === 'MODE') feed.mode = this.plainString().toUpperCase();
      else if (name === 'FORMAT') feed.format = this.plainString().toUpperCase();
      else if (name === 'VIRTUAL_TIMESTAMPS') feed.virtualTimestamps = /^true$/i.test(this.next('TRUE or FALSE').text);
      else if (name === 'RESOLVED_TIMESTAMPS') feed.resolvedTimestampsSeconds = this.interval();
      else this.fail(option, `${name} is not a changefeed option the schema model keeps (MODE, FORMAT, VIRTUAL_TIMESTAMPS, RESOLVED_TIMESTAMPS)`);
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (!CHANGEFEED_MODES.has(feed.mode)) this.fail(at, `changefeed ${feed.name} needs MODE, one of ${[...CHANGEFEED_MODES].join(', ')}`);
    if (!CHANGEFEED_FORMATS.has(feed.format)) this.fail(at, `changefeed ${feed.name} needs FORMAT, one of ${[...CHANGEFEED_FORMATS].join(', ')}`);
    table.changefeeds.push(feed);
  }

  // Tokens.

  private peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }

  private next(what: string): Token {
    const t = this.peek();
    if (!t) return this.fail(undefined, `the file ends where ${what} was expected`);
    this.pos++;
    return t;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail(this.peek(), `expected '${op}'${this.peek() ? `, not '${this.peek()!.text}'` : ''}`);
  }

  /** Consumes the words (case-insensitive) if all are next. */
  private acceptWords(...words: string[]): boolean {
    const all = words.every((w, k) => {
      const t = this.peek(k);
      return t?.kind === 'word' && t.text.toUpperCase() === w;
    });
    if (all) this.pos += words.length;
    return all;
  }

  private name(): string {
    const t = this.next('a name');
    if (t.kind === 'word') return t.text;
    if (t.kind === 'quoted') return unquote(t.text);
    return this.fail(t, `expected a name, not '${t.text}'`);
  }

  private path(): string {
    const t = this.peek();
    const path = this.name();
    if (path.startsWith('/')) this.fail(t, `write table paths relative to the database (${path.replace(/^\/[^/]+\//, '')}), as \`ydb-migrate schema\` does`);
    return path;
  }

  private nameList(): string[] {
    this.expectOp('(');
    const names = [this.name()];
    while (this.acceptOp(',')) names.push(this.name());
    this.expectOp(')');
    return names;
  }

  private integer(): number {
    const t = this.next('a number');
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail(t, `expected a whole number, not '${t.text}'`);
    return Number(t.text);
  }

  private plainString(): string {
    const t = this.next('a string');
    if (t.kind !== 'string') this.fail(t, `expected a string, not '${t.text}'`);
    return Buffer.from(decodeStringLiteral(t.text).bytes).toString('utf8');
  }

  private fail(at: Token | undefined, message: string): never {
    const last = this.tokens[this.tokens.length - 1];
    const where = at ?? last;
    throw new MigrateError('SCHEMA_PARSE', message, where ? { location: { file: this.file, line: where.line, column: where.column } } : {});
  }
}

/** `` `a\`b` `` → a`b; `\xHH` and doubled backticks as the lexer reads them. */
function unquote(text: string): string {
  return text.slice(1, -1).replace(/``|\\x([0-9a-fA-F]{2})|\\(.)/g, (m, hex: string | undefined, ch: string | undefined) => (m === '``' ? '`' : hex ? String.fromCharCode(parseInt(hex, 16)) : ch!));
}

/**
 * A desired schema written as YQL — the statements `ydb-migrate schema`
 * prints: CREATE TABLE (columns with FAMILY, NOT NULL and a literal DEFAULT;
 * INDEX ... GLOBAL [UNIQUE] [SYNC|ASYNC] ON (...) [COVER (...)]; FAMILY;
 * PRIMARY KEY; PARTITION BY HASH; WITH settings and TTL) and ALTER TABLE ...
 * ADD CHANGEFEED — read by the DDL reader (lib/yql/ddl.ts) in strict mode
 * and turned into the schema model. Anything else is an input error at its
 * file:line:col.
 */
import { MigrateError } from '../errors.js';
import { canonicalName, isKeyable, resolveColumnType, serialType } from '../rules/column-types.js';
import { whyYdbRefuses, YDB_RULES } from '../rules/ydb-rules.js';
import { readDdlFile, type ColumnDef, type CreateTable, type Expr, type FamilyDef, type IndexDef, type NameAt, type Position, type Setting, type TtlDef } from '../yql/ddl.js';
import { decodeStringLiteral, type Token } from '../yql/lexer.js';
import { encodeLiteral, parseParamValue, parseType, type YqlType } from '../yql/literal.js';
import { canonical, type ChangefeedModel, type ColumnModel, type FamilyModel, type IndexModel, type Schema, type TableModel, type TtlModel } from './model.js';

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
  const tables = new Map<string, TableModel>();
  const fail = (at: Position | Token | undefined, message: string): never => {
    throw new MigrateError('SCHEMA_PARSE', message, at ? { location: { file, line: at.line, column: at.column } } : {});
  };
  const model = new ModelBuilder(fail);
  for (const { ddl, first } of readDdlFile(text, file, 'strict')) {
    if (ddl.kind === 'create-table') {
      const table = model.table(ddl);
      if (tables.has(table.path)) fail(ddl.table, `table ${table.path} is created twice`);
      tables.set(table.path, table);
    } else if (ddl.kind === 'alter-table') {
      const table = tables.get(model.path(ddl.table));
      if (!table) fail(ddl.table, `ALTER TABLE ${ddl.table.name} ADD CHANGEFEED: a desired schema creates the table first`);
      for (const action of ddl.actions) {
        if (action.kind !== 'add-changefeed') fail(first, 'in a desired schema, ALTER TABLE only adds changefeeds (ADD CHANGEFEED)');
        else table!.changefeeds.push(model.changefeed(action.changefeed));
      }
    } else {
      fail(first, `a desired schema holds only CREATE TABLE and ALTER TABLE ... ADD CHANGEFEED statements, not '${first.text}'`);
    }
  }
  return canonical({ tables: [...tables.values()], others: [] });
}

type Fail = (at: Position | Token | undefined, message: string) => never;

/** The tree of one statement → the schema model, checking what the model needs. */
class ModelBuilder {
  constructor(private readonly fail: Fail) {}

  path(name: NameAt): string {
    if (name.name.startsWith('/')) this.fail(name, `write table paths relative to the database (${name.name.replace(/^\/[^/]+\//, '')}), as \`ydb-migrate schema\` does`);
    return name.name;
  }

  table(ddl: CreateTable): TableModel {
    const path = this.path(ddl.table);
    if (ddl.primaryKeys.length === 0) this.fail(ddl.table, `table ${path} has no PRIMARY KEY; YDB requires one`);
    if (ddl.primaryKeys.length > 1) this.fail(ddl.primaryKeys[1]![0] ?? ddl.table, `table ${path} has two PRIMARY KEY clauses`);
    if (ddl.changefeeds.length > 0) this.fail(ddl.changefeeds[0], 'a desired schema adds changefeeds with ALTER TABLE ... ADD CHANGEFEED');
    if (ddl.asSelect) this.fail(ddl.table, 'a desired schema does not create tables AS SELECT');
    const table: TableModel = {
      path,
      store: ddl.store,
      columns: ddl.columns.map((c) => this.column(c)),
      partitionBy: (ddl.partitionBy ?? []).map((c) => c.name),
      primaryKey: ddl.primaryKeys[0]!.map((k) => k.name),
      indexes: ddl.indexes.map((i) => this.index(i)),
      families: ddl.families.map((f) => this.family(f)),
      settings: {},
      ttl: ddl.ttl ? this.ttl(ddl.ttl) : null,
      changefeeds: [],
    };
    for (const setting of ddl.settings) this.setting(table, setting);
    this.check(table, ddl.table);
    return table;
  }

  /** The names a table refers to must be its own columns. */
  private check(table: TableModel, at: Position): void {
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
    const types = new Map(table.columns.map((c) => [c.name, resolveColumnType(c.type)]));
    const unkeyable = [...table.primaryKey, ...table.indexes.flatMap((i) => i.columns)].find((n) => !isKeyable(types.get(n)!));
    if (unkeyable !== undefined) this.fail(at, `column ${unkeyable} of table ${table.path} is ${types.get(unkeyable)!.kind === 'simple' ? table.columns.find((c) => c.name === unkeyable)!.type : 'of its type'}: ${YDB_RULES['key-column-type'].what} is something YDB refuses (${whyYdbRefuses('key-column-type')})`);
  }

  private column(c: ColumnDef): ColumnModel {
    if (c.resolved.kind === 'unknown') this.fail(c.typeAt, `'${c.type}' is not a column type the schema model knows: ${c.resolved.why}`);
    const type = canonicalName(c.resolved)!;
    const defaultValue = c.default ? this.literal(type, c.default, c.typeAt) : null;
    const family = c.family?.name ?? null;
    return { name: c.name, type, notNull: c.notNull || serialType(type) !== undefined, default: defaultValue, family: family === 'default' ? null : family };
  }

  /** A DEFAULT literal, in the spelling `encodeLiteral` gives (the one a schema read gives). */
  private literal(type: string, expr: Expr, typeAt: Position): string {
    const tokens = expr.tokens;
    const only = (ok: boolean): void => {
      if (!ok) this.fail(expr, `DEFAULT takes a literal (a number, a string, true/false, NULL or Type("text")), not '${expr.text}'`);
    };
    const [t, second] = tokens;
    if (t?.kind === 'word' && /^null$/i.test(t.text) && tokens.length === 1) return 'NULL';
    const yqlType = this.literalType(type, typeAt);
    const value = ((): unknown => {
      if (t?.kind === 'string') return only(tokens.length === 1), this.stringValue(t, yqlType);
      if (t?.kind === 'number') return only(tokens.length === 1), this.valueOf(t, yqlType, t.text.replace(/[a-zA-Z]+$/, ''));
      if (t?.kind === 'punct' && t.text === '-' && second?.kind === 'number') return only(tokens.length === 2), this.valueOf(t, yqlType, `-${second.text.replace(/[a-zA-Z]+$/, '')}`);
      if (t?.kind === 'word' && /^(true|false)$/i.test(t.text)) return only(tokens.length === 1), t.text.toLowerCase() === 'true';
      // Type("text"), and Decimal("1.5", 22, 9) which repeats the column's precision and scale.
      const inner = tokens[2];
      if (t?.kind === 'word' && second?.text === '(' && inner?.kind === 'string' && tokens[tokens.length - 1]?.text === ')') {
        only(tokens.slice(3, -1).every((k) => k.kind === 'number' || k.text === ','));
        return this.stringValue(inner, yqlType);
      }
      return only(false);
    })();
    return encodeLiteral(yqlType, value);
  }

  private literalType(type: string, at: Position): YqlType {
    try {
      return parseType(type);
    } catch {
      return this.fail(at, `a DEFAULT for a ${type} column is not something the schema model can compare`);
    }
  }

  private stringValue(t: Token, type: YqlType): unknown {
    return this.valueOf(t, type, plainString(t));
  }

  private valueOf(t: Token, type: YqlType, text: string): unknown {
    try {
      return parseParamValue(type, text);
    } catch (err) {
      return this.fail(t, `'${text}' is not a ${type.kind === 'primitive' ? type.name : 'Decimal'}: ${(err as Error).message}`);
    }
  }

  private index(i: IndexDef): IndexModel {
    if (i.scope !== 'GLOBAL' || i.using !== null || i.settings.length > 0) this.fail(i, 'the schema model knows global secondary indexes only (GLOBAL [UNIQUE] [SYNC|ASYNC] ON (...) [COVER (...)])');
    if (i.unique && i.sync === 'ASYNC') this.fail(i, 'a UNIQUE index is synchronous');
    return { name: i.name, mode: i.unique ? 'unique' : i.sync === 'ASYNC' ? 'async' : 'sync', columns: i.columns.map((c) => c.name), cover: i.cover.map((c) => c.name) };
  }

  private family(f: FamilyDef): FamilyModel {
    const family: FamilyModel = { name: f.name, data: null, compression: null };
    for (const s of f.settings) {
      if (s.name === 'DATA') family.data = this.string(s);
      else if (s.name === 'COMPRESSION') family.compression = this.string(s).toLowerCase();
      else this.fail(s, `a column family takes DATA and COMPRESSION, not ${s.name}`);
    }
    return family;
  }

  private setting(table: TableModel, s: Setting): void {
    const kind = SETTINGS[s.name];
    const [t] = s.value.tokens;
    if (s.name === 'STORE') {
      if (!/^(ROW|COLUMN)$/i.test(s.value.text)) this.fail(s, `STORE is ROW or COLUMN, not ${s.value.text}`);
    } else if (!kind) {
      this.fail(s, `${s.name} is not a table setting the schema model keeps (known: TTL, STORE, ${Object.keys(SETTINGS).join(', ')})`);
    } else if (kind === 'flag') {
      const value = s.value.text.toUpperCase();
      if (value !== 'ENABLED' && value !== 'DISABLED') this.fail(s, `${s.name} is ENABLED or DISABLED, not ${s.value.text}`);
      table.settings[s.name] = value;
    } else if (kind === 'count') {
      if (t?.kind !== 'number' || !/^\d+$/.test(s.value.text)) this.fail(s.value, `expected a whole number, not '${s.value.text}'`);
      table.settings[s.name] = String(Number(s.value.text));
    } else {
      const value = this.string(s).toUpperCase().replace(/\s+/g, '');
      if (!/^(PER_AZ|ANY_AZ):\d+$/.test(value)) this.fail(s, `READ_REPLICAS_SETTINGS is "PER_AZ:N" or "ANY_AZ:N", not "${value}"`);
      table.settings[s.name] = `"${value}"`;
    }
  }

  private ttl(ttl: TtlDef): TtlModel {
    if (ttl.tiers.length !== 1 || ttl.tiers[0]!.evictTo !== null) this.fail(ttl, 'a desired schema has one TTL tier, DELETE (eviction to external storage is not modelled)');
    const unit = ttl.unit?.name ?? null;
    if (unit !== null && !TTL_UNITS.has(unit)) this.fail(ttl.unit!, `a TTL unit is one of ${[...TTL_UNITS].join(', ')}`);
    return { column: ttl.on.name, expireAfterSeconds: this.interval(ttl.tiers[0]!.delay), unit };
  }

  /** `Interval("P1D")` → seconds. */
  private interval(expr: Expr): number {
    const [word, open, value, close] = expr.tokens;
    if (!word || !/^interval$/i.test(word.text) || open?.text !== '(' || value?.kind !== 'string' || close?.text !== ')' || expr.tokens.length !== 4) {
      return this.fail(expr, `expected Interval("..."), not '${expr.text}'`);
    }
    const micros = this.valueOf(value, INTERVAL, plainString(value)) as bigint;
    if (micros < 0n || micros % 1_000_000n !== 0n) this.fail(value, 'the interval must be a whole, non-negative number of seconds');
    return Number(micros / 1_000_000n);
  }

  changefeed(c: { name: string; line: number; column: number; settings: Setting[] }): ChangefeedModel {
    const feed: ChangefeedModel = { name: c.name, mode: '', format: '', virtualTimestamps: false, resolvedTimestampsSeconds: null };
    for (const s of c.settings) {
      if (s.name === 'MODE') feed.mode = this.string(s).toUpperCase();
      else if (s.name === 'FORMAT') feed.format = this.string(s).toUpperCase();
      else if (s.name === 'VIRTUAL_TIMESTAMPS') feed.virtualTimestamps = /^true$/i.test(s.value.text);
      else if (s.name === 'RESOLVED_TIMESTAMPS') feed.resolvedTimestampsSeconds = this.interval(s.value);
      else this.fail(s, `${s.name} is not a changefeed option the schema model keeps (MODE, FORMAT, VIRTUAL_TIMESTAMPS, RESOLVED_TIMESTAMPS)`);
    }
    if (!CHANGEFEED_MODES.has(feed.mode)) this.fail(c, `changefeed ${feed.name} needs MODE, one of ${[...CHANGEFEED_MODES].join(', ')}`);
    if (!CHANGEFEED_FORMATS.has(feed.format)) this.fail(c, `changefeed ${feed.name} needs FORMAT, one of ${[...CHANGEFEED_FORMATS].join(', ')}`);
    return feed;
  }

  private string(s: Setting): string {
    const [t] = s.value.tokens;
    if (t?.kind !== 'string' || s.value.tokens.length !== 1) return this.fail(s.value, `expected a string, not '${s.value.text}'`);
    return plainString(t);
  }
}

function plainString(t: Token): string {
  return Buffer.from(decodeStringLiteral(t.text).bytes).toString('utf8');
}

/** CREATE TABLE that YDB refuses whatever the database holds, or because of the tables the migrations before it made. */
import { resolveColumnType, isKeyable, type ResolvedType } from '../rules/column-types.js';
import type { TableModel } from '../schema/model.js';
import type { ChangefeedDef, ColumnDef, CreateTable, IndexDef, NameAt, Position, Setting, TtlDef } from '../yql/ddl.js';
import type { Token } from '../yql/lexer.js';
import type { Report, RuleFamily } from './types.js';
import { typeName, ydbRule } from './ydb-rule.js';

export const tableRules: RuleFamily = {
  rules: ([
    'no-primary-key', 'duplicate-primary-key', 'undefined-key-column', 'undefined-index-column', 'unknown-type', 'key-column-type',
    'table-exists', 'duplicate-column', 'duplicate-index', 'index-shape', 'undefined-family', 'ttl-column', 'column-table-nullable-key',
    'default-type-mismatch', 'bad-table-setting', 'partition-by', 'ttl-interval', 'reserved-column-name', 'unsupported-setting', 'index-form',
    'duplicate-family', 'path-outside-database', 'default-column-reference',
  ] as const).map(ydbRule),
  statement(ctx, report) {
    const { ddl, file } = ctx;
    if (ddl.kind !== 'create-table' || ddl.asSelect) return;
    if (!ddl.ifNotExists && !ddl.orReplace && ctx.schema.table(ddl.table.name)) {
      report('table-exists', file, ddl.table, `table ${ddl.table.name} already exists here (an earlier migration or statement creates it), so YDB refuses to create it again`);
    }
    createTable(ddl, file, report);
  },
};

function createTable(ddl: CreateTable, file: string, report: Report): void {
  const table = ddl.table.name;
  if (/^\/[^/]+$/.test(table)) report('path-outside-database', file, ddl.table, `table path ${table} is directly under the root, outside every database`);
  const [primaryKey, ...moreKeys] = ddl.primaryKeys;
  if (!primaryKey) report('no-primary-key', file, ddl.table, `table ${table} has no PRIMARY KEY`);
  for (const extra of moreKeys) report('duplicate-primary-key', file, extra[0] ?? ddl.table, `table ${table} has a second PRIMARY KEY clause`);
  const columns = new Map<string, ColumnDef>();
  for (const column of ddl.columns) {
    if (columns.has(column.name)) report('duplicate-column', file, column, `column ${column.name} is defined twice in table ${table}`);
    columns.set(column.name, column);
  }
  for (const column of ddl.columns) checkColumn(column, table, file, report, new Set(columns.keys()));
  const types = new Map([...columns].map(([name, c]) => [name, c.resolved]));
  for (const key of primaryKey ?? []) {
    const column = columns.get(key.name);
    if (!column) report('undefined-key-column', file, key, `the PRIMARY KEY of table ${table} names column ${key.name}, which the table does not define`);
    else if (!isKeyable(column.resolved)) keyType(key, column.resolved, column.type, 'in the PRIMARY KEY', file, report);
    else if (ddl.store === 'column' && !column.notNull && column.resolved.kind !== 'serial') {
      report('column-table-nullable-key', file, key, `key column ${key.name} of column table ${table} must be NOT NULL`);
    }
  }
  const key = (primaryKey ?? []).map((k) => k.name);
  const indexNames = new Set<string>();
  for (const index of ddl.indexes) {
    if (indexNames.has(index.name)) report('duplicate-index', file, index, `index ${index.name} is defined twice in table ${table}`);
    indexNames.add(index.name);
    checkIndex(index, table, types, key, file, report);
  }
  const families = new Set(['default']);
  for (const family of ddl.families) {
    if (families.has(family.name) && family.name !== 'default') report('duplicate-family', file, family, `family ${family.name} is defined twice in table ${table}`);
    families.add(family.name);
    if (ddl.store === 'row') checkFamily(family.settings, table, file, report);
  }
  checkPartitionBy(ddl, key, file, report);
  for (const changefeed of ddl.changefeeds) checkChangefeed(changefeed, file, report);
  for (const column of ddl.columns) {
    if (column.family && !families.has(column.family.name)) report('undefined-family', file, column.family, `column ${column.name} is in family ${column.family.name}, which table ${table} does not define`);
  }
  if (ddl.ttl) checkTtl(ddl.ttl, table, types, file, report);
  checkSettings(ddl.settings, table, file, report);
  const store = ddl.settings.find((s) => s.name === 'STORE');
  if (store && !/^(["']?)(row|column)\1$/i.test(store.value.text)) report('unsupported-setting', file, store.value, `STORE = ${store.value.text}: a table is stored as ROW or COLUMN`);
  const atKeys = ddl.settings.find((s) => s.name === 'PARTITION_AT_KEYS');
  const widest = atKeys ? widestTuple(atKeys.value.tokens) : 0;
  if (atKeys && key.length > 0 && widest > key.length) report('unsupported-setting', file, atKeys.value, `PARTITION_AT_KEYS of table ${table} has a split point of ${widest} values, but the key has ${key.length} column(s)`);
}

/** The most values one split point of PARTITION_AT_KEYS holds: `(10, 20)` is 1, `((10), (100, "a"))` is 2. */
function widestTuple(tokens: readonly Token[]): number {
  let depth = 0;
  let widest = 1;
  let count = 1;
  for (const t of tokens) {
    if (t.text === '(' && ++depth === 2) count = 1;
    else if (t.text === ')' && depth-- === 2) widest = Math.max(widest, count);
    else if (t.text === ',' && depth === 2) count++;
  }
  return widest;
}

/** A row table is partitioned by its whole key; a column table hashed by key columns only. */
function checkPartitionBy(ddl: CreateTable, key: readonly string[], file: string, report: Report): void {
  const by = ddl.partitionBy;
  if (!by || key.length === 0) return;
  const table = ddl.table.name;
  if (ddl.store === 'column') {
    for (const c of by.filter((c) => !key.includes(c.name))) report('partition-by', file, c, `column table ${table} is partitioned by ${c.name}, which is not a key column`);
  } else if (by.length !== key.length || by.some((c, i) => c.name !== key[i])) {
    report('partition-by', file, by[0] ?? ddl.table, `row table ${table} is partitioned by (${by.map((c) => c.name).join(', ')}), not by its primary key (${key.join(', ')})`);
  }
}

const CHANGEFEED_VALUES: Readonly<Record<string, ReadonlySet<string>>> = {
  MODE: new Set(['KEYS_ONLY', 'UPDATES', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']),
  FORMAT: new Set(['JSON', 'DYNAMODB_STREAMS_JSON', 'DEBEZIUM_JSON']),
};
// The options a changefeed takes (ydb/docs/en/core/yql/reference/syntax/alter_table/changefeed.md).
const CHANGEFEED_OPTIONS = new Set(['MODE', 'FORMAT', 'VIRTUAL_TIMESTAMPS', 'RESOLVED_TIMESTAMPS', 'BARRIERS_INTERVAL', 'RETENTION_PERIOD', 'TOPIC_PARTITIONS',
  'TOPIC_MIN_ACTIVE_PARTITIONS', 'TOPIC_AUTO_PARTITIONING', 'INITIAL_SCAN', 'AWS_REGION', 'SCHEMA_CHANGES', 'LOCAL', 'USER_SIDS', 'TRACE_IDS']);

/** A changefeed's MODE and FORMAT are ones YDB has, and its options ones it knows (kqp_scheme_ut.cpp AddChangefeedNegative). */
export function checkChangefeed(changefeed: ChangefeedDef, file: string, report: Report): void {
  for (const s of changefeed.settings) {
    const [only] = s.value.tokens;
    const allowed = CHANGEFEED_VALUES[s.name];
    if (!CHANGEFEED_OPTIONS.has(s.name)) report('unsupported-setting', file, s, `changefeed ${changefeed.name} has option ${s.name}, which YDB does not know`);
    else if (allowed && only?.kind === 'string' && s.value.tokens.length === 1 && !allowed.has(only.text.slice(1, -1).toUpperCase())) {
      report('unsupported-setting', file, s.value, `changefeed ${changefeed.name} has ${s.name} ${only.text}: YDB takes ${[...allowed].join(', ')}`);
    }
  }
}

/** A row table's family settings: COMPRESSION_LEVEL is for column tables only. */
export function checkFamily(settings: readonly Setting[], table: string, file: string, report: Report): void {
  for (const s of settings.filter((x) => x.name === 'COMPRESSION_LEVEL')) report('unsupported-setting', file, s, `COMPRESSION_LEVEL is not supported for a row table's family (table ${table})`);
}

const NOT_ZERO = new Set(['AUTO_PARTITIONING_PARTITION_SIZE_MB', 'AUTO_PARTITIONING_MIN_PARTITIONS_COUNT', 'AUTO_PARTITIONING_MAX_PARTITIONS_COUNT']);

/** WITH / SET values YDB refuses whatever the table (kqp_scheme_ut.cpp). */
export function checkSettings(settings: readonly Setting[], table: string, file: string, report: Report): void {
  for (const s of settings) {
    if (NOT_ZERO.has(s.name) && /^0+$/.test(s.value.text)) report('bad-table-setting', file, s.value, `${s.name} of table ${table} is 0, which YDB refuses`);
    if (s.name === 'READ_REPLICAS_SETTINGS') {
      const [t] = s.value.tokens;
      const value = t?.kind === 'string' && s.value.tokens.length === 1 ? t.text.slice(1, -1).replace(/\s+/g, '') : null;
      if (value !== null && !/^(PER_AZ|ANY_AZ):\d+$/i.test(value)) report('bad-table-setting', file, s.value, `READ_REPLICAS_SETTINGS of table ${table} is ${t!.text}: YDB takes "PER_AZ:N" or "ANY_AZ:N" only`);
    }
  }
}

// Keywords YQL does not take as a column name unquoted (sql_ut_common.h TokensAsColumnNameInAddColumn).
const RESERVED_NAMES = new Set(['ANY', 'AUTOMAP', 'CALLABLE', 'COLUMN', 'DICT', 'ENUM', 'ERASE', 'FALSE', 'FLOW', 'LIST', 'OPTIONAL',
  'REPEATABLE', 'RESOURCE', 'SET', 'STREAM', 'STRUCT', 'TAGGED', 'TRUE', 'TUPLE', 'VARIANT']);

/** The checks a column gets wherever it is defined: its name, its type and its DEFAULT; `columns` are the table's column names. */
export function checkColumn(column: ColumnDef, table: string, file: string, report: Report, columns: ReadonlySet<string>): void {
  if (!column.quoted && RESERVED_NAMES.has(column.name.toUpperCase())) report('reserved-column-name', file, column, `${column.name} is a keyword YQL reserves: quote it to name a column of ${table}`);
  const read = column.default?.tokens.find((t, i, all) => t.kind === 'word' && columns.has(t.text) && all[i + 1]?.text !== '(' && all[i - 1]?.text !== '.' && all[i - 1]?.text !== '::');
  if (read) report('default-column-reference', file, column.default!, `the DEFAULT of column ${column.name} reads column ${read.text} of ${table}`);
  if (column.resolved.kind === 'unknown') {
    report('unknown-type', file, column.typeAt, `'${column.type}' for column ${column.name} of table ${table}: ${column.resolved.why}`);
    return;
  }
  const problem = column.default ? defaultProblem(column) : null;
  if (problem) report('default-type-mismatch', file, column.default!, `the DEFAULT of column ${column.name} (${typeName(column.resolved, column.type)}) ${problem}`);
}

const NUMERIC = /^((Int|Uint)(8|16|32|64)|Float|Double|DyNumber|Decimal\(.*)$/;

/** What is wrong with a column's DEFAULT literal, when its text shows it. */
function defaultProblem(column: ColumnDef): string | null {
  const tokens = column.default!.tokens;
  const type = typeName(column.resolved, column.type);
  const [only] = tokens;
  if (tokens.length !== 1 || !only) return null;
  if (only.kind === 'word' && /^null$/i.test(only.text)) return column.notNull ? 'is NULL, but the column is NOT NULL' : null;
  if (only.kind === 'string' && (NUMERIC.test(type) || type === 'Bool')) return `is the string ${only.text}, not a ${type}`;
  if (only.kind === 'word' && /^(true|false)$/i.test(only.text) && NUMERIC.test(type)) return `is ${only.text}, not a ${type}`;
  return null;
}

/** Index columns exist, may be keys, and make a shape YDB accepts; `key` is the table's primary key. */
export function checkIndex(index: IndexDef, table: string, types: ReadonlyMap<string, ResolvedType>, key: readonly string[], file: string, report: Report): void {
  const shape = (at: Position, why: string) => report('index-shape', file, at, `index ${index.name} of table ${table} ${why}`);
  const form = (why: string) => report('index-form', file, index, `index ${index.name} of table ${table} ${why}`);
  const using = index.using?.toLowerCase() ?? null;
  if (index.scope === 'LOCAL') form('is LOCAL: YDB has GLOBAL indexes only');
  if (using === null && index.settings.length > 0) form('has WITH (...), which only a vector index (USING vector_kmeans_tree) takes');
  if (using !== null && using !== 'vector_kmeans_tree' && !using.startsWith('fulltext')) form(`is USING ${index.using}, an index type YDB does not have`);
  if (using === 'vector_kmeans_tree' && !index.settings.some((s) => s.name === 'VECTOR_DIMENSION')) form('is a vector index without vector_dimension');
  const seen = new Set<string>();
  for (const c of index.columns) {
    const type = types.get(c.name);
    if (!type) report('undefined-index-column', file, c, `index ${index.name} is over column ${c.name}, which table ${table} does not have`);
    else if (!isKeyable(type) && index.using === null) keyType(c, type, c.name, `in index ${index.name}`, file, report);
    if (seen.has(c.name)) shape(c, `names column ${c.name} twice`);
    seen.add(c.name);
  }
  for (const c of index.cover) {
    if (!types.has(c.name)) report('undefined-index-column', file, c, `index ${index.name} covers column ${c.name}, which table ${table} does not have`);
    else if (seen.has(c.name)) shape(c, `covers column ${c.name}, which it already indexes`);
    else if (key.includes(c.name)) shape(c, `covers key column ${c.name}, which every index holds already`);
  }
  if (key.length > 0 && index.columns.length === key.length && index.columns.every((c, i) => c.name === key[i])) shape(index, 'indexes exactly the primary key');
}

function keyType(at: NameAt, type: ResolvedType, written: string, where: string, file: string, report: Report): void {
  report('key-column-type', file, at, `column ${at.name} is ${typeName(type, written)}, which YDB does not allow ${where}`);
}

const DATE_TYPES = new Set(['Date', 'Datetime', 'Timestamp', 'Date32', 'Datetime64', 'Timestamp64']);
const NUMBER_TYPES = new Set(['Uint32', 'Uint64', 'DyNumber', 'Int32', 'Int64']);

/** The TTL's column exists and has a type (and unit) YDB can expire rows by. */
export function checkTtl(ttl: TtlDef, table: string, types: ReadonlyMap<string, ResolvedType>, file: string, report: Report): void {
  for (const { delay } of ttl.tiers) {
    const [fn, open, literal, close, ...rest] = delay.tokens;
    const isInterval = /^interval$/i.test(fn?.text ?? '') && open?.text === '(' && literal?.kind === 'string' && close?.text === ')' && rest.length === 0;
    if (!isInterval) report('ttl-interval', file, delay, `the TTL delay of table ${table} is ${delay.text}, not a literal Interval("...")`);
    else if (literal.text.slice(1).startsWith('-')) report('ttl-interval', file, delay, `the TTL delay of table ${table} is negative (${delay.text})`);
  }
  const type = types.get(ttl.on.name);
  const bad = (why: string) => report('ttl-column', file, ttl.on, `the TTL of table ${table} is on column ${ttl.on.name}, ${why}`);
  if (!type) return bad('which the table does not have');
  const name = type.kind === 'simple' ? type.type.name : '';
  if (DATE_TYPES.has(name)) {
    if (ttl.unit) bad(`a ${name}: a date/time column takes no unit (drop AS ${ttl.unit.name})`);
  } else if (NUMBER_TYPES.has(name)) {
    if (!ttl.unit) bad(`a ${name}: a number column needs its unit (AS SECONDS, MILLISECONDS, MICROSECONDS or NANOSECONDS)`);
  } else {
    bad(`a ${typeName(type, ttl.on.name)}, which is neither a date/time nor a Uint32/Uint64/DyNumber`);
  }
}

/** A replayed table's columns with their types. */
export function columnTypes(table: TableModel): Map<string, ResolvedType> {
  return new Map(table.columns.map((c) => [c.name, resolveColumnType(c.type)]));
}

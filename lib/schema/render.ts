/**
 * The schema model as YQL: one CREATE TABLE per table (and ALTER TABLE ...
 * ADD CHANGEFEED per changefeed), in the model's canonical order, every name
 * in backticks, so the same schema always gives the same bytes and the text
 * recreates it on an empty database. Syntax: YDB's docs,
 * yql/reference/syntax/create_table/{index,secondary_index,family,with}.md
 * and alter_table/changefeed.md.
 */
import { quoteIdentifier } from '../yql/identifier.js';
import type { ChangefeedModel, ColumnModel, FamilyModel, IndexModel, Schema, TableModel, TtlModel } from './model.js';

export const SCHEMA_HEADER = '-- The database schema as ydb-migrate reads it (`ydb-migrate schema`); the history and lock tables are left out.\n';

/** Whether a file's first two lines are those of `schema` output: the text's header, or the model as --json writes it. */
export function isWrittenSchema([first, second]: string[]): boolean {
  return `${first}\n` === SCHEMA_HEADER || (first === '{' && (second ?? '').startsWith('  "tables": ['));
}

export function renderSchema(schema: Schema): string {
  const statements = schema.tables.flatMap((t) => [createTableStatement(t), ...t.changefeeds.map((c) => addChangefeedStatement(t.path, c))]);
  const others = schema.others.map((o) => `-- not described by ydb-migrate: ${quoteIdentifier(o.path)} (${o.kind})\n`);
  return [SCHEMA_HEADER, ...statements.map((s) => `${s}\n`), ...(others.length ? [others.join('')] : [])].join('\n');
}

export function createTableStatement(t: TableModel): string {
  const lines = [
    ...t.columns.map(columnDefinition),
    ...t.indexes.map((i) => `INDEX ${indexDefinition(i)}`),
    ...t.families.map((f) => `FAMILY ${familyClause(f)}`),
    `PRIMARY KEY (${names(t.primaryKey)})`,
  ];
  const partition = t.store === 'column' && t.partitionBy.length > 0 ? `\nPARTITION BY HASH (${names(t.partitionBy)})` : '';
  const settings = withSettings(t);
  return `CREATE TABLE ${quoteIdentifier(t.path)} (\n${lines.map((l) => `    ${l}`).join(',\n')}\n)${partition}${settings.length ? `\nWITH (\n${settings.map((s) => `    ${s}`).join(',\n')}\n)` : ''};`;
}

export function columnDefinition(c: ColumnModel): string {
  const family = c.family ? ` FAMILY ${quoteIdentifier(c.family)}` : '';
  return `${quoteIdentifier(c.name)} ${c.type}${family}${c.notNull ? ' NOT NULL' : ''}${c.default !== null ? ` DEFAULT ${c.default}` : ''}`;
}

/** After `INDEX` (CREATE TABLE) or `ADD INDEX` (ALTER TABLE). */
export function indexDefinition(i: IndexModel): string {
  const mode = i.mode === 'unique' ? 'UNIQUE' : i.mode === 'async' ? 'ASYNC' : 'SYNC';
  return `${quoteIdentifier(i.name)} GLOBAL ${mode} ON (${names(i.columns)})${i.cover.length ? ` COVER (${names(i.cover)})` : ''}`;
}

/** After `FAMILY` (CREATE TABLE) or `ADD FAMILY` (ALTER TABLE). */
export function familyClause(f: FamilyModel): string {
  const options = [...(f.data ? [`DATA = "${f.data}"`] : []), ...(f.compression ? [`COMPRESSION = "${f.compression}"`] : [])];
  return `${quoteIdentifier(f.name)} (${options.join(', ')})`;
}

/** The WITH clause's entries: STORE for column tables, the settings by name, TTL last. */
export function withSettings(t: Pick<TableModel, 'store' | 'settings' | 'ttl'>): string[] {
  return [
    ...(t.store === 'column' ? ['STORE = COLUMN'] : []),
    ...Object.entries(t.settings).map(([name, value]) => `${name} = ${value}`),
    ...(t.ttl ? [`TTL = ${ttlValue(t.ttl)}`] : []),
  ];
}

export function ttlValue(ttl: TtlModel): string {
  return `${intervalLiteral(ttl.expireAfterSeconds)} ON ${quoteIdentifier(ttl.column)}${ttl.unit ? ` AS ${ttl.unit}` : ''}`;
}

/** Whole days as `P<n>D`, anything else as `PT<n>S`: one spelling per duration. */
export function intervalLiteral(seconds: number): string {
  return seconds > 0 && seconds % 86_400 === 0 ? `Interval("P${seconds / 86_400}D")` : `Interval("PT${seconds}S")`;
}

export function addChangefeedStatement(table: string, c: ChangefeedModel): string {
  const options = [
    `MODE = '${c.mode}'`,
    `FORMAT = '${c.format}'`,
    ...(c.virtualTimestamps ? ['VIRTUAL_TIMESTAMPS = TRUE'] : []),
    ...(c.resolvedTimestampsSeconds !== null ? [`RESOLVED_TIMESTAMPS = ${intervalLiteral(c.resolvedTimestampsSeconds)}`] : []),
  ];
  return `ALTER TABLE ${quoteIdentifier(table)} ADD CHANGEFEED ${quoteIdentifier(c.name)} WITH (${options.join(', ')});`;
}

function names(list: readonly string[]): string {
  return list.map(quoteIdentifier).join(', ');
}

/**
 * Reads the schema model from YDB: the Scheme service lists the directory
 * tree (ListDirectory, recursively), the Table service describes each table
 * (DescribeTable). The history and lock tables, and YDB's system folders
 * (names starting with '.'), are left out; other objects are listed by kind.
 */
import { MigrateError } from '../errors.js';
import { ydbStatusCode } from '../error-codes.js';
import { lockTableName } from '../own-tables.js';
import type { Connection } from '../ydb/connection.js';
import {
  describeTables,
  listDirectory,
  protocolOf,
  type ChangefeedDescription,
  type ColumnFamily,
  type ColumnMeta,
  type IndexDescription,
  type TableDescription,
  type TtlSettings,
  type YdbType,
  type YdbTypedValue,
} from '../ydb/scheme.js';
import { statusOf } from '../ydb/execute.js';
import { fromValue } from '../ydb/typed-values.js';
import { encodeLiteral, parseType } from '../yql/literal.js';
import { serialStoredAs, typeById } from '../rules/column-types.js';
import { canonical, type ChangefeedModel, type ColumnModel, type FamilyModel, type IndexModel, type OtherObject, type Schema, type TableModel, type TtlModel } from './model.js';

type Protocol = ReturnType<typeof protocolOf>;

/** Bounds each table description (and the session it waits for); a schema read never needs long. */
const DESCRIBE_TIMEOUT_MS = 30_000;

/** The schema of the connected database, without the history table `historyTable` and its lock table. */
export async function readSchema(connection: Connection, historyTable: string): Promise<Schema> {
  const own = new Set([historyTable, lockTableName(historyTable)].map((t) => relativePath(connection, t)));
  const proto = protocolOf(connection);
  const { DIRECTORY, TABLE, COLUMN_TABLE } = proto.Scheme.Entry.Type;
  const tablePaths: string[] = [];
  const others: OtherObject[] = [];
  const walk = async (folder: string): Promise<void> => {
    const children = await scheme(connection, `list ${folder || '/'}`, () => listDirectory(connection, folder));
    for (const child of children) {
      const name = child.name ?? '';
      if (name.startsWith('.')) continue;
      const path = folder ? `${folder}/${name}` : name;
      if (child.type === DIRECTORY) await walk(path);
      else if (child.type === TABLE || child.type === COLUMN_TABLE) {
        if (!own.has(path)) tablePaths.push(path);
      } else others.push({ path, kind: proto.Scheme.Entry.Type[child.type ?? 0] ?? `TYPE_${child.type}` });
    }
  };
  await walk('');
  const described = await scheme(connection, 'describe tables', () => describeTables(connection, tablePaths, DESCRIBE_TIMEOUT_MS));
  const tables = described.map((d, i) => tableModel(proto, tablePaths[i]!, d));
  return canonical({ tables, others });
}

/** `/local/infra/h` or `infra/h` → `infra/h`. */
function relativePath(connection: Connection, path: string): string {
  const database = connection.target.database;
  return path.startsWith(`${database}/`) ? path.slice(database.length + 1) : path.replace(/^\/+/, '');
}

async function scheme<T>(connection: Connection, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MigrateError) throw err;
    const status = statusOf(connection, err);
    throw new MigrateError(ydbStatusCode(status), `reading the schema failed (${what}): ${status ?? 'error'}: ${connection.mask(err instanceof Error ? err.message : String(err))}`, { kind: 'runtime', cause: err });
  }
}

function tableModel(proto: Protocol, path: string, d: TableDescription): TableModel {
  const T = proto.Table;
  const column = d.storeType === T.StoreType.STORE_TYPE_COLUMN;
  return {
    path,
    store: column ? 'column' : 'row',
    columns: (d.columns ?? []).map((c) => columnModel(path, c)),
    partitionBy: column ? [...(d.partitioningSettings?.partitionBy ?? [])] : [],
    primaryKey: [...(d.primaryKey ?? [])],
    indexes: (d.indexes ?? []).map(indexModel),
    families: (d.columnFamilies ?? []).map((f) => familyModel(proto, f)).filter((f): f is FamilyModel => f !== null),
    settings: settingsOf(proto, d),
    ttl: ttlModel(proto, d.ttlSettings),
    changefeeds: (d.changefeeds ?? []).map((c) => changefeedModel(proto, c)),
  };
}

function typeText(path: string, column: string, type: YdbType): { text: string; nullable: boolean } {
  if (type.optionalType) return { text: typeText(path, column, type.optionalType.item ?? {}).text, nullable: true };
  if (type.decimalType) return { text: `Decimal(${type.decimalType.precision},${type.decimalType.scale})`, nullable: false };
  const name = typeById(type.typeId ?? -1)?.name;
  if (!name) {
    throw new MigrateError('SCHEMA_UNKNOWN_TYPE', `column ${column} of ${path} has a type the schema model does not describe (${JSON.stringify(type)})`, { kind: 'runtime' });
  }
  return { text: name, nullable: false };
}

function columnModel(path: string, c: ColumnMeta): ColumnModel {
  const name = c.name ?? '';
  const { text } = typeText(path, name, c.type ?? {});
  const family = c.family && c.family !== 'default' ? c.family : null;
  if (c.fromSequence) return { name, type: serialStoredAs(text)?.name ?? text, notNull: true, default: null, family };
  return { name, type: text, notNull: Boolean(c.notNull), default: c.fromLiteral ? defaultLiteral(path, name, c.fromLiteral) : null, family };
}

function defaultLiteral(path: string, column: string, literal: YdbTypedValue): string {
  const { text } = typeText(path, column, literal.type ?? {});
  const value = fromValue(literal.type ?? {}, literal.value ?? {});
  return value === null ? 'NULL' : encodeLiteral(parseType(text), value);
}

function indexModel(i: IndexDescription): IndexModel {
  return {
    name: i.name ?? '',
    mode: i.globalUniqueIndex ? 'unique' : i.globalAsyncIndex ? 'async' : 'sync',
    columns: [...(i.indexColumns ?? [])],
    cover: [...(i.dataColumns ?? [])],
  };
}

/** null for the default family left as YDB creates it. */
function familyModel(proto: Protocol, f: ColumnFamily): FamilyModel | null {
  const { Compression } = proto.Table.ColumnFamily;
  const compression = f.compression === Compression.COMPRESSION_LZ4 ? 'lz4' : f.compression === Compression.COMPRESSION_NONE ? 'off' : null;
  const data = f.data?.media || null;
  const name = f.name ?? '';
  if (name === 'default' && data === null && compression !== 'lz4') return null;
  return { name, data, compression };
}

function settingsOf(proto: Protocol, d: TableDescription): Record<string, string> {
  const { ENABLED, DISABLED } = proto.FeatureFlag.Status;
  const flag = (status: number | null | undefined): string | null => (status === ENABLED ? 'ENABLED' : status === DISABLED ? 'DISABLED' : null);
  const count = (n: unknown): string | null => (n === null || n === undefined || String(n) === '0' ? null : String(n));
  const p = d.partitioningSettings ?? {};
  const r = d.readReplicasSettings;
  const replicas = r && count(r.perAzReadReplicasCount) ? `"PER_AZ:${count(r.perAzReadReplicasCount)}"` : r && count(r.anyAzReadReplicasCount) ? `"ANY_AZ:${count(r.anyAzReadReplicasCount)}"` : null;
  const entries: [string, string | null][] = [
    ['AUTO_PARTITIONING_BY_SIZE', flag(p.partitioningBySize)],
    ['AUTO_PARTITIONING_BY_LOAD', flag(p.partitioningByLoad)],
    ['AUTO_PARTITIONING_PARTITION_SIZE_MB', count(p.partitionSizeMb)],
    ['AUTO_PARTITIONING_MIN_PARTITIONS_COUNT', count(p.minPartitionsCount)],
    ['AUTO_PARTITIONING_MAX_PARTITIONS_COUNT', count(p.maxPartitionsCount)],
    ['KEY_BLOOM_FILTER', flag(d.keyBloomFilter)],
    ['READ_REPLICAS_SETTINGS', replicas],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== null));
}

function ttlModel(proto: Protocol, ttl: TtlSettings | null | undefined): TtlModel | null {
  if (ttl?.dateTypeColumn) return { column: ttl.dateTypeColumn.columnName ?? '', expireAfterSeconds: ttl.dateTypeColumn.expireAfterSeconds ?? 0, unit: null };
  const epoch = ttl?.valueSinceUnixEpoch;
  if (!epoch) return null;
  const unit = proto.Table.ValueSinceUnixEpochModeSettings.Unit[epoch.columnUnit ?? 0]?.replace(/^UNIT_/, '') ?? null;
  return { column: epoch.columnName ?? '', expireAfterSeconds: epoch.expireAfterSeconds ?? 0, unit };
}

function changefeedModel(proto: Protocol, c: ChangefeedDescription): ChangefeedModel {
  const T = proto.Table;
  const interval = c.resolvedTimestampsInterval;
  const seconds = interval ? Number(interval.seconds ?? 0) : 0;
  return {
    name: c.name ?? '',
    mode: (T.ChangefeedMode.Mode[c.mode ?? 0] ?? '').replace(/^MODE_/, ''),
    format: (T.ChangefeedFormat.Format[c.format ?? 0] ?? '').replace(/^FORMAT_/, ''),
    virtualTimestamps: Boolean(c.virtualTimestamps),
    resolvedTimestampsSeconds: seconds > 0 ? seconds : null,
  };
}

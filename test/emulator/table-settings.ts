/**
 * A table's WITH settings as DescribeTable reports them: partitioning,
 * key bloom filter, read replicas and TTL in their proto fields
 * (Ydb.Table.DescribeTableResult). UNIFORM_PARTITIONS only shapes the
 * table when it is created, and YDB does not report it back; neither does
 * this. Unlike YDB, which fills in its defaults, only settings a statement
 * gave are reported.
 */
import { Ydb, type YdbTypes } from './ydb-proto.js';
import type { TableDescription } from './engine/index.js';

const T = Ydb.Table;
const TTL_UNITS: Readonly<Record<string, YdbTypes.Table.ValueSinceUnixEpochModeSettings.Unit>> = {
  SECONDS: T.ValueSinceUnixEpochModeSettings.Unit.UNIT_SECONDS,
  MILLISECONDS: T.ValueSinceUnixEpochModeSettings.Unit.UNIT_MILLISECONDS,
  MICROSECONDS: T.ValueSinceUnixEpochModeSettings.Unit.UNIT_MICROSECONDS,
  NANOSECONDS: T.ValueSinceUnixEpochModeSettings.Unit.UNIT_NANOSECONDS,
};

type Described = Pick<YdbTypes.Table.IDescribeTableResult, 'partitioningSettings' | 'keyBloomFilter' | 'readReplicasSettings' | 'ttlSettings' | 'storeType'>;

export function describedSettings(table: TableDescription): Described {
  const s = table.settings;
  const partitioning: YdbTypes.Table.IPartitioningSettings = {
    ...flag('partitioningBySize', s.AUTO_PARTITIONING_BY_SIZE),
    ...flag('partitioningByLoad', s.AUTO_PARTITIONING_BY_LOAD),
    ...count('partitionSizeMb', s.AUTO_PARTITIONING_PARTITION_SIZE_MB),
    ...count('minPartitionsCount', s.AUTO_PARTITIONING_MIN_PARTITIONS_COUNT),
    ...count('maxPartitionsCount', s.AUTO_PARTITIONING_MAX_PARTITIONS_COUNT),
  };
  const replicas = /^(PER_AZ|ANY_AZ):\s*(\d+)$/i.exec(s.READ_REPLICAS_SETTINGS ?? '');
  const ttl = table.ttl;
  return {
    storeType: T.StoreType.STORE_TYPE_ROW,
    ...(Object.keys(partitioning).length > 0 ? { partitioningSettings: partitioning } : {}),
    ...(s.KEY_BLOOM_FILTER ? { keyBloomFilter: featureFlag(s.KEY_BLOOM_FILTER) } : {}),
    ...(replicas ? { readReplicasSettings: replicas[1]!.toUpperCase() === 'PER_AZ' ? { perAzReadReplicasCount: Number(replicas[2]) } : { anyAzReadReplicasCount: Number(replicas[2]) } } : {}),
    ...(ttl
      ? {
          ttlSettings: ttl.unit
            ? { valueSinceUnixEpoch: { columnName: ttl.column, columnUnit: TTL_UNITS[ttl.unit]!, expireAfterSeconds: ttl.expireAfterSeconds } }
            : { dateTypeColumn: { columnName: ttl.column, expireAfterSeconds: ttl.expireAfterSeconds } },
        }
      : {}),
  };
}

function featureFlag(value: string): YdbTypes.FeatureFlag.Status {
  return value.toUpperCase() === 'ENABLED' ? Ydb.FeatureFlag.Status.ENABLED : Ydb.FeatureFlag.Status.DISABLED;
}

function flag(field: keyof YdbTypes.Table.IPartitioningSettings, value: string | undefined): YdbTypes.Table.IPartitioningSettings {
  return value === undefined ? {} : { [field]: featureFlag(value) };
}

function count(field: keyof YdbTypes.Table.IPartitioningSettings, value: string | undefined): YdbTypes.Table.IPartitioningSettings {
  return value === undefined ? {} : { [field]: Number(value) };
}

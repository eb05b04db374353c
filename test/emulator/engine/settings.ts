/**
 * The checks YQL's translator makes on a table's WITH / SET settings before
 * anything runs; each refusal is GENERIC_ERROR with YDB's text, at the setting.
 * Sources (SUBSET.md): ydb/core/kqp/ut/scheme/kqp_scheme_ut.cpp, tests
 * CreateAndAlterTableWithPartitionSize*, ...WithMinMaxPartitions*,
 * CreateTableWithReadReplicas*, CreateTableWithUniformPartitions*,
 * CreateTableWithPartitionAtKeys*, CreateTableWithWrongPartitionAtKeys.
 */
import type { TableSetting } from './ast.js';
import { syntaxError } from './errors.js';

const FLAGS = new Set(['AUTO_PARTITIONING_BY_SIZE', 'AUTO_PARTITIONING_BY_LOAD', 'KEY_BLOOM_FILTER']);
const COUNTS = new Set(['AUTO_PARTITIONING_PARTITION_SIZE_MB', 'AUTO_PARTITIONING_MIN_PARTITIONS_COUNT', 'AUTO_PARTITIONING_MAX_PARTITIONS_COUNT', 'UNIFORM_PARTITIONS']);
const ZERO_REFUSED: Readonly<Record<string, string>> = {
  AUTO_PARTITIONING_PARTITION_SIZE_MB: "Can't set preferred partition size to 0",
  AUTO_PARTITIONING_MIN_PARTITIONS_COUNT: "Can't set min partition count to 0",
  AUTO_PARTITIONING_MAX_PARTITIONS_COUNT: "Can't set max partition count to 0",
};
/** Settings that only shape a table when it is created. */
const CREATE_ONLY = new Set(['UNIFORM_PARTITIONS', 'PARTITION_AT_KEYS']);

/** `keyColumns`: the primary key's length for CREATE TABLE; undefined for ALTER TABLE ... SET. */
export function checkSettings(settings: TableSetting[], keyColumns: number | undefined): void {
  for (const s of settings) {
    const name = s.name.name.toUpperCase();
    const refuse = (message: string): never => {
      throw syntaxError(s.name.pos, message);
    };
    if (keyColumns === undefined && CREATE_ONLY.has(name)) refuse(`${name} alter is not supported`);
    if (FLAGS.has(name) && !/^(ENABLED|DISABLED)$/i.test(s.value)) refuse(`Invalid value for ${name}: expected ENABLED or DISABLED`);
    if (COUNTS.has(name)) {
      if (!/^\d+$/.test(s.value)) refuse(`Invalid value for ${name}: expected an unsigned integer`);
      if (Number(s.value) === 0 && ZERO_REFUSED[name]) refuse(ZERO_REFUSED[name]!);
    }
    if (name === 'READ_REPLICAS_SETTINGS' && !/^\s*(PER_AZ|ANY_AZ)\s*:\s*\d+\s*$/i.test(s.value)) {
      refuse('Specifying read replicas count for each AZ in cluster is not supported yet');
    }
    if (name === 'PARTITION_AT_KEYS' && keyColumns !== undefined) {
      const widest = Math.max(...(s.keyArities ?? []));
      if (widest > keyColumns) refuse(`Partition at keys has ${widest} key values while there are only ${keyColumns} key columns`);
    }
  }
}

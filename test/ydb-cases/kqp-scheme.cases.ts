/**
 * Cases from ydb/core/kqp/ut/scheme/kqp_scheme_ut.cpp (suite KqpScheme): DDL as
 * ExecuteSchemeQuery / the Query service sends it. YDB's tests use the database
 * /Root; here the paths are relative to the emulator's database. "compat" tests
 * use `SET (k = v)`, "uncompat" ones the short `SET k v` form.
 */
import { CaseFile, OK, refused } from './draft.js';

const f = new CaseFile('ydb/core/kqp/ut/scheme/kqp_scheme_ut.cpp', 'kqp_scheme_ut');
const KV = 'CREATE TABLE kv (Key Uint64, Value String, PRIMARY KEY (Key));';
const SELECT_SKIP = { skip: 'a SELECT, which lint does not read' };

f.add('UseNonexistentTable', 'SELECT * FROM nonexistent;', refused('SCHEME_ERROR'), { service: 'dml', lint: SELECT_SKIP });
f.add('UseDroppedTable', 'SELECT * FROM kv;', refused('SCHEME_ERROR'), { service: 'dml', setup: [KV, 'DROP TABLE kv;'], lint: SELECT_SKIP });
f.add('CreateDroppedTable', 'CREATE TABLE kv (Key Uint32, Value String, PRIMARY KEY (Key));', OK, { setup: [KV, 'DROP TABLE kv;'] });
f.add('CreateDropTableMultipleTime', 'CREATE TABLE `Test1234/KeyValue` (Key Uint32, Value String, PRIMARY KEY (Key));', OK);

// RenameTable
const TABLE = 'CREATE TABLE `table` (Key Uint64, Value String, PRIMARY KEY (Key));';
const SECOND = 'CREATE TABLE second (Key Uint64, Value String, PRIMARY KEY (Key));';
f.add('RenameTable', 'ALTER TABLE `/local/table` RENAME TO `/local/moved`;', OK, { setup: [TABLE] });
f.add('RenameTable', 'ALTER TABLE `moved` RENAME TO `/local/table`', OK, { setup: [TABLE, 'ALTER TABLE `table` RENAME TO moved;'] });
f.add('RenameTable', 'ALTER TABLE `table` RENAME TO `/local/moved`;\nALTER TABLE `/local/second` RENAME TO `movedsecond`;', OK, { setup: [TABLE, SECOND] });
f.add('RenameTable', 'ALTER TABLE `/local/table` RENAME TO `/local/second`;', refused('SCHEME_ERROR'), { setup: [TABLE, SECOND] });
f.add('RenameTable', 'DROP TABLE `/local/second`;\nALTER TABLE `/local/table` RENAME TO `/local/second`;', OK, { setup: [TABLE, SECOND] });

// Partitioning settings
const byLoad = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (AUTO_PARTITIONING_BY_LOAD = ENABLED);';
f.add('CreateAndAlterTableWithPartitioningByLoadCompat', byLoad, OK);
f.add('CreateAndAlterTableWithPartitioningByLoadCompat', 'ALTER TABLE t SET (AUTO_PARTITIONING_BY_LOAD=DISABLED);', OK, { setup: [byLoad] });
f.add('CreateAndAlterTableWithPartitioningByLoadUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_BY_LOAD DISABLED;', OK, { setup: [byLoad] });
f.add('CreateAndAlterTableWithPartitioningByLoadUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_BY_LOAD ENABLED;', OK, { setup: [byLoad] });

const bySize = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (AUTO_PARTITIONING_BY_SIZE = ENABLED);';
f.add('CreateAndAlterTableWithPartitioningBySizeCompat', bySize, OK);
f.add('CreateAndAlterTableWithPartitioningBySizeCompat', 'ALTER TABLE t SET (AUTO_PARTITIONING_BY_SIZE=DISABLED);', OK, { setup: [bySize] });
f.add('CreateAndAlterTableWithPartitioningBySizeUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_BY_SIZE DISABLED;', OK, { setup: [bySize] });

f.add('CreateAndAlterTableWithPartitionSizeCompat', 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (AUTO_PARTITIONING_PARTITION_SIZE_MB = 0);',
  refused('GENERIC_ERROR', "Can't set preferred partition size to 0"));
const size1000 = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (AUTO_PARTITIONING_PARTITION_SIZE_MB = 1000);';
f.add('CreateAndAlterTableWithPartitionSizeCompat', size1000, OK);
f.add('CreateAndAlterTableWithPartitionSizeCompat', 'ALTER TABLE t SET (AUTO_PARTITIONING_PARTITION_SIZE_MB=0);', refused('GENERIC_ERROR', "Can't set preferred partition size to 0"), { setup: [size1000] });
f.add('CreateAndAlterTableWithPartitionSizeUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_PARTITION_SIZE_MB 0;', refused('GENERIC_ERROR', "Can't set preferred partition size to 0"), { setup: [size1000] });
f.add('CreateAndAlterTableWithPartitionSizeCompat', 'ALTER TABLE t SET (AUTO_PARTITIONING_PARTITION_SIZE_MB=500);', OK, { setup: [size1000] });
f.add('CreateAndAlterTableWithPartitionSizeUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_PARTITION_SIZE_MB 500;', OK, { setup: [size1000] });

f.add('CreateAndAlterTableWithMinMaxPartitionsCompat',
  'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 0, AUTO_PARTITIONING_MAX_PARTITIONS_COUNT = 100);',
  refused('GENERIC_ERROR', "Can't set min partition count to 0"));
const minMax = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 10, AUTO_PARTITIONING_MAX_PARTITIONS_COUNT = 100);';
f.add('CreateAndAlterTableWithMinMaxPartitionsCompat', minMax, OK);
f.add('CreateAndAlterTableWithMinMaxPartitionsCompat', 'ALTER TABLE t SET (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT=20,AUTO_PARTITIONING_MAX_PARTITIONS_COUNT=0);',
  refused('GENERIC_ERROR', "Can't set max partition count to 0"), { setup: [minMax] });
f.add('CreateAndAlterTableWithMinMaxPartitionsUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 20, SET AUTO_PARTITIONING_MAX_PARTITIONS_COUNT 0;',
  refused('GENERIC_ERROR', "Can't set max partition count to 0"), { setup: [minMax] });
f.add('CreateAndAlterTableWithMinMaxPartitionsCompat', 'ALTER TABLE t SET (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT=20,AUTO_PARTITIONING_MAX_PARTITIONS_COUNT=50);', OK, { setup: [minMax] });
f.add('CreateAndAlterTableWithMinMaxPartitionsUncompat', 'ALTER TABLE t  SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 20, SET AUTO_PARTITIONING_MAX_PARTITIONS_COUNT 50;', OK, { setup: [minMax] });

const bloom = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (KEY_BLOOM_FILTER = ENABLED);';
f.add('CreateAndAlterTableWithBloomFilterCompat', bloom, OK);
f.add('CreateAndAlterTableWithBloomFilterCompat', 'ALTER TABLE t SET (KEY_BLOOM_FILTER=DISABLED);', OK, { setup: [bloom] });
f.add('CreateAndAlterTableWithBloomFilterUncompat', 'ALTER TABLE t  SET KEY_BLOOM_FILTER DISABLED;', OK, { setup: [bloom] });
f.add('CreateAndAlterTableWithBloomFilterUncompat', 'ALTER TABLE t  SET KEY_BLOOM_FILTER ENABLED;', OK, { setup: [bloom] });

const replicas = (value: string): string => `CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (READ_REPLICAS_SETTINGS = "${value}");`;
const perAz = 'Specifying read replicas count for each AZ in cluster is not supported yet';
f.add('CreateTableWithReadReplicasCompat', replicas('SOME_AZ:2'), refused('GENERIC_ERROR', perAz));
f.add('CreateTableWithReadReplicasCompat', replicas('VLA: 2, MAN:1 '), refused('GENERIC_ERROR', perAz));
f.add('CreateTableWithReadReplicasCompat', replicas('any_az:1'), OK);
f.add('CreateTableWithReadReplicasCompat', 'ALTER TABLE t SET (READ_REPLICAS_SETTINGS="PER_AZ:2");', OK, { setup: [replicas('any_az:1')] });
f.add('CreateTableWithReadReplicasUncompat', 'ALTER TABLE t  SET READ_REPLICAS_SETTINGS "PER_AZ:2";', OK, { setup: [replicas('any_az:1')] });

// TTL (CreateTableWithTtlSettings); the DyNumber column of YDB's test is left out.
const ttlTable = (ttl: string): string =>
  `CREATE TABLE ttl_t (Key Uint64, Ts Timestamp, StringValue String, Uint32Value Uint32, Uint64Value Uint64, PRIMARY KEY (Key)) WITH (TTL = ${ttl});`;
const ttlPlain = 'CREATE TABLE ttl_t (Key Uint64, Ts Timestamp, StringValue String, Uint32Value Uint32, Uint64Value Uint64, PRIMARY KEY (Key));';
const literalExpected = 'Literal of Interval type is expected for TTL';
f.add('CreateTableWithTtlSettingsCompat', ttlTable('DateTime::IntervalFromDays(1) ON Ts'), refused('GENERIC_ERROR', literalExpected));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('"P1D" ON Ts'), refused('GENERIC_ERROR', literalExpected));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('Interval("-P1D") ON Ts'), refused('GENERIC_ERROR', 'Interval value cannot be negative'));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('Interval("P1D") ON CreatedAt'), refused('SCHEME_ERROR', 'Cannot enable TTL on unknown column'));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('Interval("P1D") ON StringValue'), refused('SCHEME_ERROR', 'Unsupported column type'));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('Interval("P1D") ON Uint32Value'), refused('SCHEME_ERROR', "'ValueSinceUnixEpochModeSettings' should be specified"));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('Interval("P1D") ON Uint64Value'), refused('SCHEME_ERROR', "'ValueSinceUnixEpochModeSettings' should be specified"));
f.add('CreateTableWithTtlSettingsCompat', ttlTable('Interval("P1D") ON Ts'), OK);
f.add('CreateTableWithTtlSettingsCompat', 'ALTER TABLE ttl_t RESET (TTL);', OK, { setup: [ttlTable('Interval("P1D") ON Ts')] });
for (const [form, set] of [['Compat', (v: string) => `SET (TTL=${v})`], ['Uncompat', (v: string) => ` SET TTL ${v}`]] as const) {
  const test = `CreateTableWithTtlSettings${form}`;
  const alter = (v: string): string => `ALTER TABLE ttl_t ${set(v)};`;
  f.add(test, alter('DateTime::IntervalFromDays(1) ON Ts'), refused('GENERIC_ERROR', literalExpected), { setup: [ttlPlain] });
  f.add(test, alter('"-P1D" ON Ts'), refused('GENERIC_ERROR', literalExpected), { setup: [ttlPlain] });
  f.add(test, alter('Interval("-P1D") ON Ts'), refused('GENERIC_ERROR', 'Interval value cannot be negative'), { setup: [ttlPlain] });
  f.add(test, alter('Interval("P0D") ON CreatedAt'), refused('BAD_REQUEST', 'Cannot enable TTL on unknown column'), { setup: [ttlPlain] });
  f.add(test, alter('Interval("P0D") ON StringValue'), refused('BAD_REQUEST', 'Unsupported column type'), { setup: [ttlPlain] });
  f.add(test, alter('Interval("P0D") ON Uint32Value'), refused('BAD_REQUEST', "'ValueSinceUnixEpochModeSettings' should be specified"), { setup: [ttlPlain] });
  f.add(test, alter('Interval("P0D") ON Uint64Value'), refused('BAD_REQUEST', "'ValueSinceUnixEpochModeSettings' should be specified"), { setup: [ttlPlain] });
  f.add(test, alter('Interval("P0D") ON Ts'), OK, { setup: [ttlPlain] });
}
f.add('CreateTableWithTtlSettingsCompat', 'ALTER TABLE ttl_t DROP COLUMN Ts;', refused('BAD_REQUEST', "Can't drop TTL column"), { setup: [ttlTable('Interval("P1D") ON Ts')] });
f.add('CreateTableWithTtlSettingsCompat', 'ALTER TABLE ttl_t DROP COLUMN Ts;', OK, { setup: [ttlTable('Interval("P1D") ON Ts'), 'ALTER TABLE ttl_t RESET (TTL);'] });
for (const unit of ['SECONDS', 'MILLISECONDS', 'MICROSECONDS', 'NANOSECONDS']) {
  f.add('CreateTableWithTtlOnIntColumn', `CREATE TABLE t (Key Uint64, IntColumn Uint64, PRIMARY KEY (Key)) WITH (TTL = Interval("P1D") ON IntColumn AS ${unit});`, OK);
}

const uniform = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (UNIFORM_PARTITIONS = 4);';
f.add('CreateTableWithUniformPartitionsCompat', uniform, OK);
f.add('CreateTableWithUniformPartitionsCompat', 'ALTER TABLE t SET (UNIFORM_PARTITIONS=8);', refused('GENERIC_ERROR', 'UNIFORM_PARTITIONS alter is not supported'), { setup: [uniform] });
f.add('CreateTableWithUniformPartitionsUncompat', 'ALTER TABLE t  SET UNIFORM_PARTITIONS 8;', refused('GENERIC_ERROR', 'UNIFORM_PARTITIONS alter is not supported'), { setup: [uniform] });

const atKeys = 'CREATE TABLE t (Key1 Uint64, Key2 String, Value String, PRIMARY KEY (Key1, Key2)) WITH (PARTITION_AT_KEYS = (10, 100, 1000, 10000));';
f.add('CreateTableWithPartitionAtKeysSimpleCompat', atKeys, OK);
f.add('CreateTableWithPartitionAtKeysSimpleCompat', 'ALTER TABLE t SET (PARTITION_AT_KEYS=(100, 500, 1000, 10000));', refused('GENERIC_ERROR', 'PARTITION_AT_KEYS alter is not supported'), { setup: [atKeys] });
f.add('CreateTableWithPartitionAtKeysSimpleUncompat', 'ALTER TABLE t  SET PARTITION_AT_KEYS (100, 500, 1000, 10000);', refused('GENERIC_ERROR', 'PARTITION_AT_KEYS alter is not supported'), { setup: [atKeys] });
f.add('CreateTableWithPartitionAtKeysSigned', 'CREATE TABLE t (Key1 Int64, Key2 String, Value String, PRIMARY KEY (Key1, Key2)) WITH (PARTITION_AT_KEYS = ( 0, 10, 10000 ));', OK);
f.add('CreateTableWithPartitionAtKeysComplex', 'CREATE TABLE t (Key1 Uint64, Key2 String, Value String, PRIMARY KEY (Key1, Key2)) WITH (PARTITION_AT_KEYS = ((10), (100, "123"), (1000, "cde")));', OK);
f.add('CreateTableWithWrongPartitionAtKeys', 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (PARTITION_AT_KEYS = ((10), (100, "123"), (1000, "cde")));',
  refused('GENERIC_ERROR', 'Partition at keys has 2 key values while there are only 1 key columns'));

// Column families
const families = `CREATE TABLE t (Key Uint64, Value1 String FAMILY Family1, Value2 Uint32 FAMILY Family2, PRIMARY KEY (Key),
  FAMILY Family1 (DATA = "test", COMPRESSION = "off"), FAMILY Family2 ());`;
f.add('CreateTableWithFamiliesRegular', families, OK);
f.add('CreateFamilyWithCompressionLevel',
  'CREATE TABLE t (Key Uint64, Value1 String, Value2 Uint32, PRIMARY KEY (Key), FAMILY Family1 (DATA = "test", COMPRESSION = "lz4", COMPRESSION_LEVEL = 5),);',
  refused('GENERIC_ERROR', 'Field `COMPRESSION_LEVEL` is not supported for OLTP tables'));
const lz4 = 'CREATE TABLE t (Key Uint64, Value1 String FAMILY Family1, Value2 Uint32, PRIMARY KEY (Key), FAMILY Family1 (DATA = "test", COMPRESSION = "lz4"),);';
f.add('AlterCompressionLevelInColumnFamily', lz4, OK);
f.add('AlterCompressionLevelInColumnFamily', 'ALTER TABLE t ALTER FAMILY Family1 SET COMPRESSION_LEVEL 5;', refused('BAD_REQUEST', 'Field `COMPRESSION_LEVEL` is not supported for OLTP tables'), { setup: [lz4] });
f.add('AddColumnFamilyWithCompressionLevel', 'ALTER TABLE t ADD FAMILY Family2 (DATA = "test", COMPRESSION = "lz4", COMPRESSION_LEVEL = 5);',
  refused('BAD_REQUEST', 'Field `COMPRESSION_LEVEL` is not supported for OLTP tables'), { setup: [lz4] });
const defaultFamily = `CREATE TABLE t (Key Uint64, Value1 String FAMILY Family1, Value2 String, PRIMARY KEY (Key),
  FAMILY default (DATA = "test", COMPRESSION = "lz4"), FAMILY Family1 (DATA = "test", COMPRESSION = "off"));`;
f.add('CreateTableWithDefaultFamily', defaultFamily, OK);
f.add('CreateTableWithDefaultFamily', `ALTER TABLE t ADD FAMILY  Family2 (DATA = "test", COMPRESSION = "off"), ADD COLUMN Value3 Uint32 FAMILY Family1,
  ADD COLUMN Value4 Uint32 FAMILY Family2, DROP COLUMN Value2, ALTER COLUMN Value1 SET FAMILY Family2, ALTER FAMILY Family1 SET COMPRESSION "LZ4";`, OK, { setup: [defaultFamily] });
const toAlter = 'CREATE TABLE t (Key Uint64, Value1 String FAMILY Family1, PRIMARY KEY (Key), FAMILY Family1 (DATA = "test", COMPRESSION = "off"), FAMILY Family2 (DATA = "test", COMPRESSION = "lz4"));';
f.add('CreateAndAlterTableComplex', toAlter, OK);
f.add('CreateAndAlterTableComplex', 'ALTER TABLE t ADD COLUMN Value2 Uint32 FAMILY Family2;', OK, { setup: [toAlter] });

// Columns
f.add('AddDropColumn', 'ALTER TABLE kv ADD Value2 String;', OK, { setup: [KV] });
f.add('AddDropColumn', 'ALTER TABLE kv DROP Value;', OK, { setup: [KV] });
f.add('DropKeyColumn', 'ALTER TABLE kv DROP Key;', refused('GENERIC_ERROR', undefined, 1030), { setup: [KV] });
const withDataColumns = 'CREATE TABLE SecondaryWithDataColumns (Key String, Index2 String, Value String, PRIMARY KEY (Key), INDEX Index GLOBAL ON (Index2) COVER (Value));';
f.add('DropIndexDataColumn', 'ALTER TABLE SecondaryWithDataColumns DROP COLUMN Value;', refused('PRECONDITION_FAILED'), { setup: [withDataColumns] });
f.add('PathWithNoRoot', 'CREATE TABLE `/TablePathWithNoRoot` (Id Uint32, Value String, PRIMARY KEY (Id));', refused('GENERIC_ERROR', undefined, 1060));

for (const [p, s] of [[1, 0], [2, 1], [22, 9], [35, 10], [22, 20]]) {
  f.add('CreateTableWithDecimalColumn', `CREATE TABLE t (Key Uint64, Value Decimal(${p},${s}), PRIMARY KEY (Key));`, OK);
}
for (const [p, s, text] of [[0, 0, 'Invalid decimal precision'], [33, 34, 'Invalid decimal parameters'], [36, 35, 'Invalid decimal precision'], [999, 99, 'Invalid decimal precision']] as const) {
  f.add('CreateTableWithDecimalColumn', `CREATE TABLE t (Key Uint64, Value Decimal(${p},${s}), PRIMARY KEY (Key));`, refused('GENERIC_ERROR', text));
}
// Pg columns: YDB's KQP test harness turns EnableTablePgTypes on for every test (ydb/core/kqp/ut/common/kqp_ut_common.cpp,
// SetEnableTablePgTypes(true)); SchemeShard refuses them where it is off (schemeshard ut_pg_types: "support for pg types is ...").
// Lint cannot see the flag, so it gives these types no error either way.
for (const pg of ['pgbool', 'pgint4', 'pgtext', 'pgtimestamp']) {
  f.add('CreateTableWithPgColumn', `CREATE TABLE t (Key Uint64, Value ${pg}, PRIMARY KEY (Key));`, OK);
}

// Secondary indexes (CreateSampleTablesWithIndex's Test table: Group, Name, Amount, Comment)
const TEST = 'CREATE TABLE Test (Group Uint32, Name String, Amount Uint64, Comment String, PRIMARY KEY (Group, Name));';
for (const [test, kind] of [['AlterTableAddImplicitSyncIndex', 'GLOBAL'], ['AlterTableAddExplicitSyncIndex', 'GLOBAL SYNC'], ['AlterTableAddExplicitAsyncIndex', 'GLOBAL ASYNC']] as const) {
  f.add(test, `ALTER TABLE Test ADD INDEX NameIndex ${kind} ON (Name);`, OK, { setup: [TEST] });
  f.add(test, `ALTER TABLE Test ADD INDEX CommentIndex ${kind} ON (Group, Comment);`, OK, { setup: [TEST] });
  f.add(test, `ALTER TABLE Test ADD INDEX NameIndex ${kind} ON (Name) COVER (Amount);`, OK, { setup: [TEST] });
  f.add(test, `ALTER TABLE Test ADD INDEX CommentIndex ${kind} ON (Group, Comment) COVER (Amount);`, OK, { setup: [TEST] });
  f.add(test, 'ALTER TABLE Test DROP INDEX NameIndex;', OK, { setup: [TEST, `ALTER TABLE Test ADD INDEX NameIndex ${kind} ON (Name);`] });
}
const SECONDARY = 'CREATE TABLE SecondaryKeys (Key Int32, Fk Int32, Value String, PRIMARY KEY (Key), INDEX Index GLOBAL ON (Fk));';
f.add('AlterTableAlterIndex', 'ALTER TABLE SecondaryKeys ALTER INDEX Index SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 10;', OK, { setup: [SECONDARY] });
f.add('AlterTableAlterIndex', 'ALTER TABLE SecondaryKeys ALTER INDEX Index SET AUTO_PARTITIONING_PARTITION_SIZE_MB 555;', OK, { setup: [SECONDARY] });
f.add('AlterTableAlterMissedIndex', 'ALTER TABLE SecondaryKeys ALTER INDEX WrongIndexName SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 1;',
  refused('SCHEME_ERROR', 'Unknown index name: WrongIndexName'), { setup: [SECONDARY] });
f.add('AlterTableRenameIndex', 'ALTER TABLE SecondaryKeys RENAME INDEX Index TO RenamedIndex;', OK, { setup: [SECONDARY] });
f.add('AlterTableReplaceIndex', 'ALTER TABLE SecondaryKeys ADD INDEX ValueIndex GLOBAL SYNC ON (`Value`);', OK, { setup: [SECONDARY] });
f.add('AlterTableReplaceIndex', 'ALTER TABLE SecondaryKeys RENAME INDEX Index TO ValueIndex;', refused('SCHEME_ERROR'),
  { setup: [SECONDARY, 'ALTER TABLE SecondaryKeys ADD INDEX ValueIndex GLOBAL SYNC ON (`Value`);'] });
f.add('CreateTableWithUniqConstraint', 'CREATE TABLE TestTable (Key Uint64, Value String, PRIMARY KEY (Key), INDEX uniq_value_idx GLOBAL UNIQUE SYNC ON (`Value`));', OK);
f.add('AlterTableAddUniqIndexSqlFeatureOff', 'ALTER TABLE TestTable ADD INDEX uniq_value_idx GLOBAL UNIQUE ON (`Value`);', refused('BAD_REQUEST'),
  { setup: ['CREATE TABLE TestTable (Key Uint64, Value String, PRIMARY KEY (Key));'], lint: { skip: 'depends on the server flag EnableAddUniqueIndex' } });
f.add('BuildingUniqIndexDeniesTableModificationsSql', 'ALTER TABLE TestTable ADD INDEX uniq_value_idx GLOBAL UNIQUE ON (`Value`);', OK,
  { setup: ['CREATE TABLE TestTable (Key Uint64, Value String, PRIMARY KEY (Key));'], ydb: { uniqueIndexOnExistingTable: true } });

// PARTITION BY on a row table (CreateAndAlterTableWithPartitionBy)
const partitionBy = (cols: string): string =>
  `CREATE TABLE t (Key1 Uint64, Key2 Uint64, Key3 Uint64, Value String, PRIMARY KEY (Key1, Key2, Key3), PARTITION BY (${cols}));`;
f.add('CreateAndAlterTableWithPartitionBy', partitionBy('Key1, Key2, Key3, Value'), refused('GENERIC_ERROR', '"Partition by" contains more columns than primary key does'));
f.add('CreateAndAlterTableWithPartitionBy', partitionBy('Key1, Key3, Key2'), refused('GENERIC_ERROR', '"Partition by" doesn\'t match primary key'));
f.add('CreateAndAlterTableWithPartitionBy', partitionBy('Key1, Key2'), refused('GENERIC_ERROR', '"Partition by" is not supported yet'));
f.add('CreateAndAlterTableWithPartitionBy', partitionBy('Key1, Key2, Key3'), OK);

f.add('CreateTableWithDefaultSettings', 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key));', OK);
const compaction = 'CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key)) WITH (COMPACTION_POLICY = "compaction2");';
f.add('CreateTableWithCompactionPolicyCompat', compaction, OK);
f.add('CreateTableWithCompactionPolicyUncompat', 'ALTER TABLE t  SET COMPACTION_POLICY "default";', OK, { setup: [compaction] });

// AlterTableWithDecimalColumn: the same precisions through ADD COLUMN
for (const [p, s] of [[1, 0], [2, 1], [22, 9], [35, 10], [22, 20]]) {
  f.add('AlterTableWithDecimalColumn', `ALTER TABLE t ADD COLUMN Column${p}${s} Decimal(${p},${s})`, OK, { setup: ['CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key));'] });
}
for (const [p, s, text] of [[0, 0, 'Invalid decimal precision'], [33, 34, 'Invalid decimal parameters'], [36, 35, 'Invalid decimal precision'], [999, 99, 'Invalid decimal precision']] as const) {
  f.add('AlterTableWithDecimalColumn', `ALTER TABLE t ADD COLUMN Column${p}${s} Decimal(${p},${s})`, refused('GENERIC_ERROR', text), { setup: ['CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key));'] });
}
for (const pg of ['pgint8', 'pgnumeric', 'pgvarchar']) {
  f.add('AlterTableWithPgColumn', `ALTER TABLE t ADD COLUMN Column_${pg} ${pg}`, OK, { setup: ['CREATE TABLE t (Key Uint64, Value String, PRIMARY KEY (Key));'] });
}

// Column tables
const columnTable = `CREATE TABLE ColumnTableTest (Key Uint64 NOT NULL, Value1 String, Value2 Int64 NOT NULL, PRIMARY KEY (Key))
  PARTITION BY HASH(Key) WITH (STORE = COLUMN, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 10);`;
f.add('NEG_CreateTableWithUnsupportedStoreType', 'CREATE TABLE SomeTable (Key Timestamp NOT NULL, Value1 String, Value2 Int64 NOT NULL, PRIMARY KEY (Key)) WITH (STORE = UNSUPPORTED);',
  refused('GENERIC_ERROR'));
f.add('CreateDropColumnTable', columnTable, OK);
f.add('CreateDropColumnTable', 'DROP TABLE ColumnTableTest;', OK, { setup: [columnTable] });
f.add('OlapSharding_KeyOnly', `CREATE TABLE ColumnTableTest (Key Uint64 NOT NULL, Value1 String, Value2 Int64 NOT NULL, PRIMARY KEY (Key))
  PARTITION BY HASH(Key, Value1) WITH (STORE = COLUMN, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 10);`, refused('SCHEME_ERROR'));
f.add('CreateDropColumnTableNegative', `CREATE TABLE ColumnTableTest (Key Uint64 NOT NULL, Value1 String, PRIMARY KEY (Key))
  PARTITION BY HASH (Key) WITH (STORE = COLUMN, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 0);`, refused('GENERIC_ERROR'));
f.add('CreateDropColumnTableNegative', 'CREATE TABLE ColumnTableTest (Key Uint64, Value1 String, PRIMARY KEY (Key)) WITH (STORE = COLUMN, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 1);',
  refused('SCHEME_ERROR'));
f.add('CreateDropColumnTableNegative', `CREATE TABLE ColumnTableTest (Key Uint64, Value1 String, PRIMARY KEY (Key))
  PARTITION BY HASH (Key) WITH (STORE = COLUMN, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 1);`, refused('SCHEME_ERROR'));
const columnTtl = `CREATE TABLE ColumnTableTest (Key Timestamp NOT NULL, Value1 Date, Value2 Datetime NOT NULL, PRIMARY KEY (Key))
  PARTITION BY HASH(Key) WITH (STORE = COLUMN, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 10);`;
f.add('AlterColumnTableTtl', columnTtl, OK);
for (const column of ['Key', 'Value1', 'Value2']) {
  f.add('AlterColumnTableTtl', `ALTER TABLE ColumnTableTest SET(TTL = Interval("P1D") ON ${column});`, OK, { setup: [columnTtl] });
}
f.add('AlterColumnTableTtl', 'ALTER TABLE ColumnTableTest RESET (TTL);', OK, { setup: [columnTtl, 'ALTER TABLE ColumnTableTest SET(TTL = Interval("P1D") ON Key);'] });

// Serial columns (AlterSequence, AlterSequenceRestartWith), through the Query service
f.add('AlterSequence', 'CREATE TABLE TableTest (Key Serial, Value String, PRIMARY KEY (Key));', OK);
const serialValue = 'CREATE TABLE TableTest (Key Int64, Value Serial, PRIMARY KEY (Key));';
f.add('AlterSequenceRestartWith', serialValue, OK);
f.add('AlterSequenceRestartWith', 'INSERT INTO TableTest (Key, Value) VALUES (1, 1);', OK, { service: 'dml', setup: [serialValue] });

// Families by name (FamilyColumnTest, UnknownFamilyTest, TwoSimilarFamiliesTest)
f.add('FamilyColumnTest', 'CREATE TABLE TableFamiliesTest (Key Uint64, Value String, FAMILY Uint32, PRIMARY KEY (Key));', OK);
f.add('UnknownFamilyTest', 'CREATE TABLE TableFamiliesTest (Key Uint64, Value1 String FAMILY Family1, PRIMARY KEY (Key));', refused('GENERIC_ERROR'));
f.add('TwoSimilarFamiliesTest', 'CREATE TABLE TableFamiliesTest (Key Uint64, Value1 String FAMILY Family1, PRIMARY KEY (Key), FAMILY Family1 (), FAMILY Family1 ());',
  refused('GENERIC_ERROR'));

// Changefeeds
const TBL = 'CREATE TABLE `table` (Key Uint64, Value String, PRIMARY KEY (Key));';
for (const mode of ['KEYS_ONLY', 'UPDATES', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']) {
  f.add('AddChangefeed', `ALTER TABLE \`table\` ADD CHANGEFEED \`feed\` WITH (MODE = '${mode}', FORMAT = 'JSON');`, OK, { setup: [TBL] });
}
f.add('AddChangefeed', 'ALTER TABLE `table` DROP CHANGEFEED `feed`;', OK,
  { setup: [TBL, "ALTER TABLE `table` ADD CHANGEFEED `feed` WITH (MODE = 'KEYS_ONLY', FORMAT = 'JSON');"] });
f.add('AddChangefeedNegative', "ALTER TABLE `table` ADD CHANGEFEED `feed` WITH (MODE = 'KEYS_ONLY', FORMAT = 'JSON');", refused('SCHEME_ERROR'));
for (const options of ["MODE = 'FOO', FORMAT = 'JSON'", "MODE = 'KEYS_ONLY', FORMAT = 'BAR'", "MODE = 'KEYS_ONLY', FORMAT = 'JSON', BAZ = 'BAR'"]) {
  f.add('AddChangefeedNegative', `ALTER TABLE \`table\` ADD CHANGEFEED \`feed\` WITH (${options});`, refused('GENERIC_ERROR'), { setup: [TBL] });
}
f.add('DropChangefeedNegative', 'ALTER TABLE `table` DROP CHANGEFEED `feed`;', refused('SCHEME_ERROR'));
f.add('DropChangefeedNegative', 'ALTER TABLE `table` DROP CHANGEFEED `feed`;', refused('SCHEME_ERROR'), { setup: [TBL] });
f.add('ChangefeedSchemaChanges+UseQueryService', "ALTER TABLE `table` ADD CHANGEFEED `feed_1` WITH (MODE = 'KEYS_ONLY', FORMAT = 'JSON');", OK, { setup: [TBL] });
f.add('ChangefeedSchemaChanges+UseQueryService', "ALTER TABLE `table` ADD CHANGEFEED `feed_2` WITH (MODE = 'KEYS_ONLY', FORMAT = 'JSON', SCHEMA_CHANGES = TRUE);", OK, { setup: [TBL] });

export const cases = f.cases;

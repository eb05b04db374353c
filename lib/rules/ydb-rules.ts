/**
 * YDB's schema rules: each thing YDB refuses that a migration's text can
 * show, with the status (and, where its sources fix it, the words) YDB
 * answers, and where in ydb-platform/ydb the rule lives. Every rule holds on
 * every supported version; what arrived later is gated by versions.ts
 * (`newer-than-version`, lint --ydb-version). Lint reports each as an error;
 * diff/create --schema cite it when they refuse what YDB cannot do in place.
 */
export interface YdbRule {
  /** One line: what YDB refuses. */
  what: string;
  /** One line: what to do instead. */
  fix: string;
  /** YDB's answer. */
  status: 'GENERIC_ERROR' | 'BAD_REQUEST' | 'SCHEME_ERROR' | 'PRECONDITION_FAILED';
  /** A substring of YDB's message, when its sources fix one. */
  text?: string;
  /** Where the rule lives: a path in ydb-platform/ydb, with the test or function. */
  source: string;
}

const KQP_SCHEME_UT = 'ydb/core/kqp/ut/scheme/kqp_scheme_ut.cpp';
const CONSTRAINTS_UT = 'ydb/core/kqp/ut/scheme/kqp_constraints_ut.cpp';
const TYPE_ANN = 'ydb/core/kqp/provider/yql_kikimr_type_ann.cpp';
const TRANSLATOR = 'yql/essentials/sql/v1/sql_translation.cpp';
const GRAMMAR = 'yql/essentials/sql/v1/SQLv1Antlr4.g.in';

export const YDB_RULES = {
  'no-primary-key': {
    what: 'CREATE TABLE without a PRIMARY KEY', status: 'GENERIC_ERROR', source: `${TRANSLATOR} (CreateTable: a primary key is required)`,
    fix: 'add PRIMARY KEY (column, ...): every YDB table is keyed and sharded by its primary key',
  },
  'duplicate-primary-key': {
    what: 'two PRIMARY KEY clauses in one CREATE TABLE', status: 'GENERIC_ERROR', source: `${TRANSLATOR} (CreateTableEntry)`,
    fix: 'write one PRIMARY KEY (...) naming every key column in order',
  },
  'undefined-key-column': {
    what: 'a PRIMARY KEY column the table does not define', status: 'GENERIC_ERROR', source: `${TYPE_ANN} (HandleCreateTable)`,
    fix: 'define the column in the table, or name one it has',
  },
  'undefined-index-column': {
    what: 'an index (or its COVER) over a column the table does not have', status: 'GENERIC_ERROR', source: `${TYPE_ANN} (HandleCreateTable, HandleAlterTable)`,
    fix: 'index a column the table has (the schema is replayed from the migrations before this one)',
  },
  'unknown-type': {
    what: 'a column type YDB does not have, or Decimal(p,s) outside precision 1..35 / scale ≤ precision', status: 'GENERIC_ERROR',
    source: 'yql/essentials/core/sql_types/simple_types.cpp; yql/essentials/public/decimal/yql_decimal.h (MaxPrecision)',
    fix: 'use a YDB column type (Uint64, Utf8, Timestamp, Decimal(22,9), ...); columns are nullable unless NOT NULL, never Optional<...>',
  },
  'key-column-type': {
    what: 'Float, Double, Json, JsonDocument or Yson as a primary key or index column', status: 'BAD_REQUEST',
    source: 'ydb/core/tx/schemeshard/schemeshard_utils.h (IsAllowedKeyType)',
    fix: 'key and index columns must be comparable: use an integer, Utf8, String, Decimal, a date/time type or Uuid',
  },
  'table-exists': {
    what: 'CREATE TABLE of a table that exists', status: 'GENERIC_ERROR', text: 'path exist', source: 'ydb/core/tx/schemeshard/schemeshard__operation_create_table.cpp (the path exists)',
    fix: 'ALTER the existing table, or pick another name (IF NOT EXISTS would silently keep the old shape)',
  },
  'missing-table': {
    what: 'ALTER TABLE or DROP TABLE (without IF EXISTS) of a table that does not exist', status: 'SCHEME_ERROR', source: `${TYPE_ANN} (EnsureTableExists)`,
    fix: 'create the table first (in an earlier migration), or name one that exists; DROP TABLE IF EXISTS tolerates a missing table',
  },
  'rename-onto-existing': {
    what: 'ALTER TABLE ... RENAME TO the name of a table that exists', status: 'SCHEME_ERROR', source: `${KQP_SCHEME_UT} (RenameTable)`,
    fix: 'drop or rename the other table first, or choose a free name',
  },
  'bad-table-setting': {
    what: 'a partition size or partition count of 0, READ_REPLICAS_SETTINGS other than "PER_AZ:N" / "ANY_AZ:N", or UNIFORM_PARTITIONS in ALTER TABLE', status: 'GENERIC_ERROR',
    source: `${KQP_SCHEME_UT} (CreateAndAlterTableWithPartitionSizeCompat, CreateAndAlterTableWithMinMaxPartitionsCompat, CreateTableWithReadReplicasCompat, CreateTableWithUniformPartitionsCompat)`,
    fix: 'give AUTO_PARTITIONING_PARTITION_SIZE_MB and the MIN/MAX_PARTITIONS_COUNT a value of at least 1; read replicas are "PER_AZ:N" or "ANY_AZ:N" (a count per named AZ is not supported); UNIFORM_PARTITIONS only in CREATE TABLE',
  },
  'duplicate-column': {
    what: 'a column defined twice, or added to a table that has it', status: 'GENERIC_ERROR', source: `${TYPE_ANN} (HandleCreateTable, HandleAlterTable)`,
    fix: 'remove the second definition, or give the column another name',
  },
  'missing-object': {
    what: 'DROP COLUMN, DROP/ALTER/RENAME INDEX or DROP CHANGEFEED of one the table does not have', status: 'GENERIC_ERROR', source: `${TYPE_ANN} (HandleAlterTable)`,
    fix: 'name a column, index or changefeed the table has (the schema is replayed from the migrations before this one)',
  },
  'duplicate-index': {
    what: 'an index name the table already uses (ADD INDEX, or RENAME INDEX onto it)', status: 'GENERIC_ERROR', source: `${TYPE_ANN} (HandleCreateTable, HandleAlterTable); ${KQP_SCHEME_UT} (AlterTableReplaceIndex)`,
    fix: 'give the index a name of its own',
  },
  'index-shape': {
    what: 'an index that names a column twice, covers one of its own or a key column, or whose columns are the primary key', status: 'BAD_REQUEST',
    source: 'ydb/core/base/table_index.cpp (IsCompatibleIndex)',
    fix: 'index each column once, COVER only columns outside the index and the primary key, and index something other than the key itself',
  },
  'undefined-family': {
    what: 'a column in a FAMILY the table does not define', status: 'GENERIC_ERROR', source: 'ydb/core/tx/schemeshard/schemeshard__operation_create_table.cpp (column families)',
    fix: 'declare FAMILY name (DATA = "...", COMPRESSION = "...") in the table first, or use the default family',
  },
  'ttl-column': {
    what: 'a TTL on a missing column, on a column that is not a date/time or Uint32/Uint64/DyNumber, a number column without AS SECONDS|..., or a date/time column with one',
    status: 'BAD_REQUEST', source: 'ydb/core/tx/schemeshard/common/validation.cpp (ValidateTtlSettings)',
    fix: 'put the TTL ON a Date/Datetime/Timestamp column, or on a Uint32/Uint64/DyNumber column with AS SECONDS (MILLISECONDS, ...)',
  },
  'drop-ttl-column': {
    what: 'DROP COLUMN of the column the TTL is on', status: 'BAD_REQUEST', source: 'ydb/core/tx/schemeshard/schemeshard__operation_alter_table.cpp (TTL column)',
    fix: 'RESET (TTL) first, in an earlier statement',
  },
  'column-table-nullable-key': {
    what: 'a column table (STORE = COLUMN) whose key columns are not NOT NULL', status: 'BAD_REQUEST', source: 'ydb/core/tx/schemeshard/olap/schema/schema.cpp (key columns)',
    fix: 'declare every key column of a column table NOT NULL',
  },
  'serial-add-column': {
    what: 'ADD COLUMN with a Serial type', status: 'GENERIC_ERROR', source: `${CONSTRAINTS_UT} (AddSerialColumnForbidden)`,
    fix: 'serial columns exist only from CREATE TABLE: create a new table with the column and copy the rows',
  },
  'serial-column-change': {
    what: 'dropping a Serial column, its NOT NULL, or moving it to another family', status: 'BAD_REQUEST', source: `${CONSTRAINTS_UT} (SerialTypeForNonKeyColumn)`,
    fix: "a serial column's sequence is tied to it: leave it as created",
  },
  'default-type-mismatch': {
    what: 'a DEFAULT literal of another type than its column, or DEFAULT NULL on a NOT NULL column', status: 'GENERIC_ERROR',
    text: 'Default expr', source: `${CONSTRAINTS_UT} (DefaultValuesForTableNegative3, DefaultValuesForTableNegative4)`,
    fix: 'write the DEFAULT as a literal of the column type (e.g. 5 for Uint32, "x"u or Utf8("x") for Utf8)',
  },
  'not-null-without-default': {
    what: 'ADD COLUMN ... NOT NULL without DEFAULT', status: 'GENERIC_ERROR', text: 'Cannot add not null column without default value',
    source: 'ydb/core/kqp/provider/yql_kikimr_exec.cpp', fix: 'add the column nullable, fill it, then enforce it in the application (or give it a DEFAULT on YDB 26.1+)',
  },
  'change-type-or-key': {
    what: "changing a column's type or a table's primary key", status: 'GENERIC_ERROR', source: `${GRAMMAR} (alter_table_action)`,
    fix: 'YDB has no statement for it: create a new table (or column) with the new shape, copy the data over, then switch readers and drop the old one',
  },
  'rename-with-other-action': {
    what: 'RENAME TO together with another action in one ALTER TABLE', status: 'GENERIC_ERROR', text: 'RENAME TO can not be used together with another table action',
    source: 'yql/essentials/sql/v1/sql_ut_common.h (ErrRenameWithAddColumn, ErrAddColumnAndRename)',
    fix: 'rename the table in an ALTER TABLE statement of its own',
  },
  'not-yql': {
    what: 'SQL YQL does not have: ALTER TABLE ... RENAME COLUMN, PostgreSQL-style CREATE INDEX', status: 'GENERIC_ERROR', source: GRAMMAR,
    fix: 'rename a column by adding a new one, copying the data and dropping the old one; add an index with ALTER TABLE t ADD INDEX name GLOBAL ON (columns)',
  },
  'drop-key-column': {
    what: 'dropping a primary key column', status: 'GENERIC_ERROR', text: 'Key column drop is not supported', source: `${TYPE_ANN} (HandleAlterTable)`,
    fix: 'a key column cannot be dropped: create a table with the new key, copy the data, drop the old table',
  },
  'update-key-column': {
    what: 'UPDATE ... SET of a primary key column', status: 'GENERIC_ERROR', source: `${TYPE_ANN} (HandleUpdateTable)`,
    fix: 'a row cannot change its key: UPSERT the row under the new key and DELETE the old one',
  },
  'unique-index-on-existing-table': {
    what: 'a UNIQUE index added to an existing table', status: 'GENERIC_ERROR', text: 'Adding a unique index to an existing table is disabled',
    source: 'ydb/core/kqp/provider/yql_kikimr_gateway.cpp (EnableAddUniqueIndex)',
    fix: "declare the UNIQUE index in CREATE TABLE; YDB refuses it on an existing table unless the server enables EnableAddUniqueIndex (then suppress with that reason)",
  },
  'partition-by': {
    what: 'PARTITION BY a row table other than by its whole primary key, or PARTITION BY HASH a column table by a column outside its key (SCHEME_ERROR there)', status: 'GENERIC_ERROR', text: '"Partition by"',
    source: `${KQP_SCHEME_UT} (CreateAndAlterTableWithPartitionBy, OlapSharding_KeyOnly)`,
    fix: 'partition a row table by its primary key as declared (or leave PARTITION BY out); hash a column table by key columns only',
  },
  'ttl-interval': {
    what: 'a TTL delay that is not a literal Interval("...") of zero or more', status: 'GENERIC_ERROR', text: 'Literal of Interval type is expected for TTL',
    source: `${KQP_SCHEME_UT} (CreateTableWithTtlSettingsCompat, CreateTableWithTtlSettingsUncompat); ${TRANSLATOR} (TTL settings)`,
    fix: 'write the delay as Interval("P1D") (an ISO 8601 duration, not negative); a function such as DateTime::IntervalFromDays or a bare string is refused',
  },
  'reserved-column-name': {
    what: 'an unquoted column name that YQL reserves (TRUE, SET, LIST, COLUMN, ...)', status: 'GENERIC_ERROR',
    source: 'yql/essentials/sql/v1/sql_ut_common.h (TokensAsColumnNameInAddColumn); yql/essentials/sql/v1/SQLv1Antlr4.g.in (an_id_schema)',
    fix: 'quote the name in backquotes (`set`) or choose another',
  },
  'unsupported-setting': {
    what: 'a setting YDB does not take there: PARTITION_AT_KEYS in ALTER TABLE, RESET of an index setting, FORMAT in ALTER CHANGEFEED, COMPRESSION_LEVEL in a row table family (BAD_REQUEST in ALTER TABLE), STORE other than ROW or COLUMN, an unknown changefeed MODE, FORMAT or option, PARTITION_AT_KEYS with more values than key columns',
    status: 'GENERIC_ERROR',
    source: `${KQP_SCHEME_UT} (CreateTableWithPartitionAtKeysSimpleCompat, CreateTableWithWrongPartitionAtKeys, CreateFamilyWithCompressionLevel, AlterCompressionLevelInColumnFamily, NEG_CreateTableWithUnsupportedStoreType, AddChangefeedNegative); yql/essentials/sql/v1/sql_ut_common.h (AlterTableAlterIndexResetPartitioningIsNotSupported, AlterTableAlterChangefeedIsCorrect)`,
    fix: 'give partition keys and compression levels only where YDB takes them (CREATE TABLE of a row table; COMPRESSION_LEVEL only for column tables); set an index setting to a value instead of RESET; recreate a changefeed to change its FORMAT',
  },
  'index-form': {
    what: 'a LOCAL index, WITH (...) on a secondary index, an index USING a type YDB does not have, or a vector index without vector_dimension', status: 'GENERIC_ERROR',
    source: 'yql/essentials/sql/v1/sql_ut_common.h (AlterTableAddIndexWithIsNotSupported, AlterTableAddIndexLocalIsNotSupported, AlterTableAddIndexUnknownSubtype, AlterTableAddIndexMissedParameter)',
    fix: 'write INDEX name GLOBAL [SYNC|ASYNC] ON (columns); WITH (...) belongs to USING vector_kmeans_tree, which needs vector_dimension',
  },
  'duplicate-family': {
    what: 'a column family defined twice', status: 'GENERIC_ERROR', source: `${KQP_SCHEME_UT} (TwoSimilarFamiliesTest)`,
    fix: 'define each FAMILY once',
  },
  'drop-indexed-column': {
    what: 'DROP COLUMN of a column an index is over or covers', status: 'PRECONDITION_FAILED', source: `${KQP_SCHEME_UT} (DropIndexDataColumn)`,
    fix: 'drop the index first (in an earlier statement), then the column',
  },
  'path-outside-database': {
    what: 'a table path directly under the root (`/t`), which no database holds', status: 'GENERIC_ERROR', source: `${KQP_SCHEME_UT} (PathWithNoRoot)`,
    fix: 'name the table relative to the database (`t`), or with the database path in front (`/Root/db/t`)',
  },
  'default-column-reference': {
    what: 'a DEFAULT that reads another column', status: 'GENERIC_ERROR', text: 'is not allowed in current scope',
    source: 'yql/essentials/sql/v1/sql_ut_common.h (DefaultValueColumn3)',
    fix: 'a DEFAULT is a constant: fill a value derived from other columns with an UPDATE after adding the column',
  },
  'newer-than-version': {
    what: 'a feature newer than --ydb-version', status: 'GENERIC_ERROR', source: 'lib/rules/versions.ts (each feature cites its own)',
    fix: 'rewrite without it, or raise --ydb-version if every target server is that new',
  },
} as const satisfies Record<string, YdbRule>;

export type YdbRuleId = keyof typeof YDB_RULES;

/** `what; YDB answers STATUS "text" (source)`: how a finding says why. */
export function whyYdbRefuses(id: YdbRuleId): string {
  const rule: YdbRule = YDB_RULES[id];
  return `YDB answers ${rule.status}${rule.text ? ` "${rule.text}…"` : ''} (${rule.source})`;
}

/**
 * Cases from YQL's SQL translator tests: sql_ut_common.h (suite SqlParsingOnly:
 * which keywords may name a column or a table) and the SqlToYQLErrors suite
 * (translator refusals with their texts). The translator runs before anything
 * else in KQP, and KQP answers its errors with GENERIC_ERROR (as
 * kqp_scheme_ut.cpp asserts for translator texts such as "Literal of Interval
 * type is expected for TTL"). `plato.Input` of the tests is a table `Input` here.
 */
import type { YdbCase } from './case.js';
import { CaseFile, OK, refused } from './draft.js';

const common = new CaseFile('yql/essentials/sql/v1/sql_ut_common.h', 'sql_ut_common');
const errors = new CaseFile('yql/essentials/sql/v1/sql_ut.cpp', 'sql_ut');
const INPUT = 'CREATE TABLE Input (key Uint64, subkey Uint64, a Utf8, b Uint64, c Utf8, value Utf8, PRIMARY KEY (key));';
const T = 'CREATE TABLE t (Key Uint64, PRIMARY KEY (Key));';
const selectSkip = { skip: 'SELECT and expression semantics, which lint does not read' };

// TokensAsColumnNameInAddColumn: the keywords that cannot name a column in ADD COLUMN; every other keyword can.
for (const word of ['ANY', 'AUTOMAP', 'CALLABLE', 'COLUMN', 'DICT', 'ENUM', 'ERASE', 'FALSE', 'FLOW', 'LIST', 'OPTIONAL',
  'REPEATABLE', 'RESOURCE', 'SET', 'STREAM', 'STRUCT', 'TAGGED', 'TRUE', 'TUPLE', 'VARIANT']) {
  common.add('TokensAsColumnNameInAddColumn', `ALTER TABLE t ADD COLUMN ${word} Bool;`, refused('GENERIC_ERROR'), { setup: [T] });
}
for (const word of ['FAMILY', 'CHANGEFEED', 'INDEX', 'KEY', 'PRIMARY', 'TTL', 'VALUE', 'TABLE', 'SELECT', 'GLOBAL', 'COVER', 'DATA']) {
  common.add('TokensAsColumnNameInAddColumn', `ALTER TABLE t ADD COLUMN ${word} Bool;`, OK, { setup: [T] });
}
// <Word>KeywordNotReservedForNames: a table and its column named by the keyword.
for (const word of ['RESET', 'SYNC', 'ASYNC', 'DISABLE', 'CHANGEFEED', 'REPLICATION', 'TRANSFER', 'SECONDS', 'MILLISECONDS', 'MICROSECONDS', 'NANOSECONDS']) {
  const test = `${word[0]}${word.slice(1).toLowerCase()}KeywordNotReservedForNames`;
  const create = `CREATE TABLE ${word} (${word} Uint32, PRIMARY KEY (${word}));`;
  common.add(test, create, OK);
  common.add(test, `SELECT ${word} FROM ${word};`, OK, { service: 'dml', setup: [create] });
}
common.add('FamilyKeywordNotReservedForNames', 'SELECT FAMILY FROM Input;', OK, { service: 'dml', setup: ['CREATE TABLE Input (key Uint64, FAMILY Utf8, PRIMARY KEY (key));'] });
common.add('Jubilee', 'INSERT INTO Arcadia (r2000000) VALUES ("2M GET!!!");', OK, { service: 'dml', setup: ['CREATE TABLE Arcadia (r2000000 String, PRIMARY KEY (r2000000));'] });

// SqlToYQLErrors
const q = (test: string, yql: string, text: string | undefined, setup: string[] = [INPUT]): void => {
  errors.add(test, yql, refused('GENERIC_ERROR', text), { service: 'dml', setup, lint: selectSkip });
};
q('SelectOrderByConstantNum', 'select a from Input order by 1', 'Unable to ORDER BY constant expression');
q('SelectOrderByConstantExpr', 'select a from Input order by 1 * 42', 'Unable to ORDER BY constant expression');
q('SelectDuplicateColumns', 'select a, a from Input', 'Unable to use duplicate column names. Collision in name: a');
q('SelectDuplicateLabels', 'select a as foo, b as foo from Input', 'Unable to use duplicate column names. Collision in name: foo');
q('SelectWithBadAggregationNoInput', 'select a, Min(b), c', 'Column references are not allowed without FROM', []);
q('SelectInvalidSyntax', 'select 1 form Wat', undefined, []);
q('InvalidDoubleAtString', 'select @@@@@@', undefined, []);
q('InvalidDoubleAtStringWhichWasAcceptedEarlier', 'SELECT @@foo@@ @ @@bar@@', undefined, []);
q('InvalidDoubleAtStringFromTable', 'select @@@@@@ from Input', undefined);
q('InvalidStringFromTable', 'select "FOO""BAR from Input', undefined);
q('InvalidHexInStringLiteral', 'select "foo\\x1\\xfe"', 'Failed to parse string literal: Invalid hexadecimal value', []);
q('InvalidOctalInMultilineStringLiteral', 'select "foo\nbar\n\\01"', 'Failed to parse string literal: Invalid octal value', []);
q('StrayUTF8', 'select * from сedar', undefined, []);
q('IvalidStringLiteralWithEscapedBackslash', "$bar = 'a\\\\'b';", undefined, []);
q('SelectCaseWithoutEnd', 'select case a when b then c end from Input', 'ELSE is required');
q('InvalidUuidValue', "SELECT Uuid('123e4567ae89ba12d3aa456a426614174ab0')", 'Invalid value "123e4567ae89ba12d3aa456a426614174ab0" for type Uuid', []);
q('InvalidUuidValue', "SELECT Uuid('123e4567ae89b-12d3-a456-426614174000')", 'Invalid value "123e4567ae89b-12d3-a456-426614174000" for type Uuid', []);
q('DisableClassicDivisionWithError', "pragma ClassicDivision = 'false'; select $foo / 30;", 'Unknown name: $foo', []);
q('ErrCollectPreaggregatedInListLiteralWithoutFrom', 'SELECT([VARIANCE(DISTINCT[])])', 'Column references are not allowed without FROM', []);
const RENAME = 'RENAME TO can not be used together with another table action';
errors.add('ErrRenameWithAddColumn', 'ALTER TABLE `table` RENAME TO moved, ADD COLUMN addc uint64', refused('GENERIC_ERROR', RENAME),
  { setup: ['CREATE TABLE `table` (Key Uint64, PRIMARY KEY (Key));'] });
errors.add('ErrAddColumnAndRename', 'ALTER TABLE `table` ADD COLUMN addc uint64, RENAME TO moved', refused('GENERIC_ERROR', RENAME),
  { setup: ['CREATE TABLE `table` (Key Uint64, PRIMARY KEY (Key));'] });

// AnonymousNames (yql/essentials/sql/v1/sql_ut.cpp)
errors.add('ReferenceAnonymousVariableIsForbidden', '$_ = 1; select $_;', refused('GENERIC_ERROR', 'Unable to reference anonymous name $_'), { service: 'dml', lint: selectSkip });
errors.add('ReferenceAnonymousVariableIsForbidden', '$`_` = 1; select $`_`;', refused('GENERIC_ERROR', 'Unable to reference anonymous name $_'), { service: 'dml', lint: selectSkip });
errors.add('Declare', 'declare $_ as String;', refused('GENERIC_ERROR', 'Can not use anon'), { service: 'dml', lint: selectSkip });

// SqlParsingOnly (sql_ut_common.h): what the translator refuses in DDL and DML a migration may hold
const TBL = 'CREATE TABLE `table` (Key Uint64, col Utf8, PRIMARY KEY (Key), INDEX `index` GLOBAL ON (col));';
const ddl = (test: string, yql: string, text: string, lint?: { skip: string }): void => {
  common.add(test, yql, refused('GENERIC_ERROR', text), { setup: [TBL], ...(lint ? { lint } : {}) });
};
ddl('AlterTableAddIndexWithIsNotSupported', 'ALTER TABLE `table` ADD INDEX idx GLOBAL ON (col) WITH (a=b)', 'with: alternative is not implemented yet');
ddl('AlterTableAddIndexLocalIsNotSupported', 'ALTER TABLE `table` ADD INDEX idx LOCAL ON (col)', 'local: alternative is not implemented yet');
ddl('AlterTableAddIndexUnknownSubtype', 'ALTER TABLE `table` ADD INDEX idx GLOBAL USING unknown ON (col)', 'UNKNOWN index subtype is not supported');
ddl('AlterTableAddIndexMissedParameter', 'ALTER TABLE `table` ADD INDEX idx\n    GLOBAL USING vector_kmeans_tree\n    ON (col)\n    WITH (distance=cosine, vector_type=float)', 'vector_dimension should be set');
ddl('AlterTableAlterIndexResetPartitioningIsNotSupported', 'ALTER TABLE `table` ALTER INDEX `index` RESET (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT)', 'AUTO_PARTITIONING_MIN_PARTITIONS_COUNT reset is not supported');
ddl('AlterTableAlterIndexResetReadReplicasSettingsIsNotSupported', 'ALTER TABLE `table` ALTER INDEX `index` RESET (READ_REPLICAS_SETTINGS)', 'READ_REPLICAS_SETTINGS reset is not supported');
ddl('AlterTableAlterChangefeedIsCorrect', "ALTER TABLE `table` ALTER CHANGEFEED feed SET (FORMAT = 'proto');", 'FORMAT alter is not supported');
common.add('DefaultValueColumn3', 'CREATE TABLE tableName (\n    database_id Utf8,\n    cloud_id Utf8,\n    global_id Utf8 DEFAULT database_id || "=====",\n    PRIMARY KEY (database_id)\n);',
  refused('GENERIC_ERROR', 'Column reference "database_id" is not allowed in current scope'));
const sequenceSkip = { skip: 'ALTER SEQUENCE, which lint does not read' };
for (const [yql, text] of [
  ['ALTER SEQUENCE sequence START WITH 10 INCREMENT 2 RESTART WITH 5 RESTART;', 'Restart value defined more than once'],
  ['ALTER SEQUENCE sequence START WITH 10 INCREMENT 2 START 100 RESTART WITH 5;', 'Start value defined more than once'],
  ['ALTER SEQUENCE sequence INCREMENT BY 7 START WITH 10 INCREMENT 2 RESTART WITH 5 RESTART;', 'Increment defined more than once'],
  ['ALTER SEQUENCE sequence RESTART WITH 1 START WITH 4 INCREMENT 0;', 'Increment must not be zero'],
  ['ALTER SEQUENCE sequence RESTART WITH 0 START WITH 4 INCREMENT 1;', 'Restart value: 0 cannot be less than min value: 1'],
  ['ALTER SEQUENCE sequence RESTART WITH 1 START WITH 0 INCREMENT 1;', 'Start value: 0 cannot be less than min value: 1'],
] as const) {
  common.add('AlterSequenceIncorrect', yql, refused('GENERIC_ERROR', text), { lint: sequenceSkip });
}
const batchSkip = { skip: 'BATCH DML, which lint does not read' };
for (const [test, yql, text] of [
  ['DeleteFromTableBatchReturning', 'batch delete from Input returning *;', 'BATCH DELETE is unsupported with RETURNING'],
  ['DeleteFromTableOnBatch', 'batch delete from Input on (key) values (1);', 'BATCH DELETE is unsupported with ON'],
  ['UpdateByValuesBatchReturning', "batch update Input set value = 'cool' where key = 200 returning key;", 'BATCH UPDATE is unsupported with RETURNING'],
  ['UpdateOnBatch', "batch update Input on (key, value) values (5, 'cool')", 'BATCH UPDATE is unsupported with ON'],
] as const) {
  common.add(test, yql, refused('GENERIC_ERROR', text), { setup: [INPUT], lint: batchSkip });
}

export const cases: YdbCase[] = [...common.cases, ...errors.cases];

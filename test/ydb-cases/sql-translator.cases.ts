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

export const cases: YdbCase[] = [...common.cases, ...errors.cases];

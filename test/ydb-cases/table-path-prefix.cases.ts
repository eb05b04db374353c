/**
 * PRAGMA TablePathPrefix as released YDB applies it (the feature flags
 * EnableSequentialTablePathPrefix and EnableTablePathPrefixRelativePaths off):
 * the LAST prefix of a query names every table of the query, and a relative
 * prefix starts at the cluster root. YDB's tests read rows to show which table
 * was used; here only one of the two tables exists, so the wrong one fails.
 */
import type { YdbCase } from './case.js';
import { CaseFile, OK, refused } from './draft.js';

const scope = new CaseFile('ydb/core/kqp/ut/query/kqp_table_path_prefix_scope_ut.cpp', 'kqp_table_path_prefix_scope_ut');
const relative = new CaseFile('ydb/core/kqp/ut/query/kqp_table_path_prefix_relative_ut.cpp', 'kqp_table_path_prefix_relative_ut');
const SCOPE = 'SameSessionAndCachedQueryFollowFlagUpdates';
const skip = { skip: 'which table a prefix names depends on the server, not on the text lint reads' };

const users = (folder: string): string => `CREATE TABLE \`/local/${folder}/users\` (id Uint64 NOT NULL, PRIMARY KEY (id));`;
const twoPrefixes = "PRAGMA TablePathPrefix = '/local/first';\nSELECT id FROM users;\nPRAGMA TablePathPrefix = '/local/second';\nSELECT id FROM users;";
for (const service of ['dml', 'scripting'] as const) {
  scope.add(SCOPE, twoPrefixes, OK, { service, setup: [users('second')] });
  scope.add(SCOPE, twoPrefixes, refused('SCHEME_ERROR'), { service, setup: [users('first')], lint: skip });
}
scope.add(SCOPE, "PRAGMA TablePathPrefix = '/local/first';\nUPSERT INTO users (id) VALUES (11u);\nPRAGMA TablePathPrefix = '/local/second';\nUPSERT INTO users (id) VALUES (22u);", OK,
  { service: 'dml', setup: [users('second')] });

const FOLDER = "PRAGMA TablePathPrefix = './local/folder';";
const REL = 'SameSessionAndCachedQueryFollowFlagUpdates';
relative.add(REL, `${FOLDER}SELECT id FROM users;`, OK, { service: 'dml', setup: [users('folder')] });
relative.add(REL, `${FOLDER}SELECT id FROM users;`, refused('SCHEME_ERROR'), { service: 'dml', setup: [users('local/folder')], lint: skip });
relative.add(REL, `${FOLDER}CREATE TABLE probe (id Uint64, PRIMARY KEY (id));`, OK, { setup: ['CREATE TABLE `/local/folder/other` (id Uint64, PRIMARY KEY (id));'] });
relative.add(REL, `${FOLDER}DROP TABLE probe;`, OK, { setup: ['CREATE TABLE `/local/folder/probe` (id Uint64, PRIMARY KEY (id));'] });
relative.add(REL, `${FOLDER}DROP TABLE probe;`, refused('SCHEME_ERROR'), { setup: ['CREATE TABLE `/local/local/folder/probe` (id Uint64, PRIMARY KEY (id));'], lint: skip });

// The translator's legacy mode (EnableTablePathPrefixMultiScopes off, as released): every table of the
// text is under the final prefix. Only /local/second/Input exists, so a table read under /local/first fails.
const translation = new CaseFile('yql/essentials/sql/v1/translation/ut/sql_table_path_prefix_ut.cpp', 'sql_table_path_prefix_ut');
const input = (folder: string): string => `CREATE TABLE \`/local/${folder}/Input\` (key Uint64, value String, PRIMARY KEY (key));`;
translation.add('GenericTranslationKeepsLegacyDefault', "PRAGMA TablePathPrefix = '/local/first';\nSELECT * FROM Input;\nPRAGMA TablePathPrefix = '/local/second';", OK,
  { service: 'dml', setup: [input('second')] });
translation.add('GenericTranslationKeepsLegacyDefault', "PRAGMA TablePathPrefix = '/local/first';\nSELECT * FROM Input;\nPRAGMA TablePathPrefix = '/local/second';", refused('SCHEME_ERROR'),
  { service: 'dml', setup: [input('first')], lint: skip });
const twice = (statement: string): string => `PRAGMA TablePathPrefix = '/local/first';${statement}PRAGMA TablePathPrefix = '/local/second';${statement}`;
for (const statement of ['SELECT * FROM Input;', 'UPSERT INTO Input (key) VALUES (1);']) {
  translation.add('LegacyModeUsesFinalPrefix', twice(statement), OK, { service: 'dml', setup: [input('second')] });
  translation.add('LegacyModeUsesFinalPrefix', twice(statement), refused('SCHEME_ERROR'), { service: 'dml', setup: [input('first')], lint: skip });
}
translation.add('LegacyModeUsesFinalPrefix', 'PRAGMA TablePathPrefix = \'/local/first\';CREATE TABLE Input (key Uint64, PRIMARY KEY (key));PRAGMA TablePathPrefix = \'/local/second\';', OK,
  { setup: [input('first')] });
translation.add('LegacyModeUsesFinalPrefix', twice('DROP TABLE Input;'), refused('SCHEME_ERROR'), { setup: [input('first')], lint: skip });
translation.add('LegacyModeUsesFinalPrefix', 'PRAGMA TablePathPrefix = \'/local/first\';ALTER TABLE Input RENAME TO Output;PRAGMA TablePathPrefix = \'/local/second\';', OK,
  { setup: [input('second')] });

export const cases: YdbCase[] = [...scope.cases, ...relative.cases, ...translation.cases];

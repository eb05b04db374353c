/** Table paths: an absolute path names a table under the database, whose path lint learns from the migrations themselves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintMigrations } from '../../lib/lint/lint.js';
import { migrations } from './helpers.js';

const BASE: [string, string, null] = ['0001_base', 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));\nCREATE TABLE u (id Uint64, PRIMARY KEY (id));', null];
const rules = (up: string) => lintMigrations(migrations(BASE, ['0002_case', up, null])).filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.location.line}`);

test('paths: /db/t is the table t; the database learnt from it reads every other absolute path', () => {
  assert.deepEqual(rules('ALTER TABLE `/local/t` ADD COLUMN a Utf8;\nALTER TABLE t DROP COLUMN a;'), []);
  assert.deepEqual(rules('ALTER TABLE `/local/t` RENAME TO `/local/u`;'), ['rename-onto-existing 1']);
  assert.deepEqual(rules('DROP TABLE `/local/u`;\nALTER TABLE `/local/t` RENAME TO `/local/u`;\nALTER TABLE u ADD COLUMN a Utf8;'), []);
  assert.deepEqual(rules('ALTER TABLE `/local/t` ADD COLUMN a Utf8;\nALTER TABLE `/local/v` ADD COLUMN a Utf8;'), ['missing-table 2']);
});

test('paths: a name no table ends with is missing, absolute or not; under TablePathPrefix a tail is enough to follow a table', () => {
  assert.deepEqual(rules('ALTER TABLE `/local/v` ADD COLUMN a Utf8;\nDROP TABLE v;'), ['missing-table 1', 'missing-table 2']);
  const folder = migrations(['0001_base', 'CREATE TABLE `/local/folder/p` (id Uint64, PRIMARY KEY (id));', null], ['0002_case', "PRAGMA TablePathPrefix = '/local/folder';\nDROP TABLE p;", null]);
  assert.deepEqual(lintMigrations(folder).filter((f) => f.severity === 'error'), []);
  const unprefixed = migrations(['0001_base', 'CREATE TABLE `/local/folder/p` (id Uint64, PRIMARY KEY (id));', null], ['0002_case', 'DROP TABLE p;', null]);
  assert.deepEqual(lintMigrations(unprefixed).filter((f) => f.severity === 'error').map((f) => f.rule), ['missing-table']);
});

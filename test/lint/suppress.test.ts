import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintMigrations } from '../../lib/lint/lint.js';
import { migrations } from './helpers.js';

const BASE: [string, string, string] = ['0001_base', 'CREATE TABLE t (id Uint64 NOT NULL, a Utf8, b Utf8, PRIMARY KEY (id));', 'DROP TABLE t;'];
const DOWN = 'ALTER TABLE t ADD COLUMN a Utf8;\nALTER TABLE t ADD COLUMN b Utf8;';
const rulesAt = (up: string, down = DOWN) => lintMigrations(migrations(BASE, ['0002_m', up, down])).map((f) => `${f.rule}@${f.location.line}:${f.location.column}`);

test('a disable comment on the line before a statement silences those rules for that statement only', () => {
  const up = '-- ydb-migrate:disable drop-column a was moved to table a_archive in 0001\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t DROP COLUMN b;';
  assert.deepEqual(rulesAt(up), ['drop-column@3:27']);
});

test('comments between the disable line and the statement keep it attached; a blank line does not', () => {
  assert.deepEqual(rulesAt('ALTER TABLE t DROP COLUMN a;\n-- ydb-migrate:disable drop-column\n-- (archived)\nALTER TABLE t DROP COLUMN b;'), ['drop-column@1:27']);
  assert.deepEqual(rulesAt('ALTER TABLE t DROP COLUMN a;\n-- ydb-migrate:disable drop-column\n\nALTER TABLE t DROP COLUMN b;'), ['drop-column@1:27', 'drop-column@4:27']);
});

test('at the top of a file, apart from the first statement, it covers the whole file; several ids separated by commas', () => {
  const up = '-- ydb-migrate:disable drop-column, prefer-upsert,mixed-ddl-dml  both columns are archived\n\nALTER TABLE t DROP COLUMN a;\nINSERT INTO t (id) VALUES (1);\nALTER TABLE t DROP COLUMN b;';
  assert.deepEqual(rulesAt(up), []);
});

test('an unknown rule id is an error at the id; the known ids beside it still apply', () => {
  const findings = lintMigrations(migrations(BASE, ['0002_m', '-- ydb-migrate:disable drop-column, drop-colum\nALTER TABLE t DROP COLUMN a;', 'ALTER TABLE t ADD COLUMN a Utf8;']));
  assert.deepEqual(findings.map((f) => `${f.severity} ${f.rule}@${f.location.line}:${f.location.column}`), ['error unknown-rule@1:37']);
  assert.match(findings[0]!.message, /names drop-colum, which is not a lint rule/);
});

test('a down file that only holds a disable comment for down-missing says it is empty on purpose', () => {
  assert.deepEqual(rulesAt('UPSERT INTO t (id) VALUES (1);', '-- ydb-migrate:disable down-missing the row is harmless\n'), []);
  assert.deepEqual(rulesAt('UPSERT INTO t (id) VALUES (1);', '-- nothing\n'), ['down-missing@1:1']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../lib/errors.js';
import type { Migration } from '../../lib/migration.js';
import { leftoverOf } from '../../lib/watch/leftover.js';
import { toBlocks } from '../../lib/yql/blocks.js';

const PATH = 'sql/0002_b.up.yql';

function migration(up: string): Migration {
  return { name: '0002_b', index: 1, manifestLine: 2, up: { path: PATH, text: up, checksum: 'x', ...toBlocks(up, PATH) }, down: null };
}

function failedAt(line: number, column: number, file = PATH): MigrateError {
  return new MigrateError('YDB_GENERIC_ERROR', 'migration 0002_b failed', { kind: 'runtime', location: { file, line, column } });
}

const twoTables = 'CREATE TABLE b (id Uint64 NOT NULL, PRIMARY KEY (id));\nCREATE TABLE b2 (id Uint64 NOT NULL, v Strin, PRIMARY KEY (id));\n';
const tableThenRows = 'CREATE TABLE b (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO b (id) VALUES ("x");\n';

test('a failure before the first block (writing the history row) left nothing', () => {
  assert.equal(leftoverOf(migration(tableThenRows).up, null, failedAt(1, 1)), 'none');
});

test('a failure in a later block left the earlier blocks applied', () => {
  assert.equal(leftoverOf(migration(tableThenRows).up, 2, failedAt(2, 33)), 'some');
});

test('a failing DML first block left nothing: it is one transaction', () => {
  assert.equal(leftoverOf(migration('UPSERT INTO a (id) VALUES (1);\nUPSERT INTO a (id) VALUES ("x");\n').up, 1, failedAt(2, 33)), 'none');
});

test('a DDL first block that failed in its first statement left nothing: each DDL statement is atomic', () => {
  assert.equal(leftoverOf(migration('CREATE TABLE b (id Uint64 NOT NULL, v Strin, PRIMARY KEY (id));\n').up, 1, failedAt(1, 40)), 'none');
  assert.equal(leftoverOf(migration(twoTables).up, 1, failedAt(1, 14)), 'none');
});

test('a DDL first block that failed in a later statement may have left the ones before it', () => {
  assert.equal(leftoverOf(migration(twoTables).up, 1, failedAt(2, 45)), 'unknown');
  assert.equal(leftoverOf(migration(twoTables).up, 1, failedAt(2, 1)), 'unknown', 'at the second statement\'s first token');
});

test('without a position in the file, a multi-statement DDL block may have left something', () => {
  assert.equal(leftoverOf(migration(twoTables).up, 1, new MigrateError('YDB_TIMEOUT', 'timed out', { kind: 'runtime' })), 'unknown');
  assert.equal(leftoverOf(migration(twoTables).up, 1, failedAt(1, 1, 'elsewhere.yql')), 'unknown');
});

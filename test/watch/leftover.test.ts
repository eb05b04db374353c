import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Migration } from '../../lib/migration.js';
import { leftoverOf } from '../../lib/watch/leftover.js';
import { toBlocks } from '../../lib/yql/blocks.js';

const PATH = 'sql/0002_b.up.yql';

function migration(up: string): Migration {
  return { name: '0002_b', index: 1, manifestLine: 2, up: { path: PATH, text: up, checksum: 'x', ...toBlocks(up, PATH) }, down: null };
}

const twoTables = 'CREATE TABLE b (id Uint64 NOT NULL, PRIMARY KEY (id));\nCREATE TABLE b2 (id Uint64 NOT NULL, v Strin, PRIMARY KEY (id));\n';
const tableThenRows = 'CREATE TABLE b (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO b (id) VALUES ("x");\n';

test('a failure before the first block (writing the history row) left nothing', () => {
  assert.equal(leftoverOf(migration(tableThenRows).up, null), 'none');
});

test('a failure in a later block left the earlier blocks applied', () => {
  assert.equal(leftoverOf(migration(tableThenRows).up, 2), 'some');
});

test('a failing DML first block left nothing: it is one transaction', () => {
  assert.equal(leftoverOf(migration('UPSERT INTO a (id) VALUES (1);\nUPSERT INTO a (id) VALUES ("x");\n').up, 1), 'none');
});

test('a failing DDL first block left nothing: each DDL statement is its own block, and atomic', () => {
  assert.equal(leftoverOf(migration('CREATE TABLE b (id Uint64 NOT NULL, v Strin, PRIMARY KEY (id));\n').up, 1), 'none');
  assert.equal(leftoverOf(migration(twoTables).up, 1), 'none');
});

test('a failure in the second DDL statement left the first one applied', () => {
  assert.equal(leftoverOf(migration(twoTables).up, 2), 'some');
});

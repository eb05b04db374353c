import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, exampleProject, historyOf, startDatabase, tempTree, type TestDatabase } from '../online/harness.js';

async function freshDatabase(t: import('node:test').TestContext): Promise<TestDatabase> {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  return db;
}

/** 0001 creates `items`; 0002 is the migration under test. */
function project(up: string, down: string): Record<string, string> {
  return {
    'sql/manifest.txt': '0001_items\n0002_change\n',
    'sql/0001_items.up.yql': 'CREATE TABLE items (id Uint64 NOT NULL, name Utf8, price Uint64, PRIMARY KEY (id));\n',
    'sql/0001_items.down.yql': 'DROP TABLE items;\n',
    'sql/0002_change.up.yql': up,
    'sql/0002_change.down.yql': down,
  };
}

test('verify passes sql/, leaving every migration applied', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await exampleProject();
  const run = await cli(db, cwd, ['verify']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /0004_index_episodes_by_title: ok: down restores the schema, up runs again/);
  assert.match(run.stdout, /verify: 5 migration\(s\) verified\n$/);
  assert.equal((await historyOf(db)).filter((r) => r.state === 'applied').length, 5);
  const again = await cli(db, cwd, ['verify']);
  assert.equal(again.stdout, 'verify: nothing pending\n');
});

test('verify reports a down that fails, and stops there', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await tempTree(project(
    'ALTER TABLE items ADD COLUMN sku Utf8;\nALTER TABLE items ADD INDEX items_by_sku GLOBAL SYNC ON (sku);\n',
    'ALTER TABLE items DROP INDEX items_by_name;\n',
  ));
  // The down drops an index that does not exist.
  const failing = await cli(db, cwd, ['verify', '--json']);
  assert.equal(failing.status, 1);
  const report = JSON.parse(failing.stdout);
  assert.deepEqual(report.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`), ['0001_items:ok', '0002_change:down-failed']);
  assert.equal(report.steps[1].error.code, 'YDB_GENERIC_ERROR');
});

test('verify reports the first migration whose down does not restore the schema: an index left behind', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await tempTree(project(
    'ALTER TABLE items ADD INDEX items_by_name GLOBAL SYNC ON (name);\n',
    // Declared as having nothing to undo, which is wrong: verify catches it.
    '-- ydb-migrate: nothing to undo\n',
  ));
  const run = await cli(db, cwd, ['verify']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /0001_items: ok/);
  assert.match(run.stdout, /0002_change: FAILED: its down does not restore the schema/);
  assert.match(run.stdout, /\n {4}\+ {5}INDEX `items_by_name` GLOBAL SYNC ON \(`name`\),\n/);
});

test('verify reports a down that drops the wrong column', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await tempTree(project('ALTER TABLE items ADD COLUMN stock Uint64;\n', 'ALTER TABLE items DROP COLUMN price;\n'));
  const run = await cli(db, cwd, ['verify', '--json']);
  assert.equal(run.status, 1);
  const step = JSON.parse(run.stdout).steps[1];
  assert.equal(step.status, 'down-differs');
  assert.match(step.diff, /^- {5}`price` Uint64,$/m);
  assert.match(step.diff, /^\+ {5}`stock` Uint64,?$/m);
});

test('verify reports an up that cannot run again after its own down', async (t) => {
  const db = await freshDatabase(t);
  // The down leaves the row, so the second INSERT finds its key taken; the schema alone is restored.
  const cwd = await tempTree(project('INSERT INTO items (id, name) VALUES (1, "one"u);\n', '-- ydb-migrate: nothing to undo\n-- rows are not reverted\n'));
  const run = await cli(db, cwd, ['verify', '--json']);
  assert.equal(run.status, 1);
  const step = JSON.parse(run.stdout).steps[1];
  assert.equal(step.status, 'reapply-failed');
  assert.equal(step.error.code, 'YDB_PRECONDITION_FAILED');
});

test('verify refuses a YDB that is not on this machine unless --allow-remote', async (t) => {
  const cwd = await tempTree(project('', ''));
  const db = await freshDatabase(t);
  const run = await cli({ ...db, connectionString: 'grpc://192.0.2.1:2136/local' }, cwd, ['verify']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /verify applies and reverts every pending migration, so it only runs against a YDB on this machine.*\[VERIFY_REMOTE_REFUSED\]/);
});

test('verify passes a DROP COLUMN whose down adds the column back at the end, saying in one line that only the order changed', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await tempTree(project('ALTER TABLE items DROP COLUMN name;\n', 'ALTER TABLE items ADD COLUMN name Utf8;\n'));
  const run = await cli(db, cwd, ['verify']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /0002_change: ok: down restores the schema, up runs again\n {4}note: only the order of the columns of items changed \(YDB adds a column at the end and cannot put it back in its place\)\n/);
  const json = JSON.parse((await cli(await freshDatabase(t), cwd, ['verify', '--json'])).stdout);
  assert.equal(json.steps[1].status, 'ok');
  assert.match(json.steps[1].note, /columns of items/);
  assert.equal(json.steps[0].note, null);
});

/** 0002 adds an index (on `name`, covering `price`) and a column; each down forgets one part of it. */
const FORGETFUL_DOWNS: Record<string, [down: string, missing: RegExp]> = {
  'an index': ['ALTER TABLE items DROP COLUMN sku;\nALTER TABLE items DROP INDEX items_by_name;\nALTER TABLE items ADD INDEX items_by_price GLOBAL SYNC ON (price);\n', /^- {5}INDEX `items_by_name` GLOBAL SYNC ON \(`name`\) COVER \(`price`\),$/m],
  'a COVER': ['ALTER TABLE items DROP COLUMN sku;\nALTER TABLE items DROP INDEX items_by_name;\nALTER TABLE items ADD INDEX items_by_name GLOBAL SYNC ON (name);\n', /^\+ {5}INDEX `items_by_name` GLOBAL SYNC ON \(`name`\),$/m],
  'a column': ['ALTER TABLE items DROP INDEX items_by_name;\nALTER TABLE items ADD INDEX items_by_name GLOBAL SYNC ON (name) COVER (price);\n', /^\+ {5}`sku` Utf8,$/m],
};

for (const [forgotten, [down, missing]] of Object.entries(FORGETFUL_DOWNS)) {
  test(`verify still fails a down that forgets ${forgotten}, whatever the column order`, async (t) => {
    const db = await freshDatabase(t);
    const files = project('ALTER TABLE items DROP INDEX items_by_name;\nALTER TABLE items ADD INDEX items_by_name GLOBAL SYNC ON (name);\nALTER TABLE items ADD COLUMN sku Utf8;\n', down);
    // 0001 already has the index with its COVER, so 0002's up changes it and the down must restore it.
    files['sql/0001_items.up.yql'] = 'CREATE TABLE items (id Uint64 NOT NULL, name Utf8, price Uint64, INDEX items_by_name GLOBAL SYNC ON (name) COVER (price), PRIMARY KEY (id));\n';
    const run = await cli(db, await tempTree(files), ['verify', '--json']);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const step = JSON.parse(run.stdout).steps[1];
    assert.equal(step.status, 'down-differs');
    assert.equal(step.note, null);
    assert.match(step.diff, missing);
  });
}

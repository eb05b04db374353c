import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, exampleProject, startDatabase, tempTree, type TestDatabase } from '../online/harness.js';

/** One migration whose up is `text`: the way to apply a schema dump with ydb-migrate itself. */
function applying(text: string): Record<string, string> {
  return { 'sql/manifest.txt': '0001_schema\n', 'sql/0001_schema.up.yql': text, 'sql/0001_schema.down.yql': '' };
}

async function freshDatabase(t: import('node:test').TestContext): Promise<TestDatabase> {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  return db;
}

test('schema of sql/ after up, applied to an empty database and dumped again, is the same text', async (t) => {
  const db = await freshDatabase(t);
  const project = await exampleProject();
  assert.equal((await cli(db, project, ['up'])).status, 0);
  const dumped = await cli(db, project, ['schema']);
  assert.equal(dumped.status, 0, dumped.stderr);
  assert.match(dumped.stdout, /CREATE TABLE `episodes` \(\n {4}`series_id` Uint64 NOT NULL,[^]*INDEX `episodes_by_title` GLOBAL SYNC ON \(`title`\),\n {4}PRIMARY KEY \(`series_id`, `season_id`, `episode_id`\)\n\);/);
  assert.doesNotMatch(dumped.stdout, /ydb_migrate_history/, 'the history and lock tables are left out');
  assert.deepEqual([...dumped.stdout.matchAll(/CREATE TABLE `(\w+)`/g)].map((m) => m[1]), ['app_settings', 'episodes', 'seasons', 'series']);

  const empty = await freshDatabase(t);
  const copy = await tempTree(applying(dumped.stdout));
  assert.equal((await cli(empty, copy, ['up'])).status, 0);
  const again = await cli(empty, copy, ['schema']);
  assert.equal(again.stdout, dumped.stdout);
});

test('schema renders folders, defaults, unique and covering indexes, settings and TTL, and reads back its own text', async (t) => {
  const db = await freshDatabase(t);
  const source = [
    'CREATE TABLE `shop/orders` (id Uint64 NOT NULL, customer Utf8, total Decimal(22,9), state Utf8 NOT NULL DEFAULT "new"u, created Timestamp,',
    '  INDEX by_customer GLOBAL UNIQUE SYNC ON (customer) COVER (total, state), INDEX by_state GLOBAL ASYNC ON (state),',
    '  PRIMARY KEY (id))',
    '  WITH (AUTO_PARTITIONING_BY_LOAD = ENABLED, AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 4, READ_REPLICAS_SETTINGS = "PER_AZ:1", TTL = Interval("P30D") ON created);',
    'CREATE TABLE events (at Uint64 NOT NULL, PRIMARY KEY (at)) WITH (TTL = Interval("PT90S") ON at AS MILLISECONDS);',
  ].join('\n');
  const cwd = await tempTree(applying(source));
  const applied = await cli(db, cwd, ['up']);
  assert.equal(applied.status, 0, applied.stderr);
  const dumped = await cli(db, cwd, ['schema', '-o', 'schema.yql']);
  assert.equal(dumped.status, 0, dumped.stderr);
  const text = await readFile(join(cwd, 'schema.yql'), 'utf8');
  assert.equal(text, [
    '-- The database schema as ydb-migrate reads it (`ydb-migrate schema`); the history and lock tables are left out.',
    '',
    'CREATE TABLE `events` (',
    '    `at` Uint64 NOT NULL,',
    '    PRIMARY KEY (`at`)',
    ')',
    'WITH (',
    '    TTL = Interval("PT90S") ON `at` AS MILLISECONDS',
    ');',
    '',
    'CREATE TABLE `shop/orders` (',
    '    `id` Uint64 NOT NULL,',
    '    `customer` Utf8,',
    '    `total` Decimal(22,9),',
    "    `state` Utf8 NOT NULL DEFAULT 'new'u,",
    '    `created` Timestamp,',
    '    INDEX `by_customer` GLOBAL UNIQUE ON (`customer`) COVER (`total`, `state`),',
    '    INDEX `by_state` GLOBAL ASYNC ON (`state`),',
    '    PRIMARY KEY (`id`)',
    ')',
    'WITH (',
    '    AUTO_PARTITIONING_BY_LOAD = ENABLED,',
    '    AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 4,',
    '    READ_REPLICAS_SETTINGS = "PER_AZ:1",',
    '    TTL = Interval("P30D") ON `created`',
    ');',
    '',
  ].join('\n'));

  const model = JSON.parse((await cli(db, cwd, ['schema', '--json'])).stdout);
  const orders = model.tables.find((x: { path: string }) => x.path === 'shop/orders');
  assert.deepEqual(orders.ttl, { column: 'created', expireAfterSeconds: 30 * 86_400, unit: null });
  assert.deepEqual(orders.indexes[0], { name: 'by_customer', mode: 'unique', columns: ['customer'], cover: ['total', 'state'] });

  const copy = await freshDatabase(t);
  const replay = await tempTree(applying(text));
  assert.equal((await cli(copy, replay, ['up'])).status, 0);
  assert.equal((await cli(copy, replay, ['schema'])).stdout, text);
});

test('schema of an empty database is the header alone; an unreachable one is a runtime error', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await tempTree(applying(''));
  const empty = await cli(db, cwd, ['schema']);
  assert.equal(empty.status, 0, empty.stderr);
  assert.match(empty.stdout, /^-- The database schema[^\n]*\n$/);
  const down = await cli({ ...db, connectionString: 'grpc://127.0.0.1:1/local' }, cwd, ['schema', '--connect-timeout', '1']);
  assert.equal(down.status, 1);
});

test('with "schemaFile" in the config, up, down and redo rewrite it; status warns when it is stale', async (t) => {
  const db = await freshDatabase(t);
  const cwd = await exampleProject();
  const config = JSON.parse(await readFile(join(cwd, 'ydb-migrate.json'), 'utf8'));
  await writeFile(join(cwd, 'ydb-migrate.json'), JSON.stringify({ ...config, schemaFile: 'db/schema.yql' }));
  await mkdir(join(cwd, 'db'));
  const file = join(cwd, 'db', 'schema.yql');

  const missing = await cli(db, cwd, ['status']);
  assert.match(missing.stderr, /warning: the schema file db\/schema\.yql does not exist; rewrite it with `ydb-migrate schema -o db\/schema\.yql`.*\[SCHEMA_FILE_STALE\]/);
  assert.equal((await cli(db, cwd, ['up', '@v1'])).status, 0);
  assert.equal(await readFile(file, 'utf8'), (await cli(db, cwd, ['schema'])).stdout);
  assert.doesNotMatch(await readFile(file, 'utf8'), /app_settings/);
  assert.equal((await cli(db, cwd, ['status'])).stderr, '');

  assert.equal((await cli(db, cwd, ['up'])).status, 0);
  assert.match(await readFile(file, 'utf8'), /INDEX `episodes_by_title`/);
  await writeFile(file, '-- edited by hand\n');
  assert.match((await cli(db, cwd, ['status'])).stderr, /the schema file db\/schema\.yql does not match the database's schema/);
  assert.equal((await cli(db, cwd, ['redo'])).status, 0);
  assert.equal(await readFile(file, 'utf8'), (await cli(db, cwd, ['schema'])).stdout);
  assert.equal((await cli(db, cwd, ['down', '@v1'])).status, 0);
  assert.doesNotMatch(await readFile(file, 'utf8'), /episodes_by_title/);
  assert.equal((await cli(db, cwd, ['up', '--dry-run'])).status, 0);
  assert.doesNotMatch(await readFile(file, 'utf8'), /episodes_by_title/, 'a dry run changes nothing, the file included');
});

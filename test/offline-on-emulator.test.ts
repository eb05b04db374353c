/**
 * The offline script is only worth something if YDB runs it: generate it for
 * the example set in sql/ and run it the way a DBA does (`ydb scripting yql`,
 * i.e. the Scripting service's ExecuteYql) on the emulator, then check the
 * tables and history rows it leaves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checksumOf } from '../lib/checksum.js';
import { loadMigrationSet, type MigrationSet } from '../lib/migration.js';
import { renderOfflineScript } from '../lib/offline/script.js';
import { PACKAGE_ROOT } from '../lib/package-info.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { Ydb } from './emulator/ydb-proto.js';
import { RawClient } from './emulator/conformance/support.js';
import { tempTree } from './helpers/cli.js';
import { oldHistoryTableDdl } from './helpers/old-history.js';

const HISTORY = 'ydb_migrate_history';
let ydb: Emulator;
let raw: RawClient;
let set: MigrationSet;

before(async () => {
  ydb = await startEmulator();
  raw = new RawClient(ydb);
  set = await loadMigrationSet(join(PACKAGE_ROOT, 'sql'));
});
after(async () => {
  raw.close();
  await ydb.stop();
});

async function runScript(direction: 'up' | 'down', from: string, to: string, client = raw): Promise<void> {
  const { text } = renderOfflineScript({ set, direction, from, to, table: HISTORY, params: { environment: 'staging' } });
  await executeYql(client, text);
}

async function executeYql(client: RawClient, script: string): Promise<void> {
  const response = await client.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, { script });
  assert.equal(response.operation?.status, Ydb.StatusIds.StatusCode.SUCCESS, JSON.stringify(response.operation?.issues, null, 1));
}

function historyColumnNames(emulator: Emulator): string[] {
  return emulator.engine.describeTable(HISTORY)!.columns.map((c) => c.name);
}

function userTables(): string[] {
  return ydb.engine.listTables().filter((t) => t !== HISTORY && t !== `${HISTORY}_lock`).sort();
}

function historyNames(): string[] {
  return ydb.engine
    .readTable(HISTORY)
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((r) => String(r.name));
}

describe('the offline script for sql/, run through the Scripting service', () => {
  test('up base → head creates every table, the index, the seed data and one history row per migration', async () => {
    await runScript('up', 'base', 'head');
    assert.deepEqual(userTables(), ['app_settings', 'episodes', 'seasons', 'series']);
    assert.deepEqual(ydb.engine.describeTable('episodes')?.indexes.map((i) => i.name), ['episodes_by_title']);
    const settings = Object.fromEntries(ydb.engine.readTable('app_settings').map((r) => [r.name, r.value]));
    assert.equal(settings.environment, 'staging', 'the parameter was bound as a literal');
    assert.equal(ydb.engine.readTable('series').length, 1);
    const rows = ydb.engine.readTable(HISTORY).sort((a, b) => Number(a.position) - Number(b.position));
    assert.deepEqual(rows.map((r) => r.name), set.migrations.map((m) => m.name));
    assert.ok(historyColumnNames(ydb).includes('requests_done'), 'a fresh database gets the current shape from CREATE TABLE IF NOT EXISTS');
    for (const [i, row] of rows.entries()) {
      const migration = set.migrations[i]!;
      assert.equal(row.checksum, migration.up.checksum);
      assert.equal(row.checksum, checksumOf(migration.up.text));
      assert.equal(row.down_text, migration.down?.text ?? null);
      assert.equal(row.state, 'applied');
      assert.equal(Number(row.position), i + 1);
      assert.ok(row.applied_at !== null && row.applied_at !== undefined, 'applied_at is set by CurrentUtcTimestamp()');
    }
  });

  test('down head → @v1 reverts the migrations after the tag and deletes their rows', async () => {
    await runScript('down', 'head', '@v1');
    assert.deepEqual(userTables(), ['episodes', 'seasons', 'series']);
    assert.deepEqual(ydb.engine.describeTable('episodes')?.indexes, []);
    assert.deepEqual(historyNames(), ['0001_create_series', '0002_create_seasons', '0003_create_episodes']);
  });

  test('up @v1 → head then down to base: the ranges compose and leave an empty database', async () => {
    await runScript('up', '@v1', 'head');
    assert.deepEqual(historyNames(), set.migrations.map((m) => m.name));
    await runScript('down', 'head', 'base');
    assert.deepEqual(userTables(), []);
    assert.deepEqual(historyNames(), []);
  });
});

describe('an offline script on a history table of the shape before requests_done', () => {
  test('runs up and down on it and leaves its shape as it found it', async () => {
    const emulator = await startEmulator();
    const client = new RawClient(emulator);
    try {
      await executeYql(client, oldHistoryTableDdl(HISTORY, 1));
      const oldColumns = historyColumnNames(emulator);
      await runScript('up', 'base', 'head', client);
      assert.deepEqual(emulator.engine.readTable(HISTORY).map((r) => r.name).sort(), set.migrations.map((m) => m.name).sort());
      assert.deepEqual(emulator.engine.readTable(HISTORY).map((r) => r.state), set.migrations.map(() => 'applied'));
      await runScript('down', 'head', '@v1', client);
      assert.deepEqual(emulator.engine.readTable(HISTORY).map((r) => r.name).sort(), ['0001_create_series', '0002_create_seasons', '0003_create_episodes']);
      assert.deepEqual(historyColumnNames(emulator), oldColumns, 'no requests_done column was added');
    } finally {
      client.close();
      await emulator.stop();
    }
  });
});

describe('an offline script whose migrations hold dependent DDL and named expressions', () => {
  const FILES = {
    'sql/manifest.txt': '0001_items\n0002_tags\n',
    'sql/0001_items.up.yql': [
      '$first = "first"u;',
      'CREATE TABLE items (id Uint64 NOT NULL, PRIMARY KEY (id));',
      'ALTER TABLE items ADD COLUMN title Utf8;',
      'ALTER TABLE items ADD INDEX items_by_title GLOBAL ON (title);',
      'CREATE TABLE scratch (id Uint64 NOT NULL, PRIMARY KEY (id));',
      'DROP TABLE scratch;',
      'UPSERT INTO items (id, title) VALUES (1, $first);',
    ].join('\n'),
    'sql/0002_tags.up.yql': '$first = "tag"u;\nCREATE TABLE tags (name Utf8 NOT NULL, PRIMARY KEY (name));\nUPSERT INTO tags (name) VALUES ($first);\n',
  };

  test('runs through the Scripting service: each DDL statement in its part, each migration with its own names', async () => {
    const emulator = await startEmulator();
    const client = new RawClient(emulator);
    try {
      const migrations = await loadMigrationSet(join(await tempTree(FILES), 'sql'));
      const { text } = renderOfflineScript({ set: migrations, direction: 'up', from: 'base', to: 'head', table: HISTORY, params: {} });
      const response = await client.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, { script: text });
      assert.equal(response.operation?.status, Ydb.StatusIds.StatusCode.SUCCESS, JSON.stringify(response.operation?.issues, null, 1));
      assert.deepEqual(emulator.engine.listTables().filter((t) => !t.startsWith(HISTORY)).sort(), ['items', 'tags']);
      assert.deepEqual(emulator.engine.describeTable('items')?.indexes.map((i) => i.name), ['items_by_title']);
      assert.deepEqual(emulator.engine.readTable('items').map((r) => r.title), ['first']);
      assert.deepEqual(emulator.engine.readTable('tags').map((r) => r.name), ['tag']);
      assert.deepEqual(emulator.engine.readTable(HISTORY).map((r) => r.name).sort(), ['0001_items', '0002_tags']);
    } finally {
      client.close();
      await emulator.stop();
    }
  });
});

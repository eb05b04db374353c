/**
 * `sql --format parts`, run part by part the way `ydb sql -f` runs a file
 * (the Query service, one query with no transaction control), leaves the
 * same schema, rows and history as the single script run through the
 * Scripting service and as online `up`.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ydbProto from 'ydb-sdk-proto';
import { loadMigrationSet } from '../lib/migration.js';
import type { OfflineRequest } from '../lib/offline/range.js';
import { renderOfflineScript } from '../lib/offline/script.js';
import { renderOfflineParts } from '../lib/offline/parts.js';
import { connect, execute, RawClient } from './emulator/conformance/support.js';
import type { Emulator } from './emulator/index.js';
import { cli, exampleProject, startDatabase, tempTree } from './online/harness.js';

const { Ydb } = ydbProto;
const HISTORY = 'ydb_migrate_history';
/** What every mode records alike; applied_at and applied_by say when and who, and differ by design. */
const LASTING_HISTORY_COLUMNS = ['name', 'position', 'checksum', 'down_text', 'state', 'tool_version'];

function snapshot(emulator: Emulator): Record<string, { scheme: unknown; rows: Record<string, unknown>[] }> {
  const tables: Record<string, { scheme: unknown; rows: Record<string, unknown>[] }> = {};
  for (const path of emulator.engine.listTables().sort()) {
    const rows = emulator.engine.readTable(path);
    tables[path] = {
      scheme: emulator.engine.describeTable(path),
      rows: path === HISTORY ? rows.map((r) => Object.fromEntries(LASTING_HISTORY_COLUMNS.map((c) => [c, r[c]]))) : rows,
    };
  }
  return tables;
}

/** Runs each part as `ydb sql -f` does; stops at the first that fails and returns its error. `before` runs ahead of each part. */
async function runParts(emulator: Emulator, req: OfflineRequest, before?: (file: string, run: (text: string) => Promise<unknown>) => Promise<void>): Promise<unknown> {
  const driver = await connect(emulator);
  try {
    for (const part of renderOfflineParts(req).parts) {
      await before?.(part.file, (text) => execute(driver, text));
      try {
        await execute(driver, part.text);
      } catch (err) {
        return { part: part.file, err };
      }
    }
    return null;
  } finally {
    await driver.destroy();
  }
}

async function runScript(emulator: Emulator, script: string): Promise<void> {
  const client = new RawClient(emulator);
  try {
    const response = await client.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, { script });
    assert.equal(response.operation?.status, Ydb.StatusIds.StatusCode.SUCCESS, JSON.stringify(response.operation?.issues));
  } finally {
    client.close();
  }
}

test('parts run one by one through the Query service leave what the single script and online up leave, range by range', async (t) => {
  const [partsDb, scriptDb, onlineDb] = await Promise.all([startDatabase({ private: true }), startDatabase({ private: true }), startDatabase({ private: true })]);
  t.after(() => Promise.all([partsDb.stop(), scriptDb.stop(), onlineDb.stop()]));
  const cwd = await exampleProject();
  const set = await loadMigrationSet(join(cwd, 'sql'));
  const request = (from: string, to: string): OfflineRequest => ({ set, direction: 'up', from, to, table: HISTORY, params: { environment: 'development' } });

  for (const [from, to, target] of [['base', '@v1', '@v1'], ['@v1', 'head', 'head']] as const) {
    assert.equal(await runParts(partsDb.emulator!, request(from, to)), null);
    await runScript(scriptDb.emulator!, renderOfflineScript(request(from, to)).text);
    const up = await cli(onlineDb, cwd, ['up', target]);
    assert.equal(up.status, 0, up.stderr);
    const online = snapshot(onlineDb.emulator!);
    assert.deepEqual(snapshot(partsDb.emulator!), online, `parts, ${from} → ${to}`);
    assert.deepEqual(snapshot(scriptDb.emulator!), online, `script, ${from} → ${to}`);
  }
  assert.equal(snapshot(partsDb.emulator!)[HISTORY]!.rows.length, 5);
  assert.deepEqual(snapshot(partsDb.emulator!)[`${HISTORY}_lock`]!.rows, [], 'the last part released the lock');

  const again = (await runParts(partsDb.emulator!, request('@v1', 'head'))) as { part: string; err: Error };
  assert.equal(again.part, '003-guard.yql', 'run twice, the guard stops the parts before any change');
  assert.match(String(again.err), /found history row '0004_index_episodes_by_title'/);
});

/** A fresh emulator and the up range base → head of the project made of `files`. */
async function project(t: TestContext, files: Record<string, string>, params: Record<string, string> = {}): Promise<{ emulator: Emulator; request: OfflineRequest }> {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  const set = await loadMigrationSet(join(await tempTree(files), 'sql'));
  return { emulator: db.emulator!, request: { set, direction: 'up', from: 'base', to: 'head', table: HISTORY, params } };
}

test('a PRAGMA stays in the parts of its migration: its tables go under the prefix, the history and lock do not', async (t) => {
  const { emulator, request } = await project(t, {
    'sql/manifest.txt': '0001_items\n0002_more\n',
    'sql/0001_items.up.yql': 'PRAGMA TablePathPrefix("/local/app");\nCREATE TABLE items (id Uint64 NOT NULL, env Utf8, PRIMARY KEY (id));\nDECLARE $env AS Utf8;\nUPSERT INTO items (id, env) VALUES (1, $env);\n',
    'sql/0002_more.up.yql': 'CREATE TABLE more (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  }, { env: 'prod' });
  assert.equal(await runParts(emulator, request), null);
  assert.deepEqual(emulator.engine.listTables().sort(), ['app/items', 'more', HISTORY, `${HISTORY}_lock`]);
  assert.deepEqual(emulator.engine.readTable('app/items'), [{ id: 1n, env: 'prod' }]);
  assert.deepEqual(emulator.engine.readTable(HISTORY).map((r) => `${String(r.name)} ${String(r.state)}`).sort(), ['0001_items applied', '0002_more applied']);
});

test("a run whose lease was taken away stops at its next history write, and that part's DML rolls back with it", async (t) => {
  const { emulator, request } = await project(t, {
    'sql/manifest.txt': '0001_items\n0002_fill\n',
    'sql/0001_items.up.yql': 'CREATE TABLE items (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
    'sql/0002_fill.up.yql': 'UPSERT INTO items (id) VALUES (1);\n',
  });
  const stopped = (await runParts(emulator, request, async (file, run) => {
    if (file.includes('0002_fill')) await run(`DELETE FROM ${HISTORY}_lock;`); // `unlock --force` meanwhile
  })) as { part: string; err: Error } | null;
  assert.ok(stopped, 'the run stopped');
  assert.match(stopped.part, /0002_fill\.up-1\.yql$/);
  assert.match(String(stopped.err), /this script no longer holds the migration lock/);
  assert.deepEqual(emulator.engine.readTable('items'), [], "0002_fill's UPSERT rolled back with the refused history write");
  assert.deepEqual(emulator.engine.readTable(HISTORY).map((r) => String(r.name)), ['0001_items']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ydbProto from 'ydb-sdk-proto';
import { loadMigrationSet } from '../../lib/migration.js';
import { renderOfflineScript } from '../../lib/offline/script.js';
import { RawClient } from '../emulator/conformance/support.js';
import type { Emulator } from '../emulator/index.js';
import { cli, exampleProject, NEEDS_EMULATOR, startDatabase } from './harness.js';

const { Ydb } = ydbProto;
const HISTORY = 'ydb_migrate_history';
/** What online and offline runs record alike; applied_at and applied_by say when and who, and differ by design. */
const LASTING_HISTORY_COLUMNS = ['name', 'position', 'checksum', 'down_text', 'state', 'tool_version'];

/** Runs a script the way a DBA does: `ydb scripting yql -f`, i.e. Scripting/ExecuteYql. */
async function runScript(emulator: Emulator, script: string): Promise<void> {
  const client = new RawClient(emulator);
  try {
    const response = await client.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, { script });
    const { status, issues } = response.operation!;
    assert.equal(status, Ydb.StatusIds.StatusCode.SUCCESS, JSON.stringify(issues));
  } finally {
    client.close();
  }
}

/** Every table but the online lock: its scheme (columns, key, indexes) and rows, the history cut down to what both modes record. */
function snapshot(emulator: Emulator): Record<string, { scheme: unknown; rows: Record<string, unknown>[] }> {
  const tables: Record<string, { scheme: unknown; rows: Record<string, unknown>[] }> = {};
  for (const path of emulator.engine.listTables().filter((t) => t !== `${HISTORY}_lock`).sort()) {
    const rows = emulator.engine.readTable(path);
    tables[path] = {
      scheme: emulator.engine.describeTable(path),
      rows: path === HISTORY ? rows.map((r) => Object.fromEntries(LASTING_HISTORY_COLUMNS.map((c) => [c, r[c]]))) : rows,
    };
  }
  return tables;
}

async function offlineScript(cwd: string, from: string, to: string): Promise<string> {
  const set = await loadMigrationSet(join(cwd, 'sql'));
  return renderOfflineScript({ set, direction: 'up', from, to, table: HISTORY, params: { environment: 'development' } }).text;
}

test('the offline script for a range, run through the Scripting service, leaves the same tables and history as up online', { skip: NEEDS_EMULATOR }, async (t) => {
  const offlineDb = await startDatabase({ private: true });
  const db = await startDatabase({ private: true });
  t.after(() => Promise.all([offlineDb.stop(), db.stop()]));
  const [offline, online] = [offlineDb.emulator!, db.emulator!];
  const cwd = await exampleProject();

  await runScript(offline, await offlineScript(cwd, 'base', '@v1'));
  const first = await cli(db, cwd, ['up', '@v1']);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(snapshot(offline), snapshot(online), 'base → @v1');

  await runScript(offline, await offlineScript(cwd, '@v1', 'head'));
  const rest = await cli(db, cwd, ['up']);
  assert.equal(rest.status, 0, rest.stderr);
  const final = snapshot(online);
  assert.deepEqual(snapshot(offline), final, '@v1 → head');
  assert.equal(final[HISTORY]!.rows.length, 5);
  assert.equal(final.app_settings!.rows.length, 2);
  assert.deepEqual((final.episodes!.scheme as { indexes: { name: string }[] }).indexes.map((i) => i.name), ['episodes_by_title']);

  const status = await cli(offlineDb, cwd, ['status', '--json']);
  const report = JSON.parse(status.stdout) as { current: string; drift: unknown[] };
  assert.equal(report.current, '0005_app_settings_and_seed', 'the online runner reads what the offline script wrote');
  assert.deepEqual(report.drift, []);
});

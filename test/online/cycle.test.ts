import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, exampleProject, historyOf, readTable, startDatabase } from './harness.js';

const SQL_NAMES = ['0001_create_series', '0002_create_seasons', '0003_create_episodes', '0004_index_episodes_by_title', '0005_app_settings_and_seed'];

test('the example sql/: up → status → down → status → up, through the CLI', async (t) => {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  const cwd = await exampleProject();

  const up = await cli(db, cwd, ['up']);
  assert.equal(up.status, 0, up.stderr);
  for (const name of SQL_NAMES) assert.match(up.stdout, new RegExp(`up +applied +${name} +\\d+ ms`));
  assert.match(up.stdout, /up: 5 applied in \d+ ms; the database is at 0005_app_settings_and_seed/);
  assert.deepEqual((await historyOf(db)).map((r) => [r.name, r.state, r.position]), SQL_NAMES.map((n, i) => [n, 'applied', i + 1]));
  assert.deepEqual(await readTable(db, 'app_settings', 'name'), [
    { name: 'catalogue_version', value: '2' },
    { name: 'environment', value: 'development' },
  ], 'the parameter comes from ydb-migrate.json');

  const status = await cli(db, cwd, ['status']);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /^ {2}applied +0003_create_episodes +\d{4}-\d\d-\d\dT[\d:.]+Z +@v1$/m);
  assert.match(status.stdout, /at 0005_app_settings_and_seed; 0 pending/);

  const down = await cli(db, cwd, ['down']);
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stdout, /down reverted +0005_app_settings_and_seed/);
  assert.equal(await readTable(db, 'app_settings'), null, 'the down text dropped the table');
  assert.deepEqual(await readTable(db, 'series'), [], 'and deleted the seed rows');

  const json = await cli(db, cwd, ['status', '--json']);
  const report = JSON.parse(json.stdout) as { ok: boolean; current: string; pending: number; entries: { name: string; state: string; appliedAt: string | null }[] };
  assert.equal(report.ok, true);
  assert.equal(report.current, '0004_index_episodes_by_title');
  assert.equal(report.pending, 1);
  assert.deepEqual(report.entries.map((e) => e.state), ['applied', 'applied', 'applied', 'applied', 'pending']);
  assert.equal(report.entries[4]!.appliedAt, null);

  const again = await cli(db, cwd, ['up', '--param', 'environment=production', '--json']);
  assert.equal(again.status, 0, again.stderr);
  const doc = JSON.parse(again.stdout) as { ok: boolean; command: string; from: string; target: string; error: null; results: { name: string; direction: string; status: string; file: string; durationMs: number }[] };
  assert.deepEqual({ ok: doc.ok, command: doc.command, from: doc.from, target: doc.target, error: doc.error }, { ok: true, command: 'up', from: '0004_index_episodes_by_title', target: '0005_app_settings_and_seed', error: null });
  assert.deepEqual(doc.results.map(({ durationMs: _, ...r }) => r), [{ name: '0005_app_settings_and_seed', direction: 'up', status: 'applied', file: 'sql/0005_app_settings_and_seed.up.yql' }]);
  assert.deepEqual((await readTable(db, 'app_settings', 'name'))?.[1], { name: 'environment', value: 'production' }, '--param wins over the config file');
  const nothing = await cli(db, cwd, ['up']);
  assert.equal(nothing.status, 0);
  assert.match(nothing.stdout, /up: nothing to do; the database is at 0005_app_settings_and_seed/);

  const base = await cli(db, cwd, ['down', 'base']);
  assert.equal(base.status, 0, base.stderr);
  assert.deepEqual(await historyOf(db), []);
  assert.equal(await readTable(db, 'series'), null);
});

/**
 * A history table written by the version before `requests_done`: the online
 * runner upgrades it in place under the lock, keeps its rows, and `status`
 * reads either shape without changing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksumOf } from '../../lib/checksum.js';
import { lockTableDdl } from '../../lib/online/lock-table.js';
import { oldAppliedRow, oldHistoryTableDdl } from '../helpers/old-history.js';
import { cli, readTable, runQuery, setUp } from './harness.js';

const FIRST_UP = (t: string): string => `CREATE TABLE ${t}_a (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;
const FIRST_DOWN = (t: string): string => `DROP TABLE ${t}_a;\n`;

/** 0001 was applied by the earlier version; 0002 fails in its second request. */
function files(t: string): Record<string, string> {
  return {
    'sql/manifest.txt': '0001_old\n0002_breaks\n',
    'sql/0001_old.up.yql': FIRST_UP(t),
    'sql/0001_old.down.yql': FIRST_DOWN(t),
    'sql/0002_breaks.up.yql': `CREATE TABLE ${t}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n\nUPSERT INTO ${t}_missing (id) VALUES (2);\n`,
    'sql/0002_breaks.down.yql': `DROP TABLE ${t}_b;\n`,
  };
}

test('a history table of the earlier shape: status reads it as is, up adds requests_done in place and keeps the old row', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files);
  await runQuery(db, 'scheme', oldHistoryTableDdl(table));
  await runQuery(db, 'scheme', lockTableDdl(table));
  await runQuery(db, 'scheme', FIRST_UP(p));
  await runQuery(db, 'transaction', oldAppliedRow(table, '0001_old', checksumOf(FIRST_UP(p)), FIRST_DOWN(p).trimEnd()));
  const [oldRow] = (await readTable(db, table))!;
  assert.deepEqual(Object.keys(oldRow!).sort(), ['applied_at', 'applied_by', 'checksum', 'down_text', 'name', 'position', 'state', 'tool_version']);

  const before = await cli(db, cwd, ['status', '--table', table]);
  assert.equal(before.status, 0, before.stderr);
  assert.match(before.stdout, /^ {2}applied +0001_old +\d{4}-/m);
  assert.match(before.stdout, /^ {2}pending +0002_breaks/m);
  assert.ok(!('requests_done' in (await readTable(db, table))![0]!), 'status, which changes nothing, leaves the table as it found it');

  const up = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(up.status, 1, 'the second migration fails in its second request');
  assert.match(up.stderr, /0002_breaks is recorded 'failed' after 1 of 2 requests ran/);
  const rows = (await readTable(db, table, '`position`'))!;
  assert.deepEqual(rows[0], { ...oldRow, requests_done: null, requests_ran: null }, 'the row the earlier version wrote is kept as it was');
  assert.deepEqual([rows[1]!.name, rows[1]!.state, rows[1]!.requests_done], ['0002_breaks', 'failed', 1], 'the upgraded table records how far the migration got');

  const after = await cli(db, cwd, ['status', '--table', table]);
  assert.equal(after.status, 0, after.stderr);
  assert.match(after.stdout, /^ {2}applied +0001_old +\d{4}-/m);
  assert.match(after.stdout, /^ {2}failed +0002_breaks +1 of 2 requests ran +\d{4}-/m);
  const json = await cli(db, cwd, ['status', '--json', '--table', table]);
  const entries = (JSON.parse(json.stdout) as { entries: { name: string; progress: unknown }[] }).entries;
  assert.deepEqual(entries.map((e) => [e.name, e.progress]), [['0001_old', null], ['0002_breaks', { ran: 1, of: 2 }]]);

  const resolved = await cli(db, cwd, ['resolve', '0002_breaks', '--applied', '--table', table]);
  assert.equal(resolved.status, 0, resolved.stderr);
  assert.deepEqual((await readTable(db, table, '`position`'))!.map((r) => [r.state, r.requests_done]), [['applied', null], ['applied', null]], 'an applied row has no count');
});

test('a history table with requests_done but not requests_ran: status reads its count, up adds requests_ran in place', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files);
  await runQuery(db, 'scheme', oldHistoryTableDdl(table));
  await runQuery(db, 'scheme', `ALTER TABLE \`${table}\` ADD COLUMN \`requests_done\` Uint32;`);
  await runQuery(db, 'scheme', lockTableDdl(table));
  await runQuery(db, 'scheme', FIRST_UP(p));
  await runQuery(db, 'transaction', oldAppliedRow(table, '0001_old', checksumOf(FIRST_UP(p)), FIRST_DOWN(p).trimEnd()));

  const before = await cli(db, cwd, ['status', '--table', table]);
  assert.equal(before.status, 0, before.stderr);
  assert.match(before.stdout, /^ {2}applied +0001_old +\d{4}-/m);
  assert.ok(!('requests_ran' in (await readTable(db, table))![0]!), 'status leaves the table as it found it');

  const up = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(up.status, 1, 'the second migration fails in its second request');
  const rows = (await readTable(db, table, '`position`'))!;
  assert.deepEqual([rows[1]!.state, rows[1]!.requests_done, typeof rows[1]!.requests_ran], ['failed', 1, 'string'], 'the upgraded table records which requests ran');
});

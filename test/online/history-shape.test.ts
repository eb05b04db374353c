/**
 * History tables written by earlier versions (1: before `requests_done`; 2:
 * before `up_text`, `repaired_at` and `repaired_by`): the online runner
 * upgrades them in place under the lock, keeps their rows, and `status`
 * reads any version without changing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksumOf } from '../../lib/checksum.js';
import { lockTableDdl } from '../../lib/online/lock-table.js';
import { oldAppliedRow, oldHistoryTableDdl } from '../helpers/old-history.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

test('a history table of version 1: status reads it as is, up adds requests_done in place and keeps the old row', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files);
  await runQuery(db, 'scheme', oldHistoryTableDdl(table, 1));
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
  assert.deepEqual(rows[0], { ...oldRow, requests_done: null, requests_ran: null, up_text: null, repaired_at: null, repaired_by: null }, 'the row the earlier version wrote is kept as it was');
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

for (const version of [1, 2] as const) {
  test(`a history table of version ${version}: repair upgrades it in place, keeps applied_at, and compares texts from then on`, async (t) => {
    const { db, p, cwd, table } = await setUp(t, files);
    await runQuery(db, 'scheme', oldHistoryTableDdl(table, version));
    await runQuery(db, 'scheme', lockTableDdl(table));
    await runQuery(db, 'scheme', FIRST_UP(p));
    await runQuery(db, 'transaction', oldAppliedRow(table, '0001_old', checksumOf(FIRST_UP(p)), FIRST_DOWN(p).trimEnd()));
    const [oldRow] = (await readTable(db, table))!;
    await writeFile(join(cwd, 'sql/0001_old.up.yql'), `-- the first table\n${FIRST_UP(p)}`);

    const refused = await cli(db, cwd, ['repair', '--table', table]);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /the up file of 0001_old may change statements that already ran.*\[REPAIR_NEEDS_YES\]/);
    assert.match(refused.stderr, /0001_old: cannot tell whether statements changed: the history holds no applied text for it/);
    assert.deepEqual((await readTable(db, table))!, [oldRow], 'refused: the table is neither written nor upgraded');

    const accepted = await cli(db, cwd, ['repair', '--yes', '--table', table]);
    assert.equal(accepted.status, 0, accepted.stderr);
    const [row] = (await readTable(db, table))!;
    assert.deepEqual(Object.keys(row!).sort(), [...Object.keys(oldRow!), ...(version === 1 ? ['requests_done'] : []), 'requests_ran', 'up_text', 'repaired_at', 'repaired_by'].sort(), 'the table is upgraded to the current version');
    assert.deepEqual([row!.applied_at, row!.applied_by, row!.position], [oldRow!.applied_at, oldRow!.applied_by, oldRow!.position], 'what the earlier version recorded stays');
    assert.ok(row!.repaired_at instanceof Date);
    assert.equal(row!.up_text, `-- the first table\n${FIRST_UP(p)}`);

    await writeFile(join(cwd, 'sql/0001_old.up.yql'), `-- the first table, keyed by id\n${FIRST_UP(p)}`);
    const cosmetic = await cli(db, cwd, ['repair', '--table', table]);
    assert.equal(cosmetic.status, 0, 'with the applied text recorded, a comment edit needs no --yes');
    assert.match(cosmetic.stdout, /repaired +0001_old .*\n.*\n +cosmetic/);
  });
}

test('an upgrade cut short (some of a version\'s columns added) is finished by the next run', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files);
  await runQuery(db, 'scheme', oldHistoryTableDdl(table, 2));
  await runQuery(db, 'scheme', `ALTER TABLE \`${table}\` ADD COLUMN \`up_text\` Utf8;`);
  await runQuery(db, 'scheme', lockTableDdl(table));
  await runQuery(db, 'scheme', FIRST_UP(p));
  await runQuery(db, 'transaction', oldAppliedRow(table, '0001_old', checksumOf(FIRST_UP(p)), FIRST_DOWN(p).trimEnd()));

  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /^ {2}applied +0001_old/m);
  const up = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(up.status, 1, 'the second migration fails in its second request');
  assert.match(up.stderr, /0002_breaks is recorded 'failed' after 1 of 2 requests ran/);
  const rows = (await readTable(db, table, '`position`'))!;
  assert.deepEqual(rows.map((r) => [r.name, r.state, r.up_text === null, typeof r.requests_ran, 'repaired_by' in r]), [['0001_old', 'applied', true, 'object', true], ['0002_breaks', 'failed', false, 'string', true]]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, readTable, setUp, tableSet } from './harness.js';

function twoTables(t: string): Record<string, string> {
  return tableSet(t, '0001_a\n0002_b\n');
}

test('repair records the current checksums (and with --down-text the down text) of edited applied files; --dry-run writes nothing', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), `-- b: the table of bees\nCREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
  await writeFile(join(cwd, 'sql/0002_b.down.yql'), `DROP TABLE IF EXISTS ${p}_b;\n`);
  const before = await cli(db, cwd, ['status', '--table', table]);
  assert.match(before.stdout, /changed +0002_b/);
  assert.match(before.stdout, /record it with `ydb-migrate repair 0002_b`/);
  const history = async () => ((await readTable(db, table, '`position`')) ?? []).map((r) => [r.name, String(r.checksum).slice(0, 12), r.down_text]);
  const original = await history();

  const dry = await cli(db, cwd, ['repair', '--dry-run', '--table', table]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /up +planned +0002_b .*\n +checksum [0-9a-f]{12} → [0-9a-f]{12} \(sql\/0002_b\.up\.yql\)\n/);
  assert.match(dry.stdout, /repair \(dry run, nothing executed\): 1 planned/);
  assert.deepEqual(await history(), original, 'a dry run writes nothing');

  const unknown = await cli(db, cwd, ['repair', '0009_nope', '--table', table]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no migration named '0009_nope'.*\[REPAIR_UNKNOWN\]/);

  const repaired = await cli(db, cwd, ['repair', '0002_b', '--table', table]);
  assert.equal(repaired.status, 0, repaired.stderr);
  assert.match(repaired.stdout, /up +repaired +0002_b/);
  assert.doesNotMatch(repaired.stdout, /down text/, 'without --down-text the stored down text stays');
  assert.equal((await cli(db, cwd, ['status', '--check', '--table', table])).status, 0, 'no drift left');
  assert.equal((await history())[1]![2], `DROP TABLE ${p}_b;\n`);

  const down = await cli(db, cwd, ['repair', '--down-text', '--table', table]);
  assert.match(down.stdout, /up +repaired +0002_b .*\n +down text now that of sql\/0002_b\.down\.yql\n/);
  assert.equal((await history())[1]![2], `DROP TABLE IF EXISTS ${p}_b;\n`);
  assert.match((await cli(db, cwd, ['repair', '--table', table])).stdout, /repair: nothing to do/);
});

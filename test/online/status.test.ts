import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, setUp, tableSet } from './harness.js';

function twoTables(t: string): Record<string, string> {
  return tableSet(t, '0001_a\n@v1\n0002_b\n');
}

test('status --check exits 3 while anything is pending, failed or drifted, and 0 once the database matches the files', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  const fresh = await cli(db, cwd, ['status', '--check', '--table', table]);
  assert.equal(fresh.status, 3, fresh.stderr);
  assert.match(fresh.stderr, /status --check: 2 pending/);
  assert.equal((await cli(db, cwd, ['status', '--table', table])).status, 0, 'without --check, status only reports');

  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  const clean = await cli(db, cwd, ['status', '--check', '--table', table]);
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(JSON.parse((await cli(db, cwd, ['status', '--check', '--json', '--table', table])).stdout).check, 'ok');

  await writeFile(join(cwd, 'sql/0001_a.up.yql'), `CREATE TABLE ${p}_a (id Uint64 NOT NULL, v Utf8, PRIMARY KEY (id));\n`);
  const drifted = await cli(db, cwd, ['status', '--check', '--table', table]);
  assert.equal(drifted.status, 3);
  assert.match(drifted.stderr, /status --check: 1 drift finding/);
  const json = await cli(db, cwd, ['status', '--check', '--json', '--table', table]);
  assert.equal(json.status, 3);
  assert.equal(JSON.parse(json.stdout).check, 'failed');
});

test('status prints aligned columns sized to their content: one word per state, tags in a column of their own', async (t) => {
  const { db, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '0001_a', '--table', table])).status, 0);
  const { stdout } = await cli(db, cwd, ['status', '--table', table]);
  const [header, first, second] = stdout.split('\n').slice(1, 4) as [string, string, string];
  assert.match(header, /^ {2}STATE {4}MIGRATION {2}APPLIED AT {16}TAGS$/);
  assert.match(first, /^ {2}applied {2}0001_a {5}\d{4}-\d\d-\d\dT[\d:.]+Z {2}@v1$/);
  assert.equal(second, '  pending  0002_b');
  for (const column of ['MIGRATION', 'APPLIED AT', 'TAGS']) {
    const at = header.indexOf(column);
    assert.equal(first.slice(at - 2, at), '  ', `${column} starts where its heading does`);
    assert.notEqual(first[at], ' ', `${column} starts where its heading does`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, readTable } from '../online/harness.js';
import { exampleApplied } from './example.js';

test('a renamed table: refused as a likely rename even with --allow-drop; with --rename it is ALTER TABLE ... RENAME TO, and up and down keep its rows', async (t) => {
  const { db, cwd, before } = await exampleApplied(t);
  const rows = await readTable(db, 'series');
  assert.equal(rows?.length, 1);
  await writeFile(join(cwd, 'desired.yql'), before.replace('CREATE TABLE `series`', 'CREATE TABLE `shows`'));

  for (const args of [[], ['--allow-drop']]) {
    const guessed = await cli(db, cwd, ['diff', '--schema', 'desired.yql', ...args]);
    assert.equal(guessed.status, 2, guessed.stdout);
    assert.match(guessed.stderr, /table series goes and shows comes with the same columns and key: if it is a rename, pass --rename series=shows \(ALTER TABLE \.\.\. RENAME TO keeps its rows\); if not, pass --no-rename-guess/);
    assert.doesNotMatch(guessed.stderr, /drops table series/, 'the likely rename is not asked about again as a drop');
  }
  const dropped = await cli(db, cwd, ['diff', '--schema', 'desired.yql', '--allow-drop', '--no-rename-guess']);
  assert.equal(dropped.status, 0, dropped.stderr);
  assert.match(dropped.stdout, /DROP TABLE `series`;/);

  const diff = await cli(db, cwd, ['diff', '--schema', 'desired.yql', '--rename', 'series=shows']);
  assert.equal(diff.status, 0, diff.stderr);
  assert.equal(diff.stdout.replace(/^-- current schema: read from grpc:\/\/\S+\n/, ''), '-- up\nALTER TABLE `series` RENAME TO `shows`;\n\n-- down\nALTER TABLE `shows` RENAME TO `series`;\n');
  const created = await cli(db, cwd, ['create', 'rename_series', '--schema', 'desired.yql', '--rename', 'series=shows']);
  assert.equal(created.status, 0, created.stderr);
  const up = await cli(db, cwd, ['up']);
  assert.equal(up.status, 0, up.stderr);
  assert.deepEqual(await readTable(db, 'shows'), rows);
  assert.equal(await readTable(db, 'series'), null);
  assert.equal((await cli(db, cwd, ['diff', '--schema', 'desired.yql'])).stdout, 'no differences: the database matches desired.yql\n');
  assert.equal((await cli(db, cwd, ['down'])).status, 0);
  assert.deepEqual(await readTable(db, 'series'), rows);
  assert.equal((await cli(db, cwd, ['schema'])).stdout, before);
});

test('--rename that does not fit the schemas is a usage error naming what is wrong', async (t) => {
  const { db, cwd, before } = await exampleApplied(t);
  await writeFile(join(cwd, 'desired.yql'), before);
  for (const [rename, why] of [['nope=shows', /the database has no table nope/], ['series=seasons', /the database already has a table seasons/], ['series=shows', /desired\.yql has no table shows/], ['series', /--rename takes OLD=NEW/]] as const) {
    const run = await cli(db, cwd, ['diff', '--schema', 'desired.yql', '--rename', rename]);
    assert.equal(run.status, 2, rename);
    assert.match(run.stderr, why);
  }
});

test('a column that looks renamed is added with the recipe as comments, and the old one is kept (no drop); up keeps its values', async (t) => {
  const { db, cwd, before } = await exampleApplied(t);
  await writeFile(join(cwd, 'desired.yql'), before.replace('`series_info` Utf8', '`info` Utf8'));
  const diff = await cli(db, cwd, ['diff', '--schema', 'desired.yql']);
  assert.equal(diff.status, 0, diff.stderr);
  assert.match(diff.stdout, /^-- current schema: read from grpc:\/\/[^\n]*\n-- up\n-- Column series_info of series looks renamed to info \(same type Utf8\)\. YDB has no RENAME COLUMN, so series_info is kept; to move its values:\n/);
  assert.match(diff.stdout, /--   2\. in a migration of its own, copy: BATCH UPDATE `series` SET `info` = `series_info`;\n/);
  assert.match(diff.stdout, /ALTER TABLE `series` ADD COLUMN `info` Utf8;\n\n-- down\nALTER TABLE `series` DROP COLUMN `info`;\n$/);
  assert.doesNotMatch(diff.stdout, /DROP COLUMN `series_info`/);
  const plain = await cli(db, cwd, ['diff', '--schema', 'desired.yql', '--no-rename-guess']);
  assert.equal(plain.status, 2, 'with --no-rename-guess the old column is a plain drop, which needs --allow-drop');
  assert.match(plain.stderr, /drops column series_info of series/);

  assert.equal((await cli(db, cwd, ['create', 'info', '--schema', 'desired.yql'])).status, 0);
  assert.match(await readFile(join(cwd, 'sql', 'manifest.txt'), 'utf8'), /_info\n$/);
  assert.equal((await cli(db, cwd, ['up'])).status, 0);
  assert.match(String((await readTable(db, 'series'))?.[0]?.series_info), /British sitcom/);

});

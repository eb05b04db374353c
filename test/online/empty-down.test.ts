import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, historyOf, readTable, setUp } from './harness.js';

test('a down file with no statements is not a revert: down and redo refuse it, naming the file; the marker line allows it', async (t) => {
  const { db, p, cwd, table } = await setUp(t, () => ({}));
  const created = await cli(db, cwd, ['create', 'add_things']);
  assert.equal(created.status, 0, created.stderr);
  const downFile = join(cwd, 'sql/0001_add_things.down.yql');
  assert.match(await readFile(downFile, 'utf8'), /-- ydb-migrate: nothing to undo/, 'the template says how to mark it');
  await writeFile(join(cwd, 'sql/0001_add_things.up.yql'), `CREATE TABLE ${p}_things (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);

  const validate = await cli(db, cwd, ['validate']);
  assert.equal(validate.status, 0, validate.stderr);
  assert.match(validate.stderr, /sql\/0001_add_things\.down\.yql:1:1: warning: .*has no statements, so down, redo and watch will refuse to revert 0001_add_things.*\[DOWN_EMPTY\]/);

  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  for (const command of ['down', 'redo']) {
    const refused = await cli(db, cwd, [command, '--table', table]);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /sql\/0001_add_things\.down\.yql:1:1: sql\/0001_add_things\.down\.yql has no statements, so reverting 0001_add_things would undo nothing.*-- ydb-migrate: nothing to undo.*\[DOWN_EMPTY\]/);
    assert.deepEqual((await historyOf(db, table)).map((r) => r.state), ['applied'], `${command} changed nothing`);
    assert.deepEqual(await readTable(db, `${p}_things`), []);
  }

  // Writing the down file later: the empty text stored at apply time is no revert either; --down-from-file uses the file.
  await writeFile(downFile, `DROP TABLE ${p}_things;\n`);
  const stored = await cli(db, cwd, ['down', '--table', table]);
  assert.equal(stored.status, 2);
  assert.match(stored.stderr, /the down text stored when it was applied is empty; pass --down-from-file/);
  const fromFile = await cli(db, cwd, ['down', '--down-from-file', '--table', table]);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.equal(await readTable(db, `${p}_things`), null);

  // Marked as having nothing to undo: reverting it is allowed, and says nothing is wrong.
  await writeFile(downFile, '-- ydb-migrate: nothing to undo\n');
  await writeFile(join(cwd, 'sql/0001_add_things.up.yql'), 'SELECT 1;\n');
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  assert.doesNotMatch((await cli(db, cwd, ['validate'])).stderr, /DOWN_EMPTY/);
  const marked = await cli(db, cwd, ['down', '--table', table]);
  assert.equal(marked.status, 0, marked.stderr);
  assert.deepEqual(await historyOf(db, table), []);
});

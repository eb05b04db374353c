import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, exampleProject, startDatabase } from '../online/harness.js';

test('schema -o rewrites its own output (text or --json) but refuses any other file unless --force', async (t) => {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  const cwd = await exampleProject();
  assert.equal((await cli(db, cwd, ['up'])).status, 0);
  const manifest = join(cwd, 'sql', 'manifest.txt');
  const before = await readFile(manifest, 'utf8');

  const refused = await cli(db, cwd, ['schema', '-o', 'sql/manifest.txt']);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /refusing to write sql\/manifest\.txt: it exists and is not a schema written by `ydb-migrate schema`[^]*--force[^]*\[OUTPUT_REFUSED\]/);
  assert.equal(await readFile(manifest, 'utf8'), before);

  assert.equal((await cli(db, cwd, ['schema', '-o', 'schema.yql'])).status, 0);
  const again = await cli(db, cwd, ['schema', '-o', 'schema.yql']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((await cli(db, cwd, ['schema', '--json', '-o', 'schema.json'])).status, 0);
  const json = await cli(db, cwd, ['schema', '--json', '-o', 'schema.json']);
  assert.equal(json.status, 0, json.stderr);
  assert.ok(Array.isArray(JSON.parse(await readFile(join(cwd, 'schema.json'), 'utf8')).tables));

  await writeFile(join(cwd, 'notes.txt'), 'my notes\n');
  assert.equal((await cli(db, cwd, ['schema', '-o', 'notes.txt'])).status, 2);
  assert.equal(await readFile(join(cwd, 'notes.txt'), 'utf8'), 'my notes\n');
  const forced = await cli(db, cwd, ['schema', '-o', 'notes.txt', '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(await readFile(join(cwd, 'notes.txt'), 'utf8'), await readFile(join(cwd, 'schema.yql'), 'utf8'));
});

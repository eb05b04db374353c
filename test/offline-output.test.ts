/** Where and how `sql -o` writes the single script. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrateError } from '../lib/errors.js';
import { forEachBatch, writeScriptFile } from '../lib/offline/output.js';
import { tempTree } from './helpers/cli.js';

const FIRST_LINE = '-- ydb-migrate 0.0.0: offline migration script\n';

test('a script whose rendering fails half-way leaves the earlier script as it was, and no partial file', async () => {
  const cwd = await tempTree({ 'sql/manifest.txt': '' });
  const path = join(cwd, 'release.yql');
  await writeFile(path, `${FIRST_LINE}-- the earlier script\n`);
  function* failing(): Generator<string> {
    yield FIRST_LINE;
    yield 'x'.repeat(3 << 20); // past the first write
    throw new Error('disk went away');
  }
  await assert.rejects(writeScriptFile({ path, migrationsDir: join(cwd, 'sql'), force: false }, failing()), /disk went away/);
  assert.equal(await readFile(path, 'utf8'), `${FIRST_LINE}-- the earlier script\n`);
  assert.deepEqual((await readdir(cwd)).sort(), ['release.yql', 'sql']);

  // Multi-byte characters on both sides of the write buffer's end, and a chunk larger than the buffer.
  const chunks = [FIRST_LINE, 'a'.repeat((1 << 20) / 3 - 60), '€😀é'.repeat(40), `${'ü'.repeat(1 << 20)}\n`, 'SELECT 1;\n'];
  await writeScriptFile({ path, migrationsDir: join(cwd, 'sql'), force: false }, chunks);
  assert.equal(await readFile(path, 'utf8'), chunks.join(''));
  assert.deepEqual((await readdir(cwd)).sort(), ['release.yql', 'sql']);
});

test('chunks are written in order, joined into batches of about a megabyte', () => {
  const batches: string[] = [];
  const chunks = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(999, '.')}\n`);
  forEachBatch(chunks, (batch) => batches.push(batch));
  assert.equal(batches.join(''), chunks.join(''));
  assert.equal(batches.length, 3, '3,000,000 characters in batches of at least 2^20');
  forEachBatch([], (batch) => batches.push(batch));
  assert.equal(batches.length, 3, 'nothing to write, no write');
});

test('a script written through a symlink replaces the file it points to; the link stays', async () => {
  const cwd = await tempTree({ 'sql/manifest.txt': '', 'releases/v2.yql': `${FIRST_LINE}-- old\n` });
  await symlink(join('releases', 'v2.yql'), join(cwd, 'current.yql'));
  await writeScriptFile({ path: join(cwd, 'current.yql'), migrationsDir: join(cwd, 'sql'), force: false }, [FIRST_LINE, '-- new\n']);
  assert.ok((await lstat(join(cwd, 'current.yql'))).isSymbolicLink());
  assert.equal(await readFile(join(cwd, 'releases', 'v2.yql'), 'utf8'), `${FIRST_LINE}-- new\n`);
  assert.deepEqual(await readdir(join(cwd, 'releases')), ['v2.yql']);
});

test('a read-only script is not replaced: it stays as it was, and the error says so', { skip: process.getuid?.() === 0 ? 'root may write any file' : false }, async () => {
  const cwd = await tempTree({ 'sql/manifest.txt': '', 'release.yql': `${FIRST_LINE}-- kept\n` });
  await chmod(join(cwd, 'release.yql'), 0o444);
  await assert.rejects(writeScriptFile({ path: join(cwd, 'release.yql'), migrationsDir: join(cwd, 'sql'), force: true }, [FIRST_LINE]), { code: 'OUTPUT_UNWRITABLE' });
  assert.equal(await readFile(join(cwd, 'release.yql'), 'utf8'), `${FIRST_LINE}-- kept\n`);
});

test('a path in a folder that does not exist is an error that names the folder, not a crash', async () => {
  const cwd = await tempTree({ 'sql/manifest.txt': '' });
  await assert.rejects(writeScriptFile({ path: join(cwd, 'no', 'such', 'release.yql'), migrationsDir: join(cwd, 'sql'), force: false }, [FIRST_LINE]), (err: MigrateError) => {
    assert.equal(err.code, 'OUTPUT_UNWRITABLE');
    assert.match(err.message, /cannot write .*release\.yql: its folder .*such does not exist/);
    assert.doesNotMatch(err.message, /partial/);
    return true;
  });
});

/**
 * The bundled CLI loads its two files, dist/cli/cli.cjs and dist/cli/ydb-sdk.cjs (online commands
 * only), through the V8 code caches the build writes beside them. A cache that is damaged, made for
 * another source, missing, or refused by V8 must leave a run exactly as it is with sound ones; a
 * cache of an edited source must never run. Each case runs a copy of the package (bin/, dist/cli/),
 * its caches spoiled, against one database.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { codeCacheFileOf, type CodeCacheUse } from '../../lib/cli/code-cache.js';
import { codeCacheUse } from '../helpers/code-cache.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startDatabase, tempTree, type TestDatabase } from './harness.js';

const MIGRATIONS = {
  'sql/manifest.txt': '0001_users\n0002_orders\n',
  'sql/0001_users.up.yql': 'CREATE TABLE users (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  'sql/0002_orders.up.yql': 'CREATE TABLE orders (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO orders (id) VALUES (1);\n',
};

let db: TestDatabase;
let project: string;
let sound: CliResult;

before(async () => {
  db = await startDatabase({ private: true });
  project = await tempTree(MIGRATIONS);
  const applied = await status(PACKAGE_ROOT, ['up']);
  assert.equal(applied.status, 0, applied.stderr);
  sound = await status(PACKAGE_ROOT);
  assert.equal(sound.status, 0, sound.stderr);
  assert.match(sound.stdout, /at 0002_orders; 0 pending/);
});
after(() => db?.stop());

/** `ydb-migrate status` (or `args`) of the package at `root`, run from the project. */
function status(root: string, args = ['status'], nodeArgs: string[] = []): Promise<CliResult> {
  return runCli(args, { cwd: project, cli: join(root, 'bin', 'ydb-migrate'), nodeArgs, env: { YDB_CONNECTION_STRING: db.connectionString } });
}

/** A copy of the installed CLI (its own bin/ and dist/cli/, the rest linked), whose files and caches a test may spoil. */
async function copyOfPackage(): Promise<{ root: string; files: string[] }> {
  const root = await tempTree();
  await cp(join(PACKAGE_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  await cp(join(PACKAGE_ROOT, 'dist', 'cli'), join(root, 'dist', 'cli'), { recursive: true });
  await cp(join(PACKAGE_ROOT, 'package.json'), join(root, 'package.json'));
  for (const linked of ['node_modules', 'templates']) await symlink(join(PACKAGE_ROOT, linked), join(root, linked));
  return { root, files: ['cli.cjs', 'ydb-sdk.cjs'].map((name) => join(root, 'dist', 'cli', name)) };
}

test('the build writes code caches that this Node takes, and the CLI runs from them', async () => {
  const { root, files } = await copyOfPackage();
  try {
    assert.deepEqual(codeCacheUse(files), ['used', 'used']);
    assert.deepEqual(await status(root), sound);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a damaged, cut short or missing code cache is not used, and status prints exactly the same', async () => {
  const spoilers: [string, (cache: string) => Promise<void>, CodeCacheUse][] = [
    ['damaged', async (cache) => {
      const bytes = await readFile(cache);
      // V8 itself would take these bytes (it checks no checksum in release builds) and crash or misbehave.
      for (let i = 0; i < 64; i++) bytes[(bytes.length >> 1) + i] ^= 0x5a;
      await writeFile(cache, bytes);
    }, 'untrusted'],
    ['cut short', async (cache) => writeFile(cache, (await readFile(cache)).subarray(0, 1000)), 'untrusted'],
    ['empty', async (cache) => writeFile(cache, ''), 'untrusted'],
    ['missing', async (cache) => rm(cache), 'none'],
  ];
  for (const [what, spoil, use] of spoilers) {
    const { root, files } = await copyOfPackage();
    try {
      for (const file of files) await spoil(codeCacheFileOf(file));
      assert.deepEqual(codeCacheUse(files), [use, use], what);
      assert.deepEqual(await status(root), sound, what);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
});

test('code caches V8 refuses (other V8 flags) fall back to compiling, with the same output', async () => {
  const { root, files } = await copyOfPackage();
  try {
    const flag = '--stack-size=2000';
    assert.deepEqual(codeCacheUse(files, [flag]), ['rejected', 'rejected']);
    assert.deepEqual(await status(root, ['status'], [flag]), sound);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the cache of an edited ydb-sdk file never runs: the edited code does', async () => {
  const { root, files } = await copyOfPackage();
  const sdk = files[1]!;
  try {
    // Same length, as V8's own check of a cache against its source goes no further than that.
    const source = await readFile(sdk, 'utf8');
    const exported = [...source.matchAll(/module\.exports=\w+\(\);/g)].pop();
    assert.ok(exported?.index !== undefined, 'ydb-sdk.cjs ends by exporting ydb-sdk');
    const edited = `${source.slice(0, exported.index)}${'throw"edited";'.padEnd(exported[0].length)}${source.slice(exported.index + exported[0].length)}`;
    assert.equal(edited.length, source.length);
    await writeFile(sdk, edited);
    assert.deepEqual(codeCacheUse([files[0]!]), ['used']);
    assert.throws(() => codeCacheUse([sdk]), /edited/);
    const res = await status(root);
    assert.equal(res.status, 1, res.stderr);
    assert.match(res.stderr, /edited/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the bundled CLI loads ydb-sdk for online commands only', async () => {
  const hook = ['--import', join(PACKAGE_ROOT, 'test', 'fixtures', 'loaded-modules.mjs')];
  const online = await status(PACKAGE_ROOT, ['status'], hook);
  assert.equal(online.status, 0, online.stderr);
  assert.match(online.stderr, /LOADED_YDB_SDK=1\n/);
  const offline = await status(PACKAGE_ROOT, ['validate'], hook);
  assert.match(offline.stderr, /LOADED_YDB_SDK=0\n/);
});

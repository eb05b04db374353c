import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { ProgressLine } from '../../lib/cli/progress.js';
import { runCli, startDatabase, tempTree } from './harness.js';

const ONLINE = ['up', 'down', 'redo', 'status', 'baseline', 'resolve', 'unlock'];

test('every online command is listed, and its --help shows options and examples', async () => {
  const cwd = await tempTree();
  const help = await runCli(['--help'], { cwd });
  for (const command of ONLINE) assert.match(help.stdout, new RegExp(`ydb-migrate ${command}`));
  for (const command of ONLINE) {
    const res = await runCli([command, '--help'], { cwd });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Examples:/, command);
    assert.match(res.stdout, /--connect-timeout/, command);
  }
});

test('ydb-sdk is loaded by the online commands only, inside their handler', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const cwd = await tempTree({ 'sql/manifest.txt': '0001_a\n', 'sql/0001_a.up.yql': 'SELECT 1;\n' });
  const hook = ['--import', join(PACKAGE_ROOT, 'test', 'fixtures', 'loaded-modules.mjs')];
  const offline = await runCli(['validate'], { cwd, nodeArgs: hook });
  assert.match(offline.stderr, /LOADED_YDB_SDK=0/);
  const help = await runCli(['up', '--help'], { cwd, nodeArgs: hook });
  assert.match(help.stderr, /LOADED_YDB_SDK=0/);
  const online = await runCli(['status'], { cwd, nodeArgs: hook, env: { YDB_CONNECTION_STRING: db.connectionString } });
  assert.equal(online.status, 0, online.stderr);
  assert.match(online.stderr, /LOADED_YDB_SDK=[1-9]/);
});

test("importing the library does not load ydb-sdk; only the first online operation does", async () => {
  const index = new URL('../../lib/index.js', import.meta.url).href;
  const hook = join(PACKAGE_ROOT, 'test', 'fixtures', 'loaded-modules.mjs');
  const child = spawnSync(process.execPath, ['--import', hook, '--input-type=module', '-e', `const m = await import(${JSON.stringify(index)}); if (typeof m.Migrator !== 'function' || typeof m.lintMigrations !== 'function' || typeof m.renderOfflineParts !== 'function') process.exit(3);`], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stderr, /LOADED_YDB_SDK=0/);
});

test('the progress line appears on a terminal after a second, counts seconds, and is erased; never on a pipe or with --json', async () => {
  const capture = (isTTY: boolean, json: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY });
    let written = '';
    stream.on('data', (d: Buffer) => (written += d.toString()));
    const progress = ProgressLine.for(stream, json);
    progress.start('0004_index: block 1/1 (DDL, line 2)');
    return { progress, stream, written: () => written };
  };
  const terminal = capture(true, false);
  const quick = capture(true, false);
  quick.progress.clear();
  const pipe = capture(false, false);
  const json = capture(true, true);
  // Until the terminal's line is first drawn (the progress timer is unref'd: the bound keeps the test alive meanwhile),
  // then to the end of that turn of the event loop, when the others' timers, had they set any, would have fired too.
  let bound: NodeJS.Timeout | undefined;
  await Promise.race([once(terminal.stream, 'data'), new Promise((_, reject) => (bound = setTimeout(() => reject(new Error('the terminal line never appeared')), 10_000)))]);
  clearTimeout(bound);
  await new Promise((resolve) => setImmediate(resolve));
  for (const c of [terminal, pipe, json]) c.progress.clear();
  // Redrawn in place each second (a loaded machine may fit in a second draw), then erased.
  assert.match(terminal.written(), /^(\r\u001b\[K {2}… 0004_index: block 1\/1 \(DDL, line 2\) [12] s)+\r\u001b\[K$/);
  assert.equal(quick.written(), '', 'a statement done within a second shows nothing');
  assert.equal(pipe.written(), '');
  assert.equal(json.written(), '');
});

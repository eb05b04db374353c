/** `ydb-migrate watch` as users run it: a child process against the test emulator, stopped by signals. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TABLE } from '../../lib/config.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { tempTree } from '../helpers/cli.js';
import { runCli, startCli } from '../online/harness.js';
import { table } from './sets.js';

const FILES = {
  'sql/manifest.txt': '0001_a\n0002_b\n',
  'sql/0001_a.up.yql': table('a')[0],
  'sql/0001_a.down.yql': table('a')[1],
  'sql/0002_b.up.yql': table('b')[0],
  'sql/0002_b.down.yql': table('b')[1],
};

/** Resolves once everything `stream` printed so far matches `pattern`. */
function printed(stream: Readable, pattern: RegExp, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`nothing matched ${pattern} within ${ms} ms; got:\n${text}`)), ms);
    stream.on('data', (chunk: Buffer | string) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

async function project(t: TestContext): Promise<{ emulator: Emulator; cwd: string; env: Record<string, string> }> {
  const emulator = await startEmulator();
  t.after(() => emulator.stop());
  return { emulator, cwd: await tempTree(FILES), env: { YDB_CONNECTION_STRING: emulator.connectionString } };
}

test('a YDB that is not on this machine is refused before connecting, with exit code 2', async () => {
  const cwd = await tempTree(FILES);
  const run = await runCli(['watch', '-c', 'grpc://192.0.2.10:2136/local'], { cwd, timeoutMs: 10_000 });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /watch reverts and re-applies migrations whenever files change, so it only runs against a YDB on this machine, and grpc:\/\/192\.0\.2\.10:2136\/local is not/);
  assert.match(run.stderr, /pass --allow-remote if this database is yours to break \[WATCH_REMOTE_REFUSED\]/);
});

test('SIGINT: exit 0, the lock free, and with --json one event per line, ending with stopped', async (t) => {
  const { emulator, cwd, env } = await project(t);
  const { child, done } = startCli(['watch', '--json', '--debounce', '50'], { cwd, env });
  await printed(child.stdout!, /"type":"applied"/);
  child.kill('SIGINT');
  const run = await done;
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  const events = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; applied?: string[] });
  assert.deepEqual(events.map((e) => e.type), ['watching', 'run-start', 'step-start', 'block-start', 'step-end', 'step-start', 'block-start', 'step-end', 'applied', 'stopped']);
  assert.deepEqual(events.find((e) => e.type === 'applied')?.applied, ['0001_a', '0002_b']);
  assert.deepEqual(emulator.engine.readTable(`${DEFAULT_TABLE}_lock`), []);
  assert.deepEqual(emulator.engine.readTable(DEFAULT_TABLE).map((r) => r.state), ['applied', 'applied']);
});

test('a signal during a run lets the run finish and release the lock, then exits 0', async (t) => {
  const { emulator, cwd, env } = await project(t);
  emulator.faults.add({ method: 'ExecuteQuery', match: /CREATE TABLE b/, delayMs: 500 });
  const { child, done } = startCli(['watch', '--json'], { cwd, env });
  await printed(child.stdout!, /"type":"block-start","name":"0002_b"/);
  child.kill('SIGTERM');
  const run = await done;
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /"type":"applied".*\n.*"type":"stopped"/);
  assert.deepEqual(emulator.engine.readTable(`${DEFAULT_TABLE}_lock`), []);
  assert.ok(emulator.engine.describeTable('b'), 'the run in progress completed');
});

test('for people: one line per run with timings; a failure is a banner with file:line:col and YDB\'s message; watching goes on', async (t) => {
  const { cwd, env } = await project(t);
  const { child, done } = startCli(['watch'], { cwd, env });
  await printed(child.stdout!, /start: applied 2/);
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), 'CREATE TABLE b (id Uint64 NOT NULL, title Strin, PRIMARY KEY (id));\n');
  await printed(child.stderr!, /still watching/);
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), 'CREATE TABLE b (id Uint64 NOT NULL, title Utf8, PRIMARY KEY (id));\n');
  await printed(child.stdout!, /sql\/0002_b\.up\.yql: applied/);
  child.kill('SIGINT');
  const run = await done;
  assert.equal(run.status, 0, run.stderr);
  const clock = '\\d\\d:\\d\\d:\\d\\d';
  assert.match(run.stdout, /^watching sql \(manifest and migration files\); database grpc:\/\/127\.0\.0\.1:\d+\/local, history table ydb_migrate_history; Ctrl-C stops\n/);
  assert.match(run.stdout, new RegExp(`\\n${clock} start: applied 2 \\(\\d+ ms\\) in \\d+ ms; at 0002_b\\n`));
  assert.match(run.stdout, new RegExp(`\\n${clock} sql/0002_b\\.up\\.yql: applied 1 \\(\\d+ ms\\) in \\d+ ms; at 0002_b\\n`), 'after the failure, nothing was left to revert');
  assert.match(run.stdout, /\nwatch stopped\n$/);
  const banner = [
    `${clock} sql/0002_b\\.up\\.yql: FAILED after reverting 1`,
    `error: sql/0002_b\\.up\\.yql:1:43: migration 0002_b failed: GENERIC_ERROR: Unknown type: 'Strin' \\[YDB_GENERIC_ERROR\\]`,
  ].join('\n');
  assert.match(run.stderr, new RegExp(banner));
  assert.match(run.stderr, /\n {2}0002_b is not applied; nothing of it stayed in the database\n {2}the database is at 0001_a; still watching: fix the files and save to try again\n/);
});

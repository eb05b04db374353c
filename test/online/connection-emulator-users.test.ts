/**
 * `make emulator` for a newcomer: a port in use names EMULATOR_PORT; EMULATOR_USER and
 * EMULATOR_PASSWORD give it a user to log in as; without them a YDB_USER login says it has no users.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { startEmulator } from '../emulator/index.js';
import { cleanEnv } from '../helpers/cli.js';
import { eventually, runCli, tempTree } from './harness.js';

const FILES = { 'sql/manifest.txt': '0001_a\n', 'sql/0001_a.up.yql': 'CREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\n' };

function makeEmulator(t: { after(fn: () => void): void }, vars: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn('make', ['-s', '--no-print-directory', 'emulator', ...vars], { cwd: PACKAGE_ROOT, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => out, exited };
}

test('make emulator on a port in use says so and names EMULATOR_PORT', async (t) => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => holder.close(resolve)));
  const port = (holder.address() as { port: number }).port;
  const make = makeEmulator(t, [`EMULATOR_PORT=${port}`]);
  assert.notEqual(await make.exited, 0);
  assert.match(make.output(), new RegExp(`emulator: port ${port} on 127\\.0\\.0\\.1 is already in use \\(another emulator, or a YDB\\?\\); stop what holds it, or pick another port`));
  assert.match(make.output(), new RegExp(`if port ${port} is taken, pick another: make emulator EMULATOR_PORT=2137`));
});

test('make emulator EMULATOR_USER=... EMULATOR_PASSWORD=...: that user logs in, a wrong password and an anonymous call are refused', async (t) => {
  const password = 'p"a s#w0rd';
  const make = makeEmulator(t, ['EMULATOR_PORT=0', 'EMULATOR_USER=alice', `EMULATOR_PASSWORD=${password}`]);
  await eventually(() => /export YDB_CONNECTION_STRING=\S+/.test(make.output()), 'the export line is printed', 60_000);
  assert.match(make.output(), /### it has one user, alice: export YDB_USER=alice and YDB_PASSWORD \(the EMULATOR_PASSWORD you gave\)/);
  assert.ok(!make.output().includes(password), 'the password is not printed');
  const url = /export YDB_CONNECTION_STRING=(\S+)/.exec(make.output())![1]!;
  const cwd = await tempTree(FILES);
  const status = (env: Record<string, string>) => runCli(['status', '--connect-timeout', '5'], { cwd, env: { HOME: cwd, YDB_CONNECTION_STRING: url, ...env } });
  const ok = await status({ YDB_USER: 'alice', YDB_PASSWORD: password });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match((await status({ YDB_USER: 'alice', YDB_PASSWORD: 'nope' })).stderr, /Invalid password/);
  assert.match((await status({})).stderr, /Access denied without user token/);
});

test('a YDB_USER login against an emulator without users says it has none, and how to give it one', async (t) => {
  const emulator = await startEmulator();
  t.after(() => emulator.stop());
  const cwd = await tempTree(FILES);
  const res = await runCli(['status'], { cwd, env: { HOME: cwd, YDB_CONNECTION_STRING: emulator.connectionString, YDB_USER: 'root', YDB_PASSWORD: 'x' } });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /refused the login made as the user 'root' from YDB_USER\+YDB_PASSWORD: Invalid user: this test emulator has no users; log in anonymously, or start it with --user and --password \(make emulator EMULATOR_USER=U EMULATOR_PASSWORD=P\)/);
  const make = makeEmulator(t, ['EMULATOR_PORT=0']);
  await eventually(() => /Ctrl-C stops it/.test(make.output()), 'the emulator is up', 60_000);
  assert.match(make.output(), /### it has no users: log in anonymously \(no YDB_USER or YDB_TOKEN\); for one, make emulator EMULATOR_USER=U EMULATOR_PASSWORD=P/);
});

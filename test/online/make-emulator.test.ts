import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { cleanEnv } from '../helpers/cli.js';
import { eventually, exampleProject, runCli } from './harness.js';

test('make emulator runs the test emulator in the foreground, says it is not a real YDB, and prints the export line that works', async (t) => {
  const make = spawn('make', ['-s', '--no-print-directory', 'emulator', 'EMULATOR_PORT=0'], { cwd: PACKAGE_ROOT, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    try {
      process.kill(-make.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  });
  let out = '';
  make.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  await eventually(() => /export YDB_CONNECTION_STRING=\S+/.test(out), 'the export line is printed', 60_000);
  assert.match(out, /TEST EMULATOR: an in-memory stand-in .*NOT a real YDB/);
  const url = /export YDB_CONNECTION_STRING=(\S+)/.exec(out)![1]!;
  assert.match(url, /^grpc:\/\/127\.0\.0\.1:\d+\/local$/);
  const status = await runCli(['status'], { cwd: await exampleProject(), env: { YDB_CONNECTION_STRING: url } });
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /pending +0001_create_series/);
});

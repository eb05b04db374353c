/** The emulator as a separate process, as `make` targets and other languages' tests would start it. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { connect, query } from './support.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

function start(args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, stderr: () => stderr };
}

test('prints its connection string first, serves the sdk, and exits cleanly on SIGTERM', async () => {
  const { child, exited } = start(['--port', '0', '--database', '/db1']);
  const [firstLine] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  assert.match(firstLine, /^grpc:\/\/127\.0\.0\.1:\d+\/db1$/);
  const driver = await connect({ connectionString: firstLine });
  try {
    assert.deepEqual(await query(driver, 'SELECT 1 AS one;'), [{ one: 1 }]);
  } finally {
    await driver.destroy();
  }
  child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
});

test('--ydb-version and --enable-add-unique-index choose the YDB server it plays', async () => {
  const { child, exited } = start(['--ydb-version', '26.1', '--enable-add-unique-index']);
  const [firstLine] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const driver = await connect({ connectionString: firstLine });
  try {
    await query(driver, 'CREATE TABLE p (id Uint64, v Utf8, PRIMARY KEY (id));');
    await query(driver, 'ALTER TABLE p ADD COLUMN d Utf8 DEFAULT "x"u;');
    await query(driver, 'ALTER TABLE p ADD INDEX by_v GLOBAL UNIQUE ON (v);');
  } finally {
    await driver.destroy();
  }
  child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
});

test('a bad option is refused with usage and exit code 2', async () => {
  for (const args of [['--port', 'twelve'], ['--bogus'], ['--ydb-version', 'latest'], ['--yql-parser', 'antlr5']]) {
    const { exited, stderr } = start(args);
    assert.deepEqual(await exited, [2, null], `args ${args.join(' ')}`);
    assert.match(stderr(), /usage: main\.js/);
  }
});

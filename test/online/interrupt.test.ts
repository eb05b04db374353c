import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, historyOf, NEEDS_EMULATOR, readTable, setUp, startCli, type TestDatabase } from './harness.js';

function threeTables(t: string): Record<string, string> {
  const files: Record<string, string> = { 'sql/manifest.txt': '0001_a\n0002_b\n0003_c\n' };
  for (const x of ['a', 'b', 'c']) {
    const name = `000${'abc'.indexOf(x) + 1}_${x}`;
    files[`sql/${name}.up.yql`] = `CREATE TABLE ${t}_${x} (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;
    files[`sql/${name}.down.yql`] = `DROP TABLE ${t}_${x};\n`;
  }
  return files;
}

/** Starts `up` with 0002_b's CREATE TABLE held back by the emulator, and sends `signals` once that request is in flight. */
async function interruptUp(db: TestDatabase, cwd: string, table: string, p: string, signals: NodeJS.Signals[]) {
  const slow = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), delayMs: 1500 });
  const { child, done } = startCli(['up', '--table', table], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
  let stderr = '';
  child.stderr!.on('data', (d: string) => (stderr += d));
  await eventually(() => slow.fired > 0, 'the slow request is sent');
  for (const [i, signal] of signals.entries()) {
    child.kill(signal);
    // Signals sent back to back may reach the process as one.
    await eventually(() => stderr.split('[INTERRUPTING]').length > i + 1 || child.exitCode !== null, 'the signal is seen');
  }
  return done;
}

test('Ctrl-C during up: the request in progress finishes, the run stops before the next, records it, releases the lock, exits 130', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeTables);
  const run = await interruptUp(db, cwd, table, p, ['SIGINT']);
  assert.equal(run.status, 130, run.stderr);
  assert.match(run.stderr, /SIGINT: stopping after the request in progress/);
  assert.match(run.stderr, /interrupted by SIGINT: stopped before the next request .* released the lock \[INTERRUPTED\]/);
  assert.match(run.stdout, /up +applied +0002_b/);
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_a', 'applied'], ['0002_b', 'applied']]);
  assert.deepEqual(await readTable(db, `${table}_lock`), [], 'the lock is released');
  assert.equal(await readTable(db, `${p}_c`), null, 'nothing after the interruption ran');
});

test('SIGTERM exits 143 the same way; a second signal exits at once', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeTables);
  const term = await interruptUp(db, cwd, table, p, ['SIGTERM']);
  assert.equal(term.status, 143, term.stderr);
  assert.deepEqual(await readTable(db, `${table}_lock`), []);

  const second = await setUp(t, threeTables);
  const twice = await interruptUp(second.db, second.cwd, second.table, second.p, ['SIGINT', 'SIGINT']);
  assert.equal(twice.status, 130, twice.stderr);
  assert.match(twice.stderr, /stopped at once: the request in progress was cut off/);
  assert.doesNotMatch(twice.stdout, /0002_b/, 'it did not wait for the request in progress');
});

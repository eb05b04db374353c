import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Migrator } from '../../lib/migrator.js';
import { historyTableDdl } from '../../lib/online/history-table.js';
import { lockTableDdl } from '../../lib/online/lock-table.js';
import { eventually, historyOf, NEEDS_EMULATOR, readTable, runQuery, setUp, startCli, type TestDatabase } from './harness.js';

/** 0001_a and 0003_c create a table each; 0002_b creates two, in two requests. */
function threeMigrations(t: string): Record<string, string> {
  return {
    'sql/manifest.txt': '0001_a\n0002_b\n0003_c\n',
    'sql/0001_a.up.yql': `CREATE TABLE ${t}_a (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0001_a.down.yql': `DROP TABLE ${t}_a;\n`,
    'sql/0002_b.up.yql': `CREATE TABLE ${t}_b1 (id Uint64 NOT NULL, PRIMARY KEY (id));\nCREATE TABLE ${t}_b2 (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0002_b.down.yql': `DROP TABLE ${t}_b2;\nDROP TABLE ${t}_b1;\n`,
    'sql/0003_c.up.yql': `CREATE TABLE ${t}_c (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0003_c.down.yql': `DROP TABLE ${t}_c;\n`,
  };
}

/**
 * Starts `up` with 0002_b's first CREATE TABLE held by the emulator, sends
 * `signals` once that request is in flight (each after the run has told the
 * one before), then lets the request go on.
 */
async function interruptUp(db: TestDatabase, cwd: string, table: string, p: string, signals: NodeJS.Signals[]) {
  let release!: () => void;
  const held = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b1`), holdUntil: new Promise<void>((resolve) => (release = resolve)) });
  const { child, done } = startCli(['up', '--table', table], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
  let stderr = '';
  child.stderr!.on('data', (d: string) => (stderr += d));
  await eventually(() => held.fired > 0, 'the held request is sent');
  for (const [i, signal] of signals.entries()) {
    child.kill(signal);
    await eventually(() => stderr.split('[INTERRUPTING]').length > i + 1, `signal ${i + 1} is told`);
  }
  release();
  return done;
}

async function settled(db: TestDatabase, table: string, p: string) {
  const exists = async (t: string) => (await readTable(db, `${p}_${t}`)) !== null;
  return {
    history: (await readTable(db, table, '`position`'))!.map((r) => [r.name, r.state, r.requests_done]),
    lock: await readTable(db, `${table}_lock`),
    tables: Object.fromEntries(await Promise.all(['a', 'b1', 'b2', 'c'].map(async (t) => [t, await exists(t)] as const))),
  };
}

test('Ctrl-C inside a migration of two requests: it finishes, the next does not start, the lock is released, exit 130', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeMigrations);
  const run = await interruptUp(db, cwd, table, p, ['SIGINT']);
  assert.equal(run.status, 130, run.stderr);
  assert.match(run.stderr, /SIGINT: finishing 0002_b \(request 1 of 2 running, 1 more after it\), then stopping before the next migration and releasing the lock; Ctrl-C again to stop after the current request \[INTERRUPTING\]/);
  assert.match(run.stderr, /interrupted by SIGINT: stopped before the next migration \(none was left part-way\), recorded where the run is, and released the lock \[INTERRUPTED\]/);
  assert.match(run.stdout, /up +applied +0002_b/);
  const after = await settled(db, table, p);
  assert.deepEqual(after.history, [['0001_a', 'applied', null], ['0002_b', 'applied', null]]);
  assert.deepEqual(after.lock, [], 'the lock is released');
  assert.deepEqual(after.tables, { a: true, b1: true, b2: true, c: false }, 'all of 0002_b ran, nothing of 0003_c');
});

test('Ctrl-C twice: the run stops after the request in progress and records 0002_b failed after 1 of 2 requests, exit 130', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeMigrations);
  const run = await interruptUp(db, cwd, table, p, ['SIGINT', 'SIGINT']);
  assert.equal(run.status, 130, run.stderr);
  assert.match(run.stderr, /SIGINT again: stopping after the current request of 0002_b \(request 1 of 2\), recording how many of its requests ran, then releasing the lock; Ctrl-C a third time exits at once, leaving the lock until its lease expires \[INTERRUPTING\]/);
  assert.match(run.stderr, /interrupted by SIGINT: stopped after the request in progress, recorded where the run is, and released the lock \[INTERRUPTED\]/);
  assert.match(run.stderr, /0002_b is recorded 'failed' after 1 of 2 requests ran/);
  assert.match(run.stdout, /up +FAILED +0002_b/);
  const after = await settled(db, table, p);
  assert.deepEqual(after.history, [['0001_a', 'applied', null], ['0002_b', 'failed', 1]]);
  assert.deepEqual(after.lock, [], 'the lock is released');
  assert.deepEqual(after.tables, { a: true, b1: true, b2: false, c: false }, 'the request in flight finished, no other ran');
});

test('SIGTERM stops the same way and exits 143', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeMigrations);
  const run = await interruptUp(db, cwd, table, p, ['SIGTERM']);
  assert.equal(run.status, 143, run.stderr);
  assert.match(run.stderr, /SIGTERM: finishing 0002_b .*; SIGTERM again to stop after the current request/);
  const after = await settled(db, table, p);
  assert.deepEqual(after.history.map(([name, state]) => [name, state]), [['0001_a', 'applied'], ['0002_b', 'applied']]);
  assert.deepEqual(after.lock, []);
});

test('a third Ctrl-C exits at once, without waiting for the request in progress', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeMigrations);
  let release!: () => void;
  const held = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b1`), holdUntil: new Promise<void>((resolve) => (release = resolve)) });
  t.after(() => release());
  const { child, done } = startCli(['up', '--table', table], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
  let stderr = '';
  child.stderr!.on('data', (d: string) => (stderr += d));
  await eventually(() => held.fired > 0, 'the held request is sent');
  for (const told of [/SIGINT: finishing/, /SIGINT again/]) {
    child.kill('SIGINT');
    await eventually(() => told.test(stderr), `${told} is told`);
  }
  child.kill('SIGINT');
  const run = await done; // the request is still held: only an exit at once ends the run
  assert.equal(run.status, 130, run.stderr);
  assert.match(run.stderr, /stopped at once: the request in progress was cut off; the lock stays until its lease expires/);
  assert.doesNotMatch(run.stdout, /0002_b/);
});

test('Ctrl-C while up waits for another runner\'s lock ends the wait at once: nothing runs, the other lock stays, exit 130', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeMigrations);
  await runQuery(db, 'scheme', `${historyTableDdl(table)}\n${lockTableDdl(table)}`);
  await runQuery(db, 'transaction', `UPSERT INTO \`${table}_lock\` (id, owner, host, pid, acquired_at, expires_at) VALUES ('migrate'u, 'other-run'u, 'other-host'u, 4242u, CurrentUtcTimestamp(), CurrentUtcTimestamp() + Interval('PT1H'));`);
  // A lock timeout far beyond the test's own: only the signal can end this wait.
  const { child, done } = startCli(['up', '--table', table, '--lock-timeout', '3600'], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
  let stderr = '';
  child.stderr!.on('data', (d: string) => (stderr += d));
  await eventually(() => /waiting for the migration lock, held by pid 4242 on other-host/.test(stderr), 'up waits for the lock');
  child.kill('SIGINT');
  const run = await done;
  assert.equal(run.status, 130, run.stderr);
  assert.match(run.stderr, /SIGINT: no longer waiting for the migration lock; stopping, nothing ran \[INTERRUPTING\]/);
  assert.match(run.stderr, /interrupted by SIGINT while waiting for the migration lock: nothing ran and nothing was written \[INTERRUPTED\]/);
  assert.deepEqual((await readTable(db, `${table}_lock`))!.map((r) => r.owner), ['other-run'], "the other runner's lock is untouched");
  assert.deepEqual(await historyOf(db, table), []);
  assert.equal(await readTable(db, `${p}_a`), null);
});

test('the typed API: `signal` stops between migrations, `stopNow` after the request in progress', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, threeMigrations);
  const migrator = new Migrator({ dir: join(cwd, 'sql'), connectionString: db.connectionString, table, env: {} });
  const before = await migrator.up('head', { signal: AbortSignal.abort('the deploy was cancelled') });
  assert.equal(before.error?.code, 'INTERRUPTED');
  assert.match(before.error!.message, /^interrupted by the deploy was cancelled: stopped before the next migration/);
  assert.deepEqual(before.results, []);

  let release!: () => void;
  const held = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b1`), holdUntil: new Promise<void>((resolve) => (release = resolve)) });
  const stopNow = new AbortController();
  const running = migrator.up('head', { stopNow: stopNow.signal });
  await eventually(() => held.fired > 0, 'the held request is sent');
  stopNow.abort('a test');
  release();
  const result = await running;
  assert.equal(result.error?.code, 'INTERRUPTED');
  assert.deepEqual(result.results.map((r) => [r.name, r.status, r.progress]), [['0001_a', 'applied', undefined], ['0002_b', 'failed', { ran: 1, of: 2 }]]);
  assert.deepEqual((await settled(db, table, p)).history, [['0001_a', 'applied', null], ['0002_b', 'failed', 1]]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, eventually, historyOf, NEEDS_EMULATOR, readTable, setUp, startCli, tempTree, unique, type TestDatabase } from './harness.js';

/** Three migrations; the second creates a table, then fails in its DML block on line 4. */
function failingSet(t: string): Record<string, string> {
  return {
    'sql/manifest.txt': '0001_first\n0002_breaks\n0003_after\n',
    'sql/0001_first.up.yql': `CREATE TABLE ${t}_a (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0001_first.down.yql': `DROP TABLE ${t}_a;\n`,
    'sql/0002_breaks.up.yql':
      `CREATE TABLE ${t}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n\n` +
      `UPSERT INTO ${t}_b (id) VALUES (1);\n` +
      `UPSERT INTO ${t}_missing (id) VALUES (2);\n`,
    'sql/0002_breaks.down.yql': `DROP TABLE ${t}_b;\n`,
    'sql/0003_after.up.yql': `CREATE TABLE ${t}_c (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
  };
}

test('a failure in the middle of a migration: stops the run, names file:line:col, leaves the migration failed', async (t) => {
  const { db, p, cwd, table } = await setUp(t, failingSet);

  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /up +applied +0001_first/);
  assert.match(run.stdout, /up +FAILED +0002_breaks/);
  assert.doesNotMatch(run.stdout, /0003_after/, 'nothing after the failure runs');
  const missingAt = `sql/0002_breaks.up.yql:4:13: migration 0002_breaks failed: SCHEME_ERROR: Cannot find table`;
  assert.ok(run.stderr.includes(missingAt), `expected "${missingAt}" in:\n${run.stderr}`);
  assert.match(run.stderr, /0002_breaks is recorded 'failed' after 1 of 2 requests ran \(applying it, by [^)]+\); from sql\/0002_breaks\.up\.yql:3 on, nothing ran \(YDB refused that request\)\n/);
  assert.match(run.stderr, /1\. if the request it stopped at failed, fix it in sql\/0002_breaks\.up\.yql .*then `ydb-migrate up --resume`/);
  assert.match(run.stderr, /2\. or check the database yourself .*`ydb-migrate resolve 0002_breaks --applied` if all of its changes took effect, `ydb-migrate resolve 0002_breaks --reverted` if none did/);

  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_first', 'applied'], ['0002_breaks', 'failed']]);
  const rows = (await readTable(db, table, '`position`'))!;
  assert.deepEqual(rows.map((r) => r.requests_done), [null, 1], 'the failed row records how many of its requests completed');
  assert.deepEqual(await readTable(db, `${p}_b`), [], 'its DDL block stays applied (DDL is not transactional), its DML rolled back');
  assert.equal(await readTable(db, `${p}_c`), null);

  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.match(status.stdout, /^ {2}failed +0002_breaks +1 of 2 requests ran +\d{4}-/m, 'one word per state, and how far it got');
  assert.match(status.stdout, /^0002_breaks: failed, 1 of 2 requests ran: fix and `ydb-migrate up --resume`, or `ydb-migrate resolve 0002_breaks --applied\|--reverted`$/m);
  assert.match(status.stdout, /^ {2}2\. or check the database yourself .*`ydb-migrate resolve 0002_breaks --reverted` if none did$/m, 'status names the commands too');

  for (const flags of [[], ['--allow-drift'], ['--allow-drift', '--allow-out-of-order']]) {
    const refused = await cli(db, cwd, ['up', '--table', table, ...flags]);
    assert.equal(refused.status, 1, `up ${flags.join(' ')}`);
    assert.match(refused.stderr, /up refused: the history holds 0002_breaks, which a run did not finish; nothing was run \[MIGRATION_UNFINISHED\]/);
    assert.match(refused.stderr, /0002_breaks is recorded 'failed' after 1 of 2 requests ran \(applying it, by [^)]+, at \d{4}-[^)]+\)\n/);
  }
  assert.deepEqual((await readTable(db, table, '`position`'))!.map((r) => [r.name, r.state, r.requests_done]), [['0001_first', 'applied', null], ['0002_breaks', 'failed', 1]], '--allow-drift neither ran nor rewrote the failed row');

  // The user fixes the file, undoes what the failed run left, and tells ydb-migrate so.
  await writeFile(join(cwd, 'sql/0002_breaks.up.yql'), `CREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO ${p}_b (id) VALUES (1);\n`);
  const down = await cli(db, cwd, ['down', '--table', table, '--dry-run']);
  assert.equal(down.status, 1, 'down does not revert what a half-applied migration may stand on');
  assert.match(down.stderr, /down refused: the history holds 0002_breaks, which a run did not finish; nothing was run \[MIGRATION_UNFINISHED\]/);
  await dropTable(db, `${p}_b`);
  const resolved = await cli(db, cwd, ['resolve', '0002_breaks', '--reverted', '--table', table]);
  assert.equal(resolved.status, 0, resolved.stderr);
  assert.match(resolved.stdout, /resolve: 1 resolved/);
  const rerun = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.deepEqual((await historyOf(db, table)).map((r) => r.state), ['applied', 'applied', 'applied']);
  assert.deepEqual(await readTable(db, `${p}_b`), [{ id: 1n }]);
});

test('a migration whose first request YDB refuses stays pending: nothing of it ran, so fixing the file and running up again just works', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (t) => ({
    ...failingSet(t),
    'sql/0002_breaks.up.yql': `CREATE TABLE ${t}_b (id Uint64 NOT NULL, v Strin, PRIMARY KEY (id));\n\nUPSERT INTO ${t}_b (id) VALUES (1);\n`,
  }));
  // --no-lint: lint would refuse the unknown type before YDB does; this is YDB's own refusal.
  const run = await cli(db, cwd, ['up', '--no-lint', '--table', table]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /sql\/0002_breaks\.up\.yql:1:\d+: migration 0002_breaks failed: /);
  assert.match(run.stderr, /nothing of 0002_breaks ran \(YDB refused its first request\), so it is still pending: fix sql\/0002_breaks\.up\.yql and run `ydb-migrate up` again/);
  assert.doesNotMatch(run.stderr, /resolve/);
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_first', 'applied']]);
  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.match(status.stdout, /pending +0002_breaks/);
  assert.doesNotMatch(status.stdout, /drift/);

  await writeFile(join(cwd, 'sql/0002_breaks.up.yql'), `CREATE TABLE ${p}_b (id Uint64 NOT NULL, v String, PRIMARY KEY (id));\n\nUPSERT INTO ${p}_b (id) VALUES (1);\n`);
  const rerun = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.deepEqual((await historyOf(db, table)).map((r) => r.state), ['applied', 'applied', 'applied']);
});

/** Drops a table with a one-off migration set, the way a user would fix things by hand. */
async function dropTable(db: TestDatabase, table: string): Promise<void> {
  const fix = await tempTree({ 'sql/manifest.txt': '0001_drop\n', 'sql/0001_drop.up.yql': `DROP TABLE ${table};\n` });
  const res = await cli(db, fix, ['up', '--table', unique('scratch')]);
  assert.equal(res.status, 0, res.stderr);
}

test('resolve --applied keeps the row; resolve refuses rows that are not failed and names it does not know', async (t) => {
  const { db, cwd, table } = await setUp(t, failingSet);
  await cli(db, cwd, ['up', '--table', table]);

  const notFailed = await cli(db, cwd, ['resolve', '0001_first', '--applied', '--table', table]);
  assert.equal(notFailed.status, 2);
  assert.match(notFailed.stderr, /'0001_first' is applied, not failed; there is nothing to resolve \[RESOLVE_NOT_FAILED\]/);
  const unknown = await cli(db, cwd, ['resolve', '0009_nope', '--applied', '--table', table]);
  assert.match(unknown.stderr, /no row for '0009_nope'/);
  const both = await cli(db, cwd, ['resolve', '0002_breaks', '--applied', '--reverted', '--table', table]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /exactly one of --applied or --reverted/);

  const applied = await cli(db, cwd, ['resolve', '0002_breaks', '--applied', '--table', table]);
  assert.equal(applied.status, 0, applied.stderr);
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_first', 'applied'], ['0002_breaks', 'applied']]);
  const status = await cli(db, cwd, ['status', '--table', table, '--json']);
  const report = JSON.parse(status.stdout) as { current: string; entries: { name: string; state: string }[] };
  assert.equal(report.current, '0002_breaks');
  assert.deepEqual(report.entries.map((e) => e.state), ['applied', 'applied', 'pending']);
});

test('a migration made only of DML is one transaction with its history row: a failure leaves neither data nor row', async (t) => {
  const { db, p, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_table\n0002_rows\n',
    'sql/0001_table.up.yql': `CREATE TABLE ${p}_t (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0002_rows.up.yql': `UPSERT INTO ${p}_t (id) VALUES (1);\nINSERT INTO ${p}_t (id) VALUES (1);\n`,
  }));
  const run = await cli(db, cwd, ['up']);
  assert.equal(run.status, 1);
  // A constraint violation has no position in YDB's issues: the block's start is reported.
  assert.match(run.stderr, /sql\/0002_rows\.up\.yql:1:1: migration 0002_rows failed: PRECONDITION_FAILED: .*Conflict with existing key/);
  assert.deepEqual(await readTable(db, `${p}_t`), [], 'the UPSERT before the failing INSERT was rolled back');
  assert.deepEqual((await historyOf(db)).map((r) => r.name), ['0001_table'], 'and no row records it: it is simply pending');
});

test('positions map back through the DECLARE line a block borrows, and the column of a block that starts mid-line', async (t) => {
  const { db, p, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_pos\n',
    'sql/0001_pos.up.yql':
      'DECLARE $n AS Uint64;\n' +
      `CREATE TABLE ${p}_t (id Uint64 NOT NULL, PRIMARY KEY (id)); UPSERT INTO ${p}_nope (id) VALUES ($n);\n`,
  }));
  const run = await cli(db, cwd, ['up', '--param', 'n=5']);
  assert.equal(run.status, 1);
  const column = `CREATE TABLE ${p}_t (id Uint64 NOT NULL, PRIMARY KEY (id)); UPSERT INTO `.length + 1;
  assert.match(run.stderr, new RegExp(`sql/0001_pos\\.up\\.yql:2:${column}: migration 0001_pos failed: SCHEME_ERROR`));
});

test('a run killed halfway leaves its migration "applying" and its lock; unlock --force and status show it', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd } = await setUp(t, failingSet);
  db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), delayMs: 4000 }); // long enough to kill the run inside it; the emulator cannot cut a delay short on stop
  const running = startCli(['up'], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
  await eventually(() => db.emulator!.engine.readTable('ydb_migrate_history').some((r) => r.name === '0002_breaks'), "0002_breaks's row is written");
  running.child.kill('SIGKILL');
  await running.done;

  assert.deepEqual((await historyOf(db)).map((r) => [r.name, r.state]), [['0001_first', 'applied'], ['0002_breaks', 'applying']]);
  const blocked = await cli(db, cwd, ['up', '--lock-timeout', '0']);
  assert.equal(blocked.status, 1);
  assert.match(blocked.stderr, new RegExp(`the migration lock is held by pid ${running.child.pid} on .*unlock --force.*\\[LOCK_TIMEOUT\\]`));
  const refused = await cli(db, cwd, ['unlock']);
  assert.equal(refused.status, 2);
  const unlocked = await cli(db, cwd, ['unlock', '--force']);
  assert.equal(unlocked.status, 0, unlocked.stderr);
  assert.match(unlocked.stdout, new RegExp(`removed the migration lock held by pid ${running.child.pid}`));
  const status = await cli(db, cwd, ['status']);
  assert.match(status.stdout, /^ {2}failed +0002_breaks +\d{4}-/m);
  assert.match(status.stdout, /0002_breaks is recorded 'applying' with no record of how far it got \(no run recorded its end: it stopped, or is still running\)/);
  assert.doesNotMatch(status.stdout, /locked by/);
});

test('a dropped connection fails the migration it cut short, and the run still records that and releases the lock', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd } = await setUp(t, failingSet);
  db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), dropConnection: true });
  const run = await cli(db, cwd, ['up']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /sql\/0002_breaks\.up\.yql:1:1: migration 0002_breaks failed: TRANSPORT_UNAVAILABLE: .*Connection dropped/);
  assert.deepEqual((await historyOf(db)).map((r) => [r.name, r.state]), [['0001_first', 'applied'], ['0002_breaks', 'failed']]);
  assert.deepEqual(db.emulator!.engine.readTable('ydb_migrate_history_lock'), []);
});

test('YDB answering ABORTED without end: the run gives up after 10 attempts instead of retrying forever', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd } = await setUp(t, failingSet);
  const fault = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_a`), status: 'ABORTED', times: 1000 });
  const run = await cli(db, cwd, ['up']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /migration 0001_first failed: ABORTED \(still failing after 10 attempts\): Fault injected/);
  assert.equal(fault.fired, 10);
});

test("a failing bookkeeping request names what was being done: taking the lock, writing a migration's history row", { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, failingSet);
  const lockFault = db.emulator!.faults.add({ method: 'ExecuteQuery', match: /INSERT INTO `[^`]*_lock`/, status: 'BAD_REQUEST', message: 'refused for the test' });
  const lock = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(lock.status, 1);
  assert.match(lock.stderr, /error: taking the lock failed: BAD_REQUEST: refused for the test/);
  assert.equal(lockFault.fired, 1, 'a status that is not transient fails at once');
  lockFault.remove();
  db.emulator!.faults.add({ method: 'ExecuteQuery', match: /UPSERT INTO `[^`]*_history`/, status: 'BAD_REQUEST', message: 'refused for the test' });
  const marker = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(marker.status, 1);
  assert.match(marker.stderr, /error: writing the history row of 0001_first failed: BAD_REQUEST: refused for the test/);
});

test('retries only where repeating is safe: bookkeeping survives UNAVAILABLE and a dropped connection; a migration request is not repeated', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, failingSet);
  const faults = db.emulator!.faults;
  const lock = faults.add({ method: 'ExecuteQuery', match: /INSERT INTO `[^`]*_lock`/, status: 'UNAVAILABLE', times: 2 });
  const marker = faults.add({ method: 'ExecuteQuery', match: /UPSERT INTO `[^`]*_history`/, dropConnection: true });
  const first = await cli(db, cwd, ['up', '0001_first', '--table', table]);
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual([lock.fired, marker.fired], [2, 1]);

  const block = faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), status: 'UNAVAILABLE' });
  const second = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(second.status, 1);
  assert.equal(block.fired, 1, 'a migration request whose outcome is unknown is never sent again');
  assert.match(second.stderr, /migration 0002_breaks failed: UNAVAILABLE: .*\n.*whether YDB ran this request is unknown; it was not sent again/);
});

test('a persistent OVERLOADED gives up within the retry time (YDB_MIGRATE_RETRY_SECONDS)', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, failingSet);
  const fault = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_a`), status: 'OVERLOADED', times: 1000 });
  const run = await cli(db, cwd, ['up', '--table', table], { YDB_MIGRATE_RETRY_SECONDS: '0.2' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /migration 0001_first failed: OVERLOADED \(still failing after \d attempts\)/);
  assert.ok(fault.fired > 1 && fault.fired < 10, `${fault.fired} attempts`);
});

test('a request too large for gRPC fails at once with its size and what to do', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, () => ({
    'sql/manifest.txt': '0001_big\n',
    'sql/0001_big.up.yql': `SELECT '${'x'.repeat(5 * 1024 * 1024)}';\n`,
  }));
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /migration 0001_big failed: CLIENT_RESOURCE_EXHAUSTED: .*\n.*the request was 524\d{4} bytes of text plus its parameters, more than gRPC lets through/);
  assert.doesNotMatch(run.stderr, /attempts/);
});

test('--statement-timeout bounds a migration request that YDB does not answer', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, failingSet);
  const slow = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), delayMs: 5000 });
  const run = await cli(db, cwd, ['up', '--statement-timeout', '0.5', '--table', table]);
  assert.equal(run.status, 1, run.stderr);
  assert.equal(slow.fired, 1);
  assert.match(run.stderr, /migration 0002_breaks failed: /);
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_first', 'applied'], ['0002_breaks', 'failed']]);
  const bad = await cli(db, cwd, ['up', '--statement-timeout', '0', '--table', table]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--statement-timeout must be a number of seconds above 0; got 0/);
});

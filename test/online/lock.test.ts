import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../lib/errors.js';
import { connect, type Connection } from '../../lib/ydb/driver.js';
import { QueryBuilder, runRequest } from '../../lib/ydb/execute.js';
import { createTablesRequest, ydbHistoryStore } from '../../lib/online/ydb-history-store.js';
import { cli, eventually, exampleProject, historyOf, readTable, startCli, startDatabase, tempTree, unique, untilOutput, type TestDatabase } from './harness.js';

async function withConnection<T>(db: TestDatabase, work: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await connect({ connectionString: db.connectionString, connectTimeoutSeconds: 5, env: {} });
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

/** Another runner's lease row, `expiresIn` from now by YDB's clock (negative: already expired). */
async function plantLock(db: TestDatabase, table: string, expiresIn: string, negative = false): Promise<void> {
  await withConnection(db, async (c) => {
    await runRequest(c, createTablesRequest(table));
    const text =
      `UPSERT INTO \`${table}_lock\` (id, owner, host, pid, acquired_at, expires_at) ` +
      `VALUES ('migrate'u, 'ghost-run'u, 'ghost-host'u, 4242u, CurrentUtcTimestamp(), CurrentUtcTimestamp() ${negative ? '-' : '+'} Interval('${expiresIn}'));`;
    await runRequest(c, { kind: 'transaction', queries: [{ text, bindings: [], source: null }] });
  });
}

test('eight processes run up at once: each migration is applied exactly once, and all exit 0', async (t) => {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  const cwd = await exampleProject();
  const runs = await Promise.all(Array.from({ length: 8 }, () => cli(db, cwd, ['up'])));
  for (const run of runs) assert.equal(run.status, 0, run.stderr);
  const appliers = runs.filter((r) => /up: 5 applied/.test(r.stdout));
  assert.equal(appliers.length, 1, 'one runner applied everything');
  assert.equal(runs.filter((r) => /up: nothing to do; the database is at 0005_app_settings_and_seed/.test(r.stdout)).length, 7, 'the others found nothing left to do');
  // Whether any runner had to wait depends on how the eight starts interleave; the message a waiting
  // runner prints is asserted deterministically in 'a live lease makes a runner wait' below.
  assert.deepEqual((await historyOf(db)).map((r) => r.position), [1, 2, 3, 4, 5]);
  assert.equal((await readTable(db, 'app_settings'))?.length, 2);
  if (db.emulator) assert.equal(db.emulator.log.filter((e) => /CREATE TABLE series/.test(e.query ?? '')).length, 1, 'the DDL was sent once');
});

test('an expired lease is taken over, and the run says whose it was', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const table = unique('h');
  const p = unique('x');
  const cwd = await tempTree({ 'sql/manifest.txt': '0001_a\n', 'sql/0001_a.up.yql': `CREATE TABLE ${p} (id Uint64 NOT NULL, PRIMARY KEY (id));\n` });
  await plantLock(db, table, 'PT1M', true);
  const run = await cli(db, cwd, ['up', '--table', table, '--lock-timeout', '5']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /warning: took over the migration lock: its lease had expired \(it was held by pid 4242 on ghost-host \(run ghost-run\)/);
  assert.deepEqual((await historyOf(db, table)).map((r) => r.name), ['0001_a']);
  assert.equal(await withConnection(db, (c) => ydbHistoryStore(c, table).holder()), null, 'and released it at the end');
});

test('a live lease makes a runner wait, naming the holder, until --lock-timeout; a released one lets it through', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const table = unique('h');
  const cwd = await tempTree({ 'sql/manifest.txt': '0001_a\n', 'sql/0001_a.up.yql': 'SELECT 1;\n' });
  await plantLock(db, table, 'PT10M');

  const started = Date.now();
  const timedOut = await cli(db, cwd, ['up', '--table', table, '--lock-timeout', '1']);
  assert.equal(timedOut.status, 1);
  assert.ok(Date.now() - started < 15_000);
  assert.match(timedOut.stderr, /waiting for the migration lock, held by pid 4242 on ghost-host/);
  assert.match(timedOut.stderr, /the migration lock is held by pid 4242 on ghost-host \(run ghost-run\) since .*, lease until .*not released within 1 s.*\[LOCK_TIMEOUT\]/);
  const json = await cli(db, cwd, ['up', '--table', table, '--lock-timeout', '0', '--json']);
  assert.equal(JSON.parse(json.stdout).error.code, 'LOCK_TIMEOUT');

  const waiting = startCli(['up', '--table', table, '--lock-timeout', '30'], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
  await untilOutput(waiting.child.stderr!, /waiting for the migration lock, held by pid 4242 on ghost-host/);
  await withConnection(db, (c) => runRequest(c, { kind: 'transaction', queries: [new QueryBuilder().add(`DELETE FROM \`${table}_lock\`;`).build()] }));
  const through = await waiting.done;
  assert.equal(through.status, 0, through.stderr);
  assert.match(through.stdout, /up: 1 applied/);

  await plantLock(db, table, 'PT10M');
  const anywhere = await tempTree();
  const unlocked = await cli(db, anywhere, ['unlock', '--force', '--table', table]);
  assert.equal(unlocked.status, 0, `unlock needs no migration files: ${unlocked.stderr}`);
  assert.match(unlocked.stdout, /removed the migration lock held by pid 4242 on ghost-host/);
  const again = await cli(db, anywhere, ['unlock', '--force', '--table', table]);
  assert.match(again.stdout, /the migration lock was not held/);
});

test('the lease is renewed while a run lasts, and a run whose lease was taken over notices', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const table = unique('h');
  await withConnection(db, async (c) => {
    const owner = { owner: 'renewing-run', host: 'here', pid: 1 };
    const store = ydbHistoryStore(c, table);
    const { lease } = await store.lock({ owner, waitSeconds: 0, leaseSeconds: 0.6 });
    const first = (await store.holder())!;
    // Renewed every 0.2 s by 0.6 s from then: past 0.5 s beyond the first expiry only if it was renewed after that expiry had passed.
    await eventually(async () => (await store.holder())!.expiresAt!.getTime() > first.expiresAt!.getTime() + 500, 'the expiry moved on');
    assert.equal((await store.holder())!.owner, 'renewing-run');
    assert.equal(lease.lost(), null);

    await runRequest(c, { kind: 'transaction', queries: [new QueryBuilder().add(`UPDATE \`${table}_lock\` SET owner = 'usurper'u;`).build()] });
    // Until a renewal meets the usurper's row (a lease that merely ran out, on a loaded machine, says so otherwise).
    await eventually(() => /usurper/.test(lease.lost()?.message ?? ''), 'the run noticed');
    const lost = lease.lost()!;
    assert.ok(lost instanceof MigrateError && lost.code === 'LOCK_LOST');
    assert.match(lost.message, /the lock is now held by pid 1 on here \(run usurper\)/);
    await lease.stop();
  });
});

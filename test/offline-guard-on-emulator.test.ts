/**
 * The offline script's guard, lock and progress, run the way a DBA runs it
 * (`ydb scripting yql -f`: the Scripting service's ExecuteYql) on the
 * emulator, with the online CLI beside it on the same database.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ydbProto from 'ydb-sdk-proto';
import { loadMigrationSet } from '../lib/migration.js';
import type { OfflineRequest } from '../lib/offline/range.js';
import { renderOfflineScript } from '../lib/offline/script.js';
import { RawClient } from './emulator/conformance/support.js';
import type { Emulator } from './emulator/index.js';
import { cli, startDatabase, tempTree, type TestDatabase } from './online/harness.js';

const { Ydb } = ydbProto;
const HISTORY = 'ydb_migrate_history';

const FILES = {
  'ydb-migrate.json': '{ "dir": "sql" }',
  'sql/manifest.txt': '0001_counter\n0002_bump\n0003_more\n',
  'sql/0001_counter.up.yql': 'CREATE TABLE counter (id Uint64 NOT NULL, n Uint64, PRIMARY KEY (id));\nUPSERT INTO counter (id, n) VALUES (1, 0);\n',
  'sql/0001_counter.down.yql': 'DROP TABLE counter;\n',
  'sql/0002_bump.up.yql': 'UPDATE counter SET n = n + 1 WHERE id = 1;\nCREATE TABLE blocker (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  'sql/0002_bump.down.yql': 'DROP TABLE blocker;\nUPDATE counter SET n = n - 1 WHERE id = 1;\n',
  'sql/0003_more.up.yql': 'CREATE TABLE more (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  'sql/0003_more.down.yql': 'DROP TABLE more;\n',
};

interface Setting {
  db: TestDatabase;
  emulator: Emulator;
  cwd: string;
  script(overrides?: Partial<OfflineRequest>): Promise<string>;
  run(script: string): Promise<{ ok: boolean; issues: string }>;
}

/** The script for the project made of `files`. */
async function scriptFor(files: Record<string, string>, overrides: Partial<OfflineRequest> = {}): Promise<string> {
  return renderFrom(await tempTree(files), overrides);
}

async function renderFrom(cwd: string, overrides: Partial<OfflineRequest>): Promise<string> {
  const set = await loadMigrationSet(join(cwd, 'sql'));
  return renderOfflineScript({ set, direction: 'up', from: 'base', to: 'head', table: HISTORY, params: {}, ...overrides }).text;
}

async function setUp(t: TestContext): Promise<Setting> {
  const db = await startDatabase({ private: true });
  const client = new RawClient(db.emulator!);
  t.after(async () => {
    client.close();
    await db.stop();
  });
  const cwd = await tempTree(FILES);
  return {
    db,
    emulator: db.emulator!,
    cwd,
    script: (overrides = {}) => renderFrom(cwd, overrides),
    async run(script) {
      const response = await client.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, { script });
      const { status, issues } = response.operation!;
      return { ok: status === Ydb.StatusIds.StatusCode.SUCCESS, issues: JSON.stringify(issues) };
    },
  };
}

/** Every table and its rows: what "changes nothing" is judged by. */
function snapshot(emulator: Emulator): Record<string, unknown> {
  return Object.fromEntries(emulator.engine.listTables().sort().map((path) => [path, { scheme: emulator.engine.describeTable(path), rows: emulator.engine.readTable(path) }]));
}

function history(emulator: Emulator): { name: string; state: string }[] {
  return emulator.engine
    .readTable(HISTORY)
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((r) => ({ name: String(r.name), state: String(r.state) }));
}

function counter(emulator: Emulator): number {
  return Number(emulator.engine.readTable('counter')[0]?.n);
}

test('a script run twice changes nothing the second time, and says what it found', async (t) => {
  const s = await setUp(t);
  const script = await s.script();
  assert.equal((await s.run(script)).ok, true);
  assert.equal(counter(s.emulator), 1);
  const before = snapshot(s.emulator);
  const again = await s.run(script);
  assert.equal(again.ok, false);
  assert.match(again.issues, /found history row '0001_counter' \(state applied, sha256:[0-9a-f]{64}\), but this script starts from base, where the history holds exactly 0 applied migrations/);
  assert.match(again.issues, /Nothing was changed/);
  assert.deepEqual(snapshot(s.emulator), before);
});

test('a script for --from X on a database at another state changes nothing', async (t) => {
  const s = await setUp(t);
  const fromFirst = await s.script({ from: '0001_counter' });
  const behind = await s.run(fromFirst);
  assert.equal(behind.ok, false, 'the database is at base, not at 0001_counter');
  assert.match(behind.issues, /the history lacks some of the migrations: this script starts from 0001_counter, where the history holds exactly 1 applied migration with the checksums in its header \(0001_counter\)/);
  assert.deepEqual(Object.keys(snapshot(s.emulator)), [HISTORY, `${HISTORY}_lock`], 'only the bookkeeping tables were ensured');
  assert.deepEqual(s.emulator.engine.readTable(`${HISTORY}_lock`), [], 'the lease taken with the guard was rolled back with it');

  assert.equal((await s.run(await s.script({ to: '0001_counter' }))).ok, true);
  // The file changed after it was applied: same name, other checksum.
  const before = snapshot(s.emulator);
  const ahead = await s.run(await scriptFor({ ...FILES, 'sql/0001_counter.up.yql': `${FILES['sql/0001_counter.up.yql']}-- edited\n` }, { from: '0001_counter' }));
  assert.equal(ahead.ok, false);
  assert.match(ahead.issues, /found history row '0001_counter' \(state applied, sha256:/);
  assert.deepEqual(snapshot(s.emulator), before);
});

test('a down script refuses when the down text stored at apply time differs from the file it would run', async (t) => {
  const s = await setUp(t);
  assert.equal((await s.run(await s.script())).ok, true);
  const before = snapshot(s.emulator);
  const refused = await s.run(await scriptFor({ ...FILES, 'sql/0003_more.down.yql': 'DROP TABLE more; -- edited\n' }, { direction: 'down', from: 'head', to: '0002_bump' }));
  assert.equal(refused.ok, false);
  assert.match(refused.issues, /the down text stored in the history for '0003_more' when it was applied differs from its down file/);
  assert.deepEqual(snapshot(s.emulator), before);

  const down = await s.run(await s.script({ direction: 'down', from: 'head', to: 'base' }));
  assert.equal(down.ok, true, down.issues);
  assert.deepEqual(history(s.emulator), []);
  assert.deepEqual(s.emulator.engine.listTables().sort(), [HISTORY, `${HISTORY}_lock`]);
  assert.deepEqual(s.emulator.engine.readTable(`${HISTORY}_lock`), [], 'the last write released the lock');
});

test("a script whose part fails leaves its migration 'applying': status shows it failed, up refuses, resolve settles it, no DML runs twice", async (t) => {
  const s = await setUp(t);
  // Part 2 of 0002_bump (CREATE TABLE blocker) fails: the table is already there.
  assert.equal((await s.run('CREATE TABLE blocker (id Uint64 NOT NULL, PRIMARY KEY (id));')).ok, true);
  const failed = await s.run(await s.script());
  assert.equal(failed.ok, false);
  assert.match(failed.issues, /path exist/);
  assert.deepEqual(history(s.emulator), [{ name: '0001_counter', state: 'applied' }, { name: '0002_bump', state: 'applying' }]);
  assert.equal(counter(s.emulator), 1, "0002_bump's first part committed");

  const status = await cli(s.db, s.cwd, ['status', '--json']);
  const report = JSON.parse(status.stdout) as { entries: { name: string; state: string; recorded: string | null }[]; lock: { owner: string } | null };
  assert.deepEqual(report.entries.map((e) => [e.name, e.state, e.recorded]), [['0001_counter', 'applied', 'applied'], ['0002_bump', 'failed', 'applying'], ['0003_more', 'pending', null]]);
  assert.match(report.lock?.owner ?? '', /^offline-script-/, 'the script that died still holds its lease');

  await cli(s.db, s.cwd, ['unlock', '--force']);
  const up = await cli(s.db, s.cwd, ['up', '--lock-timeout', '0']);
  assert.notEqual(up.status, 0, 'up does not run past a failed migration');
  assert.match(up.stderr, /0002_bump is recorded 'applying' with no record of how far it got \(no run recorded its end: it stopped, or is still running\) \(by ydb-migrate offline script, /);
  assert.match(up.stderr, /1\. with sql\/0002_bump\.up\.yql as it ran \(this row does not record its requests one by one, so the file must be unchanged\), `ydb-migrate up --resume`/);
  assert.equal(counter(s.emulator), 1);

  // The DBA sees that blocker exists as 0002_bump wants it: the migration is complete.
  const resolved = await cli(s.db, s.cwd, ['resolve', '0002_bump', '--applied']);
  assert.equal(resolved.status, 0, resolved.stderr);
  const rest = await cli(s.db, s.cwd, ['up', '--lock-timeout', '0']);
  assert.equal(rest.status, 0, rest.stderr);
  assert.deepEqual(history(s.emulator).map((r) => `${r.name} ${r.state}`), ['0001_counter applied', '0002_bump applied', '0003_more applied']);
  assert.equal(counter(s.emulator), 1, 'the committed UPDATE did not run again');
});

test('a script that stopped half-way is finished by up --resume once its lock is freed; the DML part that ran does not run again', async (t) => {
  const s = await setUp(t);
  // Part 2 of 0002_bump (CREATE TABLE blocker) fails: the table is already there, as 0002_bump wants it.
  assert.equal((await s.run('CREATE TABLE blocker (id Uint64 NOT NULL, PRIMARY KEY (id));')).ok, true);
  assert.equal((await s.run(await s.script())).ok, false);
  const held = await cli(s.db, s.cwd, ['up', '--resume', '--lock-timeout', '3600']);
  assert.equal(held.status, 1, "the dead script's lock is not waited for");
  assert.match(held.stderr, /1\. once the offline script is no longer running, free its lock: `ydb-migrate unlock --force`/);
  assert.equal((await cli(s.db, s.cwd, ['unlock', '--force'])).status, 0);

  const resumed = await cli(s.db, s.cwd, ['up', '--resume']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /the history does not record how far 0002_bump got; the schema shows that request 2 \(sql\/0002_bump\.up\.yql:2\) took effect \(table blocker created: found\), so the requests up to it are taken as run/);
  assert.deepEqual(history(s.emulator).map((r) => `${r.name} ${r.state}`), ['0001_counter applied', '0002_bump applied', '0003_more applied']);
  assert.equal(counter(s.emulator), 1, 'the committed UPDATE did not run again');
});

test('a script refuses while an online runner holds the lock, naming it; an online runner refuses while a script holds it', async (t) => {
  const s = await setUp(t);
  const lease = "UPSERT INTO ydb_migrate_history_lock (id, owner, host, pid, acquired_at, expires_at) VALUES ('migrate'u, 'run-42'u, 'db-admin-host'u, 4242u, CurrentUtcTimestamp(), CurrentUtcTimestamp() + Interval('PT10M'));";
  // The tables as an online runner creates them, and its live lease.
  const script = await s.script();
  assert.equal((await s.run(script.slice(0, script.indexOf('-- ===== guard')))).ok, true);
  assert.equal((await s.run(lease)).ok, true);
  const before = snapshot(s.emulator);
  const refused = await s.run(script);
  assert.equal(refused.ok, false);
  assert.match(refused.issues, /the migration lock is held by run run-42 on db-admin-host \(pid 4242\), lease until \d{4}-\d\d-\d\dT[\d:.]+Z\. Nothing was changed/);
  assert.deepEqual(snapshot(s.emulator), before);

  // An expired lease is taken over, as online.
  assert.equal((await s.run("UPDATE ydb_migrate_history_lock SET expires_at = CurrentUtcTimestamp() - Interval('PT1S');")).ok, true);
  const failing = { ...FILES, 'sql/0003_more.up.yql': 'CREATE TABLE more (id Uint64 NOT NULL, PRIMARY KEY (id));\nCREATE TABLE counter (id Uint64 NOT NULL, PRIMARY KEY (id));\n' };
  const dies = await s.run(await scriptFor(failing));
  assert.equal(dies.ok, false, 'the script stops at its last migration, still holding its lease');
  // Its lease has an hour to run: up does not wait for it (a wait would outlast the test), it says what to do at once.
  const up = await cli(s.db, s.cwd, ['up', '--lock-timeout', '3600']);
  assert.equal(up.status, 1);
  assert.match(up.stderr, /the migration lock is held by an offline script that left a migration unfinished, so this run does not wait for the lock: the history holds 0003_more, which a run did not finish; nothing was run \[MIGRATION_UNFINISHED\]/);
  assert.match(up.stderr, /1\. once the offline script is no longer running, free its lock: `ydb-migrate unlock --force` \(held by pid 0 on ydb-migrate offline script \(run offline-script-[0-9a-f]{16}\)/);
  assert.match(up.stderr, /2\. with sql\/0003_more\.up\.yql as it ran .*`ydb-migrate up --resume`/);
  assert.match(up.stderr, /3\. or check the database yourself .*`ydb-migrate resolve 0003_more --applied`/);
  const unlock = await cli(s.db, s.cwd, ['unlock', '--force']);
  assert.equal(unlock.status, 0, unlock.stderr);
  assert.deepEqual(s.emulator.engine.readTable(`${HISTORY}_lock`), []);
});

test("a down script that stops halfway leaves the row 'applying' and the parts before it applied; resolve --reverted settles it", async (t) => {
  const s = await setUp(t);
  assert.equal((await s.run(await s.script())).ok, true);
  assert.equal(counter(s.emulator), 1);
  // 0002_bump's down drops blocker first; someone dropped it already, so that part fails.
  assert.equal((await s.run('DROP TABLE blocker;')).ok, true);
  const failed = await s.run(await s.script({ direction: 'down', from: 'head', to: '0001_counter' }));
  assert.equal(failed.ok, false);
  assert.deepEqual(history(s.emulator), [{ name: '0001_counter', state: 'applied' }, { name: '0002_bump', state: 'applying' }], '0003_more was reverted, 0002_bump was not finished');
  assert.equal(counter(s.emulator), 1, "0002_bump's UPDATE after the failed part did not run");
  await cli(s.db, s.cwd, ['unlock', '--force']);
  const resolved = await cli(s.db, s.cwd, ['resolve', '0002_bump', '--reverted']);
  assert.equal(resolved.status, 0, resolved.stderr);
  assert.deepEqual(history(s.emulator), [{ name: '0001_counter', state: 'applied' }]);
});

test('a script that loses its lease half-way stops at its next history write, saying so with the message bound at its top', async (t) => {
  const s = await setUp(t);
  // 0002_bump's first part frees the lock as `unlock --force` would, while the script runs.
  const stolen = { ...FILES, 'sql/0002_bump.up.yql': `DELETE FROM ${HISTORY}_lock;\nCREATE TABLE blocker (id Uint64 NOT NULL, PRIMARY KEY (id));\n` };
  const stopped = await s.run(await scriptFor(stolen));
  assert.equal(stopped.ok, false);
  assert.match(stopped.issues, /this script no longer holds the migration lock: it was removed \(`ydb-migrate unlock --force`\?\)/);
  assert.deepEqual(history(s.emulator), [{ name: '0001_counter', state: 'applied' }, { name: '0002_bump', state: 'applying' }], 'the write that found the lease gone did not happen');
  assert.deepEqual(s.emulator.engine.listTables().filter((name) => name === 'more'), [], 'nothing after it ran');
});

test("a script whose lock another run took over half-way stops at its next history write and leaves that run's lease as it found it", async (t) => {
  const s = await setUp(t);
  // 0002_bump's first part hands the lock to another run with a ten-minute lease, as a takeover after expiry would.
  const takeover = `UPSERT INTO ${HISTORY}_lock (id, owner, host, pid, acquired_at, expires_at) VALUES ('migrate'u, 'run-42'u, 'db-admin-host'u, 4242u, CurrentUtcTimestamp(), CurrentUtcTimestamp() + Interval('PT10M'));`;
  const taken = { ...FILES, 'sql/0002_bump.up.yql': `${takeover}\nCREATE TABLE blocker (id Uint64 NOT NULL, PRIMARY KEY (id));\n` };
  const stopped = await s.run(await scriptFor(taken));
  assert.equal(stopped.ok, false);
  assert.match(stopped.issues, /this script no longer holds the migration lock/);
  assert.deepEqual(history(s.emulator), [{ name: '0001_counter', state: 'applied' }, { name: '0002_bump', state: 'applying' }], 'neither history write of that part happened');
  const [lock] = s.emulator.engine.readTable(`${HISTORY}_lock`);
  assert.equal(lock?.owner, 'run-42');
  const leaseMinutes = ((lock?.expires_at as Date).getTime() - (lock?.acquired_at as Date).getTime()) / 60_000;
  assert.equal(leaseMinutes, 10, "the other run's lease still ends ten minutes after it took the lock: this script did not renew it");
});

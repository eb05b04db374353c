/**
 * Watch against the test emulator, through the library (Migrator.watch):
 * real files, real chokidar events, the real runner on one connection.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DEFAULT_TABLE } from '../../lib/config.js';
import { Migrator } from '../../lib/migrator.js';
import { startEmulator } from '../emulator/index.js';
import { tempTree } from '../helpers/cli.js';
import { EventLog } from './events.js';
import { table, type Spec } from './sets.js';
import { runQuery, type TestDatabase } from '../online/harness.js';

const base: Spec = { '0001_a': table('a'), '0002_b': table('b'), '0003_c': table('c') };

/** A project from `spec`, an emulator, and a watch session on them, with its events; all stopped when the test ends. */
async function watching(t: TestContext, spec: Spec = base) {
  const emulator = await startEmulator();
  const files: Record<string, string> = { 'sql/manifest.txt': `${Object.keys(spec).join('\n')}\n` };
  for (const [name, [up, down]] of Object.entries(spec)) {
    files[`sql/${name}.up.yql`] = up;
    if (down !== undefined) files[`sql/${name}.down.yql`] = down;
  }
  const dir = join(await tempTree(files), 'sql');
  const events = new EventLog();
  const session = await new Migrator({ dir, connectionString: emulator.connectionString, env: {} }).watch({ debounceMs: 50, onEvent: events.push });
  t.after(async () => {
    await session.stop();
    await emulator.stop();
  });
  await events.expect('applied');
  return {
    emulator,
    events,
    session,
    save: (file: string, text: string) => writeFile(join(dir, file), text),
    shown: (file: string) => relative(process.cwd(), join(dir, file)),
    columns: (name: string) => emulator.engine.describeTable(name)?.columns.map((c) => `${c.name} ${c.type}`) ?? null,
    history: () => emulator.engine.readTable(DEFAULT_TABLE).map((r) => ({ name: r.name, state: r.state, downText: r.down_text })),
    lock: () => emulator.engine.readTable(`${DEFAULT_TABLE}_lock`),
  };
}

test('start applies what is pending; an edited applied migration is reverted and re-applied with everything after it; the lock is free between runs', async (t) => {
  const w = await watching(t);
  assert.deepEqual(w.events.all.find((e) => e.type === 'applied'), {
    type: 'applied', trigger: 'start', files: [], reverted: [], revertMs: 0, applied: ['0001_a', '0002_b', '0003_c'],
    applyMs: (w.events.all.find((e) => e.type === 'applied') as { applyMs: number }).applyMs,
    totalMs: (w.events.all.find((e) => e.type === 'applied') as { totalMs: number }).totalMs, current: '0003_c',
  });
  assert.deepEqual(w.lock(), []);

  await w.save('0002_b.up.yql', 'CREATE TABLE b (id Uint64 NOT NULL, title Utf8, PRIMARY KEY (id));\n');
  const run = await w.events.expect('applied');
  assert.deepEqual(run.files, [w.shown('0002_b.up.yql')]);
  assert.deepEqual([run.reverted, run.applied, run.current], [['0003_c', '0002_b'], ['0002_b', '0003_c'], '0003_c']);
  assert.deepEqual(w.columns('b'), ['id Uint64', 'title Utf8?'], 'the schema shows the edit');
  assert.deepEqual(w.history().map((r) => [r.name, r.state]), [['0001_a', 'applied'], ['0002_b', 'applied'], ['0003_c', 'applied']]);
  assert.deepEqual(w.lock(), [], 'the lock is held only while applying');
});

test('an edit with an error: reported at file:line:col with YDB\'s message; the database stays at the last good state; the fix is applied', async (t) => {
  const w = await watching(t);
  await w.save('0002_b.up.yql', 'CREATE TABLE b (id Uint64 NOT NULL, title Strin, PRIMARY KEY (id));\n');
  const failed = await w.events.expect('failed');
  assert.deepEqual(failed.error.location, { file: w.shown('0002_b.up.yql'), line: 1, column: 43 });
  assert.match(failed.error.message, /migration 0002_b failed: GENERIC_ERROR: Unknown type: 'Strin'/);
  assert.deepEqual([failed.stage, failed.migration, failed.leftover, failed.undoError, failed.current], ['run', '0002_b', 'none', null, '0001_a']);
  assert.deepEqual(failed.reverted, ['0003_c', '0002_b']);
  assert.deepEqual(w.history().map((r) => r.name), ['0001_a'], 'the failing migration is not recorded at all');
  assert.equal(w.columns('b'), null);
  assert.equal(w.columns('c'), null, 'nothing after the failing migration is applied');
  assert.deepEqual(w.lock(), []);

  await w.save('0002_b.up.yql', 'CREATE TABLE b (id Uint64 NOT NULL, title Utf8, PRIMARY KEY (id));\n');
  const fixed = await w.events.expect('applied');
  assert.deepEqual([fixed.reverted, fixed.applied], [[], ['0002_b', '0003_c']]);
  assert.deepEqual(w.columns('b'), ['id Uint64', 'title Utf8?']);
});

test('a migration that fails after one of its blocks ran: that block is undone with its down text', async (t) => {
  const w = await watching(t);
  await w.save('0003_c.up.yql', 'CREATE TABLE c (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO c (id) VALUES ("not a number");\n');
  const failed = await w.events.expect('failed');
  assert.equal(failed.error.location?.line, 2);
  assert.deepEqual([failed.migration, failed.leftover, failed.undoError, failed.current], ['0003_c', 'some', null, '0002_b']);
  assert.equal(w.columns('c'), null, 'the table its DDL block made is gone again');
  assert.deepEqual(w.history().map((r) => r.name), ['0001_a', '0002_b']);

  await w.save('0003_c.up.yql', 'CREATE TABLE c (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO c (id) VALUES (7);\n');
  await w.events.expect('applied');
  assert.deepEqual(w.emulator.engine.readTable('c'), [{ id: 7n }]);
});

test('when the undo fails too, the banner has both errors and the row stays failed', async (t) => {
  const w = await watching(t);
  await w.save('0003_c.down.yql', 'DROP TABLE no_such_table;\n');
  await w.events.expect('down-saved');
  await w.save('0003_c.up.yql', 'CREATE TABLE c (id Uint64 NOT NULL, v Utf8, PRIMARY KEY (id));\nUPSERT INTO c (id, v) VALUES (1, 2);\n');
  const failed = await w.events.expect('failed');
  assert.equal(failed.leftover, 'some');
  assert.match(failed.undoError?.message ?? '', /migration 0003_c \(down\) failed: SCHEME_ERROR: Cannot find table/);
  assert.deepEqual(w.history().map((r) => [r.name, r.state]), [['0001_a', 'applied'], ['0002_b', 'applied'], ['0003_c', 'failed']]);
  assert.deepEqual(w.lock(), []);
});

test('a revert that fails is reported as such; the migration is then recorded failed, and the next save applies it afresh', async (t) => {
  const w = await watching(t);
  w.emulator.engine.execute({ text: 'DROP TABLE c;', params: {}, mode: 'notx' }); // someone dropped it by hand
  await w.save('0003_c.up.yql', 'CREATE TABLE c (id Uint64 NOT NULL, v Utf8, PRIMARY KEY (id));\n');
  const failed = await w.events.expect('failed');
  assert.deepEqual([failed.migration, failed.direction, failed.leftover, failed.reverted], ['0003_c', 'down', null, []]);
  assert.match(failed.error.message, /migration 0003_c \(down\) failed: SCHEME_ERROR: Cannot find table/);
  assert.deepEqual(w.history().map((r) => [r.name, r.state]), [['0001_a', 'applied'], ['0002_b', 'applied'], ['0003_c', 'failed']]);
  assert.equal(failed.current, '0002_b');
  assert.deepEqual(w.lock(), []);

  await w.save('0003_c.up.yql', 'CREATE TABLE c (id Uint64 NOT NULL, w Utf8, PRIMARY KEY (id));\n');
  const retried = await w.events.expect('applied');
  assert.deepEqual([retried.reverted, retried.applied], [[], ['0003_c']]);
  assert.deepEqual(w.columns('c'), ['id Uint64', 'w Utf8?']);
});

test('20 rapid saves, most of them during a run: never two runs at once, at most one queued, and the last text is applied', async (t) => {
  const w = await watching(t);
  const before = w.events.all.length;
  // The first save's run is slowed down, so that the other saves come while it runs.
  w.emulator.faults.add({ method: 'ExecuteQuery', match: /CREATE TABLE b/, delayMs: 300 });
  const version = (i: number) => `CREATE TABLE b (id Uint64 NOT NULL, v${i} Utf8, PRIMARY KEY (id));\n`;
  await w.save('0002_b.up.yql', version(1));
  await w.events.next(['run-start']);
  for (let i = 2; i <= 20; i++) {
    await w.save('0002_b.up.yql', version(i));
    await new Promise((resolve) => setTimeout(resolve, 5)); // an editor's or a checkout's pace
  }
  await w.events.expect('applied');
  assert.deepEqual(w.columns('b'), ['id Uint64', 'v1 Utf8?'], 'the first run applied the text it read');
  await w.events.expect('applied');
  assert.deepEqual(w.columns('b'), ['id Uint64', 'v20 Utf8?']);
  // Nothing may follow: another run would start one debounce after the last write.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const burst = w.events.all.slice(before).filter((e) => ['run-start', 'applied', 'failed'].includes(e.type)).map((e) => e.type);
  assert.deepEqual(burst, ['run-start', 'applied', 'run-start', 'applied']);
});

test('a name appended to the manifest is applied; a name removed from it is reverted', async (t) => {
  const w = await watching(t);
  await w.save('0004_d.up.yql', table('d')[0]);
  await w.save('0004_d.down.yql', table('d')[1]);
  const unlisted = await w.events.next(['warning', 'unchanged']);
  assert.equal(unlisted.type, 'warning', 'a new file the manifest does not list is pointed out');
  await w.events.expect('unchanged');
  await appendFile(w.shown('manifest.txt'), '0004_d\n');
  const appended = await w.events.expect('applied');
  assert.deepEqual([appended.reverted, appended.applied, appended.current], [[], ['0004_d'], '0004_d']);
  assert.ok(w.columns('d'));

  await w.save('manifest.txt', '0001_a\n0003_c\n0004_d\n');
  const removed = await w.events.expect('applied');
  assert.deepEqual([removed.reverted, removed.applied], [['0004_d', '0003_c', '0002_b'], ['0003_c', '0004_d']]);
  assert.equal(w.columns('b'), null, '0002_b was reverted');
  assert.deepEqual(w.history().map((r) => r.name).sort(), ['0001_a', '0003_c', '0004_d']);
});

test('a saved down file needs no run; it is stored with the history row when its migration is next applied', async (t) => {
  const w = await watching(t);
  const rpcs = w.emulator.log.length;
  await w.save('0002_b.down.yql', 'DROP TABLE IF EXISTS b;\n');
  const saved = await w.events.outcome();
  assert.deepEqual(saved, { type: 'down-saved', files: [w.shown('0002_b.down.yql')], migrations: ['0002_b'] });
  assert.equal(w.emulator.log.length, rpcs, 'the database was not asked anything');
  assert.equal(w.history()[1]!.downText, 'DROP TABLE b;\n');

  await w.save('0002_b.up.yql', 'CREATE TABLE b (id Uint64 NOT NULL, n Int32, PRIMARY KEY (id));\n');
  const warning = await w.events.next(['warning']);
  assert.match(warning.type === 'warning' ? warning.warning.message : '', /changed since 0002_b was applied; running the down text stored in the history/);
  await w.events.expect('applied');
  assert.equal(w.history()[1]!.downText, 'DROP TABLE IF EXISTS b;\n');
});

test('a save that leaves the text as it was does nothing', async (t) => {
  const w = await watching(t);
  const rpcs = w.emulator.log.length;
  await w.save('0001_a.up.yql', table('a')[0]);
  const outcome = await w.events.outcome();
  assert.deepEqual(outcome, { type: 'unchanged', files: [w.shown('0001_a.up.yql')] });
  assert.equal(w.emulator.log.length, rpcs);
  assert.equal(w.events.count('run-start'), 1, 'only the start ran');
});

test('watch refuses a debounce that is not a number of milliseconds, before anything else', async () => {
  const migrator = new Migrator({ dir: 'nowhere', connectionString: 'grpc://127.0.0.1:1/local', env: {} });
  for (const bad of [-1, Number.NaN, 60_001]) {
    await assert.rejects(migrator.watch({ debounceMs: bad }), /the debounce \(--debounce\) must be from 0 to 60000 ms, got/);
  }
});

test("stopping while a run waits for another runner's lock ends the wait at once: nothing runs, nothing is reported failed", { timeout: 30_000 }, async (t) => {
  const w = await watching(t);
  // Another runner's lease, an hour long: only the stop can end this wait (the lock timeout is 60 s, beyond the test's own).
  await runQuery({ connectionString: w.emulator.connectionString } as TestDatabase, 'transaction', `UPSERT INTO \`${DEFAULT_TABLE}_lock\` (id, owner, host, pid, acquired_at, expires_at) VALUES ('migrate'u, 'other-run'u, 'other-host'u, 4242u, CurrentUtcTimestamp(), CurrentUtcTimestamp() + Interval('PT1H'));`);
  await w.save('0002_b.up.yql', 'CREATE TABLE b (id Uint64 NOT NULL, title Utf8, PRIMARY KEY (id));\n');
  await w.events.next(['lock-wait']);
  await w.session.stop();
  assert.deepEqual(w.events.all.slice(-1).map((e) => e.type), ['stopped']);
  assert.equal(w.events.count('failed'), 0);
  assert.deepEqual(w.columns('b'), ['id Uint64'], 'the edit was not applied');
  assert.deepEqual(w.lock().map((r) => r.owner), ['other-run']);
});

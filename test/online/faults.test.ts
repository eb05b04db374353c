/**
 * Faults that YDB can throw at a run outside the migrations themselves, through the real ydb-sdk
 * against the emulator's fault injection: each ends cleanly, with a code and a message naming the
 * status YDB gave, never `internal error` or ydb-sdk's source; what is safe to repeat is repeated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusName } from '../emulator/engine/index.js';
import { runCli as runBundledCli } from '../helpers/cli.js';
import { cli, historyOf, NEEDS_EMULATOR, setUp, tableSet } from './harness.js';

const TWO = (p: string): Record<string, string> => tableSet(p, '0001_a\n0002_b\n');
/** Far more calls than any run makes: the fault is persistent. */
const ALWAYS = 100_000;

/** What no fault may print: a crash report, or a line of ydb-sdk's bundled source. */
function assertClean(stderr: string): void {
  assert.doesNotMatch(stderr, /internal error|    at /, stderr);
  assert.ok(stderr.split('\n').every((line) => line.length < 1000), `a line of source code in:\n${stderr.slice(0, 2000)}`);
}

for (const status of ['BAD_SESSION', 'SESSION_EXPIRED', 'TIMEOUT', 'UNAVAILABLE'] as const) {
  test(`a ${status} on DeleteSession, after the work is done, does not fail the run`, { skip: NEEDS_EMULATOR }, async (t) => {
    const { db, cwd, table } = await setUp(t, TWO);
    const fault = db.emulator!.faults.add({ method: 'DeleteSession', status, times: ALWAYS });
    const run = await cli(db, cwd, ['up', '--table', table]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /up: 2 applied in \d+ ms; the database is at 0002_b/);
    assert.ok(fault.fired >= 1, 'the session was deleted, and YDB refused');
    assert.deepEqual((await historyOf(db, table)).map((r) => r.state), ['applied', 'applied']);
  });
}

test('a TIMEOUT on the history read and on taking the lock is repeated: both are safe to repeat', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, TWO);
  const faults = db.emulator!.faults;
  const read = faults.add({ method: 'ExecuteQuery', match: /^(?![\s\S]*INSERT)[\s\S]*FROM `[^`]*_history`/, status: 'TIMEOUT', times: 2 });
  const lock = faults.add({ method: 'ExecuteQuery', match: /INSERT INTO `[^`]*_lock`/, status: 'TIMEOUT', times: 2 });
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual([read.fired, lock.fired], [2, 2]);
  assert.deepEqual((await historyOf(db, table)).map((r) => r.state), ['applied', 'applied']);
});

test('a lock INSERT that took effect but whose answer was lost is repeated and recognised as this run\'s own lock', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, TWO);
  const lock = db.emulator!.faults.add({ method: 'ExecuteQuery', match: /INSERT INTO `[^`]*_lock`/, cutStream: true });
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(lock.fired, 1);
  assert.doesNotMatch(run.stderr, /held by|waiting/, 'its own row is not someone else\'s lock');
  assert.deepEqual((await historyOf(db, table)).map((r) => r.state), ['applied', 'applied']);
});

test('a TIMEOUT on a migration request is not repeated: whether it ran is unknown', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, TWO);
  const block = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), status: 'TIMEOUT', times: ALWAYS });
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 1);
  assert.equal(block.fired, 1);
  assert.match(run.stderr, /migration 0002_b failed: TIMEOUT: .*\[YDB_TIMEOUT\]\n.*whether YDB ran this request is unknown/);
  assertClean(run.stderr);
});

test('a migration request that outlives --statement-timeout is not repeated: whether it ran is unknown', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, TWO);
  const block = db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), delayMs: 2000, times: ALWAYS });
  const run = await cli(db, cwd, ['up', '--statement-timeout', '0.2', '--table', table]);
  assert.equal(run.status, 1);
  assert.equal(block.fired, 1);
  assert.match(run.stderr, /migration 0002_b failed: CLIENT_DEADLINE_EXCEEDED: YDB did not answer within 0.2 s \[YDB_CLIENT_DEADLINE_EXCEEDED\]\n  no answer came in time, so whether YDB ran this request is unknown; it was not sent again/);
  assertClean(run.stderr);
});

for (const status of ['OVERLOADED', 'UNAVAILABLE', 'ABORTED'] as const) {
  test(`a persistent ${status} on CreateSession ends within the retry time, naming the status, with nothing sent`, { skip: NEEDS_EMULATOR }, async (t) => {
    const { db, cwd, table } = await setUp(t, TWO);
    const emulator = db.emulator!;
    const fault = emulator.faults.add({ method: 'CreateSession', service: 'query', status, times: ALWAYS });
    const run = await cli(db, cwd, ['up', '--table', table], { YDB_MIGRATE_RETRY_SECONDS: '1' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`^error: reading the history table ${table} failed: YDB gave no session within 1 s \\(the retry time; env YDB_MIGRATE_RETRY_SECONDS\\)(?:, after \\d+ attempts)?: CreateSession answered ${status}: Fault injected by the emulator into CreateSession \\[YDB_${status}\\]\\n  nothing of the request was sent`));
    assertClean(run.stderr);
    assert.ok(fault.fired >= 2, `CreateSession was tried again (${fault.fired} calls)`);
    assert.equal(emulator.log.calls('ExecuteQuery').length, 0);
  });
}

test('a persistent BAD_SESSION on AttachSession (a session YDB made but will not hold) ends after the attempts, naming it', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, TWO);
  const fault = db.emulator!.faults.add({ method: 'AttachSession', status: 'BAD_SESSION', times: ALWAYS });
  const run = await cli(db, cwd, ['up', '--table', table], { YDB_MIGRATE_RETRY_SECONDS: '60' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, new RegExp(`^error: reading the history table ${table} failed: YDB gave no session after 10 attempts: session creation answered BAD_SESSION: Fault injected by the emulator into AttachSession \\[YDB_BAD_SESSION\\]\\n  nothing of the request was sent; YDB is not serving requests now`));
  assertClean(run.stderr);
  assert.equal(fault.fired, 10, 'MAX_ATTEMPTS: one session per attempt');
  assert.equal(db.emulator!.log.calls('ExecuteQuery').length, 0);
});

test('a connection lost at every CreateSession ends within the retry time, naming the transport failure', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, TWO);
  const fault = db.emulator!.faults.add({ method: 'CreateSession', service: 'query', dropConnection: true, times: ALWAYS });
  const run = await cli(db, cwd, ['up', '--table', table], { YDB_MIGRATE_RETRY_SECONDS: '1' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /YDB gave no session within 1 s .*: CreateSession failed with TRANSPORT_UNAVAILABLE: .* \[YDB_TRANSPORT_UNAVAILABLE\]\n  nothing of the request was sent/);
  assertClean(run.stderr);
  assert.ok(fault.fired >= 2, `CreateSession was tried again (${fault.fired} calls)`);
});

for (const status of ['OVERLOADED', 'UNAVAILABLE', 'ABORTED', 'BAD_SESSION', 'TIMEOUT'] as const satisfies readonly StatusName[]) {
  test(`a persistent ${status} on discovery is reported as that status, promptly, and with nothing of ydb-sdk's`, { skip: NEEDS_EMULATOR }, async (t) => {
    const { db, cwd } = await setUp(t, TWO);
    const fault = db.emulator!.faults.add({ method: 'ListEndpoints', status, times: ALWAYS });
    // The bundled CLI, as shipped: an uncaught error there prints a whole line of the bundle.
    const run = await runBundledCli(['up', '--connect-timeout', '1'], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString } });
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`^error: cannot connect to YDB at grpc://[^ ]+/local: its discovery call \\(ListEndpoints\\) (?:answered|kept answering it with) ${status}(?: for 1 s \\(--connect-timeout\\))?: Fault injected by the emulator into ListEndpoints; .* \\[YDB_${status}\\]\\n$`));
    assert.doesNotMatch(run.stderr, /login/);
    assertClean(run.stderr);
    assert.ok(fault.fired >= 2, 'the probe and ydb-sdk both asked');
  });
}

test('a persistent OVERLOADED on reading the schema ends within the retry time, naming the status', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd, table } = await setUp(t, TWO);
  const fault = db.emulator!.faults.add({ method: 'ListDirectory', status: 'OVERLOADED', times: ALWAYS });
  const run = await cli(db, cwd, ['schema', '--table', table], { YDB_MIGRATE_RETRY_SECONDS: '1' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^error: listing the database root: no answer from YDB within 1 s \(the retry time; env YDB_MIGRATE_RETRY_SECONDS\): ListDirectory answered OVERLOADED: Fault injected by the emulator into ListDirectory \[YDB_OVERLOADED\]\n  YDB is overloaded: run again later/);
  assertClean(run.stderr);
  assert.ok(fault.fired >= 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { revertConfirmation, type Terminal } from '../../lib/cli/confirm.js';
import { Migrator } from '../../lib/migrator.js';
import type { Step } from '../../lib/online/plan.js';
import { parseConnectionString } from '../../lib/ydb/driver.js';
import { historyOf, setUp } from './harness.js';

const REMOTE = parseConnectionString('grpc://ydb.example.com:2136/prod');
const LOCAL = parseConnectionString('grpc://localhost:2136/local');
const remoteHost = async () => ['192.0.2.10'];
const loopback = async () => ['127.0.0.1'];
const steps = [{ name: '0003_c' }, { name: '0002_b' }] as Step[];

function terminal(interactive: boolean, answer = ''): Terminal & { asked: string[] } {
  const asked: string[] = [];
  return { interactive, asked, ask: async (q) => (asked.push(q), answer) };
}

test('down on a database not on this machine: a terminal is asked y/N; elsewhere --yes is needed; local or --yes asks nothing', async () => {
  assert.equal(await revertConfirmation(LOCAL, false, terminal(false), loopback), undefined);
  assert.equal(await revertConfirmation(REMOTE, true, terminal(false), remoteHost), undefined);

  const piped = await revertConfirmation(REMOTE, false, terminal(false), remoteHost);
  await assert.rejects(piped!(steps), (err: Error & { code: string }) => {
    assert.equal(err.code, 'CONFIRM_NEEDED');
    assert.match(err.message, /down would revert 2 migrations \(0003_c, 0002_b\) on grpc:\/\/ydb\.example\.com:2136\/prod, a database that is not on this machine .*; check the target, then pass --yes to confirm/);
    return true;
  });
  const yes = terminal(true, 'y');
  assert.equal(await (await revertConfirmation(REMOTE, false, yes, remoteHost))!(steps), true);
  assert.deepEqual(yes.asked, ['revert 2 migrations (0003_c, 0002_b) on grpc://ydb.example.com:2136/prod? [y/N] ']);
  assert.equal(await (await revertConfirmation(REMOTE, false, terminal(true, ''), remoteHost))!(steps), false, 'the default is no');
});

test('a revert of more than one migration that is not confirmed reverts nothing; one migration is not asked about', async (t) => {
  const { db, cwd, table } = await setUp(t, (p) => {
    const files: Record<string, string> = { 'sql/manifest.txt': '0001_a\n0002_b\n' };
    for (const x of ['0001_a', '0002_b']) {
      files[`sql/${x}.up.yql`] = `CREATE TABLE ${p}_${x} (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;
      files[`sql/${x}.down.yql`] = `DROP TABLE ${p}_${x};\n`;
    }
    return files;
  });
  const migrator = new Migrator({ dir: join(cwd, 'sql'), connectionString: db.connectionString, table, env: {} });
  assert.equal((await migrator.up()).ok, true);
  const asked: number[] = [];
  const refuse = async (s: readonly Step[]) => (asked.push(s.length), false);
  const refused = await migrator.down('base', { confirmRevert: refuse });
  assert.equal(refused.error?.code, 'NOT_CONFIRMED');
  assert.deepEqual((await historyOf(db, table)).map((r) => r.name), ['0001_a', '0002_b']);
  assert.equal((await migrator.down('-1', { confirmRevert: refuse })).ok, true);
  assert.deepEqual(asked, [2], 'one migration is reverted without asking');
});

/**
 * Serializable transactions with optimistic locks: the first commit wins,
 * the other is ABORTED (2001) and must be retried as a whole, which the sdk
 * does for ABORTED.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Emulator } from '../index.js';
import { type Driver, failureOf, issueMatching, query, StatusCode, TIMEOUT_MS, useEmulator } from './support.js';

let ydb: Emulator;
let driver: Driver;
useEmulator((started) => ({ ydb, driver } = started));

test('a transaction whose read was overwritten by a later commit is ABORTED 2001 at commit', async () => {
  await query(driver, 'CREATE TABLE accounts (id Uint64, balance Int64, PRIMARY KEY (id));');
  await query(driver, 'UPSERT INTO accounts (id, balance) VALUES (1, 10);');
  const failure = await failureOf(
    driver.tableClient.withSession(async (first) => {
      const { id: txId } = await first.beginTransaction({ serializableReadWrite: {} });
      assert.ok(txId);
      await first.executeQuery('SELECT balance FROM accounts WHERE id = 1;', {}, { txId });
      await query(driver, 'UPSERT INTO accounts (id, balance) VALUES (1, 50);'); // another session commits first
      await first.executeQuery('UPSERT INTO accounts (id, balance) VALUES (1, 11);', {}, { txId, commitTx: true });
    }, TIMEOUT_MS),
  );
  assert.equal(failure.status, StatusCode.ABORTED);
  assert.equal(issueMatching(failure, /^Transaction locks invalidated\. Table: `\/local\/accounts`\./).issueCode, 2001);
  assert.deepEqual(ydb.engine.readTable('accounts'), [{ id: 1n, balance: 50n }]);
});

test('the sdk retries an ABORTED transaction as a whole, and the retry sees the winner\'s write', async () => {
  await query(driver, 'CREATE TABLE counter (id Uint64, n Int64, PRIMARY KEY (id));');
  await query(driver, 'UPSERT INTO counter (id, n) VALUES (1, 0);');
  ydb.log.clear();
  let attempts = 0;
  await driver.queryClient.do({
    timeout: TIMEOUT_MS,
    fn: async (session) => {
      attempts += 1;
      await session.beginTransaction({ serializableReadWrite: {} });
      const read = await session.execute({ text: 'SELECT n FROM counter WHERE id = 1;' });
      let n = 0n;
      for await (const resultSet of read.resultSets) for await (const row of resultSet.rows) n = BigInt((row as { n: number }).n);
      await read.opFinished;
      if (attempts === 1) await query(driver, 'UPSERT INTO counter (id, n) VALUES (1, 100);');
      const write = await session.execute({ text: `UPSERT INTO counter (id, n) VALUES (1, ${n + 1n});` });
      await write.opFinished;
      await session.commitTransaction();
    },
  });
  assert.equal(attempts, 2);
  assert.deepEqual(ydb.log.calls('CommitTransaction', 'query').map((e) => e.status), ['ABORTED', 'SUCCESS']);
  assert.deepEqual(ydb.engine.readTable('counter'), [{ id: 1n, n: 101n }]);
});

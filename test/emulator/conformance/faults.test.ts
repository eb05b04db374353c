/** Fault injection: the hooks that let tests see how a client copes with a misbehaving YDB. */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { Emulator } from '../index.js';
import { Ydb } from '../ydb-proto.js';
import { type Driver, eventually, query, queryFailure, RawClient, StatusCode, useEmulator } from './support.js';

const Q = Ydb.Query;

let ydb: Emulator;
let driver: Driver;
useEmulator((started) => ({ ydb, driver } = started));

beforeEach(() => {
  ydb.faults.clear();
  ydb.log.clear();
});

describe('status faults', () => {
  test('a retryable status (ABORTED) fails one call and the sdk retry succeeds; the log shows both attempts', async () => {
    const fault = ydb.faults.add({ method: 'ExecuteQuery', match: /SELECT 3/, status: 'ABORTED' });
    assert.deepEqual(await query(driver, 'SELECT 3 AS three;'), [{ three: 3 }]);
    assert.equal(fault.fired, 1);
    assert.deepEqual(ydb.log.calls('ExecuteQuery').map((e) => e.status), ['ABORTED', 'SUCCESS']);
  });

  test('a status the sdk does not retry reaches the caller with the given message', async () => {
    ydb.faults.add({ method: 'ExecuteQuery', status: 'UNAVAILABLE', message: 'node is restarting' });
    const failure = await queryFailure(driver, 'SELECT 1;');
    assert.equal(failure.status, StatusCode.UNAVAILABLE);
    assert.equal(failure.text, 'node is restarting');
  });

  test('nth and times pick which matching calls fail; calls that do not match are not counted', async () => {
    ydb.faults.add({ method: 'ExecuteQuery', match: /counted/, nth: 2, times: 2, status: 'PRECONDITION_FAILED' });
    const outcomes: string[] = [];
    for (const text of ['SELECT 1 AS counted;', 'SELECT 1 AS other;', 'SELECT 1 AS counted;', 'SELECT 1 AS counted;', 'SELECT 1 AS counted;']) {
      outcomes.push(await query(driver, text).then(() => 'ok', () => 'failed'));
    }
    assert.deepEqual(outcomes, ['ok', 'ok', 'failed', 'failed', 'ok']);
  });

  test('a service restricts a fault to one of the methods that share a name', async () => {
    ydb.faults.add({ method: 'CreateSession', service: 'table', status: 'OVERLOADED' });
    const raw = new RawClient(ydb);
    try {
      const query = await raw.unary('/Ydb.Query.V1.QueryService/CreateSession', Q.CreateSessionRequest, Q.CreateSessionResponse, {});
      assert.equal(query.status, StatusCode.SUCCESS);
      const table = await raw.unary('/Ydb.Table.V1.TableService/CreateSession', Ydb.Table.CreateSessionRequest, Ydb.Table.CreateSessionResponse, {});
      assert.equal(table.operation?.status, StatusCode.OVERLOADED);
    } finally {
      raw.close();
    }
  });

  test('remove() withdraws a fault before it fires', async () => {
    const fault = ydb.faults.add({ method: 'ExecuteQuery', status: 'UNAVAILABLE' });
    fault.remove();
    assert.deepEqual(await query(driver, 'SELECT 1 AS one;'), [{ one: 1 }]);
    assert.equal(fault.fired, 0);
  });
});

describe('transport faults', () => {
  test('delayMs stalls the call, which then succeeds', async () => {
    ydb.faults.add({ method: 'ExecuteQuery', delayMs: 200 });
    const started = performance.now();
    assert.deepEqual(await query(driver, 'SELECT 1 AS one;'), [{ one: 1 }]);
    assert.ok(performance.now() - started >= 190, 'the call was not delayed');
  });

  test('holdUntil holds the call until the test lets it go, which then succeeds', async () => {
    let release!: () => void;
    const fault = ydb.faults.add({ method: 'ExecuteQuery', holdUntil: new Promise<void>((resolve) => (release = resolve)) });
    let answered = false;
    const answer = query(driver, 'SELECT 1 AS one;').finally(() => (answered = true));
    await eventually(() => fault.fired > 0, 'the call reaches the server');
    assert.equal(answered, false, 'a held call is not answered');
    release();
    assert.deepEqual(await answer, [{ one: 1 }]);
  });

  test('a call whose client leaves during the delay is neither run nor answered', async () => {
    ydb.faults.add({ method: 'ExecuteQuery', delayMs: 500 });
    const raw = new RawClient(ydb);
    try {
      const sessionId = await attachedQuerySession(raw);
      const call = raw.stream('/Ydb.Query.V1.QueryService/ExecuteQuery', Q.ExecuteQueryRequest, Q.ExecuteQueryResponsePart, {
        sessionId,
        queryContent: { text: 'CREATE TABLE abandoned (id Uint64, PRIMARY KEY (id));' },
      });
      await new Promise((resolve) => setTimeout(resolve, 100)); // the call reaches the server and waits
      call.cancel();
      await eventually(() => ydb.log.calls('ExecuteQuery').length > 0, 'the delayed call is logged');
      assert.equal(ydb.log.calls('ExecuteQuery')[0]?.status, 'grpc:CANCELLED');
      assert.equal(ydb.engine.listTables().includes('abandoned'), false);
    } finally {
      raw.close();
    }
  });

  test('cutStream runs the query, delivers its first part, then breaks the stream with UNAVAILABLE', async () => {
    await query(driver, 'CREATE TABLE cut (id Uint64, PRIMARY KEY (id));');
    ydb.faults.add({ method: 'ExecuteQuery', cutStream: true });
    const raw = new RawClient(ydb);
    try {
      const sessionId = await attachedQuerySession(raw);
      const call = raw.stream('/Ydb.Query.V1.QueryService/ExecuteQuery', Q.ExecuteQueryRequest, Q.ExecuteQueryResponsePart, {
        sessionId,
        txControl: { beginTx: { serializableReadWrite: {} }, commitTx: true },
        queryContent: { text: 'UPSERT INTO cut (id) VALUES (1); SELECT 1 AS a; SELECT 2 AS b;' },
      });
      const status = await call.done;
      assert.equal(status.code, grpc.status.UNAVAILABLE);
      assert.equal(call.messages.length, 1);
      // The client saw a failure, yet the write happened: the outcome a retry must be ready for.
      assert.deepEqual(ydb.engine.readTable('cut'), [{ id: 1n }]);
      assert.equal(ydb.log.calls('ExecuteQuery').at(-1)?.status, 'grpc:UNAVAILABLE');
    } finally {
      raw.close();
    }
  });

  test('dropConnection closes the connection instead of answering; the client can reconnect', async () => {
    ydb.faults.add({ method: 'ListEndpoints', dropConnection: true });
    const raw = new RawClient(ydb);
    const listEndpoints = () =>
      raw.unary('/Ydb.Discovery.V1.DiscoveryService/ListEndpoints', Ydb.Discovery.ListEndpointsRequest, Ydb.Discovery.ListEndpointsResponse, { database: ydb.database });
    try {
      await assert.rejects(listEndpoints(), (err: grpc.ServiceError) => err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.INTERNAL);
      assert.equal(ydb.log.calls('ListEndpoints').at(-1)?.status, 'DROPPED');
      const again = await listEndpoints();
      assert.equal(again.operation?.status, StatusCode.SUCCESS);
    } finally {
      raw.close();
    }
  });
});

describe('fault specs', () => {
  test('a spec without an effect, or with impossible counts or combinations, is refused with what to give', () => {
    assert.throws(() => ydb.faults.add({ method: 'ExecuteQuery' }), /give at least one effect/);
    assert.throws(() => ydb.faults.add({ method: '', status: 'ABORTED' }), /`method` is required/);
    assert.throws(() => ydb.faults.add({ method: 'ExecuteQuery', nth: 0, status: 'ABORTED' }), /`nth` must be an integer >= 1/);
    assert.throws(() => ydb.faults.add({ method: 'ExecuteQuery', times: 1.5, status: 'ABORTED' }), /`times` must be an integer >= 1/);
    assert.throws(() => ydb.faults.add({ method: 'ExecuteQuery', delayMs: -1 }), /`delayMs` must be >= 0/);
    assert.throws(() => ydb.faults.add({ method: 'ExecuteQuery', status: 'ABORTED', cutStream: true }), /cannot be combined/);
  });
});

async function attachedQuerySession(raw: RawClient): Promise<string> {
  const created = await raw.unary('/Ydb.Query.V1.QueryService/CreateSession', Q.CreateSessionRequest, Q.CreateSessionResponse, {});
  raw.stream('/Ydb.Query.V1.QueryService/AttachSession', Q.AttachSessionRequest, Q.SessionState, { sessionId: created.sessionId });
  return created.sessionId;
}

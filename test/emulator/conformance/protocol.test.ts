/**
 * The gRPC protocol as ydb-sdk 5.11 uses it: discovery, sessions of both
 * services, transactions, the RPCs the sdk has no wrapper for, and the
 * refusals for what the emulator does not implement.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { Emulator } from '../index.js';
import { Ydb } from '../ydb-proto.js';
import { type Driver, eventually, execute, failureOf, newDriver, ONE_SHOT_TX, query, RawClient, StatusCode, TIMEOUT_MS, useEmulator } from './support.js';

const T = Ydb.Table;
const Q = Ydb.Query;

let ydb: Emulator;
let driver: Driver;
let raw: RawClient;
useEmulator((started) => ({ ydb, driver, raw } = started));

describe('discovery', () => {
  test('the sdk discovers the emulator and runs a query on it', async () => {
    assert.equal(ydb.connectionString, `grpc://127.0.0.1:${ydb.port}/local`);
    assert.deepEqual(await query(driver, 'SELECT 1 AS one;'), [{ one: 1 }]);
    assert.ok(ydb.log.some((e) => e.method === 'ListEndpoints' && e.status === 'SUCCESS'));
  });

  test('ListEndpoints names the emulator itself and the services it serves', async () => {
    const response = await raw.unary('/Ydb.Discovery.V1.DiscoveryService/ListEndpoints', Ydb.Discovery.ListEndpointsRequest, Ydb.Discovery.ListEndpointsResponse, { database: '/local' });
    assert.equal(response.operation?.status, StatusCode.SUCCESS);
    const result = Ydb.Discovery.ListEndpointsResult.decode(response.operation?.result?.value ?? new Uint8Array());
    assert.equal(result.endpoints.length, 1);
    const [endpoint] = result.endpoints;
    assert.equal(endpoint?.address, '127.0.0.1');
    assert.equal(endpoint?.port, ydb.port);
    assert.ok(endpoint?.service?.includes('query_service') && endpoint.service.includes('table_service'));
  });

  test('a database other than the configured one is refused the way YDB refuses an unknown database', async () => {
    const other = new RawClient(ydb, { 'x-ydb-database': '/elsewhere' });
    try {
      await assert.rejects(
        other.unary('/Ydb.Discovery.V1.DiscoveryService/ListEndpoints', Ydb.Discovery.ListEndpointsRequest, Ydb.Discovery.ListEndpointsResponse, { database: '/elsewhere' }),
        (err: grpc.ServiceError) => err.code === grpc.status.UNAUTHENTICATED && /Unknown database/.test(err.details),
      );
      assert.equal(ydb.log.at(-1)?.status, 'grpc:UNAUTHENTICATED');
    } finally {
      other.close();
    }
  });

  test('an RPC the emulator does not implement answers gRPC UNIMPLEMENTED, never a fake success', async () => {
    await assert.rejects(
      raw.unary('/Ydb.Table.V1.TableService/PrepareDataQuery', T.PrepareDataQueryRequest, T.PrepareDataQueryResponse, { yqlText: 'SELECT 1;' }),
      (err: grpc.ServiceError) => err.code === grpc.status.UNIMPLEMENTED,
    );
  });
});

describe('query sessions', () => {
  test('a session lives as long as its attach stream: closing the stream ends the session', async () => {
    const created = await raw.unary('/Ydb.Query.V1.QueryService/CreateSession', Q.CreateSessionRequest, Q.CreateSessionResponse, {});
    assert.equal(created.status, StatusCode.SUCCESS);
    const attach = raw.stream('/Ydb.Query.V1.QueryService/AttachSession', Q.AttachSessionRequest, Q.SessionState, { sessionId: created.sessionId });
    await eventually(() => attach.messages.length > 0, 'the attach stream answers');
    assert.equal(attach.messages[0]?.status, StatusCode.SUCCESS);

    const select = { sessionId: created.sessionId, queryContent: { syntax: Q.Syntax.SYNTAX_YQL_V1, text: 'SELECT 1 AS one;' } };
    const before = raw.stream('/Ydb.Query.V1.QueryService/ExecuteQuery', Q.ExecuteQueryRequest, Q.ExecuteQueryResponsePart, select);
    await before.done;
    assert.equal(before.messages[0]?.status, StatusCode.SUCCESS);

    attach.cancel();
    await attach.done;
    // The server learns of the cancel asynchronously: ask until the session is gone.
    let issue = '';
    await eventually(async () => {
      const afterwards = raw.stream('/Ydb.Query.V1.QueryService/ExecuteQuery', Q.ExecuteQueryRequest, Q.ExecuteQueryResponsePart, select);
      await afterwards.done;
      issue = afterwards.messages[0]?.issues[0]?.message ?? '';
      return afterwards.messages[0]?.status === StatusCode.BAD_SESSION;
    }, 'the session is gone');
    assert.match(issue, /Session not found/);
  });

  test('ExecuteQuery on a session id never issued is BAD_SESSION', async () => {
    const call = raw.stream('/Ydb.Query.V1.QueryService/ExecuteQuery', Q.ExecuteQueryRequest, Q.ExecuteQueryResponsePart, {
      sessionId: 'ydb://session/3?node_id=1&id=bogus',
      queryContent: { text: 'SELECT 1;' },
    });
    const status = await call.done;
    assert.equal(status.code, grpc.status.OK, 'YDB reports the failure in the part, not as a gRPC error');
    assert.equal(call.messages.length, 1);
    assert.equal(call.messages[0]?.status, StatusCode.BAD_SESSION);
  });

  test('exec modes other than EXECUTE are refused, not silently executed', async () => {
    const failure = await failureOf(execute(driver, 'SELECT 1;', { execMode: Q.ExecMode.EXEC_MODE_EXPLAIN }));
    assert.equal(failure.status, StatusCode.BAD_REQUEST);
    assert.match(failure.text, /EXEC_MODE_EXPLAIN is not implemented/);
  });
});

describe('table sessions', () => {
  test('deleting a session twice succeeds; using it afterwards is BAD_SESSION', async () => {
    const created = await raw.unary('/Ydb.Table.V1.TableService/CreateSession', T.CreateSessionRequest, T.CreateSessionResponse, {});
    const { sessionId } = T.CreateSessionResult.decode(created.operation?.result?.value ?? new Uint8Array());
    for (let i = 0; i < 2; i++) {
      const deleted = await raw.unary('/Ydb.Table.V1.TableService/DeleteSession', T.DeleteSessionRequest, T.DeleteSessionResponse, { sessionId });
      assert.equal(deleted.operation?.status, StatusCode.SUCCESS);
    }
    const kept = await raw.unary('/Ydb.Table.V1.TableService/KeepAlive', T.KeepAliveRequest, T.KeepAliveResponse, { sessionId });
    assert.equal(kept.operation?.status, StatusCode.BAD_SESSION);
    assert.match(kept.operation?.issues?.[0]?.message ?? '', /Session not found/);
  });

  test('the sdk keeps its table session alive', async () => {
    await driver.tableClient.withSession(async (session) => session.keepAlive(), TIMEOUT_MS);
    assert.equal(ydb.log.calls('KeepAlive').at(-1)?.status, 'SUCCESS');
  });

  test('ExecuteSchemeQuery runs DDL and DescribeTable shows the result', async () => {
    const created = await rawSchemeQuery('CREATE TABLE described (id Uint64 NOT NULL, name Utf8, PRIMARY KEY (id));');
    assert.equal(created.operation?.status, StatusCode.SUCCESS);
    const description = await driver.tableClient.withSession((session) => session.describeTable('described'), TIMEOUT_MS);
    assert.deepEqual(description.primaryKey, ['id']);
    assert.deepEqual(
      description.columns.map((c) => [c.name, c.notNull ?? false, c.type?.typeId ?? c.type?.optionalType?.item?.typeId]),
      [
        ['id', true, Ydb.Type.PrimitiveTypeId.UINT64],
        ['name', false, Ydb.Type.PrimitiveTypeId.UTF8],
      ],
    );
  });

  test('DescribeTable of a missing table is SCHEME_ERROR', async () => {
    const failure = await failureOf(driver.tableClient.withSession((session) => session.describeTable('no_such_table'), TIMEOUT_MS));
    assert.equal(failure.status, StatusCode.SCHEME_ERROR);
  });

  test('ExecuteSchemeQuery refuses DML', async () => {
    const response = await rawSchemeQuery('SELECT 1;');
    assert.notEqual(response.operation?.status, StatusCode.SUCCESS);
  });
});

describe('transactions', () => {
  test('table service: writes in an open transaction are invisible until it commits', async () => {
    await query(driver, 'CREATE TABLE tx_commit (id Uint64, PRIMARY KEY (id));');
    await driver.tableClient.withSession(async (session) => {
      const txId = await beginTableTx(session);
      await session.executeQuery('UPSERT INTO tx_commit (id) VALUES (1);', {}, { txId });
      assert.deepEqual(ydb.engine.readTable('tx_commit'), []);
      await session.commitTransaction({ txId });
    }, TIMEOUT_MS);
    assert.deepEqual(ydb.engine.readTable('tx_commit'), [{ id: 1n }]);
  });

  test('table service: a rolled back transaction leaves nothing', async () => {
    await query(driver, 'CREATE TABLE tx_rollback (id Uint64, PRIMARY KEY (id));');
    await driver.tableClient.withSession(async (session) => {
      const txId = await beginTableTx(session);
      await session.executeQuery('UPSERT INTO tx_rollback (id) VALUES (1);', {}, { txId });
      await session.rollbackTransaction({ txId });
    }, TIMEOUT_MS);
    assert.deepEqual(ydb.engine.readTable('tx_rollback'), []);
  });

  test('a transaction id is NOT_FOUND 2015 in another session and after it ended', async () => {
    // Raw calls: the sdk's table session retries NOT_FOUND ten times with backoff.
    const [owner, stranger] = [await rawTableSession(), await rawTableSession()];
    const begun = await raw.unary('/Ydb.Table.V1.TableService/BeginTransaction', T.BeginTransactionRequest, T.BeginTransactionResponse, {
      sessionId: owner,
      txSettings: { serializableReadWrite: {} },
    });
    const txId = T.BeginTransactionResult.decode(begun.operation?.result?.value ?? new Uint8Array()).txMeta?.id ?? '';
    const commit = (sessionId: string) =>
      raw.unary('/Ydb.Table.V1.TableService/CommitTransaction', T.CommitTransactionRequest, T.CommitTransactionResponse, { sessionId, txId });
    const elsewhere = await commit(stranger);
    assert.equal(elsewhere.operation?.status, StatusCode.NOT_FOUND);
    assert.equal(elsewhere.operation?.issues?.[0]?.issueCode, 2015);
    assert.equal(elsewhere.operation?.issues?.[0]?.message, `Transaction not found: ${txId}`);
    assert.equal((await commit(owner)).operation?.status, StatusCode.SUCCESS);
    assert.equal((await commit(owner)).operation?.status, StatusCode.NOT_FOUND);
  });

  test('query service: a transaction begun explicitly stays open across queries until committed', async () => {
    await query(driver, 'CREATE TABLE tx_query (id Uint64, PRIMARY KEY (id));');
    await driver.queryClient.do({
      timeout: TIMEOUT_MS,
      fn: async (session) => {
        await session.beginTransaction({ serializableReadWrite: {} });
        for (const id of [1, 2]) {
          const res = await session.execute({ text: `UPSERT INTO tx_query (id) VALUES (${id});` });
          await res.opFinished;
        }
        assert.deepEqual(ydb.engine.readTable('tx_query'), []);
        await session.commitTransaction();
      },
    });
    assert.deepEqual(ydb.engine.readTable('tx_query'), [{ id: 1n }, { id: 2n }]);
  });

  test('query service: tx_control begin+commit runs one query as its own transaction and reports no open tx', async () => {
    await query(driver, 'CREATE TABLE tx_auto (id Uint64, PRIMARY KEY (id));');
    const { openTxId } = await execute(driver, 'UPSERT INTO tx_auto (id) VALUES (7);', { txControl: ONE_SHOT_TX });
    assert.equal(openTxId, undefined);
    assert.deepEqual(ydb.engine.readTable('tx_auto'), [{ id: 7n }]);
  });

  test('only serializable read-write transactions are implemented; other modes are refused', async () => {
    const failure = await failureOf(
      driver.queryClient.do({ timeout: TIMEOUT_MS, fn: (session) => session.beginTransaction({ snapshotReadOnly: {} }) }),
    );
    assert.equal(failure.status, StatusCode.BAD_REQUEST);
    assert.match(failure.text, /snapshotReadOnly is not implemented/);
  });
});

describe('scripting', () => {
  test('ExecuteYql runs COMMIT-separated DDL and DML parts in order', async () => {
    const response = await raw.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, {
      script: 'CREATE TABLE scripted (id Uint64, PRIMARY KEY (id));\nCOMMIT;\nUPSERT INTO scripted (id) VALUES (1);\nCOMMIT;\nSELECT id FROM scripted;',
    });
    assert.equal(response.operation?.status, StatusCode.SUCCESS, JSON.stringify(response.operation?.issues));
    const result = Ydb.Scripting.ExecuteYqlResult.decode(response.operation?.result?.value ?? new Uint8Array());
    assert.equal(result.resultSets.length, 1);
    assert.equal(result.resultSets[0]?.rows?.length, 1);
    assert.match(ydb.log.calls('ExecuteYql', 'scripting').at(-1)?.query ?? '', /CREATE TABLE scripted/);
  });
});

describe('rpc log', () => {
  test('records each call with its service, method, query text and status, and clears', async () => {
    const fresh = newDriver(ydb);
    try {
      assert.equal(await fresh.ready(TIMEOUT_MS), true);
      ydb.log.clear();
      assert.equal(ydb.log.length, 0);
      await query(fresh, 'SELECT 2 AS two;');
      const execute = ydb.log.calls('ExecuteQuery', 'query');
      assert.equal(execute.length, 1);
      assert.equal(execute[0]?.query, 'SELECT 2 AS two;');
      assert.equal(execute[0]?.status, 'SUCCESS');
      assert.ok(typeof execute[0]?.at === 'number' && execute[0].at <= Date.now());
    } finally {
      await fresh.destroy();
    }
  });
});

async function rawTableSession(): Promise<string> {
  const created = await raw.unary('/Ydb.Table.V1.TableService/CreateSession', T.CreateSessionRequest, T.CreateSessionResponse, {});
  return T.CreateSessionResult.decode(created.operation?.result?.value ?? new Uint8Array()).sessionId;
}

async function beginTableTx(session: { beginTransaction(settings: { serializableReadWrite: object }): Promise<{ id?: string | null }> }): Promise<string> {
  const { id } = await session.beginTransaction({ serializableReadWrite: {} });
  assert.ok(id, 'BeginTransaction returned no transaction id');
  return id;
}

async function rawSchemeQuery(yqlText: string) {
  const sessionId = await rawTableSession();
  return raw.unary('/Ydb.Table.V1.TableService/ExecuteSchemeQuery', T.ExecuteSchemeQueryRequest, T.ExecuteSchemeQueryResponse, { sessionId, yqlText });
}

/**
 * Table service: sessions kept alive by the sdk's pool, DDL through
 * ExecuteSchemeQuery, DML through ExecuteDataQuery in a transaction,
 * explicit Begin/Commit/Rollback, DescribeTable.
 */
import { Ydb, type YdbTypes } from '../ydb-proto.js';
import type { Engine } from '../engine/index.js';
import { operationFailed, operationOk, resultType } from '../operation.js';
import { defineService, unary, type Gate } from '../rpc.js';
import type { Sessions } from '../sessions.js';
import { YdbFailure } from '../status.js';
import { describedSettings } from '../table-settings.js';
import { ydbTypeOf } from '../ydb-type.js';

const T = Ydb.Table;
const createSessionResult = resultType('Ydb.Table.CreateSessionResult', T.CreateSessionResult);
const keepAliveResult = resultType('Ydb.Table.KeepAliveResult', T.KeepAliveResult);
const executeQueryResult = resultType('Ydb.Table.ExecuteQueryResult', T.ExecuteQueryResult);
const beginTransactionResult = resultType('Ydb.Table.BeginTransactionResult', T.BeginTransactionResult);
const commitTransactionResult = resultType('Ydb.Table.CommitTransactionResult', T.CommitTransactionResult);
const describeTableResult = resultType('Ydb.Table.DescribeTableResult', T.DescribeTableResult);

export function tableService(gate: Gate, engine: Engine, sessions: Sessions) {
  const session = (id: string) => sessions.get(id, 'table');
  return defineService(gate, 'table', 'Ydb.Table.V1.TableService', {
    CreateSession: unary({
      request: T.CreateSessionRequest,
      response: T.CreateSessionResponse,
      failure: operationFailed,
      handle: () => operationOk(createSessionResult, { sessionId: sessions.create('table').id }),
    }),
    DeleteSession: unary({
      request: T.DeleteSessionRequest,
      response: T.DeleteSessionResponse,
      failure: operationFailed,
      handle(req) {
        sessions.delete(req.sessionId, 'table');
        return operationOk();
      },
    }),
    KeepAlive: unary({
      request: T.KeepAliveRequest,
      response: T.KeepAliveResponse,
      failure: operationFailed,
      handle(req) {
        session(req.sessionId);
        return operationOk(keepAliveResult, { sessionStatus: T.KeepAliveResult.SessionStatus.SESSION_STATUS_READY });
      },
    }),
    ExecuteSchemeQuery: unary({
      request: T.ExecuteSchemeQueryRequest,
      response: T.ExecuteSchemeQueryResponse,
      failure: operationFailed,
      queryOf: (req) => req.yqlText,
      handle(req) {
        session(req.sessionId);
        engine.execute({ text: req.yqlText, params: {}, mode: 'scheme' });
        return operationOk();
      },
    }),
    ExecuteDataQuery: unary({
      request: T.ExecuteDataQueryRequest,
      response: T.ExecuteDataQueryResponse,
      failure: operationFailed,
      queryOf: (req) => req.query?.yqlText,
      handle(req) {
        const text = req.query?.yqlText;
        if (!text) {
          throw YdbFailure.of('BAD_REQUEST', 'The emulator has no prepared queries (PrepareDataQuery is not implemented): send yql_text');
        }
        const { result, openTx } = session(req.sessionId).run(req.txControl ?? {}, (tx) =>
          engine.execute({ text, params: req.parameters, mode: 'tx', tx }),
        );
        return operationOk(executeQueryResult, { resultSets: result.resultSets, ...(openTx ? { txMeta: { id: openTx.id } } : {}) });
      },
    }),
    BeginTransaction: unary({
      request: T.BeginTransactionRequest,
      response: T.BeginTransactionResponse,
      failure: operationFailed,
      handle(req) {
        const tx = session(req.sessionId).begin(req.txSettings);
        return operationOk(beginTransactionResult, { txMeta: { id: tx.id } });
      },
    }),
    CommitTransaction: unary({
      request: T.CommitTransactionRequest,
      response: T.CommitTransactionResponse,
      failure: operationFailed,
      handle(req) {
        session(req.sessionId).commit(req.txId);
        return operationOk(commitTransactionResult, {});
      },
    }),
    RollbackTransaction: unary({
      request: T.RollbackTransactionRequest,
      response: T.RollbackTransactionResponse,
      failure: operationFailed,
      handle(req) {
        session(req.sessionId).rollback(req.txId);
        return operationOk();
      },
    }),
    DescribeTable: unary({
      request: T.DescribeTableRequest,
      response: T.DescribeTableResponse,
      failure: operationFailed,
      handle(req) {
        session(req.sessionId);
        return operationOk(describeTableResult, describe(engine, gate.database, req.path));
      },
    }),
  });
}

function describe(engine: Engine, database: string, requestPath: string): YdbTypes.Table.IDescribeTableResult {
  const path = pathInDatabase(database, requestPath);
  const table = path === undefined ? undefined : engine.describeTable(path);
  if (path === undefined || !table) throw YdbFailure.of('SCHEME_ERROR', `Path not found: ${requestPath}`);
  return {
    self: { name: path.split('/').pop() ?? path, type: Ydb.Scheme.Entry.Type.TABLE },
    columns: table.columns.map((column) => ({
      name: column.name,
      type: describedType(column.type),
      notNull: column.notNull,
      ...(column.defaultValue ? { fromLiteral: column.defaultValue } : {}),
    })),
    primaryKey: table.primaryKey,
    indexes: table.indexes.map((index) => ({
      name: index.name,
      indexColumns: index.columns,
      dataColumns: index.cover,
      ...(index.unique ? { globalUniqueIndex: {} } : index.async ? { globalAsyncIndex: {} } : { globalIndex: {} }),
      status: T.TableIndexDescription.Status.STATUS_READY,
    })),
    ...describedSettings(table),
  };
}

function describedType(name: string): YdbTypes.IType {
  const type = ydbTypeOf(name);
  if (!type) throw YdbFailure.of('INTERNAL_ERROR', `Emulator cannot describe a column of type ${name}`);
  return type;
}

/** `/local/dir/t` → `dir/t`; a relative path is taken as relative to the database. */
function pathInDatabase(database: string, path: string): string | undefined {
  if (!path.startsWith('/')) return path;
  return path.startsWith(`${database}/`) ? path.slice(database.length + 1) : undefined;
}

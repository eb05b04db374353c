/**
 * Query service: sessions that live as long as their AttachSession stream,
 * ExecuteQuery as a stream of result-set parts (NoTx when `tx_control` is
 * absent), explicit Begin/Commit/Rollback. Responses carry status and issues
 * themselves instead of an Operation.
 */
import { Ydb, type YdbTypes } from '../ydb-proto.js';
import type { Engine } from '../engine/index.js';
import { defineService, serverStream, unary, type Gate } from '../rpc.js';
import type { Session, Sessions } from '../sessions.js';
import { statusCode, YdbFailure } from '../status.js';

const Q = Ydb.Query;
const SUCCESS = statusCode('SUCCESS');

/** Query-service responses report a failure in their own `status` and `issues` fields. */
function statusAnswer(failure: YdbFailure): { status: YdbTypes.StatusIds.StatusCode; issues: YdbTypes.Issue.IIssueMessage[] } {
  return { status: statusCode(failure.status), issues: failure.issues };
}

export function queryService(gate: Gate, engine: Engine, sessions: Sessions) {
  const session = (id: string) => sessions.get(id, 'query');
  return defineService(gate, 'query', 'Ydb.Query.V1.QueryService', {
    CreateSession: unary({
      request: Q.CreateSessionRequest,
      response: Q.CreateSessionResponse,
      failure: statusAnswer,
      handle: () => ({ status: SUCCESS, sessionId: sessions.create('query').id, nodeId: 1 }),
    }),
    DeleteSession: unary({
      request: Q.DeleteSessionRequest,
      response: Q.DeleteSessionResponse,
      failure: statusAnswer,
      handle(req) {
        sessions.delete(req.sessionId, 'query');
        return { status: SUCCESS };
      },
    }),
    AttachSession: serverStream({
      request: Q.AttachSessionRequest,
      response: Q.SessionState,
      failure: statusAnswer,
      async stream(req, out) {
        const attached = session(req.sessionId);
        out.write({ status: SUCCESS });
        await Promise.race([new Promise<void>((resolve) => attached.onClose(resolve)), out.gone]);
        // YDB ties a query session to this stream: when the client closes it, the session ends.
        sessions.close(attached.id);
      },
    }),
    ExecuteQuery: serverStream({
      request: Q.ExecuteQueryRequest,
      response: Q.ExecuteQueryResponsePart,
      failure: statusAnswer,
      queryOf: (req) => req.queryContent?.text,
      stream(req, out) {
        const { resultSets, openTx } = execute(engine, session(req.sessionId), req);
        // The transaction id rides on the first part, so the client knows it before any rows.
        const txMeta = openTx ? { txMeta: { id: openTx.id } } : {};
        if (resultSets.length === 0) out.write({ status: SUCCESS, ...txMeta });
        resultSets.forEach((resultSet, index) =>
          out.write({ status: SUCCESS, resultSetIndex: index, resultSet, ...(index === 0 ? txMeta : {}) }),
        );
      },
    }),
    BeginTransaction: unary({
      request: Q.BeginTransactionRequest,
      response: Q.BeginTransactionResponse,
      failure: statusAnswer,
      handle(req) {
        const tx = session(req.sessionId).begin(req.txSettings);
        return { status: SUCCESS, txMeta: { id: tx.id } };
      },
    }),
    CommitTransaction: unary({
      request: Q.CommitTransactionRequest,
      response: Q.CommitTransactionResponse,
      failure: statusAnswer,
      handle(req) {
        session(req.sessionId).commit(req.txId);
        return { status: SUCCESS };
      },
    }),
    RollbackTransaction: unary({
      request: Q.RollbackTransactionRequest,
      response: Q.RollbackTransactionResponse,
      failure: statusAnswer,
      handle(req) {
        session(req.sessionId).rollback(req.txId);
        return { status: SUCCESS };
      },
    }),
  });
}

function execute(engine: Engine, session: Session, req: YdbTypes.Query.ExecuteQueryRequest) {
  refuseUnsupported(req);
  const text = req.queryContent?.text ?? '';
  if (!req.txControl) {
    return { resultSets: engine.execute({ text, params: req.parameters, mode: 'notx' }).resultSets };
  }
  const { result, openTx } = session.run(req.txControl, (tx) => engine.execute({ text, params: req.parameters, mode: 'tx', tx }));
  return { resultSets: result.resultSets, openTx };
}

function refuseUnsupported(req: YdbTypes.Query.ExecuteQueryRequest): void {
  const mode = req.execMode;
  if (mode !== Q.ExecMode.EXEC_MODE_EXECUTE && mode !== Q.ExecMode.EXEC_MODE_UNSPECIFIED) {
    throw YdbFailure.of('BAD_REQUEST', `The emulator only executes queries; exec_mode ${Q.ExecMode[mode]} is not implemented`);
  }
  const syntax = req.queryContent?.syntax ?? Q.Syntax.SYNTAX_UNSPECIFIED;
  if (syntax !== Q.Syntax.SYNTAX_YQL_V1 && syntax !== Q.Syntax.SYNTAX_UNSPECIFIED) {
    throw YdbFailure.of('BAD_REQUEST', `The emulator only understands YQL; syntax ${Q.Syntax[syntax]} is not implemented`);
  }
}

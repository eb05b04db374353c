/** Scripting/ExecuteYql: a whole script, COMMIT-separated parts run one after another. */
import { Ydb } from '../ydb-proto.js';
import type { Engine } from '../engine/index.js';
import { operationFailed, operationOk, resultType } from '../operation.js';
import { defineService, unary, type Gate } from '../rpc.js';

const executeYqlResult = resultType('Ydb.Scripting.ExecuteYqlResult', Ydb.Scripting.ExecuteYqlResult);

export function scriptingService(gate: Gate, engine: Engine) {
  return defineService(gate, 'scripting', 'Ydb.Scripting.V1.ScriptingService', {
    ExecuteYql: unary({
      request: Ydb.Scripting.ExecuteYqlRequest,
      response: Ydb.Scripting.ExecuteYqlResponse,
      failure: operationFailed,
      queryOf: (req) => req.script,
      handle(req) {
        const { resultSets } = engine.execute({ text: req.script, params: req.parameters, mode: 'script' });
        return operationOk(executeYqlResult, { resultSets });
      },
    }),
  });
}

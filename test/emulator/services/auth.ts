/** AuthService/Login: static credentials in, a token for `x-ydb-auth-ticket` out. */
import { Ydb } from '../ydb-proto.js';
import { operationFailed, operationOk, resultType } from '../operation.js';
import { defineService, unary, type Gate } from '../rpc.js';

const loginResult = resultType('Ydb.Auth.LoginResult', Ydb.Auth.LoginResult);

export function authService(gate: Gate) {
  return defineService(gate, 'auth', 'Ydb.Auth.V1.AuthService', {
    Login: unary({
      request: Ydb.Auth.LoginRequest,
      response: Ydb.Auth.LoginResponse,
      failure: operationFailed,
      open: true,
      handle: (req) => operationOk(loginResult, { token: gate.access.login(req.user, req.password) }),
    }),
  });
}

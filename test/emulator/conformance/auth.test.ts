/**
 * Authentication as YDB does it: static credentials exchanged for a token by
 * AuthService/Login, or a required token; refusals come as UNAUTHORIZED from
 * Login and as gRPC UNAUTHENTICATED from every other RPC.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startEmulator, type Emulator } from '../index.js';
import { Ydb } from '../ydb-proto.js';
import {
  AnonymousAuthService,
  collectingUnhandledRejections,
  connect,
  newDriver,
  query,
  RawClient,
  silentLogger,
  StaticCredentialsAuthService,
  StatusCode,
  TIMEOUT_MS,
  TokenAuthService,
} from './support.js';

async function withEmulator(options: Parameters<typeof startEmulator>[0], work: (ydb: Emulator) => Promise<void>): Promise<void> {
  const ydb = await startEmulator(options);
  try {
    await work(ydb);
  } finally {
    await ydb.stop();
  }
}

function staticCredentials(ydb: Emulator, user: string, password: string) {
  // The auth service wants the endpoint alone: a database path would become part of the host.
  return new StaticCredentialsAuthService(user, password, `grpc://127.0.0.1:${ydb.port}`, silentLogger);
}

/** Expects `driver.ready` to reject; returns the error it rejects with. */
async function refusedDriverError(ydb: Emulator, authService: Parameters<typeof newDriver>[1]): Promise<Error> {
  let error: unknown;
  const rejections = await collectingUnhandledRejections(async () => {
    const driver = newDriver(ydb, authService);
    try {
      await driver.ready(TIMEOUT_MS);
    } catch (err) {
      error = err;
    } finally {
      await driver.destroy();
    }
  });
  assert.ok(error instanceof Error, 'driver.ready should have been refused');
  for (const rejection of rejections) assert.equal(String(rejection), String(error), 'only the same refusal may go unhandled');
  return error;
}

describe('static credentials', () => {
  test('Login issues a token that the sdk then sends with every call', () =>
    withEmulator({ user: 'root', password: 'secret' }, async (ydb) => {
      const driver = await connect(ydb, staticCredentials(ydb, 'root', 'secret'));
      try {
        assert.deepEqual(await query(driver, 'SELECT 1 AS one;'), [{ one: 1 }]);
      } finally {
        await driver.destroy();
      }
      assert.equal(ydb.log.calls('Login', 'auth')[0]?.status, 'SUCCESS');
      assert.deepEqual(ydb.log.filter((e) => e.status !== 'SUCCESS'), []);
    }));

  test('a wrong password is UNAUTHORIZED "Invalid password" and the driver never becomes ready', () =>
    withEmulator({ user: 'root', password: 'secret' }, async (ydb) => {
      const error = await refusedDriverError(ydb, staticCredentials(ydb, 'root', 'guess'));
      assert.equal((error.constructor as unknown as { status: number }).status, StatusCode.UNAUTHORIZED);
      assert.match(error.message, /Invalid password/);
      assert.deepEqual(ydb.log.map((e) => `${e.method} ${e.status}`), ['Login UNAUTHORIZED']);
    }));

  test('an unknown user is UNAUTHORIZED "Invalid user"', () =>
    withEmulator({ user: 'root', password: 'secret' }, async (ydb) => {
      const raw = new RawClient(ydb, {});
      try {
        const response = await raw.unary('/Ydb.Auth.V1.AuthService/Login', Ydb.Auth.LoginRequest, Ydb.Auth.LoginResponse, { user: 'nobody', password: 'secret' });
        assert.equal(response.operation?.status, StatusCode.UNAUTHORIZED);
        assert.equal(response.operation?.issues?.[0]?.message, 'Invalid user');
      } finally {
        raw.close();
      }
    }));

  test('a forged token is refused even when it looks like a login token', () =>
    withEmulator({ user: 'root', password: 'secret' }, async (ydb) => {
      const raw = new RawClient(ydb, { 'x-ydb-database': ydb.database, 'x-ydb-auth-ticket': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyb290In0.forged' });
      try {
        await assert.rejects(
          raw.unary('/Ydb.Discovery.V1.DiscoveryService/ListEndpoints', Ydb.Discovery.ListEndpointsRequest, Ydb.Discovery.ListEndpointsResponse, { database: ydb.database }),
          (err: grpc.ServiceError) => err.code === grpc.status.UNAUTHENTICATED && err.details === 'unauthenticated, Token is not valid',
        );
      } finally {
        raw.close();
      }
    }));
});

describe('required token', () => {
  test('the right token is accepted', () =>
    withEmulator({ token: 'secret' }, async (ydb) => {
      const driver = await connect(ydb, new TokenAuthService('secret'));
      try {
        assert.deepEqual(await query(driver, 'SELECT 1 AS one;'), [{ one: 1 }]);
      } finally {
        await driver.destroy();
      }
    }));

  test('no token: every RPC is refused with gRPC UNAUTHENTICATED, as YDB answers', () =>
    withEmulator({ token: 'secret' }, async (ydb) => {
      const error = await refusedDriverError(ydb, new AnonymousAuthService());
      assert.match(error.message, /code 16/);
      assert.match(error.message, /unauthenticated, Access denied without user token/);
      assert.deepEqual(ydb.log.map((e) => `${e.method} ${e.status}`), ['ListEndpoints grpc:UNAUTHENTICATED']);
    }));

  test('a wrong token is refused', () =>
    withEmulator({ token: 'secret' }, async (ydb) => {
      const error = await refusedDriverError(ydb, new TokenAuthService('not-the-secret'));
      assert.match(error.message, /unauthenticated, Token is not valid/);
    }));
});

describe('options', () => {
  test('a user without a password (or the reverse) is refused up front', async () => {
    await assert.rejects(startEmulator({ user: 'root' }), /give both `user` and `password`/);
    await assert.rejects(startEmulator({ password: 'secret' }), /give both `user` and `password`/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { MigrateError } from '../../lib/errors.js';
import { credentialsFromEnv } from '../../lib/ydb/credentials.js';
import { maskSecrets, parseConnectionString } from '../../lib/ydb/connect.js';
import { startEmulator } from '../emulator/index.js';
import { runCli, tempTree, type CliResult } from './harness.js';

const FILES = { 'sql/manifest.txt': '0001_a\n', 'sql/0001_a.up.yql': 'CREATE TABLE secret_test (id Uint64 NOT NULL, PRIMARY KEY (id));\n' };

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function assertNoCrash(res: CliResult): void {
  assert.doesNotMatch(res.stderr, /Unhandled|unhandled|^\s+at /m, `no stack trace or unhandled rejection:\n${res.stderr}`);
}

test('parseConnectionString: the forms YDB uses, and each mistake with how to write it', () => {
  assert.deepEqual(parseConnectionString('grpc://localhost:2136/local'), { secure: false, endpoint: 'localhost:2136', database: '/local', display: 'grpc://localhost:2136/local' });
  assert.deepEqual(parseConnectionString('grpcs://ydb.example.com:2135?database=/ru-central1/b1g/etn'), {
    secure: true,
    endpoint: 'ydb.example.com:2135',
    database: '/ru-central1/b1g/etn',
    display: 'grpcs://ydb.example.com:2135/ru-central1/b1g/etn',
  });
  const bad: [string, RegExp][] = [
    ['localhost:2136/local', /scheme 'localhost', not grpc or grpcs/],
    ['not a url', /is not a URL/],
    ['https://h:1/local', /scheme 'https'/],
    ['grpc://h/local', /has no port/],
    ['grpc://h:2136', /has no database/],
    ['grpc://h:2136/a?database=/b', /names two databases, \/a and \/b/],
    ['grpc://h:2136/local?token=x', /parameter 'token'; only 'database'/],
  ];
  for (const [text, why] of bad) {
    assert.throws(() => parseConnectionString(text), (err: unknown) => err instanceof MigrateError && err.code === 'CONNECTION_STRING_BAD' && why.test(err.message) && /grpc:\/\/HOST:PORT\/DATABASE/.test(err.message), text);
  }
  assert.throws(
    () => parseConnectionString('grpc://root:hunter2@h:2136/local'),
    (err: unknown) => err instanceof MigrateError && err.code === 'CONNECTION_STRING_CREDENTIALS' && !err.message.includes('hunter2') && /YDB_STATIC_CREDENTIALS_USER/.test(err.message),
  );
});

test('credentialsFromEnv: each variable, anonymous by default, two at once refused', () => {
  assert.deepEqual(credentialsFromEnv({}), { kind: 'anonymous' });
  assert.deepEqual(credentialsFromEnv({ YDB_ANONYMOUS_CREDENTIALS: '1' }), { kind: 'anonymous' });
  assert.deepEqual(credentialsFromEnv({ YDB_ACCESS_TOKEN_CREDENTIALS: 't0k' }), { kind: 'access-token', token: 't0k' });
  assert.deepEqual(credentialsFromEnv({ YDB_STATIC_CREDENTIALS_USER: 'root' }), { kind: 'static', user: 'root', password: '' });
  assert.deepEqual(credentialsFromEnv({ YDB_STATIC_CREDENTIALS_USER: 'u', YDB_STATIC_CREDENTIALS_PASSWORD: 'p' }), { kind: 'static', user: 'u', password: 'p' });
  assert.deepEqual(credentialsFromEnv({ YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS: '/k.json' }), { kind: 'service-account-key', file: '/k.json' });
  assert.deepEqual(credentialsFromEnv({ YDB_METADATA_CREDENTIALS: '1', YDB_ANONYMOUS_CREDENTIALS: '0' }), { kind: 'metadata' });
  const refused = (env: NodeJS.ProcessEnv, code: string, why: RegExp) =>
    assert.throws(() => credentialsFromEnv(env), (err: unknown) => err instanceof MigrateError && err.code === code && why.test(err.message) && err.kind === 'input');
  refused({ YDB_ACCESS_TOKEN_CREDENTIALS: 'a', YDB_STATIC_CREDENTIALS_USER: 'u' }, 'CREDENTIALS_AMBIGUOUS', /YDB_ACCESS_TOKEN_CREDENTIALS and YDB_STATIC_CREDENTIALS_USER are both set/);
  refused({ YDB_ANONYMOUS_CREDENTIALS: 'yes' }, 'CREDENTIALS_BAD', /must be 1 or 0, got 'yes'/);
  refused({ YDB_STATIC_CREDENTIALS_PASSWORD: 'p' }, 'CREDENTIALS_BAD', /without YDB_STATIC_CREDENTIALS_USER/);
});

test('maskSecrets hides every occurrence of every secret and leaves other text alone', () => {
  assert.equal(maskSecrets('token abc and abc again, not ab', ['abc', '']), 'token *** and *** again, not ab');
  assert.equal(maskSecrets('nothing here', []), 'nothing here');
});

test('an unreachable YDB: one clear message within the connect timeout, exit 1, no hang, no unhandled rejection', async () => {
  const cwd = await tempTree(FILES);
  const port = await closedPort();
  const started = Date.now();
  const res = await runCli(['up', '-c', `grpc://127.0.0.1:${port}/local`, '--connect-timeout', '1'], { cwd });
  const elapsed = Date.now() - started;
  assert.equal(res.status, 1);
  assert.equal(
    res.stderr.trim(),
    `error: cannot reach YDB at grpc://127.0.0.1:${port}/local within 1 s (connection refused: nothing listens on that port); check that YDB runs there and that -c / YDB_CONNECTION_STRING is right, or raise --connect-timeout [YDB_UNREACHABLE]`,
  );
  assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  const json = await runCli(['status', '--json', '--connect-timeout', '1'], { cwd, env: { YDB_CONNECTION_STRING: `grpc://127.0.0.1:${port}/local` } });
  assert.equal(json.status, 1);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'YDB_UNREACHABLE');
  assertNoCrash(json);
});

test('usage mistakes about the connection exit 2 before connecting', async () => {
  const cwd = await tempTree(FILES);
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['up', '-c', 'localhost:2136'], {}, /\[CONNECTION_STRING_BAD\]/],
    [['up', '--connect-timeout', '0'], {}, /the connect timeout \(--connect-timeout\) must be a number of seconds above 0; got 0/],
    [['up', '--lock-timeout', 'soon'], {}, /the lock timeout \(--lock-timeout\) must be a number of seconds, 0 or more; got NaN/],
    [['up'], { YDB_SSL_ROOT_CERTIFICATES_FILE: '/nonexistent/ca.pem', YDB_CONNECTION_STRING: 'grpcs://127.0.0.1:1/local' }, /cannot read YDB_SSL_ROOT_CERTIFICATES_FILE \/nonexistent\/ca\.pem.*\[TLS_ROOTS_UNREADABLE\]/],
    [['up'], { YDB_METADATA_CREDENTIALS: '1' }, /needs the package @yandex-cloud\/nodejs-sdk.*\[CREDENTIALS_METADATA_PACKAGE\]/],
    [['up'], { YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS: '/nonexistent/key.json' }, /cannot read the service account key file \/nonexistent\/key\.json.*\[CREDENTIALS_KEY_FILE\]/],
    [['up'], { YDB_ENDPOINT: 'grpc://elsewhere:2136' }, /YDB_ENDPOINT is set to 'grpc:\/\/elsewhere:2136'.*\[YDB_ENDPOINT_CONFLICT\]/],
  ];
  for (const [args, env, expected] of cases) {
    const res = await runCli(args, { cwd, env });
    assert.equal(res.status, 2, `${args.join(' ')} ${JSON.stringify(env)}: ${res.stderr}`);
    assert.match(res.stderr, expected);
  }
});

test('credentials: a token and static user/password log in; wrong ones are refused, and no secret is ever printed', async (t) => {
  const emulator = await startEmulator({ token: 'tok-good-7f3a9', user: 'alice', password: 'pa55-good-x1' });
  t.after(() => emulator.stop());
  const cwd = await tempTree(FILES);
  const run = (args: string[], env: Record<string, string>) => runCli(args, { cwd, env: { YDB_CONNECTION_STRING: emulator.connectionString, ...env } });
  const secrets = ['tok-good-7f3a9', 'pa55-good-x1', 'tok-wrong-c0ffee', 'pa55-wrong-d00d'];
  const assertMasked = (res: CliResult) => {
    for (const s of secrets) assert.ok(!res.stdout.includes(s) && !res.stderr.includes(s), `${s} leaked:\n${res.stdout}\n${res.stderr}`);
    assertNoCrash(res);
  };

  const anonymous = await run(['status'], {});
  assert.equal(anonymous.status, 1);
  assert.match(anonymous.stderr, /refused the connection made anonymously \(no YDB_\*_CREDENTIALS variable is set\): unauthenticated, Access denied without user token/);

  const wrongToken = await run(['status', '--json'], { YDB_ACCESS_TOKEN_CREDENTIALS: 'tok-wrong-c0ffee' });
  assert.equal(wrongToken.status, 1);
  assert.match(JSON.parse(wrongToken.stdout).error.message, /with the token in YDB_ACCESS_TOKEN_CREDENTIALS: unauthenticated, Token is not valid/);
  assertMasked(wrongToken);

  const wrongPassword = await run(['up'], { YDB_STATIC_CREDENTIALS_USER: 'alice', YDB_STATIC_CREDENTIALS_PASSWORD: 'pa55-wrong-d00d' });
  assert.equal(wrongPassword.status, 1);
  assert.match(wrongPassword.stderr, /as the user in YDB_STATIC_CREDENTIALS_USER: Invalid password/);
  assertMasked(wrongPassword);

  const withToken = await run(['up', '--json'], { YDB_ACCESS_TOKEN_CREDENTIALS: 'tok-good-7f3a9' });
  assert.equal(withToken.status, 0, withToken.stderr);
  assertMasked(withToken);
  const withPassword = await run(['status'], { YDB_STATIC_CREDENTIALS_USER: 'alice', YDB_STATIC_CREDENTIALS_PASSWORD: 'pa55-good-x1' });
  assert.equal(withPassword.status, 0, withPassword.stderr);
  assert.match(withPassword.stdout, /applied +0001_a/);
  assertMasked(withPassword);

  const failing = await run(['down', '--dry-run', '--json'], { YDB_ACCESS_TOKEN_CREDENTIALS: 'tok-good-7f3a9' });
  assertMasked(failing);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { MigrateError } from '../../lib/errors.js';
import { Migrator } from '../../lib/migrator.js';
import { credentialsFromEnv } from '../../lib/ydb/credentials.js';
import { maskSecrets, parseConnectionString } from '../../lib/ydb/driver.js';
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
    ['localhost:2136/local', /does not start with grpc:\/\/ or grpcs:\/\//],
    ['not a url', /is not a URL/],
    ['https://h:1/local', /does not start with grpc:\/\/ or grpcs:\/\//],
    ['grpc://h/local', /has no port/],
    ['grpc://h:2136', /has no database/],
    ['grpc://h:2136/a?database=/b', /names two databases, \/a and \/b/],
    ['grpc://h:2136/local?token=x', /has a query parameter other than 'database'/],
    ['grpc://h:2136/local;password=x', /has a database that is not a path of letters, digits/],
    ['grpc://h:2136/local#x', /has a '#' part/],
  ];
  for (const [text, why] of bad) {
    assert.throws(() => parseConnectionString(text), (err: unknown) => err instanceof MigrateError && err.code === 'CONNECTION_STRING_BAD' && why.test(err.message) && /its text is not shown.*grpc:\/\/HOST:PORT\/DATABASE/.test(err.message), text);
  }
  assert.throws(
    () => parseConnectionString('grpc://root:hunter2@h:2136/local'),
    (err: unknown) => err instanceof MigrateError && err.code === 'CONNECTION_STRING_CREDENTIALS' && !err.message.includes('hunter2') && /YDB_USER and YDB_PASSWORD/.test(err.message),
  );
});

test('credentialsFromEnv: the ydb CLI\'s variables and the SDK\'s, none by default, two kinds refused by name without values', () => {
  assert.equal(credentialsFromEnv({}), null);
  assert.equal(credentialsFromEnv({ YDB_ANONYMOUS_CREDENTIALS: '0', USE_METADATA_CREDENTIALS: '0' }), null);
  assert.deepEqual(credentialsFromEnv({ YDB_ANONYMOUS_CREDENTIALS: '1' }), { credentials: { kind: 'anonymous' }, from: 'YDB_ANONYMOUS_CREDENTIALS' });
  assert.deepEqual(credentialsFromEnv({ IAM_TOKEN: 'i4m' }), { credentials: { kind: 'access-token', token: 'i4m' }, from: 'IAM_TOKEN' });
  assert.deepEqual(credentialsFromEnv({ YDB_TOKEN: 't0k' }), { credentials: { kind: 'access-token', token: 't0k' }, from: 'YDB_TOKEN' });
  assert.deepEqual(credentialsFromEnv({ YDB_ACCESS_TOKEN_CREDENTIALS: 't0k' }), { credentials: { kind: 'access-token', token: 't0k' }, from: 'YDB_ACCESS_TOKEN_CREDENTIALS' });
  assert.deepEqual(credentialsFromEnv({ YDB_USER: 'root' }), { credentials: { kind: 'static', user: 'root', password: '' }, from: 'YDB_USER' });
  assert.deepEqual(credentialsFromEnv({ YDB_USER: 'u', YDB_PASSWORD: 'p' }), { credentials: { kind: 'static', user: 'u', password: 'p' }, from: 'YDB_USER+YDB_PASSWORD' });
  assert.deepEqual(credentialsFromEnv({ YDB_STATIC_CREDENTIALS_USER: 'u', YDB_STATIC_CREDENTIALS_PASSWORD: 'p' })?.credentials, { kind: 'static', user: 'u', password: 'p' });
  assert.deepEqual(credentialsFromEnv({ SA_KEY_FILE: '/k.json' })?.credentials, { kind: 'service-account-key', file: '/k.json' });
  assert.deepEqual(credentialsFromEnv({ YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS: '/k.json' })?.credentials, { kind: 'service-account-key', file: '/k.json' });
  assert.deepEqual(credentialsFromEnv({ USE_METADATA_CREDENTIALS: '1' })?.credentials, { kind: 'metadata' });
  assert.deepEqual(credentialsFromEnv({ YDB_METADATA_CREDENTIALS: '1', YDB_ANONYMOUS_CREDENTIALS: '0' })?.credentials, { kind: 'metadata' });
  const refused = (env: NodeJS.ProcessEnv, code: string, why: RegExp) =>
    assert.throws(() => credentialsFromEnv(env), (err: unknown) => err instanceof MigrateError && err.code === code && why.test(err.message) && err.kind === 'input' && !Object.values(env).some((v) => v && v.length > 3 && err.message.includes(v)));
  refused({ YDB_TOKEN: 'secret-a', YDB_USER: 'u', YDB_PASSWORD: 'secret-b' }, 'CREDENTIALS_AMBIGUOUS', /^YDB_TOKEN and YDB_USER\+YDB_PASSWORD are all set/);
  refused({ IAM_TOKEN: 'secret-a', YDB_ACCESS_TOKEN_CREDENTIALS: 'secret-b' }, 'CREDENTIALS_AMBIGUOUS', /IAM_TOKEN and YDB_ACCESS_TOKEN_CREDENTIALS/);
  refused({ YDB_ANONYMOUS_CREDENTIALS: 'yes' }, 'CREDENTIALS_BAD', /must be 1 or 0, got 'yes'/);
  refused({ YDB_PASSWORD: 'secret-p' }, 'CREDENTIALS_BAD', /YDB_PASSWORD is set without YDB_USER/);
  refused({ YC_TOKEN: 'secret-yc' }, 'CREDENTIALS_UNSUPPORTED', /YC_TOKEN .*IAM_TOKEN=\$\(yc iam create-token\)/);
  refused({ YDB_OAUTH2_KEY_FILE: '/o.json' }, 'CREDENTIALS_UNSUPPORTED', /YDB_OAUTH2_KEY_FILE .*OAuth 2\.0 token exchange/);
});

test('maskSecrets hides every occurrence of every secret and leaves other text alone', () => {
  assert.equal(maskSecrets('token abc and abc again, not ab', ['abc', '']), 'token *** and *** again, not ab');
  assert.equal(maskSecrets('nothing here', []), 'nothing here');
});

/** A TCP server that accepts connections and never answers. */
async function silentServer(t: { after(fn: () => unknown): void }): Promise<number> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

test('connection failures are told apart, each with what to check, and the process exits right after', async (t) => {
  const cwd = await tempTree(FILES);
  const closed = await closedPort();
  const silent = await silentServer(t);
  const http = createHttpServer((_req, res) => res.end('hello'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => http.close(resolve)));
  const httpPort = (http.address() as { port: number }).port;
  const emulator = await startEmulator();
  t.after(() => emulator.stop());

  const cases: [string, string[], string, RegExp][] = [
    ['nothing listening', ['-c', `grpc://127.0.0.1:${closed}/local`], 'YDB_NOTHING_LISTENS', /nothing listens on 127\.0\.0\.1:\d+ \(connection refused\); check the port\. No YDB on this machine\? `make emulator` starts the test emulator/],
    ['host not found', ['-c', 'grpc://no-such-host.invalid:2136/local'], 'YDB_HOST_NOT_FOUND', /host no-such-host\.invalid not found .*check the host name/],
    ['a port that accepts TCP and never answers', ['-c', `grpc://127.0.0.1:${silent}/local`], 'YDB_NO_ANSWER', /accepted the connection but did not answer as an HTTP\/2 \(gRPC\) server within 1 s/],
    ['grpcs:// against a silent port', ['-c', `grpcs://127.0.0.1:${silent}/local`], 'YDB_TLS_MISMATCH', /did not complete a TLS handshake within 1 s; if it serves plain gRPC, write grpc:\/\//],
    ['grpcs:// against a plain gRPC port', ['-c', `grpcs://127.0.0.1:${emulator.port}/local`], 'YDB_TLS_MISMATCH', /does not speak TLS .*write grpc:\/\/ instead of grpcs:\/\//],
    ['-e without a scheme means grpcs, as in the ydb CLI', ['-e', `127.0.0.1:${emulator.port}`, '-d', '/local'], 'YDB_TLS_MISMATCH', /at grpcs:\/\/127\.0\.0\.1:\d+\/local: .*does not speak TLS/],
    ['a web server', ['-c', `grpc://127.0.0.1:${httpPort}/local`], 'YDB_NOT_YDB', /does not speak HTTP\/2 \(gRPC\): it may be a web server/],
    ['an unknown database', ['-e', `grpc://127.0.0.1:${emulator.port}`, '-d', '/nope'], 'YDB_UNKNOWN_DATABASE', /does not know the database \/nope .*check -d/],
  ];
  for (const [what, args, code, message] of cases) {
    const res = await runCli(['status', ...args, '--connect-timeout', '1', '--json'], { cwd, timeoutMs: 20_000 });
    assert.equal(res.status, 1, `${what}: the process must exit by itself with 1 (null means it was killed after 20 s)\n${res.stderr}`);
    const error = (JSON.parse(res.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, code, `${what}: ${error.message}`);
    assert.match(error.message, message, what);
    assert.equal(res.stderr, '', `${what}: no Node warnings or traces`);
  }
  const text = await runCli(['up', '-c', `grpc://127.0.0.1:${closed}/local`], { cwd });
  assert.equal(text.status, 1);
  assert.match(text.stderr, /^error: cannot connect to YDB at grpc:\/\/127\.0\.0\.1:\d+\/local: nothing listens .*\(the address comes from -c\) \[YDB_NOTHING_LISTENS\]\n$/);
  const byDefault = await runCli(['status'], { cwd, env: { HOME: cwd } });
  assert.match(byDefault.stderr, /at grpc:\/\/localhost:2136\/local: .*no address was given, so this is the default/);
});

test('a password in a malformed or refused connection string is never printed: not in messages, --json or the config file error', async () => {
  const secret = 'hunter2-s3cret';
  const cwd = await tempTree({ ...FILES, 'other.json': JSON.stringify({ connectionString: `grpc://root:${secret}@h:2136` }) });
  const inputs: [string[], Record<string, string>][] = [
    [['status', '-c', `grpc//root:${secret}@h:2136/local`], {}],
    [['status', '-c', `grpc://root:${secret}@h:2136/local`, '--json'], {}],
    [['status', '-c', `https://root:${secret}@h/local`], {}],
    [['status', '-e', `root:${secret}@h:2136`, '-d', '/local', '--json'], {}],
    [['status'], { YDB_CONNECTION_STRING: `grpc://root:${secret}@h:2136` }],
    [['status'], { YDB_CONNECTION_STRING: 'grpc://127.0.0.1:1/local', YDB_ENDPOINT: `grpc://root:${secret}@elsewhere:2136` }],
    [['status', '--config', 'other.json'], {}],
    [['sql', '-c', `grpc://root:${secret}@h:2136/local`], {}],
  ];
  for (const [args, env] of inputs) {
    const res = await runCli(args, { cwd, env });
    assert.ok(!res.stdout.includes(secret) && !res.stderr.includes(secret), `${args.join(' ')} leaked:\n${res.stdout}\n${res.stderr}`);
    if (args[0] !== 'sql') assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    if (args[0] !== 'sql') assert.match(res.stdout + res.stderr, /from (-c|-e|YDB_CONNECTION_STRING|the config key connectionString)|YDB_ENDPOINT is set/, `${args.join(' ')} names where the text came from`);
  }
});

test('usage mistakes about the connection exit 2 before connecting', async () => {
  const cwd = await tempTree(FILES);
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['up', '-c', 'localhost:2136'], {}, /\[CONNECTION_STRING_BAD\]/],
    [['up', '--connect-timeout', '0'], {}, /the connect timeout \(--connect-timeout\) must be a number of seconds above 0; got 0/],
    [['up', '--lock-timeout', 'soon'], {}, /the lock timeout \(--lock-timeout\) must be a number of seconds, 0 or more; got NaN/],
    [['up'], { YDB_SSL_ROOT_CERTIFICATES_FILE: '/nonexistent/ca.pem', YDB_CONNECTION_STRING: 'grpcs://127.0.0.1:1/local' }, /cannot read the CA file \/nonexistent\/ca\.pem named by YDB_SSL_ROOT_CERTIFICATES_FILE.*\[TLS_FILE_UNREADABLE\]/],
    [['up'], { YDB_METADATA_CREDENTIALS: '1' }, /need the package @yandex-cloud\/nodejs-sdk.*\[CREDENTIALS_METADATA_PACKAGE\]/],
    [['up'], { USE_METADATA_CREDENTIALS: '1' }, /need the package @yandex-cloud\/nodejs-sdk.*\[CREDENTIALS_METADATA_PACKAGE\]/],
    [['up', '-c', 'grpc://h:1/a', '-d', '/b'], {}, /-c\/--connection-string and -d\/--database are both given.*\[CONNECTION_CONFLICT\]/],
    [['up', '-e', 'grpc://h:1/a', '-d', '/b'], {}, /-e names the database \/a and -d names \/b.*\[CONNECTION_CONFLICT\]/],
    [['up', '-e', 'grpc://h:1'], {}, /-e names the endpoint h:1 but nothing names the database; add -d/],
    [['up', '-d', 'local'], {}, /-d names a database that is not a path of letters, digits, '-', '_' and '\.' starting with '\/'/],
    [['up'], { YDB_TOKEN: 'secret-a', YDB_USER: 'u' }, /YDB_TOKEN and YDB_USER are all set.*\[CREDENTIALS_AMBIGUOUS\]/],
    [['up'], { YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS: '/nonexistent/key.json' }, /cannot read the service account key file \/nonexistent\/key\.json.*\[CREDENTIALS_KEY_FILE\]/],
    [['up'], { YDB_ENDPOINT: 'grpc://elsewhere:2136' }, /YDB_ENDPOINT is set to another address .*\[YDB_ENDPOINT_CONFLICT\]/],
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
  assert.match(anonymous.stderr, /refused the login made anonymously \(no credentials were given: set one of IAM_TOKEN, .*\): unauthenticated, Access denied without user token; check the credentials.*\[YDB_AUTH_FAILED\]/);

  const wrongToken = await run(['status', '--json'], { YDB_ACCESS_TOKEN_CREDENTIALS: 'tok-wrong-c0ffee' });
  assert.equal(wrongToken.status, 1);
  assert.match(JSON.parse(wrongToken.stdout).error.message, /with the token from YDB_ACCESS_TOKEN_CREDENTIALS: unauthenticated, Token is not valid/);
  assertMasked(wrongToken);

  const wrongPassword = await run(['up'], { YDB_STATIC_CREDENTIALS_USER: 'alice', YDB_STATIC_CREDENTIALS_PASSWORD: 'pa55-wrong-d00d' });
  assert.equal(wrongPassword.status, 1);
  assert.match(wrongPassword.stderr, /as the user 'alice' from YDB_STATIC_CREDENTIALS_USER\+YDB_STATIC_CREDENTIALS_PASSWORD: Invalid password/);
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

test('--profile and the active profile of the ydb CLI connect and log in; --profile beats the environment, which beats the active profile', async (t) => {
  const emulator = await startEmulator({ user: 'alice', password: 'pa55-profile-9' });
  t.after(() => emulator.stop());
  const home = await tempTree({
    'pw.txt': 'pa55-profile-9\n',
    'ydb/config/config.yaml': [
      'active_profile: dev',
      'profiles:',
      '  dev:',
      `    endpoint: grpc://127.0.0.1:${emulator.port}`,
      '    database: /local',
      '    authentication: { method: static-credentials, data: { user: alice, password-file: PWFILE } }',
      '  wrongdb:',
      `    endpoint: grpc://127.0.0.1:${emulator.port}`,
      '    database: /elsewhere',
      '',
    ].join('\n'),
  });
  const yaml = join(home, 'ydb/config/config.yaml');
  await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('PWFILE', join(home, 'pw.txt')));
  const cwd = await tempTree(FILES);
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd, env: { HOME: home, ...env } });

  const active = await run(['up']);
  assert.equal(active.status, 0, active.stderr);
  const named = await run(['status', '--profile', 'dev']);
  assert.equal(named.status, 0, named.stderr);
  assert.match(named.stdout, /applied +0001_a/);
  const wrongDb = await run(['status', '--profile', 'wrongdb', '--connect-timeout', '2']);
  assert.equal(wrongDb.status, 1);
  assert.match(wrongDb.stderr, /does not know the database \/elsewhere/);
  // The ydb CLI's order: a profile named with --profile beats the environment (`ydb -p dev` goes to dev, whatever is exported).
  const elsewhere = { YDB_CONNECTION_STRING: `grpc://127.0.0.1:${await closedPort()}/elsewhere`, YDB_USER: 'alice', YDB_PASSWORD: 'wrong-pw-77' };
  const namedWins = await run(['status', '-p', 'dev', '--connect-timeout', '2'], elsewhere);
  assert.equal(namedWins.status, 0, namedWins.stderr);
  assert.match(namedWins.stdout, new RegExp(`^grpc://127\\.0\\.0\\.1:${emulator.port}/local, history table`, 'm'));
  // ...and the environment beats the active profile.
  const envWins = await run(['status', '--connect-timeout', '2'], { YDB_USER: 'alice', YDB_PASSWORD: 'wrong-pw-77' });
  assert.equal(envWins.status, 1);
  assert.match(envWins.stderr, /refused the login made as the user 'alice' from YDB_USER\+YDB_PASSWORD: Invalid password/);
  assert.ok(!envWins.stderr.includes('wrong-pw-77') && !envWins.stderr.includes('pa55-profile-9'));
});

test('Migrator: an explicit credentials option beats the environment, and a driver the program owns is used and left open', async (t) => {
  const emulator = await startEmulator({ token: 'tok-program-5e1' });
  t.after(() => emulator.stop());
  const cwd = await tempTree(FILES);
  const env = { YDB_TOKEN: 'tok-env-wrong' };
  const fromEnv = await new Migrator({ dir: join(cwd, 'sql'), connectionString: emulator.connectionString, env, connectTimeoutSeconds: 5 }).up();
  assert.equal(fromEnv.ok, false);
  if (!fromEnv.ok) assert.match(fromEnv.error.message, /refused the login made with the token from YDB_TOKEN/);
  const explicit = new Migrator({ dir: join(cwd, 'sql'), connectionString: emulator.connectionString, env, credentials: { kind: 'access-token', token: 'tok-program-5e1' } });
  const applied = await explicit.up();
  assert.equal(applied.ok, true, applied.error?.message);

  const sdk = (await import('ydb-sdk')).default;
  const driver = new sdk.Driver({ connectionString: emulator.connectionString, authService: new sdk.TokenAuthService('tok-program-5e1') });
  t.after(() => driver.destroy());
  assert.equal(await driver.ready(5000), true);
  const onDriver = new Migrator({ dir: join(cwd, 'sql'), driver, env: {} });
  const status = await onDriver.status();
  assert.equal(status.database, emulator.connectionString, 'messages name the driver\'s database');
  assert.equal(status.current, '0001_a');
  const again = await onDriver.up();
  assert.equal(again.ok, true);
  assert.deepEqual(again.results, [], 'the same database: nothing left to apply');
  // The Migrator closed nothing: the program's driver still answers.
  const rows = await driver.queryClient.do({ timeout: 5000, fn: async (session) => (await session.execute({ text: 'SELECT 1 AS one;' })).resultSets });
  assert.ok(rows);
});

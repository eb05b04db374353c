import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseParamFlags, resolveConfig, DEFAULT_CONNECTION_STRING, DEFAULT_TABLE } from '../lib/config.js';
import { MigrateError } from '../lib/errors.js';
import { tempTree } from './helpers/cli.js';
import { resolveConnection, type ConnectionInputs } from '../lib/ydb/settings.js';

test('defaults apply when nothing is given', async () => {
  const cwd = await tempTree();
  const config = await resolveConfig({}, {}, cwd);
  assert.equal(config.dir, join(cwd, 'sql'));
  assert.equal(config.table, DEFAULT_TABLE);
  assert.equal(config.connectionString, DEFAULT_CONNECTION_STRING);
  assert.equal(config.connectionStringGiven, false);
  assert.equal(config.configFile, null);
});

test('flags beat environment, environment beats the config file', async () => {
  const cwd = await tempTree({
    'ydb-migrate.json': JSON.stringify({ dir: 'from-file', table: 'file_table', connectionString: 'grpc://file:2136/db', params: { a: 'file', b: 'file' } }),
  });
  const env = { YDB_MIGRATE_DIR: 'from-env', YDB_CONNECTION_STRING: 'grpc://env:2136/db' };
  const fromEnv = await resolveConfig({}, env, cwd);
  assert.equal(fromEnv.dir, join(cwd, 'from-env'));
  assert.equal(fromEnv.table, 'file_table');
  assert.equal(fromEnv.connectionString, 'grpc://env:2136/db');
  assert.equal(fromEnv.connectionStringGiven, true);
  const fromFlags = await resolveConfig({ dir: 'from-flag', connectionString: 'grpc://flag:2136/db', param: ['b=flag'] }, env, cwd);
  assert.equal(fromFlags.dir, join(cwd, 'from-flag'));
  assert.equal(fromFlags.connectionString, 'grpc://flag:2136/db');
  assert.deepEqual(fromFlags.params, { a: 'file', b: 'flag' });
});

test('an unknown key in the config file is refused with its line', async () => {
  const cwd = await tempTree({ 'ydb-migrate.json': '{\n  "dir": "sql",\n  "tabel": "x"\n}\n' });
  await assert.rejects(resolveConfig({}, {}, cwd), (err: MigrateError) => {
    assert.equal(err.code, 'CONFIG_UNKNOWN_KEY');
    assert.equal(err.location?.line, 3);
    assert.match(err.message, /tabel/);
    return true;
  });
});

test('a config value of the wrong type is refused', async () => {
  const cwd = await tempTree({ 'ydb-migrate.json': '{"params": {"env": ["a"]}}' });
  await assert.rejects(resolveConfig({}, {}, cwd), { code: 'CONFIG_BAD_VALUE' });
});

test('malformed JSON and a missing explicit --config are input errors', async () => {
  const cwd = await tempTree({ 'ydb-migrate.json': '{ "dir": ' });
  await assert.rejects(resolveConfig({}, {}, cwd), { code: 'CONFIG_BAD_JSON', kind: 'input' });
  await assert.rejects(resolveConfig({ config: 'nope.json' }, {}, cwd), { code: 'CONFIG_UNREADABLE' });
});

test('--param takes NAME=VALUE, keeps = inside the value, refuses junk and repeats', () => {
  assert.deepEqual(parseParamFlags(['env=prod', '$n=a=b', 'empty=']), { env: 'prod', n: 'a=b', empty: '' });
  assert.throws(() => parseParamFlags(['novalue']), { code: 'PARAM_BAD_FLAG' });
  assert.throws(() => parseParamFlags(['1x=2']), { code: 'PARAM_BAD_FLAG' });
  assert.throws(() => parseParamFlags(['a=1', 'a=2']), { code: 'PARAM_DUPLICATE' });
});

test('a history table name that is not a valid YDB path is refused', async () => {
  const cwd = await tempTree();
  await assert.rejects(resolveConfig({ table: 'bad`name' }, {}, cwd), { code: 'HISTORY_BAD_TABLE' });
  assert.equal((await resolveConfig({ table: 'ops/migrations' }, {}, cwd)).table, 'ops/migrations');
});

/** A HOME holding the ydb CLI's profile file. */
async function homeWithProfiles(yaml: string, extra: Record<string, string> = {}): Promise<string> {
  return tempTree({ 'ydb/config/config.yaml': yaml, ...extra });
}

const PROFILES = `active_profile: act
profiles:
  act:
    endpoint: grpc://active-host:2136
    database: /active
  prod:
    endpoint: prod-host
    database: /prod
    ca-file: /etc/ca.pem
    authentication:
      method: static-credentials
      data:
        user: alice
        password-file: PASSWORD_FILE
  tok:
    endpoint: grpc://tok-host:2136
    database: /tok
    authentication: { method: token-file, data: TOKEN_FILE }
  yc:
    endpoint: grpc://yc:2136
    authentication: { method: yc-token, data: secret-yc-token }
  odd:
    authentication: { method: ldap-magic }
  half:
    endpoint: grpc://half:2136
`;

test("connection precedence, the ydb CLI's: flags > --profile > environment > active profile > config file > defaults, each setting on its own", async () => {
  const home = await homeWithProfiles(PROFILES.replace('PASSWORD_FILE', '/dev/null').replace('    database: /active\n', '    database: /active\n    ca-file: /active/ca.pem\n'));
  const cwd = await tempTree({ 'ydb-migrate.json': JSON.stringify({ connectionString: 'grpc://file-host:2136/file' }) });
  const at = (inputs: ConnectionInputs, env: NodeJS.ProcessEnv = {}) => resolveConnection(inputs, { HOME: home, ...env });
  const fileOnly = { fileConnectionString: 'grpc://file-host:2136/file' };
  // defaults (no profile file in this HOME)
  assert.equal(resolveConnection({}, { HOME: cwd }).target.display, DEFAULT_CONNECTION_STRING);
  assert.equal(resolveConnection({}, { HOME: cwd }).endpointFrom, null);
  // config file < active profile
  assert.equal(resolveConnection(fileOnly, { HOME: cwd }).target.display, 'grpc://file-host:2136/file');
  assert.equal(resolveConnection(fileOnly, { HOME: cwd }).endpointFrom, 'the config key connectionString');
  assert.equal(at(fileOnly).target.display, 'grpc://active-host:2136/active');
  assert.equal(at(fileOnly).endpointFrom, 'the active profile act');
  assert.equal(at({ ...fileOnly, profile: false }).target.display, 'grpc://file-host:2136/file');
  // a named profile: -e without scheme and port means grpcs and 2135, as in the ydb CLI
  assert.deepEqual(at({ profile: 'prod' }).target, { secure: true, endpoint: 'prod-host:2135', database: '/prod', display: 'grpcs://prod-host:2135/prod' });
  assert.deepEqual([at({ profile: 'prod' }).tls.caFile, at({ profile: 'prod' }).tls.caFrom], ['/etc/ca.pem', 'profile prod (ca-file)']);
  // the named profile > environment > the active profile (ydb -p prod goes to prod whatever is exported)
  const env = { YDB_CONNECTION_STRING: 'grpc://env-host:2136/env', YDB_SSL_ROOT_CERTIFICATES_FILE: '/env/ca.pem' };
  assert.equal(at({ profile: 'prod' }, env).target.display, 'grpcs://prod-host:2135/prod');
  assert.equal(at({ profile: 'prod' }, env).endpointFrom, 'profile prod');
  assert.equal(at({ profile: 'prod' }, env).tls.caFile, '/etc/ca.pem');
  assert.equal(at({}, env).target.display, 'grpc://env-host:2136/env');
  assert.equal(at({}, env).tls.caFile, '/env/ca.pem');
  assert.equal(at({}).tls.caFile, '/active/ca.pem');
  // what the named profile lacks comes from the environment, then the active profile
  assert.equal(at({ profile: 'half' }, env).target.display, 'grpc://half:2136/env');
  assert.equal(at({ profile: 'half' }).target.display, 'grpc://half:2136/active');
  assert.equal(at({ profile: 'half' }, env).tls.caFile, '/env/ca.pem');
  // flags > everything, each setting from the first source that has it
  assert.equal(at({ connectionString: 'grpc://flag:1/flag', profile: 'prod' }, env).target.display, 'grpc://flag:1/flag');
  assert.equal(at({ endpoint: 'grpc://flag:1' }, env).target.display, 'grpc://flag:1/env');
  assert.equal(at({ endpoint: 'grpc://flag:1', profile: 'prod' }, env).target.display, 'grpc://flag:1/prod');
  assert.equal(at({ database: '/flagdb' }, env).target.display, 'grpc://env-host:2136/flagdb');
  assert.equal(at({ endpoint: 'grpc://flag:1' }, env).endpointFrom, '-e');
});

test('profile credentials: every kind the SDK can use; the named profile above the environment, the credentials option above both; others refused by name', async () => {
  const scratch = await tempTree({ 'pw.txt': 'pa55\n', 'tok.txt': 'tok-from-file\n' });
  const home = await homeWithProfiles(PROFILES.replace('PASSWORD_FILE', join(scratch, 'pw.txt')).replace('TOKEN_FILE', join(scratch, 'tok.txt')));
  const at = (inputs: ConnectionInputs, env: NodeJS.ProcessEnv = {}) => resolveConnection(inputs, { HOME: home, ...env }).credentials;
  assert.deepEqual(at({ profile: 'prod' }), { credentials: { kind: 'static', user: 'alice', password: 'pa55' }, from: 'profile prod (static-credentials)' });
  assert.deepEqual(at({ profile: 'tok' }), { credentials: { kind: 'access-token', token: 'tok-from-file' }, from: 'profile tok (token-file)' });
  // the named profile's login beats the environment's; the environment's beats the active profile's
  assert.deepEqual(at({ profile: 'tok' }, { YDB_TOKEN: 'env-tok' }), { credentials: { kind: 'access-token', token: 'tok-from-file' }, from: 'profile tok (token-file)' });
  assert.deepEqual(at({ profile: 'act' }, { YDB_TOKEN: 'env-tok' }), { credentials: { kind: 'access-token', token: 'env-tok' }, from: 'YDB_TOKEN' });
  const tokActive = await homeWithProfiles(PROFILES.replace('active_profile: act', 'active_profile: tok').replace('PASSWORD_FILE', '/dev/null').replace('TOKEN_FILE', join(scratch, 'tok.txt')));
  assert.equal(resolveConnection({}, { HOME: tokActive, YDB_TOKEN: 'env-tok' }).credentials.from, 'YDB_TOKEN');
  assert.equal(resolveConnection({}, { HOME: tokActive }).credentials.from, 'the active profile tok (token-file)');
  assert.deepEqual(at({ profile: 'tok', credentials: { kind: 'anonymous' } }, { YDB_TOKEN: 'env-tok' }), { credentials: { kind: 'anonymous' }, from: 'the credentials option' });
  assert.deepEqual(at({}), { credentials: { kind: 'anonymous' }, from: null });
  const refused = (inputs: ConnectionInputs, code: string, why: RegExp) =>
    assert.throws(() => resolveConnection(inputs, { HOME: home }), (err: unknown) => err instanceof MigrateError && err.code === code && why.test(err.message) && !err.message.includes('secret-yc-token'));
  refused({ profile: 'yc' }, 'PROFILE_UNSUPPORTED', /profile yc .* logs in with yc-token, .*IAM_TOKEN=\$\(yc iam create-token\)/);
  refused({ profile: 'odd' }, 'PROFILE_UNSUPPORTED', /the method 'ldap-magic'/);
  refused({ profile: 'nope' }, 'PROFILE_UNKNOWN', /no profile 'nope' in .*config\.yaml; its profiles: act, prod, tok, yc, odd, half/);
  const broken = await homeWithProfiles('profiles:\n  a: [\n');
  assert.throws(() => resolveConnection({}, { HOME: broken }), (err: unknown) => err instanceof MigrateError && err.code === 'PROFILE_BAD_YAML' && err.location?.file.endsWith('config.yaml') === true && err.location.line > 1);
});

test('a JSON error in the config file points at its line and column', async () => {
  const cwd = await tempTree({ 'ydb-migrate.json': '{\n  "dir": "sql",\n  table: "t"\n}\n' });
  await assert.rejects(resolveConfig({}, {}, cwd), (err: MigrateError) => {
    assert.deepEqual([err.location?.line, err.location?.column], [3, 3]);
    return true;
  });
  const cut = await tempTree({ 'ydb-migrate.json': '{\n  "dir": "sql",\n' });
  await assert.rejects(resolveConfig({}, {}, cut), (err: MigrateError) => err.location?.line === 3 && err.location.column === 1);
});

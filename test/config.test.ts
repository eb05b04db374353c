import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseParamFlags, resolveConfig, DEFAULT_CONNECTION_STRING, DEFAULT_TABLE } from '../lib/config.js';
import { MigrateError } from '../lib/errors.js';
import { tempTree } from './helpers/cli.js';

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

test('a JSON error in the config file points at its line and column', async () => {
  const cwd = await tempTree({ 'ydb-migrate.json': '{\n  "dir": "sql",\n  table: "t"\n}\n' });
  await assert.rejects(resolveConfig({}, {}, cwd), (err: MigrateError) => {
    assert.deepEqual([err.location?.line, err.location?.column], [3, 3]);
    return true;
  });
  const cut = await tempTree({ 'ydb-migrate.json': '{\n  "dir": "sql",\n' });
  await assert.rejects(resolveConfig({}, {}, cut), (err: MigrateError) => err.location?.line === 3 && err.location.column === 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT, TOOL_VERSION } from '../lib/package-info.js';
import { spawnSync } from 'node:child_process';
import { CLI, runCli, tempTree } from './helpers/cli.js';
import { startDatabase } from './online/harness.js';

const GOOD = {
  'sql/manifest.txt': '0001_a\n@v1\n0002_b\n',
  'sql/0001_a.up.yql': 'CREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  'sql/0001_a.down.yql': 'DROP TABLE a;\n',
  'sql/0002_b.up.yql': 'DECLARE $who AS Utf8;\nUPSERT INTO a (id) VALUES (1);\n',
  'sql/0002_b.down.yql': 'DELETE FROM a WHERE id = 1;\n',
};

test('--version prints the package version; --help lists every command with examples', async () => {
  const cwd = await tempTree();
  const version = await runCli(['--version'], { cwd });
  assert.equal(version.stdout.trim(), TOOL_VERSION);
  const help = await runCli(['--help'], { cwd });
  assert.equal(help.status, 0);
  for (const command of ['sql', 'create', 'validate']) assert.match(help.stdout, new RegExp(`ydb-migrate ${command}`));
  for (const command of ['sql', 'create', 'validate']) {
    const sub = await runCli([command, '--help'], { cwd });
    assert.equal(sub.status, 0);
    assert.match(sub.stdout, /Examples:/, `${command} --help shows examples`);
  }
});

test('usage errors exit 2', async () => {
  const cwd = await tempTree();
  const unknown = await runCli(['frobnicate'], { cwd });
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, "error: unknown command 'frobnicate'\nRun 'ydb-migrate --help' for usage.\n");
  // Named, with a suggestion only when one is close; a command that changes the database only when it is very close.
  const said: [string, string][] = [
    ['stauts', "unknown command 'stauts'; did you mean status?"],
    ['version', "unknown command 'version'; did you mean --version?"],
    ['info', "unknown command 'info'"],
    ['dwon', "unknown command 'dwon'; did you mean down?"],
    ['unlcok', "unknown command 'unlcok'; did you mean unlock?"],
    ['rep', "unknown command 'rep'"],
  ];
  for (const [word, message] of said) {
    const res = await runCli([word], { cwd });
    assert.equal(res.status, 2);
    assert.equal(res.stderr.split('\n')[0], `error: ${message}`, word);
  }
  assert.match((await runCli(['status', 'extra'], { cwd })).stderr, /^error: unknown argument 'extra'$/m);
  // A command's own usage mistake points at that command's help.
  const noSchema = await runCli(['diff'], { cwd });
  assert.equal(noSchema.status, 2);
  assert.equal(noSchema.stderr, "error: --schema is required\nRun 'ydb-migrate diff --help' for usage.\n");
  const badFlag = await runCli(['validate', '--no-such-flag'], { cwd });
  assert.equal(badFlag.status, 2);
});

test('validate: ok on a good set (exit 0), every manifest error with file:line (exit 2)', async () => {
  const good = await tempTree(GOOD);
  const ok = await runCli(['validate', '--param', 'who=me'], { cwd: good });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /ok: 2 migration\(s\)/);
  const bad = await tempTree({ 'sql/manifest.txt': '0001_a\n0001_a\n../x\n0003_missing\n', 'sql/0001_a.up.yql': 'SELECT 1;' });
  const res = await runCli(['validate'], { cwd: bad });
  assert.equal(res.status, 2);
  assert.match(res.stderr, /manifest\.txt:2:\d+: .*\[MANIFEST_DUPLICATE_NAME\]/);
  assert.match(res.stderr, /manifest\.txt:3:\d+: .*\[MANIFEST_UNSAFE_NAME\]/);
  assert.match(res.stderr, /manifest\.txt:4:\d+: .*\[MANIFEST_MISSING_UP\]/);
});

test('validate --json gives one parseable document, also for errors', async () => {
  const good = await tempTree(GOOD);
  const ok = await runCli(['validate', '--json'], { cwd: good });
  const doc = JSON.parse(ok.stdout) as { ok: boolean; migrations: number; warnings: { code: string }[] };
  assert.equal(doc.ok, true);
  assert.equal(doc.migrations, 2);
  assert.ok(doc.warnings.some((w) => w.code === 'PARAM_NO_VALUE'));
  const bad = await tempTree({ 'sql/manifest.txt': '0001_missing\n' });
  const res = await runCli(['validate', '--json'], { cwd: bad });
  assert.equal(res.status, 2);
  assert.equal((JSON.parse(res.stdout) as { ok: boolean }).ok, false);
});

test('sql: stdout and -o give the same bytes, run after run; --timestamp honours SOURCE_DATE_EPOCH', async () => {
  const cwd = await tempTree(GOOD);
  const first = await runCli(['sql', '--param', 'who=me'], { cwd });
  assert.equal(first.status, 0, first.stderr);
  const second = await runCli(['sql', '--param', 'who=me', '-o', 'out.yql'], { cwd });
  assert.equal(second.status, 0, second.stderr);
  const written = await readFile(join(cwd, 'out.yql'), 'utf8');
  assert.equal(written.replace('-f out.yql', '-f <script.yql>'), first.stdout);
  const stamped = await runCli(['sql', '--param', 'who=me', '--timestamp'], { cwd, env: { SOURCE_DATE_EPOCH: '1700000000' } });
  assert.match(stamped.stdout, /^-- Generated: +2023-11-14T22:13:20\.000Z$/m);
  const badEpoch = await runCli(['sql', '--param', 'who=me', '--timestamp'], { cwd, env: { SOURCE_DATE_EPOCH: 'yesterday' } });
  assert.equal(badEpoch.status, 2);
});

test('sql: the run command in the header names the connection when one is configured', async () => {
  const cwd = await tempTree(GOOD);
  const res = await runCli(['sql', '--param', 'who=me', '-o', 'rel.yql'], { cwd, env: { YDB_CONNECTION_STRING: 'grpcs://ydb.example:2135/ru/prod' } });
  assert.equal(res.status, 0, res.stderr);
  assert.match(await readFile(join(cwd, 'rel.yql'), 'utf8'), /ydb -e grpcs:\/\/ydb\.example:2135 -d \/ru\/prod scripting yql -f rel\.yql/);
});

test('sql down without --from is a usage error; a range error exits 2', async () => {
  const cwd = await tempTree(GOOD);
  const res = await runCli(['sql', 'down', '--param', 'who=me'], { cwd });
  assert.equal(res.status, 2);
  assert.match(res.stderr, /--from/);
  const unknown = await runCli(['sql', '--to', 'no_such_migration', '--param', 'who=me'], { cwd });
  assert.equal(unknown.status, 2);
});

test('create through the CLI, then validate sees the new migration', async () => {
  const cwd = await tempTree(GOOD);
  const res = await runCli(['create', 'add_c'], { cwd });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /created sql\/0003_add_c\.up\.yql/);
  // The template as is runs nothing: refused until it has a statement or says it has nothing to do.
  const asCreated = await runCli(['validate', '--param', 'who=me'], { cwd });
  assert.equal(asCreated.status, 2);
  assert.match(asCreated.stderr, /^error: sql\/0003_add_c\.up\.yql:1:1: sql\/0003_add_c\.up\.yql has nothing to run, .* add the line '-- ydb-migrate: nothing to do' \[EMPTY_UP\]/m);
  const template = await readFile(join(cwd, 'sql/0003_add_c.up.yql'), 'utf8');
  await writeFile(join(cwd, 'sql/0003_add_c.up.yql'), template.replace(/^--   (-- ydb-migrate: nothing to do)$/m, '$1'));
  const marked = await runCli(['validate', '--param', 'who=me', '--json'], { cwd });
  assert.equal(marked.status, 0, marked.stdout);
  assert.equal((JSON.parse(marked.stdout) as { migrations: number }).migrations, 3);
  await writeFile(join(cwd, 'sql/0003_add_c.up.yql'), `${template}CREATE TABLE c (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
  const validate = await runCli(['validate', '--param', 'who=me', '--json'], { cwd });
  assert.equal((JSON.parse(validate.stdout) as { migrations: number }).migrations, 3);
  const bad = await runCli(['create', 'has space'], { cwd });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /MANIFEST_BAD_NAME/);
});

test('offline commands never load ydb-sdk', async () => {
  const cwd = await tempTree(GOOD);
  const hook = join(PACKAGE_ROOT, 'test', 'fixtures', 'loaded-modules.mjs');
  for (const args of [['validate'], ['sql', '--param', 'who=me'], ['--help']]) {
    const res = await runCli(args, { cwd, nodeArgs: ['--import', hook] });
    assert.match(res.stderr, /LOADED_YDB_SDK=0/, `${args.join(' ')} loaded ydb-sdk`);
  }
});

test('the example set in sql/ validates and renders', async () => {
  const res = await runCli(['sql', '--dir', join(PACKAGE_ROOT, 'sql'), '--param', 'environment=test'], { cwd: await tempTree() });
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /0005_app_settings_and_seed/);
});

test('a --param that no migration declares is an error with a did-you-mean, in validate, sql and up; a config one only a warning', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const cwd = await tempTree({ ...GOOD, 'ydb-migrate.json': '{ "params": { "who": "me", "wh0m": "x" } }\n' });
  for (const args of [['validate'], ['sql'], ['up', '-c', db.connectionString, '--table', db.table], ['up', '--dry-run', '-c', db.connectionString]]) {
    const res = await runCli([...args, '--param', 'woh=you'], { cwd });
    assert.equal(res.status, 2, `${args[0]}: ${res.stderr}`);
    // validate reports its warnings with its result, which an error replaces.
    if (args[0] !== 'validate') assert.match(res.stderr, /warning: the config file's "params" sets 'wh0m', which no migration in sql\/manifest\.txt declares, so it is not used here; did you mean who\? \[PARAM_UNUSED\]/, args[0]);
    assert.match(res.stderr, /no migration in sql\/manifest\.txt declares the parameter 'woh' \(did you mean who\?\); fix the name in --param or in the config's "params", or remove it \[PARAM_UNKNOWN\]/, args[0]);
  }
});

test('ydb-migrate sql | head: the reader going away ends the run quietly with exit 0', async () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => `UPSERT INTO a (id) VALUES (${i});`).join('\n');
  const cwd = await tempTree({ ...GOOD, 'sql/0001_a.up.yql': `CREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\n${rows}\n` });
  const res = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" sql --param who=me | head -c 100 >/dev/null`], { cwd, encoding: 'utf8' });
  assert.equal(res.stderr, '');
  assert.equal(res.status, 0);
});

test('help and usage errors: --version only at the top, own options only, unknown flags named once with a did-you-mean, JSON with --json', async () => {
  const cwd = await tempTree(GOOD);
  const create = await runCli(['create', '--help'], { cwd });
  assert.doesNotMatch(create.stdout, /--version|--param/, 'create uses neither');
  assert.match(create.stdout, /--connection-string/, 'create --schema reads the database');
  const validate = await runCli(['validate', '--help'], { cwd });
  assert.doesNotMatch(validate.stdout, /--version|--connection-string|--endpoint|--profile|--table/, 'validate uses none of them');
  assert.match(create.stdout, /--dir/);
  assert.match((await runCli(['--help'], { cwd })).stdout, /--version/);
  const sql = await runCli(['sql', '--help'], { cwd });
  const examples = sql.stdout.slice(sql.stdout.indexOf('Examples:')).split('\n').slice(1).filter((l) => l.trim() !== '');
  assert.ok(examples.length >= 4);
  for (const line of examples) {
    assert.match(line, /^ {2}ydb-migrate sql[^\n]* {2}\S/, `an example stays on one line: ${line}`);
  }

  const force = (await runCli(['unlock', '--help'], { cwd })).stdout.split('\n').find((l) => l.includes('--force'))!;
  assert.match(force, /Required: .*\[boolean\]$/, 'shown required, not also defaulted');

  const typo = await runCli(['sql', '--timestmp'], { cwd });
  assert.equal(typo.status, 2);
  assert.equal(typo.stderr.split('\n')[0], 'error: unknown option --timestmp; did you mean --timestamp?');
  const json = await runCli(['validate', '--no-such-flag', '--json'], { cwd });
  assert.equal(json.status, 2);
  assert.deepEqual(JSON.parse(json.stdout), { ok: false, error: { code: 'USAGE', kind: 'input', message: 'unknown option --no-such-flag' } });
  assert.equal(json.stderr, '');
});

/**
 * Bad input, through the CLI as users run it: each is refused with exit code 2, a message that
 * says what is wrong (at its file:line:col when a file is involved), no stack trace, and nothing
 * written, to the database (no history or lock table) or to disk (the project tree unchanged).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempTree, type CliResult } from './helpers/cli.js';
import { readTable, startDatabase, type TestDatabase } from './online/harness.js';

const USERS = 'CREATE TABLE users (id Uint64 NOT NULL, PRIMARY KEY (id));\n';

/** Every file under `root` with its text (a FIFO as such): what "nothing written to disk" compares. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name).slice(root.length + 1);
    out[path] = entry.isFile() ? await readFile(join(root, path), 'utf8') : '(not a regular file)';
  }
  return out;
}

function assertRefused(res: CliResult, label: string, message: RegExp): void {
  assert.equal(res.status, 2, `${label}: exit code\n${res.stdout}${res.stderr}`);
  assert.match(res.stdout + res.stderr, message, label);
  assert.doesNotMatch(res.stderr, /^\s+at |TypeError|internal error|Unhandled/m, `${label}: no stack trace\n${res.stderr}`);
}

interface Case {
  what: string;
  files: Record<string, string>;
  /** Run after the files are written: e.g. make a FIFO. */
  prepare?: (cwd: string) => void;
  runs: [string[], RegExp][];
}

const CASES: Case[] = [
  {
    what: 'an up file that is a FIFO',
    files: { 'sql/manifest.txt': '0001_users\n0002_pipe\n', 'sql/0001_users.up.yql': USERS },
    prepare: (cwd) => execFileSync('mkfifo', [join(cwd, 'sql/0002_pipe.up.yql')]),
    runs: [
      [['validate'], /^error: sql\/manifest\.txt:2:1: sql\/0002_pipe\.up\.yql is a FIFO \(named pipe\), not a regular file; .*\[FILE_NOT_REGULAR\]$/m],
      [['sql'], /sql\/manifest\.txt:2:1: .*\[FILE_NOT_REGULAR\]/],
      [['up'], /sql\/manifest\.txt:2:1: .*\[FILE_NOT_REGULAR\]/],
    ],
  },
  {
    what: "an unclosed '{' before a CREATE TABLE and an UPSERT",
    files: {
      'sql/manifest.txt': '0001_users\n',
      'sql/0001_users.up.yql': `$f = ($x) -> { RETURN $x;\n${USERS}UPSERT INTO users (id) VALUES ($f(1));\n`,
    },
    runs: [
      [['validate'], /^error: sql\/0001_users\.up\.yql:1:14: this '\{' is never closed, so everything after it up to the end of the file is taken as one statement; .*\[YQL_UNCLOSED_BRACE\]$/m],
      [['lint'], /sql\/0001_users\.up\.yql:1:14: .*\[YQL_UNCLOSED_BRACE\]/],
      [['sql'], /sql\/0001_users\.up\.yql:1:14: .*\[YQL_UNCLOSED_BRACE\]/],
      [['up'], /sql\/0001_users\.up\.yql:1:14: .*\[YQL_UNCLOSED_BRACE\]/],
    ],
  },
  {
    what: "a migration that DECLAREs the tool's own reserved name",
    files: { 'sql/manifest.txt': '0001_users\n', 'sql/0001_users.up.yql': `${USERS}DECLARE $ydb_migrate_1 AS Utf8;\nUPSERT INTO users (id) VALUES (1);\n` },
    runs: [
      [['validate'], /^error: sql\/0001_users\.up\.yql:2:1: \$ydb_migrate_1 is a name ydb-migrate gives its own parameters; rename it so it does not start with \$ydb_migrate_ \[YQL_RESERVED_NAME\]$/m],
      [['up', '--param', 'ydb_migrate_1=hello'], /sql\/0001_users\.up\.yql:2:1: .*\[YQL_RESERVED_NAME\]/],
      [['sql', '--param', 'ydb_migrate_1=hello'], /sql\/0001_users\.up\.yql:2:1: .*\[YQL_RESERVED_NAME\]/],
    ],
  },
  {
    what: 'an up file with nothing to run (the template left as is)',
    files: { 'sql/manifest.txt': '0001_users\n0002_later\n', 'sql/0001_users.up.yql': USERS, 'sql/0002_later.up.yql': '-- 0002_later: up\n-- nothing yet\n' },
    runs: [
      [['validate'], /^error: sql\/0002_later\.up\.yql:1:1: sql\/0002_later\.up\.yql has nothing to run, so applying '0002_later' would record it applied with nothing changed; write the change, or, if it truly has nothing to do, add the line '-- ydb-migrate: nothing to do' \[EMPTY_UP\]$/m],
      [['up'], /sql\/0002_later\.up\.yql:1:1: .*\[EMPTY_UP\]/],
      [['sql'], /sql\/0002_later\.up\.yql:1:1: .*\[EMPTY_UP\]/],
    ],
  },
  {
    what: 'a migration file the manifest does not list',
    files: { 'sql/manifest.txt': '0001_users\n', 'sql/0001_users.up.yql': USERS, 'sql/0002_orders.up.yql': USERS.replace('users', 'orders') },
    runs: [
      [['validate'], /^error: sql\/0002_orders\.up\.yql:1:1: sql\/0002_orders\.up\.yql is not run because sql\/manifest\.txt does not list '0002_orders'; .*'-- ydb-migrate: unlisted' to it \[UNLISTED_FILE\]$/m],
      [['status', '--check'], /sql\/0002_orders\.up\.yql:1:1: .*\[UNLISTED_FILE\]/],
      [['up'], /\[UNLISTED_FILE\]/],
    ],
  },
  {
    what: 'a manifest line with a typo',
    files: { 'sql/manifest.txt': '0001_user\n', 'sql/0001_users.up.yql': USERS },
    runs: [[['validate'], /^error: sql\/manifest\.txt:1:1: migration '0001_user' has no up file sql\/0001_user\.up\.yql; did you mean '0001_users'\? fix the name on this line, or create the file \[MANIFEST_MISSING_UP\]$/m]],
  },
  {
    what: 'options given wrong',
    files: { 'sql/manifest.txt': '0001_users\n', 'sql/0001_users.up.yql': USERS, 'a.json': '{}', 'b.json': '{}' },
    runs: [
      [['up', '--param'], /^error: --param needs a value: --param NAME=VALUE$/m],
      [['up', '--param', '--dry-run'], /^error: --param needs a value: --param NAME=VALUE$/m],
      [['sql', '--param', 'k=v', 'down'], /^error: sql down needs --from NAME\|@TAG\|head/m],
      [['up', '--table', 'a', '--table', 'b'], /^error: --table is given 2 times; give it once$/m],
      [['up', '--dir', 'sql', '--dir', 'sql'], /^error: --dir is given 2 times; give it once$/m],
      [['up', '--config', 'a.json', '--config', 'b.json'], /^error: --config is given 2 times; give it once$/m],
      [['up', '-c', 'grpc://a:1/x', '-c', 'grpc://b:2/y'], /^error: -c\/--connection-string is given 2 times; give it once$/m],
      [['up', '--dir'], /^error: --dir needs a value$/m],
      // yargs would read these as false: the dry run asked for would run for real.
      [['up', '--dry-run=yes'], /^error: --dry-run is a flag: write --dry-run or --no-dry-run \(or =true, =false\), not another value$/m],
      [['up', '--lint=1', '--dry-run=on'], /^error: --lint is a flag: write --lint or --no-lint \(or =true, =false\), not another value; --dry-run is a flag: .*$/m],
      [['create', ''], /^error: give the migration a name, e.g\. ydb-migrate create add_users \[CREATE_NO_NAME\]$/m],
      [['create', 'billing/'], /^error: give the migration a name after 'billing\/', e\.g\. ydb-migrate create billing\/add_users \[CREATE_NO_NAME\]$/m],
      [['create', 'add users'], /character " " is not allowed in migration name '0002_add users'; .*; did you mean 'ydb-migrate create add_users'\? \[MANIFEST_BAD_NAME\]$/m],
    ],
  },
];

test('bad input is refused with exit code 2, its file:line:col, no stack trace, and nothing written to the database or disk', async (t) => {
  const db: TestDatabase = await startDatabase({ private: true });
  t.after(() => db.stop());
  for (const c of CASES) {
    const cwd = await tempTree(c.files);
    c.prepare?.(cwd);
    const before = await snapshot(cwd);
    for (const [args, message] of c.runs) {
      for (const json of [false, true]) {
        const label = `${c.what}: ${args.join(' ')}${json ? ' --json' : ''}`;
        const res = await runCli([...args, ...(json ? ['--json'] : [])], { cwd, env: { YDB_CONNECTION_STRING: db.connectionString, HOME: cwd }, timeoutMs: 20_000 });
        if (json) {
          assert.equal(res.status, 2, `${label}: ${res.stdout}${res.stderr}`);
          const error = (JSON.parse(res.stdout) as { error: { code: string; message: string; details?: string[]; location?: { file: string; line: number; column: number } } }).error;
          const where = error.location ? `${error.location.file}:${error.location.line}:${error.location.column}: ` : '';
          // The JSON's problems, each with its location and code, are what the text shows (yargs' usage errors show no code).
          const problems = error.details ?? [`${where}${error.message}${error.code === 'USAGE' ? '' : ` [${error.code}]`}`];
          assert.match(problems.map((p) => `error: ${p}`).join('\n'), message, label);
        } else {
          assertRefused(res, label, message);
        }
        assert.deepEqual(await snapshot(cwd), before, `${label}: nothing written to disk`);
      }
    }
  }
  assert.equal(await readTable(db, db.table), null, 'no history table was created');
  assert.equal(await readTable(db, `${db.table}_lock`), null, 'no lock table was created');
  assert.equal(await readTable(db, 'users'), null, 'no migration ran');
});

test("a marked empty up file and a marked unlisted file pass; the template's up file is refused until written", async () => {
  const cwd = await tempTree({
    'sql/manifest.txt': '0001_users\n0002_release\n',
    'sql/0001_users.up.yql': USERS,
    'sql/0002_release.up.yql': '-- release 2.0 starts here\n-- ydb-migrate: nothing to do\n',
    'sql/old/0000_legacy.up.yql': '-- ydb-migrate: unlisted\nCREATE TABLE legacy (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  });
  const ok = await runCli(['validate'], { cwd });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^ok: 2 migration\(s\)/m);
  const created = await runCli(['create', 'add_orders'], { cwd });
  assert.equal(created.status, 0, created.stderr);
  assertRefused(await runCli(['validate'], { cwd }), 'the template as is', /sql\/0003_add_orders\.up\.yql:1:1: .*\[EMPTY_UP\]/);
  await writeFile(join(cwd, 'sql/0003_add_orders.up.yql'), USERS.replace('users', 'orders'));
  assert.equal((await runCli(['validate'], { cwd })).status, 0);
});

test("a config file's param that no migration declares is a warning (one config serves every --dir); a --param one stays an error", async (t) => {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  const cwd = await tempTree({
    'ydb-migrate.json': JSON.stringify({ params: { env: 'prod', region: 'eu' } }),
    'sql/manifest.txt': '0001_users\n',
    'sql/0001_users.up.yql': `${USERS}DECLARE $env AS Utf8;\nUPSERT INTO users (id) VALUES (1);\n`,
    'other/manifest.txt': '0001_plain\n',
    'other/0001_plain.up.yql': USERS.replace('users', 'plain'),
  });
  const env = { YDB_CONNECTION_STRING: db.connectionString, HOME: cwd };
  const warning = /^warning: the config file's "params" sets 'region', which no migration in sql\/manifest\.txt declares, so it is not used here \[PARAM_UNUSED\]$/m;
  for (const args of [['validate'], ['sql'], ['up', '--dry-run'], ['up']]) {
    const res = await runCli(args, { cwd, env });
    assert.equal(res.status, 0, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, warning, args.join(' '));
  }
  const elsewhere = await runCli(['validate', '--dir', 'other', '--json'], { cwd, env });
  assert.equal(elsewhere.status, 0, elsewhere.stdout);
  assert.deepEqual((JSON.parse(elsewhere.stdout) as { warnings: { code: string }[] }).warnings.map((w) => w.code), ['PARAM_UNUSED', 'PARAM_UNUSED']);
  const typo = await runCli(['up', '--param', 'regoin=eu'], { cwd, env });
  assertRefused(typo, 'up --param regoin=eu', /^error: no migration in sql\/manifest\.txt declares the parameter 'regoin'.*\[PARAM_UNKNOWN\]$/m);
});

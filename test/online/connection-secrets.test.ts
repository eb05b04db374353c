/**
 * No secret in a connection setting is ever printed. Every form below is something that is not a
 * plain grpc[s]://HOST:PORT/DATABASE and holds a secret (a token in the query or after `;`, a
 * password with / ? # @ in user-info, a bare token); each goes, from each place a connection is
 * named, through every command that reads the connection, and the whole output (stdout and
 * stderr, as text and as --json) is searched for the secret and for each piece of it between
 * special characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempTree, type CliResult } from '../helpers/cli.js';

const FILES = {
  'sql/manifest.txt': '0001_a\n',
  'sql/0001_a.up.yql': 'CREATE TABLE secret_test (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  'sql/0001_a.down.yql': 'DROP TABLE secret_test;\n',
  'schema.yql': 'CREATE TABLE secret_test (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
};

/** [what, the text, its secret]. Each secret is distinct, so a leak names its form. */
const FORMS: readonly [string, string, string][] = [
  ['a token in the query', 'grpc://h:2136/db?token=Tq1-kV9zQ0pLm', 'Tq1-kV9zQ0pLm'],
  ['a password in the query beside database', 'grpc://h:2136/db?password=Pw2xR7mN4&database=/db', 'Pw2xR7mN4'],
  ['a token in the query with database in the query', 'grpcs://h:2135?database=/db&auth_token=Au3hZ8wq', 'Au3hZ8wq'],
  ['a password after ;', 'grpc://h:2136/db;password=Sc4bN6yt', 'Sc4bN6yt'],
  ['a token after ; with no path', 'grpc://h:2136;token=Sm5cQ2vx', 'Sm5cQ2vx'],
  ['a bare token', 't1.9euelZqKjWd6yBf-Rz0uQx', 't1.9euelZqKjWd6yBf-Rz0uQx'],
  ['a bare token with _', 'y0_AgAAAAB3kLm9Xq', 'y0_AgAAAAB3kLm9Xq'],
  ['a password with /', 'grpc://root:Pa5lash/Zk8rTw@h:2136/db', 'Pa5lash/Zk8rTw'],
  ['a password with ?', 'grpc://root:Qm6ark?Vn3sLp@h:2136/db', 'Qm6ark?Vn3sLp'],
  ['a password with #', 'grpc://root:Hs7ash#Jw2dKe@h:2136/db', 'Hs7ash#Jw2dKe'],
  ['a password with @', 'grpc://root:At8sign@Rt5yUi@h:2136/db', 'At8sign@Rt5yUi'],
  ['a password, and no scheme separator', 'grpc//root:Ns9cheme4Qz@h:2136/db', 'Ns9cheme4Qz'],
  ['a password, and another scheme', 'https://root:Ht0tps7Wm@h/db', 'Ht0tps7Wm'],
  ['a token as the user', 'grpc://Us1ertok9Lp@h:2136/db', 'Us1ertok9Lp'],
  ['a token after #', 'grpc://h:2136/db#Fr2agm3Tk', 'Fr2agm3Tk'],
  ['a token in the database path with %', 'grpc://h:2136/db%20Pc3ent8Yh', 'Pc3ent8Yh'],
];

/** Every command that reads the connection settings, offline ones included (they must not echo them either). */
const COMMANDS: readonly string[][] = [
  ['status'],
  ['up'],
  ['down'],
  ['redo'],
  ['baseline', '0001_a'],
  ['resolve', '0001_a', '--applied'],
  ['repair'],
  ['unlock', '--force'],
  ['watch'],
  ['schema'],
  ['verify'],
  ['diff', '--schema', 'schema.yql'],
  ['create', 'more', '--schema', 'schema.yql'],
  ['sql'],
  ['sql', '--format', 'parts', '-o', 'parts'],
  ['validate'],
  ['lint'],
];
const OFFLINE = new Set(['sql', 'validate', 'lint']);

/** Each place a connection is named: the arguments and environment that put `text` there. */
type Source = { name: string; put(text: string): { args: string[]; env: Record<string, string> } };
const SOURCES: readonly Source[] = [
  { name: '-c', put: (text) => ({ args: ['-c', text], env: {} }) },
  { name: 'YDB_CONNECTION_STRING', put: (text) => ({ args: [], env: { YDB_CONNECTION_STRING: text } }) },
  { name: 'the config key connectionString', put: () => ({ args: ['--config', 'secret.json'], env: {} }) },
];

/** The secret and every piece of it between special characters that is long enough to identify it. */
function pieces(secret: string): string[] {
  return [secret, ...secret.split(/[^A-Za-z0-9]/).filter((p) => p.length >= 4)];
}

function leaks(res: CliResult, secret: string): string[] {
  const all = res.stdout + res.stderr;
  return pieces(secret).filter((p) => all.includes(p));
}

/** Runs `jobs` a few at a time: hundreds of short CLI runs. */
async function inBatches<T>(jobs: (() => Promise<T>)[], width = 6): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width) results.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))));
  return results;
}

interface Run {
  label: string;
  form: string;
  offline: boolean;
  res: CliResult;
  leaked: string[];
}

async function runForm(form: readonly [string, string, string], source: Source, commands: readonly string[][]): Promise<Run[]> {
  const [what, text, secret] = form;
  const cwd = await tempTree({ ...FILES, 'secret.json': JSON.stringify({ connectionString: text }) });
  const { args, env } = source.put(text);
  const jobs = commands.flatMap((command) =>
    [[], ['--json']].map((json) => async (): Promise<Run> => {
      const res = await runCli([...command, ...args, ...json], { cwd, env: { HOME: cwd, ...env }, timeoutMs: 20_000 });
      return { label: `${what} via ${source.name}: ${[...command, ...json].join(' ')}`, form: what, offline: OFFLINE.has(command[0]!), res, leaked: leaks(res, secret) };
    }),
  );
  return inBatches(jobs);
}

test(`no secret is printed: ${FORMS.length} forms × ${COMMANDS.length} commands (via -c), and every form via the environment and the config file, as text and --json`, async () => {
  const runs: Run[] = [];
  for (const form of FORMS) {
    runs.push(...(await runForm(form, SOURCES[0]!, COMMANDS)));
    for (const source of SOURCES.slice(1)) runs.push(...(await runForm(form, source, [['status'], ['up', '--dry-run'], ['sql']])));
  }
  const leaked = runs.filter((r) => r.leaked.length > 0);
  assert.deepEqual(
    leaked.map((r) => `${r.label} printed ${r.leaked.join(', ')}`),
    [],
    `${leaked.length} of ${runs.length} runs leaked`,
  );
  for (const run of runs) {
    assert.doesNotMatch(run.res.stderr, /^\s+at |Unhandled|TypeError/m, `${run.label}: no stack trace\n${run.res.stderr}`);
    if (run.offline) continue;
    // Refused as an input error before any connection, naming where the text came from.
    assert.equal(run.res.status, 2, `${run.label}: ${run.res.stdout}${run.res.stderr}`);
    assert.match(run.res.stdout + run.res.stderr, /connection string from (-c|YDB_CONNECTION_STRING|the config key connectionString)|config key 'connectionString'/, run.label);
  }
});

test('a secret in a profile endpoint or in -e is not printed either, and the message names the profile or the flag', async () => {
  const secret = 'Pr0file9Secret';
  const cwd = await tempTree({
    ...FILES,
    'ydb/config/config.yaml': `profiles:\n  leaky:\n    endpoint: grpc://h:2136/db?token=${secret}\n    database: /db\n`,
  });
  const cases: [string[], RegExp][] = [
    [['status', '--profile', 'leaky'], /connection string from profile leaky \(endpoint\) has a query parameter other than 'database'/],
    [['status', '-e', `grpc://root:${secret}@h:2136`, '-d', '/db'], /connection string from -e carries credentials/],
    [['status', '-e', `h:2136;token=${secret}`, '-d', '/db'], /connection string from -e is not a URL/],
    [['status', '-c', 'grpc://h:2136/db', '-d', `/db;token=${secret}`], /-c\/--connection-string and -d\/--database are both given/],
    [['status', '-e', 'grpc://h:2136', '-d', `/db;token=${secret}`], /-d names a database that is not a path/],
  ];
  for (const [args, message] of cases) {
    for (const json of [[], ['--json']]) {
      const res = await runCli([...args, ...json], { cwd, env: { HOME: cwd } });
      assert.deepEqual(leaks(res, secret), [], `${args.join(' ')} leaked:\n${res.stdout}${res.stderr}`);
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stdout + res.stderr, message);
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { runCli, tempTree } from '../helpers/cli.js';

const BAD = 'test/fixtures/lint-bad';
const lint = (...args: string[]) => runCli(['lint', ...args], { cwd: PACKAGE_ROOT });

test('lint on the deliberately bad fixture: its findings as expected, most serious first, exit 1', async () => {
  const res = await lint('--dir', BAD);
  assert.equal(res.stdout, await readFile(join(PACKAGE_ROOT, 'test/fixtures/lint-bad.expected.txt'), 'utf8'));
  assert.equal(res.stderr, '');
  assert.equal(res.status, 1);
  const severities = [...res.stdout.matchAll(/^\S+:\d+:\d+: (\w+): /gm)].map((m) => m[1]);
  assert.deepEqual(severities, [...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a!) - ['error', 'warning', 'info'].indexOf(b!)));
});

test('lint on sql/: no findings, exit 0 (its one suppression says why)', async () => {
  const res = await lint();
  assert.equal(res.stdout, '5 migration(s): 0 error(s), 0 warning(s), 0 info\n');
  assert.equal(res.status, 0);
});

test('lint: warnings only exit 0; NAME and --since choose what is reported, the migrations before still build the schema', async () => {
  const dir = await tempTree({
    'sql/manifest.txt': 'a\nb\nc\n',
    'sql/a.up.yql': 'CREATE TABLE t (id Uint64, x Utf8, PRIMARY KEY (id));',
    'sql/a.down.yql': 'DROP TABLE t;',
    'sql/b.up.yql': 'ALTER TABLE t DROP COLUMN x;',
    'sql/b.down.yql': 'ALTER TABLE t ADD COLUMN x Utf8;',
    'sql/c.up.yql': 'ALTER TABLE t ADD INDEX by_x GLOBAL ON (x);',
    'sql/c.down.yql': 'ALTER TABLE t DROP INDEX by_x;',
  });
  const run = (...args: string[]) => runCli(['lint', ...args], { cwd: dir });
  const onlyB = await run('b');
  assert.equal(onlyB.status, 0);
  assert.match(onlyB.stdout, /^sql\/b\.up\.yql:1:27: warning: .*\[drop-column\]\n {2}fix: /);
  assert.match(onlyB.stdout, /1 migration\(s\): 0 error\(s\), 1 warning\(s\), 0 info\n$/);
  // c alone: x was dropped by b, which is replayed though not reported on.
  const sinceB = await run('--since', 'b');
  assert.equal(sinceB.status, 1);
  assert.match(sinceB.stdout, /^sql\/c\.up\.yql:1:41: error: index by_x is over column x, which table t does not have \[undefined-index-column\]/);
  assert.doesNotMatch(sinceB.stdout, /drop-column/);
  const unknown = await run('--since', 'zz');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--since zz is not a migration in sql\/manifest\.txt/);
  const badVersion = await run('--ydb-version', 'v26');
  assert.equal(badVersion.status, 2);
  assert.match(badVersion.stderr, /--ydb-version must look like 24\.1/);
});

test('lint --json: the findings and counts as one document', async () => {
  const res = await lint('--dir', BAD, '--json');
  const doc = JSON.parse(res.stdout) as { ok: boolean; counts: Record<string, number>; findings: Record<string, unknown>[] };
  assert.equal(res.status, 1);
  assert.equal(doc.ok, false);
  assert.deepEqual(doc.counts, { error: 8, warning: 5, info: 2 });
  assert.deepEqual(doc.findings[0], {
    rule: 'unknown-type',
    severity: 'error',
    message: "'Money' for column total of table orders: not a YDB column type",
    fix: 'use a YDB column type (Uint64, Utf8, Timestamp, Decimal(22,9), ...); columns are nullable unless NOT NULL, never Optional<...>',
    location: { file: 'test/fixtures/lint-bad/0002_orders.up.yql', line: 5, column: 11 },
  });
});

test('lint --format sarif: SARIF 2.1.0 that GitHub code scanning reads (rules, results with level and region)', async () => {
  const res = await lint('--dir', BAD, '--format', 'sarif');
  assert.equal(res.status, 1);
  const sarif = JSON.parse(res.stdout) as {
    version: string;
    runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const [run] = sarif.runs;
  assert.equal(run!.tool.driver.name, 'ydb-migrate');
  assert.ok(run!.tool.driver.rules.some((r) => r.id === 'down-not-partial-safe' && r.defaultConfiguration.level === 'note'));
  assert.equal(run!.results.length, 15);
  for (const result of run!.results) assert.equal(run!.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
  const pragma = run!.results.find((r) => r.ruleId === 'pragma-online-only')!;
  assert.equal(pragma.level, 'note');
  assert.deepEqual(pragma.locations[0]!.physicalLocation, { artifactLocation: { uri: 'test/fixtures/lint-bad/0006_settings.up.yql' }, region: { startLine: 1, startColumn: 1 } });
});

test('validate refuses what lint reports as an error, with its location, exit 2; warnings do not stop it', async () => {
  const res = await runCli(['validate', '--dir', BAD], { cwd: PACKAGE_ROOT });
  assert.equal(res.status, 2);
  assert.match(res.stderr, /test\/fixtures\/lint-bad\/0002_orders\.up\.yql:5:11: 'Money' for column total of table orders: not a YDB column type; use a YDB column type .*\[unknown-type\]/);
  assert.match(res.stderr, /8 error\(s\)/);
  const dir = await tempTree({ 'sql/manifest.txt': 'a\n', 'sql/a.up.yql': 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));', 'sql/a.down.yql': 'SELECT 1;' });
  const ok = await runCli(['validate'], { cwd: dir });
  assert.equal(ok.status, 0);
});

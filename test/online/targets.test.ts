import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Migrator } from '../../lib/index.js';
import type { RunResult } from '../../lib/online/results.js';
import { cli, historyOf, NEEDS_EMULATOR, readTable, setUp, startDatabase, tempTree, unique, type TestDatabase } from './harness.js';

/** Four migrations with tags; every table name carries `p` so tests can share a real database. */
function tagged(p: string): Record<string, string> {
  const create = (n: string) => `CREATE TABLE ${p}_${n} (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;
  const drop = (n: string) => `DROP TABLE ${p}_${n};\n`;
  return {
    'sql/manifest.txt': '0001_a\n0002_b\n@v1\n0003_c\n0004_d\n@v2\n',
    'sql/0001_a.up.yql': create('a'),
    'sql/0001_a.down.yql': drop('a'),
    'sql/0002_b.up.yql': create('b'),
    'sql/0002_b.down.yql': drop('b'),
    'sql/0003_c.up.yql': create('c'),
    'sql/0003_c.down.yql': drop('c'),
    'sql/0004_d.up.yql': create('d'),
    'sql/0004_d.down.yql': drop('d'),
  };
}

function migrator(db: TestDatabase, cwd: string, table: string, extra: Partial<ConstructorParameters<typeof Migrator>[0]> = {}): Migrator {
  return new Migrator({ dir: join(cwd, 'sql'), connectionString: db.connectionString, table, env: {}, ...extra });
}

/** 0001_a creates the table `{a}` (named `${p}_a`); 0002_rows changes its rows with `up` and reverts with `down`. */
function rowsProject(p: string, up: string, down: string): Record<string, string> {
  const named = (text: string) => `${text.replaceAll('{a}', `${p}_a`)}\n`;
  return {
    'sql/manifest.txt': '0001_a\n0002_rows\n',
    'sql/0001_a.up.yql': named('CREATE TABLE {a} (id Uint64 NOT NULL, PRIMARY KEY (id));'),
    'sql/0002_rows.up.yql': named(up),
    'sql/0002_rows.down.yql': named(down),
  };
}

const names = (r: RunResult): string[] => r.results.map((x) => `${x.direction}:${x.name}:${x.status}`);

test('targets through the API: names, tags, +N, -N, base; wrong directions are refused before anything runs', async (t) => {
  const { db, cwd, table } = await setUp(t, tagged);
  const m = migrator(db, cwd, table);

  assert.deepEqual(names(await m.up('@v1')), ['up:0001_a:applied', 'up:0002_b:applied']);
  assert.deepEqual(names(await m.up('+1')), ['up:0003_c:applied']);
  const past = await m.up('+2');
  assert.equal(past.ok, false);
  assert.equal(past.error?.code, 'PLAN_TOO_FAR');
  assert.equal(past.error?.kind, 'input');
  const back = await m.up('0001_a');
  assert.equal(back.error?.code, 'PLAN_WRONG_DIRECTION');
  assert.match(back.error!.message, /run `ydb-migrate down 0001_a` instead/);
  const unknown = await m.up('0009_zzz');
  assert.equal(unknown.error?.code, 'PLAN_UNKNOWN_TARGET');
  const badTag = await m.down('@v9');
  assert.equal(badTag.error?.code, 'PLAN_UNKNOWN_TAG');

  assert.deepEqual(names(await m.up()), ['up:0004_d:applied']);
  assert.deepEqual(names(await m.down('@v1')), ['down:0004_d:reverted', 'down:0003_c:reverted']);
  assert.deepEqual(names(await m.down()), ['down:0002_b:reverted']);
  const downUp = await m.down('head');
  assert.equal(downUp.error?.code, 'PLAN_WRONG_DIRECTION');
  assert.deepEqual(names(await m.down('base')), ['down:0001_a:reverted']);
  assert.deepEqual(await historyOf(db, table), []);
  const nothing = await m.down();
  assert.equal(nothing.error?.code, 'PLAN_TOO_FAR', 'reverting one step at base goes past base');
});

test('down --to and the positional target are one thing; giving both is a usage error', async (t) => {
  const { db, cwd, table } = await setUp(t, tagged);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  const both = await cli(db, cwd, ['down', '0001_a', '--to', '0002_b', '--table', table]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /give the target once/);
  const to = await cli(db, cwd, ['down', '--to', '0002_b', '--table', table]);
  assert.equal(to.status, 0, to.stderr);
  assert.match(to.stdout, /down: 2 reverted in \d+ ms; the database is at 0002_b/);
  const bad = await cli(db, cwd, ['up', '@@x', '--table', table]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /target '@@x' is not a valid tag/);
});

test('drift stops up with a report: a changed file, a pending migration listed before applied ones; the flags let it run', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const p = unique('t');
  const files = tagged(p);
  // 0002_b and 0004_d come later, with their manifest lines (an unlisted migration file is an error).
  const later = Object.keys(files).filter((f) => /\/000[24]_/.test(f));
  const cwd = await tempTree({ ...Object.fromEntries(Object.entries(files).filter(([f]) => !later.includes(f))), 'sql/manifest.txt': '0001_a\n0003_c\n' });
  const table = `${p}_history`;
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);

  for (const f of later) await writeFile(join(cwd, f), files[f]!);
  await writeFile(join(cwd, 'sql/manifest.txt'), '0001_a\n0002_b\n0003_c\n0004_d\n');
  await writeFile(join(cwd, 'sql/0001_a.up.yql'), `${files['sql/0001_a.up.yql']}-- edited after it was applied\n`);
  const refused = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /up refused: the database and the migration files disagree \(2 findings below\); fix them, or pass --allow-drift or --allow-out-of-order to run anyway \[DRIFT\]/);
  assert.match(refused.stderr, /changed: sql\/0001_a\.up\.yql changed after it was applied/);
  assert.match(refused.stderr, /out-of-order: 0002_b is pending but listed before applied migrations/);
  assert.deepEqual((await historyOf(db, table)).map((r) => r.name), ['0001_a', '0003_c'], 'nothing ran');

  const json = JSON.parse((await cli(db, cwd, ['up', '--table', table, '--json'])).stdout) as { ok: boolean; drift: { kind: string }[]; error: { code: string } };
  assert.equal(json.ok, false);
  assert.deepEqual(json.drift.map((d) => d.kind).sort(), ['changed', 'out-of-order']);

  const onlyDrift = await cli(db, cwd, ['up', '--table', table, '--allow-drift']);
  assert.equal(onlyDrift.status, 1, 'out-of-order needs its own flag');
  const both = await cli(db, cwd, ['up', '--table', table, '--allow-drift', '--allow-out-of-order']);
  assert.equal(both.status, 0, both.stderr);
  assert.match(both.stdout, /up +applied +0002_b[\s\S]*up +applied +0004_d/);
});

test('baseline records migrations as applied without running them; up then starts after them', async (t) => {
  const { db, p, cwd, table } = await setUp(t, tagged);
  const m = migrator(db, cwd, table);

  const bad = await m.baseline('0007_nope');
  assert.equal(bad.error?.code, 'BASELINE_UNKNOWN');
  const baseline = await m.baseline('0002_b');
  assert.deepEqual(names(baseline), ['up:0001_a:baselined', 'up:0002_b:baselined']);
  assert.equal(await readTable(db, `${p}_a`), null, 'nothing ran');
  const up = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, /up: 2 applied/);
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.position]), [['0001_a', 1], ['0002_b', 2], ['0003_c', 3], ['0004_d', 4]]);
  const again = await cli(db, cwd, ['baseline', '0004_d', '--table', table]);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /baseline: nothing to do/);
});

test('down runs the down text stored at apply time, warns when the file changed, and --down-from-file runs the file', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (p) => rowsProject(p, 'UPSERT INTO {a} (id) VALUES (1), (2);', 'DELETE FROM {a} WHERE id = 1;'));
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await writeFile(join(cwd, 'sql/0002_rows.down.yql'), `DELETE FROM ${p}_a WHERE id = 2;\n`);

  const stored = await cli(db, cwd, ['down', '--table', table]);
  assert.equal(stored.status, 0, stored.stderr);
  assert.match(stored.stderr, /sql\/0002_rows\.down\.yql changed since 0002_rows was applied; running the down text stored in the history at apply time .*--down-from-file/);
  assert.deepEqual(await readTable(db, `${p}_a`), [{ id: 2n }], 'the stored text deleted id 1');

  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  const fromFile = await cli(db, cwd, ['down', '--table', table, '--down-from-file']);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.doesNotMatch(fromFile.stderr, /changed since/);
  assert.deepEqual(await readTable(db, `${p}_a`), [{ id: 1n }], "the file's text deleted id 2");
});

test('redo reverts the last migration and applies its edited file again', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (p) => rowsProject(p, 'UPSERT INTO {a} (id) VALUES (1);', 'DELETE FROM {a};'));
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await writeFile(join(cwd, 'sql/0002_rows.up.yql'), `UPSERT INTO ${p}_a (id) VALUES (7);\n`);
  const redo = await cli(db, cwd, ['redo', '--table', table]);
  assert.equal(redo.status, 0, redo.stderr);
  assert.match(redo.stdout, /down reverted +0002_rows[\s\S]*up +applied +0002_rows/);
  assert.deepEqual(await readTable(db, `${p}_a`), [{ id: 7n }]);
  const status = JSON.parse((await cli(db, cwd, ['status', '--table', table, '--json'])).stdout) as { entries: { state: string }[] };
  assert.deepEqual(status.entries.map((e) => e.state), ['applied', 'applied'], 'the new checksum is recorded');
});

test('--dry-run prints the plan and the exact YQL with its parameters, and sends nothing but the history read', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_mixed\n',
    'sql/0001_mixed.up.yql': `CREATE TABLE ${p} (id Uint64 NOT NULL, env Utf8, PRIMARY KEY (id));\nDECLARE $env AS Utf8;\nUPSERT INTO ${p} (id, env) VALUES (1, $env);\n`,
  }));
  db.emulator!.log.clear();
  const dry = await cli(db, cwd, ['up', '--dry-run', '--param', 'env=prod']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /-- up from base to 0001_mixed: the requests a run would send, in order/);
  assert.match(dry.stdout, /-- request 2: scheme query, no transaction\nCREATE TABLE/);
  assert.match(dry.stdout, /-- request 3: serializable transaction\n--   \$env = 'prod'u -- Utf8\n[\s\S]*\$ydb_migrate_5 = 'applied'u -- Utf8\n/);
  assert.match(dry.stdout, /-- finally, one serializable transaction: the history changes still pending, and the lock released\n[\s\S]*DELETE FROM `ydb_migrate_history_lock`/);
  assert.match(dry.stdout, /up \(dry run, nothing executed\): 1 planned/);
  const json = JSON.parse((await cli(db, cwd, ['up', '--dry-run', '--param', 'env=prod', '--json'])).stdout) as { requests: { steps: { queries: unknown[] }[]; release: { text: string } } };
  assert.equal(json.requests.steps[0]!.queries.length, 3);
  assert.match(json.requests.release.text, /DELETE FROM/);
  const sent = db.emulator!.log.filter((e) => e.method === 'ExecuteQuery').map((e) => e.query ?? '');
  assert.equal(sent.length, 2, 'one history read per dry run');
  assert.match(sent[0]!, /^SELECT .* FROM `ydb_migrate_history`/);
  assert.deepEqual(db.emulator!.engine.listTables(), [], 'not even the history table was created');

  const missing = await cli(db, cwd, ['up', '--dry-run']);
  assert.equal(missing.status, 2, 'a parameter without a value is an input error, found before anything runs');
  assert.match(missing.stderr, /sql\/0001_mixed\.up\.yql:2:1: parameter \$env \(Utf8\) has no value/);
});

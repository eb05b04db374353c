import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, historyOf, NEEDS_EMULATOR, readTable, runQuery, setUp, type TestDatabase } from './harness.js';

/** Migrations in manifest order: each creates the table `${t}_NAME` ('bad' with a type YDB does not have, `before` on the line above it) and drops it down. */
function project(names: readonly string[], before = '') {
  return (t: string): Record<string, string> => {
    const files: Record<string, string> = { 'sql/manifest.txt': `${names.join('\n')}\n` };
    for (const name of names) {
      const x = name.replace(/^\d+_/, '');
      const column = x === 'bad' ? ', v Strnig' : '';
      files[`sql/${name}.up.yql`] = `${x === 'bad' ? before : ''}CREATE TABLE ${t}_${x} (id Uint64 NOT NULL${column}, PRIMARY KEY (id));\n`;
      files[`sql/${name}.down.yql`] = `DROP TABLE ${t}_${x};\n`;
    }
    return files;
  };
}

/** The migration texts the emulator was sent. */
function sentMigrations(db: TestDatabase, p: string): string[] {
  return db.emulator!.log.calls('ExecuteQuery').flatMap((c) => (c.query?.includes(`CREATE TABLE ${p}_`) ? [c.query] : []));
}

test('up refuses a pending migration lint rates an error, naming the finding, before the lock and before any migration runs; exit 2', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, project(['0001_ok', '0002_bad']));
  for (const args of [['up'], ['up', '--dry-run'], ['up', '0001_ok']]) {
    const run = await cli(db, cwd, [...args, '--table', table]);
    if (args[1] === '0001_ok') {
      assert.equal(run.status, 0, `a run that does not reach it is not refused: ${run.stderr}`);
      continue;
    }
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /sql\/0002_bad\.up\.yql:1:\d+: refusing to apply 0002_bad: lint rates it an error YDB would refuse; nothing ran\. .*--no-lint \[LINT_REFUSED\]/);
    assert.match(run.stderr, /sql\/0002_bad\.up\.yql:1:\d+: error: 'Strnig' for column v of table .*_bad.*\[unknown-type\]/);
  }
  assert.deepEqual(sentMigrations(db, p), [`CREATE TABLE ${p}_ok (id Uint64 NOT NULL, PRIMARY KEY (id));`], "only 0001_ok's request, from `up 0001_ok`");
  assert.deepEqual(await readTable(db, `${table}_lock`), [], 'the lock is free');
});

test('--no-lint lets the migration through to YDB, which refuses it itself', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, project(['0001_ok', '0002_bad']));
  const run = await cli(db, cwd, ['up', '--no-lint', '--table', table]);
  assert.equal(run.status, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /LINT_REFUSED/);
  assert.match(run.stderr, /\[YDB_[A-Z_]+\]/, "YDB's own refusal");
  assert.equal(sentMigrations(db, p).filter((q) => q.includes('Strnig')).length, 1, 'the statement reached YDB');
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_ok', 'applied']]);
});

test('a ydb-migrate:disable comment for the rule lets the statement through to YDB', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, project(['0001_ok', '0002_bad'], '-- ydb-migrate:disable unknown-type our YDB has this type\n'));
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.doesNotMatch(run.stderr, /LINT_REFUSED/);
  assert.equal(sentMigrations(db, p).filter((q) => q.includes('Strnig')).length, 1, 'the statement reached YDB');
});

test('an applied migration with a lint error does not block up', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, project(['0002_bad', '0003_next']));
  const baseline = await cli(db, cwd, ['baseline', '0002_bad', '--table', table]);
  assert.equal(baseline.status, 0, baseline.stderr);
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /up +applied +0003_next/);
  assert.notEqual(await readTable(db, `${p}_next`), null);
});

test('redo refuses to apply again a migration lint rates an error, before reverting it', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, project(['0002_bad']));
  assert.equal((await cli(db, cwd, ['baseline', '0002_bad', '--table', table])).status, 0);
  const run = await cli(db, cwd, ['redo', '--table', table]);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /refusing to apply 0002_bad: .*\[LINT_REFUSED\]/);
  assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0002_bad', 'applied']], 'nothing was reverted');
  assert.deepEqual(sentMigrations(db, p), []);
});

test('a migration that drops a table older than the migrations is not refused: lint cannot know that table, YDB does', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, (t) => ({ 'sql/manifest.txt': '0001_drop_old\n', 'sql/0001_drop_old.up.yql': `DROP TABLE ${t}_old;\n` }));
  await runQuery(db, 'scheme', `CREATE TABLE ${p}_old (id Uint64 NOT NULL, PRIMARY KEY (id));`);
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(await readTable(db, `${p}_old`), null, 'the table is gone');
});

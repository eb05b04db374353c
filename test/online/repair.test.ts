import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, readTable, runQuery, setUp, tableSet, type TestDatabase } from './harness.js';

function twoTables(t: string): Record<string, string> {
  return tableSet(t, '0001_a\n0002_b\n');
}

/** The history rows, oldest first, every column. */
async function rows(db: TestDatabase, table: string): Promise<Record<string, unknown>[]> {
  return (await readTable(db, table, '`position`')) ?? [];
}

test('repair records the current checksums (and with --down-text the down text) of edited applied files; --dry-run writes nothing', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), `-- b: the table of bees\nCREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
  await writeFile(join(cwd, 'sql/0002_b.down.yql'), `DROP TABLE IF EXISTS ${p}_b;\n`);
  const before = await cli(db, cwd, ['status', '--table', table]);
  assert.match(before.stdout, /changed +0002_b/);
  assert.match(before.stdout, /record it with `ydb-migrate repair 0002_b`/);
  const history = async () => (await rows(db, table)).map((r) => [r.name, String(r.checksum).slice(0, 12), r.down_text]);
  const original = await history();

  const dry = await cli(db, cwd, ['repair', '--dry-run', '--table', table]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /up +planned +0002_b .*\n +checksum [0-9a-f]{12} → [0-9a-f]{12} \(sql\/0002_b\.up\.yql\)\n +cosmetic: only comments and whitespace differ/);
  assert.match(dry.stdout, /repair \(dry run, nothing executed\): 1 planned/);
  assert.deepEqual(await history(), original, 'a dry run writes nothing');

  const unknown = await cli(db, cwd, ['repair', '0009_nope', '--table', table]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no migration named '0009_nope'.*\[REPAIR_UNKNOWN\]/);

  const repaired = await cli(db, cwd, ['repair', '0002_b', '--table', table]);
  assert.equal(repaired.status, 0, repaired.stderr);
  assert.match(repaired.stdout, /up +repaired +0002_b/);
  assert.doesNotMatch(repaired.stdout, /down text/, 'without --down-text the stored down text stays');
  assert.equal((await cli(db, cwd, ['status', '--check', '--table', table])).status, 0, 'no drift left');
  assert.equal((await history())[1]![2], `DROP TABLE ${p}_b;\n`);

  const down = await cli(db, cwd, ['repair', '--down-text', '--table', table]);
  assert.match(down.stdout, /up +repaired +0002_b .*\n +down text now that of sql\/0002_b\.down\.yql\n/);
  assert.equal((await history())[1]![2], `DROP TABLE IF EXISTS ${p}_b;\n`);
  assert.match((await cli(db, cwd, ['repair', '--table', table])).stdout, /repair: nothing to do/);
});

test('a stored applied text that does not lex (another version wrote it) is compared as no text: --yes records the file', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await runQuery(db, 'transaction', `UPDATE \`${table}\` SET up_text = 'SELECT \\'never closed'u WHERE name = '0002_b'u;`);
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), `-- b\nCREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
  const refused = await cli(db, cwd, ['repair', '--table', table]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /0002_b: cannot tell whether statements changed/);
  const accepted = await cli(db, cwd, ['repair', '--yes', '--table', table]);
  assert.equal(accepted.status, 0, accepted.stderr);
  assert.equal((await rows(db, table))[1]!.up_text, `-- b\nCREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
});

test('repair --down-text of a migration whose down file is gone keeps the stored down text, the only revert left', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await unlink(join(cwd, 'sql/0002_b.down.yql'));
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), `-- b\nCREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
  const repaired = await cli(db, cwd, ['repair', '--down-text', '--table', table]);
  assert.equal(repaired.status, 0, repaired.stderr);
  assert.match(repaired.stderr, /0002_b has no down file, so --down-text keeps the down text stored when it was applied .*\[REPAIR_KEPT_DOWN_TEXT\]/);
  assert.equal((await rows(db, table))[1]!.down_text, `DROP TABLE ${p}_b;\n`);
});

test('a cosmetic edit is repaired without --yes: applied_at and applied_by stay, repaired_at and repaired_by are recorded', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  const [first, second] = await rows(db, table);
  assert.deepEqual([second!.repaired_at, second!.repaired_by], [null, null], 'a row never repaired has no repair record');
  const edited = `/* the table of bees */\nCREATE TABLE ${p}_b (\n    id Uint64 NOT NULL, -- the key\n    PRIMARY KEY (id)\n);\n`;
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), edited);

  const repaired = await cli(db, cwd, ['repair', '--json', '--table', table]);
  assert.equal(repaired.status, 0, repaired.stderr);
  const results = (JSON.parse(repaired.stdout) as { results: { name: string; status: string; edit: unknown }[] }).results;
  assert.deepEqual(results.map((r) => [r.name, r.status, r.edit]), [['0002_b', 'repaired', { kind: 'cosmetic' }]]);

  const [firstAfter, secondAfter] = await rows(db, table);
  assert.deepEqual(firstAfter, first, 'the unedited row is untouched');
  assert.deepEqual(secondAfter!.applied_at, second!.applied_at, 'applied_at is the time it was applied, not repaired');
  assert.equal(secondAfter!.applied_by, second!.applied_by);
  assert.equal(secondAfter!.position, second!.position);
  assert.equal(secondAfter!.up_text, edited, 'the text now recorded is the one a later repair compares with');
  assert.ok(secondAfter!.repaired_at instanceof Date && secondAfter!.repaired_at >= (second!.applied_at as Date), 'repaired_at is stamped');
  assert.match(String(secondAfter!.repaired_by), /^.+@.+$/, 'repaired_by names the user and host');

  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.match(status.stdout, /^ {2}STATE +MIGRATION +APPLIED AT +REPAIRED *$/m);
  assert.match(status.stdout, /^ {2}applied +0001_a +\S+Z$/m, 'a row never repaired shows no repair');
  const [applied, repairedAt] = [second!.applied_at, secondAfter!.repaired_at].map((d) => (d as Date).toISOString().replaceAll('.', '\\.'));
  assert.match(status.stdout, new RegExp(`^ {2}applied +0002_b +${applied} +${repairedAt} by ${secondAfter!.repaired_by}$`, 'm'));
});

test('an edit that changes a statement is refused without --yes (exit 2, history untouched) and recorded with it', async (t) => {
  const { db, p, cwd, table } = await setUp(t, twoTables);
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  await writeFile(join(cwd, 'sql/0001_a.up.yql'), `-- a\nCREATE TABLE ${p}_a (id Uint64 NOT NULL, PRIMARY KEY (id));\n`);
  await writeFile(join(cwd, 'sql/0002_b.up.yql'), `CREATE TABLE ${p}_b (\n    id Uint64 NOT NULL,\n    note Utf8,\n    PRIMARY KEY (id)\n);\n`);
  const original = await rows(db, table);

  const refused = await cli(db, cwd, ['repair', '--table', table]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /the up file of 0002_b changes statements that already ran.*nothing was written: check that the database matches the file now.*repeat the repair with --yes \[REPAIR_NEEDS_YES\]/);
  assert.match(refused.stderr, /0001_a: cosmetic: only comments and whitespace differ/);
  assert.match(refused.stderr, /0002_b: statements changed: statement 1 differs at sql\/0002_b\.up\.yql:3:5 \(`PRIMARY` applied, `note` now\)/);
  assert.deepEqual(await rows(db, table), original, 'nothing is written, not even the cosmetic repair');

  const dry = await cli(db, cwd, ['repair', '--dry-run', '--table', table]);
  assert.equal(dry.status, 0, 'a dry run writes nothing, so it needs no --yes');
  assert.match(dry.stdout, /planned +0002_b .*\n.*\n +statements changed: statement 1 differs/);

  const accepted = await cli(db, cwd, ['repair', '--yes', '--table', table]);
  assert.equal(accepted.status, 0, accepted.stderr);
  assert.match(accepted.stdout, /repaired +0001_a .*\n.*\n +cosmetic/);
  assert.match(accepted.stdout, /repaired +0002_b .*\n.*\n +statements changed/);
  const after = await rows(db, table);
  assert.deepEqual(after.map((r) => r.applied_at), original.map((r) => r.applied_at), 'applied_at stays');
  assert.ok(after.every((r) => r.repaired_at instanceof Date));
  assert.equal((await cli(db, cwd, ['status', '--check', '--table', table])).status, 0, 'no drift left');

  await writeFile(join(cwd, 'sql/0002_b.up.yql'), `CREATE TABLE ${p}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO ${p}_b (id) VALUES ('oops);\n`);
  const recorded = await rows(db, table);
  const bad = await cli(db, cwd, ['repair', '--yes', '--table', table]);
  assert.equal(bad.status, 2, 'a file that does not lex is an input error, even with --yes');
  assert.match(bad.stderr, /^error: sql\/0002_b\.up\.yql:2:\d+: unterminated string starts here.*\[YQL_UNTERMINATED\]$/m);
  assert.deepEqual(await rows(db, table), recorded, 'and nothing is written');
});

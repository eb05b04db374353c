/**
 * `up --resume` and `down --resume` through the real ydb-sdk on the
 * emulator: a migration stopped half-way is finished after the fix, never
 * re-running what ran; what cannot be checked needs --assume-not-applied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checksumOf } from '../../lib/checksum.js';
import { cli, NEEDS_EMULATOR, readTable, runQuery, setUp } from './harness.js';

const A = (t: string): string => `CREATE TABLE ${t}_a (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;
const B = (t: string): string => `CREATE TABLE ${t}_b (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;

/** 0001_three: three requests, the third given; 0002_next after it. */
function files(third: (t: string) => string) {
  return (t: string): Record<string, string> => ({
    'sql/manifest.txt': '0001_three\n0002_next\n',
    'sql/0001_three.up.yql': `${A(t)}${B(t)}${third(t)}`,
    'sql/0001_three.down.yql': `DROP TABLE ${t}_b;\nDROP TABLE ${t}_a;\n`,
    'sql/0002_next.up.yql': `CREATE TABLE ${t}_c (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
  });
}
const BROKEN_ALTER = (t: string): string => `ALTER TABLE ${t}_missing ADD COLUMN v Utf8;\n`;
const FIXED_ALTER = (t: string): string => `ALTER TABLE ${t}_b ADD COLUMN v Utf8;\n`;

async function rowOf(db: Parameters<typeof readTable>[0], table: string, name: string): Promise<Record<string, unknown>> {
  return (await readTable(db, table))!.find((r) => r.name === name)!;
}

test('up --resume after fixing the third request: the two that ran are not sent again, the rest runs, the row records the new file', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files(BROKEN_ALTER));
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /0001_three is recorded 'failed' after 2 of 3 requests ran/);
  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.match(status.stdout, /^0001_three: failed, 2 of 3 requests ran: fix and `ydb-migrate up --resume`, or `ydb-migrate resolve 0001_three --applied\|--reverted`$/m);

  const fixed = `${A(p)}${B(p)}${FIXED_ALTER(p)}`;
  await writeFile(join(cwd, 'sql/0001_three.up.yql'), fixed);
  const plain = await cli(db, cwd, ['up', '--table', table, '--allow-drift']);
  assert.equal(plain.status, 1, 'only a resume or resolve settles the row');
  assert.match(plain.stderr, /\[MIGRATION_UNFINISHED\]/);

  const dry = await cli(db, cwd, ['up', '--resume', '--dry-run', '--table', table]);
  assert.equal(dry.status, 0, dry.stderr);
  // The requests, not the comments that show their parameters (the history row's up_text holds the whole file).
  const sent = dry.stdout.split('\n').filter((line) => !line.startsWith('--')).join('\n');
  assert.ok(sent.includes(`ALTER TABLE ${p}_b ADD COLUMN v Utf8;`) && !sent.includes(`CREATE TABLE ${p}_a`), `the dry run shows only what the resume sends:\n${dry.stdout}`);

  const resumed = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming 0001_three at request 3 \(sql\/0001_three\.up\.yql:3\): the run that stopped recorded that it did not run \(refused by YDB, or never sent\)/);
  assert.match(resumed.stdout, /up +applied +0001_three[\s\S]*up +applied +0002_next/);
  const row = await rowOf(db, table, '0001_three');
  assert.deepEqual([row.state, row.position, row.checksum, row.requests_done, row.requests_ran], ['applied', 1, checksumOf(fixed), null, null]);
  await runQuery(db, 'transaction', `UPSERT INTO ${p}_b (id, v) VALUES (1, 'x'u);`);
  assert.deepEqual(await readTable(db, `${p}_b`), [{ id: 1n, v: 'x' }]);
});

test('up --resume refuses when a request that ran was edited, naming it, and changes nothing', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files(BROKEN_ALTER));
  await cli(db, cwd, ['up', '--table', table]);
  const before = await readTable(db, table);
  await writeFile(join(cwd, 'sql/0001_three.up.yql'), `${A(p)}CREATE TABLE ${p}_b (id Uint64 NOT NULL, w Utf8, PRIMARY KEY (id));\n${FIXED_ALTER(p)}`);
  const refused = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /sql\/0001_three\.up\.yql:2:1: 0001_three: request 2 \(sql\/0001_three\.up\.yql:2\) changed since it ran; .* \[RESUME_EDITED\]/);
  assert.deepEqual(await readTable(db, table), before);
  assert.equal(await readTable(db, `${p}_c`), null);
});

test('a DML request YDB refused is recorded as not run: up --resume runs it again without --assume-not-applied, which means nothing alone', async (t) => {
  const { db, p, cwd, table } = await setUp(t, files((t) => `UPSERT INTO ${t}_missing (id) VALUES (1);\n`));
  await cli(db, cwd, ['up', '--table', table]);
  assert.match((await rowOf(db, table, '0001_three')).requests_ran as string, / -$/, 'the record says the request after the two that ran did not run');
  await writeFile(join(cwd, 'sql/0001_three.up.yql'), `${A(p)}${B(p)}UPSERT INTO ${p}_b (id) VALUES (1);\n`);
  const lone = await cli(db, cwd, ['up', '--assume-not-applied', '--table', table]);
  assert.equal(lone.status, 2);
  assert.match(lone.stderr, /--assume-not-applied goes with --resume/);

  const resumed = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming 0001_three at request 3 \(sql\/0001_three\.up\.yql:3\): the run that stopped recorded that it did not run \(refused by YDB, or never sent\)/);
  assert.deepEqual(await readTable(db, `${p}_b`), [{ id: 1n }]);
  assert.equal((await rowOf(db, table, '0001_three')).state, 'applied');
});

test('without a record of how far it got (an offline script\'s row), the DML request that may have run is named as a doubt, not as where the run stopped', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (t) => ({
    'sql/manifest.txt': '0001_fill\n',
    'sql/0001_fill.up.yql': `UPSERT INTO ${t}_a (id) VALUES (1);\nUPSERT INTO ${t}_a (id) VALUES (2);\n${B(t)}`,
    'sql/0001_fill.down.yql': `DROP TABLE ${t}_b;\n`,
  }));
  await runQuery(db, 'scheme', A(p));
  await runQuery(db, 'scheme', B(p)); // the third request fails: its table is there already
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 1);
  // What an offline script leaves: 'applying', with no count and no request checksums.
  await runQuery(db, 'transaction', `UPDATE \`${table}\` SET state = 'applying'u, requests_done = NULL, requests_ran = NULL WHERE name = '0001_fill'u;`);
  await runQuery(db, 'scheme', `DROP TABLE ${p}_b;`);

  const refused = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /the history does not record how far 0001_fill got, and the schema cannot show whether request 1 of 0001_fill \(sql\/0001_fill\.up\.yql:1\) took effect .*: the run may have stopped at it; check the database: if it did not take effect, run again with --assume-not-applied; otherwise finish the rest by hand .*\[RESUME_UNCHECKABLE\]/);
  assert.match(refused.stderr, /`ydb-migrate resolve 0001_fill --applied` if all of its changes took effect/);

  const resumed = await cli(db, cwd, ['up', '--resume', '--assume-not-applied', '--table', table]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming 0001_fill at request 1 \(sql\/0001_fill\.up\.yql:1\): it is assumed not applied/);
  assert.equal((await rowOf(db, table, '0001_fill')).state, 'applied');
});

test('a resume that died (its row left applying) is resumed from what the schema shows: a DML request it may have run is never run again unasked', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (t) => ({
    'sql/manifest.txt': '0001_multi\n',
    'sql/0001_multi.up.yql': `${A(t)}${B(t)}UPSERT INTO ${t}_a (id) VALUES (7);\nCREATE TABLE ${t}_d (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0001_multi.down.yql': `DROP TABLE ${t}_d;\nDROP TABLE ${t}_b;\nDROP TABLE ${t}_a;\n`,
  }));
  await runQuery(db, 'scheme', B(p)); // the second request is refused: its table is there already
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 1);
  const failed = await rowOf(db, table, '0001_multi');
  assert.match(failed.requests_ran as string, /^up [0-9a-f]{16} -$/);
  // What a resume that ran requests 2 and 3 and then died leaves: its marker row, 'applying' with the requests before it.
  await runQuery(db, 'transaction', `UPDATE \`${table}\` SET state = 'applying'u, requests_ran = '${(failed.requests_ran as string).slice(0, -2)}'u WHERE name = '0001_multi'u;`);
  await runQuery(db, 'transaction', `UPSERT INTO ${p}_a (id) VALUES (7);`);

  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.match(status.stdout, /0001_multi is recorded 'applying' after at least 1 of 4 requests ran/);
  const refused = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /the history does not record how far 0001_multi got, and the schema cannot show whether request 3 of 0001_multi \(sql\/0001_multi\.up\.yql:3\) took effect .*: the run may have stopped at it; .*\[RESUME_UNCHECKABLE\]/);
  assert.equal((await rowOf(db, table, '0001_multi')).state, 'applying', 'refused: nothing written');
});

test('without a record, a table the migration creates and later drops proves nothing: the resume does not take the migration as run', async (t) => {
  const { db, cwd, table } = await setUp(t, (t) => ({
    'sql/manifest.txt': '0001_tmp\n',
    'sql/0001_tmp.up.yql': `CREATE TABLE ${t}_tmp (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO ${t}_tmp (id) VALUES (1);\nDROP TABLE ${t}_tmp;\n`,
    'sql/0001_tmp.down.yql': '-- ydb-migrate: nothing to do\n',
  }));
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  // A run that died during its first request (the table never made) leaves this row, and the same schema as a run that went to the end.
  await runQuery(db, 'transaction', `UPDATE \`${table}\` SET state = 'applying'u, requests_done = NULL, requests_ran = NULL WHERE name = '0001_tmp'u;`);

  const refused = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /the schema cannot show whether requests 1 to 3 \(sql\/0001_tmp\.up\.yql:1, :2, :3\) took effect/);
  assert.equal((await rowOf(db, table, '0001_tmp')).state, 'applying');
});

test('a request whose answer was lost is "outcome unknown", and up --resume skips it when its table shows it landed', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, files(FIXED_ALTER));
  // The CREATE TABLE runs, then its answer is lost.
  db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), cutStream: true });
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /0001_three is recorded 'failed' after 1 of 3 requests ran \(applying it, [^)]*\); the outcome of the request at sql\/0001_three\.up\.yql:2 is unknown \(its answer was lost or timed out/);
  assert.doesNotMatch(run.stderr, /nothing ran|did not run/);

  // The request whose outcome is unknown is looked for as it was sent: an edit of it would hide what it did.
  const sent = FIXED_ALTER(p);
  await writeFile(join(cwd, 'sql/0001_three.up.yql'), `${A(p)}${B(p).replace(`${p}_b`, `${p}_bb`)}${sent}`);
  const edited = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(edited.status, 2, edited.stderr);
  assert.match(edited.stderr, /sql\/0001_three\.up\.yql:2:1: 0001_three: request 2 \(sql\/0001_three\.up\.yql:2\) changed since it was sent, and its outcome is unknown: .*\[RESUME_EDITED\]/);
  await writeFile(join(cwd, 'sql/0001_three.up.yql'), `${A(p)}${B(p)}${sent}`);

  const resumed = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`request 2 of 0001_three \\(sql/0001_three\\.up\\.yql:2\\) took effect before the run stopped \\(table ${p}_b created: found\\), so it is skipped`));
  assert.equal((await rowOf(db, table, '0001_three')).state, 'applied');
  await runQuery(db, 'transaction', `UPSERT INTO ${p}_b (id, v) VALUES (1, 'x'u);`);
});

test('a TIMEOUT on a request is "outcome unknown" with the recovery commands; up --resume finds it did not land and runs it', { skip: NEEDS_EMULATOR }, async (t) => {
  const { db, p, cwd, table } = await setUp(t, files(FIXED_ALTER));
  db.emulator!.faults.add({ method: 'ExecuteQuery', match: new RegExp(`CREATE TABLE ${p}_b`), status: 'TIMEOUT' });
  const run = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /TIMEOUT/);
  assert.match(run.stderr, /the outcome of the request at sql\/0001_three\.up\.yql:2 is unknown/);
  assert.match(run.stderr, /1\. if the request it stopped at failed, fix it in sql\/0001_three\.up\.yql .*`ydb-migrate up --resume`/);
  assert.doesNotMatch(run.stderr, /nothing ran|did not run/);

  const resumed = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming 0001_three at request 2 \\(sql/0001_three\\.up\\.yql:2\\): it did not take effect \\(table ${p}_b created: not found\\)`));
  assert.equal((await rowOf(db, table, '0001_three')).state, 'applied');
});

test('down --resume finishes a revert that failed half-way, with the fixed down file', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (t) => ({
    ...files(FIXED_ALTER)(t),
    'sql/manifest.txt': '0001_three\n0002_next\n',
    'sql/0002_next.down.yql': `DROP TABLE ${t}_c;\n`,
    'sql/0001_three.down.yql': `DROP TABLE ${t}_a;\nDROP TABLE ${t}_missing;\nDROP TABLE ${t}_b;\n`,
  }));
  const up = await cli(db, cwd, ['up', '--table', table]);
  assert.equal(up.status, 0, up.stderr);
  const down = await cli(db, cwd, ['down', 'base', '--yes', '--table', table]);
  assert.equal(down.status, 1, down.stderr);
  assert.match(down.stderr, /0001_three is recorded 'failed' after 1 request ran \(reverting it, /);
  assert.match(down.stderr, /`ydb-migrate down --resume`/);
  const status = await cli(db, cwd, ['status', '--table', table]);
  assert.match(status.stdout, /^0001_three: failed, 1 request ran: fix and `ydb-migrate down --resume`, or `ydb-migrate resolve 0001_three --applied\|--reverted`$/m);

  const wrongWay = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(wrongWay.status, 2);
  assert.match(wrongWay.stderr, /0001_three was left unfinished while being reverted, so `ydb-migrate up --resume` cannot finish it; run `ydb-migrate down --resume` \[RESUME_NOTHING\]/);
  const withTarget = await cli(db, cwd, ['down', 'base', '--resume', '--table', table]);
  assert.equal(withTarget.status, 2);

  await writeFile(join(cwd, 'sql/0001_three.down.yql'), `DROP TABLE ${p}_a;\nDROP TABLE ${p}_b;\n`);
  const resumed = await cli(db, cwd, ['down', '--resume', '--down-from-file', '--table', table]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming 0001_three at request 2 \(sql\/0001_three\.down\.yql:2\): the run that stopped recorded that it did not run \(refused by YDB, or never sent\)/);
  assert.deepEqual(await readTable(db, table), [], 'reverted: its row is gone');
  assert.equal(await readTable(db, `${p}_b`), null);
  assert.equal(await readTable(db, `${p}_a`), null);
});

test('--resume with nothing unfinished says so', async (t) => {
  const { db, cwd, table } = await setUp(t, files(FIXED_ALTER));
  const nothing = await cli(db, cwd, ['up', '--resume', '--table', table]);
  assert.equal(nothing.status, 2);
  assert.match(nothing.stderr, /up --resume: the history holds no unfinished migration, so there is nothing to resume; run `ydb-migrate up` \[RESUME_NOTHING\]/);
});

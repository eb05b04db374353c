import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, readTable, setUp, tableSet } from './harness.js';

function twoTables(t: string): Record<string, string> {
  return tableSet(t, '0001_a\n@v1\n0002_b\n');
}

test('a target, tag, name or count that cannot be planned is refused before the lock or any table is created', async (t) => {
  const { db, cwd, table } = await setUp(t, twoTables);
  const cases: [string[], RegExp][] = [
    [['up', '0009_nope'], /no migration named '0009_nope'/],
    [['up', '@v9'], /no tag @v9 in the manifest; did you mean @v1\?/],
    [['up', '+3'], /\+3 goes past head/],
    [['down'], /-1 goes past base: there are no applied migrations/],
    [['redo'], /goes past base/],
    [['baseline', '0009_nope'], /no migration named '0009_nope'/],
    [['resolve', '0001_a', '--applied'], /the history has no row for '0001_a'/],
  ];
  for (const [args, message] of cases) {
    const res = await cli(db, cwd, [...args, '--table', table]);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, message, args.join(' '));
    assert.equal(await readTable(db, table), null, `${args.join(' ')} created the history table`);
    assert.equal(await readTable(db, `${table}_lock`), null, `${args.join(' ')} created the lock table`);
  }
  // Against a history read under the lock too: once applied, up to an applied name is refused and the lock is free again.
  assert.equal((await cli(db, cwd, ['up', '--table', table])).status, 0);
  const behind = await cli(db, cwd, ['up', '0001_a', '--table', table]);
  assert.equal(behind.status, 2);
  assert.match(behind.stderr, /already applied/);
  assert.deepEqual(await readTable(db, `${table}_lock`), []);
});

test('--table naming an existing table that is not a history table is refused before anything is created', async (t) => {
  const { db, p, cwd, table } = await setUp(t, (p) => ({
    ...twoTables(p),
    'other/manifest.txt': '0001_users\n',
    'other/0001_users.up.yql': `CREATE TABLE ${p}_users (id Uint64 NOT NULL, name Utf8, PRIMARY KEY (id));\n`,
  }));
  assert.equal((await cli(db, cwd, ['up', '--dir', 'other', '--table', table])).status, 0);
  for (const args of [['up'], ['status'], ['down', 'base']]) {
    const res = await cli(db, cwd, [...args, '--table', `${p}_users`]);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, new RegExp(`table ${p}_users exists but is not a ydb-migrate history table \\(it has no column \\w+\\); nothing was written.*\\[HISTORY_NOT_OURS\\]`));
  }
  assert.equal(await readTable(db, `${p}_users_lock`), null, 'no lock table was created beside it');
});

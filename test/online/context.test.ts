/**
 * Requests as YDB accepts them, online: each DDL statement is a request of
 * its own (YDB checks a request whole against the schema as it stood when
 * it started), and a migration's PRAGMAs and named expressions reach every
 * later statement of its file, in whatever request it lands, and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, DATABASE, historyOf, readTable, setUp } from './harness.js';

test('dependent DDL (create then alter, add a column then index it, create then drop) applies, one request per DDL statement', async (t) => {
  const { db, p, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_items\n',
    'sql/0001_items.up.yql': [
      `CREATE TABLE ${p}_items (id Uint64 NOT NULL, PRIMARY KEY (id)); ALTER TABLE ${p}_items ADD COLUMN title Utf8;`,
      `ALTER TABLE ${p}_items ADD INDEX ${p}_by_title GLOBAL ON (title);`,
      `CREATE TABLE ${p}_scratch (id Uint64 NOT NULL, PRIMARY KEY (id));`,
      `DROP TABLE ${p}_scratch;`,
      `UPSERT INTO ${p}_items (id, title) VALUES (1, "one"u);`,
    ].join('\n'),
  }));
  const run = await cli(db, cwd, ['up']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(await readTable(db, `${p}_items`), [{ id: 1n, title: 'one' }]);
  assert.equal(await readTable(db, `${p}_scratch`), null);
  assert.deepEqual((await historyOf(db)).map((r) => [r.name, r.state]), [['0001_items', 'applied']]);
  if (db.emulator) {
    const sent = db.emulator.log.calls('ExecuteQuery').map((e) => e.query ?? '');
    const ddl = sent.filter((q) => /\b(CREATE|ALTER|DROP) TABLE `?t_/.test(q));
    assert.equal(ddl.length, 5, 'five DDL statements, five requests');
    for (const query of ddl) assert.equal(query.match(/\b(CREATE|ALTER|DROP) TABLE/g)!.length, 1, query);
  }
});

test('a TablePathPrefix and a named expression reach every later statement of their migration, and neither the next one nor the history', async (t) => {
  const { db, p, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_prefixed\n0002_plain\n',
    'sql/0001_prefixed.up.yql': [
      `PRAGMA TablePathPrefix("${DATABASE}/${p}_dir");`, // released YDB: a relative prefix starts at the cluster root
      '$title = "first"u;',
      'CREATE TABLE items (id Uint64 NOT NULL, title Utf8, PRIMARY KEY (id));',
      'ALTER TABLE items ADD COLUMN note Utf8;',
      'UPSERT INTO items (id, title, note) VALUES (1, $title, "n"u);',
    ].join('\n'),
    'sql/0002_plain.up.yql': `CREATE TABLE ${p}_top (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO ${p}_top (id) VALUES (2);\n`,
  }));
  const run = await cli(db, cwd, ['up']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(await readTable(db, `${p}_dir/items`), [{ id: 1n, title: 'first', note: 'n' }], 'DDL and DML both under the prefix; the expression defined before the DDL is known after it');
  assert.deepEqual(await readTable(db, `${p}_top`), [{ id: 2n }], 'the next migration is not under the prefix');
  assert.equal(await readTable(db, `${p}_dir/${p}_top`), null);
  assert.deepEqual((await historyOf(db)).map((r) => [r.name, r.state]), [['0001_prefixed', 'applied'], ['0002_plain', 'applied']], 'both rows in the history table');
  assert.equal(await readTable(db, `${p}_dir/${db.table}`), null, 'no history table under the prefix');
});

test('an error after non-ASCII characters (an astral one among them) on its line points at the right column', async (t) => {
  const { db, p, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_text\n',
    'sql/0001_text.up.yql': `CREATE TABLE ${p}_t (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));\nUPSERT INTO ${p}_t (id, note) VALUES (1, "ключ é 🙂"u); UPSERT INTO ${p}_missing (id) VALUES (2);\n`,
  }));
  const run = await cli(db, cwd, ['up']);
  assert.equal(run.status, 1);
  const column = `UPSERT INTO ${p}_t (id, note) VALUES (1, "ключ é 🙂"u); UPSERT INTO `.length + 1;
  assert.match(run.stderr, new RegExp(`sql/0001_text\\.up\\.yql:2:${column}: migration 0001_text failed: SCHEME_ERROR`));
});

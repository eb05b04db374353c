import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayedSchema } from '../../lib/schema/replay.js';
import { readDdl } from '../../lib/schema/statement.js';
import { splitStatements } from '../../lib/yql/blocks.js';

const ddlOf = (text: string) => splitStatements(text, 'm.yql').map((s) => readDdl(s, 'm.yql'));

test('readDdl: CREATE TABLE columns, key, indexes and types, at their file positions', () => {
  const [ddl] = ddlOf('-- c\n  CREATE TABLE IF NOT EXISTS `a/t` (\n  id Uint64 NOT NULL,\n  n Decimal(22, 9) DEFAULT 1,\n  v Optional<Int32>,\n  INDEX by_n GLOBAL UNIQUE SYNC ON (n) COVER (v),\n  PRIMARY KEY (id)\n);');
  assert.ok(ddl?.kind === 'create-table');
  assert.deepEqual(ddl.table, { name: 'a/t', line: 2, column: 30 });
  assert.equal(ddl.ifNotExists, true);
  assert.deepEqual(
    ddl.columns.map((c) => [c.name, c.type, c.typeKnown, c.notNull, c.hasDefault, c.line, c.column]),
    [['id', 'Uint64', true, true, false, 3, 3], ['n', 'Decimal(22,9)', true, false, true, 4, 3], ['v', 'Optional<Int32>', false, false, false, 5, 3]],
  );
  assert.deepEqual(ddl.primaryKey, [{ name: 'id', line: 7, column: 16 }]);
  assert.deepEqual(ddl.indexes.map((i) => [i.name, i.unique, i.columns.map((c) => c.name), i.cover.map((c) => c.name)]), [['by_n', true, ['n'], ['v']]]);
});

test('readDdl: ALTER TABLE actions, one per comma; what it does not know is "other", never an exception', () => {
  const [ddl] = ddlOf('ALTER TABLE t ADD COLUMN a Utf8 NOT NULL DEFAULT "x"u, DROP COLUMN b, ADD INDEX i GLOBAL ON (a), DROP INDEX j, ADD CHANGEFEED f WITH (MODE = "UPDATES", FORMAT = "JSON"), DROP CHANGEFEED g, ALTER COLUMN c SET TYPE Int64, SET (TTL = Interval("P1D") ON ts), RENAME TO u;');
  assert.ok(ddl?.kind === 'alter-table');
  assert.deepEqual(ddl.actions.map((a) => a.kind), ['add-column', 'drop-column', 'add-index', 'drop-index', 'add-changefeed', 'drop-changefeed', 'change-type-or-key', 'other', 'other']);
  assert.deepEqual(ddlOf('UPSERT INTO t (id) VALUES (1); CREATE TOPIC x; DROP TABLE IF EXISTS t; ALTER TABLE;').map((d) => d.kind), ['other', 'other', 'drop-table', 'other']);
});

test('ReplayedSchema: applies CREATE/ALTER/DROP; a fork sees its parent and changes only itself', () => {
  const schema = new ReplayedSchema();
  for (const ddl of ddlOf('CREATE TABLE t (id Uint64, a Utf8, PRIMARY KEY (id)); ALTER TABLE t ADD COLUMN b Int32, DROP COLUMN a, ADD INDEX i GLOBAL ON (b); CREATE TABLE u (k Int32, PRIMARY KEY (k));')) schema.apply(ddl);
  assert.deepEqual(schema.table('t')?.columns.map((c) => c.name), ['id', 'b']);
  assert.deepEqual(schema.table('t')?.indexes.map((i) => i.name), ['i']);
  const fork = schema.fork();
  for (const ddl of ddlOf('DROP TABLE u; ALTER TABLE t DROP INDEX i;')) fork.apply(ddl);
  assert.equal(fork.table('u'), undefined);
  assert.deepEqual(fork.table('t')?.indexes, []);
  assert.equal(schema.table('u')?.path, 'u');
  assert.deepEqual(schema.table('t')?.indexes.map((i) => i.name), ['i']);
});

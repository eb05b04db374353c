import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayedSchema } from '../../lib/schema/replay.js';
import { readDdl, readDdlFile, unquoteName, type CreateTable } from '../../lib/yql/ddl.js';
import { splitStatements } from '../../lib/yql/blocks.js';

const ddlOf = (text: string) => splitStatements(text, 'm.yql').map((s) => readDdl(s, 'm.yql'));

test('readDdl: CREATE TABLE columns, key, indexes and types, at their file positions', () => {
  const [ddl] = ddlOf('-- c\n  CREATE TABLE IF NOT EXISTS `a/t` (\n  id Uint64 NOT NULL,\n  n Decimal(22, 9) DEFAULT 1,\n  v Optional<Int32>,\n  INDEX by_n GLOBAL UNIQUE SYNC ON (n) COVER (v),\n  PRIMARY KEY (id)\n);');
  assert.ok(ddl?.kind === 'create-table');
  assert.deepEqual(ddl.table, { name: 'a/t', line: 2, column: 30 });
  assert.equal(ddl.ifNotExists, true);
  assert.deepEqual(
    ddl.columns.map((c) => [c.name, c.type, c.resolved.kind !== 'unknown', c.notNull, c.default !== null, c.line, c.column]),
    [['id', 'Uint64', true, true, false, 3, 3], ['n', 'Decimal(22,9)', true, false, true, 4, 3], ['v', 'Optional<Int32>', false, false, false, 5, 3]],
  );
  assert.deepEqual(ddl.primaryKeys, [[{ name: 'id', line: 7, column: 16 }]]);
  assert.deepEqual(ddl.indexes.map((i) => [i.name, i.unique, i.columns.map((c) => c.name), i.cover.map((c) => c.name)]), [['by_n', true, ['n'], ['v']]]);
});

test('readDdl: ALTER TABLE actions, one per comma; what it does not know is "other", never an exception', () => {
  const [ddl] = ddlOf('ALTER TABLE t ADD COLUMN a Utf8 NOT NULL DEFAULT "x"u, DROP COLUMN b, ADD INDEX i GLOBAL ON (a), DROP INDEX j, ADD CHANGEFEED f WITH (MODE = "UPDATES", FORMAT = "JSON"), DROP CHANGEFEED g, ALTER COLUMN c SET TYPE Int64, SET (TTL = Interval("P1D") ON ts), RENAME TO u;');
  assert.ok(ddl?.kind === 'alter-table');
  assert.deepEqual(ddl.actions.map((a) => a.kind), ['add-column', 'drop-column', 'add-index', 'drop-index', 'add-changefeed', 'drop-changefeed', 'change-type-or-key', 'set', 'rename-to']);
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

const created = (text: string): CreateTable => {
  const [ddl] = ddlOf(text);
  assert.ok(ddl?.kind === 'create-table', text);
  return ddl;
};

test('readDdl: a table-level FAMILY is a family (docs family.md), a column named family is a column', () => {
  const ddl = created('CREATE TABLE t (a Uint64, b Utf8 FAMILY fam, family Utf8, PRIMARY KEY (a), FAMILY default (DATA = "ssd", COMPRESSION = "off"), FAMILY fam (DATA = "rot"));');
  assert.deepEqual(ddl.columns.map((c) => [c.name, c.family?.name ?? null]), [['a', null], ['b', 'fam'], ['family', null]]);
  assert.deepEqual(ddl.families.map((f) => [f.name, f.settings.map((s) => `${s.name}=${s.value.text}`)]), [['default', ['DATA="ssd"', 'COMPRESSION="off"']], ['fam', ['DATA="rot"']]]);
  assert.deepEqual(ddl.unread, []);
});

test('readDdl: column options bare or in parentheses, DEFAULT expressions, serials and aliases', () => {
  const [ddl] = ddlOf('ALTER TABLE t ADD COLUMN rate Double (DEFAULT 5.0, NOT NULL), ADD n Int32 NOT NULL DEFAULT CAST("7" AS Int32), DROP x;');
  assert.ok(ddl?.kind === 'alter-table');
  const [rate, n, drop] = ddl.actions;
  assert.ok(rate?.kind === 'add-column' && n?.kind === 'add-column');
  assert.deepEqual([rate.column.type, rate.column.notNull, rate.column.default?.text], ['Double', true, '5.0']);
  assert.deepEqual([n.column.notNull, n.column.default?.text], [true, 'CAST("7"ASInt32)']);
  assert.deepEqual(drop, { kind: 'drop-column', column: { name: 'x', line: 1, column: 117 } });
  const serial = created('CREATE TABLE s (id BigSerial, a bigint, PRIMARY KEY (id));');
  assert.deepEqual(serial.columns.map((c) => c.resolved.kind), ['serial', 'simple']);
});

test('readDdl: indexes with every modifier, changefeeds, WITH settings, TTL tiers, PARTITION BY, column store', () => {
  const ddl = created(`CREATE TABLE t (
    id Uint64 NOT NULL, ts Timestamp, v Utf8, w Utf8,
    PRIMARY KEY (id),
    INDEX i1 GLOBAL UNIQUE SYNC ON (v) COVER (w) WITH (x = 1),
    INDEX i2 GLOBAL ASYNC ON (w),
    CHANGEFEED feed WITH (MODE = 'UPDATES', FORMAT = 'JSON')
  ) PARTITION BY HASH (id)
  WITH (STORE = COLUMN, AUTO_PARTITIONING_BY_SIZE = ENABLED, PARTITION_AT_KEYS = (10, 20),
        TTL = Interval("PT1H") TO EXTERNAL DATA SOURCE s3, Interval("P1D") DELETE ON ts);`);
  assert.deepEqual(ddl.indexes.map((i) => [i.name, i.unique, i.sync, i.columns.map((c) => c.name), i.cover.map((c) => c.name), i.settings.length]), [['i1', true, 'SYNC', ['v'], ['w'], 1], ['i2', false, 'ASYNC', ['w'], [], 0]]);
  assert.deepEqual(ddl.changefeeds.map((c) => c.name), ['feed']);
  assert.deepEqual(ddl.partitionBy?.map((c) => c.name), ['id']);
  assert.equal(ddl.store, 'column');
  assert.deepEqual(ddl.settings.map((s) => s.name), ['STORE', 'AUTO_PARTITIONING_BY_SIZE', 'PARTITION_AT_KEYS']);
  assert.deepEqual(ddl.ttl && [ddl.ttl.on.name, ddl.ttl.unit, ddl.ttl.tiers.map((t) => [t.delay.text, t.evictTo?.name ?? null])], ['ts', null, [['Interval("PT1H")', 's3'], ['Interval("P1D")', null]]]);
});

test('readDdl: ALTER TABLE short SET forms, RESET, RENAME INDEX, ALTER FAMILY, ALTER COLUMN, columns named like keywords', () => {
  const [ddl] = ddlOf('ALTER TABLE t SET AUTO_PARTITIONING_BY_SIZE DISABLED, SET TTL Interval("P1D") ON c AS SECONDS, RESET (TTL), RENAME INDEX a TO b, ALTER FAMILY default SET COMPRESSION "lz4", ALTER COLUMN c SET FAMILY f, ALTER COLUMN c DROP NOT NULL, ADD FAMILY f (DATA = "ssd"), ADD family Utf8, ADD changefeed Utf8, DROP changefeed, RENAME COLUMN a TO b;');
  assert.ok(ddl?.kind === 'alter-table');
  assert.deepEqual(ddl.actions.map((a) => a.kind), ['set', 'set', 'reset', 'rename-index', 'alter-family', 'alter-column', 'alter-column', 'add-family', 'add-column', 'add-column', 'drop-column', 'other']);
  const [short, ttl] = ddl.actions;
  assert.ok(short?.kind === 'set' && ttl?.kind === 'set');
  assert.deepEqual(short.settings.settings.map((s) => [s.name, s.value.text]), [['AUTO_PARTITIONING_BY_SIZE', 'DISABLED']]);
  assert.deepEqual([ttl.settings.ttl?.on.name, ttl.settings.ttl?.unit?.name], ['c', 'SECONDS']);
  assert.deepEqual(ddlOf('CREATE INDEX i ON t (a);').map((d) => d.kind), ['create-index']);
});

test('readDdl strict (desired schema): the first thing it does not know is an error at its position', () => {
  assert.throws(() => readDdlFile('CREATE TABLE t (id Uint64, PRIMARY KEY (id)) WHATEVER;', 's.yql', 'strict'), /s\.yql|WHATEVER/);
  assert.throws(() => readDdlFile('CREATE TABLE t (id Uint64, PRIMARY KEY (id));\nALTER TABLE t FROB;', 's.yql', 'strict'), (err: Error & { location?: { line: number } }) => err.location?.line === 2);
  assert.equal(readDdlFile('CREATE TABLE t (id Uint64, PRIMARY KEY (id)) WHATEVER;', 's.yql', 'tolerant').length, 1);
});

test('unquoteName: a quoted name is unescaped as YDB does (IdContent: the string escapes)', () => {
  assert.equal(unquoteName('`a\\nb`'), 'a\nb');
  assert.equal(unquoteName('`a\\`b`'), 'a`b');
  assert.equal(unquoteName('`say "hi"`'), 'say "hi"');
  assert.equal(unquoteName('`\\x41`'), 'A');
  assert.equal(unquoteName('`dir/t`'), 'dir/t');
});

test('readDdl: a row table PARTITION BY inside the list, ALTER INDEX RESET, ALTER CHANGEFEED SET, quoted column names', () => {
  const [create] = ddlOf('CREATE TABLE t (k1 Uint64, `set` Bool, k2 Uint64, PRIMARY KEY (k1, k2), PARTITION BY (k1, k2));');
  assert.ok(create?.kind === 'create-table');
  assert.deepEqual(create.columns.map((c) => [c.name, c.quoted]), [['k1', false], ['set', true], ['k2', false]]);
  assert.deepEqual(create.partitionBy?.map((c) => c.name), ['k1', 'k2']);
  const [alter] = ddlOf("ALTER TABLE t ALTER INDEX i RESET (READ_REPLICAS_SETTINGS), ALTER CHANGEFEED f SET (FORMAT = 'proto'), ALTER CHANGEFEED g DISABLE;");
  assert.ok(alter?.kind === 'alter-table');
  const [reset, feed, disable] = alter.actions;
  assert.ok(reset?.kind === 'reset-index' && feed?.kind === 'alter-changefeed' && disable?.kind === 'alter-changefeed');
  assert.deepEqual([reset.index.name, reset.names.map((n) => n.name)], ['i', ['READ_REPLICAS_SETTINGS']]);
  assert.deepEqual([feed.changefeed.name, feed.settings.map((s) => s.name)], ['f', ['FORMAT']]);
  assert.deepEqual([disable.changefeed.name, disable.settings], ['g', []]);
});

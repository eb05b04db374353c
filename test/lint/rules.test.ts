/**
 * Each rule: migrations that trigger it (at the expected file:line:col) and
 * near-identical ones that must not. The base migration creates `t` with key
 * `id`, so later migrations meet an existing table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintMigrations, RULES } from '../../lib/lint/lint.js';
import type { LintOptions } from '../../lib/lint/types.js';
import { migrations } from './helpers.js';

const BASE: [string, string, string] = ['0001_base', 'CREATE TABLE t (id Uint64 NOT NULL, a Utf8, PRIMARY KEY (id));', 'DROP TABLE t;'];

interface Case {
  up: string;
  /** Default: a down that undoes nothing in particular but is not empty. */
  down?: string | null;
  options?: LintOptions;
}

/** The rule's findings on BASE followed by the case's migration, as `file:line:col`. */
function found(rule: string, c: Case): string[] {
  const set = migrations(BASE, ['0002_case', c.up, c.down === undefined ? 'SELECT 1;' : c.down]);
  return lintMigrations(set, c.options).filter((f) => f.rule === rule).map((f) => `${f.location.file}:${f.location.line}:${f.location.column}`);
}

const CASES: Record<string, { bad: Case; at: string[]; good: Case }> = {
  'no-primary-key': {
    bad: { up: 'CREATE TABLE u (id Uint64);', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:14'],
    good: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'undefined-key-column': {
    bad: { up: 'CREATE TABLE u (\n  id Uint64,\n  PRIMARY KEY (id, idd)\n);', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:3:20'],
    good: { up: 'CREATE TABLE u (\n  id Uint64,\n  idd Uint64,\n  PRIMARY KEY (id, idd)\n);', down: 'DROP TABLE u;' },
  },
  'undefined-index-column': {
    // Across migrations: `b` is not a column of t as 0001 built it.
    bad: { up: 'ALTER TABLE t ADD INDEX by_b GLOBAL ON (b) COVER (zz);', down: 'ALTER TABLE t DROP INDEX by_b;' },
    at: ['0002_case.up.yql:1:41', '0002_case.up.yql:1:51'],
    good: { up: 'ALTER TABLE t ADD INDEX by_a GLOBAL ON (a);', down: 'ALTER TABLE t DROP INDEX by_a;' },
  },
  'unknown-type': {
    bad: { up: 'CREATE TABLE u (id Uint64, n Integr, d Decimal(40,2), PRIMARY KEY (id));', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:30', '0002_case.up.yql:1:40'],
    good: { up: 'CREATE TABLE u (id Uint64, n INTEGER, b bigint, v VARCHAR, j json_document, d Decimal(35,9), PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'table-exists': {
    bad: { up: 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE t;' },
    at: ['0002_case.up.yql:1:14'],
    good: { up: 'DROP TABLE t;\nCREATE TABLE t (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE t;\nCREATE TABLE t (id Uint64 NOT NULL, a Utf8, PRIMARY KEY (id));' },
  },
  'duplicate-column': {
    bad: { up: 'ALTER TABLE t ADD COLUMN a Utf8;', down: 'ALTER TABLE t DROP COLUMN a;' },
    at: ['0002_case.up.yql:1:26'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: 'ALTER TABLE t DROP COLUMN b;' },
  },
  'duplicate-primary-key': {
    bad: { up: 'CREATE TABLE u (id Uint64, k Uint64, PRIMARY KEY (id), PRIMARY KEY (k));', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:69'],
    good: { up: 'CREATE TABLE u (id Uint64, k Uint64, PRIMARY KEY (id, k));', down: 'DROP TABLE u;' },
  },
  'key-column-type': {
    bad: { up: 'CREATE TABLE u (id Double, j Json, PRIMARY KEY (id), INDEX by_j GLOBAL ON (j));', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:49', '0002_case.up.yql:1:76'],
    good: { up: 'CREATE TABLE u (id Uint64, j Json, d Double, PRIMARY KEY (id), INDEX by_id2 GLOBAL ON (id) COVER (j, d));', down: 'DROP TABLE u;' },
  },
  'missing-table': {
    bad: { up: 'ALTER TABLE nope ADD COLUMN b Utf8;', down: 'DROP TABLE nope;' },
    at: ['0002_case.down.yql:1:12', '0002_case.up.yql:1:13'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: 'DROP TABLE IF EXISTS nope;' },
  },
  'rename-onto-existing': {
    bad: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nALTER TABLE u RENAME TO t;', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:2:25'],
    good: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nALTER TABLE u RENAME TO v;', down: 'DROP TABLE v;' },
  },
  'missing-object': {
    bad: { up: 'ALTER TABLE t DROP COLUMN zz, DROP INDEX nope, DROP CHANGEFEED gone;' },
    at: ['0002_case.up.yql:1:27', '0002_case.up.yql:1:42', '0002_case.up.yql:1:64'],
    good: { up: 'ALTER TABLE t ADD INDEX i GLOBAL ON (a), ADD CHANGEFEED f WITH (MODE = "UPDATES", FORMAT = "JSON");\nALTER TABLE t DROP INDEX i, DROP CHANGEFEED f, DROP COLUMN a;' },
  },
  'duplicate-index': {
    bad: { up: 'CREATE TABLE u (id Uint64, a Utf8, INDEX i GLOBAL ON (a), INDEX i GLOBAL ON (a, id), PRIMARY KEY (id));\nALTER TABLE u ADD INDEX i GLOBAL ON (id, a);', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:65', '0002_case.up.yql:2:25'],
    good: { up: 'CREATE TABLE u (id Uint64, a Utf8, INDEX i GLOBAL ON (a), PRIMARY KEY (id));\nALTER TABLE u ADD INDEX j GLOBAL ON (a, id);', down: 'DROP TABLE u;' },
  },
  'index-shape': {
    bad: { up: 'ALTER TABLE t ADD INDEX i GLOBAL ON (a, a) COVER (id);\nALTER TABLE t ADD INDEX k GLOBAL ON (id);' },
    at: ['0002_case.up.yql:1:41', '0002_case.up.yql:1:51', '0002_case.up.yql:2:25'],
    good: { up: 'ALTER TABLE t ADD INDEX i GLOBAL ON (a, id);' },
  },
  'undefined-family': {
    bad: { up: 'CREATE TABLE u (id Uint64, a Utf8 FAMILY cold, PRIMARY KEY (id));', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:42'],
    good: { up: 'CREATE TABLE u (id Uint64, a Utf8 FAMILY cold, PRIMARY KEY (id), FAMILY cold (DATA = "rot", COMPRESSION = "lz4"));', down: 'DROP TABLE u;' },
  },
  'ttl-column': {
    bad: { up: 'ALTER TABLE t SET (TTL = Interval("P1D") ON a);\nALTER TABLE t SET (TTL = Interval("P1D") ON id);\nALTER TABLE t SET (TTL = Interval("P1D") ON nope);' },
    at: ['0002_case.up.yql:1:45', '0002_case.up.yql:2:45', '0002_case.up.yql:3:45'],
    good: { up: 'ALTER TABLE t SET (TTL = Interval("P1D") ON id AS SECONDS);' },
  },
  'drop-ttl-column': {
    bad: { up: 'ALTER TABLE t ADD COLUMN ts Timestamp;\nALTER TABLE t SET TTL Interval("P1D") ON ts;\nALTER TABLE t DROP COLUMN ts;' },
    at: ['0002_case.up.yql:3:27'],
    good: { up: 'ALTER TABLE t ADD COLUMN ts Timestamp;\nALTER TABLE t SET TTL Interval("P1D") ON ts;\nALTER TABLE t RESET (TTL);\nALTER TABLE t DROP COLUMN ts;' },
  },
  'column-table-nullable-key': {
    bad: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id)) WITH (STORE = COLUMN);', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:41'],
    good: { up: 'CREATE TABLE u (id Uint64 NOT NULL, PRIMARY KEY (id)) WITH (STORE = COLUMN);', down: 'DROP TABLE u;' },
  },
  'serial-add-column': {
    bad: { up: 'ALTER TABLE t ADD COLUMN n Serial;', down: 'ALTER TABLE t DROP COLUMN n;' },
    at: ['0002_case.up.yql:1:28'],
    good: { up: 'CREATE TABLE u (id Serial, PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'serial-column-change': {
    bad: { up: 'CREATE TABLE u (id Uint64, n Serial, PRIMARY KEY (id));\nALTER TABLE u ALTER COLUMN n DROP NOT NULL;\nALTER TABLE u DROP COLUMN n;', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:2:28', '0002_case.up.yql:3:27'],
    good: { up: 'CREATE TABLE u (id Uint64, n Int32, PRIMARY KEY (id));\nALTER TABLE u DROP COLUMN n;', down: 'DROP TABLE u;' },
  },
  'default-type-mismatch': {
    bad: { up: 'CREATE TABLE u (id Uint32 DEFAULT "someText", k Int32 NOT NULL DEFAULT NULL, PRIMARY KEY (id));', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:35', '0002_case.up.yql:1:72'],
    good: { up: 'CREATE TABLE u (id Uint32 DEFAULT 7, k Int32 NOT NULL DEFAULT 1, s String DEFAULT "x", PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'rename-with-other-action': {
    bad: { up: 'ALTER TABLE t RENAME TO moved, ADD COLUMN addc Uint64;', down: 'ALTER TABLE moved RENAME TO t;' },
    at: ['0002_case.up.yql:1:15'],
    good: { up: 'ALTER TABLE t ADD COLUMN addc Uint64;\nALTER TABLE t RENAME TO moved;', down: 'ALTER TABLE moved RENAME TO t;' },
  },
  'not-yql': {
    bad: { up: 'CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;' },
    at: ['0002_case.up.yql:1:1', '0002_case.up.yql:2:15'],
    good: { up: 'ALTER TABLE t ADD INDEX i GLOBAL ON (a);' },
  },
  'update-key-column': {
    bad: { up: 'UPDATE t SET a = "x"u, id = 2 WHERE id = 1;' },
    at: ['0002_case.up.yql:1:24'],
    good: { up: 'UPDATE t SET a = "x"u WHERE id = 1;' },
  },
  'bad-table-setting': {
    bad: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id)) WITH (AUTO_PARTITIONING_PARTITION_SIZE_MB = 0, READ_REPLICAS_SETTINGS = "VLA: 2, MAN:1 ");\nALTER TABLE t SET AUTO_PARTITIONING_MAX_PARTITIONS_COUNT 0;\nALTER TABLE t SET (UNIFORM_PARTITIONS = 8);', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:90', '0002_case.up.yql:1:118', '0002_case.up.yql:2:58', '0002_case.up.yql:3:20'],
    good: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id)) WITH (AUTO_PARTITIONING_PARTITION_SIZE_MB = 10, READ_REPLICAS_SETTINGS = "any_az:1");\nALTER TABLE t SET (READ_REPLICAS_SETTINGS = "PER_AZ:2");', down: 'DROP TABLE u;' },
  },
  'partition-by': {
    bad: { up: 'CREATE TABLE u (k1 Uint64, k2 Uint64, PRIMARY KEY (k1, k2), PARTITION BY (k2, k1));\nCREATE TABLE c (k Uint64 NOT NULL, v String, PRIMARY KEY (k)) PARTITION BY HASH(k, v) WITH (STORE = COLUMN);', down: 'DROP TABLE u;\nDROP TABLE c;' },
    at: ['0002_case.up.yql:1:75', '0002_case.up.yql:2:84'],
    good: { up: 'CREATE TABLE u (k1 Uint64, k2 Uint64, PRIMARY KEY (k1, k2), PARTITION BY (k1, k2));\nCREATE TABLE c (k Uint64 NOT NULL, v String, PRIMARY KEY (k)) PARTITION BY HASH(k) WITH (STORE = COLUMN);', down: 'DROP TABLE u;\nDROP TABLE c;' },
  },
  'ttl-interval': {
    bad: { up: 'ALTER TABLE t ADD COLUMN ts Timestamp;\nALTER TABLE t SET (TTL = DateTime::IntervalFromDays(1) ON ts);\nALTER TABLE t SET TTL Interval("-P1D") ON ts;', down: 'ALTER TABLE t DROP COLUMN ts;' },
    at: ['0002_case.up.yql:2:26', '0002_case.up.yql:3:23'],
    good: { up: 'ALTER TABLE t ADD COLUMN ts Timestamp;\nALTER TABLE t SET (TTL = Interval("P1D") ON ts);\nALTER TABLE t SET TTL Interval("P0D") ON ts;', down: 'ALTER TABLE t DROP COLUMN ts;' },
  },
  'reserved-column-name': {
    bad: { up: 'ALTER TABLE t ADD COLUMN set Bool;\nCREATE TABLE u (id Uint64, list Utf8, PRIMARY KEY (id));', down: 'DROP TABLE u;\nALTER TABLE t DROP COLUMN `set`;' },
    at: ['0002_case.up.yql:1:26', '0002_case.up.yql:2:28'],
    good: { up: 'ALTER TABLE t ADD COLUMN `set` Bool;\nCREATE TABLE u (id Uint64, `list` Utf8, value Utf8, PRIMARY KEY (id));', down: 'DROP TABLE u;\nALTER TABLE t DROP COLUMN `set`;' },
  },
  'unsupported-setting': {
    bad: {
      up: 'ALTER TABLE t SET (PARTITION_AT_KEYS = (10, 20));\nALTER TABLE t ADD FAMILY f (DATA = "ssd", COMPRESSION_LEVEL = 5);\n' +
        "ALTER TABLE t ADD CHANGEFEED feed WITH (MODE = 'FOO', FORMAT = 'JSON');\nCREATE TABLE u (id Uint64, PRIMARY KEY (id)) WITH (STORE = DISK, PARTITION_AT_KEYS = ((1, 2)));",
      down: 'DROP TABLE u;',
    },
    at: ['0002_case.up.yql:1:20', '0002_case.up.yql:2:43', '0002_case.up.yql:3:48', '0002_case.up.yql:4:60', '0002_case.up.yql:4:86'],
    good: {
      up: 'ALTER TABLE t SET (AUTO_PARTITIONING_BY_LOAD = ENABLED);\nALTER TABLE t ADD FAMILY f (DATA = "ssd", COMPRESSION = "lz4");\n' +
        "ALTER TABLE t ADD CHANGEFEED feed WITH (MODE = 'KEYS_ONLY', FORMAT = 'JSON');\nCREATE TABLE u (id Uint64, PRIMARY KEY (id)) WITH (STORE = ROW, PARTITION_AT_KEYS = (1, 2));",
      down: 'DROP TABLE u;',
    },
  },
  'index-form': {
    bad: { up: 'ALTER TABLE t ADD INDEX i1 LOCAL ON (a);\nALTER TABLE t ADD INDEX i2 GLOBAL ON (a) WITH (a = b);\nALTER TABLE t ADD INDEX i3 GLOBAL USING other ON (a);', down: 'SELECT 1;' },
    at: ['0002_case.up.yql:1:25', '0002_case.up.yql:2:25', '0002_case.up.yql:3:25'],
    good: { up: 'ALTER TABLE t ADD INDEX i1 GLOBAL ON (a);\nALTER TABLE t ADD INDEX i2 GLOBAL SYNC ON (a);', down: 'SELECT 1;' },
  },
  'duplicate-family': {
    bad: { up: 'CREATE TABLE u (id Uint64, v String FAMILY f, PRIMARY KEY (id), FAMILY f (), FAMILY f ());', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:85'],
    good: { up: 'CREATE TABLE u (id Uint64, v String FAMILY f, PRIMARY KEY (id), FAMILY default (), FAMILY f ());', down: 'DROP TABLE u;' },
  },
  'drop-indexed-column': {
    bad: { up: 'ALTER TABLE t ADD COLUMN b Utf8;\nALTER TABLE t ADD INDEX by_a GLOBAL ON (a) COVER (b);\nALTER TABLE t DROP COLUMN b;', down: 'SELECT 1;' },
    at: ['0002_case.up.yql:3:27'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8;\nALTER TABLE t ADD INDEX by_a GLOBAL ON (a) COVER (b);\nALTER TABLE t DROP INDEX by_a;\nALTER TABLE t DROP COLUMN b;', down: 'SELECT 1;' },
  },
  'path-outside-database': {
    bad: { up: 'CREATE TABLE `/u` (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE `/u`;' },
    at: ['0002_case.up.yql:1:14'],
    good: { up: 'CREATE TABLE `/Root/u` (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE `/Root/u`;' },
  },
  'default-column-reference': {
    bad: { up: 'CREATE TABLE u (id Utf8, g Utf8 DEFAULT id || "=", PRIMARY KEY (id));', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:41'],
    good: { up: 'CREATE TABLE u (id Utf8, g Utf8 DEFAULT "id" || "=", h Timestamp DEFAULT CurrentUtcTimestamp(), PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'change-type-or-key': {
    bad: { up: 'ALTER TABLE t ALTER COLUMN a SET TYPE String;' },
    at: ['0002_case.up.yql:1:15'],
    good: { up: 'ALTER TABLE t ALTER COLUMN a SET FAMILY cold;' },
  },
  'drop-key-column': {
    bad: { up: 'ALTER TABLE t DROP COLUMN id;', down: 'ALTER TABLE t ADD COLUMN id Uint64;' },
    at: ['0002_case.up.yql:1:27'],
    good: { up: 'ALTER TABLE t DROP COLUMN a;', down: 'ALTER TABLE t ADD COLUMN a Utf8;' },
  },
  'not-null-without-default': {
    bad: { up: 'ALTER TABLE t ADD COLUMN b Utf8 NOT NULL;', down: 'ALTER TABLE t DROP COLUMN b;' },
    at: ['0002_case.up.yql:1:26'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8 NOT NULL DEFAULT "x"u;', down: 'ALTER TABLE t DROP COLUMN b;' },
  },
  'unique-index-on-existing-table': {
    bad: { up: 'ALTER TABLE t ADD INDEX by_a GLOBAL UNIQUE ON (a);', down: 'ALTER TABLE t DROP INDEX by_a;' },
    at: ['0002_case.up.yql:1:25'],
    good: { up: 'CREATE TABLE u (id Uint64, a Utf8, INDEX by_a GLOBAL UNIQUE ON (a), PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'newer-than-version': {
    bad: { up: 'ALTER TABLE t ADD COLUMN b Utf8 DEFAULT "x"u;', down: 'ALTER TABLE t DROP COLUMN b;', options: { ydbVersion: '25.4' } },
    at: ['0002_case.up.yql:1:26'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8 DEFAULT "x"u;', down: 'ALTER TABLE t DROP COLUMN b;', options: { ydbVersion: '26.1' } },
  },
  'drop-table': {
    bad: { up: 'DROP TABLE t;', down: 'CREATE TABLE t (id Uint64 NOT NULL, a Utf8, PRIMARY KEY (id));' },
    at: ['0002_case.up.yql:1:12'],
    // Dropping is the down's job: never reported there.
    good: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE u;' },
  },
  'drop-column': {
    bad: { up: 'ALTER TABLE t DROP COLUMN a;', down: 'ALTER TABLE t ADD COLUMN a Utf8;' },
    at: ['0002_case.up.yql:1:27'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: 'ALTER TABLE t DROP COLUMN b;' },
  },
  'drop-index': {
    bad: { up: 'ALTER TABLE t DROP INDEX old;', down: 'ALTER TABLE t ADD INDEX old GLOBAL ON (a);' },
    at: ['0002_case.up.yql:1:26'],
    good: { up: 'ALTER TABLE t ADD INDEX new GLOBAL ON (a);', down: 'ALTER TABLE t DROP INDEX new;' },
  },
  'down-missing': {
    bad: { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: '-- nothing here\n' },
    at: ['0002_case.down.yql:1:1'],
    good: { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: 'ALTER TABLE t DROP COLUMN b;' },
  },
  'down-does-not-undo': {
    bad: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nALTER TABLE t ADD INDEX by_a GLOBAL ON (a), DROP COLUMN a;', down: 'SELECT 1;' },
    at: ['0002_case.up.yql:1:14', '0002_case.up.yql:2:25', '0002_case.up.yql:2:57'],
    good: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nALTER TABLE t ADD INDEX by_a GLOBAL ON (a), DROP COLUMN a;', down: 'ALTER TABLE t ADD COLUMN a Utf8, DROP INDEX by_a;\nDROP TABLE u;' },
  },
  'down-not-partial-safe': {
    bad: {
      up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nCREATE TABLE v (id Uint64, PRIMARY KEY (id));\nALTER TABLE u ADD CHANGEFEED f WITH (MODE = "UPDATES", FORMAT = "JSON");',
      down: 'ALTER TABLE u DROP CHANGEFEED f;\nDROP TABLE v;\nDROP TABLE u;',
    },
    at: ['0002_case.down.yql:1:31', '0002_case.down.yql:2:12'],
    // u's changefeed goes with u.
    good: {
      up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nCREATE TABLE v (id Uint64, PRIMARY KEY (id));\nALTER TABLE u ADD CHANGEFEED f WITH (MODE = "UPDATES", FORMAT = "JSON");',
      down: 'DROP TABLE IF EXISTS v;\nDROP TABLE u;',
    },
  },
  'prefer-upsert': {
    // The INSERT commits alone; if the ALTER after it fails, a rerun meets its row.
    bad: { up: 'INSERT INTO t (id) VALUES (1);\nALTER TABLE t ADD COLUMN b Utf8;', down: 'ALTER TABLE t DROP COLUMN b;\nDELETE FROM t WHERE id = 1;' },
    at: ['0002_case.up.yql:1:1'],
    // A file of one DML request commits with its history row (and so does the last request of any file): no partial run repeats it.
    good: { up: 'INSERT INTO t (id) VALUES (1);\nINSERT INTO t (id) VALUES (2);', down: 'ALTER TABLE t ADD COLUMN b Utf8;\nDELETE FROM t WHERE id = 1;' },
  },
  'unbounded-update-delete': {
    bad: { up: 'UPDATE t SET a = "x"u;', down: 'DELETE FROM `t`;' },
    at: ['0002_case.down.yql:1:1', '0002_case.up.yql:1:1'],
    // u is the migration's own (its down empties it before dropping it); t is bounded.
    good: { up: 'CREATE TABLE u (id Uint64, a Utf8, PRIMARY KEY (id));\nUPDATE u SET a = "x"u;\nUPDATE t SET a = "x"u WHERE id = 1;', down: 'DELETE FROM u;\nDROP TABLE u;' },
  },
  'mixed-ddl-dml': {
    bad: { up: 'CREATE TABLE u (id Uint64, PRIMARY KEY (id));\nUPSERT INTO u (id) VALUES (1);', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:2:1'],
    // DML first, then DDL: a failure of the DML leaves nothing behind.
    good: { up: 'UPSERT INTO t (id) VALUES (1);\nALTER TABLE t ADD COLUMN b Utf8;', down: 'DELETE FROM t WHERE id = 1;\nALTER TABLE t DROP COLUMN b;' },
  },
  'pragma-online-only': {
    bad: { up: 'PRAGMA TablePathPrefix("/local/app");\nUPSERT INTO t (id) VALUES (1);' },
    at: ['0002_case.up.yql:1:1'],
    good: { up: 'UPSERT INTO `app/t` (id) VALUES (1);' },
  },
  'runs-alone': {
    bad: { up: 'BATCH UPDATE t SET a = "x"u;\nCREATE TABLE u (PRIMARY KEY (id)) AS SELECT id FROM t;', down: 'DROP TABLE u;' },
    at: ['0002_case.up.yql:1:1', '0002_case.up.yql:2:1'],
    good: { up: 'UPDATE t SET a = "x"u WHERE id = 1;' },
  },
};

test('every rule has a case here', () => {
  assert.deepEqual(RULES.map((r) => r.id).filter((id) => id !== 'unknown-rule').sort(), Object.keys(CASES).sort());
});

for (const [rule, { bad, at, good }] of Object.entries(CASES)) {
  test(`${rule}: reported where it applies`, () => assert.deepEqual(found(rule, bad), at));
  test(`${rule}: silent where it does not`, () => assert.deepEqual(found(rule, good), []));
}

test('newer-than-version: without --ydb-version no feature is judged; a malformed version is a usage error', () => {
  assert.deepEqual(found('newer-than-version', { up: 'CREATE TABLE IF NOT EXISTS u (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE IF EXISTS u;' }), []);
  assert.deepEqual(found('newer-than-version', { up: 'CREATE TABLE IF NOT EXISTS u (id Uint64, PRIMARY KEY (id));', down: 'DROP TABLE u;', options: { ydbVersion: '23.4' } }), ['0002_case.up.yql:1:28']);
  assert.throws(() => lintMigrations(migrations(BASE), { ydbVersion: 'latest' }), /--ydb-version must look like 24\.1/);
});

test('down-missing: no down file is reported on the up', () => {
  assert.deepEqual(found('down-missing', { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: null }), ['0002_case.up.yql:1:1']);
});

test("down-missing: an empty down marked '-- ydb-migrate: nothing to undo' is on purpose, and still checked against its up", () => {
  const marked = '-- ydb-migrate: nothing to undo\n';
  assert.deepEqual(found('down-missing', { up: 'UPSERT INTO t (id) VALUES (1);', down: marked }), []);
  assert.deepEqual(found('down-does-not-undo', { up: 'UPSERT INTO t (id) VALUES (1);', down: marked }), []);
  assert.deepEqual(found('down-does-not-undo', { up: 'ALTER TABLE t ADD COLUMN b Utf8;', down: marked }), ['0002_case.up.yql:1:26']);
});

test('findings come most serious first, then by file and position', () => {
  const set = migrations(BASE, ['0002_case', 'DROP TABLE t;\nINSERT INTO t2 (id) VALUES (1);\nCREATE TABLE x (id Uint64);', null]);
  assert.deepEqual(
    lintMigrations(set).map((f) => `${f.severity} ${f.rule} ${f.location.line}`),
    ['error no-primary-key 3', 'warning down-missing 1', 'warning drop-table 1', 'warning prefer-upsert 2', 'warning mixed-ddl-dml 2'],
  );
});

test('a data migration of 350,000 statements is linted without running out of stack', () => {
  const up = 'INSERT INTO t (id) VALUES (2);\n'.repeat(150_000) + 'ALTER TABLE t ADD COLUMN b Utf8;\n' + 'UPSERT INTO t (id) VALUES (1);\n'.repeat(200_000);
  const findings = lintMigrations(migrations(BASE, ['0002_big', up, 'ALTER TABLE t DROP COLUMN b;']));
  // Every INSERT commits in a request before the ALTER's, so each is worth a warning.
  assert.equal(findings.filter((f) => f.rule === 'prefer-upsert').length, 150_000);
  // Column b comes in a later request than the INSERTs: a down after a partial up would fail dropping it.
  assert.deepEqual(findings.filter((f) => f.rule !== 'prefer-upsert').map((f) => f.rule), ['mixed-ddl-dml', 'down-not-partial-safe']);
});

test('indexes by name in ALTER TABLE: ALTER INDEX of a missing one, RENAME INDEX onto an existing one (AlterTableAlterMissedIndex, AlterTableReplaceIndex)', () => {
  const up = 'ALTER TABLE t ADD INDEX i GLOBAL ON (a);\nALTER TABLE t ADD INDEX j GLOBAL ON (a);\nALTER TABLE t ALTER INDEX k SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 1;\nALTER TABLE t RENAME INDEX i TO j;';
  assert.deepEqual(found('missing-object', { up }), ['0002_case.up.yql:3:27']);
  assert.deepEqual(found('duplicate-index', { up }), ['0002_case.up.yql:4:33']);
  assert.deepEqual(found('missing-object', { up: 'ALTER TABLE t ADD INDEX i GLOBAL ON (a);\nALTER TABLE t ALTER INDEX i SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 1;\nALTER TABLE t RENAME INDEX i TO k;' }), []);
});

test('unsupported-setting in ALTER TABLE: RESET of an index setting, FORMAT of a changefeed, COMPRESSION_LEVEL of a row family; index-form: a vector index needs vector_dimension', () => {
  const up = "ALTER TABLE t ADD INDEX i GLOBAL ON (a);\nALTER TABLE t ALTER INDEX i RESET (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT);\nALTER TABLE t ALTER CHANGEFEED f SET (FORMAT = 'proto');\nALTER TABLE t ALTER FAMILY default SET COMPRESSION_LEVEL 5;";
  assert.deepEqual(found('unsupported-setting', { up }), ['0002_case.up.yql:2:36', '0002_case.up.yql:3:39', '0002_case.up.yql:4:40']);
  assert.deepEqual(found('unsupported-setting', { up: "ALTER TABLE t ALTER CHANGEFEED f SET (VIRTUAL_TIMESTAMPS = TRUE);\nALTER TABLE t ALTER FAMILY default SET COMPRESSION \"lz4\";" }), []);
  const vector = (settings: string) => `ALTER TABLE t ADD COLUMN e String;\nALTER TABLE t ADD INDEX v GLOBAL USING vector_kmeans_tree ON (e) WITH (${settings});`;
  assert.deepEqual(found('index-form', { up: vector('distance=cosine, vector_type=float') }), ['0002_case.up.yql:2:25']);
  assert.deepEqual(found('index-form', { up: vector('distance=cosine, vector_type=float, vector_dimension=8') }), []);
});

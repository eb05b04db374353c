import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IssueCode } from './errors.js';
import { assertFails, engineWithRows, run } from './helpers.js';
import { Engine } from './index.js';

describe('CREATE TABLE', () => {
  it('creates folders implicitly, keeps names case-sensitive, reads types case-insensitively', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE `app/Users` (Id UINT64 NOT NULL, name utf8, Amount Decimal(22,9), PRIMARY KEY (Id));');
    run(engine, 'CREATE TABLE users (id Uint64, PRIMARY KEY (id),);');
    assert.deepEqual(engine.listTables(), ['app/Users', 'users']);
    assert.deepEqual(engine.describeTable('app/Users'), {
      columns: [
        { name: 'Id', type: 'Uint64', notNull: true },
        { name: 'name', type: 'Utf8?', notNull: false },
        { name: 'Amount', type: 'Decimal(22,9)?', notNull: false },
      ],
      primaryKey: ['Id'],
      indexes: [],
      settings: {},
    });
  });

  it('accepts absolute database paths and PRAGMA TablePathPrefix', () => {
    const engine = new Engine({ database: '/db1' });
    run(engine, 'CREATE TABLE `/db1/a/t1` (k Utf8, PRIMARY KEY (k));');
    run(engine, 'PRAGMA TablePathPrefix("/db1/b"); CREATE TABLE t2 (k Utf8, PRIMARY KEY (k));');
    run(engine, 'PRAGMA TablePathPrefix = "db1/c"; CREATE TABLE t3 (k Utf8, PRIMARY KEY (k));');
    assert.deepEqual(engine.listTables(), ['a/t1', 'b/t2', 'c/t3']);
  });

  it('keeps GLOBAL SYNC/ASYNC indexes with COVER and row-table settings', () => {
    const engine = new Engine();
    run(engine, `CREATE TABLE t (id Uint64, a Utf8, b Int32, c Utf8, PRIMARY KEY (id),
      INDEX ia GLOBAL ON (a), INDEX ib GLOBAL ASYNC ON (b, a) COVER (c))
      WITH (AUTO_PARTITIONING_BY_SIZE = ENABLED, UNIFORM_PARTITIONS = 4);`);
    assert.deepEqual(engine.describeTable('t')!.indexes, [
      { name: 'ia', columns: ['a'], async: false, unique: false, cover: [] },
      { name: 'ib', columns: ['b', 'a'], async: true, unique: false, cover: ['c'] },
    ]);
    assert.deepEqual(engine.describeTable('t')!.settings, { AUTO_PARTITIONING_BY_SIZE: 'ENABLED', UNIFORM_PARTITIONS: '4' });
  });

  it('IF NOT EXISTS on an existing table succeeds and changes nothing', () => {
    const engine = engineWithRows();
    run(engine, 'CREATE TABLE IF NOT EXISTS t (other Utf8, PRIMARY KEY (other));');
    assert.equal(engine.describeTable('t')!.primaryKey[0], 'id');
    assert.equal(engine.readTable('t').length, 3);
  });

  it('refuses to create an existing table (GENERIC_ERROR "path exist")', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));'), {
      status: 'GENERIC_ERROR', message: "Check failed: path: '/local/t', error: path exist", position: { row: 1, column: 1 },
    });
  });

  it('requires a PRIMARY KEY naming existing columns of keyable types', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64);'), { status: 'GENERIC_ERROR', message: 'Primary key is required' });
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, PRIMARY KEY (nope));'), { status: 'GENERIC_ERROR', message: 'Undefined column: nope' });
    assertFails(() => run(engine, 'CREATE TABLE t (k Double, PRIMARY KEY (k));'), { status: 'SCHEME_ERROR', message: 'Column k has wrong key type Double' });
    assert.deepEqual(engine.listTables(), []);
  });

  it('refuses Optional column types, unknown types and composite types', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, v Optional<Utf8>, PRIMARY KEY (id));'), { status: 'GENERIC_ERROR', message: 'Invalid type for column: v' });
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, v Utf8?, PRIMARY KEY (id));'), { status: 'GENERIC_ERROR', message: 'Invalid type for column: v' });
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, v Strin, PRIMARY KEY (id));'), { status: 'GENERIC_ERROR', message: "Unknown type: 'Strin'", position: { row: 1, column: 30 } });
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, v List<Utf8>, PRIMARY KEY (id));'), { status: 'GENERIC_ERROR', message: 'Type List is not supported by the ydb-migrate test emulator' });
  });

  it('refuses known but unimplemented options by name', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, at Timestamp, PRIMARY KEY (id)) WITH (TTL = Interval("P1D") TO EXTERNAL DATA SOURCE `/local/s3` ON at);'), { status: 'GENERIC_ERROR', message: 'TTL eviction TO EXTERNAL DATA SOURCE is not supported' });
    assertFails(() => run(engine, 'CREATE TABLE t (id Uint64, PRIMARY KEY (id)) WITH (STORE = COLUMN);'), { status: 'GENERIC_ERROR', message: 'STORE = COLUMN is not supported' });
    assertFails(() => run(engine, 'CREATE VIEW v AS SELECT 1;'), { status: 'GENERIC_ERROR', message: 'CREATE VIEW is not supported by the ydb-migrate test emulator' });
  });

  it('checks DEFAULT values against the column type', () => {
    const engine = new Engine();
    run(engine, "CREATE TABLE t (id Uint64, s Utf8 NOT NULL DEFAULT 'x', n Uint8 DEFAULT 7, PRIMARY KEY (id));");
    run(engine, 'INSERT INTO t (id) VALUES (1);');
    assert.deepEqual(engine.readTable('t'), [{ id: 1n, s: 'x', n: 7 }]);
    assertFails(() => run(engine, 'CREATE TABLE u (id Uint64, n Uint8 DEFAULT 300, PRIMARY KEY (id));'), { status: 'GENERIC_ERROR', message: 'Default expr n type mismatch, expected: Uint8, actual: Int32' });
    // An optional DEFAULT is unwrapped; the docs' alternative syntax puts the constraints in parentheses.
    run(engine, 'CREATE TABLE w (id Uint64, s Utf8 NOT NULL DEFAULT CAST("x" AS Utf8), r Double (DEFAULT 5.0, NOT NULL), PRIMARY KEY (id));');
    run(engine, 'INSERT INTO w (id) VALUES (1);');
    assert.deepEqual(engine.readTable('w'), [{ id: 1n, s: 'x', r: 5 }]);
    // KQP's check of a DEFAULT (yql_kikimr_type_ann.cpp; kqp_constraints_ut.cpp DefaultValuesForTableNegative3)
    assertFails(() => run(engine, 'CREATE TABLE u (id Uint64, n Uint8 NOT NULL DEFAULT NULL, PRIMARY KEY (id));'), { status: 'GENERIC_ERROR', message: 'Default expr n is nullable or optional, but column has not null constraint. ' });
  });
});

describe('ALTER TABLE', () => {
  it('applies several comma-separated actions in one statement (a DEFAULT needs YDB 26.1+)', () => {
    const engine = engineWithRows({ ydbVersion: '26.1' });
    run(engine, "ALTER TABLE t ADD COLUMN note Utf8, ADD COLUMN flag Bool NOT NULL DEFAULT true, DROP COLUMN n, ADD INDEX by_name GLOBAL ASYNC ON (name);");
    assert.deepEqual(engine.describeTable('t')!.columns.map((c) => `${c.name}:${c.type}`), ['id:Uint64?', 'name:Utf8?', 'note:Utf8?', 'flag:Bool']);
    assert.deepEqual(engine.describeTable('t')!.indexes, [{ name: 'by_name', columns: ['name'], async: true, unique: false, cover: [] }]);
    assert.deepEqual(engine.readTable('t')[0], { id: 1n, name: 'one', note: null, flag: true });
    run(engine, 'ALTER TABLE t DROP INDEX by_name;');
    assert.deepEqual(engine.describeTable('t')!.indexes, []);
  });

  it('renames a table, keeping its rows', () => {
    const engine = engineWithRows();
    run(engine, 'ALTER TABLE t RENAME TO `archive/t_old`;');
    assert.deepEqual(engine.listTables(), ['archive/t_old']);
    assert.equal(engine.readTable('archive/t_old').length, 3);
  });

  it('refuses to drop a key column and changes nothing when one action fails', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'ALTER TABLE t ADD COLUMN x Utf8, DROP COLUMN id;'), {
      status: 'GENERIC_ERROR', message: 'AlterTable : db.[/local/t] Column: "id" is a key column. Key column drop is not supported', code: IssueCode.TYPE_ANNOTATION, position: { row: 1, column: 46 },
    });
    assert.deepEqual(engine.describeTable('t')!.columns.map((c) => c.name), ['id', 'name', 'n']);
  });

  it('refuses a NOT NULL column without DEFAULT, duplicates and unknown names', () => {
    const engine = engineWithRows({ ydbVersion: '26.1' });
    assertFails(() => run(engine, 'ALTER TABLE t ADD COLUMN x Utf8 NOT NULL;'), { status: 'BAD_REQUEST', message: 'Cannot add not null column without default value' });
    assertFails(() => run(engine, 'ALTER TABLE t ADD COLUMN name Utf8;'), { status: 'GENERIC_ERROR', message: 'AlterTable : db.[/local/t] Column: "name" already exists' });
    assertFails(() => run(engine, 'ALTER TABLE t DROP COLUMN nope;'), { status: 'GENERIC_ERROR', message: 'AlterTable : db.[/local/t] Column "nope" does not exist' });
    assertFails(() => run(engine, 'ALTER TABLE t DROP INDEX nope;'), { status: 'GENERIC_ERROR', message: 'AlterTable : db.[/local/t] Index: "nope" does not exist' });
    assertFails(() => run(engine, 'ALTER TABLE t ADD INDEX i GLOBAL ON (nope);'), { status: 'GENERIC_ERROR', message: 'AlterTable : db.[/local/t] Column: "nope" does not exist' });
    assert.deepEqual(engine.describeTable('t')!.columns.map((c) => c.name), ['id', 'name', 'n']);
  });

  it('reports a missing table as SCHEME_ERROR', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'ALTER TABLE nope ADD COLUMN x Utf8;'), {
      status: 'SCHEME_ERROR', message: "Cannot find table 'db.[/local/nope]' because it does not exist", code: IssueCode.SCHEME_ERROR, position: { row: 1, column: 13 },
    });
  });

  it('refuses ALTER TABLE actions outside the subset by name', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'ALTER TABLE t RESET (AUTO_PARTITIONING_BY_LOAD);'), { status: 'GENERIC_ERROR', message: 'ALTER TABLE RESET (AUTO_PARTITIONING_BY_LOAD) is not supported' });
    assertFails(() => run(engine, "ALTER TABLE t ADD CHANGEFEED f WITH (FORMAT = 'JSON', MODE = 'UPDATES');"), { status: 'GENERIC_ERROR', message: 'ALTER TABLE ADD CHANGEFEED is not supported' });
  });
});

describe('DROP TABLE', () => {
  it('drops a table; IF EXISTS tolerates a missing one; without it a missing table is SCHEME_ERROR', () => {
    const engine = engineWithRows();
    run(engine, 'DROP TABLE t; DROP TABLE IF EXISTS t;');
    assert.deepEqual(engine.listTables(), []);
    assertFails(() => run(engine, 'DROP TABLE t;'), { status: 'SCHEME_ERROR', message: "Cannot find table 'db.[/local/t]'" });
  });
});

describe('TTL', () => {
  it('keeps TTL set by CREATE, SET and RESET, checked as SchemeShard checks it (an ALTER\'s refusal is BAD_REQUEST)', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE t (id Uint64 NOT NULL, at Timestamp, n Uint32, s Utf8, PRIMARY KEY (id)) WITH (TTL = Interval("P1D") DELETE ON at);');
    assert.deepEqual(engine.describeTable('t')!.ttl, { column: 'at', expireAfterSeconds: 86_400 });
    run(engine, 'ALTER TABLE t SET (TTL = Interval("PT60S") ON n AS MILLISECONDS);');
    assert.deepEqual(engine.describeTable('t')!.ttl, { column: 'n', expireAfterSeconds: 60, unit: 'MILLISECONDS' });
    assertFails(() => run(engine, 'ALTER TABLE t DROP COLUMN n;'), { status: 'BAD_REQUEST', message: "Can't drop TTL column: 'n', disable TTL first" });
    run(engine, 'ALTER TABLE t RESET (TTL);');
    assert.equal(engine.describeTable('t')!.ttl, undefined);
    assertFails(() => run(engine, 'ALTER TABLE t SET (TTL = Interval("P1D") ON nope);'), { status: 'BAD_REQUEST', message: "Cannot enable TTL on unknown column: 'nope'" });
    assertFails(() => run(engine, 'ALTER TABLE t SET (TTL = Interval("P1D") ON n);'), { status: 'BAD_REQUEST', message: "'ValueSinceUnixEpochModeSettings' should be specified" });
    assertFails(() => run(engine, 'ALTER TABLE t SET (TTL = Interval("P1D") ON at AS SECONDS);'), { status: 'BAD_REQUEST', message: "'DateTypeColumnModeSettings' should be specified" });
    assertFails(() => run(engine, 'ALTER TABLE t SET (TTL = Interval("P1D") ON s);'), { status: 'BAD_REQUEST', message: 'Unsupported column type' });
    assert.equal(engine.describeTable('t')!.ttl, undefined, 'a refused SET changes nothing');
  });
});

describe("the scheme shard's index checks (table_index.cpp IsCompatibleIndex)", () => {
  const table = 'CREATE TABLE t (id Uint64, a Utf8, b Utf8, d Double, PRIMARY KEY (id)';
  for (const [index, message] of [
    ['INDEX i GLOBAL ON (a, a)', 'all index key columns should be unique, for example a'],
    ['INDEX i GLOBAL ON (a) COVER (b, b)', 'all index data columns should be unique, for example b'],
    ['INDEX i GLOBAL ON (id)', "index keys shouldn't be table keys"],
    ['INDEX i GLOBAL ON (a) COVER (id)', "the same column can't be used as key and data column for one index, for example id"],
    ['INDEX i GLOBAL ON (a) COVER (a)', "the same column can't be used as key and data column for one index, for example a"],
    ['INDEX i GLOBAL ON (d)', 'Column d has wrong key type Double for an index key'],
  ] as const) {
    it(`refuses ${index}`, () => {
      const engine = new Engine();
      assertFails(() => run(engine, `${table}, ${index});`), { status: 'SCHEME_ERROR', message });
      assert.deepEqual(engine.listTables(), []);
    });
  }
  it('accepts an index over a key column with other columns, covering a non-key column', () => {
    const engine = new Engine();
    run(engine, `${table}, INDEX i GLOBAL ON (a, id) COVER (b));`);
    assert.deepEqual(engine.describeTable('t')!.indexes.map((i) => [i.columns, i.cover]), [[['a', 'id'], ['b']]]);
  });
});

describe('what the translator refuses before anything runs', () => {
  it('refuses RENAME TO with another action, a keyword as a column name, ORDER BY a constant', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'ALTER TABLE t ADD COLUMN x Utf8, RENAME TO u;'), { status: 'GENERIC_ERROR', message: 'RENAME TO can not be used together with another table action' });
    assertFails(() => run(engine, 'ALTER TABLE t ADD COLUMN set Bool;'), { status: 'GENERIC_ERROR', message: "mismatched input 'set'" });
    assertFails(() => run(engine, 'SELECT id FROM t ORDER BY 1;'), { status: 'GENERIC_ERROR', message: 'Unable to ORDER BY constant expression' });
    assert.deepEqual(engine.describeTable('t')!.columns.map((c) => c.name), ['id', 'name', 'n']);
  });

  it('refuses settings YDB refuses: zero sizes and counts, per-AZ replicas, create-only settings in ALTER, raw values', () => {
    const engine = engineWithRows();
    for (const [yql, message] of [
      ['ALTER TABLE t SET AUTO_PARTITIONING_MIN_PARTITIONS_COUNT 0;', "Can't set min partition count to 0"],
      ['ALTER TABLE t SET (READ_REPLICAS_SETTINGS = "PER_AZ:1, ANY_AZ:2");', 'Specifying read replicas count for each AZ in cluster is not supported yet'],
      ['ALTER TABLE t SET (UNIFORM_PARTITIONS = 2);', 'UNIFORM_PARTITIONS alter is not supported'],
      ['ALTER TABLE t SET (AUTO_PARTITIONING_BY_SIZE = MAYBE);', 'Invalid value for AUTO_PARTITIONING_BY_SIZE'],
      ['ALTER TABLE t SET (AUTO_PARTITIONING_PARTITION_SIZE_MB = "big");', 'Invalid value for AUTO_PARTITIONING_PARTITION_SIZE_MB'],
    ] as const) {
      assertFails(() => run(engine, yql), { status: 'GENERIC_ERROR', message });
    }
    assert.deepEqual(engine.describeTable('t')!.settings, {});
  });

  it('accepts the short SET form, ADD/DROP without COLUMN, RENAME INDEX, PARTITION_AT_KEYS and a full PARTITION BY', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE t (a Uint64, b Utf8, FAMILY Utf8, CHANGEFEED Utf8, PRIMARY KEY (a, b), PARTITION BY (a, b), INDEX i GLOBAL ON (FAMILY)) WITH (PARTITION_AT_KEYS = (10, (20, "x")));');
    run(engine, 'ALTER TABLE t SET AUTO_PARTITIONING_BY_SIZE DISABLED, SET KEY_BLOOM_FILTER ENABLED;');
    run(engine, 'ALTER TABLE t ADD c Utf8, DROP COLUMN CHANGEFEED;');
    run(engine, 'ALTER TABLE t RENAME INDEX i TO j;');
    const described = engine.describeTable('t')!;
    assert.deepEqual(described.columns.map((c) => c.name), ['a', 'b', 'FAMILY', 'c']);
    assert.deepEqual(described.settings, { PARTITION_AT_KEYS: '', AUTO_PARTITIONING_BY_SIZE: 'DISABLED', KEY_BLOOM_FILTER: 'ENABLED' });
    assert.deepEqual(described.indexes.map((i) => i.name), ['j']);
  });

  it('refuses a TTL longer than the time since 1970, and a RENAME TO outside the database', () => {
    const engine = engineWithRows();
    run(engine, 'ALTER TABLE t ADD COLUMN at Timestamp;');
    assertFails(() => run(engine, 'ALTER TABLE t SET (TTL = Interval("P36500D") ON at);'), { status: 'BAD_REQUEST', message: /^TTL should be less than \d+ seconds .*undefined before 1970\.$/ });
    assertFails(() => run(engine, 'ALTER TABLE t RENAME TO `/elsewhere/t`;'), { status: 'GENERIC_ERROR', message: 'path is not a subpath of the database /local' });
    assert.deepEqual(engine.listTables(), ['t']);
  });

  it('refuses SQL type aliases and Serial types as not supported, not as unknown', () => {
    const engine = new Engine();
    for (const type of ['BIGINT', 'Text', 'Serial', 'Timestamp64']) {
      assertFails(() => run(engine, `CREATE TABLE t (id ${type}, PRIMARY KEY (id));`), { status: 'GENERIC_ERROR', message: 'is not supported by the ydb-migrate test emulator' });
    }
  });
});

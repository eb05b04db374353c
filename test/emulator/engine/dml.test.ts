import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IssueCode } from './errors.js';
import { assertFails, engineWithRows, run } from './helpers.js';
import { Engine } from './index.js';

describe('UPSERT / INSERT / REPLACE', () => {
  it('UPSERT inserts new rows and updates only the given columns of existing ones', () => {
    const engine = engineWithRows();
    run(engine, "UPSERT INTO t (id, name) VALUES (1, 'uno'), (4, 'four');");
    assert.deepEqual(engine.readTable('t'), [
      { id: 1n, name: 'uno', n: 10 }, { id: 2n, name: 'two', n: 20 }, { id: 3n, name: 'three', n: null }, { id: 4n, name: 'four', n: null },
    ]);
  });

  it('REPLACE overwrites the whole row', () => {
    const engine = engineWithRows();
    run(engine, "REPLACE INTO t (id, name) VALUES (1, 'uno');");
    assert.deepEqual(engine.readTable('t')[0], { id: 1n, name: 'uno', n: null });
  });

  it('INSERT of an existing key fails with insert_pk and writes nothing of the query', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, "INSERT INTO t (id, name) VALUES (9, 'nine'); INSERT INTO t (id, name) VALUES (2, 'again');"), {
      status: 'PRECONDITION_FAILED', message: 'Conflict with existing key.', code: IssueCode.CONSTRAINT_VIOLATION,
    });
    assertFails(() => run(engine, "INSERT INTO t (id) VALUES (7), (7);"), { status: 'PRECONDITION_FAILED', message: 'Conflict with existing key.' });
    assert.equal(engine.readTable('t').length, 3);
  });

  it('converts literals to the column type when the value fits', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE c (k Uint8, i64 Int64, u Uint64, s Utf8, b String, d Double, ts Timestamp, PRIMARY KEY (k));');
    run(engine, `UPSERT INTO c (k, i64, u, s, b, d, ts) VALUES (255, -5, 18446744073709551615, 'text', 'bytes'u, 2, Date('2020-01-02'));`);
    const [row] = engine.readTable('c');
    assert.deepEqual({ ...row, b: Buffer.from(row!.b as Uint8Array).toString() }, {
      k: 255, i64: -5n, u: 18446744073709551615n, s: 'text', b: 'bytes', d: 2, ts: new Date('2020-01-02T00:00:00Z'),
    });
  });

  it('refuses values that do not fit or do not convert, with the position of the value', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE c (k Uint8, s Utf8, n Int32, PRIMARY KEY (k));');
    assertFails(() => run(engine, 'UPSERT INTO c (k) VALUES (256);'), { status: 'GENERIC_ERROR', message: "Failed to convert 'k': Int32 to Optional<Uint8>", position: { row: 1, column: 27 } });
    assertFails(() => run(engine, 'UPSERT INTO c (k, s) VALUES (1, 5);'), { status: 'GENERIC_ERROR', message: "Failed to convert 's': Int32 to Optional<Utf8>", position: { row: 1, column: 33 } });
    assertFails(() => run(engine, "UPSERT INTO c (k, n) VALUES (1, '5');"), { status: 'GENERIC_ERROR', message: "Failed to convert 'n': String to Optional<Int32>" });
    assertFails(() => run(engine, "UPSERT INTO c (k, s) VALUES (1, '\\xff');"), { status: 'GENERIC_ERROR', message: "Failed to convert 's'" });
  });

  it('requires key and NOT NULL columns in the input, and no NULLs for NOT NULL columns', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE c (k Utf8, v Utf8 NOT NULL, o Utf8, PRIMARY KEY (k));');
    assertFails(() => run(engine, "UPSERT INTO c (v) VALUES ('x');"), { status: 'PRECONDITION_FAILED', message: 'Missing key column in input: k for table: /local/c' });
    assertFails(() => run(engine, "INSERT INTO c (k) VALUES ('x');"), { status: 'BAD_REQUEST', message: 'Missing not null column in input: v', code: IssueCode.NO_COLUMN_DEFAULT_VALUE });
    assertFails(() => run(engine, "UPSERT INTO c (k, v) VALUES ('x', NULL);"), { status: 'BAD_REQUEST', message: "Can't set NULL or optional value to not null column: v" });
    assertFails(() => run(engine, "UPSERT INTO c (k, v, o) VALUES ('x', 'y', 'z', 'w');"), { status: 'GENERIC_ERROR', message: 'VALUES row 1 has 4 columns' });
    assertFails(() => run(engine, "UPSERT INTO c (k, v, nope) VALUES ('x', 'y', 'z');"), { status: 'GENERIC_ERROR', message: "Column 'nope' does not exist" });
    run(engine, "UPSERT INTO c (k, v) VALUES (NULL, 'null key is allowed in a nullable key column');");
    assert.deepEqual(engine.readTable('c'), [{ k: null, v: 'null key is allowed in a nullable key column', o: null }]);
  });

  it('refuses writes to a missing table with SCHEME_ERROR', () => {
    assertFails(() => run(new Engine(), "UPSERT INTO nope (k) VALUES ('x');"), { status: 'SCHEME_ERROR', message: "Cannot find table 'db.[/local/nope]'" });
  });

  it('refuses INSERT ... SELECT by name', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'INSERT INTO t (id) SELECT 5;'), { status: 'GENERIC_ERROR', message: 'INSERT INTO ... SELECT is not supported by the ydb-migrate test emulator' });
  });

  it('enforces GLOBAL UNIQUE indexes', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE u (id Uint64, email Utf8, PRIMARY KEY (id), INDEX by_email GLOBAL UNIQUE SYNC ON (email));');
    run(engine, "UPSERT INTO u (id, email) VALUES (1, 'a@x'), (2, NULL), (3, NULL);");
    assertFails(() => run(engine, "UPSERT INTO u (id, email) VALUES (4, 'a@x');"), { status: 'PRECONDITION_FAILED', message: 'by_email' });
    assert.equal(engine.readTable('u').length, 3);
  });
});

describe('UPDATE and DELETE', () => {
  it('UPDATE sets columns from expressions over the old row', () => {
    const engine = engineWithRows();
    run(engine, "UPDATE t SET n = n + 1, name = name || '!'u WHERE id >= 2;");
    assert.deepEqual(engine.readTable('t').map((r) => [r.name, r.n]), [['one', 10], ['two!', 21], ['three!', null]]);
  });

  it('UPDATE refuses key columns and type mismatches', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'UPDATE t SET id = 5 WHERE id = 1;'), { status: 'GENERIC_ERROR', message: 'Cannot update primary key column: id' });
    assertFails(() => run(engine, "UPDATE t SET n = 'x';"), { status: 'GENERIC_ERROR', message: "Failed to convert 'n'" });
    assertFails(() => run(engine, 'UPDATE t SET n = 1 WHERE name;'), { status: 'GENERIC_ERROR', message: 'Expected Bool or Optional<Bool> in WHERE' });
  });

  it('DELETE with and without WHERE', () => {
    const engine = engineWithRows();
    run(engine, 'DELETE FROM t WHERE n IS NULL OR id = 1;');
    assert.deepEqual(engine.readTable('t').map((r) => r.id), [2n]);
    run(engine, 'DELETE FROM t;');
    assert.deepEqual(engine.readTable('t'), []);
  });

  it('refuses UPDATE ... ON and DELETE ... ON by name', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'UPDATE t ON SELECT 1 AS id;'), { status: 'GENERIC_ERROR', message: 'UPDATE ... ON is not supported' });
    assertFails(() => run(engine, 'DELETE FROM t ON SELECT 1 AS id;'), { status: 'GENERIC_ERROR', message: 'DELETE ... ON is not supported' });
  });
});

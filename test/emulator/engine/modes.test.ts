import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IssueCode } from './errors.js';
import { assertFails, engineWithRows, rowsOf, run } from './helpers.js';
import { Engine } from './index.js';

describe('execution modes', () => {
  it('refuses DDL mixed with DML in one query (GENERIC_ERROR, issue 2009) before running any of it', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, "UPSERT INTO t (id) VALUES (9); CREATE TABLE x (k Utf8, PRIMARY KEY (k));"), {
      status: 'GENERIC_ERROR', code: IssueCode.MIXED_SCHEME_DATA_TX,
      message: 'Queries with mixed data and scheme operations are not supported. Use separate queries for different types of operations.',
    });
    assert.deepEqual(engine.listTables(), ['t']);
    assert.equal(engine.readTable('t').length, 3);
  });

  it('applies DDL statement by statement: earlier ones stay when a later one fails', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'CREATE TABLE a (k Utf8, PRIMARY KEY (k)); CREATE TABLE a (k Utf8, PRIMARY KEY (k)); CREATE TABLE b (k Utf8, PRIMARY KEY (k));'), {
      status: 'GENERIC_ERROR', message: 'path exist', position: { row: 1, column: 43 },
    });
    assert.deepEqual(engine.listTables(), ['a']);
  });

  it('type-checks the whole DDL query before applying any of it', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'CREATE TABLE a (k Utf8, PRIMARY KEY (k)); CREATE TABLE b (k Utf9, PRIMARY KEY (k));'), { status: 'GENERIC_ERROR', message: "Unknown type: 'Utf9'" });
    assert.deepEqual(engine.listTables(), []);
  });

  it('runs all-DML queries as one transaction: a failing statement undoes the earlier ones', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, "UPSERT INTO t (id, name) VALUES (5, 'five'); DELETE FROM t; INSERT INTO t (id) VALUES (5); INSERT INTO t (id) VALUES (5);"), {
      status: 'PRECONDITION_FAILED', message: 'Conflict with existing key.',
    });
    assert.equal(engine.readTable('t').length, 3);
  });

  it("'scheme' mode runs DDL and refuses data operations", () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE a (k Utf8, PRIMARY KEY (k));', 'scheme');
    assert.deepEqual(engine.listTables(), ['a']);
    assertFails(() => run(engine, 'SELECT 1;', 'scheme'), { status: 'GENERIC_ERROR', message: 'Data operations are not allowed in a scheme query' });
  });

  it("'tx' mode refuses DDL with PRECONDITION_FAILED", () => {
    const engine = new Engine();
    const tx = engine.beginTransaction();
    assertFails(() => run(engine, 'CREATE TABLE a (k Utf8, PRIMARY KEY (k));', 'tx', {}, tx), {
      status: 'PRECONDITION_FAILED', message: 'Scheme operations cannot be executed inside transaction',
    });
    assert.deepEqual(engine.listTables(), []);
  });

  it("'script' mode splits on COMMIT and runs DDL and DML parts one after another", () => {
    const engine = new Engine();
    const { resultSets } = run(engine, `
      $greeting = 'hello'u;
      CREATE TABLE a (k Utf8, PRIMARY KEY (k));
      COMMIT;
      UPSERT INTO a (k) VALUES ($greeting);
      COMMIT;
      SELECT k FROM a;
    `, 'script');
    assert.deepEqual(rowsOf(resultSets[0]), [{ k: 'hello' }]);
  });

  it("'script' mode still refuses DDL and DML in the same part", () => {
    const engine = new Engine();
    assertFails(() => run(engine, "CREATE TABLE a (k Utf8, PRIMARY KEY (k)); UPSERT INTO a (k) VALUES ('x');", 'script'), { status: 'GENERIC_ERROR', code: IssueCode.MIXED_SCHEME_DATA_TX, message: 'mixed' });
  });

  it('refuses COMMIT outside scripts with YQL\'s text', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'SELECT 1; COMMIT;'), { status: 'GENERIC_ERROR', message: 'COMMIT not supported inside YDB query', position: { row: 1, column: 11 } });
  });
});

describe('syntax errors', () => {
  const engine = new Engine();
  const cases: [string, { row: number; column: number }, string][] = [
    ['SELEC 1;', { row: 1, column: 1 }, "Unexpected token 'SELEC'"],
    ['SELECT 1\nFROM;', { row: 2, column: 5 }, "mismatched input ';' expecting an identifier"],
    ['CREATE TABLE t (id Uint64, PRIMARY KEY id);', { row: 1, column: 40 }, "mismatched input 'id' expecting '('"],
    ['UPSERT INTO t (a, b) VALUES (1, 2', { row: 1, column: 34 }, "mismatched input '<EOF>' expecting ')'"],
    ['SELECT 1 SELECT 2;', { row: 1, column: 10 }, "mismatched input 'SELECT'"],
    ['DELETE t;', { row: 1, column: 8 }, "mismatched input 't' expecting FROM"],
  ];
  for (const [text, position, message] of cases) {
    it(`${JSON.stringify(text)} → GENERIC_ERROR at ${position.row}:${position.column}`, () => {
      assertFails(() => run(engine, text), { status: 'GENERIC_ERROR', message, position });
    });
  }
});

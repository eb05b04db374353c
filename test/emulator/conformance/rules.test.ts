/**
 * YDB's rules for what a query may contain and how it fails, driven through
 * the real ydb-sdk: the statuses, issue codes, texts and positions that
 * ydb-migrate relies on to run migrations and report errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Emulator } from '../index.js';
import { type Driver, execute, failureOf, issueMatching, ONE_SHOT_TX, positionOf, query, queryFailure, StatusCode, TIMEOUT_MS, TypedValues, useEmulator } from './support.js';

let ydb: Emulator;
let driver: Driver;
useEmulator((started) => ({ ydb, driver } = started));

describe('DDL and DML do not mix', () => {
  test('one NoTx query with DDL and DML is GENERIC_ERROR 2009, and nothing of it is applied', async () => {
    const failure = await queryFailure(driver, 'CREATE TABLE mixed (id Uint64, PRIMARY KEY (id));\nUPSERT INTO mixed (id) VALUES (1);');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    const issue = issueMatching(failure, /^Queries with mixed data and scheme operations are not supported\. Use separate queries for different types of operations\./);
    assert.equal(issue.issueCode, 2009);
    assert.equal(ydb.engine.listTables().includes('mixed'), false);
  });

  test('DDL inside a transaction is PRECONDITION_FAILED, in both services', async () => {
    const viaQuery = await failureOf(execute(driver, 'CREATE TABLE in_tx (id Uint64, PRIMARY KEY (id));', { txControl: ONE_SHOT_TX }));
    const viaTable = await failureOf(
      driver.tableClient.withSession((session) => session.executeQuery('CREATE TABLE in_tx (id Uint64, PRIMARY KEY (id));'), TIMEOUT_MS),
    );
    for (const failure of [viaQuery, viaTable]) {
      assert.equal(failure.status, StatusCode.PRECONDITION_FAILED);
      issueMatching(failure, /Scheme operations cannot be executed inside transaction/);
    }
    assert.equal(ydb.engine.listTables().includes('in_tx'), false);
  });

  test('DDL and DML with a transaction: the mixed-query error (2009) comes first, nothing applied', async () => {
    const failure = await failureOf(execute(driver, 'CREATE TABLE mixed_tx (id Uint64, PRIMARY KEY (id));\nSELECT 1;', { txControl: ONE_SHOT_TX }));
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    assert.equal(issueMatching(failure, /^Queries with mixed data and scheme operations are not supported/).issueCode, 2009);
    assert.equal(ydb.engine.listTables().includes('mixed_tx'), false);
  });

  test('DDL is not transactional: statements before one that fails while executing stay applied', async () => {
    await query(driver, 'CREATE TABLE existing (id Uint64, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'CREATE TABLE kept (id Uint64, PRIMARY KEY (id));\nCREATE TABLE existing (id Uint64, PRIMARY KEY (id));');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    issueMatching(failure, /path exist/);
    assert.equal(ydb.engine.listTables().includes('kept'), true);
  });
});

describe('scheme errors', () => {
  test('CREATE TABLE without PRIMARY KEY is refused', async () => {
    const failure = await queryFailure(driver, 'CREATE TABLE no_key (id Uint64);');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    issueMatching(failure, /Primary key is required/);
  });

  test('creating an existing table is GENERIC_ERROR "path exist"', async () => {
    await query(driver, 'CREATE TABLE twice (id Uint64, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'CREATE TABLE twice (id Uint64, PRIMARY KEY (id));');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    issueMatching(failure, /path exist/);
  });

  test('reading a missing table is SCHEME_ERROR 2003 naming the full path', async () => {
    const failure = await queryFailure(driver, 'SELECT * FROM nowhere;');
    assert.equal(failure.status, StatusCode.SCHEME_ERROR);
    const issue = issueMatching(failure, /^Cannot find table 'db\.\[\/local\/nowhere\]' because it does not exist or you do not have access permissions/);
    assert.equal(issue.issueCode, 2003);
  });

  test('dropping a key column is refused and leaves the table as it was', async () => {
    await query(driver, 'CREATE TABLE keyed (id Uint64, v Utf8, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'ALTER TABLE keyed DROP COLUMN id;');
    assert.notEqual(failure.status, StatusCode.SUCCESS);
    issueMatching(failure, /key column/);
    assert.deepEqual(ydb.engine.describeTable('keyed')?.columns.map((c) => c.name), ['id', 'v']);
  });

  test('adding a NOT NULL column without DEFAULT is refused', async () => {
    await query(driver, 'CREATE TABLE strict_add (id Uint64, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'ALTER TABLE strict_add ADD COLUMN n Utf8 NOT NULL;');
    assert.notEqual(failure.status, StatusCode.SUCCESS);
    issueMatching(failure, /not null column/i);
    assert.deepEqual(ydb.engine.describeTable('strict_add')?.columns.map((c) => c.name), ['id']);
  });
});

describe('data errors', () => {
  test('INSERT of an existing key is PRECONDITION_FAILED 2012 "Conflict with existing key.", and the row is unchanged', async () => {
    await query(driver, 'CREATE TABLE unique_ids (id Uint64, v Utf8, PRIMARY KEY (id));');
    await query(driver, 'INSERT INTO unique_ids (id, v) VALUES (1, "first"u);');
    const failure = await queryFailure(driver, 'INSERT INTO unique_ids (id, v) VALUES (1, "second"u);');
    assert.equal(failure.status, StatusCode.PRECONDITION_FAILED);
    assert.equal(issueMatching(failure, /^Conflict with existing key\.$/).issueCode, 2012);
    assert.deepEqual(ydb.engine.readTable('unique_ids'), [{ id: 1n, v: 'first' }]);
  });

  test('a value of the wrong type is GENERIC_ERROR at the value', async () => {
    await query(driver, 'CREATE TABLE typed (id Uint64, v Utf8, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'UPSERT INTO typed (id, v) VALUES (1, 2);');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    const issue = issueMatching(failure, /Failed to convert 'v': Int32 to Optional<Utf8>/);
    assert.deepEqual(positionOf(issue), { row: 1, column: 38 });
  });
});

describe('syntax and unsupported statements', () => {
  test('a syntax error is GENERIC_ERROR with the 1-based row and column of the offending token', async () => {
    const failure = await queryFailure(driver, 'SELECT 1;\n  SELEC 2;');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    const issue = issueMatching(failure, /SELEC/);
    assert.deepEqual(positionOf(issue), { row: 2, column: 3 });
  });

  test('columns count Unicode code points (antlr4), whatever precedes the error on its line', async () => {
    const failure = await queryFailure(driver, "SELECT 'ё🎄' AS a;  SELEC 2;");
    assert.deepEqual(positionOf(issueMatching(failure, /SELEC/)), { row: 1, column: 20 });
  });

  test('a statement the emulator does not implement is refused with a message naming it', async () => {
    const failure = await queryFailure(driver, 'CREATE TOPIC events;');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    issueMatching(failure, /^CREATE TOPIC is not supported by the ydb-migrate test emulator$/);
  });
});

describe('parameters', () => {
  test('declared parameters bind typed values for writes and reads', async () => {
    await query(driver, 'CREATE TABLE people (id Uint64, name Utf8, PRIMARY KEY (id));');
    const declare = 'DECLARE $id AS Uint64; DECLARE $name AS Utf8;\n';
    await query(driver, `${declare}UPSERT INTO people (id, name) VALUES ($id, $name);`, { $id: TypedValues.uint64(7), $name: TypedValues.utf8('Ann') });
    const rows = await query(driver, 'DECLARE $id AS Uint64;\nSELECT name FROM people WHERE id = $id;', { $id: TypedValues.uint64(7) });
    assert.deepEqual(rows, [{ name: 'Ann' }]);
  });

  test('a declared parameter that is missing, or of another type, is BAD_REQUEST 2017', async () => {
    const missing = await queryFailure(driver, 'DECLARE $name AS Utf8;\nSELECT $name AS name;');
    assert.equal(missing.status, StatusCode.BAD_REQUEST);
    assert.equal(issueMatching(missing, /Missing value for parameter: \$name/).issueCode, 2017);
    const mistyped = await queryFailure(driver, 'DECLARE $name AS Utf8;\nSELECT $name AS name;', { $name: TypedValues.uint64(1) });
    assert.equal(mistyped.status, StatusCode.BAD_REQUEST);
    issueMatching(mistyped, /Parameter \$name type mismatch, expected: Utf8, actual: Uint64/);
  });
});

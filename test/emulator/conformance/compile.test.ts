/**
 * How YDB compiles what it is sent, driven through the real ydb-sdk and the
 * Scripting service: a query (or a script part) is type-checked whole against
 * the schema as it stood when it started, before anything runs; a script is
 * one program whose pragmas and named expressions outlive its COMMITs; a
 * Query-service query is a program of its own. Sources: engine/SUBSET.md.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Emulator } from '../index.js';
import { type Driver, issueMatching, positionOf, query, queryFailure, RawClient, runScript, StatusCode, useEmulator } from './support.js';

let ydb: Emulator;
let driver: Driver;
let raw: RawClient;
useEmulator((started) => ({ ydb, driver, raw } = started));

const tables = (): string[] => ydb.engine.listTables();
const columnsOf = (table: string): string[] | undefined => ydb.engine.describeTable(table)?.columns.map((c) => c.name);

describe('a query is type-checked whole against the schema as it stood when it started', () => {
  test('CREATE TABLE then ALTER TABLE of it in one query: SCHEME_ERROR 2003, nothing applied; as two queries: applied', async () => {
    const text = ['CREATE TABLE made (id Uint64, v Utf8, PRIMARY KEY (id));', 'ALTER TABLE made ADD INDEX by_v GLOBAL ON (v);'];
    const failure = await queryFailure(driver, text.join('\n'));
    assert.equal(failure.status, StatusCode.SCHEME_ERROR);
    const issue = issueMatching(failure, /^Cannot find table 'db\.\[\/local\/made\]' because it does not exist/);
    assert.equal(issue.issueCode, 2003);
    assert.deepEqual(positionOf(issue), { row: 2, column: 13 });
    assert.equal(tables().includes('made'), false);

    for (const statement of text) await query(driver, statement);
    assert.deepEqual(ydb.engine.describeTable('made')?.indexes, [{ name: 'by_v', columns: ['v'], async: false, unique: false, cover: [] }]);
  });

  test('ADD COLUMN then an index on it in one query: GENERIC_ERROR at the column, nothing applied; as two queries: applied', async () => {
    await query(driver, 'CREATE TABLE grow (id Uint64, PRIMARY KEY (id));');
    const text = ['ALTER TABLE grow ADD COLUMN v Utf8;', 'ALTER TABLE grow ADD INDEX by_v GLOBAL ON (v);'];
    const failure = await queryFailure(driver, text.join('\n'));
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    const issue = issueMatching(failure, /^AlterTable : db\.\[\/local\/grow\] Column: "v" does not exist$/);
    assert.deepEqual(positionOf(issue), { row: 2, column: 44 });
    assert.deepEqual(columnsOf('grow'), ['id']);

    for (const statement of text) await query(driver, statement);
    assert.deepEqual(columnsOf('grow'), ['id', 'v']);
    assert.equal(ydb.engine.describeTable('grow')?.indexes.length, 1);
  });

  test('CREATE TABLE then DROP TABLE of it in one query: SCHEME_ERROR, nothing applied; as two queries: applied', async () => {
    const text = ['CREATE TABLE brief (id Uint64, PRIMARY KEY (id));', 'DROP TABLE brief;'];
    const failure = await queryFailure(driver, text.join('\n'));
    assert.equal(failure.status, StatusCode.SCHEME_ERROR);
    issueMatching(failure, /^Cannot find table 'db\.\[\/local\/brief\]'/);
    assert.equal(tables().includes('brief'), false);

    await query(driver, text[0]!);
    assert.equal(tables().includes('brief'), true);
    await query(driver, text[1]!);
    assert.equal(tables().includes('brief'), false);
  });

  test('each ALTER refused by type checking names the table and leaves the statements before it unapplied', async () => {
    await query(driver, 'CREATE TABLE checked (id Uint64, v Utf8, INDEX by_v GLOBAL ON (v), PRIMARY KEY (id));');
    const cases: [string, RegExp][] = [
      ['ALTER TABLE checked ADD COLUMN v Utf8;', /^AlterTable : db\.\[\/local\/checked\] Column: "v" already exists$/],
      ['ALTER TABLE checked DROP COLUMN nope;', /^AlterTable : db\.\[\/local\/checked\] Column "nope" does not exist$/],
      ['ALTER TABLE checked DROP COLUMN id;', /^AlterTable : db\.\[\/local\/checked\] Column: "id" is a key column\. Key column drop is not supported$/],
      ['ALTER TABLE checked DROP INDEX nope;', /^AlterTable : db\.\[\/local\/checked\] Index: "nope" does not exist$/],
    ];
    for (const [alter, text] of cases) {
      const failure = await queryFailure(driver, `CREATE TABLE bystander (id Uint64, PRIMARY KEY (id));\n${alter}`);
      assert.equal(failure.status, StatusCode.GENERIC_ERROR, alter);
      assert.equal(positionOf(issueMatching(failure, text))?.row, 2);
      assert.equal(tables().includes('bystander'), false, alter);
    }
    assert.deepEqual(columnsOf('checked'), ['id', 'v']);
  });

  test('a failure while executing (the scheme shard) leaves the statements before it applied', async () => {
    await query(driver, 'CREATE TABLE twice_added (id Uint64, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'CREATE TABLE ran_first (id Uint64, PRIMARY KEY (id));\nALTER TABLE twice_added ADD COLUMN a Utf8;\nALTER TABLE twice_added ADD COLUMN a Utf8;');
    assert.notEqual(failure.status, StatusCode.SUCCESS);
    issueMatching(failure, /Column 'a' already exists/);
    assert.equal(tables().includes('ran_first'), true);
    assert.deepEqual(columnsOf('twice_added'), ['id', 'a']);
  });
});

describe('Scripting: COMMIT-separated parts', () => {
  test('dependent DDL in one part is refused before the part runs; with COMMIT between, each part sees the schema left before it', async () => {
    const refused = await runScript(raw, 'CREATE TABLE s_one (id Uint64, v Utf8, PRIMARY KEY (id));\nALTER TABLE s_one ADD INDEX by_v GLOBAL ON (v);');
    assert.equal(refused.status, StatusCode.SCHEME_ERROR);
    issueMatching(refused, /^Cannot find table 'db\.\[\/local\/s_one\]'/);
    assert.equal(tables().includes('s_one'), false);

    const applied = await runScript(raw, 'CREATE TABLE s_one (id Uint64, v Utf8, PRIMARY KEY (id));\nCOMMIT;\nALTER TABLE s_one ADD COLUMN w Utf8;\nCOMMIT;\nALTER TABLE s_one ADD INDEX by_w GLOBAL ON (w);');
    assert.equal(applied.status, StatusCode.SUCCESS, applied.text);
    assert.deepEqual(ydb.engine.describeTable('s_one')?.indexes.map((i) => i.columns), [['w']]);
  });

  test('a part refused by type checking leaves the parts before it applied', async () => {
    const outcome = await runScript(raw, 'CREATE TABLE s_kept (id Uint64, PRIMARY KEY (id));\nCOMMIT;\nCREATE TABLE s_lost (id Uint64, PRIMARY KEY (id));\nDROP TABLE s_lost;');
    assert.equal(outcome.status, StatusCode.SCHEME_ERROR);
    assert.equal(tables().includes('s_kept'), true);
    assert.equal(tables().includes('s_lost'), false);
  });

  test('the script is one program: PRAGMA TablePathPrefix and named expressions hold across COMMIT', async () => {
    const outcome = await runScript(raw, [
      'PRAGMA TablePathPrefix("local/scripted_dir");',
      '$greeting = "hello"u;',
      'CREATE TABLE notes (id Uint64, text Utf8, PRIMARY KEY (id));',
      'COMMIT;',
      'UPSERT INTO notes (id, text) VALUES (1, $greeting);',
      'COMMIT;',
      'SELECT text FROM notes;',
    ].join('\n'));
    assert.equal(outcome.status, StatusCode.SUCCESS, outcome.text);
    assert.deepEqual(ydb.engine.readTable('scripted_dir/notes'), [{ id: 1n, text: 'hello' }]);
    assert.deepEqual(outcome.rowCounts, [1]);
  });

  test('a name used before it is defined is refused for the whole script, before any part runs', async () => {
    const outcome = await runScript(raw, 'CREATE TABLE s_early (id Uint64, PRIMARY KEY (id));\nCOMMIT;\nSELECT $late;\n$late = 1;');
    assert.equal(outcome.status, StatusCode.GENERIC_ERROR);
    assert.deepEqual(positionOf(issueMatching(outcome, /^Unknown name: \$late$/)), { row: 3, column: 8 });
    assert.equal(tables().includes('s_early'), false);
  });
});

describe('a Query-service query is a program of its own', () => {
  test('a named expression is unknown in another query: GENERIC_ERROR "Unknown name: $x"', async () => {
    assert.deepEqual(await query(driver, '$x = 41 + 1;\nSELECT $x AS x;'), [{ x: 42 }]);
    const failure = await queryFailure(driver, 'SELECT $x AS x;');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    assert.deepEqual(positionOf(issueMatching(failure, /^Unknown name: \$x$/)), { row: 1, column: 8 });
  });

  test('PRAGMA TablePathPrefix as released: the last prefix names every table of the query, a relative one starts at the cluster root, in its own query only', async () => {
    await query(driver, [
      'CREATE TABLE before_prefix (id Uint64, PRIMARY KEY (id));',
      'PRAGMA TablePathPrefix("/local/abs");',
      'CREATE TABLE under_abs (id Uint64, PRIMARY KEY (id));',
      'CREATE TABLE `/local/absolute_name` (id Uint64, PRIMARY KEY (id));',
      'PRAGMA TablePathPrefix("local/rel/../up");',
      'CREATE TABLE under_up (id Uint64, PRIMARY KEY (id));',
    ].join('\n'));
    for (const table of ['up/before_prefix', 'up/under_abs', 'absolute_name', 'up/under_up']) {
      assert.ok(tables().includes(table), `${table} in ${tables().join(', ')}`);
    }
    const outside = await queryFailure(driver, 'PRAGMA TablePathPrefix("rel");\nCREATE TABLE t (id Uint64, PRIMARY KEY (id));');
    issueMatching(outside, /path: '\/rel\/t', error: path is not a subpath of the database \/local/);
    await query(driver, 'CREATE TABLE no_prefix_left (id Uint64, PRIMARY KEY (id));');
    assert.ok(tables().includes('no_prefix_left'));
  });

  test('COMMIT in a Query-service query: GENERIC_ERROR "COMMIT not supported inside YDB query", nothing applied', async () => {
    const failure = await queryFailure(driver, 'CREATE TABLE q_commit (id Uint64, PRIMARY KEY (id));\nCOMMIT;');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    assert.deepEqual(positionOf(issueMatching(failure, /^COMMIT not supported inside YDB query$/)), { row: 2, column: 1 });
    assert.equal(tables().includes('q_commit'), false);
  });
});

describe('Ensure(value, condition, message)', () => {
  test('returns the value when the condition holds', async () => {
    assert.deepEqual(await query(driver, 'SELECT Ensure(7, 7 > 1, "never shown") AS v;'), [{ v: 7 }]);
  });

  test('fails the query while it runs when the condition is false: GENERIC_ERROR "Condition violated" with the message, at the call', async () => {
    const failure = await queryFailure(driver, '$n = 0;\nSELECT Ensure($n, $n > 0, "n must be positive") AS v;');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    const issue = issueMatching(failure, /^Condition violated:\n\nn must be positive\n\n$/);
    assert.deepEqual(positionOf(issue), { row: 2, column: 8 });
  });

  test('in a named expression of a transaction, a failed Ensure writes nothing; in a script, earlier parts stay applied', async () => {
    await query(driver, 'CREATE TABLE guarded (id Uint64, PRIMARY KEY (id));');
    const failure = await queryFailure(driver, 'UPSERT INTO guarded (id) VALUES (1);\n$checked = Ensure(2, false, "stop");\nUPSERT INTO guarded (id) VALUES ($checked);');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    assert.deepEqual(ydb.engine.readTable('guarded'), []);
    const outcome = await runScript(raw, 'UPSERT INTO guarded (id) VALUES (1);\nCOMMIT;\n$stop = Ensure(2, 1 > 2, "stop");\nUPSERT INTO guarded (id) VALUES ($stop);');
    assert.equal(outcome.status, StatusCode.GENERIC_ERROR);
    issueMatching(outcome, /^Condition violated:\n\nstop/);
    assert.deepEqual(ydb.engine.readTable('guarded'), [{ id: 1n }]);
  });

  test('a condition that is not Bool is refused before anything runs', async () => {
    const failure = await queryFailure(driver, 'SELECT Ensure(1, "yes", "m");');
    assert.equal(failure.status, StatusCode.GENERIC_ERROR);
    issueMatching(failure, /Ensure expects a Bool condition, got String/);
  });
});

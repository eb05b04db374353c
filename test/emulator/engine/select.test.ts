import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IssueCode } from './errors.js';
import { assertFails, engineWithRows, param, rowsOf, run, scalar } from './helpers.js';
import { Engine } from './index.js';
import { toYdbType } from './proto.js';
import { optional, primitive } from './types.js';

const utf8 = primitive('Utf8');

describe('SELECT', () => {
  it('returns nullable columns as Optional<T> and NOT NULL ones as T, like YDB', () => {
    const engine = new Engine();
    run(engine, 'CREATE TABLE t (id Uint64 NOT NULL, name Utf8, PRIMARY KEY (id));');
    const [rs] = run(engine, 'SELECT * FROM t;').resultSets;
    assert.deepEqual(rs!.columns, [
      { name: 'id', type: toYdbType(primitive('Uint64')) },
      { name: 'name', type: toYdbType(optional(utf8)) },
    ]);
    assert.deepEqual(rs!.rows, []);
  });

  it('projects expressions with aliases and positional column names', () => {
    const engine = engineWithRows();
    const [rs] = run(engine, 'SELECT id, n * 2 AS doubled, name, id + 100 FROM t WHERE id = 2;').resultSets;
    assert.deepEqual(rs!.columns!.map((c) => c.name), ['id', 'doubled', 'name', 'column3']);
    assert.deepEqual(rowsOf(rs), [{ id: 2n, doubled: 40, name: 'two', column3: 102n }]);
  });

  it('orders by several columns ASC/DESC with NULLs first, then applies LIMIT and OFFSET', () => {
    const engine = engineWithRows();
    run(engine, "UPSERT INTO t (id, name, n) VALUES (4, 'four', 20);");
    const ids = (text: string): unknown[] => rowsOf(run(engine, text).resultSets[0]).map((r) => r.id);
    assert.deepEqual(ids('SELECT id FROM t ORDER BY n, id DESC;'), [3n, 1n, 4n, 2n]);
    assert.deepEqual(ids('SELECT id FROM t ORDER BY n DESC, id LIMIT 2;'), [2n, 4n]);
    assert.deepEqual(ids('SELECT id FROM t ORDER BY id LIMIT 2 OFFSET 1;'), [2n, 3n]);
    assert.deepEqual(ids('SELECT id AS k FROM t ORDER BY k DESC LIMIT 1;').length, 1);
  });

  it('counts rows with COUNT(*), with and without WHERE', () => {
    const engine = engineWithRows();
    assert.equal(scalar(engine, 'SELECT COUNT(*) FROM t;'), 3n);
    assert.equal(scalar(engine, 'SELECT COUNT(*) AS c FROM t WHERE n IS NOT NULL;'), 2n);
    assert.deepEqual(rowsOf(run(engine, 'SELECT COUNT(*) AS c FROM t WHERE id > 100;').resultSets[0]), [{ c: 0n }]);
    assertFails(() => run(engine, 'SELECT id, COUNT(*) FROM t;'), { status: 'GENERIC_ERROR', message: 'Column id must either be a key column in GROUP BY' });
  });

  it('runs SELECT without FROM and returns one result set per SELECT', () => {
    const engine = new Engine();
    const { resultSets } = run(engine, "SELECT 'text'; SELECT 1 AS a, true AS b;");
    assert.equal(resultSets.length, 2);
    assert.deepEqual(rowsOf(resultSets[1]), [{ a: 1, b: true }]);
    assert.deepEqual(run(engine, '-- only a comment\n/* and another */').resultSets, []);
    // YQL's default lexer: a doubled quote is not an escape, so this is 'it' aliased as 's'.
    assert.deepEqual(rowsOf(run(engine, "SELECT 'it''s';").resultSets[0]).map((r) => Object.keys(r)), [['s']]);
  });

  it('refuses unknown columns, SELECT * without FROM and missing tables', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'SELECT nme FROM t;'), { status: 'GENERIC_ERROR', message: 'Member not found: nme', position: { row: 1, column: 8 } });
    assertFails(() => run(engine, 'SELECT Name FROM t;'), { status: 'GENERIC_ERROR', message: 'Did you mean name?' });
    assertFails(() => run(engine, 'SELECT *;'), { status: 'GENERIC_ERROR', message: 'SELECT * requires FROM' });
    assertFails(() => run(engine, 'SELECT * FROM nope;'), { status: 'SCHEME_ERROR', message: "Cannot find table 'db.[/local/nope]'", code: IssueCode.SCHEME_ERROR, position: { row: 1, column: 15 } });
  });

  it('refuses JOIN, GROUP BY, DISTINCT, subqueries and unknown functions by name', () => {
    const engine = engineWithRows();
    const refused: [string, string][] = [
      ['SELECT * FROM t JOIN t2 ON t.id = t2.id;', 'JOIN'],
      ['SELECT n FROM t GROUP BY n;', 'GROUP'],
      ['SELECT DISTINCT n FROM t;', 'SELECT DISTINCT'],
      ['SELECT * FROM (SELECT 1);', 'A subquery in FROM'],
      ['SELECT MAX(n) FROM t;', 'Aggregate function MAX'],
      ['SELECT Unicode::ToUpper(name) FROM t;', 'UDF Unicode::...'],
      ['SELECT LENGTH(name) FROM t;', 'Function LENGTH'],
      ['SELECT * FROM t AS x;', 'A table alias'],
      ['SELECT CASE WHEN true THEN 1 END;', 'CASE'],
      ["SELECT name FROM t WHERE name LIKE 'o%';", 'LIKE'],
      ['PRAGMA OrderedColumns; SELECT 1;', 'PRAGMA OrderedColumns'],
      ['USE plato; SELECT 1;', 'The USE statement'],
    ];
    for (const [text, what] of refused) {
      assertFails(() => run(engine, text), { status: 'GENERIC_ERROR', message: `${what} is not supported by the ydb-migrate test emulator` });
    }
  });
});

describe('expressions', () => {
  const engine = engineWithRows();

  it('types literals as YQL does', () => {
    const typeOf = (expr: string): unknown => run(engine, `SELECT ${expr};`).resultSets[0]!.columns![0]!.type;
    const cases: [string, ReturnType<typeof primitive>][] = [
      ['1', primitive('Int32')], ['2147483648', primitive('Int64')], ['9223372036854775808', primitive('Uint64')],
      ['1t', primitive('Int8')], ['1s', primitive('Int16')], ['1l', primitive('Int64')], ['1u', primitive('Uint32')],
      ['1ut', primitive('Uint8')], ['1us', primitive('Uint16')], ['1ul', primitive('Uint64')], ['1.5', primitive('Double')],
      ['1.5f', primitive('Float')], ["'s'", primitive('String')], ["'s'u", utf8], ["'{}'j", primitive('Json')],
      ["Json(@@{\"a\": 1}@@)", primitive('Json')], ['true', primitive('Bool')], ["Date('2017-11-27')", primitive('Date')],
      ["Datetime('2017-11-27T13:24:00Z')", primitive('Datetime')], ["Timestamp('2017-11-27T13:24:00.123456Z')", primitive('Timestamp')],
      ["Interval('P1DT2H')", primitive('Interval')], ["Uuid('550e8400-e29b-41d4-a716-446655440000')", primitive('Uuid')],
      ["Int64('-9223372036854775808')", primitive('Int64')], ['CurrentUtcTimestamp()', primitive('Timestamp')],
      ["Just('x'u)", optional(utf8)], ['Nothing(Utf8?)', optional(utf8)], ["CAST('5' AS Uint8)", optional(primitive('Uint8'))],
    ];
    for (const [expr, type] of cases) assert.deepEqual(typeOf(expr), toYdbType(type), expr);
    assert.deepEqual(typeOf('Decimal("1.23", 22, 9)'), { decimalType: { precision: 22, scale: 9 } });
  });

  it('evaluates typed literals to the right values', () => {
    assert.equal(scalar(engine, "SELECT Int64('-9223372036854775808');"), -9223372036854775808n);
    assert.equal(scalar(engine, 'SELECT -2147483648;'), -2147483648);
    assert.equal(scalar(engine, "SELECT Date('2017-11-27');"), 17497);
    assert.equal(scalar(engine, "SELECT Timestamp('1970-01-01T00:00:01.5Z');"), 1_500_000n);
    assert.equal(scalar(engine, "SELECT Interval('PT1M') + Interval('-PT1S');"), 59_000_000n);
    assert.equal(scalar(engine, 'SELECT Decimal("1.235", 10, 2);'), 124n);
    assert.equal(scalar(engine, "SELECT Uuid('550E8400-E29B-41D4-A716-446655440000');"), '550e8400-e29b-41d4-a716-446655440000');
    assert.equal(scalar(engine, "SELECT CAST('12' AS Int32) + 1;"), 13);
    assert.equal(scalar(engine, "SELECT CAST('x' AS Int32);"), null);
    assert.equal(scalar(engine, "SELECT CAST(Timestamp('2020-01-02T03:04:05Z') AS Utf8);"), '2020-01-02T03:04:05Z');
    assert.equal(scalar(engine, "SELECT 'a'u || 'b'u;"), 'ab');
    assert.equal(scalar(engine, 'SELECT 7 / 2;'), 3);
    assert.equal(scalar(engine, 'SELECT 7 / 0;'), null);
    assert.equal(scalar(engine, 'SELECT 7.0 / 2;'), 3.5);
    assert.equal(scalar(engine, "SELECT Timestamp('2020-01-01T00:00:00Z') + Interval('P1D') > Timestamp('2020-01-01T12:00:00Z');"), true);
  });

  it('refuses invalid typed literals', () => {
    assertFails(() => run(engine, "SELECT Date('2017-13-01');"), { status: 'GENERIC_ERROR', message: 'Invalid value "2017-13-01" for type Date' });
    assertFails(() => run(engine, "SELECT Uuid('nope');"), { status: 'GENERIC_ERROR', message: 'for type Uuid' });
    assertFails(() => run(engine, "SELECT Json('{bad');"), { status: 'GENERIC_ERROR', message: 'for type Json' });
    assertFails(() => run(engine, 'SELECT 300ut;'), { status: 'GENERIC_ERROR', message: 'out of range for Uint8' });
    assertFails(() => run(engine, 'SELECT Nothing(Utf8);'), { status: 'GENERIC_ERROR', message: 'Nothing() expects an optional type' });
  });

  it('follows SQL NULL semantics', () => {
    const v = (expr: string): unknown => scalar(engine, `SELECT ${expr};`);
    assert.equal(v('NULL = 1'), null);
    assert.equal(v('NULL IS NULL'), true);
    assert.equal(v('1 IS NOT NULL'), true);
    assert.equal(v('NULL AND false'), false);
    assert.equal(v('NULL AND true'), null);
    assert.equal(v('NULL OR true'), true);
    assert.equal(v('NOT (NULL = 1)'), null);
    assert.equal(v('1 + NULL'), null);
    assert.equal(v('2 IN (1, NULL)'), null);
    assert.equal(v('1 IN (1, NULL)'), true);
    assert.equal(v('3 NOT IN (1, 2)'), true);
    assert.equal(v('2 BETWEEN 1 AND 3'), true);
    assert.equal(v("COALESCE(NULL, 'x'u)"), 'x');
    assert.deepEqual(rowsOf(run(engine, 'SELECT id FROM t WHERE n = NULL;').resultSets[0]), []);
    assert.deepEqual(rowsOf(run(engine, 'SELECT id FROM t WHERE n != 10;').resultSets[0]), [{ id: 2n }]);
  });

  it('compares across numeric types and across String and Utf8, refuses incomparable types', () => {
    assert.equal(scalar(engine, 'SELECT 1ul = 1;'), true);
    assert.equal(scalar(engine, 'SELECT -1 < 1ul;'), true);
    assert.equal(scalar(engine, "SELECT 'a' = 'a'u;"), true);
    assert.equal(scalar(engine, "SELECT Date('2020-01-01') < Timestamp('2020-01-01T00:00:01Z');"), true);
    assertFails(() => run(engine, "SELECT 'a'u = 1;"), { status: 'GENERIC_ERROR', message: 'Cannot compare Utf8 with Int32', position: { row: 1, column: 13 } });
    assertFails(() => run(engine, 'SELECT 1 AND true;'), { status: 'GENERIC_ERROR', message: 'Expected Bool or Optional<Bool>' });
  });
});

describe('parameters and named expressions', () => {
  it('binds DECLAREd parameters of the declared type', () => {
    const engine = engineWithRows();
    const [rs] = run(engine, 'DECLARE $id AS Uint64; DECLARE $name AS Utf8?; SELECT $name AS n, name FROM t WHERE id = $id;', 'notx', {
      $id: param(primitive('Uint64'), 2n), $name: param(optional(utf8), null),
    }).resultSets;
    assert.deepEqual(rowsOf(rs), [{ n: null, name: 'two' }]);
  });

  it('refuses a missing parameter or one of another type (BAD_REQUEST)', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'DECLARE $id AS Uint64; SELECT $id;'), { status: 'BAD_REQUEST', message: 'Missing value for parameter: $id', code: IssueCode.BAD_REQUEST });
    assertFails(() => run(engine, 'DECLARE $id AS Uint64; SELECT $id;', 'notx', { $id: param(primitive('Int32'), 1) }), {
      status: 'BAD_REQUEST', message: 'Parameter $id type mismatch, expected: Uint64, actual: Int32',
    });
    assertFails(() => run(engine, 'DECLARE $s AS Utf8?; SELECT $s;', 'notx', { $s: param(utf8, 'x') }), {
      status: 'BAD_REQUEST', message: 'expected: Optional<Utf8>, actual: Utf8',
    });
  });

  it('allows parameters without DECLARE from YDB 25.1 (not before), and an absent optional DECLAREd one is NULL', () => {
    const engine = new Engine({ ydbVersion: '25.1' });
    assert.equal(scalar(engine, 'SELECT $x;', { $x: param(utf8, 'hi') }), 'hi');
    assertFails(() => run(new Engine({ ydbVersion: '24.4' }), 'SELECT $x;', 'notx', { $x: param(utf8, 'hi') }), { status: 'GENERIC_ERROR', message: 'Unknown name: $x', position: { row: 1, column: 8 } });
    assert.equal(scalar(engine, 'DECLARE $o AS Int32?; SELECT $o;'), null);
    assertFails(() => run(engine, 'SELECT $nope;'), { status: 'GENERIC_ERROR', message: 'Unknown name: $nope' });
  });

  it('binds named expressions, which convert like the literals they stand for', () => {
    const engine = engineWithRows();
    run(engine, "$id = 9; $label = 'nine'; UPSERT INTO t (id, name) VALUES ($id, $label);");
    assert.deepEqual(engine.readTable('t').at(-1), { id: 9n, name: 'nine', n: null });
    assertFails(() => run(engine, '$x = SELECT 1;'), { status: 'GENERIC_ERROR', message: 'A named expression bound to a SELECT (subquery) is not supported' });
  });

  it('does not let an Utf8 parameter into a Uint64 column', () => {
    const engine = engineWithRows();
    assertFails(() => run(engine, 'DECLARE $id AS Utf8; UPSERT INTO t (id) VALUES ($id);', 'notx', { $id: param(utf8, '1') }), { status: 'GENERIC_ERROR', message: "Failed to convert 'id': Utf8 to Optional<Uint64>" });
  });
});

describe('expressions YQL accepts', () => {
  it('`a ?? b` is COALESCE, and a select list may end with a comma', () => {
    const engine = engineWithRows();
    assert.deepEqual(rowsOf(run(engine, 'SELECT name ?? "none"u AS v, n ?? 0 AS m, FROM t WHERE id > 1u ORDER BY v;').resultSets[0]), [{ v: 'three', m: 0 }, { v: 'two', m: 20 }]);
  });
});

describe('a SELECT without FROM (YQL fake source, source.cpp TFakeSource)', () => {
  it('refuses filtering and aggregation, and ORDER BY a constant', () => {
    const engine = new Engine();
    assertFails(() => run(engine, 'SELECT 1 WHERE true;'), { status: 'GENERIC_ERROR', message: 'Filtering is not allowed without FROM' });
    assertFails(() => run(engine, 'SELECT COUNT(*);'), { status: 'GENERIC_ERROR', message: 'Aggregation is not allowed without FROM' });
    assertFails(() => run(engine, 'SELECT a, Min(b), c;'), { status: 'GENERIC_ERROR', message: 'Column references are not allowed without FROM' });
    assertFails(() => run(engine, 'SELECT 1 AS one ORDER BY 1 * 42;'), { status: 'GENERIC_ERROR', message: 'Unable to ORDER BY constant expression', position: { row: 1, column: 28 } }); // at the operator, as sql_ut.cpp SelectOrderByConstantExpr
    assert.deepEqual(scalar(engine, 'SELECT 1 + 1;'), 2);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalName, isKeyable, resolveColumnType } from '../../lib/rules/column-types.js';

test('column types: YQL aliases and any case name one type; serials keep their name', () => {
  const spellings: [string, string][] = [
    ['uint64', 'Uint64'], ['BIGINT', 'Int64'], ['int', 'Int32'], ['Integer', 'Int32'], ['smallint', 'Int16'], ['TINYINT', 'Int8'],
    ['varchar', 'String'], ['text', 'Utf8'], ['json_document', 'JsonDocument'], ['date32', 'Date32'], ['decimal(22,9)', 'Decimal(22,9)'],
    ['serial2', 'SmallSerial'], ['Serial4', 'Serial'], ['SERIAL8', 'BigSerial'], ['bigserial', 'BigSerial'],
  ];
  for (const [written, name] of spellings) assert.equal(canonicalName(resolveColumnType(written)), name, written);
});

test('column types: what YDB refuses is unknown, with why', () => {
  assert.deepEqual(resolveColumnType('Decimal(40,2)'), { kind: 'unknown', why: 'Decimal precision 40 is outside 1..35' });
  assert.deepEqual(resolveColumnType('Decimal(5,6)'), { kind: 'unknown', why: 'Decimal scale 6 is greater than its precision 5' });
  assert.equal(resolveColumnType('Decimal(0,0)').kind, 'unknown');
  assert.equal(resolveColumnType('Varchar2').kind, 'unknown');
  assert.match((resolveColumnType('Uint64?') as { why: string }).why, /never Optional/);
});

test('column types: Float, Double, Json, JsonDocument and Yson cannot be key or index columns', () => {
  for (const name of ['Float', 'double', 'Json', 'JsonDocument', 'yson']) assert.equal(isKeyable(resolveColumnType(name)), false, name);
  for (const name of ['Uint64', 'Utf8', 'Decimal(22,9)', 'Serial', 'Timestamp']) assert.equal(isKeyable(resolveColumnType(name)), true, name);
});

test('column types: PostgreSQL types (pgint4, pgtext, ...) are types the server may take, not unknown', () => {
  for (const name of ['pgbool', 'PgInt4', 'pgvarchar', '_pgtext']) assert.equal(resolveColumnType(name).kind, 'pg', name);
  assert.equal(canonicalName(resolveColumnType('PgInt4')), 'pgint4');
  assert.equal(resolveColumnType('pg').kind, 'unknown');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatType, parseType } from '../../lib/yql/types.js';

const canonical = (text: string) => formatType(parseType(text));

test('type names are case-insensitive and print in one spelling', () => {
  assert.equal(canonical('UInt64'), 'Uint64');
  assert.equal(canonical('uint64'), 'Uint64');
  assert.equal(canonical('UTF8'), 'Utf8');
  assert.equal(canonical('jsondocument'), 'JsonDocument');
  assert.equal(canonical('TIMESTAMP'), 'Timestamp');
});

test('Bytes and Text are String and Utf8', () => {
  assert.deepEqual(parseType('Bytes'), { kind: 'primitive', name: 'String' });
  assert.deepEqual(parseType('text'), { kind: 'primitive', name: 'Utf8' });
});

test('every primitive type reads back as itself', () => {
  for (const name of ['Bool', 'Int8', 'Int16', 'Int32', 'Int64', 'Uint8', 'Uint16', 'Uint32', 'Uint64', 'Float', 'Double', 'String',
    'Utf8', 'Json', 'JsonDocument', 'Yson', 'Date', 'Datetime', 'Timestamp', 'Interval', 'Uuid']) {
    assert.deepEqual(parseType(name), { kind: 'primitive', name });
  }
});

test('Optional<T> and T? are one type, nested either way', () => {
  assert.deepEqual(parseType('Optional<Int32>'), { kind: 'optional', item: { kind: 'primitive', name: 'Int32' } });
  assert.deepEqual(parseType('Int32?'), parseType('optional<int32>'));
  assert.equal(canonical('Optional<Utf8?>'), 'Utf8??');
  assert.equal(canonical('Optional< Optional<Utf8> >'), 'Utf8??');
  assert.equal(canonical(' Int32 ? '), 'Int32?');
});

test('Decimal(p,s) keeps precision and scale, within YDB limits', () => {
  assert.deepEqual(parseType('Decimal(22, 9)'), { kind: 'decimal', precision: 22, scale: 9 });
  assert.equal(canonical('decimal( 35 ,0 )?'), 'Decimal(35,0)?');
  assert.equal(canonical('Optional<Decimal(1,1)>'), 'Decimal(1,1)?');
  for (const bad of ['Decimal(0,0)', 'Decimal(36,2)', 'Decimal(5,6)', 'Decimal', 'Decimal(5)', 'Decimal(a,b)', 'Decimal(5,2']) {
    assert.throws(() => parseType(bad), { name: 'MigrateError', code: 'YQL_BAD_TYPE' }, bad);
  }
});

test('unknown or malformed types are YQL_BAD_TYPE naming what is supported', () => {
  assert.throws(() => parseType('Foo'), { code: 'YQL_BAD_TYPE', message: /'Foo' is not a type.*supported: Bool, .*Decimal\(precision,scale\)/ });
  for (const bad of ['', '   ', 'List<Int32>', 'Date32', 'Optional<Int32', 'Optional<>', 'Int32 Utf8', 'Int32>', '?', 'Int32!']) {
    assert.throws(() => parseType(bad), { code: 'YQL_BAD_TYPE', kind: 'input' }, bad);
  }
});

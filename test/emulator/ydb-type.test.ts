import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ydb } from './ydb-proto.js';
import { ydbTypeOf } from './ydb-type.js';

const Id = Ydb.Type.PrimitiveTypeId;

test('column type names become Ydb.Type, case-insensitively, with optionals and decimals', () => {
  assert.deepEqual(ydbTypeOf('Uint64'), { typeId: Id.UINT64 });
  assert.deepEqual(ydbTypeOf('utf8?'), { optionalType: { item: { typeId: Id.UTF8 } } });
  assert.deepEqual(ydbTypeOf('JsonDocument'), { typeId: Id.JSON_DOCUMENT });
  assert.deepEqual(ydbTypeOf('Decimal(22, 9)?'), { optionalType: { item: { decimalType: { precision: 22, scale: 9 } } } });
});

test('a name that is not a known type gives undefined instead of a guess', () => {
  for (const name of ['List<Int32>', 'Uint128', '', '?', 'Decimal(22)']) assert.equal(ydbTypeOf(name), undefined, name);
});

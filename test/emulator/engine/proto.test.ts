import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ydbProto from 'ydb-sdk-proto';
import { assertFails, param, rowsOf, run, scalar } from './helpers.js';
import { Engine } from './index.js';
import { fromTypedValue } from './proto.js';
import { optional, primitive, type YqlType } from './types.js';
import type { Value } from './values.js';

const { Ydb } = ydbProto;

describe('protocol values', () => {
  it('result sets survive protobuf encoding (64-bit, 128-bit, optional and NULL values)', () => {
    const engine = new Engine();
    const [rs] = run(engine, `SELECT 18446744073709551615ul AS u, Int64('-9223372036854775808') AS i,
      Uuid('550e8400-e29b-41d4-a716-446655440000') AS id, Decimal('-1.5', 22, 9) AS d,
      Timestamp('2020-01-02T03:04:05.000006Z') AS ts, Just(1) AS j, Nothing(Utf8?) AS nothing, NULL AS nil;`).resultSets;
    const decoded = Ydb.ResultSet.decode(Ydb.ResultSet.encode(Ydb.ResultSet.fromObject(rs!)).finish());
    assert.deepEqual(rowsOf(decoded), [{
      u: 18446744073709551615n, i: -9223372036854775808n, id: '550e8400-e29b-41d4-a716-446655440000', d: -1_500_000_000n,
      ts: 1577934245000006n, j: 1, nothing: null, nil: null,
    }]);
  });

  it('encodes Uuid with YDB\'s byte layout', () => {
    const engine = new Engine();
    const [rs] = run(engine, "SELECT Uuid('00112233-4455-6677-8899-aabbccddeeff');").resultSets;
    const item = rs!.rows![0]!.items![0]!;
    const u64 = (x: unknown): string => BigInt.asUintN(64, BigInt(String(x))).toString(16);
    assert.equal(u64(item.low_128), '6677445500112233');
    assert.equal(u64(item.high_128), 'ffeeddccbbaa9988');
  });

  it('accepts parameters of every primitive type the emulator knows', () => {
    const engine = new Engine({ ydbVersion: '25.1' }); // parameters without DECLARE
    const cases: [YqlType, Value][] = [
      [primitive('Bool'), true], [primitive('Int8'), -8], [primitive('Uint16'), 16], [primitive('Int64'), -(2n ** 63n)],
      [primitive('Uint64'), 2n ** 64n - 1n], [primitive('Double'), 1.25], [primitive('Utf8'), 'é'], [primitive('Date'), 17497],
      [primitive('Interval'), -5n], [optional(primitive('Utf8')), null], [{ kind: 'decimal', precision: 22, scale: 9 }, 123n],
    ];
    for (const [type, value] of cases) {
      const encoded = Ydb.TypedValue.decode(Ydb.TypedValue.encode(param(type, value)).finish());
      assert.deepEqual(fromTypedValue('$p', encoded), { type, value });
      assert.deepEqual(scalar(engine, 'SELECT $p;', { $p: encoded }), value);
    }
  });

  it('refuses container parameters by name (BAD_REQUEST)', () => {
    const list = { type: { listType: { item: { typeId: Ydb.Type.PrimitiveTypeId.UTF8 } } }, value: { items: [] } };
    assertFails(() => run(new Engine(), 'SELECT 1;', 'notx', { $l: list }), { status: 'BAD_REQUEST', message: 'is not supported by the ydb-migrate test emulator: $l' });
  });
});

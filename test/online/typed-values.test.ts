import { test } from 'node:test';
import assert from 'node:assert/strict';
import sdk from 'ydb-sdk';
import { MigrateError } from '../../lib/errors.js';
import { PRIMITIVE_TYPE_IDS, rowsOf, toTypedValue } from '../../lib/ydb/typed-values.js';
import { parseType } from '../../lib/yql/literal.js';
import { Engine } from '../emulator/engine/index.js';

test('the primitive type ids are the protocol numbers ydb-sdk knows', () => {
  const ids = sdk.Ydb.Type.PrimitiveTypeId as unknown as Record<string, number>;
  for (const [name, id] of Object.entries(PRIMITIVE_TYPE_IDS)) {
    const protoName = name === 'JsonDocument' ? 'JSON_DOCUMENT' : name.toUpperCase();
    assert.equal(id, ids[protoName], name);
  }
});

/** type, value as the runner binds it, the value's text as YDB casts it to Utf8, and the value read back. */
const CASES: [type: string, value: unknown, text: string, back: unknown][] = [
  ['Bool', false, 'false', false],
  ['Int32', -7, '-7', -7],
  ['Uint64', 18446744073709551615n, '18446744073709551615', 18446744073709551615n],
  ['Int64', -9223372036854775808n, '-9223372036854775808', -9223372036854775808n],
  ['Double', 0.1, '0.1', 0.1],
  ['Utf8', 'Zoë 🌍', 'Zoë 🌍', 'Zoë 🌍'],
  ['Date', '2105-12-31', '2105-12-31', new Date('2105-12-31T00:00:00Z')],
  ['Date', new Date('1970-01-02T00:00:00Z'), '1970-01-02', new Date('1970-01-02T00:00:00Z')],
  ['Datetime', '2024-05-01T12:30:00-01:30', '2024-05-01T14:00:00Z', new Date('2024-05-01T14:00:00Z')],
  ['Timestamp', '2024-05-01T10:00:00.000001Z', '2024-05-01T10:00:00.000001Z', new Date('2024-05-01T10:00:00Z')],
  ['Interval', -1_500_000n, '-PT1.5S', -1_500_000n],
  ['Interval', 'PT1.5S', 'PT1.5S', 1_500_000n],
  ['Decimal(22,9)', '-0.000000001', '-0.000000001', '-0.000000001'],
  ['Decimal(35,0)', '99999999999999999999999999999999999', '99999999999999999999999999999999999', '99999999999999999999999999999999999'],
  ['Uuid', 'f1e2d3c4-b5a6-4798-8a7b-6c5d4e3f2a1b', 'f1e2d3c4-b5a6-4798-8a7b-6c5d4e3f2a1b', 'f1e2d3c4-b5a6-4798-8a7b-6c5d4e3f2a1b'],
  ['Utf8?', null, '', null],
];

test('values travel as YDB reads them: checked by an independent implementation (the emulator engine), and read back', () => {
  for (const [typeText, value, text, back] of CASES) {
    const engine = new Engine();
    const type = parseType(typeText);
    const result = engine.execute({
      text: `DECLARE $v AS ${typeText}; SELECT $v AS v, CAST($v AS Utf8) AS text;`,
      params: { $v: toTypedValue(type, value) },
      mode: 'notx',
    });
    const [row] = rowsOf(result.resultSets[0]!);
    assert.deepEqual(row!.v, back, `${typeText} ${String(value)} read back`);
    assert.equal(row!.text ?? '', text, `${typeText} ${String(value)} as YDB sees it`);
  }
});

test('a value its type cannot hold is refused with the same message as the offline literal', () => {
  const refused: [string, unknown, RegExp][] = [
    ['Uint8', 256, /out of range 0\.\.255/],
    ['Utf8', 5, /expected a string/],
    ['Date', '2024-02-30', /no such date/],
    ['Decimal(5,2)', '1.234', /more than 2 digits after the point/],
    ['Uint64', null, /not Optional/],
  ];
  for (const [typeText, value, why] of refused) {
    assert.throws(() => toTypedValue(parseType(typeText), value), (err: unknown) => err instanceof MigrateError && err.code === 'LITERAL_INVALID' && why.test(err.message), typeText);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeLiteral, parseParamValue, parseType } from '../../lib/yql/literal.js';

const lit = (type: string, value: unknown) => encodeLiteral(parseType(type), value);
const param = (type: string, text: string) => parseParamValue(parseType(type), text);
const refused = (type: string, value: unknown, why: RegExp) =>
  assert.throws(() => lit(type, value), { name: 'MigrateError', code: 'LITERAL_INVALID', kind: 'input', message: why }, `${type} ${String(value)}`);

test('Bool', () => {
  assert.equal(lit('Bool', true), 'true');
  assert.equal(lit('Bool', false), 'false');
  refused('Bool', 1, /not a valid Bool: expected a boolean/);
  refused('Bool', 'true', /expected a boolean/);
});

test('integers carry the suffix of their type, at both ends of the range', () => {
  const cases: [string, unknown, string][] = [
    ['Int8', 127, '127t'], ['Int8', -127, '-127t'], ['Int8', -128, "Int8('-128')"],
    ['Int16', 32767n, '32767s'], ['Int16', -32768n, "Int16('-32768')"],
    ['Int32', 2147483647, '2147483647'], ['Int32', -2147483648, "Int32('-2147483648')"], ['Int32', 0, '0'], ['Int32', -1, '-1'],
    ['Int64', 9223372036854775807n, '9223372036854775807l'], ['Int64', -9223372036854775808n, "Int64('-9223372036854775808')"], ['Int64', -5, '-5l'],
    ['Uint8', 0, '0ut'], ['Uint8', 255, '255ut'],
    ['Uint16', 65535, '65535us'],
    ['Uint32', 4294967295, '4294967295u'],
    ['Uint64', 0n, '0ul'], ['Uint64', 18446744073709551615n, '18446744073709551615ul'],
  ];
  for (const [type, value, expected] of cases) assert.equal(lit(type, value), expected, `${type} ${value}`);
});

test('integers out of range, fractional, unsafe or of another kind are refused', () => {
  refused('Int8', 128, /not a valid Int8: out of range -128\.\.127/);
  refused('Int8', -129n, /out of range/);
  refused('Uint8', -1, /out of range 0\.\.255/);
  refused('Int32', 2147483648, /out of range/);
  refused('Int64', 9223372036854775808n, /out of range/);
  refused('Uint64', 18446744073709551616n, /out of range/);
  refused('Uint64', -1n, /out of range/);
  refused('Int32', 1.5, /expected a whole number/);
  refused('Int64', 2 ** 60, /pass a bigint/);
  refused('Int32', '5', /expected a whole number/);
  refused('Int32', NaN, /expected a whole number/);
});

test('Float and Double: shortest text that reads back, always a real', () => {
  assert.equal(lit('Double', 1.5), '1.5');
  assert.equal(lit('Double', 5), '5.0');
  assert.equal(lit('Double', -5), '-5.0');
  assert.equal(lit('Double', 0.1), '0.1');
  assert.equal(lit('Double', 1e21), '1e+21');
  assert.equal(lit('Double', 1.5e-7), '1.5e-7');
  assert.equal(lit('Double', Number.MAX_VALUE), '1.7976931348623157e+308');
  assert.equal(lit('Double', Number.MIN_VALUE), '5e-324');
  assert.equal(lit('Float', 0.1), '0.1f');
  assert.equal(lit('Float', 16777217), '16777216.0f');
  assert.equal(lit('Float', 3.4028234663852886e38), '3.4028235e+38f');
  assert.equal(lit('Float', 1.401298464324817e-45), '1e-45f');
});

test('NaN, infinities and negative zero use the type constructor', () => {
  assert.equal(lit('Double', NaN), "Double('nan')");
  assert.equal(lit('Double', Infinity), "Double('inf')");
  assert.equal(lit('Double', -Infinity), "Double('-inf')");
  assert.equal(lit('Double', -0), "Double('-0')");
  assert.equal(lit('Double', 0), '0.0');
  assert.equal(lit('Float', NaN), "Float('nan')");
  assert.equal(lit('Float', -Infinity), "Float('-inf')");
  assert.equal(lit('Float', -0), "Float('-0')");
});

test('a Float that overflows or vanishes in 32 bits is refused', () => {
  refused('Float', 1e39, /beyond the Float range/);
  refused('Float', -3.5e38, /beyond the Float range/);
  refused('Float', 1e-50, /would become 0/);
  refused('Double', 1n, /expected a number/);
});

test('strings: quotes, backslashes and every control character are escaped', () => {
  assert.equal(lit('Utf8', "it's a \\ test"), "'it\\'s a \\\\ test'u");
  assert.equal(lit('Utf8', 'say "hi"'), `'say "hi"'u`);
  assert.equal(lit('Utf8', 'a\nb\rc\td'), "'a\\nb\\rc\\td'u");
  assert.equal(lit('Utf8', '\x00\x01\x1b\x1f\x7f'), "'\\x00\\x01\\x1B\\x1F\\x7F'u");
  assert.equal(lit('Utf8', ''), "''u");
  assert.equal(lit('Utf8', '@@; -- /*'), "'@@; -- /*'u");
});

test('Unicode text stays readable; invisible and bidi characters are escaped', () => {
  assert.equal(lit('Utf8', 'Привет, 世界 😀'), "'Привет, 世界 😀'u");
  assert.equal(lit('Utf8', 'a\u202Eb\u200Bc\u00A0d\uFEFFe\u0085f'), "'a\\u202Eb\\u200Bc\\u00A0d\\uFEFFe\\u0085f'u");
  assert.equal(lit('Utf8', '\u{E0041}\u{10FFFD}\uE000'), "'\\U000E0041\\U0010FFFD\\uE000'u");
});

test('a lone surrogate has no UTF-8 form and is refused, wherever text is taken', () => {
  refused('Utf8', 'ok\uD800', /lone surrogate \(\\uD800\) at index 2/);
  refused('Utf8', '\uDC00x', /lone surrogate/);
  refused('String', 'x\uDBFF', /lone surrogate/);
  refused('Json', '"\uD800"', /lone surrogate/);
  assert.equal(lit('Utf8', '\uD83D\uDE00'), "'😀'u");
});

test('String takes bytes or text; bytes above 0x7F are hex escapes', () => {
  assert.equal(lit('String', Uint8Array.from([0x41, 0x00, 0x80, 0xff, 0x27, 0x5c, 0x0a])), "'A\\x00\\x80\\xFF\\'\\\\\\n'");
  assert.equal(lit('String', 'текст'), "'текст'");
  assert.equal(lit('String', Buffer.from('hi')), "'hi'");
  refused('String', 5, /expected a string/);
  refused('Utf8', Uint8Array.from([0x41]), /expected a string/);
});

test('Json, JsonDocument and Yson', () => {
  assert.equal(lit('Json', '{"a": [1, "it\'s"]}'), `'{"a": [1, "it\\'s"]}'j`);
  assert.equal(lit('JsonDocument', '{"a":1}'), `JsonDocument('{"a":1}')`);
  assert.equal(lit('Yson', '{a=1}'), "'{a=1}'y");
  assert.equal(lit('Yson', Uint8Array.from([1, 2])), "'\\x01\\x02'y");
  refused('Json', '{a:1}', /not valid JSON/);
  refused('JsonDocument', '', /not valid JSON/);
});

test('Date: a Date at UTC midnight or YYYY-MM-DD, within 1970..2105', () => {
  assert.equal(lit('Date', '2024-02-29'), "Date('2024-02-29')");
  assert.equal(lit('Date', new Date(Date.UTC(2024, 0, 2))), "Date('2024-01-02')");
  assert.equal(lit('Date', '1970-01-01'), "Date('1970-01-01')");
  assert.equal(lit('Date', '2105-12-31'), "Date('2105-12-31')");
  refused('Date', '2106-01-01', /outside 1970-01-01\.\.2105-12-31/);
  refused('Date', '1969-12-31', /outside/);
  refused('Date', '2023-02-29', /no such date/);
  refused('Date', '2024-13-01', /no such date/);
  refused('Date', '2024-1-2', /YYYY-MM-DD/);
  refused('Date', new Date(Date.UTC(2024, 0, 2, 12)), /time of day/);
  refused('Date', new Date(NaN), /Invalid Date/);
  refused('Date', 19000, /expected a Date/);
});

test('Datetime: whole seconds, written in UTC', () => {
  assert.equal(lit('Datetime', '2024-05-01T10:20:30Z'), "Datetime('2024-05-01T10:20:30Z')");
  assert.equal(lit('Datetime', '2024-05-01T10:20:30+03:00'), "Datetime('2024-05-01T07:20:30Z')");
  assert.equal(lit('Datetime', '2024-05-01T23:20:30-01:30'), "Datetime('2024-05-02T00:50:30Z')");
  assert.equal(lit('Datetime', new Date(Date.UTC(2105, 11, 31, 23, 59, 59))), "Datetime('2105-12-31T23:59:59Z')");
  assert.equal(lit('Datetime', '1970-01-01T00:00:00Z'), "Datetime('1970-01-01T00:00:00Z')");
  refused('Datetime', '1970-01-01T00:00:00+00:01', /outside/);
  refused('Datetime', '2024-05-01T10:20:30.5Z', /YYYY-MM-DDTHH:MM:SSZ/);
  refused('Datetime', '2024-05-01T10:20:30', /YYYY-MM-DDTHH:MM:SSZ/);
  refused('Datetime', '2024-05-01T24:00:00Z', /no such date or time/);
  refused('Datetime', '2024-05-01T10:60:00Z', /no such date or time/);
  refused('Datetime', '2024-05-01T10:00:00+24:00', /not a UTC offset/);
  refused('Datetime', new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 5)), /fraction of a second/);
});

test('Timestamp keeps microseconds from strings and milliseconds from Dates', () => {
  assert.equal(lit('Timestamp', '2024-05-01T10:20:30.000001Z'), "Timestamp('2024-05-01T10:20:30.000001Z')");
  assert.equal(lit('Timestamp', '2024-05-01T10:20:30.5Z'), "Timestamp('2024-05-01T10:20:30.500000Z')");
  assert.equal(lit('Timestamp', '2024-05-01T10:20:30.000000Z'), "Timestamp('2024-05-01T10:20:30Z')");
  assert.equal(lit('Timestamp', new Date(Date.UTC(2024, 4, 1, 10, 20, 30, 123))), "Timestamp('2024-05-01T10:20:30.123000Z')");
  assert.equal(lit('Timestamp', '2105-12-31T23:59:59.999999Z'), "Timestamp('2105-12-31T23:59:59.999999Z')");
  assert.equal(lit('Timestamp', '2024-01-01T00:30:00.25+01:00'), "Timestamp('2023-12-31T23:30:00.250000Z')");
  refused('Timestamp', '2024-05-01T10:20:30.1234567Z', /more than 6 fractional digits/);
  refused('Timestamp', '2106-01-01T00:00:00Z', /outside/);
  refused('Timestamp', '2024-05-01 10:20:30Z', /write/);
});

test('Interval: bigint microseconds or an ISO 8601 duration, in YDB canonical form', () => {
  assert.equal(lit('Interval', 0n), "Interval('PT0S')");
  assert.equal(lit('Interval', 1n), "Interval('PT0.000001S')");
  assert.equal(lit('Interval', 86_400_000_000n), "Interval('P1D')");
  assert.equal(lit('Interval', 93_784_500_000n), "Interval('P1DT2H3M4.5S')");
  assert.equal(lit('Interval', -3_600_000_000n), "Interval('-PT1H')");
  assert.equal(lit('Interval', 'P1W'), "Interval('P7D')");
  assert.equal(lit('Interval', '+PT90M'), "Interval('PT1H30M')");
  assert.equal(lit('Interval', '-P1DT0.25S'), "Interval('-P1DT0.25S')");
  const max = 4_291_747_199_999_999n;
  assert.equal(lit('Interval', max), "Interval('P49672DT23H59M59.999999S')");
  assert.equal(lit('Interval', -max), "Interval('-P49672DT23H59M59.999999S')");
  refused('Interval', max + 1n, /about 136 years/);
  refused('Interval', 'P49673D', /about 136 years/);
  for (const bad of ['P', 'PT', 'P1DT', 'P1Y', 'P1M', 'PT1.5M', 'PT0.1234567S', '1D', 'pt1s', 'P1D2W', 'PT1S2M']) refused('Interval', bad, /ISO 8601 duration/);
  refused('Interval', 1500, /as a bigint/);
});

test('Decimal: checked against precision and scale, never rounded', () => {
  assert.equal(lit('Decimal(22,9)', '1.23'), "Decimal('1.23', 22, 9)");
  assert.equal(lit('Decimal(22,9)', '-0012.5000'), "Decimal('-12.5', 22, 9)");
  assert.equal(lit('Decimal(22,9)', '+7'), "Decimal('7', 22, 9)");
  assert.equal(lit('Decimal(22,9)', '-0.000'), "Decimal('0', 22, 9)");
  assert.equal(lit('Decimal(5,2)', '999.99'), "Decimal('999.99', 5, 2)");
  assert.equal(lit('Decimal(5,5)', '0.12345'), "Decimal('0.12345', 5, 5)");
  assert.equal(lit('Decimal(35,0)', '9'.repeat(35)), `Decimal('${'9'.repeat(35)}', 35, 0)`);
  assert.equal(lit('Decimal(22,9)', 'Inf'), "Decimal('inf', 22, 9)");
  assert.equal(lit('Decimal(22,9)', '-inf'), "Decimal('-inf', 22, 9)");
  assert.equal(lit('Decimal(22,9)', 'NaN'), "Decimal('nan', 22, 9)");
  refused('Decimal(5,2)', '1000', /not a valid Decimal\(5,2\): more than 3 digits before the point/);
  refused('Decimal(5,2)', '1.001', /more than 2 digits after the point/);
  refused('Decimal(5,5)', '1.0', /more than 0 digits before/);
  for (const bad of ['', '1.', '.5', '1e5', '1,5', ' 1', '--1']) refused('Decimal(22,9)', bad, /write digits/);
  refused('Decimal(22,9)', 1.5, /expected a string/);
});

test('Uuid is validated and lower-cased', () => {
  assert.equal(lit('Uuid', '550E8400-E29B-41D4-A716-446655440000'), "Uuid('550e8400-e29b-41d4-a716-446655440000')");
  for (const bad of ['550e8400e29b41d4a716446655440000', '550e8400-e29b-41d4-a716-44665544000', 'g50e8400-e29b-41d4-a716-446655440000']) {
    refused('Uuid', bad, /8-4-4-4-12/);
  }
});

test('Optional: a typed Nothing for null and undefined, the item literal otherwise', () => {
  assert.equal(lit('Utf8?', null), 'Nothing(Utf8?)');
  assert.equal(lit('Optional<Int64>', undefined), 'Nothing(Int64?)');
  assert.equal(lit('Decimal(22,9)?', null), 'Nothing(Optional<Decimal(22,9)>)');
  assert.equal(lit('Int32??', null), 'Nothing(Optional<Int32?>)');
  assert.equal(lit('Utf8?', 'x'), "'x'u");
  assert.equal(lit('Int32??', 5), 'Just(5)');
  refused('Int32?', 'x', /not a valid Int32/);
  refused('Utf8', null, /Utf8 is not Optional; declare it as Utf8\? to allow NULL/);
  refused('Utf8', undefined, /not Optional/);
});

test('parseParamValue turns CLI text into the value of each type', () => {
  assert.equal(param('Bool', 'TRUE'), true);
  assert.equal(param('bool', 'false'), false);
  assert.equal(param('Int8', '-128'), -128);
  assert.equal(param('Uint32', '+4294967295'), 4294967295);
  assert.equal(param('Int64', '-9223372036854775808'), -9223372036854775808n);
  assert.equal(param('Uint64', '18446744073709551615'), 18446744073709551615n);
  assert.equal(param('Double', '1.5e3'), 1500);
  assert.equal(param('Double', '.5'), 0.5);
  assert.ok(Number.isNaN(param('Float', 'NaN')));
  assert.equal(param('Double', '-inf'), -Infinity);
  assert.equal(param('Utf8', ' keeps spaces '), ' keeps spaces ');
  assert.equal(param('String', 'bytes'), 'bytes');
  assert.equal(param('Json', '{"a":1}'), '{"a":1}');
  assert.equal(param('Date', '2024-05-01'), '2024-05-01');
  assert.equal(param('Datetime', '2024-05-01T10:00:00+02:00'), '2024-05-01T08:00:00Z');
  assert.equal(param('Timestamp', '2024-05-01T10:00:00.5Z'), '2024-05-01T10:00:00.500000Z');
  assert.equal(param('Interval', 'PT1.5S'), 1_500_000n);
  assert.equal(param('Decimal(10,2)', '0012.50'), '12.5');
  assert.equal(param('Uuid', '550E8400-E29B-41D4-A716-446655440000'), '550e8400-e29b-41d4-a716-446655440000');
  assert.equal(param('Int32?', '7'), 7);
});

test('parseParamValue refuses text that does not fit, naming the type', () => {
  const bad: [string, string, RegExp][] = [
    ['Bool', 'yes', /not a valid Bool: write true or false/],
    ['Int32', '1.5', /not a valid Int32: write a whole number/],
    ['Int32', '0x10', /not a valid Int32/],
    ['Int32', '', /not a valid Int32/],
    ['Int8', '200', /not a valid Int8: out of range/],
    ['Uint64', '-1', /not a valid Uint64: out of range/],
    ['Double', '', /not a valid Double/],
    ['Double', '1.5x', /not a valid Double/],
    ['Double', '0x10', /not a valid Double/],
    ['Float', '1e40', /not a valid Float: beyond the Float range/],
    ['Json', '{', /not a valid Json/],
    ['Date', '2024-02-30', /not a valid Date/],
    ['Interval', '5', /not a valid Interval/],
    ['Decimal(4,2)', '100', /not a valid Decimal\(4,2\)/],
    ['Uuid', 'nope', /not a valid Uuid/],
    ['Int32?', 'x', /not a valid Int32/],
  ];
  for (const [type, text, why] of bad) {
    assert.throws(() => param(type, text), { name: 'MigrateError', code: 'PARAM_INVALID', kind: 'input', message: why }, `${type} ${text}`);
  }
});

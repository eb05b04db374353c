/**
 * Property tests with a seeded PRNG (a failure names its seed and case, so it
 * reproduces): every literal the encoder writes must lex as ONE token and
 * read back as exactly the value it was made from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements } from '../../lib/yql/blocks.js';
import { decodeStringLiteral, tokenize } from '../../lib/yql/lexer.js';
import { encodeLiteral, parseParamValue, parseType } from '../../lib/yql/literal.js';
import { int, pick, prng, type Random } from './random.js';

const CASES = 3000;
const SEED = 0x5eed_2024;

/** Pieces that stress a quoted literal: every control char, quotes, escapes, comment and raw-string openers, invisible and astral characters. */
const TRICKY = [
  "'", '"', '`', '\\', '\\\\', "\\'", '@', '@@', '@@@@', '--', '/*', '*/', ';', '$x', '\r\n', '\u0085', '\u00a0', '\u200b', '\u200d',
  '\u202e', '\u2028', '\ufeff', '\ufffd', '\uffff', 'é', 'ß', 'Я', '世', '😀', '👨‍👩‍👧', '\u{10ffff}', '\u{e0041}',
];

function randomText(random: Random): string {
  let text = '';
  const length = int(random, 24);
  for (let i = 0; i < length; i++) {
    const roll = int(random, 5);
    if (roll === 0) text += String.fromCharCode(int(random, 0x20));
    else if (roll === 1) text += pick(random, TRICKY);
    else if (roll === 2) text += String.fromCharCode(0x20 + int(random, 0x60)); // printable ASCII and DEL
    else if (roll === 3) text += String.fromCodePoint(0x10000 + int(random, 0x100000)); // a surrogate pair
    else text += String.fromCodePoint(randomBmpScalar(random));
  }
  return text;
}

function randomBmpScalar(random: Random): number {
  const cp = 0x80 + int(random, 0x10000 - 0x80);
  return cp >= 0xd800 && cp <= 0xdfff ? cp - 0x800 : cp;
}

function randomBytes(random: Random): Uint8Array {
  const bytes = new Uint8Array(int(random, 24));
  for (let i = 0; i < bytes.length; i++) bytes[i] = random() < 0.3 ? pick(random, [0, 0x27, 0x22, 0x5c, 0x40, 0x0a, 0x0d, 0x7f, 0x80, 0xff]) : int(random, 256);
  return bytes;
}

/** The literal must be exactly one string token, alone in a statement, and decode to `bytes` with `suffix`. */
function assertStringRoundTrip(literal: string, bytes: Uint8Array, suffix: string, context: string): void {
  const tokens = tokenize(literal, 'p.yql');
  assert.equal(tokens.length, 1, `${context}: ${JSON.stringify(literal)} lexed as ${tokens.length} tokens`);
  assert.equal(tokens[0]!.kind, 'string', context);
  const decoded = decodeStringLiteral(tokens[0]!.text);
  assert.deepEqual(decoded.bytes, bytes, context);
  assert.equal(decoded.suffix, suffix, context);
  const statements = splitStatements(`SELECT ${literal};\nSELECT 2;`, 'p.yql');
  assert.deepEqual(statements.map((s) => s.text), [`SELECT ${literal};`, 'SELECT 2;'], context);
}

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is part of the text, not a mark to drop.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

test(`${CASES} random texts survive Utf8, String and Yson literals`, () => {
  const random = prng(SEED);
  for (let i = 0; i < CASES; i++) {
    const text = randomText(random);
    const context = `seed ${SEED} case ${i}`;
    const utf8 = encodeLiteral(parseType('Utf8'), text);
    assertStringRoundTrip(utf8, encoder.encode(text), 'u', context);
    assert.equal(strictDecoder.decode(decodeStringLiteral(utf8).bytes), text, context);
    assertStringRoundTrip(encodeLiteral(parseType('String'), text), encoder.encode(text), '', context);
    assertStringRoundTrip(encodeLiteral(parseType('Yson'), text), encoder.encode(text), 'y', context);
  }
});

test(`${CASES} random JSON documents survive Json literals`, () => {
  const random = prng(SEED + 1);
  for (let i = 0; i < CASES; i++) {
    const json = JSON.stringify({ [randomText(random)]: [randomText(random), i] });
    assertStringRoundTrip(encodeLiteral(parseType('Json'), json), encoder.encode(json), 'j', `seed ${SEED + 1} case ${i}`);
  }
});

test(`${CASES} random byte strings survive String literals`, () => {
  const random = prng(SEED + 2);
  for (let i = 0; i < CASES; i++) {
    const bytes = randomBytes(random);
    assertStringRoundTrip(encodeLiteral(parseType('String'), bytes), bytes, '', `seed ${SEED + 2} case ${i}`);
  }
});

test(`${CASES} random raw @@ strings lex as one token and decode to their content`, () => {
  const random = prng(SEED + 3);
  for (let i = 0; i < CASES; i++) {
    const content = randomText(random);
    const raw = `@@${content.replaceAll('@@', '@@@@')}@@${pick(random, ['', 'u', 'y', 'j'])}`;
    const tokens = tokenize(raw, 'p.yql');
    const context = `seed ${SEED + 3} case ${i}: ${JSON.stringify(raw)}`;
    assert.equal(tokens.length, 1, context);
    assert.deepEqual(decodeStringLiteral(raw).bytes, encoder.encode(content), context);
  }
});

/** The text inside `Name('...')`, decoded. */
function constructorArgument(literal: string, name: string): string {
  const match = new RegExp(`^${name}\\(('.*')\\)$`).exec(literal);
  assert.ok(match, `${literal} is not ${name}('...')`);
  return new TextDecoder().decode(decodeStringLiteral(match[1]!).bytes);
}

test(`${CASES} random intervals and timestamps read back from their literal text`, () => {
  const random = prng(SEED + 4);
  const maxInterval = 4_291_747_199_999_999;
  for (let i = 0; i < CASES; i++) {
    const unit = BigInt(pick(random, [1, 1_000_000, 60_000_000, 86_400_000_000]));
    const micros = (BigInt(Math.floor((random() * 2 - 1) * maxInterval)) / unit) * unit;
    const interval = encodeLiteral(parseType('Interval'), micros);
    assert.equal(parseParamValue(parseType('Interval'), constructorArgument(interval, 'Interval')), micros, `case ${i}: ${interval}`);
    const instant = new Date(Math.floor(random() * 4_291_747_199_999));
    const timestamp = encodeLiteral(parseType('Timestamp'), instant);
    assert.equal(new Date(constructorArgument(timestamp, 'Timestamp')).getTime(), instant.getTime(), `case ${i}: ${timestamp}`);
  }
});

test(`${CASES} random doubles and floats read back as the same number`, () => {
  const random = prng(SEED + 5);
  const bits = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < CASES; i++) {
    bits.setUint32(0, int(random, 2 ** 32));
    bits.setUint32(4, int(random, 2 ** 32));
    const value = bits.getFloat64(0);
    const double = encodeLiteral(parseType('Double'), value);
    if (Number.isFinite(value) && !Object.is(value, -0)) {
      assert.match(double, /^-?\d+(\.\d+)?(e[+-]\d+)?$/, `case ${i}`);
      assert.equal(Number(double), value, `case ${i}: ${double}`);
    }
    const single = bits.getFloat32(0);
    if (Number.isFinite(single) && single !== 0) {
      const float = encodeLiteral(parseType('Float'), single);
      assert.match(float, /^-?\d+(\.\d+)?(e[+-]\d+)?f$/, `case ${i}`);
      assert.equal(Math.fround(Number(float.slice(0, -1))), single, `case ${i}: ${float}`);
    }
  }
});

test(`${CASES} random integers of every type read back from their suffixed literal`, () => {
  const random = prng(SEED + 6);
  const types: [string, bigint, bigint, string][] = [
    ['Int8', -(2n ** 7n), 2n ** 7n, 't'], ['Int16', -(2n ** 15n), 2n ** 15n, 's'], ['Int32', -(2n ** 31n), 2n ** 31n, ''],
    ['Int64', -(2n ** 63n), 2n ** 63n, 'l'], ['Uint8', 0n, 2n ** 8n, 'ut'], ['Uint16', 0n, 2n ** 16n, 'us'],
    ['Uint32', 0n, 2n ** 32n, 'u'], ['Uint64', 0n, 2n ** 64n, 'ul'],
  ];
  for (let i = 0; i < CASES; i++) {
    const [name, min, end, suffix] = pick(random, types);
    const span = end - min;
    const value = random() < 0.1 ? pick(random, [min, end - 1n]) : min + (BigInt(int(random, 2 ** 32)) * 2n ** 32n + BigInt(int(random, 2 ** 32))) % span;
    const literal = encodeLiteral(parseType(name), value);
    const read = value === min && min < 0n ? literal.replace(new RegExp(`^${name}\\('(.*)'\\)$`), '$1') : literal.slice(0, literal.length - suffix.length);
    assert.equal(literal.endsWith(suffix) || literal.startsWith(`${name}(`), true, `case ${i}: ${literal}`);
    assert.equal(BigInt(read), value, `case ${i}: ${name} ${literal}`);
  }
});

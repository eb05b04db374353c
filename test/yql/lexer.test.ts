import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStringLiteral, tokenize, type Token } from '../../lib/yql/lexer.js';

const significant = (text: string): [string, string][] =>
  tokenize(text, 'f.yql')
    .filter((t) => t.kind !== 'ws')
    .map((t) => [t.kind, t.text]);

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** What a MigrateError located in f.yql looks like, for assert.throws. */
const failure = (code: string, line: number, column: number) => ({ name: 'MigrateError', code, kind: 'input', location: { file: 'f.yql', line, column } });

test('tokens concatenate back to the text and carry their offsets', () => {
  const text = "SELECT 'a;b'u, \"c\", @@d@@, `e f`, 12ul, $p; -- note\n/* more */";
  const tokens = tokenize(text, 'f.yql');
  assert.equal(tokens.map((t) => t.text).join(''), text);
  for (const t of tokens) assert.equal(text.slice(t.start, t.end), t.text);
});

test('each kind of token is recognised', () => {
  assert.deepEqual(significant("SELECT 'a;b'u, \"c\"J, @@d@@y, `e f`, $p_1, -- x\n/* y */;"), [
    ['word', 'SELECT'],
    ['string', "'a;b'u"],
    ['punct', ','],
    ['string', '"c"J'],
    ['punct', ','],
    ['string', '@@d@@y'],
    ['punct', ','],
    ['quoted', '`e f`'],
    ['punct', ','],
    ['param', '$p_1'],
    ['punct', ','],
    ['comment', '-- x\n'],
    ['comment', '/* y */'],
    ['punct', ';'],
  ]);
});

test('numbers keep their base prefixes and type suffixes', () => {
  assert.deepEqual(
    significant('1 1u 1ul 7t 8ut 9s 10us 11l 0x1F 0xfful 0o17 0b101u 1.5 1.5f 1e3 2.5E-3 1. 3.0f').map(([, text]) => text),
    ['1', '1u', '1ul', '7t', '8ut', '9s', '10us', '11l', '0x1F', '0xfful', '0o17', '0b101u', '1.5', '1.5f', '1e3', '2.5E-3', '1.', '3.0f'],
  );
  assert.ok(significant('1 2.5e3f 0x1F').every(([kind]) => kind === 'number'));
});

test('a number followed by letters that are no suffix ends before them', () => {
  assert.deepEqual(significant('1e 5as'), [
    ['number', '1'],
    ['word', 'e'],
    ['number', '5'],
    ['word', 'as'],
  ]);
});

test('string suffixes are case-insensitive and only the known ones attach', () => {
  assert.deepEqual(significant("'a'U 'b's 'c'Y 'd'pt 'e'x"), [
    ['string', "'a'U"],
    ['string', "'b's"],
    ['string', "'c'Y"],
    ['string', "'d'pt"],
    ['string', "'e'"],
    ['word', 'x'],
  ]);
});

test('multi-character operators are single tokens, >> is two (it closes nested types)', () => {
  assert.deepEqual(
    significant('a::b -> c || d <> e != f == g <= h >= i << j |<< k <| l |> m >> n').filter(([kind]) => kind === 'punct').map(([, t]) => t),
    ['::', '->', '||', '<>', '!=', '==', '<=', '>=', '<<', '|<<', '<|', '|>', '>', '>'],
  );
});

test('escaped quotes and backslashes do not end a string; a doubled quote is two strings', () => {
  assert.deepEqual(significant("'it\\'s' \"say \\\"hi\\\"\" 'back\\\\' 'it''s'"), [
    ['string', "'it\\'s'"],
    ['string', '"say \\"hi\\""'],
    ['string', "'back\\\\'"],
    ['string', "'it'"],
    ['string', "'s'"],
  ]);
});

test('a string may span lines', () => {
  const [token] = tokenize("'one\ntwo'", 'f.yql');
  assert.equal(token!.kind, 'string');
  assert.equal(token!.text, "'one\ntwo'");
});

test('raw strings: @@@@ is an escaped @@ and one more @ belongs to the content', () => {
  assert.deepEqual(significant('@@a@@@@b@@ @@c@@@ @@@@'), [
    ['string', '@@a@@@@b@@'],
    ['string', '@@c@@@'],
    ['string', '@@@@'],
  ]);
});

test('backtick names: \\` and `` escape a backtick', () => {
  assert.deepEqual(significant('`a\\`b` `c``d` `e;f`'), [
    ['quoted', '`a\\`b`'],
    ['quoted', '`c``d`'],
    ['quoted', '`e;f`'],
  ]);
});

test('comments: -- runs to the line end (CR, LF or CRLF), /* */ ends at the first */', () => {
  assert.deepEqual(significant('a -- x\r\nb --y\rc /* 1 /* 2 */ d */'), [
    ['word', 'a'],
    ['comment', '-- x\r\n'],
    ['word', 'b'],
    ['comment', '--y\r'],
    ['word', 'c'],
    ['comment', '/* 1 /* 2 */'],
    ['word', 'd'],
    ['punct', '*'],
    ['punct', '/'],
  ]);
  assert.deepEqual(significant('x --'), [
    ['word', 'x'],
    ['comment', '--'],
  ]);
});

test('quote characters inside comments and backticks open nothing', () => {
  assert.deepEqual(significant("-- it's\n/* \"q */ `don't` x").map(([kind]) => kind), ['comment', 'comment', 'quoted', 'word']);
});

test('line and column count UTF-16 units and treat CRLF as one break', () => {
  const text = 'a\r\n  bb\n\ncc "x\ny" 😀z\r\n\tq';
  const at = (word: string): Pick<Token, 'line' | 'column'> => {
    const t = tokenize(text, 'f.yql').find((token) => token.text === word)!;
    return { line: t.line, column: t.column };
  };
  assert.deepEqual(at('a'), { line: 1, column: 1 });
  assert.deepEqual(at('bb'), { line: 2, column: 3 });
  assert.deepEqual(at('cc'), { line: 4, column: 1 });
  assert.deepEqual(at('"x\ny"'), { line: 4, column: 4 });
  assert.deepEqual(at('z'), { line: 5, column: 6 });
  assert.deepEqual(at('q'), { line: 6, column: 2 });
});

test('an astral character outside strings is one punct token', () => {
  assert.deepEqual(significant('😀'), [['punct', '😀']]);
});

test('unterminated strings, comments, names and raw strings point at where they start', () => {
  assert.throws(() => tokenize("SELECT 1;\n  'abc", 'f.yql'), failure('YQL_UNTERMINATED', 2, 3));
  assert.throws(() => tokenize('x "a\\"', 'f.yql'), failure('YQL_UNTERMINATED', 1, 3));
  assert.throws(() => tokenize("'a\\'", 'f.yql'), failure('YQL_UNTERMINATED', 1, 1));
  assert.throws(() => tokenize('a\r\n /* never', 'f.yql'), failure('YQL_UNTERMINATED', 2, 2));
  assert.throws(() => tokenize('SELECT `col', 'f.yql'), failure('YQL_UNTERMINATED', 1, 8));
  assert.throws(() => tokenize('SELECT `a``', 'f.yql'), failure('YQL_UNTERMINATED', 1, 8));
  assert.throws(() => tokenize('\n\n$x = @@abc@', 'f.yql'), failure('YQL_UNTERMINATED', 3, 6));
  assert.throws(
    () => tokenize("'abc", 'f.yql'),
    (err: Error) => err.toString() === "f.yql:1:1: unterminated string starts here: close it with ' [YQL_UNTERMINATED]",
  );
});

test('--!ansi_lexer at the top is refused, where it is', () => {
  assert.throws(() => tokenize("\n  --!ansi_lexer\r\nSELECT 'it''s';", 'f.yql'), { ...failure('YQL_ANSI_LEXER', 2, 3), message: /not supported/ });
  assert.throws(() => tokenize('--!syntax_v1\n--!ansi_lexer\nSELECT 1;', 'f.yql'), failure('YQL_ANSI_LEXER', 2, 1));
  assert.throws(() => tokenize('--!syntax_pg\nSELECT 1;', 'f.yql'), failure('YQL_PG_SYNTAX', 1, 1));
});

test('--!ansi_lexer after the leading settings, or as text, is just a comment', () => {
  assert.equal(tokenize('-- a comment\n--!ansi_lexer\nSELECT 1;', 'f.yql')[1]!.text, '--!ansi_lexer\n');
  assert.deepEqual(significant("$s = '\n--!ansi_lexer\n';")[2], ['string', "'\n--!ansi_lexer\n'"]);
  assert.equal(tokenize('--!syntax_v1\nSELECT 1;', 'f.yql')[0]!.kind, 'comment');
});

test('decodeStringLiteral handles every escape YDB knows', () => {
  const decoded = decodeStringLiteral("'\\t\\n\\r\\b\\f\\a\\v\\\\\\'\\\"\\?\\q\\101\\x4a\\x4A\\u00e9\\U0001F600'");
  assert.deepEqual(decoded.bytes, bytesOf('\t\n\r\b\f\x07\v\\\'"?qAJJé😀'));
  assert.equal(decoded.suffix, '');
  assert.deepEqual(decodeStringLiteral("'\\000\\377\\xff'").bytes, Uint8Array.from([0, 255, 255]));
  assert.deepEqual(decodeStringLiteral("'\\4\\8'").bytes, bytesOf('48'));
  assert.deepEqual(decodeStringLiteral("'caf\\é'").bytes, bytesOf('café'));
  assert.deepEqual(decodeStringLiteral("'multi\nline'").bytes, bytesOf('multi\nline'));
});

test('decodeStringLiteral: suffixes, raw strings and quotes of either kind', () => {
  assert.deepEqual(decodeStringLiteral("'x'U"), { bytes: bytesOf('x'), suffix: 'u' });
  assert.deepEqual(decodeStringLiteral('"x"j'), { bytes: bytesOf('x'), suffix: 'j' });
  assert.deepEqual(decodeStringLiteral("'x'y"), { bytes: bytesOf('x'), suffix: 'y' });
  assert.deepEqual(decodeStringLiteral("'x's"), { bytes: bytesOf('x'), suffix: '' });
  assert.deepEqual(decodeStringLiteral('@@a\\n@@@@b@@'), { bytes: bytesOf('a\\n@@b'), suffix: '' });
  assert.deepEqual(decodeStringLiteral('@@c@@@u'), { bytes: bytesOf('c@'), suffix: 'u' });
  assert.deepEqual(decodeStringLiteral('@@@@'), { bytes: bytesOf(''), suffix: '' });
});

test('decodeStringLiteral refuses malformed escapes the way YDB does', () => {
  for (const bad of ["'\\0'", "'\\01'", "'\\09x'", "'\\x4'", "'\\xg0'", "'\\u12'", "'\\uD800'", "'\\U00110000'", "'\\U0000zz00'"]) {
    assert.throws(() => decodeStringLiteral(bad), { code: 'YQL_BAD_STRING' });
  }
});

test('decodeStringLiteral refuses invalid UTF-8 in a Utf8 literal, not in a String one', () => {
  assert.throws(() => decodeStringLiteral("'\\xff'u"), { code: 'YQL_BAD_STRING' });
  assert.deepEqual(decodeStringLiteral("'\\xff'").bytes, Uint8Array.from([255]));
});

test('decodeStringLiteral refuses PostgreSQL suffixes and what is not a string token', () => {
  assert.throws(() => decodeStringLiteral("'x'pt"), { code: 'YQL_BAD_STRING', message: /PostgreSQL/ });
  assert.throws(() => decodeStringLiteral('x'), { code: 'YQL_BAD_STRING' });
  assert.throws(() => decodeStringLiteral("'open"), { code: 'YQL_BAD_STRING' });
  assert.throws(() => decodeStringLiteral("'a'zz"), { code: 'YQL_BAD_STRING' });
});

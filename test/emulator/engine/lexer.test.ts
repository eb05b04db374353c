import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const text = (t: Token): string => Buffer.from(t.bytes!).toString('utf8');
const kinds = (src: string): string[] => tokenize(src).map((t) => `${t.kind}:${t.kind === 'string' ? text(t) : t.value}`);

describe('YQL lexer', () => {
  it('decodes C-style escapes in both quote styles and keeps raw bytes', () => {
    const [a, b, c] = tokenize(String.raw`'it\'s\n' "say \"hi\"\t" '\x41\u00e9\\'`);
    assert.equal(text(a!), "it's\n");
    assert.equal(text(b!), 'say "hi"\t');
    assert.equal(text(c!), 'Aé\\');
    assert.deepEqual([...tokenize(String.raw`'\xff'`)[0]!.bytes!], [0xff]);
  });

  it('does not treat a doubled quote as an escape: two string tokens', () => {
    assert.deepEqual(kinds("'it''s'"), ['string:it', 'string:s', 'eof:']);
  });

  it('reads literal suffixes u, j, y, s case-insensitively', () => {
    const tokens = tokenize(`'a'u "b"U '{}'j 'c'y 'd's 'e'`);
    assert.deepEqual(tokens.slice(0, 6).map((t) => t.suffix), ['u', 'u', 'j', 'y', 's', '']);
  });

  it('takes one @ after the closing @@ into the raw string, as YQL does (an odd run of @)', () => {
    assert.equal(text(tokenize('@@a@@@')[0]!), 'a@');
    assert.equal(text(tokenize('@@a@@@u')[0]!), 'a@');
  });

  it('reads @@raw@@ strings across lines with @@@@ standing for @@', () => {
    const [t] = tokenize('@@line1\nit\'s "x" @@@@ end@@u');
    assert.equal(text(t!), 'line1\nit\'s "x" @@ end');
    assert.equal(t!.suffix, 'u');
  });

  it('reads backticked identifiers with paths and escaped backticks', () => {
    assert.deepEqual(kinds('`dir/my table` `a\\`b`'), ['quoted:dir/my table', 'quoted:a`b', 'eof:']);
  });

  it('skips -- and /* */ comments, including quotes inside them', () => {
    assert.deepEqual(kinds("SELECT -- it's\n 1 /* 'x' \n */ ;"), ['ident:SELECT', 'number:1', 'op:;', 'eof:']);
  });

  it('reads $parameters and integer / float suffixes', () => {
    const tokens = tokenize('$p 1 2u 3ul 4ut 5t 6s 7us 8l 1.5 2.5f 1e3 0xFF');
    assert.deepEqual(tokens.slice(0, 13).map((t) => `${t.kind}:${t.value}:${t.suffix ?? ''}:${t.isFloat ?? ''}`), [
      'param:p::', 'number:1::false', 'number:2:u:false', 'number:3:ul:false', 'number:4:ut:false', 'number:5:t:false',
      'number:6:s:false', 'number:7:us:false', 'number:8:l:false', 'number:1.5::true', 'number:2.5:f:true', 'number:1e3::true',
      'number:0xFF::false',
    ]);
  });

  it('reports 1-based rows and columns', () => {
    const tokens = tokenize('SELECT\n  `x`, $y;');
    assert.deepEqual(tokens.map((t) => t.pos), [
      { row: 1, column: 1 }, { row: 2, column: 3 }, { row: 2, column: 6 }, { row: 2, column: 8 }, { row: 2, column: 10 }, { row: 2, column: 11 },
    ]);
  });

  it('counts columns in code points (antlr4) or UTF-8 bytes (antlr3), never UTF-16 units, line after line', () => {
    const src = "SELECT 'ё🎄', `й` AS x;\n'🎄' x";
    const columns = (unit: 'codepoints' | 'bytes'): string[] => tokenize(src, unit).map((t) => `${t.pos.row}:${t.pos.column}`);
    assert.deepEqual(columns('codepoints'), ['1:1', '1:8', '1:12', '1:14', '1:18', '1:21', '1:22', '2:1', '2:5', '2:6']);
    assert.deepEqual(columns('bytes'), ['1:1', '1:8', '1:16', '1:18', '1:23', '1:26', '1:27', '2:1', '2:8', '2:9']);
  });

  for (const [src, pos] of [
    ["SELECT 'abc", { row: 1, column: 8 }],
    ['SELECT\n /* open', { row: 2, column: 2 }],
    ['SELECT @@x', { row: 1, column: 8 }],
    ['SELECT 1 # 2', { row: 1, column: 10 }],
    ["SELECT '\\q'", { row: 1, column: 9 }],
  ] as const) {
    it(`refuses ${JSON.stringify(src)} with a GENERIC_ERROR at ${pos.row}:${pos.column}`, () => {
      assert.throws(() => tokenize(src), (e: unknown) => e instanceof EngineError && e.status === 'GENERIC_ERROR' && e.issues[0]!.position!.row === pos.row && e.issues[0]!.position!.column === pos.column);
    });
  }

  it('refuses the ANSI lexer instead of lexing with the wrong rules', () => {
    assert.throws(() => tokenize("--!ansi_lexer\nSELECT 'it''s'"), /ANSI lexer.*not supported by the ydb-migrate test emulator/);
  });
});

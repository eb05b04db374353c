import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statementChange } from '../../lib/yql/same-statements.js';

const APPLIED = 'CREATE TABLE t (\n    id Uint64 NOT NULL,\n    PRIMARY KEY (id)\n);\nALTER TABLE t ADD COLUMN v Utf8;\n';

const change = (current: string, applied = APPLIED) => statementChange({ text: applied, file: 'history' }, { text: current, file: 'new.yql' });

test('comments and whitespace are not a change', () => {
  assert.equal(change(APPLIED), null);
  assert.equal(change('-- the table of things\nCREATE  TABLE t(id Uint64 NOT NULL, /* key */ PRIMARY KEY (id));\n\n\nALTER TABLE t\n  ADD COLUMN v Utf8; -- its value\n'), null);
  assert.equal(change('CREATE TABLE t (\r\n\tid Uint64 NOT NULL,\r\n\tPRIMARY KEY (id)\r\n);\r\nALTER TABLE t ADD COLUMN v Utf8;'), null, 'line endings and tabs');
  assert.equal(change('', '-- nothing\n'), null, 'a text of comments only and an empty one hold the same (no) statements');
});

test('a changed token is located in the current text, with the statement that holds it', () => {
  assert.deepEqual(change(APPLIED.replace('v Utf8', 'v String')), {
    statement: 2,
    at: { file: 'new.yql', line: 5, column: 28 },
    was: 'Utf8',
    now: 'String',
  });
  assert.deepEqual(change(`-- header\n${APPLIED.replace('Uint64', 'Int64')}`)?.at, { file: 'new.yql', line: 3, column: 8 });
  assert.equal(change(APPLIED.replace('CREATE TABLE t', 'create table t'))?.now, 'create', 'letter case counts: the lexer cannot tell a keyword from a case-sensitive name');
  assert.deepEqual(change(APPLIED.replace("v Utf8", "v Utf8 DEFAULT 'a'"))?.now, 'DEFAULT');
  assert.equal(change(APPLIED.replace('Utf8', "Utf8; UPSERT INTO t (id) VALUES (1)"))?.statement, 3, 'a statement added after the last one');
});

test('a text that stops short or runs on is a change located at where the two part', () => {
  const short = 'CREATE TABLE t (\n    id Uint64 NOT NULL,\n    PRIMARY KEY (id)\n);\n-- the ALTER is gone\n';
  assert.deepEqual(change(short), { statement: 2, at: { file: 'new.yql', line: 6, column: 1 }, was: 'ALTER', now: null });
  assert.deepEqual(change(`${APPLIED}DROP TABLE u;\n`), { statement: 3, at: { file: 'new.yql', line: 6, column: 1 }, was: null, now: 'DROP' });
});

test('a string literal is compared whole: a "comment" inside it is part of the statement', () => {
  const applied = "UPSERT INTO t (id, v) VALUES (1, 'a -- b');\n";
  assert.equal(change("UPSERT INTO t (id, v)\nVALUES (1, 'a -- b'); -- a real comment\n", applied), null);
  assert.deepEqual(change("UPSERT INTO t (id, v) VALUES (1, 'a -- c');\n", applied)?.now, "'a -- c'");
});

test('an SQL hint (a comment starting with +) is part of the statement', () => {
  const applied = 'SELECT * FROM a /*+ merge() */ JOIN b USING (id);\n';
  assert.equal(change('SELECT *\nFROM a /*+ merge() */ JOIN b USING (id); -- ok\n', applied), null);
  assert.equal(change('SELECT * FROM a /*+ grace() */ JOIN b USING (id);\n', applied)?.now, '/*+ grace() */');
  assert.equal(change('SELECT * FROM a JOIN b USING (id);\n', applied)?.was, '/*+ merge() */');
  assert.equal(change('--+ foo(1)\nSELECT 1;\n', 'SELECT 1;\n')?.now, '--+ foo(1)\n');
});

test('a text that does not lex is an input error located in its file, not a crash', () => {
  for (const [current, line, column] of [
    ["CREATE TABLE t (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO t (id, v) VALUES (1, 'oops);\n", 2, 34],
    ['CREATE TABLE t (id Uint64);\n/* never closed\n', 2, 1],
    ['SELECT `unclosed FROM t;\n', 1, 8],
  ] as const) {
    assert.throws(() => change(current), { name: 'MigrateError', code: 'YQL_UNTERMINATED', kind: 'input', location: { file: 'new.yql', line, column } });
  }
  assert.throws(() => change(APPLIED, "SELECT 'x;\n"), { code: 'YQL_UNTERMINATED', location: { file: 'history', line: 1, column: 8 } }, 'the stored text is named too');
});

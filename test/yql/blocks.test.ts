import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements, toBlocks } from '../../lib/yql/blocks.js';

const texts = (sql: string) => splitStatements(sql, 'f.yql').map((s) => s.text);
const kinds = (sql: string) => toBlocks(sql, 'f.yql').blocks.map((b) => [b.kind, b.statements.map((s) => s.keyword || s.role)]);
const failure = (code: string, line: number, column: number) => ({ name: 'MigrateError', code, kind: 'input', location: { file: 'f.yql', line, column } });

test('semicolons inside strings, names, raw strings and comments do not split', () => {
  const sql = [
    "SELECT 'a;b', \"c;d\", `e;f`, @@g;\nh@@, 'it\\'s;' FROM t; -- x; y",
    '/* ; */ SELECT 2 /* ; */;',
  ].join('\n');
  assert.deepEqual(texts(sql), ["SELECT 'a;b', \"c;d\", `e;f`, @@g;\nh@@, 'it\\'s;' FROM t;", 'SELECT 2 /* ; */;']);
});

test('a lambda body keeps its semicolons', () => {
  assert.deepEqual(texts('$f = ($x) -> { $y = $x + 1; RETURN $y; };\nSELECT $f(1);'), [
    '$f = ($x) -> { $y = $x + 1; RETURN $y; };',
    'SELECT $f(1);',
  ]);
});

test('the last statement may lack a semicolon; empty statements and comments-only text vanish', () => {
  assert.deepEqual(texts(';; SELECT 1;;\n;SELECT 2 -- tail\n'), ['SELECT 1;', 'SELECT 2']);
  assert.deepEqual(splitStatements('-- only\n/* comments */\n', 'f.yql'), []);
  assert.deepEqual(toBlocks('-- only\n/* comments */ ;\n', 'f.yql').blocks, []);
  assert.deepEqual(splitStatements('', 'f.yql'), []);
});

test('statements know their offsets, line and column in a CRLF file', () => {
  const sql = '-- head\r\nCREATE TABLE t (id Int32, PRIMARY KEY (id));\r\n\r\n  UPSERT INTO t (id)\r\n  VALUES (1);';
  const [create, upsert] = splitStatements(sql, 'f.yql');
  assert.deepEqual([create!.line, create!.column, upsert!.line, upsert!.column], [2, 1, 4, 3]);
  assert.equal(sql.slice(upsert!.start, upsert!.end), upsert!.text);
  assert.equal(upsert!.text, 'UPSERT INTO t (id)\r\n  VALUES (1);');
});

test('statements are classified by their first word', () => {
  const sql = [
    'create table t (id Int32, primary key (id));',
    'ALTER TABLE t ADD COLUMN v Utf8;',
    'DROP TABLE t;',
    "GRANT SELECT ON t TO alice;",
    'REVOKE SELECT ON t FROM alice;',
    'ANALYZE t;',
    'TRUNCATE TABLE t;',
    'UPSERT OBJECT s (TYPE SECRET) WITH value = "x";',
    'upsert INTO t (id) VALUES (1);',
    'INSERT INTO t (id) VALUES (2);',
    'REPLACE INTO t (id) VALUES (3);',
    'UPDATE t SET v = "a" WHERE id = 1;',
    'DELETE FROM t WHERE id = 1;',
    'SELECT 1;',
    'VALUES (1);',
    'FROM t SELECT *;',
    '(SELECT 1);',
    'PRAGMA TablePathPrefix = "/a";',
    'DECLARE $p AS Int32;',
    '$x = 1;',
    'COMMIT;',
  ].join('\n');
  assert.deepEqual(
    splitStatements(sql, 'f.yql').map((s) => [s.keyword, s.role]),
    [
      ['CREATE', 'ddl'], ['ALTER', 'ddl'], ['DROP', 'ddl'], ['GRANT', 'ddl'], ['REVOKE', 'ddl'], ['ANALYZE', 'ddl'], ['TRUNCATE', 'ddl'],
      ['UPSERT', 'ddl'], ['UPSERT', 'dml'], ['INSERT', 'dml'], ['REPLACE', 'dml'], ['UPDATE', 'dml'], ['DELETE', 'dml'], ['SELECT', 'dml'],
      ['VALUES', 'dml'], ['FROM', 'dml'], ['', 'dml'], ['PRAGMA', 'pragma'], ['DECLARE', 'declare'], ['', 'expr'], ['COMMIT', 'commit'],
    ],
  );
});

test('an unknown first word is an error at the statement, listing what is supported', () => {
  assert.throws(() => splitStatements('SELECT 1;\n  FROBNICATE x;', 'f.yql'), {
    ...failure('YQL_UNKNOWN_STATEMENT', 2, 3),
    message: /"FROBNICATE".*supported are CREATE.*UPSERT.*PRAGMA/,
  });
  assert.throws(() => splitStatements("'text';", 'f.yql'), failure('YQL_UNKNOWN_STATEMENT', 1, 1));
  assert.throws(() => splitStatements('\uFEFFSELECT 1;', 'f.yql'), { code: 'YQL_UNKNOWN_STATEMENT', message: /"\\ufeff"/ });
});

test('statements YDB knows but ydb-migrate cannot run say why', () => {
  assert.throws(() => splitStatements('BATCH UPDATE t SET v = 1;', 'f.yql'), { code: 'YQL_UNKNOWN_STATEMENT', message: /one transaction/ });
  assert.throws(() => splitStatements('ROLLBACK;', 'f.yql'), { code: 'YQL_UNKNOWN_STATEMENT', message: /controls transactions/ });
  assert.throws(() => splitStatements('DEFINE ACTION $a() AS\n  SELECT 1;\nEND DEFINE;', 'f.yql'), {
    ...failure('YQL_UNKNOWN_STATEMENT', 1, 1),
    message: /statements of its own/,
  });
  assert.throws(() => splitStatements('EVALUATE FOR $i IN [1] DO BEGIN SELECT $i; END DO;', 'f.yql'), { message: /statements of its own/ });
});

test('DECLARE gives the name and the type as written', () => {
  const [first, second] = splitStatements('DECLARE $id AS Uint64;\n  declare $amount as Optional< Decimal(22, 9) > ;', 'f.yql');
  assert.deepEqual(first!.declaration, { name: 'id', typeText: 'Uint64', line: 1, column: 1 });
  assert.deepEqual(second!.declaration, { name: 'amount', typeText: 'Optional< Decimal(22, 9) >', line: 2, column: 3 });
  assert.deepEqual(first!.params, []);
});

test('a malformed DECLARE is an error where it goes wrong', () => {
  assert.throws(() => splitStatements('DECLARE id AS Int32;', 'f.yql'), { ...failure('YQL_BAD_DECLARE', 1, 9), message: /expected a \$name/ });
  assert.throws(() => splitStatements('DECLARE $id Int32;', 'f.yql'), { ...failure('YQL_BAD_DECLARE', 1, 13), message: /expected AS/ });
  assert.throws(() => splitStatements('\nDECLARE $id AS ;', 'f.yql'), { ...failure('YQL_BAD_DECLARE', 2, 13), message: /expected a type/ });
  assert.throws(() => splitStatements('DECLARE;', 'f.yql'), failure('YQL_BAD_DECLARE', 1, 1));
  assert.throws(() => splitStatements('DECLARE $id AS Int32 = 5;', 'f.yql'), { ...failure('YQL_BAD_DECLARE', 1, 22), message: /default value/ });
});

test('a name declared twice is an error at the second DECLARE', () => {
  assert.throws(() => toBlocks('DECLARE $a AS Int32;\nSELECT $a;\nDECLARE $a AS Utf8;\nSELECT $a;', 'f.yql'), {
    ...failure('YQL_DUPLICATE_DECLARE', 3, 1),
    message: /first at line 1/,
  });
});

test('params: read names, unique and in order, not the ones defined', () => {
  const statements = splitStatements("$a, $b = ($x, $y);\nSELECT $b, $a, $b, '$notparam', `$nor` FROM t WHERE k = $k;", 'f.yql');
  assert.deepEqual(statements.map((s) => s.params), [['x', 'y'], ['b', 'a', 'k']]);
});

test('consecutive statements of one kind form one block', () => {
  assert.deepEqual(kinds('CREATE TABLE a (id Int32, PRIMARY KEY (id)); CREATE TABLE b (id Int32, PRIMARY KEY (id)); UPSERT INTO a (id) VALUES (1); INSERT INTO b (id) VALUES (1); DROP TABLE a;'), [
    ['ddl', ['CREATE', 'CREATE']],
    ['dml', ['UPSERT', 'INSERT']],
    ['ddl', ['DROP']],
  ]);
});

test('COMMIT ends a block even between statements of one kind, and is in no block', () => {
  const { statements, blocks } = toBlocks('UPSERT INTO a (id) VALUES (1);\nCOMMIT;\nUPSERT INTO a (id) VALUES (2);\ncommit;\ncommit;', 'f.yql');
  assert.deepEqual(blocks.map((b) => [b.kind, b.text]), [
    ['dml', 'UPSERT INTO a (id) VALUES (1);'],
    ['dml', 'UPSERT INTO a (id) VALUES (2);'],
  ]);
  assert.equal(statements.filter((s) => s.role === 'commit').length, 3);
});

test('PRAGMA, DECLARE and named expressions join the next DDL/DML block, trailing ones the last', () => {
  const sql = [
    'CREATE TABLE t (id Int32, v Utf8, PRIMARY KEY (id));',
    'PRAGMA AnsiInForEmptyOrNullableItemsCollections;',
    'DECLARE $v AS Utf8;',
    '$row = AsStruct(1 AS id, $v AS v);',
    'UPSERT INTO t SELECT * FROM AS_TABLE([$row]);',
    '$after = 1;',
  ].join('\n');
  assert.deepEqual(kinds(sql), [
    ['ddl', ['CREATE']],
    ['dml', ['PRAGMA', 'DECLARE', 'expr', 'UPSERT', 'expr']],
  ]);
});

test('preludes before a COMMIT stay on its side, so no block text holds COMMIT', () => {
  const sql = 'UPSERT INTO t (id) VALUES (1);\n$x = 1;\nCOMMIT;\nPRAGMA a;\nCOMMIT;\nUPSERT INTO t (id) VALUES (2);\nCOMMIT;\n$y = 2;';
  const { blocks } = toBlocks(sql, 'f.yql');
  assert.deepEqual(blocks.map((b) => b.statements.map((s) => s.keyword || s.role)), [['UPSERT', 'expr'], ['UPSERT']]);
  for (const block of blocks) assert.doesNotMatch(block.text, /COMMIT/);
});

test('a block is a contiguous slice that maps YDB positions back to the file', () => {
  const sql = 'CREATE TABLE a (id Int32, PRIMARY KEY (id));\n  -- data\n  UPSERT INTO a (id)\n    VALUES (1);  /* c */ INSERT INTO a (id) VALUES (oops);';
  const { blocks } = toBlocks(sql, 'f.yql');
  const dml = blocks[1]!;
  assert.equal(dml.text, sql.slice(dml.start, dml.end));
  assert.equal(dml.text, 'UPSERT INTO a (id)\n    VALUES (1);  /* c */ INSERT INTO a (id) VALUES (oops);');
  assert.deepEqual([dml.line, dml.column], [3, 3]);
  // YDB reports `oops` at row 2, column 48 of the block text.
  const row: number = 2;
  const column = dml.text.split('\n')[1]!.indexOf('oops') + 1;
  const fileLine = dml.line + row - 1;
  const fileColumn = row === 1 ? dml.column + column - 1 : column;
  assert.equal(sql.split('\n')[fileLine - 1]!.slice(fileColumn - 1, fileColumn + 3), 'oops');
});

test('block params are the declared names the block reads, declared anywhere in the file', () => {
  const sql = [
    'UPSERT INTO t (id, v) VALUES ($id, $local);',
    'COMMIT;',
    '$local = 5;',
    'DELETE FROM t WHERE id = $other AND v = $local AND w = $id;',
    'DECLARE $id AS Int32;',
    'DECLARE $other AS Int32;',
  ].join('\n');
  const { blocks, declarations } = toBlocks(sql, 'f.yql');
  assert.deepEqual(blocks.map((b) => b.params), [['id'], ['other', 'id']]);
  assert.deepEqual(declarations.map((d) => [d.name, d.typeText, d.line]), [['id', 'Int32', 5], ['other', 'Int32', 6]]);
});

test('errors from the lexer surface through the splitter with their location', () => {
  assert.throws(() => toBlocks('SELECT 1;\nSELECT "oops;', 'f.yql'), failure('YQL_UNTERMINATED', 2, 8));
  assert.throws(() => toBlocks('--!ansi_lexer\nSELECT 1;', 'f.yql'), failure('YQL_ANSI_LEXER', 1, 1));
});

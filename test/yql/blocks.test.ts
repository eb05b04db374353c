import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockPosition, splitStatements, toBlocks } from '../../lib/yql/blocks.js';

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

test('statements YDB knows but ydb-migrate cannot run each say why and what to do instead', () => {
  const refusal = (sql: string, message: RegExp) => assert.throws(() => splitStatements(sql, 'f.yql'), { ...failure('YQL_UNKNOWN_STATEMENT', 1, 1), message });
  refusal('ROLLBACK;', /controls transactions/);
  refusal('USE plato;', /runs in the database it is sent to.*TablePathPrefix/);
  refusal('SHOW CREATE TABLE t;', /only prints a definition.*by hand/);
  refusal('IMPORT lib SYMBOLS $f;', /library file.*define them in the migration/);
  refusal('EXPORT $f;', /library file.*remove it/);
  refusal('DEFINE ACTION $a() AS\n  SELECT 1;\nEND DEFINE;', /DEFINE ACTION\/SUBQUERY.*write the statements out/);
  refusal('EVALUATE FOR $i IN [1] DO BEGIN SELECT $i; END DO;', /EVALUATE IF\/FOR.*write the statements out/);
  refusal('DO BEGIN SELECT 1; END DO;', /DO runs an action.*write the statements out/);
  refusal('BATCH t;', /not one ydb-migrate can run/);
});

test('DO BEGIN ... END DO and DEFINE ... END DEFINE are one statement, whatever their semicolons', () => {
  const sql = [
    'CREATE STREAMING QUERY q AS DO BEGIN',
    '  $n = SELECT 1;',
    '  INSERT INTO sink SELECT * FROM source; END DO;',
    'alter streaming query q set (run = true) as do begin insert into s select 1; end do;',
    'SELECT CASE WHEN 1 THEN 2 END;',
  ].join('\n');
  const statements = splitStatements(sql, 'f.yql');
  assert.deepEqual(statements.map((s) => [s.keyword, s.role, s.line]), [['CREATE', 'ddl', 1], ['ALTER', 'ddl', 4], ['SELECT', 'dml', 5]]);
  assert.throws(() => splitStatements('DEFINE SUBQUERY $q() AS SELECT 1; END DEFINE;\nFROBNICATE;', 'f.yql'), failure('YQL_UNKNOWN_STATEMENT', 1, 1));
});

test('BATCH UPDATE/DELETE and CREATE TABLE ... AS SELECT are recognized, for they must run alone', () => {
  const [batch, ctas, plain, view] = splitStatements(
    'BATCH UPDATE t SET v = 1;\nCREATE TABLE c (PRIMARY KEY (id)) AS SELECT * FROM t;\nCREATE TABLE d (id Int32, v Int32 DEFAULT CAST(1 AS Int32), PRIMARY KEY (id));\nCREATE VIEW w WITH (security_invoker = TRUE) AS SELECT 1;',
    'f.yql',
  );
  assert.deepEqual([batch!.role, ctas!.createsFromSelect, plain!.createsFromSelect, view!.createsFromSelect], ['batch', true, false, false]);
});

test('a DECLARE type may hold comments: they are left out of its type', () => {
  const [declare] = splitStatements('DECLARE $d AS Decimal(22, /* scale */ 9) -- money\n;', 'f.yql');
  assert.equal(declare!.declaration!.typeText, 'Decimal(22,  9)');
});

test('a migration may not define the names ydb-migrate gives its own parameters', () => {
  assert.throws(() => splitStatements('SELECT 1;\n$ydb_migrate_1 = 2;', 'f.yql'), { ...failure('YQL_RESERVED_NAME', 2, 1), message: /rename it/ });
  // Declared too: `up --param ydb_migrate_1=...` would meet the runner's own values, and online and offline would disagree.
  assert.throws(() => splitStatements('SELECT 1;\n  DECLARE $ydb_migrate_1 AS Utf8;\nSELECT $ydb_migrate_1;', 'f.yql'), {
    ...failure('YQL_RESERVED_NAME', 2, 3),
    message: /^\$ydb_migrate_1 is a name ydb-migrate gives its own parameters; rename it so it does not start with \$ydb_migrate_$/,
  });
});

test("an unclosed '{' is refused at the brace, not allowed to swallow the rest of the file", () => {
  const text = '$f = ($x) -> { RETURN $x;\nCREATE TABLE t (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO t (id) VALUES ($f(1));\n';
  assert.throws(() => splitStatements(text, 'f.yql'), { ...failure('YQL_UNCLOSED_BRACE', 1, 14), message: /this '\{' is never closed, so everything after it up to the end of the file is taken as one statement/ });
  assert.equal(splitStatements(text.replace('RETURN $x;', 'RETURN $x; };'), 'f.yql').length, 3);
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

test('the parameters of a lambda are not names the statement reads', () => {
  const [lambda] = splitStatements('$f = ($x, $y?) -> { RETURN $x + $y + $z; };', 'f.yql');
  assert.deepEqual(lambda!.params, ['z']);
  assert.deepEqual(lambda!.defines, ['f']);
});

test('each DDL statement is a block of its own; consecutive DML statements form one', () => {
  assert.deepEqual(
    kinds('CREATE TABLE a (id Int32, PRIMARY KEY (id)); ALTER TABLE a ADD COLUMN v Utf8; UPSERT INTO a (id) VALUES (1); INSERT INTO b (id) VALUES (1); BATCH DELETE FROM a WHERE id > 5; DELETE FROM a; DROP TABLE a;'),
    [
      ['ddl', ['CREATE']],
      ['ddl', ['ALTER']],
      ['dml', ['UPSERT', 'INSERT']],
      ['batch', ['BATCH']],
      ['dml', ['DELETE']],
      ['ddl', ['DROP']],
    ],
  );
});

test('COMMIT ends a block even between statements of one kind, and is in no block', () => {
  const { statements, blocks } = toBlocks('UPSERT INTO a (id) VALUES (1);\nCOMMIT;\nUPSERT INTO a (id) VALUES (2);\ncommit;\ncommit;', 'f.yql');
  assert.deepEqual(blocks.map((b) => [b.kind, b.text]), [
    ['dml', 'UPSERT INTO a (id) VALUES (1);'],
    ['dml', 'UPSERT INTO a (id) VALUES (2);'],
  ]);
  assert.equal(statements.filter((s) => s.role === 'commit').length, 3);
});

test('each block carries every PRAGMA before it and the named expressions it reads, transitively, not the rest', () => {
  const sql = [
    'PRAGMA TablePathPrefix("/local/app");',
    '$unused = 0;',
    '$base = 1;',
    '$row = AsStruct($base AS id, $v AS v);',
    'DECLARE $v AS Utf8;',
    'CREATE TABLE t (id Int32, v Utf8, PRIMARY KEY (id));',
    'UPSERT INTO t SELECT * FROM AS_TABLE([$row]);',
    '$after = 1;',
    'UPSERT INTO t (id) VALUES ($after);',
  ].join('\n');
  const { blocks } = toBlocks(sql, 'f.yql');
  assert.deepEqual(kinds(sql), [['ddl', ['CREATE']], ['dml', ['UPSERT', 'expr', 'UPSERT']]]);
  assert.deepEqual(blocks.map((b) => b.context.map((s) => s.line)), [[1], [1, 3, 4]]);
  assert.equal(blocks[1]!.text, [1, 3, 4, 7, 8, 9].map((line) => sql.split('\n')[line - 1]).join('\n'));
  assert.deepEqual(blocks.map((b) => b.params), [[], ['v']]);
});

test('a name the block defines itself before reading it is not carried; the last definition before the block is', () => {
  const sql = '$x = 1;\n$x = 2;\nCREATE TABLE t (id Int32, PRIMARY KEY (id));\n$y = 3;\nSELECT $x;\n$y = 4;\nSELECT $y;';
  assert.deepEqual(toBlocks(sql, 'f.yql').blocks.map((b) => b.context.map((s) => s.line)), [[], [2]]);
});

test('no block text holds COMMIT, and a PRAGMA after the last statement goes nowhere', () => {
  const sql = 'UPSERT INTO t (id) VALUES (1);\n$x = 1;\nCOMMIT;\nPRAGMA a;\nCOMMIT;\nUPSERT INTO t (id) VALUES (2);\nCOMMIT;\nPRAGMA b;';
  const { blocks } = toBlocks(sql, 'f.yql');
  assert.deepEqual(blocks.map((b) => [...b.context, ...b.statements].map((s) => s.keyword || s.role)), [['UPSERT'], ['PRAGMA', 'UPSERT']]);
  for (const block of blocks) assert.doesNotMatch(block.text, /COMMIT|PRAGMA b/);
});

test('a block maps YDB positions back to the file, through its carried context too', () => {
  const sql = 'PRAGMA TablePathPrefix("/a");  $v = 1 +\n  2;\nCREATE TABLE a (id Int32, PRIMARY KEY (id));\n  -- data\n  UPSERT INTO a (id)\n    VALUES ($v);  /* c */ INSERT INTO a (id) VALUES (oops);';
  const { blocks } = toBlocks(sql, 'f.yql');
  const dml = blocks[1]!;
  assert.equal(dml.text, 'PRAGMA TablePathPrefix("/a");\n$v = 1 +\n  2;\nUPSERT INTO a (id)\n    VALUES ($v);  /* c */ INSERT INTO a (id) VALUES (oops);');
  assert.deepEqual([dml.line, dml.column], [5, 3]);
  const at = (needle: string) => {
    const rows = dml.text.split('\n');
    const row = rows.findIndex((r) => r.includes(needle)) + 1;
    const position = blockPosition(dml, row, rows[row - 1]!.indexOf(needle) + 1)!;
    return sql.split('\n')[position.line - 1]!.slice(position.column - 1, position.column - 1 + needle.length);
  };
  for (const needle of ['oops', 'UPSERT', '$v = 1', '2;', 'TablePathPrefix']) assert.equal(at(needle), needle);
  assert.equal(blockPosition(dml, 0, 1), null);
  assert.equal(blockPosition(dml, 6, 1), null);
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

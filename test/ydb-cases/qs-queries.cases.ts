/**
 * Cases from ydb/core/kqp/ut/service/kqp_qs_queries_ut.cpp (suite KqpQueryService):
 * DDL and DML through the Query service, with and without a transaction.
 * Tests that need EnablePerStatementQueryExecution (off in released servers)
 * for DDL and DML in one query are left out.
 */
import { CaseFile, OK, refused } from './draft.js';

const f = new CaseFile('ydb/core/kqp/ut/service/kqp_qs_queries_ut.cpp', 'kqp_qs_queries_ut');
const inTx = { service: 'dml' as const, lint: { skip: 'whether a transaction is opened is the caller\'s choice, not in the text' } };
const KV = 'CREATE TABLE KeyValue (Key Uint64, Value String, PRIMARY KEY (Key));';
const ddl4 = 'CREATE TABLE TestDdl4 (Key Uint64, Value Uint64, PRIMARY KEY (Key));';
// ydb-migrate cuts a file into requests (lib/yql/blocks.ts): each DDL statement alone, DML runs together, COMMIT as a cut.
const splitByTool = { skip: 'ydb-migrate sends each DDL statement as its own request and cuts at COMMIT, so this one-request refusal cannot happen through the tool' };
const valueSkip = { skip: 'names and value types inside DML expressions, which lint does not read' };

f.add('DdlTx', 'CREATE TABLE TestDdl (Key Uint64, Value String, PRIMARY KEY (Key));', refused('PRECONDITION_FAILED'), inTx);
f.add('DdlMixedDml', 'CREATE TABLE TestDdl (Key Uint64, Value String, PRIMARY KEY (Key));\n\nUPSERT INTO TestDdl (Key, Value) VALUES (1, "One");', refused('GENERIC_ERROR', undefined, 2009), { lint: splitByTool });
f.add('DdlWithExplicitTransaction', 'CREATE TABLE TestDdlDml1 (Key Uint64, PRIMARY KEY (Key));', refused('PRECONDITION_FAILED', 'Scheme operations cannot be executed inside transaction'), inTx);
f.add('DdlWithExplicitTransaction', 'CREATE TABLE TestDdlDml1 (Key Uint64, PRIMARY KEY (Key));\nCREATE TABLE TestDdlDml2 (Key Uint64, PRIMARY KEY (Key));',
  refused('PRECONDITION_FAILED', 'Scheme operations cannot be executed inside transaction'), inTx);
f.add('DdlWithExplicitTransaction', 'CREATE TABLE TestDdlDml1 (Key Uint64, PRIMARY KEY (Key));', OK);
f.add('DdlWithExplicitTransaction', 'SELECT * FROM TestDdlDml1;\nCREATE TABLE TestDdlDml2 (Key Uint64, PRIMARY KEY (Key));\nSELECT * FROM TestDdlDml2;',
  refused('GENERIC_ERROR', 'Queries with mixed data and scheme operations are not supported.'), { ...inTx, setup: ['CREATE TABLE TestDdlDml1 (Key Uint64, PRIMARY KEY (Key));'] });
f.add('DmlNoTx', 'UPSERT INTO KeyValue (Key, Value) VALUES (3, "Three");\nSELECT * FROM KeyValue;', OK, { setup: [KV] });
f.add('Tcl', 'SELECT 1;\nCOMMIT;', refused('GENERIC_ERROR', 'COMMIT not supported inside YDB query'), { lint: splitByTool });
f.add('Tcl', 'SELECT 1;\nROLLBACK;', refused('GENERIC_ERROR', 'ROLLBACK not supported inside YDB query'));
f.add('MaterializeTxResults', 'DELETE FROM KeyValue;', OK, { service: 'dml', setup: [KV] });
f.add('MaterializeTxResults', 'SELECT * FROM KeyValue;', OK, { service: 'dml', setup: [KV] });
f.add('Ddl_Dml', 'CREATE TABLE TestDdl1 (Key Uint64, Value String, PRIMARY KEY (Key));', refused('GENERIC_ERROR', 'error: path exist'),
  { setup: ['CREATE TABLE TestDdl1 (Key Uint64, Value String, PRIMARY KEY (Key));'] });
f.add('Ddl_Dml', 'SELECT * FROM TestDdl4;', refused('SCHEME_ERROR', "Cannot find table 'db.[/local/TestDdl4]'"), { lint: { skip: 'a SELECT, which lint does not read' } });
f.add('Ddl_Dml', 'UPSERT INTO TestDdl4 (Key, Value) VALUES (2, 2);\nSELECT * FROM $a;\nUPSERT INTO TestDdl4 (Key, Value) VALUES (3, 3);',
  refused('GENERIC_ERROR', 'Unknown name: $a'), { setup: [ddl4], lint: valueSkip });
f.add('Ddl_Dml', 'UPSERT INTO TestDdl4 (Key, Value) VALUES (2, 2);\nUPSERT INTO TestDdl4 (Key, Value) VALUES (3, "3");',
  refused('GENERIC_ERROR', "Failed to convert 'Value': String to Optional<Uint64>"), { setup: [ddl4], lint: valueSkip });
f.add('Ddl_Dml', 'SELECT * FROM TestDdl4;', OK, { setup: [ddl4] });
f.add('CheckIsolationLevelFroPerStatementMode', 'CREATE TABLE Test1 (Key Uint64, Value1 String, Value2 String, PRIMARY KEY (Key));', OK);
f.add('CheckIsolationLevelFroPerStatementMode',
  'CREATE TABLE Test2 (Key Uint64, Value1 String, Value2 String, PRIMARY KEY (Key));\nCREATE TABLE Test3 (Key Uint64, Value1 String, Value2 String, PRIMARY KEY (Key));', OK);
f.add('CheckIsolationLevelFroPerStatementMode', 'SELECT * FROM Test2;\nSELECT * FROM Test3;', OK,
  { setup: ['CREATE TABLE Test2 (Key Uint64, PRIMARY KEY (Key));', 'CREATE TABLE Test3 (Key Uint64, PRIMARY KEY (Key));'] });

export const cases = f.cases;

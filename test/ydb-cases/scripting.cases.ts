/**
 * Cases from YDB's Scripting service tests (suite KqpScripting): scripts with
 * COMMIT, as the offline script is run by ExecuteYql.
 */
import { CaseFile, OK } from './draft.js';

const f = new CaseFile('ydb/core/kqp/ut/scripting/kqp_scripting_ut.cpp', 'kqp_scripting_ut');
const service = 'scripting' as const;
const TEST = 'CREATE TABLE `/local/ScriptingTest` (Key Uint64, Value String, PRIMARY KEY (Key));';
const ALTERED = 'CREATE TABLE `/local/ScriptingCreateAndAlterTableTest` (Key Uint64, Value String, PRIMARY KEY (Key));';

f.add('EndOfQueryCommit', `${TEST}\nCOMMIT;\nREPLACE INTO \`/local/ScriptingTest\` (Key, Value) VALUES (1, "One"), (2, "Two");`, OK, { service });
f.add('EndOfQueryCommit', 'SELECT COUNT(*) FROM `/local/ScriptingTest`;', OK, { service, setup: [TEST] });
f.add('ScriptingCreateAndAlterTableTest', `${ALTERED}\nCOMMIT;\nREPLACE INTO \`/local/ScriptingCreateAndAlterTableTest\` (Key, Value) VALUES (1, "One"), (2, "Two");`, OK, { service });
f.add('ScriptingCreateAndAlterTableTest', 'ALTER TABLE `/local/ScriptingCreateAndAlterTableTest` SET (AUTO_PARTITIONING_BY_SIZE = ENABLED);', OK, { service, setup: [ALTERED] });
f.add('ScriptingCreateAndAlterTableTest', `ALTER TABLE \`/local/ScriptingCreateAndAlterTableTest\` SET (AUTO_PARTITIONING_BY_SIZE = ENABLED);
COMMIT;
ALTER TABLE \`/local/ScriptingCreateAndAlterTableTest\` SET (AUTO_PARTITIONING_PARTITION_SIZE_MB = 500);
COMMIT;
ALTER TABLE \`/local/ScriptingCreateAndAlterTableTest\` SET (AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 4);`, OK, { service, setup: [ALTERED] });
f.add('ScriptingCreateAndAlterTableTest', `ALTER TABLE \`/local/ScriptingCreateAndAlterTableTest\` SET (AUTO_PARTITIONING_BY_SIZE = ENABLED);
COMMIT;
CREATE TABLE \`/local/ScriptingCreateAndAlterTableTest2\` (Key Uint64, Value String, PRIMARY KEY (Key));
COMMIT;`, OK, { service, setup: [ALTERED] });
f.add('ScriptingCreateAndAlterTableTest', `CREATE TABLE \`/local/ScriptingCreateAndAlterTableTest3\` (Key Uint64, Value String, PRIMARY KEY (Key));
COMMIT;
ALTER TABLE \`/local/ScriptingCreateAndAlterTableTest3\` SET (AUTO_PARTITIONING_BY_SIZE = ENABLED);
COMMIT;`, OK, { service });
f.add('ScriptingCreateAndAlterTableTest', 'SELECT COUNT(*) FROM `/local/ScriptingCreateAndAlterTableTest3`;', OK, { service, setup: [ALTERED.replace('Test`', 'Test3`')] });
f.add('Pure', 'SELECT 1 + 1;', OK, { service });
f.add('NoAstSizeLimit', 'CREATE TABLE `/local/TestTable` (Key Uint64, Value String, PRIMARY KEY (Key));', OK, { service });
f.add('NoAstSizeLimit', 'REPLACE INTO `/local/TestTable` (Key, Value) VALUES (1u, "One"), (2u, "Two");', OK,
  { service, setup: ['CREATE TABLE `/local/TestTable` (Key Uint64, Value String, PRIMARY KEY (Key));'] });
f.add('SystemTables', 'SELECT * FROM `/local/.sys/partition_stats`;\nCOMMIT;\nSELECT * FROM `/local/.sys/partition_stats`;', OK, { service });
f.add('LimitOnShard', 'SELECT * FROM `/local/KeyValue`  WHERE Key > 0 ORDER BY Key LIMIT 1;', OK,
  { service, setup: ['CREATE TABLE `/local/KeyValue` (Key Uint64, Value String, PRIMARY KEY (Key));'] });

export const cases = f.cases;

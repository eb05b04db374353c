/**
 * Cases from YDB's KQP constraint tests: DEFAULT, NOT NULL and Serial columns
 * (ydb-platform/ydb, ydb/core/kqp/ut/scheme/kqp_constraints_ut.cpp). Each case
 * restates one request of the test and the status the test asserts. YDB's
 * tests run in the database /Root; the emulator's database is /local, so their
 * absolute paths are written under /local here.
 */
import type { YdbCase } from './case.js';

const file = 'ydb/core/kqp/ut/scheme/kqp_constraints_ut.cpp';
const ok = { ok: true } as const;

function ddl(test: string, n: number | null, setup: string[], yql: string, expect: YdbCase['expect']): YdbCase {
  return { id: `kqp_constraints_ut/${test}${n === null ? '' : `/${n}`}`, source: { file, test }, setup, yql, service: 'query', expect };
}

function dml(test: string, n: number, setup: string[], yql: string): YdbCase {
  return { id: `kqp_constraints_ut/${test}/${n}`, source: { file, test }, setup, yql, service: 'dml', expect: ok };
}

const keyValue = (table: string) => `CREATE TABLE \`${table}\` (\n    Key Int32,\n    Value String,\n    PRIMARY KEY (Key)\n);`;
const serialTable = 'CREATE TABLE `/local/SerialTable` (\n    Key Uint32,\n    Value Serial,\n    PRIMARY KEY (Key)\n);';
const notNullTable = 'CREATE TABLE `/local/AlterTableAddNotNullColumn` (\n    Key Uint32,\n    Value String,\n    Value2 Int32 NOT NULL DEFAULT 1,\n    PRIMARY KEY (Key),\n    INDEX ByValue GLOBAL ON (Value) COVER (Value2)\n);';
const utf8Table = 'CREATE TABLE `/local/Utf8AndDefault` (\n    Key Uint32,\n    Value Utf8 NOT NULL DEFAULT Utf8("Simple"),\n    Value3 Utf8 NOT NULL DEFAULT CAST("Impossibru" as Utf8),\n    PRIMARY KEY (Key),\n);';
const addNotNull = (column: string) => `ALTER TABLE \`/local/AlterTableAddNotNullColumn\` ADD COLUMN ${column};`;

const SERIAL_SPELLINGS = ['SmallSerial', 'serial2', 'Serial', 'Serial4', 'BigSerial', 'serial8'];
const SERIAL_TESTS = ['SerialTypeSmallSerial', 'SerialTypeSerial2', 'SerialTypeSerial', 'SerialTypeSerial4', 'SerialTypeBigSerial', 'SerialTypeSerial8'];

export const cases: YdbCase[] = [
  ddl('AddSerialColumnForbidden', null, [keyValue('/local/SerialTableCreateAndAlter')], 'ALTER TABLE `/local/SerialTableCreateAndAlter` ADD COLUMN SeqNo Serial;', { ok: false, status: 'GENERIC_ERROR' }),
  ddl('AddColumnWithDefaultForbidden', null, [keyValue('/local/SerialTableCreateAndAlter')], 'ALTER TABLE `/local/SerialTableCreateAndAlter` ADD COLUMN SeqNo DEFAULT 5;', { ok: false, status: 'GENERIC_ERROR' }),
  ddl('SerialTypeNegative1', null, [], 'CREATE TABLE `/local/SerialTableNeg1` (\n    Key SerialUnknown,\n    Value String,\n    PRIMARY KEY (Key)\n);', { ok: false, status: 'GENERIC_ERROR' }),
  ddl('SerialTypeForNonKeyColumn', 1, [], serialTable, ok),
  dml('SerialTypeForNonKeyColumn', 2, [serialTable], 'UPSERT INTO `/local/SerialTable` (Key) VALUES (1);'),
  ddl('SerialTypeForNonKeyColumn', 3, [serialTable], 'ALTER TABLE `/local/SerialTable` DROP COLUMN Value;', { ok: false, status: 'BAD_REQUEST' }),
  ddl('SerialTypeForNonKeyColumn', 4, [serialTable], 'ALTER TABLE `/local/SerialTable` ALTER COLUMN Value DROP NOT NULL;', { ok: false, status: 'BAD_REQUEST' }),
  ddl('SerialTypeForNonKeyColumn', 5, [serialTable], 'ALTER TABLE `/local/SerialTable`\nADD FAMILY Family2 (\n     DATA = "test",\n     COMPRESSION = "off"\n),\nALTER COLUMN Value SET FAMILY Family2;', { ok: false, status: 'BAD_REQUEST' }),
  ...SERIAL_SPELLINGS.flatMap((type, i): YdbCase[] => {
    const create = `CREATE TABLE \`/local/SerialTable${type}\` (\n    Key ${type},\n    Value String,\n    PRIMARY KEY (Key)\n);`;
    return [ddl(SERIAL_TESTS[i]!, 1, [], create, ok), dml(SERIAL_TESTS[i]!, 2, [create], `UPSERT INTO \`/local/SerialTable${type}\` (Value) VALUES ("New");`)];
  }),
  ddl('DropCreateSerial', null, ['CREATE TABLE `/local/SerialTable` (\n    Key Serial,\n    Value String,\n    PRIMARY KEY (Key)\n);', 'DROP TABLE `/local/SerialTable`;'], 'CREATE TABLE `/local/SerialTable` (\n    Key Serial,\n    Value String,\n    PRIMARY KEY (Key)\n);', ok),
  ddl('DefaultsAndDeleteAndUpdate', 1, [], 'CREATE TABLE `/local/DefaultsAndDeleteAndUpdate` (\n    Key Int32,\n    Value String DEFAULT "somestring",\n    PRIMARY KEY (Key)\n);', ok),
  dml('DefaultsAndDeleteAndUpdate', 2, ['CREATE TABLE `/local/DefaultsAndDeleteAndUpdate` (\n    Key Int32,\n    Value String DEFAULT "somestring",\n    PRIMARY KEY (Key)\n);'], '$object_pk = <|Key:1|>;\nDELETE FROM `/local/DefaultsAndDeleteAndUpdate` ON\nSELECT * FROM AS_TABLE(AsList($object_pk));'),
  ddl('AlterTableAddColumnWithDefaultValue', null, [keyValue('/local/SerialTableCreateAndAlter')], 'ALTER TABLE `/local/SerialTableCreateAndAlter` ADD COLUMN Exists bool DEFAULT false;', ok),
  ddl('DefaultValuesForTable', null, [], 'CREATE TABLE `/local/TableWithDefaults` (\n    Key Int32 Default 7,\n    Value String,\n    PRIMARY KEY (Key)\n);', ok),
  ddl('DefaultValuesForTableNegative2', null, [], 'CREATE TABLE `/local/TableWithDefaults2` (\n    Key Int32 Default 1,\n    Value String,\n    PRIMARY KEY (Key)\n);', ok),
  ddl('DefaultValuesForTableNegative3', null, [], 'CREATE TABLE `/local/TableWithDefaults` (\n    Key Int32 NOT NULL Default null,\n    Value String,\n    PRIMARY KEY (Key)\n);', { ok: false, status: 'GENERIC_ERROR', text: 'Default expr Key is nullable or optional, but column has not null constraint' }),
  ddl('DefaultValuesForTableNegative4', null, [], 'CREATE TABLE `/local/TableWithDefaults` (\n    Key Uint32 Default "someText",\n    Value String,\n    PRIMARY KEY (Key)\n);', { ok: false, status: 'GENERIC_ERROR' }),
  ddl('IndexedTableAndNotNullColumn', null, [], notNullTable, ok),
  ...[
    'Value3 Int32 NOT NULL DEFAULT 7',
    'Value4 Int8 NOT NULL DEFAULT Int8("-24")',
    'Value5 Int8 NOT NULL DEFAULT -25',
    'Value6 Float NOT NULL DEFAULT Float("1.0")',
    'Value7 Double NOT NULL DEFAULT Double("1.0")',
    'Value8 Yson NOT NULL DEFAULT Yson("[123]")',
    'Value9 Json NOT NULL DEFAULT Json("{\\"age\\" : 22}")',
    'Valuf1 Decimal(22,9) NOT NULL DEFAULT Decimal("1.11", 22, 9)',
    'Valuf35 Decimal(35,10) NOT NULL DEFAULT Decimal("155555555555555.11", 35, 10)',
  ].map((column, i) => ddl('IndexedTableAndNotNullColumnAddNotNullColumn', i + 1, [notNullTable], addNotNull(column), ok)),
  ddl('DefaultAndIndexesTestDefaultColumnNotIncludedInIndex', null, [], 'CREATE TABLE test (\n    A Int64 NOT NULL,\n    B Int64,\n    Created Int32 DEFAULT 1,\n    Deleted Int32 DEFAULT 0,\n    PRIMARY KEY (A ),\n    INDEX testIndex GLOBAL ON (B, A)\n)', ok),
  ddl('Utf8AndDefault', 1, [], utf8Table, ok),
  ddl('Utf8AndDefault', 2, [utf8Table], 'ALTER TABLE `/local/Utf8AndDefault` ADD COLUMN Value2 Utf8 NOT NULL DEFAULT Utf8("Hard");', ok),
  ddl('Utf8AndDefault', 3, [utf8Table], 'ALTER TABLE `/local/Utf8AndDefault` ADD COLUMN Value4 Utf8 NOT NULL DEFAULT CAST("Value4" as Utf8);', ok),
  dml('AddNonColumnDoesnotReturnInternalError', 1, ['CREATE TABLE `/local/AddNonColumnDoesnotReturnInternalError` (\n    Key Uint32 NOT NULL,\n    Value String  NOT NULL,\n    Value2 String NOT NULL DEFAULT "text",\n    PRIMARY KEY (Key)\n);'], 'UPDATE `/local/AddNonColumnDoesnotReturnInternalError` SET Value2="Updated" WHERE Key=1;'),
  ddl('AlterTableAddNotNullWithDefault', null, ['CREATE TABLE `/local/AlterTableAddNotNullColumn` (\n    Key Uint32,\n    Value String,\n    PRIMARY KEY (Key)\n);'], 'ALTER TABLE `/local/AlterTableAddNotNullColumn` ADD COLUMN Value2 Int32 NOT NULL DEFAULT 1;', ok),
  ddl('IndexAutoChooseAndNonReadyIndex', null, ['CREATE TABLE `/local/IndexChooseAndNonReadyIndex` (\n    Key Uint32 NOT NULL,\n    Value String  NOT NULL,\n    PRIMARY KEY (Key)\n);'], 'ALTER TABLE `/local/IndexChooseAndNonReadyIndex` ADD INDEX Index GLOBAL ON (Value);', ok),
];

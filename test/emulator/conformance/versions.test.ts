/**
 * The YDB version profile (`startEmulator({ ydbVersion, uniqueIndexOnExistingTable,
 * yqlParser })`, `main.js --ydb-version`): the DDL that changed between YDB
 * releases is refused with the server's own texts where the played version
 * refuses it. Sources: engine/SUBSET.md, "Version profile".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startEmulator, type Emulator, type EmulatorOptions } from '../index.js';
import { connect, type Driver, issueMatching, positionOf, query, queryFailure, StatusCode, TypedValues } from './support.js';

/** Runs `work` against a fresh emulator playing `options`. */
async function playing(options: EmulatorOptions, work: (ydb: Emulator, driver: Driver) => Promise<void>): Promise<void> {
  const ydb = await startEmulator(options);
  const driver = await connect(ydb);
  try {
    await work(ydb, driver);
  } finally {
    await driver.destroy();
    await ydb.stop();
  }
}

const ADD_WITH_DEFAULT = 'ALTER TABLE t ADD COLUMN note Utf8 DEFAULT "none"u;';

describe('version profile', () => {
  test('by default the emulator plays YDB 24.1, the oldest version ydb-migrate supports: IF NOT EXISTS yes, ADD COLUMN DEFAULT no', async () => {
    await playing({}, async (ydb, driver) => {
      assert.equal(ydb.engine.profile.version, '24.1');
      await query(driver, 'CREATE TABLE IF NOT EXISTS t (id Uint64, PRIMARY KEY (id));');
      assert.equal((await queryFailure(driver, ADD_WITH_DEFAULT)).status, StatusCode.BAD_REQUEST);
    });
  });

  test('ADD COLUMN ... DEFAULT before 26.1 is refused with the text of the scheme shard of that version, nothing applied', async () => {
    const refusals: [string, number, RegExp][] = [
      ['25.1', StatusCode.BAD_REQUEST, /^At AlterMainTable state got unsuccess propose result, status: StatusInvalidParameter, reason: Column addition with default value is not supported now\.$/],
      ['25.3', StatusCode.PRECONDITION_FAILED, /^Adding columns with defaults is disabled$/],
    ];
    for (const [ydbVersion, status, text] of refusals) {
      await playing({ ydbVersion }, async (ydb, driver) => {
        await query(driver, 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));');
        const failure = await queryFailure(driver, ADD_WITH_DEFAULT);
        assert.equal(failure.status, status, ydbVersion);
        issueMatching(failure, text);
        assert.deepEqual(ydb.engine.describeTable('t')?.columns.map((c) => c.name), ['id']);
      });
    }
  });

  test('ADD COLUMN ... DEFAULT from 26.1: existing rows get the default', async () => {
    await playing({ ydbVersion: '26.1' }, async (ydb, driver) => {
      await query(driver, 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));');
      await query(driver, 'UPSERT INTO t (id) VALUES (1);');
      await query(driver, ADD_WITH_DEFAULT);
      assert.deepEqual(ydb.engine.readTable('t'), [{ id: 1n, note: 'none' }]);
    });
  });

  test('ADD COLUMN ... NOT NULL without DEFAULT is refused on every version', async () => {
    for (const ydbVersion of ['24.1', '26.1']) {
      await playing({ ydbVersion }, async (ydb, driver) => {
        await query(driver, 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));');
        const failure = await queryFailure(driver, 'ALTER TABLE t ADD COLUMN n Utf8 NOT NULL;');
        assert.equal(failure.status, StatusCode.BAD_REQUEST, ydbVersion);
        issueMatching(failure, /^Cannot add not null column without default value$/);
        assert.deepEqual(ydb.engine.describeTable('t')?.columns.map((c) => c.name), ['id']);
      });
    }
  });

  test('a UNIQUE index on an existing table is refused unless the server enables it; in CREATE TABLE it is always accepted', async () => {
    const unique = 'ALTER TABLE t ADD INDEX by_v GLOBAL UNIQUE ON (v);';
    await playing({}, async (ydb, driver) => {
      await query(driver, 'CREATE TABLE t (id Uint64, v Utf8, PRIMARY KEY (id));');
      const failure = await queryFailure(driver, unique);
      assert.equal(failure.status, StatusCode.BAD_REQUEST);
      issueMatching(failure, /^Failed item check: Adding a unique index to an existing table is disabled$/);
      assert.deepEqual(ydb.engine.describeTable('t')?.indexes, []);
      await query(driver, 'CREATE TABLE born_unique (id Uint64, v Utf8, INDEX by_v GLOBAL UNIQUE ON (v), PRIMARY KEY (id));');
      assert.equal(ydb.engine.describeTable('born_unique')?.indexes.length, 1);
    });
    await playing({ uniqueIndexOnExistingTable: true }, async (ydb, driver) => {
      await query(driver, 'CREATE TABLE t (id Uint64, v Utf8, PRIMARY KEY (id));');
      await query(driver, unique);
      assert.deepEqual(ydb.engine.describeTable('t')?.indexes.map((i) => i.name), ['by_v']);
    });
  });

  test('IF [NOT] EXISTS: accepted from 24.1, a syntax error at IF before', async () => {
    await playing({ ydbVersion: '24.1' }, async (ydb, driver) => {
      await query(driver, 'CREATE TABLE IF NOT EXISTS t (id Uint64, PRIMARY KEY (id));');
      await query(driver, 'CREATE TABLE IF NOT EXISTS t (id Uint64, PRIMARY KEY (id));');
      await query(driver, 'DROP TABLE IF EXISTS t;');
      await query(driver, 'DROP TABLE IF EXISTS t;');
      assert.deepEqual(ydb.engine.listTables(), []);
    });
    await playing({ ydbVersion: '23.4' }, async (ydb, driver) => {
      for (const text of ['CREATE TABLE IF NOT EXISTS t (id Uint64, PRIMARY KEY (id));', 'DROP TABLE IF EXISTS t;']) {
        const failure = await queryFailure(driver, text);
        assert.equal(failure.status, StatusCode.GENERIC_ERROR, text);
        assert.deepEqual(positionOf(issueMatching(failure, /Unexpected token 'IF'/)), { row: 1, column: text.startsWith('CREATE') ? 14 : 12 });
      }
      assert.deepEqual(ydb.engine.listTables(), []);
    });
  });

  test('a parameter without DECLARE: "Unknown name" before 25.1, bound from 25.1', async () => {
    const parameters = { $p: TypedValues.utf8('sent') };
    await playing({ ydbVersion: '24.4' }, async (_ydb, driver) => {
      const failure = await queryFailure(driver, 'SELECT $p AS p;', parameters);
      assert.equal(failure.status, StatusCode.GENERIC_ERROR);
      assert.deepEqual(positionOf(issueMatching(failure, /^Unknown name: \$p$/)), { row: 1, column: 8 });
      assert.deepEqual(await query(driver, 'DECLARE $p AS Utf8;\nSELECT $p AS p;', parameters), [{ p: 'sent' }]);
    });
    await playing({ ydbVersion: '25.1' }, async (_ydb, driver) => {
      assert.deepEqual(await query(driver, 'SELECT $p AS p;', parameters), [{ p: 'sent' }]);
    });
  });

  test('yqlParser antlr3 (older servers) counts issue columns in UTF-8 bytes', async () => {
    await playing({ yqlParser: 'antlr3' }, async (_ydb, driver) => {
      const failure = await queryFailure(driver, "SELECT 'ё🎄' AS a;  SELEC 2;");
      assert.deepEqual(positionOf(issueMatching(failure, /SELEC/)), { row: 1, column: 24 });
    });
  });

  test('a malformed version or parser is refused when the emulator starts', async () => {
    await assert.rejects(startEmulator({ ydbVersion: 'latest' }), /ydbVersion must look like 24\.1/);
    await assert.rejects(startEmulator({ yqlParser: 'antlr5' as 'antlr4' }), /yqlParser must be antlr4 or antlr3/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../lib/errors.js';
import {
  HISTORY_COLUMNS,
  decodeHistoryRow,
  FIRST_HISTORY_VERSION,
  historyDeleteStatement,
  historyRepairStatement,
  historySelectStatement,
  historyTableDdl,
  historyUpgradeStatements,
  historyUpsertStatement,
  nextHistoryPosition,
  type Bind,
  type HistoryRow,
  type HistoryWrite,
} from '../lib/online/history-table.js';
import { lockTableDdl } from '../lib/online/lock-table.js';
import { checkHistoryTable, lockTableName } from '../lib/own-tables.js';
import { quoteIdentifier } from '../lib/yql/identifier.js';
import { oldHistoryTableDdl } from './helpers/old-history.js';
import { encodeLiteral, formatType, type YqlType } from '../lib/yql/literal.js';

const CHECKSUM = 'ab'.repeat(32);

const WRITE: HistoryWrite = {
  name: 'billing/0002_invoices',
  position: 2,
  checksum: CHECKSUM,
  downText: 'DROP TABLE invoices;',
  state: 'applied',
  appliedBy: 'ci@runner-7',
  toolVersion: '0.1.0',
  requestsDone: null,
  requestsRan: null,
  upText: 'CREATE TABLE invoices (id Uint64 NOT NULL, PRIMARY KEY (id));',
};

const NOT_REPAIRED = { repairedAt: null, repairedBy: null };

/** What the online runner does: every value becomes a numbered parameter. */
function parameterBinder(): { bind: Bind; params: { name: string; type: string; value: unknown }[] } {
  const params: { name: string; type: string; value: unknown }[] = [];
  const bind: Bind = (type: YqlType, value: unknown) => {
    const name = `$p${params.length}`;
    params.push({ name, type: formatType(type), value });
    return name;
  };
  return { bind, params };
}

test('the history table DDL is the first version with the later versions\' columns added, keyed by name', () => {
  const earlier = oldHistoryTableDdl('ydb_migrate_history', 1).replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS');
  const added = ['`requests_done` Uint32', '`requests_ran` Utf8', '`up_text` Utf8', '`repaired_at` Timestamp', '`repaired_by` Utf8'];
  assert.equal(historyTableDdl('ydb_migrate_history'), earlier.replace('    PRIMARY KEY', `${added.map((c) => `    ${c},\n`).join('')}    PRIMARY KEY`));
});

test('a table of each earlier version is upgraded by one ALTER per missing column, oldest first', () => {
  const alter = (column: string, type: string) => ({ column, statement: `ALTER TABLE \`infra/h\` ADD COLUMN \`${column}\` ${type};` });
  const third = [alter('requests_ran', 'Utf8'), alter('up_text', 'Utf8'), alter('repaired_at', 'Timestamp'), alter('repaired_by', 'Utf8')];
  assert.deepEqual(historyUpgradeStatements('infra/h', 1), [alter('requests_done', 'Uint32'), ...third]);
  assert.deepEqual(historyUpgradeStatements('infra/h', 2), third);
  assert.deepEqual(historyUpgradeStatements('infra/h', 3), [], 'the current version needs nothing');
});

test("repair's UPSERT names only the file's columns and its own record, so applied_at and the rest stay", () => {
  const { bind, params } = parameterBinder();
  assert.equal(
    historyRepairStatement('h', { name: '0001_a', checksum: CHECKSUM, upText: 'SELECT 1;', downText: null, repairedBy: 'me@here' }, bind),
    'UPSERT INTO `h` (`name`, `checksum`, `up_text`, `down_text`, `repaired_at`, `repaired_by`) VALUES ($p0, $p1, $p2, $p3, CurrentUtcTimestamp(), $p4);',
  );
  assert.deepEqual(params.map((p) => [p.type, p.value]), [['Utf8', '0001_a'], ['Utf8', CHECKSUM], ['Utf8?', 'SELECT 1;'], ['Utf8?', null], ['Utf8?', 'me@here']]);
});

test('the lock table sits beside the history table, in the same folder', () => {
  assert.equal(lockTableName('infra/migrations'), 'infra/migrations_lock');
  const ddl = lockTableDdl('infra/migrations');
  assert.match(ddl, /^CREATE TABLE IF NOT EXISTS `infra\/migrations_lock` \(\n/);
  for (const column of ['`id` Utf8 NOT NULL', '`owner` Utf8', '`host` Utf8', '`pid` Uint32', '`acquired_at` Timestamp', '`expires_at` Timestamp']) {
    assert.ok(ddl.includes(`    ${column},\n`), column);
  }
  assert.match(ddl, /PRIMARY KEY \(`id`\)\n\);$/);
});

test('quoteIdentifier escapes what would end or break the quoted name', () => {
  assert.equal(quoteIdentifier('dir/table'), '`dir/table`');
  assert.equal(quoteIdentifier('a`b'), '`a\\`b`');
  assert.equal(quoteIdentifier('a\\b'), '`a\\\\b`');
  assert.equal(quoteIdentifier('a\nb\x7f'), '`a\\x0ab\\x7f`');
});

test('valid history table paths are accepted as given', () => {
  for (const table of ['ydb_migrate_history', 'infra/migrate-history', '/local/infra/h.v2', 'A'.repeat(250)]) {
    assert.equal(checkHistoryTable(table), table);
  }
});

for (const [table, why] of [
  ['', /empty folder or table name/],
  ['infra//h', /empty folder or table name/],
  ['infra/', /empty folder or table name/],
  ['my`table', /contains "`"/],
  ['my\ntable', /contains "\\n"/],
  ['my table', /contains " "/],
  ['история', /contains "и"/],
  ['.sys/h', /starting with '\.'/],
  ['infra/../h', /starting with '\.'/],
  ['A'.repeat(251), /at most 250 characters/],
] as const) {
  test(`history table ${JSON.stringify(table.length > 20 ? `${table.slice(0, 5)}...` : table)} is rejected`, () => {
    assert.throws(
      () => checkHistoryTable(table),
      (err: unknown) => err instanceof MigrateError && err.code === 'HISTORY_BAD_TABLE' && err.kind === 'input' && why.test(err.message) && /set a path such as/.test(err.message),
    );
  });
}

test('the UPSERT binds every column in order and stamps applied_at on the server', () => {
  const { bind, params } = parameterBinder();
  assert.equal(
    historyUpsertStatement('infra/h', { ...WRITE, state: 'failed', requestsDone: 1, requestsRan: 'up 0123456789abcdef' }, bind),
    'UPSERT INTO `infra/h` (`name`, `position`, `checksum`, `down_text`, `state`, `applied_at`, `applied_by`, `tool_version`, `requests_done`, `requests_ran`, `up_text`)\n' +
      'VALUES ($p0, $p1, $p2, $p3, $p4, CurrentUtcTimestamp(), $p5, $p6, $p7, $p8, $p9);',
  );
  assert.deepEqual(params, [
    { name: '$p0', type: 'Utf8', value: 'billing/0002_invoices' },
    { name: '$p1', type: 'Uint32', value: 2 },
    { name: '$p2', type: 'Utf8', value: CHECKSUM },
    { name: '$p3', type: 'Utf8?', value: 'DROP TABLE invoices;' },
    { name: '$p4', type: 'Utf8', value: 'failed' },
    { name: '$p5', type: 'Utf8', value: 'ci@runner-7' },
    { name: '$p6', type: 'Utf8', value: '0.1.0' },
    { name: '$p7', type: 'Uint32?', value: 1 },
    { name: '$p8', type: 'Utf8?', value: 'up 0123456789abcdef' },
    { name: '$p9', type: 'Utf8?', value: WRITE.upText },
  ]);
});

test('with literals the UPSERT is a complete statement, NULL down text included', () => {
  const statement = historyUpsertStatement('ydb_migrate_history', { ...WRITE, name: "it's", downText: null, upText: null }, encodeLiteral);
  assert.equal(
    statement,
    'UPSERT INTO `ydb_migrate_history` (`name`, `position`, `checksum`, `down_text`, `state`, `applied_at`, `applied_by`, `tool_version`, `requests_done`, `requests_ran`, `up_text`)\n' +
      `VALUES ('it\\'s'u, 2u, '${CHECKSUM}'u, Nothing(Utf8?), 'applied'u, CurrentUtcTimestamp(), 'ci@runner-7'u, '0.1.0'u, Nothing(Uint32?), Nothing(Utf8?), Nothing(Utf8?));`,
  );
});

test("offline scripts' UPSERT writes the first version's columns only, so it runs on a table of any version", () => {
  assert.equal(
    historyUpsertStatement('h', WRITE, encodeLiteral, FIRST_HISTORY_VERSION),
    'UPSERT INTO `h` (`name`, `position`, `checksum`, `down_text`, `state`, `applied_at`, `applied_by`, `tool_version`)\n' +
      `VALUES ('billing/0002_invoices'u, 2u, '${CHECKSUM}'u, 'DROP TABLE invoices;'u, 'applied'u, CurrentUtcTimestamp(), 'ci@runner-7'u, '0.1.0'u);`,
  );
});

test('DELETE and SELECT address the row by its key and read every column', () => {
  assert.equal(historyDeleteStatement('infra/h', '0001_a', encodeLiteral), "DELETE FROM `infra/h` WHERE `name` = '0001_a'u;");
  const { bind, params } = parameterBinder();
  assert.equal(historyDeleteStatement('h', '0001_a', bind), 'DELETE FROM `h` WHERE `name` = $p0;');
  assert.deepEqual(params, [{ name: '$p0', type: 'Utf8', value: '0001_a' }]);
  assert.equal(
    historySelectStatement('h'),
    'SELECT `name`, `position`, `checksum`, `down_text`, `state`, `applied_at`, `applied_by`, `tool_version`, `requests_done`, `requests_ran`, `up_text`, `repaired_at`, `repaired_by` FROM `h` ORDER BY `position`;',
  );
  assert.equal(
    historySelectStatement('h', FIRST_HISTORY_VERSION),
    'SELECT `name`, `position`, `checksum`, `down_text`, `state`, `applied_at`, `applied_by`, `tool_version` FROM `h` ORDER BY `position`;',
  );
});

test('a row written by the codec decodes back to the same row', () => {
  const { bind, params } = parameterBinder();
  historyUpsertStatement('h', WRITE, bind);
  const appliedAt = new Date('2024-05-01T10:00:00.123Z');
  const written = HISTORY_COLUMNS.filter((c) => !['applied_at', 'repaired_at', 'repaired_by'].includes(c.column)).map((c, i) => [c.column, params[i]!.value] as const);
  const record = { ...Object.fromEntries(written), applied_at: appliedAt };
  const expected: HistoryRow = { ...WRITE, appliedAt, ...NOT_REPAIRED };
  assert.deepEqual(decodeHistoryRow(record, 'h'), expected, 'a row never repaired reads NULL in the repair columns');
  const repairedAt = new Date('2024-06-01T08:00:00Z');
  assert.deepEqual(decodeHistoryRow({ ...record, repaired_at: repairedAt, repaired_by: 'me@here' }, 'h'), { ...expected, repairedAt, repairedBy: 'me@here' });
});

const GOOD_RECORD = {
  name: '0001_a',
  position: 1,
  checksum: CHECKSUM,
  down_text: null,
  state: 'applying',
  applied_at: new Date('2024-05-01T10:00:00Z'),
  applied_by: 'me',
  tool_version: '0.1.0',
};

test('decoding accepts what drivers return: bigint counters and an absent NULL', () => {
  const { down_text: _absent, ...withoutDown } = GOOD_RECORD;
  const row = decodeHistoryRow({ ...withoutDown, position: 7n }, 'h');
  assert.equal(row.position, 7);
  assert.equal(row.downText, null);
  assert.equal(row.state, 'applying');
  assert.deepEqual([row.requestsDone, row.upText, row.repairedAt, row.repairedBy], [null, null, null, null], 'a row of a first-version table has no later columns: NULL');
});

for (const [column, value, shownAs] of [
  ['name', '', '""'],
  ['name', undefined, 'missing'],
  ['position', -1, '-1'],
  ['position', 1.5, '1.5'],
  ['position', 2 ** 32, '4294967296'],
  ['position', '3', '"3"'],
  ['checksum', 'not-a-checksum', '"not-a-checksum"'],
  ['down_text', 42, '42'],
  ['state', 'done', '"done"'],
  ['applied_at', '2024-05-01', '"2024-05-01"'],
  ['applied_at', new Date(NaN), 'an invalid date'],
  ['repaired_at', '2024-06-01', '"2024-06-01"'],
  ['up_text', 7, '7'],
  ['applied_by', null, 'null'],
  ['tool_version', undefined, 'missing'],
] as const) {
  test(`a garbled row (${column} = ${shownAs}) is a runtime error naming the row and column`, () => {
    const record: Record<string, unknown> = { ...GOOD_RECORD, [column]: value };
    assert.throws(
      () => decodeHistoryRow(record, 'infra/h'),
      (err: unknown) => {
        assert.ok(err instanceof MigrateError);
        assert.equal(err.code, 'HISTORY_BAD_ROW');
        assert.equal(err.kind, 'runtime');
        const which = column === 'name' ? (value === '' ? "row ''" : 'a row') : "row '0001_a'";
        assert.ok(err.message.startsWith(`history table infra/h has ${which} whose column ${column} is ${shownAs} (expected `), err.message);
        assert.match(err.message, /fix or delete that row/);
        return true;
      },
    );
  });
}

test('the next position follows the highest recorded one', () => {
  assert.equal(nextHistoryPosition([]), 1);
  const at = (position: number): HistoryRow => ({ ...WRITE, position, appliedAt: new Date(0), ...NOT_REPAIRED });
  assert.equal(nextHistoryPosition([at(3), at(9), at(4)]), 10);
});

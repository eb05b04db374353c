import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, readTable, setUp, startDatabase, tempTree, unique } from './harness.js';

const COLUMNS: [name: string, type: string, flag: string | null, expected: unknown][] = [
  ['b', 'Bool', 'true', true],
  ['i8', 'Int8', '-128', -128],
  ['i64', 'Int64', '-9223372036854775808', -9223372036854775808n],
  ['u64', 'Uint64', '18446744073709551615', 18446744073709551615n],
  ['d', 'Double', '2.5', 2.5],
  ['s', 'String', 'bytes', Buffer.from('bytes')],
  ['u', 'Utf8', "it's ünïcode", "it's ünïcode"],
  ['dt', 'Date', '2024-02-29', new Date('2024-02-29T00:00:00Z')],
  ['dtm', 'Datetime', '2024-05-01T12:30:00+02:00', new Date('2024-05-01T10:30:00Z')],
  ['ts', 'Timestamp', '2024-05-01T10:00:00.123Z', new Date('2024-05-01T10:00:00.123Z')],
  ['iv', 'Interval', 'P1DT2H', 93_600_000_000n],
  ['dec', 'Decimal(22,9)', '-12.5', '-12.5'],
  ['id', 'Uuid', '550E8400-E29B-41D4-A716-446655440000', '550e8400-e29b-41d4-a716-446655440000'],
  ['j', 'Json', '{"a":[1,2]}', '{"a":[1,2]}'],
  ['none', 'Utf8?', null, null],
];

test('declared parameters are bound as real typed parameters, from --param and the config file', async (t) => {
  const db = await startDatabase();
  t.after(() => db.stop());
  const table = unique('params');
  const declared = COLUMNS.map(([name, type]) => `DECLARE $${name} AS ${type};`).join('\n');
  const columns = COLUMNS.map(([name, type]) => `${name} ${type.replace('?', '')}`).join(', ');
  const cwd = await tempTree({
    'sql/manifest.txt': '0001_table\n0002_values\n',
    'sql/0001_table.up.yql': `CREATE TABLE ${table} (k Uint32 NOT NULL, ${columns}, PRIMARY KEY (k));\n`,
    'sql/0002_values.up.yql': `${declared}\nUPSERT INTO ${table} (k, ${COLUMNS.map(([n]) => n).join(', ')}) VALUES (1, ${COLUMNS.map(([n]) => `$${n}`).join(', ')});\n`,
    'ydb-migrate.json': JSON.stringify({ params: { none: null, b: true } }),
  });
  const flags = COLUMNS.filter(([name, , flag]) => flag !== null && name !== 'b').flatMap(([name, , flag]) => ['--param', `${name}=${flag}`]);
  const run = await cli(db, cwd, ['up', ...flags]);
  assert.equal(run.status, 0, run.stderr);
  const [row] = (await readTable(db, table))!;
  for (const [name, , , expected] of COLUMNS) assert.deepEqual(row![name], expected, `column ${name}`);
});

test('a parameter value that does not fit its type is an input error at its DECLARE, before anything runs', async (t) => {
  const { db, p, cwd } = await setUp(t, (p) => ({
    'sql/manifest.txt': '0001_t\n0002_v\n',
    'sql/0001_t.up.yql': `CREATE TABLE ${p} (id Uint64 NOT NULL, PRIMARY KEY (id));\n`,
    'sql/0002_v.up.yql': `-- the id\nDECLARE $id AS Uint64;\nUPSERT INTO ${p} (id) VALUES ($id);\n`,
  }));
  const negative = await cli(db, cwd, ['up', '--param', 'id=-1']);
  assert.equal(negative.status, 2);
  assert.match(negative.stderr, /sql\/0002_v\.up\.yql:2:1: parameter \$id: -1n? is not a valid Uint64: out of range 0\.\.18446744073709551615/);
  assert.equal(await readTable(db, p), null, 'not even the first migration ran');
  const flag = await cli(db, cwd, ['up', '--param', 'id']);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /--param expects NAME=VALUE/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, type Schema, type TableModel } from '../../lib/schema/model.js';
import { parseSchema } from '../../lib/schema/parse.js';
import { renderSchema } from '../../lib/schema/render.js';
import { diffSchemas } from '../../lib/schema/diff.js';

const table = (path: string, extra: Partial<TableModel> = {}): TableModel => ({
  path,
  store: 'row',
  columns: [{ name: 'id', type: 'Uint64', notNull: true, default: null, family: null }],
  partitionBy: [],
  primaryKey: ['id'],
  indexes: [],
  families: [],
  settings: {},
  ttl: null,
  changefeeds: [],
  ...extra,
});

/** What the emulator cannot create (families, changefeeds, column tables, serials), checked as text. */
const rich: Schema = canonical({
  tables: [
    table('logs/events', {
      columns: [
        { name: 'id', type: 'BigSerial', notNull: true, default: null, family: null },
        { name: 'body', type: 'String', notNull: false, default: null, family: 'cold' },
        { name: 'at', type: 'Timestamp', notNull: false, default: null, family: null },
        { name: 'price', type: 'Decimal(22,9)', notNull: true, default: "Decimal('1.5', 22, 9)", family: null },
      ],
      families: [{ name: 'cold', data: 'rot', compression: 'lz4' }],
      settings: { AUTO_PARTITIONING_BY_SIZE: 'ENABLED', KEY_BLOOM_FILTER: 'DISABLED', READ_REPLICAS_SETTINGS: '"ANY_AZ:2"' },
      changefeeds: [
        { name: 'updates', mode: 'UPDATES', format: 'JSON', virtualTimestamps: true, resolvedTimestampsSeconds: 5 },
        { name: 'keys', mode: 'KEYS_ONLY', format: 'DEBEZIUM_JSON', virtualTimestamps: false, resolvedTimestampsSeconds: null },
      ],
    }),
    table('metrics', { store: 'column', partitionBy: ['id'], ttl: { column: 'id', expireAfterSeconds: 3600, unit: 'SECONDS' } }),
  ],
  others: [{ path: 'logs/stream', kind: 'TOPIC' }],
});

test('the rendered text parses back to the same model, and renders to the same bytes', () => {
  const text = renderSchema(rich);
  assert.match(text, /`body` String FAMILY `cold`,/);
  assert.match(text, /FAMILY `cold` \(DATA = "rot", COMPRESSION = "lz4"\),/);
  assert.match(text, /ALTER TABLE `logs\/events` ADD CHANGEFEED `keys` WITH \(MODE = 'KEYS_ONLY', FORMAT = 'DEBEZIUM_JSON'\);\n\nALTER TABLE `logs\/events` ADD CHANGEFEED `updates` WITH \(MODE = 'UPDATES', FORMAT = 'JSON', VIRTUAL_TIMESTAMPS = TRUE, RESOLVED_TIMESTAMPS = Interval\("PT5S"\)\);/);
  assert.match(text, /\)\nPARTITION BY HASH \(`id`\)\nWITH \(\n {4}STORE = COLUMN,\n {4}TTL = Interval\("PT3600S"\) ON `id` AS SECONDS\n\);/);
  assert.match(text, /\n\n-- not described by ydb-migrate: `logs\/stream` \(TOPIC\)\n$/, 'objects the model does not describe are named, not dropped');
  const parsed = parseSchema(text, 'schema.yql');
  assert.deepEqual(parsed, { ...rich, others: [] });
  assert.equal(renderSchema(parsed), renderSchema({ ...rich, others: [] }));
  assert.deepEqual(diffSchemas(rich, parsed, { desiredFile: 'schema.yql' }).changes, [], 'objects outside the model are never dropped by a diff');
});

test('spellings differ, the model does not: case, aliases, quoting, literal forms, interval forms', () => {
  const loose = parseSchema('create table `t` (ID uint64 not null, n int32 default -5, s text default "a", d date, PRIMARY KEY (ID)) with (ttl = interval("PT24H") on d);', 'x.yql');
  const strict = parseSchema("CREATE TABLE t (ID Uint64 NOT NULL, n Int32 DEFAULT -5, s Utf8 DEFAULT 'a'u, d Date, PRIMARY KEY (ID)) WITH (TTL = Interval(\"P1D\") ON d);", 'y.yql');
  assert.equal(loose.tables[0]!.columns[2]!.default, strict.tables[0]!.columns[2]!.default);
  assert.equal(loose.tables[0]!.columns[1]!.default, '-5');
  assert.deepEqual(strict.tables[0]!.ttl, { column: 'd', expireAfterSeconds: 86_400, unit: null });
});

test('a changed index is swapped, not dropped: built under another name, then renamed over the old one', () => {
  const from = canonical({ tables: [table('t', { indexes: [{ name: 'i', mode: 'sync', columns: ['id'], cover: [] }] })], others: [] });
  const to = canonical({ tables: [table('t', { indexes: [{ name: 'i', mode: 'async', columns: ['id'], cover: [] }] })], others: [] });
  const diff = diffSchemas(from, to, { desiredFile: 'd.yql' });
  assert.match(diff.up, /\nALTER TABLE `t` ADD INDEX `i_new` GLOBAL ASYNC ON \(`id`\);\n\nALTER TABLE `t` DROP INDEX `i`;\n\nALTER TABLE `t` RENAME INDEX `i_new` TO `i`;\n$/);
  assert.match(diff.down, /\nALTER TABLE `t` ADD INDEX `i_new` GLOBAL SYNC ON \(`id`\);\n\nALTER TABLE `t` DROP INDEX `i`;\n\nALTER TABLE `t` RENAME INDEX `i_new` TO `i`;\n$/);
});

test('the desired-schema reader refuses what YDB refuses, by the rulebook: a Double key, an index over Json', () => {
  assert.throws(() => parseSchema('CREATE TABLE t (id Double, PRIMARY KEY (id));', 'd.yql'), /column id of table t is Double: .*BAD_REQUEST.*IsAllowedKeyType/);
  assert.throws(() => parseSchema('CREATE TABLE t (id Uint64, j Json, INDEX i GLOBAL ON (j), PRIMARY KEY (id));', 'd.yql'), /column j of table t is Json/);
  assert.throws(() => parseSchema('CREATE TABLE `a\\nb` (id Decimal(40,2), PRIMARY KEY (id));', 'd.yql'), /Decimal precision 40 is outside 1\.\.35/);
  assert.equal(parseSchema('CREATE TABLE `a\\nb` (id Uint64, PRIMARY KEY (id));', 'd.yql').tables[0]!.path, 'a\nb');
});

/**
 * The Scheme service (ListDirectory, DescribePath) and DescribeTable as
 * ydb-sdk 5.11 calls them, answered in YDB's shapes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Emulator } from '../index.js';
import { Ydb } from '../ydb-proto.js';
import { type Driver, execute, RawClient, StatusCode, useEmulator } from './support.js';

const { DIRECTORY, TABLE } = Ydb.Scheme.Entry.Type;

let ydb: Emulator;
let driver: Driver;
useEmulator((started) => ({ ydb, driver } = started));

describe('Scheme service', () => {
  test('ListDirectory lists tables and the folders their paths make, sorted; .sys at the root', async () => {
    await execute(driver, 'CREATE TABLE `shop/orders/2024` (id Uint64, PRIMARY KEY (id));');
    await execute(driver, 'CREATE TABLE `shop/items` (id Uint64, PRIMARY KEY (id));');
    await execute(driver, 'CREATE TABLE top (id Uint64, PRIMARY KEY (id));');
    const root = await driver.schemeClient.listDirectory('');
    assert.deepEqual(root.children.map((e) => [e.name, e.type]), [['.sys', DIRECTORY], ['shop', DIRECTORY], ['top', TABLE]]);
    const shop = await driver.schemeClient.listDirectory('shop');
    assert.deepEqual(shop.self?.name, 'shop');
    assert.deepEqual(shop.children.map((e) => [e.name, e.type]), [['items', TABLE], ['orders', DIRECTORY]]);
    const described = await driver.schemeClient.describePath('shop/items');
    assert.deepEqual([described.self?.name, described.self?.type], ['items', TABLE]);
  });

  test('a missing path is SCHEME_ERROR "Path not found"; listing a table is refused by name', async (t) => {
    const raw = new RawClient(ydb);
    t.after(() => raw.close());
    const missing = await raw.unary('/Ydb.Scheme.V1.SchemeService/ListDirectory', Ydb.Scheme.ListDirectoryRequest, Ydb.Scheme.ListDirectoryResponse, { path: '/local/nope' });
    assert.equal(missing.operation?.status, StatusCode.SCHEME_ERROR);
    assert.equal(missing.operation?.issues?.[0]?.message, 'Path not found');
    const outside = await raw.unary('/Ydb.Scheme.V1.SchemeService/DescribePath', Ydb.Scheme.DescribePathRequest, Ydb.Scheme.DescribePathResponse, { path: '/other/t' });
    assert.equal(outside.operation?.status, StatusCode.SCHEME_ERROR);
    await execute(driver, 'CREATE TABLE lonely (id Uint64, PRIMARY KEY (id));');
    const table = await raw.unary('/Ydb.Scheme.V1.SchemeService/ListDirectory', Ydb.Scheme.ListDirectoryRequest, Ydb.Scheme.ListDirectoryResponse, { path: '/local/lonely' });
    assert.equal(table.operation?.status, StatusCode.BAD_REQUEST);
  });
});

describe('DescribeTable', () => {
  test('reports unique and covering indexes, DEFAULT literals, settings and TTL in their proto fields', async () => {
    await execute(driver, `CREATE TABLE described (id Uint64 NOT NULL, n Uint32 NOT NULL DEFAULT 7, at Timestamp, s Utf8,
      INDEX u GLOBAL UNIQUE ON (s) COVER (n), INDEX a GLOBAL ASYNC ON (n), PRIMARY KEY (id))
      WITH (AUTO_PARTITIONING_BY_SIZE = DISABLED, AUTO_PARTITIONING_PARTITION_SIZE_MB = 512, KEY_BLOOM_FILTER = ENABLED, READ_REPLICAS_SETTINGS = "ANY_AZ:2", TTL = Interval("PT1H") ON at);`);
    const d = await driver.tableClient.withSession((session) => session.describeTable('described'));
    assert.deepEqual(d.columns.map((c) => [c.name, c.notNull, Boolean(c.type?.optionalType)]), [['id', true, false], ['n', true, false], ['at', false, true], ['s', false, true]]);
    assert.equal(d.columns[1]?.fromLiteral?.value?.uint32Value, 7);
    const [unique, async] = d.indexes;
    assert.ok(unique?.globalUniqueIndex && !unique.globalIndex);
    assert.deepEqual(unique?.dataColumns, ['n']);
    assert.ok(async?.globalAsyncIndex);
    assert.equal(d.partitioningSettings?.partitioningBySize, Ydb.FeatureFlag.Status.DISABLED);
    assert.equal(Number(d.partitioningSettings?.partitionSizeMb), 512);
    assert.equal(d.keyBloomFilter, Ydb.FeatureFlag.Status.ENABLED);
    assert.equal(Number(d.readReplicasSettings?.anyAzReadReplicasCount), 2);
    assert.deepEqual({ ...d.ttlSettings?.dateTypeColumn }, { columnName: 'at', expireAfterSeconds: 3600 });
    assert.equal(d.storeType, Ydb.Table.StoreType.STORE_TYPE_ROW);
  });
});

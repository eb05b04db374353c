/**
 * The Scheme and Table service calls the schema model reads through
 * (lib/schema/read.ts), kept here with the rest of ydb-sdk.
 */
import type { Ydb } from 'ydb-sdk';
import { sdkOf, type YdbSdk } from './driver.js';
import { withinRetryTime } from './execute.js';
import type { Connection } from './connection.js';

/** The shapes of DescribeTable's answer that the schema model reads, named here so ydb-sdk stays in lib/ydb/. */
export type TableDescription = Ydb.Table.IDescribeTableResult;
export type ColumnMeta = Ydb.Table.IColumnMeta;
export type IndexDescription = Ydb.Table.ITableIndexDescription;
export type ColumnFamily = Ydb.Table.IColumnFamily;
export type TtlSettings = Ydb.Table.ITtlSettings;
export type ChangefeedDescription = Ydb.Table.IChangefeedDescription;
export type YdbType = Ydb.IType;
export type YdbTypedValue = Ydb.ITypedValue;

/** ydb-sdk's protocol namespace: enums to read the answers with. */
export function protocolOf(connection: Connection): YdbSdk['Ydb'] {
  return sdkOf(connection).sdk.Ydb;
}

/** Ydb.Scheme.ListDirectory of `path`, relative to the database ('' is its root). */
export async function listDirectory(connection: Connection, path: string): Promise<Ydb.Scheme.IEntry[]> {
  const listed = await withinRetryTime(connection, `listing ${path || 'the database root'}`, () => sdkOf(connection).driver.schemeClient.listDirectory(path));
  return listed.children ?? [];
}

/** Ydb.Table.DescribeTable of each path (relative to the database), on one session. */
export function describeTables(connection: Connection, paths: readonly string[], timeoutMs: number): Promise<TableDescription[]> {
  return withinRetryTime(connection, `describing ${paths.length} tables`, () =>
    sdkOf(connection).driver.tableClient.withSession(async (session) => {
      const described: TableDescription[] = [];
      for (const path of paths) described.push(await session.describeTable(path));
      return described;
    }, timeoutMs),
  );
}

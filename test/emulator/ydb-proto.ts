/**
 * ydb-sdk-proto is CommonJS that Node's ESM loader cannot see named exports
 * in: values come from its default export, types from a type-only import.
 */
import ydbProto from 'ydb-sdk-proto';

export type { Ydb as YdbTypes } from 'ydb-sdk-proto';
export const { Ydb } = ydbProto;

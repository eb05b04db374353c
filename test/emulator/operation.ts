/**
 * Table, Scripting, Discovery and Auth answer with `Ydb.Operations.Operation`:
 * a status, issues and the result packed in a `google.protobuf.Any`.
 */
import type { YdbTypes } from './ydb-proto.js';
import { statusCode, type YdbFailure } from './status.js';

/** A protobufjs static class of a result message, with its full proto name. */
export interface ResultType<T> {
  readonly fullName: string;
  encode(message: T): { finish(): Uint8Array };
}

/** `ResultType` for a static class: `resultType('Ydb.Table.ExecuteQueryResult', Ydb.Table.ExecuteQueryResult)`. */
export function resultType<T>(fullName: string, type: { encode(message: T): { finish(): Uint8Array } }): ResultType<T> {
  return { fullName, encode: (message) => type.encode(message) };
}

export function operationOk<T>(type?: ResultType<T>, result?: T): { operation: YdbTypes.Operations.IOperation } {
  return {
    operation: {
      ready: true,
      status: statusCode('SUCCESS'),
      issues: [],
      ...(type && result !== undefined
        ? { result: { type_url: `type.googleapis.com/${type.fullName}`, value: type.encode(result).finish() } }
        : {}),
    },
  };
}

export function operationFailed(failure: YdbFailure): { operation: YdbTypes.Operations.IOperation } {
  return { operation: { ready: true, status: statusCode(failure.status), issues: failure.issues } };
}

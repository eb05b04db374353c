/** Shared by the engine tests: run YQL, read result sets back as plain values, check YDB-shaped errors. */
import assert from 'node:assert/strict';
import type { Ydb } from 'ydb-sdk-proto';
import { EngineError, flattenIssues, type Position, type StatusName } from './errors.js';
import { Engine, type EngineOptions, type ExecMode, type ExecuteResult, type Transaction } from './index.js';
import { fromTypedValue, toYdbType, toYdbValue } from './proto.js';
import type { YqlType } from './types.js';
import type { Value } from './values.js';

export function run(engine: Engine, text: string, mode: ExecMode = 'notx', params: Record<string, Ydb.ITypedValue> = {}, tx?: Transaction): ExecuteResult {
  return engine.execute({ text, params, mode, ...(tx ? { tx } : {}) });
}

/** Rows of a result set as `{column: value}` with the emulator's value representation. */
export function rowsOf(rs: Ydb.IResultSet | undefined): Record<string, Value>[] {
  assert.ok(rs, 'expected a result set');
  return (rs.rows ?? []).map((row) =>
    Object.fromEntries((rs.columns ?? []).map((c, i) => [c.name!, fromTypedValue(c.name!, { type: c.type!, value: row.items![i]! }).value])),
  );
}

/** The single value of a one-row, one-column SELECT. */
export function scalar(engine: Engine, text: string, params: Record<string, Ydb.ITypedValue> = {}): Value {
  const rows = rowsOf(run(engine, text, 'notx', params).resultSets[0]);
  assert.equal(rows.length, 1);
  return Object.values(rows[0]!)[0]!;
}

export function param(type: YqlType, value: Value): Ydb.ITypedValue {
  return { type: toYdbType(type), value: toYdbValue(type, value) };
}

export interface ExpectedError {
  status: StatusName;
  /** A substring or pattern of some issue's message (issues are searched flattened). */
  message: string | RegExp;
  code?: number;
  position?: Position;
}

export function assertFails(fn: () => unknown, expected: ExpectedError): EngineError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof EngineError, `expected an EngineError, got ${String(caught)}`);
  assert.equal(caught.status, expected.status, caught.message);
  const issues = flattenIssues(caught.issues);
  const hit = issues.find((i) => (typeof expected.message === 'string' ? i.message.includes(expected.message) : expected.message.test(i.message)));
  assert.ok(hit, `no issue matches ${String(expected.message)} in: ${caught.message}`);
  if (expected.code !== undefined) assert.ok(issues.some((i) => i.issueCode === expected.code), `no issue with code ${expected.code}: ${JSON.stringify(caught.issues)}`);
  if (expected.position) assert.deepEqual(issues.find((i) => i.position)?.position, expected.position);
  return caught;
}

/** An engine with `t (id Uint64, name Utf8, n Int32, PRIMARY KEY (id))` holding rows 1..3. */
export function engineWithRows(options: EngineOptions = {}): Engine {
  const engine = new Engine(options);
  run(engine, 'CREATE TABLE t (id Uint64, name Utf8, n Int32, PRIMARY KEY (id));');
  run(engine, `UPSERT INTO t (id, name, n) VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', NULL);`);
  return engine;
}

/**
 * What the conformance tests share: the real ydb-sdk pointed at an emulator,
 * shortcuts to run a query and to read a YDB failure, and a raw gRPC client
 * for the RPCs the sdk does not expose (Scripting, ExecuteSchemeQuery, ...).
 */
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import sdk from 'ydb-sdk';
import { after, before } from 'node:test';
import { startEmulator, type Emulator } from '../index.js';
import { Ydb, type YdbTypes } from '../ydb-proto.js';

export const { Driver, AnonymousAuthService, StaticCredentialsAuthService, TokenAuthService, TypedValues, StatusCode, YdbError } = sdk;
export type Driver = InstanceType<typeof sdk.Driver>;
type AuthService = ConstructorParameters<typeof sdk.Driver>[0]['authService'];
type QueryParameters = Record<string, ReturnType<typeof sdk.TypedValues.uint64>>;

/** Short enough to fail fast, long enough for a loaded CI machine. */
export const TIMEOUT_MS = 5000;

const silent = (): void => {};
/** The sdk logs expected failures at error level; tests assert on them instead. */
export const silentLogger = { fatal: silent, error: silent, warn: silent, info: silent, debug: silent, trace: silent };

/**
 * Starts an emulator, a connected driver and a raw gRPC client before the
 * file's tests and stops them after; `onStart` receives them.
 */
export function useEmulator(onStart: (started: { ydb: Emulator; driver: Driver; raw: RawClient }) => void): void {
  let started: { ydb: Emulator; driver: Driver; raw: RawClient } | undefined;
  before(async () => {
    const ydb = await startEmulator();
    started = { ydb, driver: await connect(ydb), raw: new RawClient(ydb) };
    onStart(started);
  });
  after(async () => {
    started?.raw.close();
    await started?.driver.destroy();
    await started?.ydb.stop();
  });
}

/** A driver that has discovered the emulator; `await driver.destroy()` it, or the process never exits. */
export async function connect(target: { connectionString: string }, authService: AuthService = new AnonymousAuthService()): Promise<Driver> {
  const driver = newDriver(target, authService);
  assert.equal(await driver.ready(TIMEOUT_MS), true, 'driver did not become ready');
  return driver;
}

export function newDriver(target: { connectionString: string }, authService: AuthService = new AnonymousAuthService()): Driver {
  return new Driver({ connectionString: target.connectionString, authService, logger: silentLogger });
}

type QuerySession = Parameters<Parameters<Driver['queryClient']['do']>[0]['fn']>[0];
/** What `session.execute` takes besides the text: parameters, txControl, execMode, ... */
export type ExecuteOptions = Omit<Parameters<QuerySession['execute']>[0], 'text'>;

/**
 * Runs one `session.execute` in `queryClient.do` and drains it: every result
 * set's rows, and the session's transaction id left open afterwards, if any.
 */
export async function execute(driver: Driver, text: string, options: ExecuteOptions = {}): Promise<{ resultSets: Record<string, unknown>[][]; openTxId?: string }> {
  return driver.queryClient.do({
    timeout: TIMEOUT_MS,
    fn: async (session) => {
      const res = await session.execute({ text, ...options });
      const resultSets: Record<string, unknown>[][] = [];
      for await (const resultSet of res.resultSets) {
        const rows: Record<string, unknown>[] = [];
        for await (const row of resultSet.rows) rows.push(row as Record<string, unknown>);
        resultSets.push(rows);
      }
      await res.opFinished;
      return { resultSets, ...(session.txId ? { openTxId: session.txId } : {}) };
    },
  });
}

/** Runs one NoTx query and returns its first result set's rows. */
export async function query(driver: Driver, text: string, parameters?: QueryParameters): Promise<Record<string, unknown>[]> {
  const { resultSets } = await execute(driver, text, parameters ? { parameters } : {});
  return resultSets[0] ?? [];
}

/** `tx_control` that runs one query as a whole serializable transaction. */
export const ONE_SHOT_TX = { beginTx: { serializableReadWrite: {} }, commitTx: true };

export interface Issue {
  message: string;
  issueCode?: number;
  severity?: number;
  position?: { row: number; column: number };
}

export interface Failure {
  /** The YDB status code, e.g. `StatusCode.GENERIC_ERROR`. */
  status: number;
  /** The sdk's flattened issue list. */
  issues: Issue[];
  /** All issue messages joined, for regex assertions. */
  text: string;
}

/** The YDB failure a promise rejects with; fails the test when it resolves or throws something else. */
export async function failureOf(work: Promise<unknown>): Promise<Failure> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof YdbError, `expected a YdbError, got ${String(err)}`);
    const issues = (err.issues ?? []) as Issue[];
    return { status: (err.constructor as unknown as { status: number }).status, issues, text: issues.map((i) => i.message).join('\n') };
  }
  assert.fail('expected the call to fail with a YDB status');
}

/** A failing query's YDB failure. */
export function queryFailure(driver: Driver, text: string, parameters?: QueryParameters): Promise<Failure> {
  return failureOf(query(driver, text, parameters));
}

/** The issue, at any depth, whose message matches. */
export function issueMatching(failure: Failure, pattern: RegExp): Issue {
  const found = failure.issues.find((i) => pattern.test(i.message));
  assert.ok(found, `no issue matches ${pattern}; issues were:\n${failure.text}`);
  return found;
}

/** An issue's position as a plain `{ row, column }` (the sdk gives protobuf objects). */
export function positionOf(issue: Issue): { row: number; column: number } | undefined {
  return issue.position && { row: issue.position.row, column: issue.position.column };
}

interface Encodes<T> {
  encode(message: T): { finish(): Uint8Array };
}
interface Decodes<T> {
  decode(data: Uint8Array): T;
}

/** What Scripting/ExecuteYql answered: its status, its issues flattened, and its result sets' rows counts. */
export interface ScriptOutcome extends Failure {
  rowCounts: number[];
}

/** Runs a script through the Scripting service (the sdk has no wrapper for it). */
export async function runScript(raw: RawClient, script: string): Promise<ScriptOutcome> {
  const { operation } = await raw.unary('/Ydb.Scripting.V1.ScriptingService/ExecuteYql', Ydb.Scripting.ExecuteYqlRequest, Ydb.Scripting.ExecuteYqlResponse, { script });
  const flatten = (issues: YdbTypes.Issue.IIssueMessage[]): Issue[] =>
    issues.flatMap((i) => [
      { message: i.message ?? '', ...(i.issueCode ? { issueCode: i.issueCode } : {}), ...(i.position ? { position: { row: i.position.row ?? 0, column: i.position.column ?? 0 } } : {}) },
      ...flatten(i.issues ?? []),
    ]);
  const issues = flatten(operation?.issues ?? []);
  const result = operation?.result?.value ? Ydb.Scripting.ExecuteYqlResult.decode(operation.result.value) : undefined;
  return {
    status: operation?.status ?? 0,
    issues,
    text: issues.map((i) => i.message).join('\n'),
    rowCounts: (result?.resultSets ?? []).map((rs) => rs.rows?.length ?? 0),
  };
}

/** A bare gRPC client speaking to the emulator with the metadata YDB expects. */
export class RawClient {
  private readonly client: grpc.Client;
  private readonly metadata = new grpc.Metadata();

  constructor(ydb: Emulator, headers: Record<string, string> = { 'x-ydb-database': ydb.database }) {
    this.client = new grpc.Client(`127.0.0.1:${ydb.port}`, grpc.credentials.createInsecure());
    for (const [key, value] of Object.entries(headers)) this.metadata.set(key, value);
  }

  unary<Req, Res>(path: string, request: Encodes<Req>, response: Decodes<Res>, message: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(path, serializer(request), deserializer(response), message, this.metadata, (err, value) =>
        err || value === undefined ? reject(err ?? new Error('no response')) : resolve(value),
      );
    });
  }

  /** Opens a server stream; `messages` fills as parts arrive, `done` settles when the stream ends. */
  stream<Req, Res>(path: string, request: Encodes<Req>, response: Decodes<Res>, message: Req) {
    const call = this.client.makeServerStreamRequest(path, serializer(request), deserializer(response), message, this.metadata);
    const messages: Res[] = [];
    call.on('data', (part: Res) => messages.push(part));
    const done = new Promise<grpc.StatusObject>((resolve) => {
      call.on('status', resolve);
      call.on('error', () => {}); // the status event carries the outcome
    });
    return { messages, done, cancel: () => call.cancel() };
  }

  close(): void {
    this.client.close();
  }
}

function serializer<T>(type: Encodes<T>): (value: T) => Buffer {
  return (value) => Buffer.from(type.encode(value).finish());
}

function deserializer<T>(type: Decodes<T>): (bytes: Buffer) => T {
  return (bytes) => type.decode(bytes);
}

/**
 * Runs `work` while collecting promise rejections nobody handles. When
 * discovery fails, the sdk's table pool still pre-creates a session and that
 * promise rejects unhandled. node:test fails the running test on any
 * unhandled rejection, so its listeners step aside while `work` runs.
 */
export async function collectingUnhandledRejections(work: () => Promise<void>): Promise<unknown[]> {
  const rejections: unknown[] = [];
  const collect = (reason: unknown): void => {
    rejections.push(reason);
  };
  const runnerListeners = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', collect);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let late rejections surface
  } finally {
    process.off('unhandledRejection', collect);
    for (const listener of runnerListeners) process.on('unhandledRejection', listener);
  }
  return rejections;
}

/** Resolves when `predicate` holds, polling; fails the test after TIMEOUT_MS. */
export async function eventually(predicate: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

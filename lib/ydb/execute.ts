/**
 * Sending queries to YDB. A Request is one unit of work that the SDK may
 * retry as a whole: a scheme query (run with no transaction: one DDL or BATCH statement) or a
 * serializable transaction of one or more queries (the first begins it, the
 * last commits it). A Query remembers where its text came from, so that a
 * YDB issue position inside it maps back to `file:line:col`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ydb } from 'ydb-sdk';
import { MigrateError, type SourceLocation } from '../errors.js';
import { ydbStatusCode } from '../error-codes.js';
import type { BoundParam } from '../params.js';
import { blockPosition, type Block } from '../yql/blocks.js';
import { formatType, type YqlType } from '../yql/literal.js';
import { sdkOf, statusName, type SdkHandle } from './driver.js';
import type { Connection } from './connection.js';
import { rowsOf, toTypedValue } from './typed-values.js';

/** Where a query's text came from: a block of a migration file, placed `rowOffset` rows down in the query. */
export interface QuerySource {
  /** e.g. `migration 0003_x`, for messages. */
  subject: string;
  file: string;
  block: Block;
  rowOffset: number;
}

/** A typed parameter of a query; converted to the protocol's form only when sent. */
export interface Binding {
  /** With the `$`. */
  name: string;
  type: YqlType;
  value: unknown;
}

export interface Query {
  text: string;
  bindings: Binding[];
  /** null for ydb-migrate's own queries (history, lock). */
  source: QuerySource | null;
}

export type Request =
  | { kind: 'scheme'; query: Query }
  | { kind: 'transaction'; queries: Query[] };

/** Rows of each result set, for each query of the request, as `rowsOf` gives them. */
export type RequestRows = Record<string, unknown>[][][];

export interface RunOptions {
  /** Bounds the whole request, retries included; none for migration blocks, whose DDL may legitimately run for hours. */
  timeoutMs?: number;
  /** What ydb-migrate's own request does, for messages: "taking the lock", "writing the history row of NAME". */
  doing?: string;
  /**
   * Repeating the request cannot apply anything twice (reads, and ydb-migrate's
   * own upserts and deletes): it is also repeated after failures whose outcome
   * is unknown (UNAVAILABLE, a dropped connection). Otherwise only after
   * statuses with which YDB ran none of it.
   */
  idempotent?: boolean;
}

/** A request is sent at most this many times... */
const MAX_ATTEMPTS = 10;
/** ...and repeated only while this much time has passed since the first attempt (env YDB_MIGRATE_RETRY_SECONDS). */
const DEFAULT_RETRY_SECONDS = 60;
const BACKOFF_FIRST_MS = 20;
const BACKOFF_MAX_MS = 1000;
/** Statuses with which YDB ran none of the request (or rolled it back): any request may be sent again. */
const NOTHING_RAN = new Set(['ABORTED', 'OVERLOADED', 'BAD_SESSION', 'SESSION_BUSY']);
/** Statuses with which YDB refused the request before running any of it: sending it again as it is would be refused again. */
const REFUSED = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'SCHEME_ERROR', 'GENERIC_ERROR', 'PRECONDITION_FAILED', 'ALREADY_EXISTS', 'NOT_FOUND', 'UNSUPPORTED']);
/** Statuses whose outcome is unknown, or a lost connection: only an idempotent request may be sent again. */
const OUTCOME_UNKNOWN = new Set(['UNAVAILABLE', 'TRANSPORT_UNAVAILABLE', 'SESSION_EXPIRED', 'UNDETERMINED', 'CLIENT_CANCELED', 'TIMEOUT', 'CLIENT_DEADLINE_EXCEEDED']);
/** Why the outcome is unknown, where it is not that the answer was lost. */
const UNKNOWN_BECAUSE: Readonly<Record<string, string>> = { TIMEOUT: 'YDB timed out the request', CLIENT_DEADLINE_EXCEEDED: 'no answer came in time' };
const PARAM_PREFIX = 'ydb_migrate_';
const ROW_MODE_YDB = 1; // RowType.Ydb: result columns keep their names

/**
 * Builds one query: a migration block (with the DECLAREs it borrows from
 * elsewhere in its file on one line before it) and/or ydb-migrate's own
 * statements after it, every value a typed parameter.
 */
export class QueryBuilder {
  private readonly declarations: string[] = [];
  private readonly statements: string[] = [];
  private readonly bindings: Binding[] = [];
  private counter = 0;

  /** A new parameter holding `value`; returns its `$name`. Fits lib/online/history-table.ts's `Bind`. */
  readonly bind = (type: YqlType, value: unknown): string => {
    const name = `$${PARAM_PREFIX}${++this.counter}`;
    this.declarations.push(declaration(name, type));
    this.bindings.push({ name, type, value });
    return name;
  };

  /** Appends one of ydb-migrate's own statements (built with `bind`). */
  add(statement: string): this {
    this.statements.push(statement);
    return this;
  }

  /** The query of ydb-migrate's own statements alone. */
  build(): Query {
    const head = this.declarations.join(' ');
    return { text: `${head ? `${head}\n` : ''}${this.statements.join('\n')}`, bindings: [...this.bindings], source: null };
  }

  /**
   * The query of a migration block, with this builder's statements after it.
   * `bound` holds the file's parameters; the block gets those it reads or declares.
   */
  buildBlock(block: Block, bound: readonly BoundParam[], subject: string, file: string): Query {
    const ownDeclarations = new Set(block.statements.flatMap((s) => (s.declaration ? [s.declaration.name] : [])));
    const bindings: Binding[] = [];
    const borrowed: string[] = [];
    for (const param of bound) {
      if (!ownDeclarations.has(param.name) && !block.params.includes(param.name)) continue;
      bindings.push({ name: `$${param.name}`, type: param.type, value: param.value });
      if (!ownDeclarations.has(param.name)) borrowed.push(declaration(`$${param.name}`, param.type));
    }
    const head = [...borrowed, ...this.declarations].join(' ');
    const last = block.statements[block.statements.length - 1];
    const terminated = last === undefined || last.text.trimEnd().endsWith(';');
    const tail = this.statements.length > 0 ? `${terminated ? '' : ';'}\n${this.statements.join('\n')}` : '';
    return {
      text: `${head ? `${head}\n` : ''}${block.text}${tail}`,
      bindings: [...bindings, ...this.bindings],
      source: { subject, file, block, rowOffset: head ? 1 : 0 },
    };
  }
}

function declaration(name: string, type: YqlType): string {
  return `DECLARE ${name} AS ${formatType(type)};`;
}

/** Runs a request; rejects with a MigrateError that names the failing query's source. */
export async function runRequest(connection: Connection, request: Request, options: RunOptions = {}): Promise<RequestRows> {
  const first = request.kind === 'scheme' ? request.query : (request.queries[0] ?? null);
  if (request.kind === 'scheme') return [await withSession(connection, options, first, (session, track) => executeQuery(session, track(request.query), undefined))];
  return runTransaction(connection, async (tx) => {
    const rows: RequestRows = [];
    for (const [i, query] of request.queries.entries()) rows.push(await tx.query(query, { commit: i === request.queries.length - 1 }));
    return rows;
  }, options, first);
}

/** A serializable transaction in the making: the first query begins it, one with `commit` ends it. */
export interface Transaction {
  query(query: Query, options?: { commit?: boolean }): Promise<Record<string, unknown>[][]>;
}

/**
 * Runs `work` in one serializable transaction, retried as a whole when YDB
 * asks for it (ABORTED on a lost optimistic lock). A transaction that `work`
 * leaves uncommitted is rolled back. `first`: the query it begins with, to
 * name in a message when no session could be had.
 */
export function runTransaction<T>(connection: Connection, work: (tx: Transaction) => Promise<T>, options: RunOptions = {}, first: Query | null = null): Promise<T> {
  return withSession(connection, options, first, (session, track) => {
    let begun = false;
    return work({
      query: (query, { commit = false } = {}) => {
        const txControl = begun ? { commitTx: commit } : { beginTx: { serializableReadWrite: {} }, commitTx: commit };
        begun = true;
        return executeQuery(session, track(query), txControl);
      },
    });
  });
}

type Session = Parameters<Parameters<SdkHandle['driver']['queryClient']['do']>[0]['fn']>[0];

/**
 * `queryClient.do`, with the retries decided here rather than by the SDK:
 * a failure is repeated, with backoff, only when repeating it is safe (see
 * RunOptions.idempotent; a failure to get a session is always safe, as
 * nothing was sent), at most MAX_ATTEMPTS times and within the retry time,
 * which also bounds the wait for a session (the SDK's own retries of
 * CreateSession included); anything else fails at once. Errors name the
 * query that failed.
 */
async function withSession<T>(connection: Connection, options: RunOptions, first: Query | null, fn: (session: Session, track: (query: Query) => Query) => Promise<T>): Promise<T> {
  let failing: Query | null = null;
  const track = (query: Query): Query => (failing = query);
  const since = performance.now();
  const deadline = since + retrySeconds() * 1000;
  for (let attempt = 1; ; attempt++) {
    const sending = { started: false, abandoned: false };
    let cause: unknown;
    try {
      const work = sdkOf(connection).driver.queryClient.do({
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        fn: async (session) => {
          // A session that came after this attempt was given up on (its wait for a session, or its timeout) must not send anything.
          if (sending.abandoned) throw new Stop(new Error('abandoned'));
          sending.started = true;
          try {
            return await fn(session, track);
          } catch (err) {
            throw new Stop(err);
          }
        },
      });
      const noSession = (): MigrateError => notServed(connection, failed(first, options.doing), 'YDB gave no session', since, attempt, true);
      return await untilDeadline(work, deadline, sending, noSession);
    } catch (err) {
      sending.abandoned = true;
      // Only the wait for a session, given up on, ends in a MigrateError here (any other is wrapped in Stop).
      if (err instanceof MigrateError) throw err;
      cause = err instanceof Stop ? err.cause : err;
      if (sdkOf(connection).sdk.Context.isTimeout(cause)) cause = new ClientTimeout(options.timeoutMs ?? 0);
    }
    const status = statusOf(connection, cause);
    const safe = options.idempotent === true || !sending.started;
    const repeatable = status !== null && (NOTHING_RAN.has(status) || (safe && OUTCOME_UNKNOWN.has(status)));
    const pause = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    if (!repeatable || attempt >= MAX_ATTEMPTS || performance.now() + pause > deadline) {
      if (!sending.started) throw notServed(connection, failed(first, options.doing), 'YDB gave no session', since, attempt, true, cause);
      throw queryError(connection, attempt > 1 ? new GaveUp(attempt, cause) : cause, failing, options.doing);
    }
    await sleep(pause);
  }
}

/**
 * `work`, unless it has not started sending by `deadline`: then it is
 * abandoned, with the error `late` makes. Once a request is sending, only its own timeout bounds it.
 */
function untilDeadline<T>(work: Promise<T>, deadline: number, sending: { started: boolean; abandoned: boolean }, late: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (sending.started) return;
      sending.abandoned = true;
      reject(late());
    }, Math.max(0, deadline - performance.now()));
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** The request's own timeout (RunOptions.timeoutMs) passed: ydb-sdk stopped waiting for the answer. */
class ClientTimeout extends Error {
  readonly status = 'CLIENT_DEADLINE_EXCEEDED';
  constructor(ms: number) {
    super(`YDB did not answer within ${ms / 1000} s`);
  }
}

/**
 * YDB did not serve the request (`waitingFor`: what it could not get) and
 * the retries are over: what YDB refused last (the failure at hand, else,
 * when the retry time ran out while ydb-sdk was still retrying on its own,
 * the last refusal seen since `since`), and what to do.
 */
function notServed(connection: Connection, what: string, waitingFor: string, since: number, attempts: number, sentNothing: boolean, cause?: unknown): MigrateError {
  const error = notServedError(connection, what, waitingFor, since, attempts, sentNothing, cause);
  if (sentNothing) UNSENT.add(error);
  return error;
}

/** The failures of requests of which nothing was sent (no session came): `outcomeOf` says 'not sent' whatever the status. */
const UNSENT = new WeakSet<MigrateError>();

function notServedError(connection: Connection, what: string, waitingFor: string, since: number, attempts: number, sentNothing: boolean, cause?: unknown): MigrateError {
  const timedOut = cause === undefined;
  const refusal = timedOut ? (sdkOf(connection).answers?.last(since) ?? null) : refusalOf(connection, cause);
  const within = `${timedOut ? ` within ${retrySeconds()} s (the retry time; env YDB_MIGRATE_RETRY_SECONDS)${attempts > 1 ? ',' : ''}` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
  const said = refusal ? `${refusal.method} ${/^(TRANSPORT|CLIENT)_/.test(refusal.status) ? 'failed with' : 'answered'} ${refusal.status}${refusal.message ? `: ${connection.mask(refusal.message)}` : ''}` : 'YDB did not answer';
  return new MigrateError(refusal ? ydbStatusCode(refusal.status) : 'YDB_NO_ANSWER', `${what}: ${waitingFor}${within}: ${said}`, {
    ...(timedOut ? {} : { cause }),
    details: [`${sentNothing ? 'nothing of the request was sent; ' : ''}${whatToDo(refusal?.status ?? null)}`],
  });
}

/** Statuses that say who is asking is refused, not that YDB is busy. */
const LOGIN_REFUSED = new Set(['UNAUTHORIZED', 'UNAUTHENTICATED']);

/** What to do about a request YDB did not serve with `status` (null: no answer). */
function whatToDo(status: string | null): string {
  if (status === 'OVERLOADED') return 'YDB is overloaded: run again later, or raise YDB_MIGRATE_RETRY_SECONDS to wait longer';
  if (status !== null && LOGIN_REFUSED.has(status)) return 'YDB refused the credentials: check them, and that this user may use the database';
  if (status === null || NOTHING_RAN.has(status) || OUTCOME_UNKNOWN.has(status)) return 'YDB is not serving requests now: run again later, or raise YDB_MIGRATE_RETRY_SECONDS to wait longer';
  return "YDB refused it: YDB's message above says why";
}

/** A failure to get a session as a refusal: its status and YDB's words. */
function refusalOf(connection: Connection, cause: unknown): { method: string; status: string; message: string } | null {
  const status = statusOf(connection, cause);
  if (status === null) return null;
  const issues = issuesOf(cause).map((i) => i.message);
  return { method: 'session creation', status, message: issues.length > 0 ? issues.join('; ') : cause instanceof Error ? cause.message : String(cause) };
}

/**
 * `work` (a call that ydb-sdk retries on its own, and that sends nothing
 * that changes the database), bounded by the retry time.
 */
export function withinRetryTime<T>(connection: Connection, what: string, work: () => Promise<T>): Promise<T> {
  const since = performance.now();
  return untilDeadline(work(), since + retrySeconds() * 1000, { started: false, abandoned: false }, () => notServed(connection, what, 'no answer from YDB', since, 1, false));
}

function retrySeconds(): number {
  const given = Number(process.env.YDB_MIGRATE_RETRY_SECONDS);
  return Number.isFinite(given) && given >= 0 && process.env.YDB_MIGRATE_RETRY_SECONDS !== '' ? given : DEFAULT_RETRY_SECONDS;
}

/** Thrown from the function the SDK runs, so that the SDK does not retry: a plain Error is never retried. */
class Stop extends Error {
  constructor(override readonly cause: unknown) {
    super('stop');
  }
}

async function executeQuery(session: Session, query: Query, txControl: Ydb.Query.ITransactionControl | undefined): Promise<Record<string, unknown>[][]> {
  const result = await session.execute({
    text: query.text,
    parameters: Object.fromEntries(query.bindings.map((b) => [b.name, toTypedValue(b.type, b.value)])),
    ...(txControl ? { txControl } : {}),
    rowMode: ROW_MODE_YDB,
  });
  const sets: Record<string, unknown>[][] = [];
  for await (const resultSet of result.resultSets) {
    const rows: Ydb.IValue[] = [];
    for await (const row of resultSet.rows) rows.push(row as Ydb.IValue);
    sets.push(rowsOf({ columns: resultSet.columns as Ydb.IColumn[], rows }));
  }
  // A late error would otherwise surface as an unhandled rejection.
  await result.opFinished;
  return sets;
}

/** A failure that was repeated until the attempts or the retry time ran out. */
class GaveUp extends Error {
  constructor(
    readonly attempts: number,
    readonly last: unknown,
  ) {
    super(`gave up after ${attempts} attempts`);
  }
}

/** A YDB status name such as `SCHEME_ERROR`, or null for an error that did not come from YDB. */
/**
 * What is known of a failed request: YDB refused it or ran none of it
 * (each request is one DDL statement or one transaction), nothing of it was
 * sent, or its outcome is unknown (the answer was lost or timed out: it may
 * have run, or may still).
 */
export function outcomeOf(connection: Connection, err: MigrateError): 'refused' | 'not sent' | 'unknown' {
  if (UNSENT.has(err)) return 'not sent';
  const status = statusOf(connection, err);
  return status !== null && (REFUSED.has(status) || NOTHING_RAN.has(status)) ? 'refused' : 'unknown';
}

export function statusOf(connection: Connection, err: unknown): string | null {
  const cause = err instanceof MigrateError ? err.cause : err;
  return cause instanceof ClientTimeout ? cause.status : statusName(sdkOf(connection).sdk, cause);
}

interface Issue {
  message: string;
  severity: number;
  position: { row: number; column: number } | null;
}

/**
 * A failed request as a MigrateError: what failed (the migration and its
 * file:line:col when a block's query failed), YDB's status and message.
 * Messages pass through the connection's mask.
 */
export function queryError(connection: Connection, err: unknown, query: Query | null, doing?: string): MigrateError {
  if (err instanceof MigrateError) return err;
  const gaveUp = err instanceof GaveUp ? err : null;
  const cause = gaveUp ? gaveUp.last : err;
  const status = statusOf(connection, cause);
  const issues = issuesOf(cause);
  const source = query?.source ?? null;
  const located = [...issues].reverse().find((i) => i.position && i.severity <= 1) ?? null;
  const primary = located ?? issues.find((i) => i.severity <= 1) ?? null;
  const location = source && located?.position ? mapPosition(source, query!.text, located.position) : source ? blockStart(source) : undefined;
  const reason = connection.mask(primary?.message ?? (cause instanceof Error ? cause.message : String(cause)));
  const what = failed(query, doing);
  const retried = gaveUp ? ` (still failing after ${gaveUp.attempts} attempts)` : '';
  const issueLines = issues.map((i) => {
    const at = source && i.position ? mapPosition(source, query!.text, i.position) : null;
    return connection.mask(`${at ? `${at.file}:${at.line}:${at.column}: ` : ''}${i.message}`);
  });
  const details = issueLines.length > 1 ? issueLines : [];
  if (source && status !== null && OUTCOME_UNKNOWN.has(status)) {
    details.push(`${UNKNOWN_BECAUSE[status] ?? 'the answer was lost'}, so whether YDB ran this request is unknown; it was not sent again: check the database before going on`);
  }
  if (status === 'CLIENT_RESOURCE_EXHAUSTED' && query) {
    details.push(`the request was ${Buffer.byteLength(query.text)} bytes of text plus its parameters, more than gRPC lets through; split the statement, or load large data in several smaller statements`);
  }
  return new MigrateError(
    ydbStatusCode(status),
    `${what}: ${status ?? 'error'}${retried}: ${reason}`,
    { cause, ...(location ? { location } : {}), ...(details.length > 0 ? { details } : {}) },
  );
}

/** What failed, for the start of a message: the migration whose query it was, or what ydb-migrate was doing. */
function failed(query: Query | null, doing: string | undefined): string {
  return query?.source ? `${query.source.subject} failed` : `${doing ?? 'a history or lock query'} failed`;
}

/** The SDK flattens YDB's issue tree, parents first. */
function issuesOf(err: unknown): Issue[] {
  const raw = (err as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(raw)) return [];
  return raw.map((i: Ydb.Issue.IIssueMessage) => ({
    message: i.message ?? '',
    severity: i.severity ?? 1,
    position: i.position?.row ? { row: i.position.row, column: i.position.column || 1 } : null,
  }));
}

/**
 * A position inside a block's query → the file. YDB counts columns in
 * Unicode code points (its antlr4 parser, the default since 25.2); the file's
 * columns count UTF-16 code units, so the column is converted on the query's
 * own line. Rows above the block are the DECLAREs ydb-migrate put there;
 * rows below it are ydb-migrate's own statements: both are reported at the
 * block's start.
 */
export function mapPosition(source: QuerySource, queryText: string, position: { row: number; column: number }): SourceLocation {
  const lineText = queryText.split('\n')[position.row - 1] ?? '';
  const at = blockPosition(source.block, position.row - source.rowOffset, utf16Column(lineText, position.column));
  return at ? { file: source.file, ...at } : blockStart(source);
}

/** The 1-based UTF-16 column of the code point at 1-based `codePoints` in `line` (past its end: one unit per code point). */
export function utf16Column(line: string, codePoints: number): number {
  let units = 0;
  let counted = 0;
  for (const ch of line) {
    if (counted === codePoints - 1) break;
    units += ch.length;
    counted++;
  }
  return units + Math.max(0, codePoints - 1 - counted) + 1;
}

function blockStart(source: QuerySource): SourceLocation {
  return { file: source.file, line: source.block.line, column: source.block.column };
}

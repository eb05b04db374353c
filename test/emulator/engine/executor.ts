/**
 * Runs one request the way YDB's services do:
 * - 'scheme' (Table.ExecuteSchemeQuery): DDL only;
 * - 'notx' (Query service without txControl): all DDL, applied statement by
 *   statement (not transactional), or all DML in one serializable transaction;
 * - 'tx': DML inside the caller's transaction; DDL is refused;
 * - 'script' (Scripting.ExecuteYql): parts split on COMMIT, each run like 'notx'.
 * The whole text is translated first (translate.ts: pragmas, paths, names; a
 * script is one program). Then each query, or script part, is refused if it
 * mixes DDL and DML, and type-checked against the schema as it stands when it
 * starts (typecheck.ts), before any of its statements runs.
 */
import type { Ydb } from 'ydb-sdk-proto';
import { isDdl, isDml, type Statement } from './ast.js';
import { exprEnv, type QueryContext } from './context.js';
import { executeDdl } from './ddl.js';
import { executeDelete, executeUpdate, executeWrite } from './dml.js';
import { EngineError, IssueCode, issue, syntaxError, typeError, unsupported } from './errors.js';
import { compileExpr } from './expressions.js';
import { parse } from './parser.js';
import { executeSelect } from './select.js';
import { Scope } from './scope.js';
import type { TransactionManager, Tx } from './transactions.js';
import { translate } from './translate.js';
import { typecheck } from './typecheck.js';
import { resolveTypeNode } from './types.js';

export type ExecMode = 'scheme' | 'notx' | 'tx' | 'script';

export interface RunOptions {
  text: string;
  params: Record<string, Ydb.ITypedValue>;
  mode: ExecMode;
  /** The caller's transaction, for 'tx'. */
  tx?: Tx;
}

type Shared = Omit<QueryContext, 'scope' | 'now' | 'tablePaths'> & { txs: TransactionManager };

const MIXED_MESSAGE =
  'Queries with mixed data and scheme operations are not supported. Use separate queries for different types of operations.';

export function runQuery(options: RunOptions, shared: Shared): Ydb.IResultSet[] {
  const statements = parse(options.text, shared.profile.yqlParser === 'antlr3' ? 'bytes' : 'codepoints');
  const commit = statements.find((s) => s.kind === 'commit');
  // KQP's type annotation (ydb/core/kqp/provider/yql_kikimr_type_ann.cpp HandleCommit, issue KIKIMR_BAD_OPERATION):
  // only a script may hold COMMIT; ROLLBACK is refused in a query the same way.
  if (commit && (options.mode !== 'script' || commit.rollback)) {
    if (options.mode === 'script') throw unsupported(commit.pos, 'ROLLBACK in a script');
    throw syntaxError(commit.pos, `${commit.rollback ? 'ROLLBACK' : 'COMMIT'} not supported inside YDB query`);
  }
  const tablePaths = translate(statements, { params: Object.keys(options.params).map((k) => k.replace(/^\$/, '')), paths: shared.paths, profile: shared.profile });
  const ctx: QueryContext = { ...shared, tablePaths, scope: new Scope(options.params), now: BigInt(Date.now()) * 1000n };
  const results: Ydb.IResultSet[] = [];
  if (options.mode === 'script') {
    for (const part of splitOnCommit(statements)) runBlock(part, ctx, shared.txs, results);
    return results;
  }
  if (options.mode === 'tx') {
    runInCallerTx(statements, ctx, shared.txs, options.tx, results);
  } else if (options.mode === 'scheme') {
    const dml = statements.find(isDml);
    if (dml) throw new EngineError('GENERIC_ERROR', [issue('Data operations are not allowed in a scheme query', { position: dml.pos })]);
    runBlock(statements, ctx, shared.txs, results);
  } else {
    runBlock(statements, ctx, shared.txs, results);
  }
  return results;
}

function splitOnCommit(statements: Statement[]): Statement[][] {
  const parts: Statement[][] = [[]];
  for (const s of statements) {
    if (s.kind === 'commit') parts.push([]);
    else parts.at(-1)!.push(s);
  }
  return parts;
}

function refuseMixed(statements: Statement[]): void {
  if (statements.some(isDdl) && statements.some(isDml)) {
    throw new EngineError('GENERIC_ERROR', [issue(MIXED_MESSAGE, { code: IssueCode.MIXED_SCHEME_DATA_TX })]);
  }
}

/** A query without txControl: all DDL (each statement applied as it goes) or all DML (one transaction). */
function runBlock(statements: Statement[], ctx: QueryContext, txs: TransactionManager, results: Ydb.IResultSet[]): void {
  refuseMixed(statements);
  typecheck(statements, ctx);
  if (statements.some(isDdl)) {
    for (const s of statements) runStatement(s, ctx, undefined, results);
    return;
  }
  const tx = txs.begin();
  try {
    for (const s of statements) runStatement(s, ctx, tx, results);
  } catch (e) {
    txs.close(tx);
    throw e;
  }
  txs.commit(tx);
}

function runInCallerTx(statements: Statement[], ctx: QueryContext, txs: TransactionManager, tx: Tx | undefined, results: Ydb.IResultSet[]): void {
  if (!tx) throw new EngineError('BAD_REQUEST', [issue('A transaction is required to execute a query in tx mode')]);
  txs.ensureActive(tx);
  // The mixed-query error comes first, as in YDB.
  refuseMixed(statements);
  if (statements.some(isDdl)) {
    throw new EngineError('PRECONDITION_FAILED', [issue('Scheme operations cannot be executed inside transaction')]);
  }
  try {
    typecheck(statements, ctx);
    for (const s of statements) runStatement(s, ctx, tx, results);
  } catch (e) {
    // YDB invalidates a transaction when a query in it fails.
    txs.close(tx);
    throw e;
  }
}

function runStatement(s: Statement, ctx: QueryContext, tx: Tx | undefined, results: Ydb.IResultSet[]): void {
  switch (s.kind) {
    case 'declare':
      return ctx.scope.declare(s.name, resolveTypeNode(s.type), s.pos);
    case 'namedExpr': {
      const value = compileExpr(s.value, exprEnv(ctx));
      if (value.aggregate) throw typeError(s.pos, 'Aggregation is not allowed in a named expression');
      return ctx.scope.bind(s.name, { type: value.type, value: value.eval({}), literal: value.literal });
    }
    case 'pragma':
    case 'commit':
      return; // settled by translate()
    case 'createTable':
    case 'alterTable':
    case 'dropTable':
      return executeDdl(s, ctx);
    case 'write':
      return executeWrite(s, ctx, tx!);
    case 'update':
      return executeUpdate(s, ctx, tx!);
    case 'delete':
      return executeDelete(s, ctx, tx!);
    case 'select':
      results.push(executeSelect(s, ctx, tx!));
      return;
  }
}

/**
 * How the emulator says "no": a YDB status with issues (answered inside a
 * normal response, the way YDB does), or a gRPC-level failure (YDB answers
 * authentication problems and unknown databases below the YDB protocol).
 */
import * as grpc from '@grpc/grpc-js';
import { Ydb, type YdbTypes } from './ydb-proto.js';
import { EngineError, type EngineIssue, type StatusName } from './engine/index.js';

const SEVERITY_ERROR = 1;

/** A YDB status other than SUCCESS, with the issues YDB would attach to it. */
export class YdbFailure extends Error {
  readonly status: StatusName;
  readonly issues: YdbTypes.Issue.IIssueMessage[];

  constructor(status: StatusName, issues: YdbTypes.Issue.IIssueMessage[]) {
    super(issues[0]?.message ?? status);
    this.name = 'YdbFailure';
    this.status = status;
    this.issues = issues;
  }

  /** One error issue, e.g. `YdbFailure.of('BAD_SESSION', 'Session not found: ...')`. */
  static of(status: StatusName, message: string, issueCode?: number): YdbFailure {
    return new YdbFailure(status, [{ message, severity: SEVERITY_ERROR, ...(issueCode === undefined ? {} : { issueCode }) }]);
  }
}

/** A failure answered with a gRPC status instead of a YDB response (e.g. UNAUTHENTICATED). */
export class GrpcFailure extends Error {
  readonly code: grpc.status;

  constructor(code: grpc.status, details: string) {
    super(details);
    this.name = 'GrpcFailure';
    this.code = code;
  }

  /** The form YDB's gRPC layer uses: `unauthenticated, <reason>`. */
  static unauthenticated(reason: string): GrpcFailure {
    return new GrpcFailure(grpc.status.UNAUTHENTICATED, `unauthenticated, ${reason}`);
  }
}

export function statusCode(name: StatusName | 'SUCCESS'): YdbTypes.StatusIds.StatusCode {
  return Ydb.StatusIds.StatusCode[name];
}

export function toIssueMessage(issue: EngineIssue): YdbTypes.Issue.IIssueMessage {
  return {
    message: issue.message,
    severity: issue.severity,
    ...(issue.issueCode === undefined ? {} : { issueCode: issue.issueCode }),
    ...(issue.position ? { position: { row: issue.position.row, column: issue.position.column } } : {}),
    ...(issue.endPosition ? { endPosition: { row: issue.endPosition.row, column: issue.endPosition.column } } : {}),
    ...(issue.issues?.length ? { issues: issue.issues.map(toIssueMessage) } : {}),
  };
}

/**
 * Any error thrown while serving a call, as the YDB status to answer with.
 * GrpcFailure is not handled here: it is answered at the transport level.
 */
export function asYdbFailure(err: unknown): YdbFailure {
  if (err instanceof YdbFailure) return err;
  if (err instanceof EngineError) return new YdbFailure(err.status, err.issues.map(toIssueMessage));
  // A bug in the emulator must look like a server fault, never like a success.
  const message = err instanceof Error ? err.message : String(err);
  return YdbFailure.of('INTERNAL_ERROR', `Emulator internal error: ${message}`);
}

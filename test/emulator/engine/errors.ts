/**
 * YDB-shaped failures: a status name plus a tree of issues, the way a YDB
 * server answers. The gRPC layer turns `status` into `Ydb.StatusIds` and
 * `issues` into `Ydb.Issue.IssueMessage`.
 */

export type StatusName =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'INTERNAL_ERROR'
  | 'ABORTED'
  | 'UNAVAILABLE'
  | 'OVERLOADED'
  | 'SCHEME_ERROR'
  | 'GENERIC_ERROR'
  | 'TIMEOUT'
  | 'BAD_SESSION'
  | 'PRECONDITION_FAILED'
  | 'ALREADY_EXISTS'
  | 'NOT_FOUND'
  | 'SESSION_EXPIRED'
  | 'CANCELLED'
  | 'UNDETERMINED'
  | 'UNSUPPORTED'
  | 'SESSION_BUSY';

/** 1-based, like YDB's issue positions. */
export interface Position {
  row: number;
  column: number;
}

export interface EngineIssue {
  message: string;
  issueCode?: number;
  /** 1 = error (YDB: 0 fatal, 1 error, 2 warning, 3 info). */
  severity: number;
  position?: Position;
  endPosition?: Position;
  issues?: EngineIssue[];
}

/** Issue codes from YDB's `yql/essentials/core/issue/protos/issue_id.proto`. */
export const IssueCode = {
  TYPE_ANNOTATION: 1030,
  EXECUTION: 1060,
  LOCKS_INVALIDATED: 2001,
  SCHEME_ERROR: 2003,
  MIXED_SCHEME_DATA_TX: 2009,
  CONSTRAINT_VIOLATION: 2012,
  TRANSACTION_NOT_FOUND: 2015,
  BAD_REQUEST: 2017,
  SCHEME_MISMATCH: 2028,
  PRECONDITION_FAILED: 2029,
  BAD_COLUMN_TYPE: 2031,
  NO_COLUMN_DEFAULT_VALUE: 2032,
} as const;

const SEVERITY_ERROR = 1;

export class EngineError extends Error {
  readonly status: StatusName;
  readonly issues: EngineIssue[];

  constructor(status: StatusName, issues: EngineIssue[]) {
    super(`${status}: ${flattenIssues(issues).map((i) => i.message).join('; ')}`);
    this.name = 'EngineError';
    this.status = status;
    this.issues = issues;
  }
}

export function issue(
  message: string,
  options: { code?: number; position?: Position; issues?: EngineIssue[] } = {},
): EngineIssue {
  return {
    message,
    severity: SEVERITY_ERROR,
    ...(options.code === undefined ? {} : { issueCode: options.code }),
    ...(options.position ? { position: options.position } : {}),
    ...(options.issues ? { issues: options.issues } : {}),
  };
}

export function flattenIssues(issues: EngineIssue[]): EngineIssue[] {
  return issues.flatMap((i) => [i, ...flattenIssues(i.issues ?? [])]);
}

/** Parse errors: GENERIC_ERROR with the offending token's position, as YQL's parser reports them. */
export function syntaxError(position: Position, message: string): EngineError {
  return new EngineError('GENERIC_ERROR', [issue(message, { position })]);
}

/** Anything YDB has but this emulator does not: refused, never ignored. */
export function unsupported(position: Position, what: string): EngineError {
  return new EngineError('GENERIC_ERROR', [
    issue(`${what} is not supported by the ydb-migrate test emulator`, { position }),
  ]);
}

/** Compile-time (type annotation) failures: YDB wraps them in a "Type annotation" issue. */
export function typeError(position: Position, message: string, code?: number): EngineError {
  const status: StatusName =
    code === IssueCode.BAD_REQUEST || code === IssueCode.BAD_COLUMN_TYPE || code === IssueCode.NO_COLUMN_DEFAULT_VALUE
      ? 'BAD_REQUEST'
      : code === IssueCode.SCHEME_ERROR
        ? 'SCHEME_ERROR'
        : code === IssueCode.PRECONDITION_FAILED
          ? 'PRECONDITION_FAILED'
          : 'GENERIC_ERROR';
  return new EngineError(status, [
    issue('Type annotation', {
      code: IssueCode.TYPE_ANNOTATION,
      issues: [issue(message, { position, ...(code === undefined ? {} : { code }) })],
    }),
  ]);
}

/** Scheme-operation failures: "Execution" → "Executing <OP>" → the scheme shard's reason. */
export function schemeOperationError(
  status: StatusName,
  position: Position,
  operation: string,
  reason: string,
): EngineError {
  return new EngineError(status, [
    issue('Execution', {
      code: IssueCode.EXECUTION,
      issues: [
        issue(`Executing ${operation}`, {
          position,
          issues: [issue(reason, { code: IssueCode.SCHEME_ERROR })],
        }),
      ],
    }),
  ]);
}

/**
 * A missing table. Queries report it from type annotation "At function: KiReadTable!"
 * (or KiWriteTable!); scheme statements report the bare issue.
 */
export function tableNotFound(position: Position, fullPath: string, atFunction?: 'KiReadTable!' | 'KiWriteTable!'): EngineError {
  const notFound = issue(
    `Cannot find table 'db.[${fullPath}]' because it does not exist or you do not have access permissions.` +
      ' Please check correctness of table path and user permissions.',
    { position, code: IssueCode.SCHEME_ERROR },
  );
  if (!atFunction) return new EngineError('SCHEME_ERROR', [notFound]);
  return new EngineError('SCHEME_ERROR', [
    issue('Type annotation', {
      code: IssueCode.TYPE_ANNOTATION,
      issues: [issue(`At function: ${atFunction}`, { position, issues: [notFound] })],
    }),
  ]);
}

export function locksInvalidated(fullPath: string): EngineError {
  return new EngineError('ABORTED', [
    issue(`Transaction locks invalidated. Table: \`${fullPath}\`.`, { code: IssueCode.LOCKS_INVALIDATED }),
  ]);
}

/**
 * Whether a request that failed ran: YDB refused it (nothing of it ran, as
 * each request is one DDL statement or one transaction), or its outcome is
 * unknown (the answer was lost or timed out: it may have run, or may still).
 */
import type { MigrateError } from '../errors.js';
import type { Connection } from '../ydb/connection.js';
import { statusOf } from '../ydb/execute.js';

/**
 * Statuses with which YDB refuses a request without running any of it. Any
 * other (TIMEOUT, UNDETERMINED, CANCELLED, UNAVAILABLE, SESSION_EXPIRED, the
 * client's deadline or transport errors, no status at all) leaves it unknown.
 */
const REFUSALS = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'SCHEME_ERROR', 'GENERIC_ERROR', 'PRECONDITION_FAILED', 'ALREADY_EXISTS', 'NOT_FOUND', 'UNSUPPORTED', 'ABORTED', 'OVERLOADED', 'BAD_SESSION', 'SESSION_BUSY']);

export function wasRefused(connection: Connection, error: MigrateError): boolean {
  const status = statusOf(connection, error);
  return status !== null && REFUSALS.has(status);
}

/**
 * The record of which requests of an unfinished migration completed: the
 * direction the run took, a checksum of each request's text, in order, and
 * what is known of the request after them, kept in the history's
 * `requests_ran` column as `up 1a2b3c4d5e6f7a8b ... [-|?9c8d...]`. A resume
 * compares it with the file, request by request, so it can tell that the
 * part that ran is unchanged however the rest was fixed.
 */
import { checksumOf } from '../checksum.js';
import type { Block } from '../yql/blocks.js';

/**
 * The request after the ones that ran: it did not run (YDB refused it, or it
 * was never sent), or its outcome is unknown (its answer was lost or timed
 * out), in which case the text that was sent is kept by its checksum.
 */
export type NextRequest = { kind: 'did not run' } | { kind: 'unknown'; checksum: string };

export interface RequestsRan {
  direction: 'up' | 'down';
  /** One per completed request, in order: `requestChecksum` of its block. */
  checksums: string[];
  /** null: the record says nothing of it (a resume's own marker row, written before it runs anything). */
  next: NextRequest | null;
}

const DID_NOT_RUN = '-';
const UNKNOWN = '?';

/** 64 bits of the text's sha256: enough to tell an edit, short enough for a row. */
export function requestChecksum(block: Block): string {
  return checksumOf(block.text).slice(0, 16);
}

/** `next` names the request after `blocks` and what is known of it. */
export function encodeRequestsRan(direction: 'up' | 'down', blocks: readonly Block[], next: { kind: 'did not run' } | { kind: 'unknown'; block: Block } | null): string {
  const last = next === null ? [] : next.kind === 'did not run' ? [DID_NOT_RUN] : [`${UNKNOWN}${requestChecksum(next.block)}`];
  return [direction, ...blocks.map(requestChecksum), ...last].join(' ');
}

/** The record of a row, or null when the row has none (written by an offline script, a crash, or an earlier version). */
export function decodeRequestsRan(text: string | null): RequestsRan | null {
  if (text === null) return null;
  const [direction, ...checksums] = text.split(' ');
  const last = checksums[checksums.length - 1] ?? '';
  const next: NextRequest | null = last === DID_NOT_RUN ? { kind: 'did not run' } : last.startsWith(UNKNOWN) ? { kind: 'unknown', checksum: last.slice(UNKNOWN.length) } : null;
  if (next) checksums.pop();
  return { direction: direction === 'down' ? 'down' : 'up', checksums, next };
}

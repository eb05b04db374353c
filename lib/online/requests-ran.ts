/**
 * The record of which requests of an unfinished migration completed: the
 * direction the run took and a checksum of each request's text, in order,
 * kept in the history's `requests_ran` column as `up 1a2b3c4d5e6f7a8b ...`.
 * A resume compares it with the file, request by request, so it can tell
 * that the part that ran is unchanged however the rest was fixed.
 */
import { checksumOf } from '../checksum.js';
import type { Block } from '../yql/blocks.js';

export interface RequestsRan {
  direction: 'up' | 'down';
  /** One per completed request, in order: `requestChecksum` of its block. */
  checksums: string[];
  /** The request after them is known not to have run (YDB refused it, or it was never sent): a resume runs it without checking. */
  nextDidNotRun: boolean;
}

/** The last word of the record when `nextDidNotRun`. */
const NEXT_DID_NOT_RUN = '-';

/** 64 bits of the text's sha256: enough to tell an edit, short enough for a row. */
export function requestChecksum(block: Block): string {
  return checksumOf(block.text).slice(0, 16);
}

export function encodeRequestsRan(direction: 'up' | 'down', blocks: readonly Block[], nextDidNotRun: boolean): string {
  return [direction, ...blocks.map(requestChecksum), ...(nextDidNotRun ? [NEXT_DID_NOT_RUN] : [])].join(' ');
}

/** The record of a row, or null when the row has none (written by an offline script, a crash, or an earlier version). */
export function decodeRequestsRan(text: string | null): RequestsRan | null {
  if (text === null) return null;
  const [direction, ...checksums] = text.split(' ');
  const nextDidNotRun = checksums[checksums.length - 1] === NEXT_DID_NOT_RUN;
  if (nextDidNotRun) checksums.pop();
  return { direction: direction === 'down' ? 'down' : 'up', checksums, nextDidNotRun };
}

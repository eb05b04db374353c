/**
 * A migration's identity is the checksum of its text as an editor shows it:
 * a byte-order mark or Windows line endings must not make an unchanged file
 * look "changed" to the history table.
 */
import { hash } from 'node:crypto';

const BYTE_ORDER_MARK = '\uFEFF';

/** Strips a leading BOM and turns CRLF and lone CR into LF. */
export function normalizeText(text: string): string {
  const withoutBom = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  // Most files hold no CR: a search for one is much cheaper than a replace that finds none.
  return withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
}

/** sha256 hex of the normalized text, e.g. `checksumOf('a\r\n') === checksumOf('a\n')`. */
export function checksumOf(text: string): string {
  // One-shot: no Hash object per file, which counts when a directory holds thousands.
  return hash('sha256', normalizeText(text), 'hex');
}

/**
 * A down file with no statements looks like a revert and undoes nothing: the
 * next `up` then fails on what was left. Such a text is "not reversible"
 * unless it says so on purpose, with the marker line below.
 */
import { MigrateError, type Warning } from './errors.js';

/** A line of its own in a down file: this migration has nothing to undo. */
export const NOTHING_TO_UNDO = '-- ydb-migrate: nothing to undo';
const MARKER = /^--\s*ydb-migrate:\s*nothing to undo\s*$/im;

export interface DownText {
  text: string;
  blocks: readonly unknown[];
}

/** True for a down text that has no statements and no marker line. */
export function isUnmarkedEmptyDown(down: DownText): boolean {
  return down.blocks.length === 0 && !MARKER.test(down.text);
}

/** What to do about an empty down file, for messages. */
export function emptyDownHint(name: string): string {
  return `write the statements that undo ${name}, or, if it truly has nothing to undo, add the line '${NOTHING_TO_UNDO}'`;
}

/** `validate`'s warning for a down file that cannot revert anything. */
export function emptyDownWarning(name: string, path: string): Warning {
  return {
    code: 'DOWN_EMPTY',
    message: `${path} has no statements, so down, redo and watch will refuse to revert ${name}; ${emptyDownHint(name)}`,
    location: { file: path, line: 1, column: 1 },
  };
}

/** Refuses a revert whose text would undo nothing; `path` is the file that must change. */
export function emptyDownError(name: string, path: string, storedNote: string): MigrateError {
  return new MigrateError('DOWN_EMPTY', `${path} has no statements, so reverting ${name} would undo nothing${storedNote}; ${emptyDownHint(name)}`, {
    location: { file: path, line: 1, column: 1 },
  });
}

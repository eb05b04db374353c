/**
 * What a failed step left in the database. YDB runs a DML block as one
 * transaction and each DDL statement atomically, but a DDL block statement
 * by statement, and whether the statements before a failing one ran
 * depends on whether YDB failed compiling the block or executing it.
 * Pure; the runner decides from it whether the step stays pending, watch
 * whether to undo.
 */
import type { MigrateError } from '../errors.js';
import type { Block } from '../yql/blocks.js';

/** The text a step ran: its display path (as error locations name it) and blocks. */
export interface RanText {
  path: string;
  blocks: readonly Block[];
}

/** 'none': the database is as before the step; 'some': part of it ran for sure; 'unknown': part of it may have run. */
export type Leftover = 'none' | 'some' | 'unknown';

/**
 * `failedBlock` is the 1-based number of the block whose request failed,
 * null when the step failed before its first block (writing its history row).
 */
export function leftoverOf(text: RanText, failedBlock: number | null, error: MigrateError): Leftover {
  if (failedBlock === null) return 'none';
  if (failedBlock > 1) return 'some';
  const block = text.blocks[0];
  if (!block || block.kind === 'dml') return 'none';
  const second = block.statements.filter((s) => s.role === 'ddl')[1];
  if (!second) return 'none';
  const at = error.location;
  if (!at || at.file !== text.path) return 'unknown';
  const inFirstStatement = at.line < second.line || (at.line === second.line && at.column < second.column);
  return inFirstStatement ? 'none' : 'unknown';
}

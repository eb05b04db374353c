/**
 * What a failed step left in the database. Every block is one atomic
 * request (a single DDL statement, or a DML transaction), so a failed block
 * left nothing of itself; the blocks before it stay applied.
 * Pure; the runner decides from it whether the step stays pending, watch
 * whether to undo.
 */
import type { Block } from '../yql/blocks.js';

/** The text a step ran: its display path (as error locations name it) and blocks. */
export interface RanText {
  path: string;
  blocks: readonly Block[];
}

/** 'none': the database is as before the step; 'some': part of it ran for sure. */
export type Leftover = 'none' | 'some';

/**
 * `failedBlock` is the 1-based number of the block whose request failed,
 * null when the step failed before its first block (writing its history row).
 */
export function leftoverOf(text: RanText, failedBlock: number | null): Leftover {
  return failedBlock !== null && failedBlock > 1 && text.blocks.length > 1 ? 'some' : 'none';
}

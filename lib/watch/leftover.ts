/**
 * What a failed up step left in the database. Every block is one atomic
 * request (a single DDL statement, or a DML transaction), so a failed block
 * left nothing of itself; the blocks before it stay applied.
 * Pure; watch decides from it whether to undo.
 */
import type { Migration } from '../migration.js';

/** 'none': the database is as before the step; 'some': part of it ran for sure. */
export type Leftover = 'none' | 'some';

/**
 * `failedBlock` is the 1-based number of the block whose request failed,
 * null when the step failed before its first block (writing its history row).
 */
export function leftoverOf(migration: Migration, failedBlock: number | null): Leftover {
  return failedBlock !== null && failedBlock > 1 && migration.up.blocks.length > 1 ? 'some' : 'none';
}

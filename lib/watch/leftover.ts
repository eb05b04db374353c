/**
 * What a failed up step left in the database. YDB runs a DML block as one
 * transaction and each DDL statement atomically, but a DDL block statement
 * by statement, and whether the statements before a failing one ran
 * depends on whether YDB failed compiling the block or executing it.
 * Pure; watch decides from it whether to undo.
 */
import type { MigrateError } from '../errors.js';
import type { Migration } from '../migration.js';

/** 'none': the database is as before the step; 'some': part of it ran for sure; 'unknown': part of it may have run. */
export type Leftover = 'none' | 'some' | 'unknown';

/**
 * `failedBlock` is the 1-based number of the block whose request failed,
 * null when the step failed before its first block (writing its history row).
 */
export function leftoverOf(migration: Migration, failedBlock: number | null, error: MigrateError): Leftover {
  if (failedBlock === null) return 'none';
  if (failedBlock > 1) return 'some';
  const block = migration.up.blocks[0];
  if (!block || block.kind === 'dml') return 'none';
  const second = block.statements.filter((s) => s.role === 'ddl')[1];
  if (!second) return 'none';
  const at = error.location;
  if (!at || at.file !== migration.up.path) return 'unknown';
  const inFirstStatement = at.line < second.line || (at.line === second.line && at.column < second.column);
  return inFirstStatement ? 'none' : 'unknown';
}

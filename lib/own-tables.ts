/**
 * The names of the tool's own tables: the history table's path as the user
 * gives it, checked against YDB's naming rules, and its lock table beside
 * it. A room of its own, below everything that reads or writes the tables
 * (the online runner, the offline script, the schema reader that leaves them
 * out).
 */
import { MigrateError } from './errors.js';

const LOCK_SUFFIX = '_lock';
const MAX_NAME_LENGTH = 255;
const YDB_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Validates a history table path (`ydb_migrate_history`, `infra/migrations`,
 * `/local/infra/migrations`) against YDB's naming rules: Latin letters,
 * digits, '.', '-', '_' in each name, at most 255 characters, no folder
 * starting with '.' (YDB keeps system folders there). Returns it unchanged.
 */
export function checkHistoryTable(table: string): string {
  const fail = (why: string): never => {
    throw new MigrateError('HISTORY_BAD_TABLE', `history table '${table}' ${why}; set a path such as ydb_migrate_history or infra/ydb_migrate_history`);
  };
  const segments = (table.startsWith('/') ? table.slice(1) : table).split('/');
  for (const segment of segments) {
    if (segment === '') fail('has an empty folder or table name');
    const bad = [...segment].find((c) => !YDB_NAME.test(c));
    if (bad !== undefined) fail(`contains ${JSON.stringify(bad)}; YDB names allow Latin letters, digits, '.', '-' and '_'`);
    if (segment.startsWith('.')) fail(`has a name starting with '.', which YDB reserves for system folders`);
  }
  const last = segments[segments.length - 1]!;
  if (last.length + LOCK_SUFFIX.length > MAX_NAME_LENGTH) {
    fail(`is too long: the table name may have at most ${MAX_NAME_LENGTH - LOCK_SUFFIX.length} characters, leaving room for its ${LOCK_SUFFIX} table`);
  }
  return table;
}

/** The lock table lives beside the history table: `infra/h` → `infra/h_lock`. */
export function lockTableName(table: string): string {
  return `${table}${LOCK_SUFFIX}`;
}

/**
 * The history table: what the database knows of applied migrations. The
 * column list below is the only description of it; the online runner (typed
 * parameters, lib/online/ydb-history-store.ts) and the offline script
 * (literals, lib/offline/) both build their statements
 * through `historyUpsertStatement`/`historyDeleteStatement`/`historySelectStatement`,
 * passing a `bind` that turns a typed value into query text.
 *
 * Only the key column is NOT NULL in the DDL: NOT NULL on other columns of a
 * row table needs a newer server, and `decodeHistoryRow` checks every value on
 * the way back anyway.
 */
import { MigrateError } from '../errors.js';
import type { Migration } from '../migration.js';
import { TOOL_VERSION } from '../package-info.js';
import { quoteIdentifier } from '../yql/identifier.js';
import { formatType, parseType, type YqlType } from '../yql/literal.js';

export type HistoryState = 'applying' | 'applied' | 'failed';
const HISTORY_STATES: readonly HistoryState[] = ['applying', 'applied', 'failed'];

export interface HistoryRow {
  name: string;
  /** Order of application, 1-based: the row with the highest position is the current state. */
  position: number;
  /** `checksumOf` the up text that was applied. */
  checksum: string;
  /** The down text at apply time, so a migration later removed from the manifest can still be reverted. */
  downText: string | null;
  state: HistoryState;
  appliedAt: Date;
  appliedBy: string;
  toolVersion: string;
  /** How many of the migration's requests completed when its row was written 'failed'; null otherwise, or when not recorded. */
  requestsDone: number | null;
  /**
   * While unfinished: the direction the run took and the checksum of each
   * request's text that completed, as `up 1a2b3c4d5e6f7a8b ...`
   * (lib/online/requests-ran.ts); null otherwise, or when not recorded.
   */
  requestsRan: string | null;
}

/** A row as written: `applied_at` is always the server's `CurrentUtcTimestamp()`, one clock for every client. */
export type HistoryWrite = Omit<HistoryRow, 'appliedAt'>;

export interface ColumnSpec {
  column: string;
  type: YqlType;
  key?: boolean;
}

/** Renders one typed value as query text: a literal (offline) or a parameter name (online). */
export type Bind = (type: YqlType, value: unknown) => string;

export const UTF8 = parseType('Utf8');
export const UINT32 = parseType('Uint32');
export const TIMESTAMP = parseType('Timestamp');
const OPTIONAL_UTF8 = parseType('Utf8?');
const OPTIONAL_UINT32 = parseType('Uint32?');
const MAX_UINT32 = 0xffff_ffff;

/** Checks a value read back from the database; returns an explanation when it is wrong. */
type Check = (value: unknown) => string | null;

interface HistoryColumn extends ColumnSpec {
  field: keyof HistoryRow;
  check: Check;
}

const text: Check = (v) => (typeof v === 'string' ? null : 'expected text');
const nonEmptyText: Check = (v) => (typeof v === 'string' && v !== '' ? null : 'expected non-empty text');
const optionalText: Check = (v) => (v === null || typeof v === 'string' ? null : 'expected text or NULL');
const sha256Hex: Check = (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? null : 'expected a sha256 hex checksum');
const requestsRan: Check = (v) => (v === null || (typeof v === 'string' && /^(up|down)( [0-9a-f]{16})*$/.test(v)) ? null : 'expected NULL or a direction and request checksums');
const optionalUint32: Check = (v) => (v === null ? null : uint32(v));
const state: Check = (v) => (HISTORY_STATES.includes(v as HistoryState) ? null : `expected one of ${HISTORY_STATES.join(', ')}`);
const timestamp: Check = (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? null : 'expected a timestamp');
const uint32: Check = (v) => {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_UINT32 ? null : 'expected a Uint32';
};

export const HISTORY_COLUMNS: ReadonlyArray<HistoryColumn> = [
  { column: 'name', field: 'name', type: UTF8, key: true, check: nonEmptyText },
  { column: 'position', field: 'position', type: UINT32, check: uint32 },
  { column: 'checksum', field: 'checksum', type: UTF8, check: sha256Hex },
  { column: 'down_text', field: 'downText', type: OPTIONAL_UTF8, check: optionalText },
  { column: 'state', field: 'state', type: UTF8, check: state },
  { column: 'applied_at', field: 'appliedAt', type: TIMESTAMP, check: timestamp },
  { column: 'applied_by', field: 'appliedBy', type: UTF8, check: text },
  { column: 'tool_version', field: 'toolVersion', type: UTF8, check: text },
  { column: 'requests_done', field: 'requestsDone', type: OPTIONAL_UINT32, check: optionalUint32 },
  { column: 'requests_ran', field: 'requestsRan', type: OPTIONAL_UTF8, check: requestsRan },
];

/**
 * The columns that earlier versions' tables lack, in the order versions added
 * them: the online runner adds the missing ones in place (`addColumnStatement`).
 */
export const ADDED_COLUMNS = ['requests_done', 'requests_ran'] as const;
export const PROGRESS_COLUMN = ADDED_COLUMNS[0];

/**
 * Which columns a history table has: `current` as `historyTableDdl` creates
 * it, `without-requests-ran` as the versions before `requests_ran` did,
 * `without-progress` as the versions before ADDED_COLUMNS did. Offline
 * scripts write only the columns every shape has, so they run on any.
 */
export type HistoryShape = 'current' | 'without-requests-ran' | 'without-progress';

/** Newest first: the shape to try when a read finds a column missing. */
export const HISTORY_SHAPES: readonly HistoryShape[] = ['current', 'without-requests-ran', 'without-progress'];

/** The added columns a table of `shape` lacks. */
export function missingColumns(shape: HistoryShape): readonly string[] {
  return ADDED_COLUMNS.slice(ADDED_COLUMNS.length - HISTORY_SHAPES.indexOf(shape));
}

export function historyColumns(shape: HistoryShape): ReadonlyArray<HistoryColumn> {
  const missing = missingColumns(shape);
  return HISTORY_COLUMNS.filter((c) => !missing.includes(c.column));
}

/** The in-place upgrade by one column: one DDL statement, as YDB runs one per request. */
export function addColumnStatement(table: string, name: string): string {
  const column = HISTORY_COLUMNS.find((c) => c.column === name)!;
  return `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(column.column)} ${formatType(column.type.kind === 'optional' ? column.type.item : column.type)};`;
}

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

/** `CREATE TABLE IF NOT EXISTS` of `columns`: the history table's and the lock table's. */
export function tableDdl(table: string, columns: ReadonlyArray<ColumnSpec>): string {
  const lines = columns.map(({ column, type, key }) => {
    const nullable = type.kind === 'optional';
    const typeText = formatType(nullable ? type.item : type);
    return `    ${quoteIdentifier(column)} ${typeText}${key ? ' NOT NULL' : ''},`;
  });
  const keys = columns.filter((c) => c.key).map((c) => quoteIdentifier(c.column));
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (\n${lines.join('\n')}\n    PRIMARY KEY (${keys.join(', ')})\n);`;
}

export function historyTableDdl(table: string): string {
  return tableDdl(table, HISTORY_COLUMNS);
}

/** The position for the next applied migration: one past the highest recorded. */
export function nextHistoryPosition(history: readonly HistoryRow[]): number {
  return history.reduce((max, row) => Math.max(max, row.position), 0) + 1;
}

/** A change to the history that rides along a transaction. */
export type HistoryChange = { kind: 'upsert'; row: HistoryWrite } | { kind: 'delete'; name: string };

/** Adds `changes` to a query being built (typed parameters online: lib/ydb/execute.ts's QueryBuilder). */
export function addHistoryChanges<B extends { add(statement: string): B; bind: Bind }>(builder: B, table: string, changes: readonly HistoryChange[]): B {
  for (const change of changes) {
    builder.add(change.kind === 'upsert' ? historyUpsertStatement(table, change.row, builder.bind) : historyDeleteStatement(table, change.name, builder.bind));
  }
  return builder;
}

/** `UPSERT INTO `t` (`name`, ...) VALUES (...);` with every value of `shape`'s columns rendered by `bind`. */
export function historyUpsertStatement(table: string, row: HistoryWrite, bind: Bind, shape: HistoryShape = 'current'): string {
  const written = historyColumns(shape);
  let values = '';
  for (const c of written) values += `${values ? ', ' : ''}${c.field === 'appliedAt' ? 'CurrentUtcTimestamp()' : bind(c.type, row[c.field as keyof HistoryWrite])}`;
  return `${upsertHead(table, shape)}${values});`;
}

/** `UPSERT INTO `t` (columns)\nVALUES (`, the same for every row: an offline script writes thousands for one table. */
let lastHead = { table: '', shape: 'current' as HistoryShape, head: '' };
function upsertHead(table: string, shape: HistoryShape): string {
  if (lastHead.table !== table || lastHead.shape !== shape || lastHead.head === '') {
    const head = `UPSERT INTO ${quoteIdentifier(table)} (${historyColumns(shape).map((c) => quoteIdentifier(c.column)).join(', ')})\nVALUES (`;
    lastHead = { table, shape, head };
  }
  return lastHead.head;
}

export function historyDeleteStatement(table: string, name: string, bind: Bind): string {
  const key = HISTORY_COLUMNS.find((c) => c.key)!;
  return `DELETE FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(key.column)} = ${bind(key.type, name)};`;
}

/** Sets one row's state, keeping the rest of it: how a down step marks its row 'applying' before it runs. */
export function historyStateStatement(table: string, name: string, state: HistoryState, bind: Bind): string {
  const key = HISTORY_COLUMNS.find((c) => c.key)!;
  return `UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier('state')} = ${bind(UTF8, state)} WHERE ${quoteIdentifier(key.column)} = ${bind(key.type, name)};`;
}

/**
 * Records a row's new state (and, when `stamped`, the time) by its name, as
 * an UPSERT of just those columns: YDB keeps the row's other columns ("For
 * the existing rows, the values of the specified columns are updated, but
 * the values of the other columns are preserved", docs
 * yql/reference/syntax/upsert_into.md). How an offline script marks a
 * migration 'applied' once its 'applying' row has carried the rest (checksum,
 * down text), so that those are written once, and a row it reverts
 * 'applying' (unstamped, as online): a blind write, which reads nothing.
 */
export function historyStateUpsertStatement(table: string, name: string, state: HistoryState, bind: Bind, stamped = true): string {
  return stamped
    ? `UPSERT INTO ${quoteIdentifier(table)} ${STAMPED_STATE_COLUMNS} VALUES (${bind(UTF8, name)}, ${bind(UTF8, state)}, CurrentUtcTimestamp());`
    : `UPSERT INTO ${quoteIdentifier(table)} ${STATE_COLUMNS} VALUES (${bind(UTF8, name)}, ${bind(UTF8, state)});`;
}

/** Written for every migration of a long offline range: built once. */
const STATE_COLUMNS = `(${['name', 'state'].map(quoteIdentifier).join(', ')})`;
const STAMPED_STATE_COLUMNS = `(${['name', 'state', 'applied_at'].map(quoteIdentifier).join(', ')})`;

/** Every row, oldest application first; decode each with `decodeHistoryRow`. */
export function historySelectStatement(table: string, shape: HistoryShape = 'current'): string {
  const columns = historyColumns(shape).map((c) => quoteIdentifier(c.column));
  return `SELECT ${columns.join(', ')} FROM ${quoteIdentifier(table)} ORDER BY ${quoteIdentifier('position')};`;
}

/**
 * Turns a `{column: value}` record read from the history table into a row.
 * A missing or ill-typed value means someone edited the table by hand or a
 * foreign tool wrote it: that is a runtime error naming the row and column.
 */
export function decodeHistoryRow(record: Readonly<Record<string, unknown>>, table: string): HistoryRow {
  const row: Record<string, unknown> = {};
  for (const { column, field, type, check } of HISTORY_COLUMNS) {
    const raw = record[column];
    // Drivers differ on whether a NULL comes back as null or as an absent field; an older table lacks some of ADDED_COLUMNS.
    const value = raw === undefined && type.kind === 'optional' ? null : raw;
    const problem = check(value);
    if (problem) {
      const which = typeof record.name === 'string' ? `row '${record.name}'` : 'a row';
      throw new MigrateError(
        'HISTORY_BAD_ROW',
        `history table ${table} has ${which} whose column ${column} is ${describe(value)} (${problem}); fix or delete that row, then run again`,
      );
    }
    row[field] = typeof value === 'bigint' ? Number(value) : value;
  }
  return row as unknown as HistoryRow;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
  if (typeof value === 'bigint') return `${value}`;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** The row that records `migration` as written by this tool: what online runs and offline scripts both store. */
export function historyRowFor(migration: Migration, position: number, state: HistoryState, appliedBy: string): HistoryWrite {
  return {
    name: migration.name,
    position,
    checksum: migration.up.checksum,
    downText: migration.down?.text ?? null,
    state,
    appliedBy,
    toolVersion: TOOL_VERSION,
    requestsDone: null,
    requestsRan: null,
  };
}

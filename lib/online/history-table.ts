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
  /** The up text that was applied (or last repaired), so `repair` can tell an edit of comments from a changed statement; null when not recorded. */
  upText: string | null;
  /** When and by whom `repair` last recorded an edited file for this row; null when never. */
  repairedAt: Date | null;
  repairedBy: string | null;
  /**
   * While unfinished: the direction the run took and the checksum of each
   * request's text that completed, as `up 1a2b3c4d5e6f7a8b ...`
   * (lib/online/requests-ran.ts); null otherwise, or when not recorded.
   */
  requestsRan: string | null;
}

/**
 * A row as written: `applied_at` is always the server's `CurrentUtcTimestamp()`,
 * one clock for every client, and the repair record is written by `repair`
 * alone (`historyRepairStatement`), so other writes keep it.
 */
export type HistoryWrite = Omit<HistoryRow, 'appliedAt' | 'repairedAt' | 'repairedBy'>;

/** What `repair` records of an edited file: the rest of the row, `applied_at` included, stays as it is. */
export interface HistoryRepair {
  name: string;
  checksum: string;
  upText: string;
  downText: string | null;
  repairedBy: string;
}

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
const OPTIONAL_TIMESTAMP = parseType('Timestamp?');
const MAX_UINT32 = 0xffff_ffff;

/** Checks a value read back from the database; returns an explanation when it is wrong. */
type Check = (value: unknown) => string | null;

interface HistoryColumn extends ColumnSpec {
  field: keyof HistoryRow;
  check: Check;
  /** The version of the history table that added the column (see HistoryVersion). */
  since: HistoryVersion;
}

const text: Check = (v) => (typeof v === 'string' ? null : 'expected text');
const nonEmptyText: Check = (v) => (typeof v === 'string' && v !== '' ? null : 'expected non-empty text');
const optionalText: Check = (v) => (v === null || typeof v === 'string' ? null : 'expected text or NULL');
const sha256Hex: Check = (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? null : 'expected a sha256 hex checksum');
const requestsRan: Check = (v) => (v === null || (typeof v === 'string' && /^(up|down)( [0-9a-f]{16})*( -| \?[0-9a-f]{16})?$/.test(v)) ? null : 'expected NULL or a direction and request checksums');
const optionalUint32: Check = (v) => (v === null ? null : uint32(v));
const state: Check = (v) => (HISTORY_STATES.includes(v as HistoryState) ? null : `expected one of ${HISTORY_STATES.join(', ')}`);
const timestamp: Check = (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? null : 'expected a timestamp');
const optionalTimestamp: Check = (v) => (v === null ? null : timestamp(v) && 'expected a timestamp or NULL');
const uint32: Check = (v) => {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_UINT32 ? null : 'expected a Uint32';
};

export const HISTORY_COLUMNS: ReadonlyArray<HistoryColumn> = [
  { column: 'name', field: 'name', type: UTF8, key: true, check: nonEmptyText, since: 1 },
  { column: 'position', field: 'position', type: UINT32, check: uint32, since: 1 },
  { column: 'checksum', field: 'checksum', type: UTF8, check: sha256Hex, since: 1 },
  { column: 'down_text', field: 'downText', type: OPTIONAL_UTF8, check: optionalText, since: 1 },
  { column: 'state', field: 'state', type: UTF8, check: state, since: 1 },
  { column: 'applied_at', field: 'appliedAt', type: TIMESTAMP, check: timestamp, since: 1 },
  { column: 'applied_by', field: 'appliedBy', type: UTF8, check: text, since: 1 },
  { column: 'tool_version', field: 'toolVersion', type: UTF8, check: text, since: 1 },
  { column: 'requests_done', field: 'requestsDone', type: OPTIONAL_UINT32, check: optionalUint32, since: 2 },
  { column: 'requests_ran', field: 'requestsRan', type: OPTIONAL_UTF8, check: requestsRan, since: 3 },
  { column: 'up_text', field: 'upText', type: OPTIONAL_UTF8, check: optionalText, since: 3 },
  { column: 'repaired_at', field: 'repairedAt', type: OPTIONAL_TIMESTAMP, check: optionalTimestamp, since: 3 },
  { column: 'repaired_by', field: 'repairedBy', type: OPTIONAL_UTF8, check: optionalText, since: 3 },
];

/**
 * The history table's versions, oldest first: version N has the columns
 * whose `since` is at most N. 1 is the table as first created; 2 added
 * `requests_done` (how far a failed migration got); 3 added `requests_ran` (which requests of an unfinished migration ran, for a resume), `up_text`,
 * `repaired_at` and `repaired_by` (what `repair` compares and records). The
 * online runner brings an older table to the current version in place
 * (`historyUpgradeStatements`); offline scripts write only the first
 * version's columns, so they run on a table of any version.
 */
export type HistoryVersion = number;
export const FIRST_HISTORY_VERSION: HistoryVersion = 1;
export const CURRENT_HISTORY_VERSION: HistoryVersion = Math.max(...HISTORY_COLUMNS.map((c) => c.since));

export function historyColumns(version: HistoryVersion): ReadonlyArray<HistoryColumn> {
  return HISTORY_COLUMNS.filter((c) => c.since <= version);
}

/**
 * The version of a table that lacks `column` (as YDB says when a SELECT
 * names it): the one before the column was added; null when every version
 * has it, so the table is not a history table at all.
 */
export function versionWithout(column: string): HistoryVersion | null {
  const added = HISTORY_COLUMNS.find((c) => c.column === column);
  return added && added.since > FIRST_HISTORY_VERSION ? added.since - 1 : null;
}

/**
 * The in-place upgrade of a table of version `from` to the current one: an
 * `ALTER TABLE ... ADD COLUMN` per column, oldest version's first, each a
 * request of its own, as YDB runs one DDL statement per request.
 */
export function historyUpgradeStatements(table: string, from: HistoryVersion): { column: string; statement: string }[] {
  return HISTORY_COLUMNS.filter((c) => c.since > from).map(({ column, type }) => ({
    column,
    statement: `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(column)} ${formatType(type.kind === 'optional' ? type.item : type)};`,
  }));
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
export type HistoryChange = { kind: 'upsert'; row: HistoryWrite } | { kind: 'repair'; repair: HistoryRepair } | { kind: 'delete'; name: string };

/** Adds `changes` to a query being built (typed parameters online: lib/ydb/execute.ts's QueryBuilder). */
export function addHistoryChanges<B extends { add(statement: string): B; bind: Bind }>(builder: B, table: string, changes: readonly HistoryChange[]): B {
  for (const change of changes) builder.add(historyChangeStatement(table, change, builder.bind));
  return builder;
}

function historyChangeStatement(table: string, change: HistoryChange, bind: Bind): string {
  switch (change.kind) {
    case 'upsert':
      return historyUpsertStatement(table, change.row, bind);
    case 'repair':
      return historyRepairStatement(table, change.repair, bind);
    case 'delete':
      return historyDeleteStatement(table, change.name, bind);
  }
}

/** The migration whose row `change` writes. */
export function changedName(change: HistoryChange): string {
  return change.kind === 'upsert' ? change.row.name : change.kind === 'repair' ? change.repair.name : change.name;
}

/** `UPSERT INTO `t` (`name`, ...) VALUES (...);` with every value a row write carries in table `version`, rendered by `bind`. */
export function historyUpsertStatement(table: string, row: HistoryWrite, bind: Bind, version: HistoryVersion = CURRENT_HISTORY_VERSION): string {
  const { head, columns } = upsertHead(table, version);
  let values = '';
  for (const c of columns) values += `${values ? ', ' : ''}${c.field === 'appliedAt' ? 'CurrentUtcTimestamp()' : bind(c.type, row[c.field as keyof HistoryWrite])}`;
  return `${head}${values});`;
}

/** Written by `repair` alone (`historyRepairStatement`): a row write leaves them as they are. */
const REPAIR_RECORD: ReadonlyArray<keyof HistoryRow> = ['repairedAt', 'repairedBy'];

/** `UPSERT INTO `t` (columns)\nVALUES (` and its columns, the same for every row: an offline script writes thousands for one table. */
let lastHead = { table: '', version: 0, head: '', columns: [] as ReadonlyArray<HistoryColumn> };
function upsertHead(table: string, version: HistoryVersion): { head: string; columns: ReadonlyArray<HistoryColumn> } {
  if (lastHead.table !== table || lastHead.version !== version) {
    const columns = historyColumns(version).filter((c) => !REPAIR_RECORD.includes(c.field));
    const head = `UPSERT INTO ${quoteIdentifier(table)} (${columns.map((c) => quoteIdentifier(c.column)).join(', ')})\nVALUES (`;
    lastHead = { table, version, head, columns };
  }
  return lastHead;
}

/**
 * What `repair` writes: the file's checksum and texts, and when (the
 * server's clock) and by whom, as an UPSERT of just those columns, so the
 * row keeps its `applied_at`, `applied_by` and position (YDB keeps the
 * columns an UPSERT does not name: docs yql/reference/syntax/upsert_into.md).
 */
export function historyRepairStatement(table: string, repair: HistoryRepair, bind: Bind): string {
  const columns = ['name', 'checksum', 'up_text', 'down_text', 'repaired_at', 'repaired_by'].map(quoteIdentifier).join(', ');
  const values = [bind(UTF8, repair.name), bind(UTF8, repair.checksum), bind(OPTIONAL_UTF8, repair.upText), bind(OPTIONAL_UTF8, repair.downText), 'CurrentUtcTimestamp()', bind(OPTIONAL_UTF8, repair.repairedBy)];
  return `UPSERT INTO ${quoteIdentifier(table)} (${columns}) VALUES (${values.join(', ')});`;
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
export function historySelectStatement(table: string, version: HistoryVersion = CURRENT_HISTORY_VERSION): string {
  const columns = historyColumns(version).map((c) => quoteIdentifier(c.column));
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
    // Drivers differ on whether a NULL comes back as null or as an absent field; a table of an earlier version lacks the later columns.
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
    upText: migration.up.text,
    requestsRan: null,
  };
}

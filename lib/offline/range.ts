/**
 * Offline mode: what both offline formats are made of (the single script,
 * lib/offline/script.ts, and one query per part, lib/offline/parts.ts): the
 * planned range, its guard, the history writes around each migration with
 * every value a literal, and each migration's text made ready to run. Same
 * inputs, same bytes.
 */
import type { RawParamValue } from '../params.js';
import { MigrateError } from '../errors.js';
import { FIRST_HISTORY_VERSION, historyDeleteStatement, historyRowFor, historyStateUpsertStatement, historyTableDdl, historyUpsertStatement, type Bind } from '../online/history-table.js';
import type { Migration, MigrationSet, MigrationText } from '../migration.js';
import type { Block } from '../yql/blocks.js';
import { TOOL_VERSION } from '../package-info.js';
import { historyForState, parseTarget, planMigrations, resolveState, type Step } from '../online/plan.js';
import { guardStatements, OFFLINE_LEASE_SECONDS, scriptLockOwner, type LeaseStatements } from './guard.js';
import { lockTableDdl, type LockOwner } from '../online/lock-table.js';
import { encodeLiteral } from '../yql/literal.js';

/** Who the history rows say applied a migration that ran from an offline script. */
export const OFFLINE_APPLIED_BY = 'ydb-migrate offline script';

export interface OfflineRequest {
  set: MigrationSet;
  direction: 'up' | 'down';
  /** The state the database is in before the script: a migration name, @TAG, `base` or `head`. */
  from: string;
  /** The state after it: a name, @TAG, `base`, `head`, `+N` or `-N`. */
  to: string;
  table: string;
  params: Readonly<Record<string, RawParamValue>>;
  /** The file the script is written to, shown in the header's run command. */
  scriptFile?: string | null;
  /** Fills the header's run command; placeholders otherwise. */
  connectionString?: string | null;
  /** Written in the header only when given, so the output is byte-identical by default. */
  generatedAt?: Date | null;
}

export interface OfflineScript {
  text: string;
  steps: { direction: 'up' | 'down'; name: string; checksum: string; file: string }[];
}

/** One migration of the range. */
export interface OfflineStep {
  direction: 'up' | 'down';
  name: string;
  migration: Migration;
  text: MigrationText;
}

/** What both offline formats are made of: the range, its guard and its steps. */
export interface OfflineRange {
  fromState: string;
  toState: string;
  /** The history table. */
  table: string;
  steps: OfflineStep[];
  /** Ensures the history and lock tables: one DDL statement each. */
  tables: string[];
  /** The guard and the lease it takes, one DML part. */
  guard: string;
  /** Who the lease is taken for: every history write checks it still is. */
  owner: LockOwner;
}

/** Plans `req`'s range and the statements around it; every input error surfaces here. */
export function prepareOfflineRange(req: OfflineRequest): OfflineRange {
  const { set, direction, table } = req;
  const fromName = resolveState(set.migrations, set.manifest.tags, req.from);
  const history = historyForState(set.migrations, fromName);
  const plan = planMigrations({ migrations: set.migrations, tags: set.manifest.tags, history, target: parseTarget(req.to), direction });
  const steps = plan.steps.map((step): OfflineStep => ({ direction: step.direction, name: step.name, migration: migrationOf(step), text: textOf(step) }));
  const owner = scriptLockOwner(JSON.stringify([table, direction, fromName, steps.map((s) => [s.name, s.text.checksum])]));
  const guard = guardStatements(table, {
    from: fromName ?? 'base',
    rows: history.map((row) => ({ name: row.name, checksum: row.checksum })),
    downTexts: direction === 'down' ? steps.map(({ name, text }) => ({ name, text: text.text })) : [],
  }, owner);
  return {
    fromState: fromName ?? 'base',
    toState: plan.target ?? 'base',
    table,
    steps,
    tables: [historyTableDdl(table), lockTableDdl(table)],
    guard: guard.join('\n'),
    owner,
  };
}

/**
 * The history writes of a step (built when its turn comes, so that a long
 * range never holds them all), without their lease statements (see `joint`).
 * `bind` renders each value: a literal, or the name a single script binds
 * that value to at its top.
 * - A migration of one DML block has no marker: it commits with its single
 *   history write (the full 'applied' row, or the row's removal).
 * - Any other is first recorded 'applying' (the full row, with its checksum
 *   and down text; a down step sets the state of the row it reverts); then
 *   its done write is short: the new state by name (the rest of the row is
 *   already there), or the row's removal.
 */
function stepMarker(table: string, { direction, migration, text }: OfflineStep, bind: Bind): string | null {
  if (!writesProgress(text)) return null;
  // A blind write by name, as the done write is: the guard has seen the row, and the lock keeps it there.
  return direction === 'up' ? fullRow(table, migration, 'applying', bind) : historyStateUpsertStatement(table, migration.name, 'applying', bind, false);
}

function stepDone(table: string, { direction, migration, text }: OfflineStep, bind: Bind): string {
  if (direction === 'down') return historyDeleteStatement(table, migration.name, bind);
  return writesProgress(text) ? historyStateUpsertStatement(table, migration.name, 'applied', bind) : fullRow(table, migration, 'applied', bind);
}

function fullRow(table: string, migration: Migration, state: 'applying' | 'applied', bind: Bind): string {
  return historyUpsertStatement(table, historyRowFor(migration, migration.index + 1, state, OFFLINE_APPLIED_BY), bind, FIRST_HISTORY_VERSION);
}

/** Whether the step is recorded 'applying' before its first part (by the joint before it). */
export function marksApplying(step: OfflineStep): boolean {
  return writesProgress(step.text);
}

/**
 * The bookkeeping of one transaction between two migrations of the range:
 * the check that the script still holds its lease, the write that records
 * the `index - 1`th step done, the next step's 'applying' write, then the
 * lease's renewal, or its release after the last step. Folding the two
 * writes into one part checks the lease once for both: if it fails, neither
 * is written, which leaves the earlier step 'applying' as its own failed
 * done write would. `index` 0 is the first step's marker alone: it rides
 * in the guard's part, which has just taken the lease.
 */
export function joint(range: OfflineRange, index: number, lease: LeaseStatements, bind: Bind = encodeLiteral): string {
  const { table, steps } = range;
  const marker = index < steps.length ? stepMarker(table, steps[index]!, bind) : null;
  if (index === 0) return marker ?? '';
  const statements = [lease.check, stepDone(table, steps[index - 1]!, bind)];
  if (marker !== null) statements.push(marker);
  statements.push(index === steps.length ? lease.release : lease.renewal);
  return statements.join('\n');
}

/** What the headers of both formats say. */
export interface HeaderFields {
  version: string;
  direction: 'up' | 'down';
  fromState: string;
  toState: string;
  manifest: string;
  table: string;
  generatedAt: string | null;
  steps: OfflineScript['steps'];
  leaseHours: number;
  endpoint: string;
  database: string;
}

export function headerFields(req: OfflineRequest, range: OfflineRange): HeaderFields {
  return {
    version: TOOL_VERSION,
    direction: req.direction,
    fromState: range.fromState,
    toState: range.toState,
    manifest: req.set.manifest.path,
    table: req.table,
    generatedAt: req.generatedAt ? req.generatedAt.toISOString() : null,
    steps: range.steps.map(({ direction, name, text }) => ({ direction, name, checksum: text.checksum, file: text.path })),
    leaseHours: OFFLINE_LEASE_SECONDS / 3600,
    ...endpointOf(req.connectionString ?? null),
  };
}

function migrationOf(step: Step): Migration {
  // Offline history is synthesized from the manifest, so every step has its migration.
  if (!step.migration) throw new MigrateError('OFFLINE_NO_MIGRATION', `migration ${step.name} is not in the manifest`);
  return step.migration;
}

function textOf(step: Step): MigrationText {
  const migration = migrationOf(step);
  if (step.direction === 'up') return migration.up;
  if (!migration.down) {
    throw new MigrateError(
      'DOWN_MISSING',
      `migration ${migration.name} has no down file, so the script cannot revert it: write ${migration.name}.down.yql or choose a range that stops above it`,
      { location: { file: migration.up.path, line: 1, column: 1 } },
    );
  }
  return migration.down;
}

/**
 * Whether a migration writes its history row 'applying' before its first
 * part, as the online runner does (lib/online/requests.ts): every text but a
 * single DML block that can carry its history write (no PRAGMA, which would
 * reach the history table too: `--format parts` then writes the history in
 * a part of its own, after the block has committed), which commits with its
 * history write or not at all. A script that stops inside such a migration
 * leaves the row 'applying': `status` shows it failed, `up` refuses to run
 * past it, `resolve` settles it.
 */
function writesProgress(text: MigrationText): boolean {
  const only = text.blocks.length === 1 ? text.blocks[0]! : null;
  return text.blocks.length > 1 || (only !== null && !carriesHistory(only));
}

/** Whether the history writes may share `block`'s transaction: DML, with no PRAGMA that would reach the history table. */
export function carriesHistory(block: Block): boolean {
  return block.kind === 'dml' && ![...block.context, ...block.statements].some((s) => s.role === 'pragma');
}

/**
 * The file's text as written (comments kept for the reviewer) with: each
 * DECLARE turned into a comment (the value is bound at the top), `COMMIT;`
 * after every block (each DDL statement, each run of DML) unless the file
 * has one there, and `after` (the joint to the next migration) — inside the
 * last block's part when that block is DML, so that data and history commit
 * together, else as a part of its own.
 */
export function renderMigrationBody(text: MigrationText, after: string): string {
  const { statements, blocks } = text;
  const edits: { at: number; end: number; insert: string }[] = [];
  for (const { declaration, start, end } of statements) {
    if (declaration) {
      edits.push({ at: start, end, insert: `/* DECLARE $${declaration.name} AS ${declaration.typeText}; bound at the top of this script */` });
    }
  }
  const last = statements[statements.length - 1];
  if (last && !last.text.trimEnd().endsWith(';')) edits.push({ at: last.end, end: last.end, insert: ';' });
  // Blocks and COMMITs both come in file order: one walk finds the first COMMIT after each block.
  const commits = statements.filter((s) => s.role === 'commit');
  let commit = 0;
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    while (commit < commits.length && commits[commit]!.start < block.end) commit++;
    const committed = next !== undefined && commit < commits.length && commits[commit]!.end <= next.start;
    // On a line of its own, so that a reviewer sees where each part ends.
    const lineEnd = text.text.indexOf('\n', block.end);
    const lineGoesOn = text.text.slice(block.end, lineEnd === -1 ? undefined : lineEnd).trim() !== '';
    if (next && !committed) edits.push({ at: block.end, end: block.end, insert: `\nCOMMIT;${lineGoesOn ? '\n' : ''}` });
  });
  let body = applyEdits(text.text, edits).trimEnd();
  const lastBlock = blocks[blocks.length - 1];
  if (lastBlock && lastBlock.kind !== 'dml') body += '\nCOMMIT;';
  return `${body}${body ? '\n' : ''}${after}\nCOMMIT;`;
}

function applyEdits(source: string, edits: { at: number; end: number; insert: string }[]): string {
  edits.sort((a, b) => a.at - b.at);
  let out = '';
  let pos = 0;
  for (const edit of edits) {
    out += source.slice(pos, edit.at) + edit.insert;
    pos = edit.end;
  }
  return out + source.slice(pos);
}

function endpointOf(connectionString: string | null): { endpoint: string; database: string } {
  if (!connectionString) return { endpoint: '<grpc://host:2136>', database: '<database>' };
  try {
    const url = new URL(connectionString);
    const database = url.searchParams.get('database') ?? (url.pathname && url.pathname !== '/' ? url.pathname : '<database>');
    return { endpoint: `${url.protocol}//${url.host}`, database };
  } catch {
    return { endpoint: '<grpc://host:2136>', database: '<database>' };
  }
}

/**
 * The planner: (migrations, history, target) → the steps that take the
 * database there, plus every drift found. Pure: no I/O, nothing thrown but
 * input errors, so the online runner and the offline script share it.
 *
 * Semantics
 * - A state is named by its last applied migration (the applied history row
 *   with the highest position); `base` is the state with nothing applied.
 * - `up` to NAME / @TAG / head / +N applies pending migrations in manifest
 *   order up to and including the target (+N: the next N of them).
 * - `down` to NAME / @TAG / base / -N reverts applied migrations, latest
 *   applied first, until the target is the last applied one: NAME stays
 *   applied, base reverts everything, -N reverts the last N.
 * - `up` to a migration that is already applied but is not the current
 *   state, or `down` to one that is not applied, is an input error that says
 *   to use the other direction. Reaching the current state is an empty plan.
 * - A pending migration listed before an applied one is out of order: it is
 *   drift, and `up` includes it only with `allowOutOfOrder`.
 * - Rows in state `applying`/`failed` count as not applied: such a migration
 *   is pending again (its step carries the row) and is reported as drift.
 * - Drift is always computed; whether it blocks a run is the caller's call.
 * - A down step of a migration gone from the manifest has `migration: null`
 *   and is reverted with the down text its history row kept. A down step with
 *   no down text anywhere is an error before anything runs.
 */
import { MigrateError } from '../errors.js';
import type { HistoryRow } from './history-table.js';
import { recoveryLine } from './recovery.js';
import { clipName, isValidTag, nameProblem, type ManifestTag } from '../manifest.js';
import type { Migration } from '../migration.js';
import { compareText, suggestions } from '../suggest.js';

export type Target =
  | { kind: 'head' }
  | { kind: 'base' }
  | { kind: 'name'; name: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'relative'; steps: number /* +N or -N, N > 0 */ };

export type DriftKind =
  | 'missing' /* applied, not in the manifest */
  | 'changed' /* the up file's checksum differs from the applied one */
  | 'out-of-order' /* pending, listed before an applied migration */
  | 'order-differs' /* applied in an order other than the manifest's */
  | 'failed' /* history row in state applying or failed */;

export interface Drift {
  kind: DriftKind;
  name: string;
  message: string;
}

export interface Step {
  direction: 'up' | 'down';
  name: string;
  /** null only for a down step of a migration gone from the manifest. */
  migration: Migration | null;
  /** The row this step replaces or removes; null for a first apply. */
  history: HistoryRow | null;
}

export interface Plan {
  steps: Step[];
  drift: Drift[];
  /** The last applied migration before the plan, null at base. */
  current: string | null;
  /** The last applied migration after the plan, null at base. */
  target: string | null;
}

export interface PlanInput {
  migrations: readonly Migration[];
  tags: readonly ManifestTag[];
  history: readonly HistoryRow[];
  target: Target;
  direction: 'up' | 'down';
  /** Include pending migrations listed before applied ones in `up` steps. */
  allowOutOfOrder?: boolean;
}

const TARGET_FORMS = `NAME, @TAG, head, base, +N or -N`;

/** 'head', 'base', '@TAG', '+3', '-1' or a migration name. */
export function parseTarget(text: string): Target {
  const target = text.trim();
  const bad = (why: string): never => {
    throw new MigrateError('TARGET_BAD', `target '${clipName(text)}' ${why}; write ${TARGET_FORMS}`);
  };
  if (target === 'head') return { kind: 'head' };
  if (target === 'base') return { kind: 'base' };
  if (target === '') return bad('is empty');
  const relative = /^([+-])(\d+)$/.exec(target);
  if (relative) {
    const steps = Number(relative[2]);
    if (steps === 0 || !Number.isSafeInteger(steps)) bad('needs a step count of at least 1, e.g. +1 or -2');
    return { kind: 'relative', steps: relative[1] === '-' ? -steps : steps };
  }
  if (target.startsWith('+')) return bad(`is not a step count`);
  if (target.startsWith('@')) {
    const tag = target.slice(1);
    if (!isValidTag(tag)) bad(`is not a valid tag (letters, digits, '_', '-', '.' after '@')`);
    return { kind: 'tag', tag };
  }
  const problem = nameProblem(target);
  if (problem) bad(`is not a migration name: ${problem.message}`);
  return { kind: 'name', name: target };
}

export function formatTarget(target: Target): string {
  switch (target.kind) {
    case 'head':
    case 'base':
      return target.kind;
    case 'name':
      return target.name;
    case 'tag':
      return `@${target.tag}`;
    case 'relative':
      return target.steps > 0 ? `+${target.steps}` : `${target.steps}`;
  }
}

export function planMigrations(input: PlanInput): Plan {
  const state = analyze(input.migrations, input.history);
  const drift = findDrift(state);
  const steps = input.direction === 'up' ? planUp(input, state) : planDown(input, state);
  const target = input.direction === 'up'
    ? (steps[steps.length - 1]?.name ?? state.current)
    : (state.appliedLatestFirst[steps.length]?.name ?? null);
  return { steps, drift, current: state.current, target };
}

/**
 * The history of a database that has applied every migration up to and
 * including `lastApplied` in manifest order (none for null), for offline
 * planning from a known state. Only name, position, checksum, downText and
 * state carry meaning; the other fields are fixed placeholders.
 */
export function historyForState(migrations: readonly Migration[], lastApplied: string | null): HistoryRow[] {
  const count = lastApplied === null ? 0 : requireMigration(migrations, lastApplied).index + 1;
  return migrations.slice(0, count).map((m) => ({
    name: m.name,
    position: m.index + 1,
    checksum: m.up.checksum,
    downText: m.down?.text ?? null,
    state: 'applied',
    appliedAt: new Date(0),
    appliedBy: '',
    toolVersion: '',
    requestsDone: null,
    upText: m.up.text,
    repairedAt: null,
    repairedBy: null,
    requestsRan: null,
  }));
}

/** The state a target names on its own: NAME, @TAG, head (last listed) or base (null). */
export function resolveState(migrations: readonly Migration[], tags: readonly ManifestTag[], text: string): string | null {
  const target = parseTarget(text);
  switch (target.kind) {
    case 'base':
      return null;
    case 'head':
      return migrations[migrations.length - 1]?.name ?? null;
    case 'name':
      return requireMigration(migrations, target.name).name;
    case 'tag':
      return migrations[requireTag(tags, target.tag).afterIndex]!.name;
    case 'relative':
      throw new MigrateError('TARGET_BAD', `'${text}' is a step count, not a state; name the state with NAME, @TAG, head or base`);
  }
}

interface State {
  byName: ReadonlyMap<string, Migration>;
  /** Applied rows, first applied first. */
  appliedOldestFirst: HistoryRow[];
  appliedLatestFirst: HistoryRow[];
  /** Rows in state applying/failed, by name. */
  unfinished: ReadonlyMap<string, HistoryRow>;
  /** Manifest migrations without an applied row, in manifest order. */
  pending: Migration[];
  /** The highest manifest index among applied migrations, -1 if none. */
  lastAppliedIndex: number;
  current: string | null;
}

function analyze(migrations: readonly Migration[], history: readonly HistoryRow[]): State {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const manifestOrder = (row: HistoryRow): number => byName.get(row.name)?.index ?? Number.MAX_SAFE_INTEGER;
  const appliedOldestFirst = history
    .filter((row) => row.state === 'applied')
    .sort((a, b) => a.position - b.position || manifestOrder(a) - manifestOrder(b) || compareText(a.name, b.name));
  const appliedNames = new Set(appliedOldestFirst.map((row) => row.name));
  const lastAppliedIndex = appliedOldestFirst.reduce((max, row) => Math.max(max, byName.get(row.name)?.index ?? -1), -1);
  const appliedLatestFirst = [...appliedOldestFirst].reverse();
  return {
    byName,
    appliedOldestFirst,
    appliedLatestFirst,
    unfinished: new Map(history.filter((row) => row.state !== 'applied').map((row) => [row.name, row])),
    pending: migrations.filter((m) => !appliedNames.has(m.name)),
    lastAppliedIndex,
    current: appliedLatestFirst[0]?.name ?? null,
  };
}

function findDrift(state: State): Drift[] {
  const drift: Drift[] = [];
  const add = (kind: DriftKind, name: string, message: string): void => {
    drift.push({ kind, name, message });
  };
  for (const row of state.unfinished.values()) {
    add('failed', row.name, `${row.name}: ${recoveryLine({ row, migration: state.byName.get(row.name) ?? null })}`);
  }
  let latest: Migration | null = null;
  for (const row of state.appliedOldestFirst) {
    const migration = state.byName.get(row.name);
    if (!migration) {
      add('missing', row.name, `${row.name} is applied but no longer listed in the manifest; list it again, or revert it (its recorded down text is used)`);
      continue;
    }
    if (row.checksum !== migration.up.checksum) {
      add('changed', row.name, `${migration.up.path} changed after it was applied (checksum ${row.checksum.slice(0, 12)} applied, ${migration.up.checksum.slice(0, 12)} now); restore the applied text and put the change in a new migration, or, if the edit changes nothing that ran (a comment, formatting), record it with \`ydb-migrate repair ${row.name}\``);
    }
    if (latest && migration.index < latest.index) {
      add('order-differs', row.name, `${row.name} was applied after ${latest.name} although the manifest lists it before; reorder the manifest to match the database, or revert both and apply again`);
    } else {
      latest = migration;
    }
  }
  for (const migration of state.pending) {
    if (migration.index < state.lastAppliedIndex) {
      add('out-of-order', migration.name, `${migration.name} is pending but listed before applied migrations; move it below them in the manifest, or apply it out of order explicitly`);
    }
  }
  return drift;
}

function planUp(input: PlanInput, state: State): Step[] {
  const isOutOfOrder = (m: Migration): boolean => m.index < state.lastAppliedIndex;
  const candidates = state.pending.filter((m) => input.allowOutOfOrder || !isOutOfOrder(m));
  const stepOf = (m: Migration): Step => ({ direction: 'up', name: m.name, migration: m, history: state.unfinished.get(m.name) ?? null });
  const { target } = input;

  switch (target.kind) {
    case 'head':
      return candidates.map(stepOf);
    case 'base':
      throw wrongDirection(`base is reached by reverting migrations; run \`ydb-migrate down base\` instead`);
    case 'relative': {
      if (target.steps < 0) throw wrongDirection(`${formatTarget(target)} reverts migrations; run \`ydb-migrate down ${formatTarget(target)}\` instead`);
      if (target.steps > candidates.length) throw tooFar(`${formatTarget(target)} goes past head: ${describeCount(candidates.length, 'pending migration')} to apply`);
      return candidates.slice(0, target.steps).map(stepOf);
    }
    case 'name':
    case 'tag': {
      const goal = target.kind === 'name' ? requireMigration(input.migrations, target.name) : input.migrations[requireTag(input.tags, target.tag).afterIndex]!;
      const shown = formatTarget(target);
      if (state.pending.includes(goal)) {
        if (!candidates.includes(goal)) {
          throw new MigrateError('PLAN_OUT_OF_ORDER', `${shown} is pending but listed before applied migrations (the current state is ${state.current}); allow out-of-order migrations to apply it, or move it below them in the manifest`);
        }
        return candidates.filter((m) => m.index <= goal.index).map(stepOf);
      }
      if (goal.name === state.current) return [];
      throw wrongDirection(`${shown} is already applied and behind the current state ${state.current}; run \`ydb-migrate down ${shown}\` instead`);
    }
  }
}

function planDown(input: PlanInput, state: State): Step[] {
  const applied = state.appliedLatestFirst;
  const { target } = input;
  let count: number;
  switch (target.kind) {
    case 'base':
      count = applied.length;
      break;
    case 'head':
      throw wrongDirection(`head is reached by applying migrations; run \`ydb-migrate up\` instead`);
    case 'relative':
      if (target.steps > 0) throw wrongDirection(`${formatTarget(target)} applies migrations; run \`ydb-migrate up ${formatTarget(target)}\` instead`);
      if (-target.steps > applied.length) throw tooFar(`${formatTarget(target)} goes past base: ${describeCount(applied.length, 'applied migration')} to revert`);
      count = -target.steps;
      break;
    case 'name':
    case 'tag': {
      const name = target.kind === 'name' ? target.name : input.migrations[requireTag(input.tags, target.tag).afterIndex]!.name;
      const shown = formatTarget(target);
      count = applied.findIndex((row) => row.name === name);
      if (count < 0) {
        // Names gone from the manifest are valid down targets while their rows exist.
        const known = [...input.migrations.map((m) => m.name), ...applied.map((row) => row.name)];
        if (!known.includes(name)) throw unknownMigration(name, known);
        throw wrongDirection(`${shown} is not applied, so it is ahead of the current state ${state.current ?? 'base'}; run \`ydb-migrate up ${shown}\` instead`);
      }
    }
  }
  const steps = applied.slice(0, count).map((row): Step => ({ direction: 'down', name: row.name, migration: state.byName.get(row.name) ?? null, history: row }));
  requireDownTexts(steps);
  return steps;
}

/** Refuses a plan that would stop halfway at a migration nobody can revert. */
function requireDownTexts(steps: readonly Step[]): void {
  const stuck = steps.filter((s) => !s.migration?.down && s.history?.downText == null);
  if (stuck.length === 0) return;
  const names = stuck.map((s) => s.name);
  const first = stuck[0]!.migration;
  throw new MigrateError(
    'DOWN_MISSING',
    `${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} no down file and no down text in the history, so the plan cannot revert ${names.length === 1 ? 'it' : 'them'}; write ${names[0]}.down.yql or choose a target above it`,
    first ? { location: { file: first.up.path, line: 1, column: 1 }, details: names } : { details: names },
  );
}

function requireMigration(migrations: readonly Migration[], name: string): Migration {
  const found = migrations.find((m) => m.name === name);
  if (!found) throw unknownMigration(name, migrations.map((m) => m.name));
  return found;
}

function requireTag(tags: readonly ManifestTag[], tag: string): ManifestTag {
  const found = tags.find((t) => t.tag === tag);
  if (found) return found;
  const known = tags.map((t) => t.tag);
  const near = suggestions(tag, known);
  const hint =
    known.length === 0 ? 'the manifest has no tags; a line @TAG below a migration sets one'
    : near.length > 0 ? `did you mean ${near.map((t) => `@${t}`).join(', ')}?`
    : `its tags are ${known.map((t) => `@${t}`).join(', ')}`;
  throw new MigrateError('PLAN_UNKNOWN_TAG', `no tag @${tag} in the manifest; ${hint}`);
}

function unknownMigration(name: string, known: readonly string[]): MigrateError {
  const near = suggestions(name, known);
  const hint = near.length > 0 ? `did you mean ${near.join(', ')}?` : 'check the name against the manifest';
  return new MigrateError('PLAN_UNKNOWN_TARGET', `no migration named '${clipName(name)}'; ${hint}`);
}

function wrongDirection(message: string): MigrateError {
  return new MigrateError('PLAN_WRONG_DIRECTION', message);
}

function tooFar(message: string): MigrateError {
  return new MigrateError('PLAN_TOO_FAR', message);
}

function describeCount(n: number, noun: string): string {
  return `there ${n === 1 ? 'is' : 'are'} ${n === 0 ? 'no' : n} ${noun}${n === 1 ? '' : 's'}`;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksumOf } from '../../lib/checksum.js';
import { MigrateError } from '../../lib/errors.js';
import type { HistoryRow, HistoryState } from '../../lib/online/history-table.js';
import type { ManifestTag } from '../../lib/manifest.js';
import type { Migration, MigrationText } from '../../lib/migration.js';
import { historyForState, parseTarget, planMigrations, resolveState, type Plan, type Target } from '../../lib/online/plan.js';

function text(path: string, body: string): MigrationText {
  return { path, text: body, checksum: checksumOf(body), statements: [], blocks: [], declarations: [] };
}

function migration(name: string, index: number, withDown = true): Migration {
  return {
    name,
    index,
    manifestLine: index + 1,
    up: text(`sql/${name}.up.yql`, `-- up ${name}\nSELECT 1;`),
    down: withDown ? text(`sql/${name}.down.yql`, `-- down ${name}\nSELECT 2;`) : null,
  };
}

const A = migration('0001_a', 0);
const B = migration('0002_b', 1);
const C = migration('0003_c', 2);
const D = migration('0004_d', 3);
const ALL = [A, B, C, D];
const TAGS: ManifestTag[] = [
  { tag: 'v1', afterIndex: 1, line: 3 },
  { tag: 'v2', afterIndex: 3, line: 6 },
];

function row(m: Migration, position: number, state: HistoryState = 'applied'): HistoryRow {
  return {
    name: m.name,
    position,
    checksum: m.up.checksum,
    downText: m.down?.text ?? null,
    state,
    appliedAt: new Date('2024-05-01T10:00:00Z'),
    appliedBy: 'ci',
    toolVersion: '0.1.0',
    requestsDone: null,
    upText: m.up.text,
    repairedAt: null,
    repairedBy: null,
    requestsRan: null,
  };
}

/** Everything up to and including `last`, applied in manifest order. */
function appliedThrough(last: Migration): HistoryRow[] {
  return ALL.slice(0, last.index + 1).map((m) => row(m, m.index + 1));
}

function plan(direction: 'up' | 'down', target: string, history: HistoryRow[] = [], allowOutOfOrder = false): Plan {
  return planMigrations({ migrations: ALL, tags: TAGS, history, target: parseTarget(target), direction, allowOutOfOrder });
}

function stepNames(p: Plan): string[] {
  return p.steps.map((s) => `${s.direction} ${s.name}`);
}

function planError(direction: 'up' | 'down', target: string, history: HistoryRow[] = []): MigrateError {
  try {
    plan(direction, target, history);
  } catch (err) {
    assert.ok(err instanceof MigrateError, `expected a MigrateError, got ${String(err)}`);
    assert.equal(err.kind, 'input');
    return err;
  }
  assert.fail(`planning ${direction} ${target} should have failed`);
}

// ── parseTarget ─────────────────────────────────────────────────────────

test('parseTarget reads every target form', () => {
  const cases: [string, Target][] = [
    ['head', { kind: 'head' }],
    ['base', { kind: 'base' }],
    [' head ', { kind: 'head' }],
    ['@v1.2', { kind: 'tag', tag: 'v1.2' }],
    ['+3', { kind: 'relative', steps: 3 }],
    ['-1', { kind: 'relative', steps: -1 }],
    ['0002_b', { kind: 'name', name: '0002_b' }],
    ['billing/0003_add_invoices', { kind: 'name', name: 'billing/0003_add_invoices' }],
    ['42', { kind: 'name', name: '42' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseTarget(input), expected, input);
});

for (const [input, why] of [
  ['', /is empty/],
  ['   ', /is empty/],
  ['+0', /at least 1/],
  ['-0', /at least 1/],
  ['+99999999999999999999', /at least 1/],
  ['+x', /not a step count/],
  ['@', /not a valid tag/],
  ['@v 1', /not a valid tag/],
  ['0002_b.up.yql', /write the name without \.up\.yql/],
  ['../x', /'\.\.' segment/],
  ['-abc', /starts with '-'/],
  ['HEAD;', /not allowed/],
] as const) {
  test(`parseTarget rejects '${input}'`, () => {
    assert.throws(
      () => parseTarget(input),
      (err: unknown) => err instanceof MigrateError && err.code === 'TARGET_BAD' && err.kind === 'input' && why.test(err.message) && /NAME, @TAG, head, base, \+N or -N/.test(err.message),
    );
  });
}

// ── up ──────────────────────────────────────────────────────────────────

test('up head on an empty database applies everything in manifest order', () => {
  const p = plan('up', 'head');
  assert.deepEqual(stepNames(p), ['up 0001_a', 'up 0002_b', 'up 0003_c', 'up 0004_d']);
  assert.equal(p.current, null);
  assert.equal(p.target, '0004_d');
  assert.deepEqual(p.drift, []);
  assert.ok(p.steps.every((s) => s.migration !== null && s.history === null));
  assert.equal(p.steps[2]!.migration, C);
});

test('up to a name applies pending migrations up to and including it', () => {
  const p = plan('up', '0003_c', appliedThrough(A));
  assert.deepEqual(stepNames(p), ['up 0002_b', 'up 0003_c']);
  assert.equal(p.current, '0001_a');
  assert.equal(p.target, '0003_c');
});

test('up to a tag stops at the migration above the tag', () => {
  assert.deepEqual(stepNames(plan('up', '@v1')), ['up 0001_a', 'up 0002_b']);
  assert.deepEqual(stepNames(plan('up', '@v2', appliedThrough(B))), ['up 0003_c', 'up 0004_d']);
});

test('up +N applies the next N pending migrations', () => {
  const p = plan('up', '+2', appliedThrough(A));
  assert.deepEqual(stepNames(p), ['up 0002_b', 'up 0003_c']);
  assert.equal(p.target, '0003_c');
});

test('up +N beyond head says how many are pending', () => {
  const err = planError('up', '+4', appliedThrough(A));
  assert.equal(err.code, 'PLAN_TOO_FAR');
  assert.match(err.message, /there are 3 pending migrations/);
  assert.match(planError('up', '+1', appliedThrough(D)).message, /there are no pending migrations/);
});

test('up when everything is applied is an empty plan at the current state', () => {
  const p = plan('up', 'head', appliedThrough(D));
  assert.deepEqual(p.steps, []);
  assert.equal(p.current, '0004_d');
  assert.equal(p.target, '0004_d');
  assert.deepEqual(stepNames(plan('up', '0002_b', appliedThrough(B))), []);
});

test('up to a migration behind the current state says to migrate down', () => {
  const err = planError('up', '0001_a', appliedThrough(C));
  assert.equal(err.code, 'PLAN_WRONG_DIRECTION');
  assert.match(err.message, /0001_a is already applied and behind the current state 0003_c; run `ydb-migrate down 0001_a` instead/);
  assert.match(planError('up', '@v1', appliedThrough(C)).message, /run `ydb-migrate down @v1` instead/);
});

test('up to base or -N says to migrate down', () => {
  assert.match(planError('up', 'base').message, /run `ydb-migrate down base` instead/);
  const err = planError('up', '-1', appliedThrough(B));
  assert.equal(err.code, 'PLAN_WRONG_DIRECTION');
  assert.match(err.message, /run `ydb-migrate down -1` instead/);
});

test('an unknown name lists near matches', () => {
  const err = planError('up', '0003_cc');
  assert.equal(err.code, 'PLAN_UNKNOWN_TARGET');
  assert.match(err.message, /no migration named '0003_cc'; did you mean 0003_c/);
  assert.match(planError('up', 'zzzzzzzzzzzz').message, /check the name against the manifest/);
  assert.match(planError('up', '0002').message, /did you mean 0002_b\?/);
});

test('an unknown tag lists near matches, or the tags there are', () => {
  const err = planError('up', '@v3');
  assert.equal(err.code, 'PLAN_UNKNOWN_TAG');
  assert.match(err.message, /no tag @v3 in the manifest; did you mean @v1, @v2\?/);
  assert.match(planError('down', '@release-candidate', appliedThrough(D)).message, /its tags are @v1, @v2/);
  const untagged = () => planMigrations({ migrations: ALL, tags: [], history: [], target: parseTarget('@v1'), direction: 'up' });
  assert.throws(untagged, /the manifest has no tags/);
});

// ── down ────────────────────────────────────────────────────────────────

test('down base reverts everything, latest applied first', () => {
  const history = appliedThrough(D);
  const p = plan('down', 'base', history);
  assert.deepEqual(stepNames(p), ['down 0004_d', 'down 0003_c', 'down 0002_b', 'down 0001_a']);
  assert.equal(p.current, '0004_d');
  assert.equal(p.target, null);
  assert.equal(p.steps[0]!.migration, D);
  assert.equal(p.steps[0]!.history, history[3]);
});

test('down to a name keeps that migration applied', () => {
  const p = plan('down', '0002_b', appliedThrough(D));
  assert.deepEqual(stepNames(p), ['down 0004_d', 'down 0003_c']);
  assert.equal(p.target, '0002_b');
});

test('down to a tag reverts what came after it', () => {
  assert.deepEqual(stepNames(plan('down', '@v1', appliedThrough(D))), ['down 0004_d', 'down 0003_c']);
});

test('down -N reverts the last N applied', () => {
  const p = plan('down', '-1', appliedThrough(C));
  assert.deepEqual(stepNames(p), ['down 0003_c']);
  assert.equal(p.target, '0002_b');
  assert.equal(plan('down', '-3', appliedThrough(C)).target, null);
});

test('down -N beyond base says how many are applied', () => {
  const err = planError('down', '-4', appliedThrough(C));
  assert.equal(err.code, 'PLAN_TOO_FAR');
  assert.match(err.message, /there are 3 applied migrations/);
  assert.match(planError('down', '-1').message, /there are no applied migrations/);
  assert.match(planError('down', '-2', appliedThrough(A)).message, /there is 1 applied migration to revert/);
});

test('down at base, or to the current state, is an empty plan', () => {
  const atBase = plan('down', 'base');
  assert.deepEqual(atBase.steps, []);
  assert.equal(atBase.current, null);
  assert.equal(atBase.target, null);
  const atCurrent = plan('down', '0002_b', appliedThrough(B));
  assert.deepEqual(atCurrent.steps, []);
  assert.equal(atCurrent.target, '0002_b');
});

test('down to a pending migration says to migrate up', () => {
  const err = planError('down', '0004_d', appliedThrough(B));
  assert.equal(err.code, 'PLAN_WRONG_DIRECTION');
  assert.match(err.message, /0004_d is not applied, so it is ahead of the current state 0002_b; run `ydb-migrate up 0004_d` instead/);
  assert.match(planError('down', '0001_a').message, /current state base/);
});

test('down to head or +N says to migrate up', () => {
  assert.match(planError('down', 'head', appliedThrough(B)).message, /run `ydb-migrate up` instead/);
  assert.match(planError('down', '+1', appliedThrough(B)).message, /run `ydb-migrate up \+1` instead/);
});

test('down to an unknown name lists near matches among manifest and history', () => {
  const gone: HistoryRow = { ...row(D, 5), name: '0005_gone' };
  const err = planError('down', '0005_gon', [...appliedThrough(D), gone]);
  assert.equal(err.code, 'PLAN_UNKNOWN_TARGET');
  assert.match(err.message, /did you mean 0005_gone\?/);
});

test('a migration gone from the manifest is reverted from its history row', () => {
  const gone: HistoryRow = { ...row(D, 5), name: '0005_gone', downText: 'DROP TABLE gone;' };
  const history = [...appliedThrough(D), gone];
  const p = plan('down', '-1', history);
  assert.deepEqual(p.steps, [{ direction: 'down', name: '0005_gone', migration: null, history: gone }]);
  assert.equal(p.current, '0005_gone');
  assert.equal(p.target, '0004_d');
  assert.deepEqual(p.drift.map((d) => `${d.kind} ${d.name}`), ['missing 0005_gone']);
  assert.deepEqual(stepNames(plan('down', '0004_d', history)), ['down 0005_gone']);
  assert.deepEqual(stepNames(plan('down', '0005_gone', history)), []);
});

test('reverting a migration that has no down text anywhere is refused before any step', () => {
  const noDown = migration('0003_c', 2, false);
  const migrations = [A, B, noDown, D];
  const history = [row(A, 1), row(B, 2), row(noDown, 3), row(D, 4)];
  const down = (target: string) => planMigrations({ migrations, tags: TAGS, history, target: parseTarget(target), direction: 'down' });
  assert.throws(down.bind(null, 'base'), (err: unknown) => {
    assert.ok(err instanceof MigrateError);
    assert.equal(err.code, 'DOWN_MISSING');
    assert.match(err.message, /^0003_c has no down file and no down text in the history, so the plan cannot revert it; write 0003_c\.down\.yql or choose a target above it$/);
    assert.deepEqual(err.location, { file: 'sql/0003_c.up.yql', line: 1, column: 1 });
    return true;
  });
  assert.deepEqual(down('0003_c').steps.map((s) => s.name), ['0004_d']);
  // The down text recorded at apply time is enough.
  const recorded = history.map((r) => (r.name === '0003_c' ? { ...r, downText: 'DROP TABLE c;' } : r));
  const p = planMigrations({ migrations, tags: TAGS, history: recorded, target: { kind: 'base' }, direction: 'down' });
  assert.equal(p.steps.length, 4);
  const gone: HistoryRow = { ...row(D, 5), name: '0005_gone', downText: null };
  assert.throws(() => plan('down', 'base', [...appliedThrough(D), gone]), (err: unknown) => err instanceof MigrateError && err.code === 'DOWN_MISSING' && err.location === undefined);
  const bothStuck = [...history, { ...gone, position: 5 }];
  assert.throws(
    () => planMigrations({ migrations, tags: TAGS, history: bothStuck, target: { kind: 'base' }, direction: 'down' }),
    (err: unknown) => err instanceof MigrateError && /^0005_gone, 0003_c have no down file .* cannot revert them; write 0005_gone\.down\.yql/.test(err.message) && err.details.length === 2,
  );
});

// ── drift ───────────────────────────────────────────────────────────────

test('a changed up file is drift, reported but not blocking', () => {
  const history = appliedThrough(B).map((r) => (r.name === '0001_a' ? { ...r, checksum: 'f'.repeat(64) } : r));
  const p = plan('up', 'head', history);
  assert.deepEqual(p.drift.map((d) => `${d.kind} ${d.name}`), ['changed 0001_a']);
  assert.match(p.drift[0]!.message, /sql\/0001_a\.up\.yql changed after it was applied \(checksum ffffffffffff applied, /);
  assert.deepEqual(stepNames(p), ['up 0003_c', 'up 0004_d']);
});

test('a pending migration listed before an applied one is drift and skipped unless allowed', () => {
  const history = [row(A, 1), row(C, 2)];
  const p = plan('up', 'head', history);
  assert.deepEqual(p.drift.map((d) => `${d.kind} ${d.name}`), ['out-of-order 0002_b']);
  assert.deepEqual(stepNames(p), ['up 0004_d']);
  assert.deepEqual(stepNames(plan('up', 'head', history, true)), ['up 0002_b', 'up 0004_d']);
  assert.deepEqual(stepNames(plan('up', '+1', history, true)), ['up 0002_b']);
  assert.deepEqual(stepNames(plan('up', '0002_b', history, true)), ['up 0002_b']);
  const err = planError('up', '0002_b', history);
  assert.equal(err.code, 'PLAN_OUT_OF_ORDER');
  assert.match(err.message, /0002_b is pending but listed before applied migrations \(the current state is 0003_c\)/);
});

test('migrations applied in another order than listed are drift, and down follows the applied order', () => {
  const history = [row(A, 1), row(C, 2), row(B, 3)];
  const p = plan('down', 'base', history);
  assert.deepEqual(p.drift.map((d) => `${d.kind} ${d.name}`), ['order-differs 0002_b']);
  assert.match(p.drift[0]!.message, /0002_b was applied after 0003_c/);
  assert.equal(p.current, '0002_b');
  assert.deepEqual(stepNames(p), ['down 0002_b', 'down 0003_c', 'down 0001_a']);
  assert.deepEqual(stepNames(plan('down', '0003_c', history)), ['down 0002_b']);
});

test('a history row left applying or failed is drift, and the up plan (which only `up --resume` runs) carries the row', () => {
  const failed = row(C, 3, 'failed');
  const history = [...appliedThrough(B), failed];
  const p = plan('up', 'head', history);
  assert.deepEqual(p.drift.map((d) => `${d.kind} ${d.name}`), ['failed 0003_c']);
  assert.equal(p.drift[0]!.message, '0003_c: failed: `ydb-migrate up --resume`, or `ydb-migrate resolve 0003_c --applied|--reverted`');
  assert.equal(p.current, '0002_b');
  assert.deepEqual(p.steps.map((s) => [s.name, s.history]), [['0003_c', failed], ['0004_d', null]]);
  const applying = plan('down', 'base', [...appliedThrough(A), row(B, 2, 'applying')]);
  assert.deepEqual(stepNames(applying), ['down 0001_a']);
  assert.deepEqual(applying.drift.map((d) => `${d.kind} ${d.name}`), ['failed 0002_b']);
});

test('history positions, not row order, decide the current state', () => {
  const shuffled = [row(C, 3), row(A, 1), row(B, 2)];
  assert.equal(plan('up', 'head', shuffled).current, '0003_c');
  assert.deepEqual(stepNames(plan('down', '-2', shuffled)), ['down 0003_c', 'down 0002_b']);
});

// ── offline states ──────────────────────────────────────────────────────

test('historyForState synthesizes everything up to a name as applied', () => {
  assert.deepEqual(historyForState(ALL, null), []);
  const rows = historyForState(ALL, '0002_b');
  assert.deepEqual(rows.map((r) => [r.name, r.position, r.checksum, r.downText, r.state]), [
    ['0001_a', 1, A.up.checksum, A.down!.text, 'applied'],
    ['0002_b', 2, B.up.checksum, B.down!.text, 'applied'],
  ]);
  const p = planMigrations({ migrations: ALL, tags: TAGS, history: rows, target: { kind: 'head' }, direction: 'up' });
  assert.deepEqual(stepNames(p), ['up 0003_c', 'up 0004_d']);
  assert.deepEqual(p.drift, []);
  assert.throws(() => historyForState(ALL, '0009_x'), (err: unknown) => err instanceof MigrateError && err.code === 'PLAN_UNKNOWN_TARGET');
});

test('resolveState names the state a target stands for', () => {
  assert.equal(resolveState(ALL, TAGS, 'base'), null);
  assert.equal(resolveState(ALL, TAGS, 'head'), '0004_d');
  assert.equal(resolveState([], [], 'head'), null);
  assert.equal(resolveState(ALL, TAGS, '@v1'), '0002_b');
  assert.equal(resolveState(ALL, TAGS, '0003_c'), '0003_c');
  assert.throws(() => resolveState(ALL, TAGS, '+1'), (err: unknown) => err instanceof MigrateError && err.code === 'TARGET_BAD' && /not a state/.test(err.message));
  assert.throws(() => resolveState(ALL, TAGS, '@nope'), (err: unknown) => err instanceof MigrateError && err.code === 'PLAN_UNKNOWN_TAG');
  assert.throws(() => resolveState(ALL, TAGS, '0003'), /did you mean 0003_c\?/);
});

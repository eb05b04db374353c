import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryRow } from '../../lib/online/history-table.js';
import { historyForState, type Plan } from '../../lib/online/plan.js';
import { reconcile } from '../../lib/watch/reconcile.js';
import { loadSpec, table, type Spec } from './sets.js';

const base: Spec = { '0001_a': table('a'), '0002_b': table('b'), '0003_c': table('c') };
const editedB: Spec = { ...base, '0002_b': ['CREATE TABLE b (id Uint64 NOT NULL, v Utf8, PRIMARY KEY (id));\n', 'DROP TABLE IF EXISTS b;\n'] };

/** The history of a database that applied `spec` up to `last`, as the history table records it. */
async function appliedHistory(spec: Spec, last: string | null): Promise<HistoryRow[]> {
  return historyForState((await loadSpec(spec)).migrations, last);
}

function steps(plan: Plan): string[] {
  return plan.steps.map((s) => `${s.direction} ${s.name}`);
}

test('a new database: every listed migration is applied in order', async () => {
  const plan = reconcile(await loadSpec(base), []);
  assert.deepEqual(steps(plan), ['up 0001_a', 'up 0002_b', 'up 0003_c']);
  assert.deepEqual([plan.current, plan.target], [null, '0003_c']);
});

test('a database that matches the files: nothing to do', async () => {
  const plan = reconcile(await loadSpec(base), await appliedHistory(base, '0003_c'));
  assert.deepEqual(steps(plan), []);
  assert.deepEqual([plan.current, plan.target], ['0003_c', '0003_c']);
});

test('an edited applied migration: revert from head down to it with the stored down texts, then apply it and the rest again', async () => {
  const history = await appliedHistory(base, '0003_c');
  const plan = reconcile(await loadSpec(editedB), history);
  assert.deepEqual(steps(plan), ['down 0003_c', 'down 0002_b', 'up 0002_b', 'up 0003_c']);
  const revertB = plan.steps[1]!;
  assert.equal(revertB.history?.downText, 'DROP TABLE b;\n', 'the down text stored at apply time, not the saved file');
  assert.match(plan.steps[2]!.migration!.up.text, /v Utf8/, 'the new text is applied');
  assert.deepEqual(plan.drift.map((d) => `${d.kind} ${d.name}`), ['changed 0002_b']);
});

test('pending migrations (appended to the manifest) are applied after the applied ones', async () => {
  const plan = reconcile(await loadSpec({ ...base, '0004_d': table('d') }), await appliedHistory(base, '0003_c'));
  assert.deepEqual(steps(plan), ['up 0004_d']);
});

test('a name removed from the manifest is reverted with its stored down text, and what followed it is re-applied', async () => {
  const { '0002_b': _, ...withoutB } = base;
  const plan = reconcile(await loadSpec(withoutB), await appliedHistory(base, '0003_c'));
  assert.deepEqual(steps(plan), ['down 0003_c', 'down 0002_b', 'up 0003_c']);
  assert.equal(plan.steps[1]!.migration, null, 'no longer listed: its history row carries the down text');
  assert.equal(plan.steps[1]!.history?.downText, 'DROP TABLE b;\n');
});

test('a reordered manifest is replayed from the first difference', async () => {
  const reordered: Spec = { '0001_a': base['0001_a']!, '0003_c': base['0003_c']!, '0002_b': base['0002_b']! };
  const plan = reconcile(await loadSpec(reordered), await appliedHistory(base, '0003_c'));
  assert.deepEqual(steps(plan), ['down 0003_c', 'down 0002_b', 'up 0003_c', 'up 0002_b']);
});

test("a migration left 'failed' is pending again, and its step carries the row to replace", async () => {
  const history = await appliedHistory(base, '0002_b');
  history[1] = { ...history[1]!, state: 'failed' };
  const plan = reconcile(await loadSpec(base), history);
  assert.deepEqual(steps(plan), ['up 0002_b', 'up 0003_c']);
  assert.equal(plan.steps[0]!.history?.state, 'failed');
  assert.equal(plan.current, '0001_a');
});

test('applied in another order than listed: revert down to the first difference', async () => {
  const history = await appliedHistory(base, '0003_c');
  [history[1], history[2]] = [{ ...history[2]!, position: 2 }, { ...history[1]!, position: 3 }];
  const plan = reconcile(await loadSpec(base), history);
  assert.deepEqual(steps(plan), ['down 0002_b', 'down 0003_c', 'up 0002_b', 'up 0003_c']);
});

test('an up file with no statements yet (just created) is not applied, nor anything listed after it', async () => {
  const spec: Spec = { '0001_a': table('a'), '0002_new': ['-- 0002_new: up\n', '-- 0002_new: down\n'], '0003_c': table('c') };
  const plan = reconcile(await loadSpec(spec), []);
  assert.deepEqual(steps(plan), ['up 0001_a']);
  assert.deepEqual([plan.current, plan.target], [null, '0001_a']);
  const applied = reconcile(await loadSpec(spec), await appliedHistory(base, '0001_a'));
  assert.deepEqual(steps(applied), []);
});

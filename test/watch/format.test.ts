import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../lib/errors.js';
import { appliedLine, downSavedLine, failureFooter, failureHeadline } from '../../lib/watch/format.js';
import type { RunSummary, WatchEvent } from '../../lib/watch/session.js';

const NOW = new Date(2025, 0, 2, 9, 5, 7);
type Failed = Extract<WatchEvent, { type: 'failed' }>;

const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  trigger: 'change',
  files: ['sql/0002_b.up.yql'],
  reverted: ['0003_c', '0002_b'],
  revertMs: 12,
  applied: ['0002_b', '0003_c'],
  applyMs: 20,
  totalMs: 45,
  ...over,
});

const error = new MigrateError('YDB_GENERIC_ERROR', "migration 0002_b failed: GENERIC_ERROR: Unknown type: 'Strin'", {
  kind: 'runtime',
  location: { file: 'sql/0002_b.up.yql', line: 2, column: 40 },
});

function failed(over: Partial<Failed> = {}): Failed {
  return { type: 'failed', stage: 'run', error, migration: '0002_b', direction: 'up', leftover: 'none', undoError: null, current: '0001_a', ...summary({ applied: [], applyMs: 0 }), ...over };
}

test('one line per run: time, the saved file, what was reverted and applied with timings, and the state reached', () => {
  assert.equal(appliedLine({ type: 'applied', current: '0003_c', ...summary() }, NOW), '09:05:07 sql/0002_b.up.yql: reverted 2 (12 ms), applied 2 (20 ms) in 45 ms; at 0003_c');
  assert.equal(
    appliedLine({ type: 'applied', current: '0003_c', ...summary({ trigger: 'start', files: [], reverted: [], revertMs: 0 }) }, NOW),
    '09:05:07 start: applied 2 (20 ms) in 45 ms; at 0003_c',
  );
  assert.equal(
    appliedLine({ type: 'applied', current: null, ...summary({ files: ['a', 'b', 'c'], reverted: [], applied: [] }) }, NOW),
    '09:05:07 a and 2 more files: nothing to do; at base',
  );
});

test('a saved down file says when it takes effect', () => {
  assert.equal(
    downSavedLine({ type: 'down-saved', files: ['sql/0002_b.down.yql'], migrations: ['0002_b'] }, NOW),
    '09:05:07 sql/0002_b.down.yql: saved; stored with 0002_b when it is next applied',
  );
});

test('the failure banner says what ran before the failure, or that the files could not be read', () => {
  assert.equal(failureHeadline(failed(), NOW), '09:05:07 sql/0002_b.up.yql: FAILED after reverting 2');
  assert.equal(failureHeadline(failed({ reverted: [] }), NOW), '09:05:07 sql/0002_b.up.yql: FAILED');
  assert.equal(
    failureHeadline(failed({ stage: 'load', files: ['sql/manifest.txt'] }), NOW),
    '09:05:07 sql/manifest.txt: FAILED: the files could not be read; nothing ran',
  );
});

test('below the error: what the failing migration left, where the database is, and that watch goes on', () => {
  assert.deepEqual(failureFooter(failed()), [
    '0002_b is not applied; nothing of it stayed in the database',
    'the database is at 0001_a; still watching: fix the files and save to try again',
  ]);
  assert.match(failureFooter(failed({ leftover: 'some' }))[0]!, /the part of it that ran was undone with its down text/);
  const undoFailed = new MigrateError('YDB_SCHEME_ERROR', 'migration 0002_b (down) failed: SCHEME_ERROR: Cannot find table', { kind: 'runtime' });
  assert.match(failureFooter(failed({ leftover: 'some', undoError: undoFailed }))[0]!, /its down text could not undo that: migration 0002_b \(down\) failed.*DROP TABLE IF EXISTS/);
  assert.match(
    failureFooter(failed({ direction: 'down', leftover: null }))[0]!,
    /^reverting 0002_b failed; if its stored down text is wrong, restart watch with --down-from-file/,
  );
  const { current: _, ...unknownState } = failed({ migration: null, direction: null, leftover: null });
  assert.deepEqual(failureFooter(unknownState), ['still watching: fix the files and save to try again']);
  assert.deepEqual(failureFooter(failed({ migration: null, direction: null, leftover: null, current: null })), ['the database is at base; still watching: fix the files and save to try again']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunTracker, stoppingMessage } from '../lib/cli/interrupt.js';
import type { RunEvent } from '../lib/online/results.js';

const holder = { owner: 'other-run', host: 'other-host', pid: 4242, acquiredAt: new Date(0), expiresAt: null };

function after(events: RunEvent[]): RunTracker {
  const tracker = new RunTracker();
  for (const e of events) tracker.observe(e);
  return tracker;
}

const stepStart = (name: string, index: number): RunEvent => ({ type: 'step-start', name, direction: 'up', index, total: 3, file: `sql/${name}.up.yql` });

test('each signal says what it stops, from what the run is doing', () => {
  const cases: [string, RunEvent[], NodeJS.Signals, 1 | 2, RegExp][] = [
    ['before anything', [], 'SIGINT', 1, /^SIGINT: stopping before the next migration, then releasing the lock; Ctrl-C again to stop after the current request$/],
    ['waiting for the lock', [{ type: 'lock-wait', holder }], 'SIGINT', 1, /^SIGINT: no longer waiting for the migration lock; stopping, nothing ran$/],
    ['writing the marker row', [stepStart('0002_b', 1)], 'SIGTERM', 1, /^SIGTERM: finishing 0002_b, then stopping before the next migration and releasing the lock; SIGTERM again to stop after the current request$/],
    ['in the last of three requests', [stepStart('0002_b', 1), { type: 'block-start', name: '0002_b', block: 3, blocks: 3, line: 9, kind: 'ddl' }], 'SIGINT', 1, /finishing 0002_b \(request 3 of 3 running, 0 more after it\)/],
    ['between migrations', [stepStart('0002_b', 1), { type: 'step-end', result: { name: '0002_b', direction: 'up', status: 'applied', file: 'sql/0002_b.up.yql', durationMs: 1 } }], 'SIGINT', 1, /^SIGINT: stopping before the next migration/],
    ['a second one in a request', [stepStart('0002_b', 1), { type: 'block-start', name: '0002_b', block: 1, blocks: 2, line: 1, kind: 'ddl' }], 'SIGINT', 2, /^SIGINT again: stopping after the current request of 0002_b \(request 1 of 2\), recording how many of its requests ran, then releasing the lock; Ctrl-C a third time exits at once/],
    ['a second one while waiting', [{ type: 'lock-wait', holder }], 'SIGTERM', 2, /^SIGTERM again: stopping now, then releasing the lock; SIGTERM a third time exits at once/],
  ];
  for (const [when, events, signal, count, expected] of cases) {
    assert.match(stoppingMessage(signal, count, after(events).doing).warning, expected, when);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer, type Timers } from '../../lib/watch/coalescer.js';

/** Timers that move only when told: `advance(ms)` fires what falls due, in order. */
class FakeTimers implements Timers {
  now = 0;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.due.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].callback();
    }
    this.now = end;
  }
}

/** A coalescer whose runs end only when the test says so; records each batch and when it started. */
function setUp(debounceMs = 50) {
  const timers = new FakeTimers();
  const runs: { batch: string[]; at: number; finish: (error?: Error) => void }[] = [];
  const errors: unknown[] = [];
  let active = 0;
  let maxActive = 0;
  const coalescer = new Coalescer<string>({
    debounceMs,
    timers,
    onError: (err) => errors.push(err),
    run: (batch) =>
      new Promise<void>((resolve, reject) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push({ batch, at: timers.now, finish: (error) => { active--; if (error) reject(error); else resolve(); } });
      }),
  });
  return { timers, runs, errors, coalescer, maxActive: () => maxActive };
}

/** Lets the promise callbacks of a finished run happen. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a burst of events makes one run, once the events have been quiet for the debounce, with each item once', () => {
  const { timers, runs, coalescer } = setUp(50);
  for (const [at, item] of [[0, 'a'], [10, 'b'], [30, 'a'], [70, 'c']] as const) {
    timers.advance(at - timers.now);
    coalescer.push(item);
  }
  timers.advance(49);
  assert.equal(runs.length, 0, 'the last event was 49 ms ago: still waiting');
  timers.advance(1);
  assert.deepEqual(runs.map((r) => [r.batch, r.at]), [[['a', 'b', 'c'], 120]]);
});

test('events during a run never start a second one at once; they make exactly one more run after it', async () => {
  const { timers, runs, coalescer, maxActive } = setUp(50);
  coalescer.push('first');
  timers.advance(50);
  assert.equal(runs.length, 1);
  for (let i = 0; i < 20; i++) {
    coalescer.push(`save${i % 3}`);
    timers.advance(60); // each save's quiet period ends during the run
  }
  assert.equal(runs.length, 1, 'still one run: the others wait for it');
  runs[0]!.finish();
  await settle();
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[1]!.batch, ['save0', 'save1', 'save2']);
  runs[1]!.finish();
  await settle();
  timers.advance(1000);
  assert.equal(runs.length, 2, 'nothing left to run');
  assert.equal(maxActive(), 1);
});

test('after a run, events whose quiet period has not ended yet wait for it', async () => {
  const { timers, runs, coalescer } = setUp(50);
  coalescer.push('a');
  timers.advance(50);
  coalescer.push('b');
  timers.advance(20);
  runs[0]!.finish();
  await settle();
  assert.equal(runs.length, 1, 'b came 20 ms ago');
  timers.advance(30);
  assert.deepEqual(runs.map((r) => r.batch), [['a'], ['b']]);
});

test('activity (writes still going on) postpones what is pending, and starts nothing by itself', async () => {
  const { timers, runs, coalescer } = setUp(50);
  coalescer.delay();
  timers.advance(100);
  assert.equal(runs.length, 0);
  coalescer.push('a');
  for (let i = 0; i < 5; i++) {
    timers.advance(40);
    coalescer.delay();
  }
  assert.equal(runs.length, 0, 'still being written');
  timers.advance(50);
  assert.deepEqual(runs.map((r) => [r.batch, r.at]), [[['a'], 350]]);
  coalescer.push('b');
  timers.advance(50);
  coalescer.delay(); // during the run: b waits for quiet after it
  runs[0]!.finish();
  await settle();
  assert.equal(runs.length, 1);
  timers.advance(50);
  assert.deepEqual(runs.map((r) => r.batch), [['a'], ['b']]);
});

test('a run that rejects is reported, and later events still run', async () => {
  const { timers, runs, errors, coalescer } = setUp(50);
  coalescer.push('a');
  timers.advance(50);
  runs[0]!.finish(new Error('boom'));
  await settle();
  assert.deepEqual(errors.map((e) => (e as Error).message), ['boom']);
  coalescer.push('b');
  timers.advance(50);
  assert.deepEqual(runs.map((r) => r.batch), [['a'], ['b']]);
});

test('flush runs at once, even with nothing pending; during a run it runs right after', async () => {
  const { timers, runs, coalescer } = setUp(50);
  coalescer.flush();
  assert.deepEqual(runs.map((r) => r.batch), [[]]);
  coalescer.push('a');
  coalescer.flush();
  assert.equal(runs.length, 1, 'never two at once');
  runs[0]!.finish();
  await settle();
  assert.deepEqual(runs.map((r) => r.batch), [[], ['a']]);
  timers.advance(100);
  assert.equal(runs.length, 2, 'the flushed push left no timer behind');
});

test('close waits for the run in progress, drops what waits, and ignores later events', async () => {
  const { timers, runs, coalescer } = setUp(50);
  coalescer.push('a');
  timers.advance(50);
  coalescer.push('b');
  let closed = false;
  const closing = coalescer.close().then(() => (closed = true));
  await settle();
  assert.equal(closed, false, 'the run is still going');
  runs[0]!.finish();
  await closing;
  coalescer.push('c');
  coalescer.flush();
  timers.advance(1000);
  assert.deepEqual(runs.map((r) => r.batch), [['a']]);
});

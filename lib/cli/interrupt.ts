/**
 * Ctrl-C (SIGINT) and SIGTERM during up, down and redo, in three steps. The
 * first lets the migration in progress finish all its requests and stops
 * before the next, so a stop never leaves a migration half-applied. The
 * second stops after the request in progress: the migration is recorded
 * failed with how many of its requests ran. Both write the history the run
 * owes and release the lock; the exit code is then 130 (SIGINT) or 143
 * (SIGTERM). The third exits at once: the way out of a request YDB does not
 * answer (the statement timeout is 6 hours by default), at the price of a
 * lock held until its lease expires.
 */
import { constants } from 'node:os';
import type { Stops } from '../online/interrupt.js';
import type { RunEvent, RunResult } from '../online/results.js';
import type { Output } from './output.js';
import type { ProgressLine } from './progress.js';

/** What a run is doing, as far as its events tell. */
export type Doing =
  | { kind: 'preparing' }
  | { kind: 'waiting-for-lock' }
  | { kind: 'migration'; name: string; request: { index: number; of: number } | null }
  | { kind: 'between-migrations' };

/** Follows a run's events to know what a signal would interrupt. */
export class RunTracker {
  doing: Doing = { kind: 'preparing' };

  observe(event: RunEvent): void {
    switch (event.type) {
      case 'lock-wait':
        this.doing = { kind: 'waiting-for-lock' };
        break;
      case 'lock-takeover':
        this.doing = { kind: 'preparing' };
        break;
      case 'step-start':
        this.doing = { kind: 'migration', name: event.name, request: null };
        break;
      case 'block-start':
        this.doing = { kind: 'migration', name: event.name, request: { index: event.block, of: event.blocks } };
        break;
      case 'step-end':
        this.doing = { kind: 'between-migrations' };
        break;
      case 'warning':
        break;
    }
  }
}

/** What the `count`-th signal (1 or 2) makes the run do, for the warning and (shorter) for the progress line. */
export function stoppingMessage(signal: NodeJS.Signals, count: 1 | 2, doing: Doing): { warning: string; note: string } {
  const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
  if (count === 2) {
    const third = `${again} a third time exits at once, leaving the lock until its lease expires`;
    if (doing.kind !== 'migration') return { warning: `${signal} again: stopping now, then releasing the lock; ${third}`, note: 'stopping now' };
    const at = doing.request ? ` (request ${doing.request.index} of ${doing.request.of})` : '';
    return {
      warning: `${signal} again: stopping after the current request of ${doing.name}${at}, recording how many of its requests ran, then releasing the lock; ${third}`,
      note: 'stopping after this request',
    };
  }
  const then = `${again} again to stop after the current request`;
  switch (doing.kind) {
    case 'waiting-for-lock':
      return { warning: `${signal}: no longer waiting for the migration lock; stopping, nothing ran`, note: 'stopping' };
    case 'migration': {
      const left = doing.request ? ` (request ${doing.request.index} of ${doing.request.of} running, ${doing.request.of - doing.request.index} more after it)` : '';
      return { warning: `${signal}: finishing ${doing.name}${left}, then stopping before the next migration and releasing the lock; ${then}`, note: `finishing ${doing.name}, then stopping` };
    }
    default:
      return { warning: `${signal}: stopping before the next migration, then releasing the lock; ${then}`, note: 'stopping before the next migration' };
  }
}

/** Runs `run` with SIGINT and SIGTERM handled as above; returns the exit code (`report` turns the result into one). */
export async function interruptible(
  out: Output,
  progress: ProgressLine,
  tracker: RunTracker,
  run: (stops: Required<Stops>) => Promise<RunResult>,
  report: (result: RunResult) => number,
): Promise<number> {
  const stops = [new AbortController(), new AbortController()] as const;
  let first: NodeJS.Signals | null = null;
  let count = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    count++;
    first ??= signal;
    if (count > 2) {
      progress.clear();
      out.warn({ code: 'ABORTED', message: 'stopped at once: the request in progress was cut off; the lock stays until its lease expires, and `ydb-migrate status` shows what the run left' });
      process.exit(128 + constants.signals[first]);
    }
    const { warning, note } = stoppingMessage(signal, count as 1 | 2, tracker.doing);
    progress.interject(() => out.warn({ code: 'INTERRUPTING', message: warning }));
    progress.setNote(note);
    stops[count - 1]!.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = report(await run({ signal: stops[0].signal, stopNow: stops[1].signal }));
    return first ? 128 + constants.signals[first] : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

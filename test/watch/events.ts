/** Watch events as a test reads them: waits for the next one of some types, never sleeps. */
import assert from 'node:assert/strict';
import type { WatchEvent } from '../../lib/watch/session.js';

type Of<T extends WatchEvent['type']> = Extract<WatchEvent, { type: T }>;

export class EventLog {
  readonly all: WatchEvent[] = [];
  #read = 0;
  #wake: (() => void) | null = null;

  readonly push = (event: WatchEvent): void => {
    this.all.push(event);
    this.#wake?.();
  };

  /** The next event, after the ones already taken, of one of `types`; fails after `ms`. */
  async next<T extends WatchEvent['type']>(types: T[], ms = 10_000): Promise<Of<T>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.all.findIndex((e, i) => i >= this.#read && (types as string[]).includes(e.type));
      if (index >= 0) {
        this.#read = index + 1;
        return this.all[index] as Of<T>;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${types.join('/')} event within ${ms} ms; events so far: ${this.all.map((e) => e.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The outcome of the next check: a run's 'applied' or 'failed', or a save that needed no run. */
  outcome(): Promise<Of<'applied' | 'failed' | 'unchanged' | 'down-saved'>> {
    return this.next(['applied', 'failed', 'unchanged', 'down-saved']);
  }

  /** The next outcome, which must be of `type`. */
  async expect<T extends 'applied' | 'failed' | 'unchanged' | 'down-saved'>(type: T): Promise<Of<T>> {
    const outcome = await this.outcome();
    assert.equal(outcome.type, type, JSON.stringify(outcome));
    return outcome as Of<T>;
  }

  count(type: WatchEvent['type']): number {
    return this.all.filter((e) => e.type === type).length;
  }
}

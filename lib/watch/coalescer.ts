/**
 * Turns bursts of file events into runs: a run starts once no event has come
 * for `debounceMs`; never two runs at once; events that come during a run
 * make at most one more run, which gets all of them. Pure but for the timers.
 */

/** The timer functions a coalescer uses; injected so tests can drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CoalescerOptions<T> {
  debounceMs: number;
  /** One run, given every item pushed since the previous run started, each once, in first-pushed order. */
  run: (batch: T[]) => Promise<void>;
  /** Told when a run rejects; the coalescer goes on. */
  onError: (err: unknown) => void;
  timers?: Timers;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class Coalescer<T> {
  readonly #options: CoalescerOptions<T>;
  readonly #timers: Timers;
  readonly #pending = new Set<T>();
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(options: CoalescerOptions<T>) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
  }

  /** Notes an item and (re)starts the quiet period; ignored once closed. */
  push(item: T): void {
    if (this.#closed) return;
    this.#pending.add(item);
    this.delay();
  }

  /**
   * Restarts the quiet period of what is pending, if anything is: files are
   * still being written. Starts nothing by itself.
   */
  delay(): void {
    if (this.#closed || this.#pending.size === 0) return;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => this.#quiet(), this.#options.debounceMs);
  }

  /** Runs what is pending (perhaps nothing) without waiting for quiet: now, or right after the run in progress. */
  flush(): void {
    if (this.#closed) return;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#running === null) this.#start();
  }

  /** Drops what is waiting and resolves once the run in progress, if any, has ended. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.clear();
    await this.#running;
  }

  #quiet(): void {
    this.#timer = null;
    // During a run, the items wait for its end.
    if (this.#running === null) this.#start();
  }

  #start(): void {
    const batch = [...this.#pending];
    this.#pending.clear();
    this.#running = this.#options
      .run(batch)
      .catch(this.#options.onError)
      .finally(() => {
        this.#running = null;
        // Items that came during the run and whose quiet period is over run now; others wait for theirs.
        if (!this.#closed && this.#pending.size > 0 && this.#timer === null) this.#start();
      });
  }
}

/**
 * A held migration lock: renewed while the run lasts (a third of the lease at
 * a time), so that a lease left by a runner that died expires and is taken
 * over. The runner asks `lost()` before each request: when a renewal finds
 * that another runner took the lease over (this process was paused past its
 * expiry), or the lease ran out unrenewed, nothing more may be run.
 */
import { MigrateError } from '../errors.js';
import { describeHolder, type LockHolder, type LockOwner } from './lock-table.js';

/** Renews the lease by the store's clock; resolves to who holds the lock after it (null: nobody). */
export type Renew = () => Promise<LockHolder | null>;

export class Lease {
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> = Promise.resolve();
  /** undefined while held; null when the row was removed; else who took it over. */
  private lostTo: LockHolder | null | undefined;

  /** `lastRenewed`: when the request that took or last renewed the lease was sent (performance.now()). */
  constructor(
    readonly owner: LockOwner,
    private readonly leaseSeconds: number,
    private lastRenewed: number,
    private readonly renewLease: Renew,
  ) {
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renew());
    }, (leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  /** Why this run may no longer act under the lock, or null while it holds it. */
  lost(): MigrateError | null {
    const expired = performance.now() - this.lastRenewed > this.leaseSeconds * 1000;
    if (this.lostTo === undefined && !expired) return null;
    const why =
      this.lostTo === null ? 'its lock row was removed (by `unlock --force`?)'
      : this.lostTo ? `its lease ran out and the lock is now held by ${describeHolder(this.lostTo)} (was this process paused?)`
      : `its lease of ${this.leaseSeconds} s ran out before it could be renewed (was the process paused or cut off from YDB?)`;
    return new MigrateError('LOCK_LOST', `this run lost the migration lock: ${why}; it stopped, so check the history with \`ydb-migrate status\` before running again`);
  }

  /** Stops renewing; call before the release is sent. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
  }

  private async renew(): Promise<void> {
    if (!this.timer) return;
    const sent = performance.now();
    try {
      const holder = await this.renewLease();
      if (holder?.owner === this.owner.owner) this.lastRenewed = sent;
      else this.lostTo = holder;
    } catch {
      // A failed renewal is retried at the next tick; lost() notices when the lease has run out meanwhile.
    }
  }
}

/**
 * Stopping a run on request, at two depths. `signal` stops it between
 * migrations: the one running finishes all its requests, so a stop never
 * leaves a migration half-applied. `stopNow` stops it after the request in
 * progress: a migration stopped part-way is recorded failed with how many of
 * its requests ran. Either way the run writes the history it owes, releases
 * the lock, and a wait for the lock ends at once.
 */
import { MigrateError } from '../errors.js';

export interface Stops {
  /** Stop before the next migration. */
  signal?: AbortSignal | undefined;
  /** Stop after the request in progress. */
  stopNow?: AbortSignal | undefined;
}

/** A stop that applies, and how deep it cuts. */
export interface Stop {
  signal: AbortSignal;
  depth: 'migration' | 'request';
}

/** The stop that applies before request `i` of a migration (0: before any of it), or null to go on. */
export function stopBefore({ signal, stopNow }: Stops, i: number): Stop | null {
  if (stopNow?.aborted) return { signal: stopNow, depth: 'request' };
  if (i === 0 && signal?.aborted) return { signal, depth: 'migration' };
  return null;
}

/** Aborted by either stop: what ends a wait (for the lock), where there is no migration to finish. */
export function eitherStop({ signal, stopNow }: Stops): AbortSignal | undefined {
  if (!signal || !stopNow) return signal ?? stopNow;
  return AbortSignal.any([signal, stopNow]);
}

export function interruption({ signal, depth }: Stop, notes: readonly string[]): MigrateError {
  const where = depth === 'migration' ? 'stopped before the next migration (none was left part-way)' : 'stopped after the request in progress';
  return new MigrateError('INTERRUPTED', `interrupted by ${reasonOf(signal)}: ${where}, recorded where the run is, and released the lock`, notes.length > 0 ? { details: [...notes] } : {});
}

/** Thrown when a stop ends the wait for another runner's lock: nothing was written. */
export function interruptedWaiting(signal: AbortSignal): MigrateError {
  return new MigrateError('INTERRUPTED', `interrupted by ${reasonOf(signal)} while waiting for the migration lock: nothing ran and nothing was written`);
}

function reasonOf(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'the caller';
}

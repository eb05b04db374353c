/**
 * Watch's lines for people: one compact line per run with its timings, and
 * the lines around a failure's error that say where the database is and
 * what to do. Pure; the CLI prints them.
 */
import type { RunSummary, WatchEvent } from './session.js';

type Applied = Extract<WatchEvent, { type: 'applied' }>;
type Failed = Extract<WatchEvent, { type: 'failed' }>;

/** `12:00:05 sql/0002_users.up.yql: reverted 2 (12 ms), applied 2 (20 ms) in 45 ms; at 0003_orders` */
export function appliedLine(event: Applied, now: Date): string {
  const done = [
    ...(event.reverted.length > 0 ? [`reverted ${event.reverted.length} (${event.revertMs} ms)`] : []),
    ...(event.applied.length > 0 ? [`applied ${event.applied.length} (${event.applyMs} ms)`] : []),
  ];
  const what = done.length > 0 ? `${done.join(', ')} in ${event.totalMs} ms` : 'nothing to do';
  return `${clock(now)} ${cause(event)}: ${what}; at ${event.current ?? 'base'}`;
}

/** `12:00:07 sql/0002_users.down.yql: saved; stored with 0002_users when it is next applied` */
export function downSavedLine(event: Extract<WatchEvent, { type: 'down-saved' }>, now: Date): string {
  return `${clock(now)} ${listFiles(event.files)}: saved; stored with ${event.migrations.join(', ')} when ${event.migrations.length === 1 ? 'it is' : 'they are'} next applied`;
}

/** The banner above a failure's error: when, what set it off, and what the run did before it failed. */
export function failureHeadline(event: Failed, now: Date): string {
  const done = [
    ...(event.reverted.length > 0 ? [`reverting ${event.reverted.length}`] : []),
    ...(event.applied.length > 0 ? [`applying ${event.applied.length}`] : []),
  ];
  const before = event.stage === 'load' ? ': the files could not be read; nothing ran' : done.length > 0 ? ` after ${done.join(' and ')}` : '';
  return `${clock(now)} ${cause(event)}: FAILED${before}`;
}

/** The lines below a failure's error: what the failing migration left, where the database is, what to do. */
export function failureFooter(event: Failed): string[] {
  const lines: string[] = [];
  const name = event.migration;
  if (event.direction === 'down') {
    lines.push(
      `reverting ${name} failed; if its stored down text is wrong, restart watch with --down-from-file to revert with the saved down file; if the database lost or kept part of ${name}, set that right by hand; then save again`,
    );
  }
  if (name !== null) {
    switch (event.leftover) {
      case 'none':
        lines.push(`${name} is not applied; nothing of it stayed in the database`);
        break;
      case 'some':
        lines.push(
          event.undoError === null
            ? `${name} is not applied; the part of it that ran was undone with its down text`
            : `${name} ran in part, and its down text could not undo that: ${event.undoError.toString()}; undo it by hand, or make its down file tolerate a partial up (e.g. DROP TABLE IF EXISTS); ${name} stays recorded as failed: the next save applies it afresh, or, to stop watching instead, run \`ydb-migrate resolve ${name} --reverted\` once you have undone it`,
        );
        break;
    }
  }
  const where = event.current === undefined ? '' : `the database is at ${event.current ?? 'base'}; `;
  lines.push(`${where}still watching: fix the files and save to try again`);
  return lines;
}

/** What set a run off: the start, or the saved files. */
function cause(event: RunSummary): string {
  return event.trigger === 'start' ? 'start' : listFiles(event.files);
}

function listFiles(files: readonly string[]): string {
  if (files.length <= 2) return files.join(', ');
  return `${files[0]} and ${files.length - 1} more files`;
}

/** Local wall-clock time, HH:MM:SS. */
function clock(now: Date): string {
  return now.toTimeString().slice(0, 8);
}

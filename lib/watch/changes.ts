/**
 * What a save changed: the migration files as the database last matched
 * them against the files as they are now. Pure. Decides whether a save
 * needs the database at all: a save that leaves every text as it was needs
 * nothing, and a saved down file only takes effect when its migration is
 * next applied (its text is stored with the history row then).
 */
import type { MigrationSet } from '../migration.js';

export interface SetChanges {
  /** Listed before and now, with another up text. */
  editedUp: string[];
  /** Listed before and now, with another down text (or a down file that appeared or went). */
  editedDown: string[];
  /** Listed now, not before. */
  added: string[];
  /** Listed before, not now. */
  removed: string[];
  /** The migrations listed both times are listed in another order. */
  reordered: boolean;
}

export function compareSets(before: MigrationSet, after: MigrationSet): SetChanges {
  const previous = new Map(before.migrations.map((m) => [m.name, m]));
  const current = new Set(after.migrations.map((m) => m.name));
  const kept = after.migrations.filter((m) => previous.has(m.name));
  const keptBefore = before.migrations.filter((m) => current.has(m.name));
  return {
    editedUp: kept.filter((m) => previous.get(m.name)!.up.checksum !== m.up.checksum).map((m) => m.name),
    editedDown: kept.filter((m) => (previous.get(m.name)!.down?.text ?? null) !== (m.down?.text ?? null)).map((m) => m.name),
    added: after.migrations.filter((m) => !previous.has(m.name)).map((m) => m.name),
    removed: before.migrations.filter((m) => !current.has(m.name)).map((m) => m.name),
    reordered: kept.some((m, i) => keptBefore[i]!.name !== m.name),
  };
}

/** Whether the database must change to match: anything but down texts changed. */
export function needsRun(changes: SetChanges): boolean {
  return changes.editedUp.length > 0 || changes.added.length > 0 || changes.removed.length > 0 || changes.reordered;
}

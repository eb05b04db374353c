/**
 * File events for watch: chokidar on the migrations directory and below,
 * reporting manifest.txt and every .yql file as it is saved, created,
 * deleted or renamed, new files included.
 */
import { basename, relative } from 'node:path';
import type { Stats } from 'node:fs';
import { watch } from 'chokidar';
import { MANIFEST_FILE } from '../migration.js';

export interface FileEvents {
  /** The manifest or a .yql file changed: its path relative to the working directory, as messages show paths. */
  onChange(path: string): void;
  /**
   * Any write in the directory, as the file system reports it. chokidar
   * reports a change when a write begins, then drops that file's changes
   * for 50 ms; its raw events come for every write, so they tell when the
   * writing is really over.
   */
  onActivity(): void;
  onError(err: unknown): void;
}

export interface FileWatcher {
  close(): Promise<void>;
}

/** Watches `dir`; resolves once the initial scan is over, so that no save after it is missed. */
export async function watchMigrationFiles(dir: string, events: FileEvents): Promise<FileWatcher> {
  const watcher = watch(dir, {
    ignoreInitial: true,
    // Directories must pass, or the files in them would not be seen.
    ignored: (path: string, stats?: Stats) => stats?.isFile() === true && !isMigrationFile(path),
    // Editors that save by writing a temporary file and renaming it over the old one: one change, not unlink + add.
    atomic: true,
    // No awaitWriteFinish: it polls sizes until they settle (2 s by default); the raw events tell sooner.
  });
  const report = (path: string): void => events.onChange(relative(process.cwd(), path));
  watcher
    .on('add', report)
    .on('change', report)
    .on('unlink', report)
    .on('raw', () => events.onActivity())
    .on('error', events.onError);
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return { close: () => watcher.close() };
}

function isMigrationFile(path: string): boolean {
  return basename(path) === MANIFEST_FILE || path.endsWith('.yql');
}

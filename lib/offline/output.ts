/**
 * Where `sql -o` may write. A script written over `manifest.txt`, a
 * migration file or someone's notes destroys work, so `-o` refuses a path
 * inside the migrations directory and an existing file that is not an
 * earlier output of `sql` (known by its first line), unless `--force`.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { access, chmod, constants, mkdir, open, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { MigrateError } from '../errors.js';
import { PARTS_MARK, RUN_SCRIPT, RUN_SCRIPT_MARK, type OfflineParts } from './parts.js';

/** The first line of a single-file script (lib/offline/script.ts). */
const SCRIPT_MARK = /^-- ydb-migrate \S+: offline migration script$/;
const PART_FILE = /^\d{3,}-.+\.yql$/;

export interface OutputTarget {
  path: string;
  migrationsDir: string;
  force: boolean;
}

function refuse(path: string, why: string): never {
  throw new MigrateError('OUTPUT_REFUSED', `refusing to write ${path}: ${why}; choose another path, or pass --force to write it anyway`);
}

function refuseInsideMigrations({ path, migrationsDir, force }: OutputTarget): void {
  if (force) return;
  const rel = relative(resolve(migrationsDir), resolve(path));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    refuse(path, `it is inside the migrations directory ${migrationsDir}, where it could replace the manifest or a migration file`);
  }
}

/**
 * Refuses to overwrite the existing file `path` unless `force`, or its first
 * lines show it is an earlier output of ours (`isOurs`; `what` names that output).
 */
export async function refuseForeignFile(path: string, force: boolean, isOurs: (firstLines: string[]) => boolean, what: string): Promise<void> {
  if (force || isOurs(await firstLines(path, 2))) return;
  refuse(path, `it exists and is not ${what} (its first lines say otherwise)`);
}

/** The first `count` lines of a file, read from its head only: an earlier script may be tens of megabytes. */
async function firstLines(path: string, count: number): Promise<string[]> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n', count);
  } finally {
    await file.close();
  }
}

/** Enough for the lines that mark our output (the first two lines of run.sh are the longest). */
const HEAD_BYTES = 4096;

async function statOf(path: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Writes the single-file script to `target.path`, chunk by chunk. A file is
 * written beside the target under a temporary name and renamed over it when
 * complete, so that a run that fails or is killed half-way never leaves a
 * truncated script where a DBA would find it (a device or pipe given with
 * --force is written in place).
 */
export async function writeScriptFile(target: OutputTarget, chunks: Iterable<string>): Promise<void> {
  refuseInsideMigrations(target);
  const existing = await statOf(target.path);
  if (existing?.isDirectory()) refuse(target.path, 'it is a directory (for one file per part, use --format parts)');
  if (existing) await refuseForeignFile(target.path, target.force, (lines) => SCRIPT_MARK.test(lines[0] ?? ''), 'a script written by `ydb-migrate sql`');
  try {
    if (existing && !existing.isFile()) return writeChunks(target.path, chunks);
    // Through a symlink, the file it points to is replaced, and the link stays.
    const path = existing ? await realpath(target.path) : target.path;
    // Replacing by rename would go past a file's own permissions, which writing it in place respects.
    if (existing && !(await writable(path))) throw unwritable(target.path, 'the file is not writable; make it writable (chmod u+w) or choose another path');
    const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
    try {
      writeChunks(partial, chunks);
      renameSync(partial, path);
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
  } catch (err) {
    throw err instanceof MigrateError ? err : unwritable(target.path, systemReason(err, target.path));
  }
}

function unwritable(path: string, why: string): MigrateError {
  return new MigrateError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${why}`);
}

/** What the system said, in the words of the path the user gave (not of a temporary file beside it). */
function systemReason(err: unknown, path: string): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `its folder ${dirname(path)} does not exist; create it or choose another path`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${dirname(path)}; choose a folder you can write to`;
    case 'ENOSPC':
      return 'no space left on the device; free some or choose another path';
    default:
      return `${(err as Error).message}; check the path`;
  }
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Encodes the chunks into one reused buffer of a megabyte and writes it
 * whenever the next chunk might not fit: few system calls, no string or
 * buffer the size of the script.
 */
function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, 'w');
  const buffer = Buffer.allocUnsafe(BATCH_CHARS);
  let used = 0;
  const flush = (bytes: Uint8Array, length: number): void => {
    // A write may take less than it was given (a pipe, a device): go on until all is written.
    for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
  };
  try {
    for (const chunk of chunks) {
      // Three bytes of UTF-8 at most for each UTF-16 unit, so a chunk that fits this way fits whole.
      if (used + chunk.length * 3 > buffer.length) {
        flush(buffer, used);
        used = 0;
      }
      if (chunk.length * 3 > buffer.length) {
        const bytes = Buffer.from(chunk);
        flush(bytes, bytes.length);
      } else {
        used += buffer.write(chunk, used);
      }
    }
    flush(buffer, used);
  } finally {
    closeSync(fd);
  }
}

const BATCH_CHARS = 1 << 20;

/** Calls `write` with the chunks joined into batches of about BATCH_CHARS characters. */
export function forEachBatch(chunks: Iterable<string>, write: (batch: string) => void): void {
  let batch: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    batch.push(chunk);
    size += chunk.length;
    if (size >= BATCH_CHARS) {
      write(batch.join(''));
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) write(batch.join(''));
}

/**
 * Writes the parts and run.sh into the directory `target.path`, first
 * removing the parts an earlier `sql --format parts` left there, so that
 * run.sh never meets a stale part.
 */
export async function writePartsDirectory(target: OutputTarget, output: OfflineParts): Promise<void> {
  refuseInsideMigrations(target);
  const existing = await statOf(target.path);
  if (existing && !existing.isDirectory()) refuse(target.path, 'it is a file, and --format parts writes a directory');
  const ours: string[] = [];
  for (const entry of existing ? await readdir(target.path) : []) {
    const file = join(target.path, entry);
    if (await isEarlierOutput(file, entry)) ours.push(file);
    else if (!target.force) refuse(target.path, `it holds ${entry}, which is not a part or run.sh written by \`ydb-migrate sql --format parts\``);
  }
  // The file being written when something fails, so that the error names it rather than blaming the folder.
  let writing = target.path;
  try {
    await Promise.all(ours.map((file) => rm(file)));
    await mkdir(target.path, { recursive: true });
    for (const part of output.parts) {
      writing = join(target.path, part.file);
      await writeFile(writing, part.text);
    }
    writing = join(target.path, RUN_SCRIPT);
    await writeFile(writing, output.runScript);
    await chmod(writing, 0o755);
  } catch (err) {
    throw unwritable(writing, systemReason(err, writing === target.path ? join(target.path, RUN_SCRIPT) : writing));
  }
}

async function isEarlierOutput(file: string, entry: string): Promise<boolean> {
  if (!(await statOf(file))?.isFile()) return false;
  if (entry === RUN_SCRIPT) return ((await firstLines(file, 2))[1] ?? '').startsWith(RUN_SCRIPT_MARK);
  return PART_FILE.test(entry) && ((await firstLines(file, 1))[0] ?? '').startsWith(PARTS_MARK);
}

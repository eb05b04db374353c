/**
 * Loads a migrations directory: manifest.txt plus the NAME.up.yql and
 * NAME.down.yql files it lists, each decoded, normalized, checksummed and
 * split into statement blocks. Every problem is collected so that one run
 * shows all of them.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { normalizeText, checksumOf } from './checksum.js';
import { MigrateError, MigrateErrors, type ErrorCode, type SourceLocation, type Warning } from './errors.js';
import { parseManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { suggestions } from './suggest.js';
import { toBlocks, type Block, type Declaration, type Statement } from './yql/blocks.js';

export { checksumOf } from './checksum.js';

export interface MigrationText {
  /** Display path, relative to the working directory. */
  path: string;
  /** BOM stripped, CRLF → LF. */
  text: string;
  /** sha256 hex of `text`. */
  checksum: string;
  statements: Statement[];
  blocks: Block[];
  declarations: Declaration[];
}

export interface Migration {
  name: string;
  /** 0-based manifest order. */
  index: number;
  manifestLine: number;
  up: MigrationText;
  down: MigrationText | null;
}

export interface MigrationSet {
  dir: string;
  manifest: Manifest;
  migrations: Migration[];
  warnings: Warning[];
}

export const MANIFEST_FILE = 'manifest.txt';
/**
 * A line of its own in an up file: this migration runs nothing on purpose (e.g. it only
 * marks a release). Without it, an up file with no statements is refused: it is usually
 * `create`'s template left as is, and would be recorded applied with nothing run.
 */
export const NOTHING_TO_DO = '-- ydb-migrate: nothing to do';
const NOTHING_TO_DO_LINE = /^--\s*ydb-migrate:\s*nothing to do\s*$/im;

/** A line of its own in a NAME.up.yql or NAME.down.yql file the manifest does not list on purpose. */
export const UNLISTED = '-- ydb-migrate: unlisted';
const UNLISTED_LINE = /^--\s*ydb-migrate:\s*unlisted\s*$/im;

export interface LoadOptions {
  /**
   * 'warn' (watch, where files are drafts being written): an unmarked up file with no statements,
   * and a migration file the manifest does not list, are warnings; 'refuse' (the default): errors.
   */
  drafts?: 'refuse' | 'warn';
}
const UP_SUFFIX = '.up.yql';
const DOWN_SUFFIX = '.down.yql';
/**
 * Migration files are small and many: read synchronously (no thread-pool
 * round trip per open/read/close, about 4x faster than any async pool) into
 * one reused buffer, which spares each file the fstat and the Buffer of
 * readFileSync; a file larger than the buffer gets one of its own.
 */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024);

/** The file at `path`, decoded strictly as UTF-8 (`decodeUtf8`; errors located in `shown`). */
function readUtf8File(path: string, shown: string): string {
  const fd = openSync(path, 'r');
  try {
    let buffer = readBuffer;
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // One more byte than the file holds, so that the read that finds its end needs no other buffer.
        const bigger = Buffer.allocUnsafe(Math.max(2 * buffer.length, fstatSync(fd).size + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return decodeUtf8(buffer.subarray(0, length), shown);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads `dir`. Throws a MigrateError when the directory or its manifest is
 * missing, and otherwise every error found (a MigrateErrors when several).
 */
export async function loadMigrationSet(dir: string, options: LoadOptions = {}): Promise<MigrationSet> {
  const folder = folderOf(dir);
  requireDirectory(folder);
  const manifestText = readManifest(folder);
  const files = listYqlFiles(folder);
  const { manifest, errors } = parseManifest(manifestText, shownPath(folder, MANIFEST_FILE));
  const loader = new MigrationLoader(folder, manifest.path, files, options.drafts ?? 'refuse');
  const migrations: Migration[] = [];
  const warnings: Warning[] = [];
  for (let index = 0; index < manifest.entries.length; index++) {
    const migration = loader.load(manifest.entries[index]!, index, errors, warnings);
    if (migration) migrations.push(migration);
  }
  // Every file found as a listed one: none is stray, and the manifest's names need not be listed again.
  if (loader.listedFound < files.size) strayFiles(folder, manifest, files, options.drafts ?? 'refuse', errors, warnings);

  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new MigrateErrors(errors);
  return { dir: folder.root, manifest, migrations, warnings };
}

/** Loads the migrations a manifest lists from the files a folder holds. */
class MigrationLoader {
  /** The listed files by lower-cased name: built only when a listed file is missing, to say which file differs only in case. */
  private foldedNames: ReadonlyMap<string, string> | null = null;
  /** How many of `files` were found as some entry's up or down file (each at most once: the manifest's names are unique). */
  listedFound = 0;

  constructor(
    private readonly folder: Folder,
    private readonly manifestPath: string,
    private readonly files: YqlFiles,
    private readonly drafts: 'refuse' | 'warn',
  ) {}

  /** The migration of `entry`; null when it cannot load, its errors and warnings added to `errors` and `warnings`. */
  load(entry: ManifestEntry, index: number, errors: MigrateError[], warnings: Warning[]): Migration | null {
    const { folder, files } = this;
    const upFile = entry.name + UP_SUFFIX;
    const downFile = entry.name + DOWN_SUFFIX;
    const listedAt = { file: this.manifestPath, line: entry.line, column: entry.column };
    const listed = files.has(upFile);
    const downListed = files.has(downFile);
    this.listedFound += (listed ? 1 : 0) + (downListed ? 1 : 0);
    const otherCase = listed ? undefined : this.sameButCase(upFile);
    // Judged on the listing, so that a case-insensitive file system does not hide the mistake until CI.
    if (otherCase) {
      errors.push(missingUp(folder, entry, upFile, listedAt, `; found ${otherCase}, but names are case-sensitive; create it or remove the line`));
      return null;
    }
    // An unlisted up file may still be readable through a symlinked folder, which the listing does not enter.
    const up = readMigrationText(folder, upFile, listedAt, !listed || files.links.has(upFile), files.special.get(upFile));
    const down = downListed || !listed ? readMigrationText(folder, downFile, listedAt, !downListed || files.links.has(downFile), files.special.get(downFile)) : null;
    if (up instanceof MigrateError || down instanceof MigrateError) {
      if (up instanceof MigrateError) errors.push(up);
      if (down instanceof MigrateError) errors.push(down);
      return null;
    }
    if (up === null) {
      const near = this.didYouMean(entry.name);
      errors.push(missingUp(folder, entry, upFile, listedAt, near ? `; did you mean ${near}? fix the name on this line, or create the file` : '; create it or remove the line'));
      return null;
    }
    if (up.blocks.length === 0 && !NOTHING_TO_DO_LINE.test(up.text)) {
      const problem = {
        code: 'EMPTY_UP' as const,
        message: `${up.path} has nothing to run, so applying '${entry.name}' would record it applied with nothing changed; write the change, or, if it truly has nothing to do, add the line '${NOTHING_TO_DO}'`,
        location: { file: up.path, line: 1, column: 1 },
      };
      report(problem, this.drafts, errors, warnings);
    }
    return { name: entry.name, index, manifestLine: entry.line, up, down };
  }

  /** A typo in a manifest line: the names of the up files present that are close to it, quoted, or ''. */
  private didYouMean(name: string): string {
    const present = [...this.files].filter((f) => f.endsWith(UP_SUFFIX)).map((f) => f.slice(0, -UP_SUFFIX.length));
    const near = suggestions(name, present);
    return near.map((n) => `'${n}'`).join(', ');
  }

  private sameButCase(file: string): string | undefined {
    this.foldedNames ??= new Map([...this.files].map((f) => [f.toLowerCase(), f]));
    return this.foldedNames.get(file.toLowerCase());
  }
}

/** `tail`: what follows the file's name: what was found instead, and what to do. */
function missingUp(folder: Folder, entry: ManifestEntry, upFile: string, listedAt: SourceLocation, tail: string): MigrateError {
  return new MigrateError('MANIFEST_MISSING_UP', `migration '${entry.name}' has no up file ${shownPath(folder, upFile)}${tail}`, { location: listedAt });
}

/**
 * A file's text and blocks; null when it does not exist; or the one error
 * that stops it from being read, located at the manifest line that lists it
 * when the file itself is the problem. `viaLink`: the listing did not see it
 * as a plain file inside the folder, so where it really is gets checked.
 */
function readMigrationText(folder: Folder, file: string, listedAt: SourceLocation, viaLink: boolean, special?: string): MigrationText | MigrateError | null {
  const path = shownPath(folder, file);
  if (special) return notRegular(path, special, listedAt);
  try {
    const absolute = absolutePath(folder, file);
    if (viaLink && !isInside(realpathSync(folder.root), realpathSync(absolute))) {
      return new MigrateError('MIGRATION_OUTSIDE_DIR', `${path} is a symlink to ${realpathSync(absolute)}, outside the migrations directory, which could run a file nobody reviewed with the migrations; copy it into the migrations directory`, { location: listedAt });
    }
    // Opening a FIFO waits for a writer: what a link points to is looked at first.
    const kind = viaLink ? specialKind(statSync(absolute)) : null;
    if (kind) return notRegular(path, kind, listedAt);
    const text = normalizeText(readUtf8File(absolute, path));
    const { statements, blocks, declarations } = toBlocks(text, path);
    return { path, text, checksum: checksumOf(text), statements, blocks, declarations };
  } catch (err) {
    if (err instanceof MigrateError) return err;
    if (errorCode(err) === 'ENOENT') return null;
    if (errorCode(err) === 'EISDIR') return new MigrateError('MIGRATION_IS_DIRECTORY', `${path} is a directory, not a migration file; rename the folder or fix the name on this line`, { location: listedAt });
    return unreadable(path, err, listedAt);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strictly: a byte that is not UTF-8 is an error located at its line and column. */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const valid = validPrefix(bytes);
    const lines = valid.split('\n');
    const line = lines.length;
    const column = lines[line - 1]!.length + 1;
    throw new MigrateError('FILE_NOT_UTF8', `${path} is not valid UTF-8 here; save the file as UTF-8`, {
      location: { file: path, line, column },
    });
  }
}

/**
 * The text before the first invalid byte. Streaming decoding accepts a
 * prefix that ends inside a character, so "decodes in stream mode" holds
 * for every prefix up to the bad byte and for none after: binary search.
 */
function validPrefix(bytes: Uint8Array): string {
  const decodes = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (decodes(mid)) good = mid;
    else bad = mid;
  }
  return new TextDecoder('utf-8').decode(bytes.subarray(0, good), { stream: true });
}

function requireDirectory(folder: Folder): void {
  const shown = folder.shown || '.';
  let isDirectory: boolean;
  try {
    isDirectory = statSync(folder.root).isDirectory();
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw unreadable(shown, err);
    throw new MigrateError(
      'MIGRATIONS_DIR_NOT_FOUND',
      `migrations directory ${shown} does not exist; run \`ydb-migrate create NAME\` to start one, or pass --dir`,
    );
  }
  if (!isDirectory) {
    throw new MigrateError('MIGRATIONS_DIR_NOT_DIRECTORY', `${shown} is not a directory; pass --dir with the folder that holds ${MANIFEST_FILE}`);
  }
}

function readManifest(folder: Folder): string {
  const shown = shownPath(folder, MANIFEST_FILE);
  try {
    const kind = specialKind(statSync(absolutePath(folder, MANIFEST_FILE)));
    if (kind) throw notRegular(shown, kind);
    return readUtf8File(absolutePath(folder, MANIFEST_FILE), shown);
  } catch (err) {
    if (err instanceof MigrateError) throw err;
    if (errorCode(err) !== 'ENOENT') throw unreadable(shown, err);
    throw new MigrateError(
      'MANIFEST_NOT_FOUND',
      `${shown} does not exist; run \`ydb-migrate create NAME\` to start one, or write it with one migration name per line`,
    );
  }
}

/**
 * The `.yql` files of a folder: each by its '/'-separated name in the folder; `links` are the symlinks
 * among them; `special` the ones that are no regular file (a FIFO, socket or device), by what they are.
 */
type YqlFiles = Set<string> & { links: Set<string>; special: Map<string, string> };

/** Every `.yql` file in the folder and below. */
function listYqlFiles(folder: Folder): YqlFiles {
  const entries = readdirSync(folder.root, { recursive: true, withFileTypes: true });
  const files: YqlFiles = Object.assign(new Set<string>(), { links: new Set<string>(), special: new Map<string, string>() });
  for (const entry of entries) {
    if (entry.isDirectory() || !entry.name.endsWith('.yql')) continue;
    const subfolder = entry.parentPath === folder.root ? '' : relative(folder.root, entry.parentPath);
    const name = subfolder === '' ? entry.name : `${subfolder.split(sep).join('/')}/${entry.name}`;
    files.add(name);
    const kind = entry.isSymbolicLink() ? null : specialKind(entry);
    if (entry.isSymbolicLink()) files.links.add(name);
    else if (kind) files.special.set(name, kind);
  }
  return files;
}

/** Files the manifest does not list: a migration file is an error unless it says it is unlisted on purpose; another .yql a warning. */
function strayFiles(folder: Folder, manifest: Manifest, files: YqlFiles, drafts: 'refuse' | 'warn', errors: MigrateError[], warnings: Warning[]): void {
  const listed = new Set<string>();
  for (const { name } of manifest.entries) listed.add(name + UP_SUFFIX).add(name + DOWN_SUFFIX);
  // A file the manifest reaches through a symlinked folder (`shared/0001_a` for `real/0001_a`) is listed.
  let listedReal: Set<string> | null = null;
  const listedThroughLink = (file: string): boolean => {
    listedReal ??= new Set([...listed].flatMap((f) => realPathOrNone(absolutePath(folder, f))));
    return realPathOrNone(absolutePath(folder, file)).some((p) => listedReal!.has(p));
  };
  for (const file of [...files].filter((f) => !listed.has(f)).sort()) {
    const path = shownPath(folder, file);
    const location = { file: path, line: 1, column: 1 };
    if (file.endsWith(UP_SUFFIX) || file.endsWith(DOWN_SUFFIX)) {
      if (isMarkedUnlisted(folder, file, files) || listedThroughLink(file)) continue;
      const name = file.slice(0, -(file.endsWith(UP_SUFFIX) ? UP_SUFFIX : DOWN_SUFFIX).length);
      report(
        {
          code: 'UNLISTED_FILE',
          message: `${path} is not run because ${manifest.path} does not list '${name}'; add the name to the manifest, delete the file, or, to keep it unlisted on purpose, add the line '${UNLISTED}' to it`,
          location,
        },
        drafts,
        errors,
        warnings,
      );
    } else {
      warnings.push({
        code: 'UNKNOWN_YQL_FILE',
        message: `${path} is never run: migration files are named NAME${UP_SUFFIX} and NAME${DOWN_SUFFIX}; rename it or move it out of the migrations directory`,
        location,
      });
    }
  }
}

function realPathOrNone(path: string): string[] {
  try {
    return [realpathSync(path)];
  } catch {
    return [];
  }
}

/** An unlisted file that carries the UNLISTED line; one that cannot be read does not. */
function isMarkedUnlisted(folder: Folder, file: string, files: YqlFiles): boolean {
  if (files.special.has(file)) return false;
  try {
    const absolute = absolutePath(folder, file);
    if (files.links.has(file) && specialKind(statSync(absolute))) return false;
    return UNLISTED_LINE.test(readUtf8File(absolute, file));
  } catch {
    return false;
  }
}

/** A problem with a file being written: an error, or in watch (drafts: 'warn') a warning. */
function report(problem: Warning & { code: ErrorCode; location: SourceLocation }, drafts: 'refuse' | 'warn', errors: MigrateError[], warnings: Warning[]): void {
  if (drafts === 'warn') warnings.push(problem);
  else errors.push(new MigrateError(problem.code, problem.message, { location: problem.location }));
}

/** What a directory entry or a stat is when it is neither a regular file nor a folder, or null. */
function specialKind(entry: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string | null {
  if (entry.isFile() || entry.isDirectory()) return null;
  return entry.isFIFO() ? 'a FIFO (named pipe)' : entry.isSocket() ? 'a socket' : 'a device';
}

function notRegular(path: string, kind: string, location?: SourceLocation): MigrateError {
  return new MigrateError('FILE_NOT_REGULAR', `${path} is ${kind}, not a regular file; ydb-migrate reads only regular files (reading this one could wait forever): replace it with a file`, {
    ...(location ? { location } : {}),
  });
}

function unreadable(path: string, err: unknown, listedAt?: SourceLocation): MigrateError {
  const reason = err instanceof Error ? err.message : String(err);
  return new MigrateError('FILE_UNREADABLE', `cannot read ${path} (${reason}); check that it exists and is readable`, { cause: err, ...(listedAt ? { location: listedAt } : {}) });
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * The migrations directory: absolute for reading, and relative to the
 * working directory for showing, as users type paths and editors resolve them.
 * Files in it are named with '/' (as in the manifest) on every OS.
 */
interface Folder {
  root: string;
  shown: string;
}

function folderOf(dir: string): Folder {
  const root = resolve(dir);
  return { root, shown: relative(process.cwd(), root) };
}

const nativePath = sep === '/' ? (name: string) => name : (name: string) => name.split('/').join(sep);

function absolutePath(folder: Folder, name: string): string {
  return `${folder.root}${sep}${nativePath(name)}`;
}

function shownPath(folder: Folder, name: string): string {
  return folder.shown === '' ? nativePath(name) : `${folder.shown}${sep}${nativePath(name)}`;
}

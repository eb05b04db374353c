/**
 * manifest.txt: the order in which migrations are applied.
 *
 *   # comment lines and blank lines are ignored
 *   0001_create_users
 *   0002_add_email        # a trailing comment needs whitespace before '#'
 *   @v1.0                 # a release point after 0002_add_email
 *   billing/0003_add_invoices
 *
 * Each line is trimmed. A name stands for NAME.up.yql (required) and
 * NAME.down.yql (optional) in the migrations directory; '/' separates
 * folders. Names use ASCII letters, digits, '_', '-', '.' so that they mean
 * the same file on every OS and in every shell; names that differ only in
 * letter case are rejected because case-insensitive file systems (macOS,
 * Windows) would map them to one file.
 */
import { MigrateError, type ErrorCode } from './errors.js';
import { normalizeText } from './checksum.js';

export interface ManifestEntry {
  name: string;
  /** 1-based line and column of the name in the manifest. */
  line: number;
  column: number;
}

export interface ManifestTag {
  tag: string;
  /** Index into `entries` of the migration listed above the tag. */
  afterIndex: number;
  line: number;
}

export interface Manifest {
  /** Display path. */
  path: string;
  entries: ManifestEntry[];
  tags: ManifestTag[];
}

/** What is wrong with a name, and where in it (0-based offset). */
export interface NameProblem {
  code: 'MANIFEST_UNSAFE_NAME' | 'MANIFEST_BAD_NAME';
  message: string;
  offset: number;
}

/** Words that `parseTarget` reads as targets, so they cannot name a migration. */
const RESERVED_NAMES = new Set(['head', 'base']);
const NOT_NAME_CHAR = /[^A-Za-z0-9_.\-/]/;
/** No absolute path, '.', '..' or empty segment, leading '-' or other character: what most names are. */
const PLAIN_NAME = /^\w[\w.-]*(?:\/\w[\w.-]*)*$/;
const MIGRATION_SUFFIX = /\.(up|down)\.yql$|\.yql$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TRAILING_COMMENT = /\s+#.*$/;

/** Checks a migration name as written in the manifest or given as a target. */
export function nameProblem(name: string): NameProblem | null {
  // The usual name passes at a glance: segments of name characters that start with a letter, digit or '_'.
  if (name.length <= MAX_SEGMENT && PLAIN_NAME.test(name) && !MIGRATION_SUFFIX.test(name) && !RESERVED_NAMES.has(name)) return null;
  const unsafe = (message: string, offset = 0): NameProblem => ({ code: 'MANIFEST_UNSAFE_NAME', message, offset });
  const bad = (message: string, offset = 0): NameProblem => ({ code: 'MANIFEST_BAD_NAME', message, offset });
  const shown = clipName(name);
  const whatToWrite = `write a path relative to the migrations directory with '/' between folders`;

  if (name.startsWith('/')) return unsafe(`migration name '${shown}' is an absolute path; ${whatToWrite}`);
  if (/^[A-Za-z]:/.test(name)) return unsafe(`migration name '${shown}' starts with a drive letter; ${whatToWrite}`);
  const backslash = name.indexOf('\\');
  if (backslash >= 0) return unsafe(`migration name '${shown}' contains a backslash; ${whatToWrite}`, backslash);
  const segments = name.split('/');
  const parentAt = segments.indexOf('..');
  if (parentAt >= 0) {
    return unsafe(`migration name '${shown}' has a '..' segment and could point outside the migrations directory; ${whatToWrite}`, offsetOfSegment(segments, parentAt));
  }

  const suffix = MIGRATION_SUFFIX.exec(name);
  if (suffix) {
    return bad(`migration name '${shown}' ends with ${suffix[0]}: write the name without ${suffix[0]}`, suffix.index);
  }
  const badChar = name.search(NOT_NAME_CHAR);
  if (badChar !== -1) {
    const char = JSON.stringify(String.fromCodePoint(name.codePointAt(badChar)!));
    return bad(`character ${char} is not allowed in migration name '${shown}'; use ASCII letters, digits, '_', '-', '.' and '/' between folders`, badChar);
  }
  const emptyAt = segments.indexOf('');
  if (emptyAt >= 0) return bad(`migration name '${shown}' has an empty folder or file name; remove the extra '/'`, offsetOfSegment(segments, emptyAt));
  const dotAt = segments.indexOf('.');
  if (dotAt >= 0) return bad(`migration name '${shown}' has a '.' segment; remove './'`, offsetOfSegment(segments, dotAt));
  const longAt = segments.findIndex((segment) => segment.length > MAX_SEGMENT);
  if (longAt >= 0) return bad(`migration name '${shown}' has a folder or file name longer than ${MAX_SEGMENT} characters, more than file systems allow; shorten it`, offsetOfSegment(segments, longAt));
  if (name.startsWith('-')) return bad(`migration name '${shown}' starts with '-', which reads as an option or a step count; rename it`);
  if (RESERVED_NAMES.has(name)) return bad(`'${shown}' is a reserved target word and cannot name a migration; rename it`);
  return null;
}

const MAX_SEGMENT = 255;
const CLIP_AT = 80;

/** A name as messages show it: a very long one cut, with its length, so that one bad line cannot flood the terminal. */
export function clipName(name: string): string {
  return name.length <= CLIP_AT ? name : `${name.slice(0, CLIP_AT - 20)}…${name.slice(-10)} (${name.length} characters)`;
}

/** A release tag without its '@', e.g. `v1.2`. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

const CONFLICT_MARKER = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/;

/**
 * A manifest that git could not merge holds conflict markers; the usual case
 * is two branches that each appended a migration. One error says so, instead
 * of one per marker line.
 */
function conflictError(lines: readonly string[], path: string): MigrateError | null {
  const at: number[] = [];
  lines.forEach((line, i) => {
    if (CONFLICT_MARKER.test(line)) at.push(i + 1);
  });
  if (at.length === 0) return null;
  const span = at.length > 1 ? `lines ${at[0]}-${at[at.length - 1]}` : `line ${at[0]}`;
  return new MigrateError(
    'MANIFEST_CONFLICT',
    `resolve the conflict in ${path}: keep both names, in order (usually yours after the ones already merged), and delete git's <<<<<<< ======= >>>>>>> lines (${span}); a .gitattributes line 'manifest.txt merge=union' avoids most such conflicts`,
    { location: { file: path, line: at[0]!, column: 1 } },
  );
}

function offsetOfSegment(segments: string[], index: number): number {
  return segments.slice(0, index).reduce((sum, s) => sum + s.length + 1, 0);
}

/**
 * Parses manifest text (UTF-8 already decoded; BOM and CRLF allowed).
 * Every problem is reported, each located at `path:line:column`.
 */
export function parseManifest(text: string, path: string): { manifest: Manifest; errors: MigrateError[] } {
  const entries: ManifestEntry[] = [];
  const tags: ManifestTag[] = [];
  const errors: MigrateError[] = [];
  /** Keyed by the lower-cased name: exact repeats and case-only variants both collide. */
  const firstByFoldedName = new Map<string, ManifestEntry>();
  const firstTag = new Map<string, ManifestTag>();
  let sawMigrationLine = false;

  const fail = (code: ErrorCode, message: string, line: number, column: number): void => {
    errors.push(new MigrateError(code, message, { location: { file: path, line, column } }));
  };
  const where = (line: number): string => `${path}:${line}`;

  const lines = normalizeText(text).split('\n');
  const conflict = conflictError(lines, path);
  if (conflict) return { manifest: { path, entries, tags }, errors: [conflict] };
  lines.forEach((raw, lineIndex) => {
    const line = lineIndex + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const item = content.includes('#') ? content.replace(TRAILING_COMMENT, '') : content;
    const column = raw.length - raw.trimStart().length + 1;

    if (item.startsWith('@')) {
      const tag = item.slice(1);
      if (!isValidTag(tag)) {
        fail('MANIFEST_BAD_TAG', `'${clipName(item)}' is not a valid tag; write '@' followed by letters, digits, '_', '-' or '.', e.g. @v1.2`, line, column);
      } else if (!sawMigrationLine) {
        fail('MANIFEST_MISPLACED_TAG', `tag @${tag} comes before any migration; move it below the migration it marks`, line, column);
      } else if (firstTag.has(tag)) {
        const first = firstTag.get(tag)!;
        fail('MANIFEST_DUPLICATE_TAG', `tag @${tag} is already set at ${where(first.line)}; rename or remove one of them`, line, column);
      } else if (entries.length > 0) {
        // With no valid entry above, the names above already have errors; the tag has nothing to mark.
        const manifestTag = { tag, afterIndex: entries.length - 1, line };
        tags.push(manifestTag);
        firstTag.set(tag, manifestTag);
      }
      return;
    }

    sawMigrationLine = true;
    const problem = nameProblem(item);
    if (problem) {
      fail(problem.code, problem.message, line, column + problem.offset);
      return;
    }
    const folded = item.toLowerCase();
    const first = firstByFoldedName.get(folded);
    if (first) {
      const message = first.name === item
        ? `migration '${clipName(item)}' is listed twice, first at ${where(first.line)}; remove one of the lines`
        : `migration '${clipName(item)}' differs from '${first.name}' (${where(first.line)}) only in letter case, which is one file on case-insensitive file systems; rename one of them`;
      fail('MANIFEST_DUPLICATE_NAME', message, line, column);
      return;
    }
    const entry = { name: item, line, column };
    entries.push(entry);
    firstByFoldedName.set(folded, entry);
  });

  return { manifest: { path, entries, tags }, errors };
}

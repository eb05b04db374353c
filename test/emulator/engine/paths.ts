/**
 * Table paths: names are case-sensitive, may contain folders (`dir/t`), and
 * resolve against the database (`/local`) and the query's
 * `PRAGMA TablePathPrefix`. Everything is kept as an absolute path.
 */

export class PathResolver {
  constructor(readonly database: string) {}

  /**
   * Absolute path of a table name as written, under an optional TablePathPrefix;
   * a relative prefix starts at the cluster root, as on released servers (translate.ts).
   */
  resolve(written: string, prefix?: string): string {
    if (written.startsWith('/')) return normalize(written);
    const base = prefix === undefined ? this.database : normalize(`/${prefix}`);
    return normalize(`${base}/${written}`);
  }

  /** Whether the absolute path lies inside the database. */
  contains(path: string): boolean {
    return path.startsWith(`${this.database}/`) && path.length > this.database.length + 1;
  }

  /** `dir/t` for `/local/dir/t`. */
  relative(path: string): string {
    return path.slice(this.database.length + 1);
  }
}

/** File-system joining, as TablePathPrefix does: `..` goes up a folder, `.` and empty parts vanish. */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function parentFolders(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

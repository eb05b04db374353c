/**
 * Which replayed table a statement's path names. A relative path is under the
 * database; an absolute one starts with the database's path, which lint does
 * not know: the first absolute path whose tail names a table the replay has
 * (`/local/t` when `t` exists) tells it, and from then on every absolute path
 * under it is read as relative. Under `PRAGMA TablePathPrefix` (which
 * released YDB applies, its last value, to every table of the request), a
 * relative name may be any table whose path ends with it: good enough to
 * follow the table, never to call it missing.
 */
import type { ReplayedSchema } from '../schema/replay.js';
import type { DdlStatement } from '../yql/ddl.js';

export class TablePaths {
  /** The database's path, once an absolute path has shown it. */
  private database: string | null = null;
  /** Every table path a CREATE or RENAME TO has given, as canonicalised. */
  private readonly known = new Set<string>();

  /** `ddl` with its table paths as the replay knows them (the same object when nothing changes). */
  canonical(ddl: DdlStatement, schema: ReplayedSchema, prefixed: boolean): DdlStatement {
    if (ddl.kind === 'create-table') {
      const name = this.strip(ddl.table.name);
      this.known.add(name);
      return name === ddl.table.name ? ddl : { ...ddl, table: { ...ddl.table, name } };
    }
    if (ddl.kind !== 'alter-table' && ddl.kind !== 'drop-table') return ddl;
    const name = this.resolve(ddl.table.name, schema, prefixed);
    if (ddl.kind === 'drop-table') return name === ddl.table.name ? ddl : { ...ddl, table: { ...ddl.table, name } };
    const actions = ddl.actions.map((a) => {
      if (a.kind !== 'rename-to') return a;
      const to = this.strip(a.to.name);
      this.known.add(to);
      return to === a.to.name ? a : { ...a, to: { ...a.to, name: to } };
    });
    return { ...ddl, table: { ...ddl.table, name }, actions };
  }

  private strip(path: string): string {
    return this.database !== null && path.startsWith(`${this.database}/`) ? path.slice(this.database.length + 1) : path;
  }

  private resolve(path: string, schema: ReplayedSchema, prefixed: boolean): string {
    const stripped = this.strip(path);
    if (schema.table(stripped)) return stripped;
    const absolute = stripped.startsWith('/');
    const tails = [...this.known].filter((k) => schema.table(k) && (absolute ? !k.startsWith('/') && stripped.endsWith(`/${k}`) : prefixed && k.endsWith(`/${stripped}`)));
    if (tails.length !== 1) return stripped;
    const [tail] = tails as [string];
    if (absolute) this.database = stripped.slice(0, stripped.length - tail.length - 1);
    return tail;
  }
}

/** Whether a file sets PRAGMA TablePathPrefix (released YDB applies it to every table of the request). */
export function setsTablePathPrefix(statements: readonly { statement: { role: string; text: string } }[]): boolean {
  return statements.some((s) => s.statement.role === 'pragma' && /^\s*PRAGMA\s+TablePathPrefix\b/i.test(s.statement.text));
}

/**
 * Whether a request's effect shows in the live schema: a table created or
 * dropped, a column, index or changefeed added or dropped. Each block is one
 * DDL statement run as one scheme operation, which YDB applies whole or not
 * at all, so its effect is all there (landed) or none of it (absent); any
 * other mix, and anything the schema does not show (DML, other DDL, a block
 * under PRAGMA TablePathPrefix), is unknown.
 */
import { MigrateError } from '../errors.js';
import { ydbStatusCode } from '../error-codes.js';
import type { Connection } from '../ydb/connection.js';
import { statusOf } from '../ydb/execute.js';
import { describeTables, type TableDescription } from '../ydb/scheme.js';
import type { Block } from '../yql/blocks.js';
import { readDdl, type AlterAction, type DdlStatement } from '../yql/ddl.js';

export interface Seen {
  kind: 'landed' | 'absent' | 'unknown';
  /** What was looked for and found, or why it cannot be told. */
  what: string;
}

/** One thing a statement makes true: `present` or not. */
interface Expected {
  table: string;
  /** null: the table itself; else a column, index or changefeed of it. */
  part: { kind: 'column' | 'index' | 'changefeed'; name: string } | null;
  present: boolean;
}

const DESCRIBE_TIMEOUT_MS = 30_000;

/**
 * Whether each block's effect, read alone, tells whether it ran (a block
 * whose effect the schema cannot show at all is left to `lookFor` to say): not when
 * another block of the same text changes the same thing the other way (a
 * table created and later dropped, a column added and dropped, a column of a
 * table the text drops), since the schema then shows the later one.
 */
export function readableAlone(blocks: readonly Block[], file: string): boolean[] {
  const all = blocks.map((b) => expectations(b, file));
  const clash = (e: Expected, f: Expected): boolean =>
    e.table === f.table && e.present !== f.present && (e.part === null || f.part === null || (e.part.kind === f.part.kind && e.part.name === f.part.name));
  return all.map((mine, i) => typeof mine === 'string' || !mine.some((e) => all.some((theirs, j) => j !== i && typeof theirs !== 'string' && theirs.some((f) => clash(e, f)))));
}

export async function lookFor(connection: Connection, block: Block, file: string): Promise<Seen> {
  const expected = expectations(block, file);
  if (typeof expected === 'string') return { kind: 'unknown', what: expected };
  const tables = new Map<string, TableDescription | null>();
  for (const { table } of expected) if (!tables.has(table)) tables.set(table, await describe(connection, relative(connection, table)));
  const holds = expected.map((e) => holdsIn(tables.get(e.table) ?? null, e));
  const shown = expected.map(describeExpected).join(', ');
  if (holds.every((h) => h === true)) return { kind: 'landed', what: `${shown}: found` };
  if (holds.every((h) => h === false)) return { kind: 'absent', what: `${shown}: not found` };
  return { kind: 'unknown', what: `${shown}: only part of it found` };
}

/** What the block's statement makes true, or why that cannot be told from the schema. */
function expectations(block: Block, file: string): Expected[] | string {
  if (block.kind !== 'ddl') return `a ${block.kind === 'dml' ? 'DML' : 'BATCH'} request changes data, which the schema does not show`;
  if (block.context.some((s) => /TablePathPrefix/i.test(s.text))) return 'a PRAGMA TablePathPrefix moves its tables';
  const statement = block.statements.find((s) => s.role === 'ddl');
  if (!statement) return 'it holds no DDL statement';
  const ddl: DdlStatement = readDdl(statement, file);
  switch (ddl.kind) {
    case 'create-table':
      return [{ table: ddl.table.name, part: null, present: true }];
    case 'drop-table':
      return [{ table: ddl.table.name, part: null, present: false }];
    case 'alter-table': {
      const parts = ddl.actions.map((a) => partOf(a));
      if (parts.some((p) => p === null)) return `not every change of its ALTER TABLE shows in the schema`;
      return parts.map((p) => ({ table: ddl.table.name, part: p!.part, present: p!.present }));
    }
    default:
      return `this ${statement.keyword} statement is not one whose effect the schema shows`;
  }
}

function partOf(action: AlterAction): Pick<Expected, 'part' | 'present'> | null {
  switch (action.kind) {
    case 'add-column':
      return { part: { kind: 'column', name: action.column.name }, present: true };
    case 'drop-column':
      return { part: { kind: 'column', name: action.column.name }, present: false };
    case 'add-index':
      return { part: { kind: 'index', name: action.index.name }, present: true };
    case 'drop-index':
      return { part: { kind: 'index', name: action.index.name }, present: false };
    case 'add-changefeed':
      return { part: { kind: 'changefeed', name: action.changefeed.name }, present: true };
    case 'drop-changefeed':
      return { part: { kind: 'changefeed', name: action.changefeed.name }, present: false };
    default:
      return null;
  }
}

/** true/false: the expectation holds or not; null: cannot tell (a part of a table that does not exist). */
function holdsIn(table: TableDescription | null, e: Expected): boolean | null {
  if (!e.part) return (table !== null) === e.present;
  if (!table) return null;
  const names = (e.part.kind === 'column' ? table.columns : e.part.kind === 'index' ? table.indexes : table.changefeeds)?.map((x) => x.name) ?? [];
  return names.includes(e.part.name) === e.present;
}

function describeExpected(e: Expected): string {
  const what = e.part ? `${e.part.kind} ${e.part.name} of table ${e.table}` : `table ${e.table}`;
  return `${what} ${e.present ? 'created' : 'dropped'}`;
}

/** The table's description, or null when it does not exist (YDB answers SCHEME_ERROR). */
async function describe(connection: Connection, path: string): Promise<TableDescription | null> {
  try {
    return (await describeTables(connection, [path], DESCRIBE_TIMEOUT_MS))[0]!;
  } catch (err) {
    const status = statusOf(connection, err);
    if (status === 'SCHEME_ERROR') return null;
    throw new MigrateError(ydbStatusCode(status), `looking for table ${path} in the schema failed: ${status ?? 'error'}: ${connection.mask(err instanceof Error ? err.message : String(err))}`, { cause: err });
  }
}

/** `/local/infra/t` or `infra/t` → `infra/t`. */
function relative(connection: Connection, path: string): string {
  const database = connection.target.database;
  return path.startsWith(`${database}/`) ? path.slice(database.length + 1) : path.replace(/^\/+/, '');
}

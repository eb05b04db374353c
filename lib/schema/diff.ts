/**
 * From the database's schema to a desired one: the statements of an up
 * migration and of its down, one DDL statement each (YDB compiles a request
 * whole, and the runner sends each DDL statement alone, so no statement
 * relies on one before it in the same request).
 *
 * What YDB cannot do in place — change a primary key, a column's type,
 * nullability or default, a table's store, drop a column family — is
 * refused with the manual recipe. Drops (tables, columns, indexes,
 * changefeeds; an index or changefeed changed is dropped and re-added) are
 * destructive and need `allowDrop`; the down of a drop says it cannot bring
 * the data back. Settings the desired schema does not name are left as they
 * are (YDB reports its defaults, which a hand-written schema rarely repeats);
 * TTL absent from it is removed.
 */
import { MigrateError } from '../errors.js';
import { quoteIdentifier } from '../yql/identifier.js';
import { whyYdbRefuses, YDB_RULES, type YdbRuleId } from '../rules/ydb-rules.js';
import type { FamilyModel, Schema, TableModel, TtlModel } from './model.js';
import { addChangefeedStatement, columnDefinition, createTableStatement, familyClause, indexDefinition, ttlValue } from './render.js';

/** One step of the up migration and the statement that undoes it. */
export interface Change {
  up: string;
  down: string;
  /** Why the up loses data or structure; null when it does not. */
  destructive: string | null;
}

export interface SchemaDiff {
  changes: Change[];
  /** The up migration's text. */
  up: string;
  /** The down migration's text: the changes' downs, last first. */
  down: string;
}

export interface DiffOptions {
  allowDrop?: boolean;
  /** Names the desired schema's file in messages. */
  desiredFile: string;
}

export function diffSchemas(current: Schema, desired: Schema, options: DiffOptions): SchemaDiff {
  const refusals: MigrateError[] = [];
  const changes: Change[] = [];
  const now = new Map(current.tables.map((t) => [t.path, t]));
  const want = new Map(desired.tables.map((t) => [t.path, t]));
  for (const table of current.tables) {
    if (!want.has(table.path)) changes.push(dropTable(table));
  }
  for (const table of desired.tables) {
    const existing = now.get(table.path);
    if (existing) changes.push(...alterTable(existing, table, options, refusals));
    else changes.push(...createTable(table));
  }
  const drops = changes.filter((c) => c.destructive !== null);
  if (drops.length > 0 && !options.allowDrop) {
    refusals.push(
      new MigrateError('DIFF_DROP_REFUSED', `reaching ${options.desiredFile} drops what the database has; pass --allow-drop if that is meant (the data cannot be brought back by the down)`, {
        details: drops.map((c) => c.destructive!),
      }),
    );
  }
  if (refusals.length === 1) throw refusals[0]!;
  if (refusals.length > 1) {
    throw new MigrateError(refusals[0]!.code, `${refusals.length} differences from ${options.desiredFile} cannot be migrated as asked; nothing was generated`, {
      details: refusals.flatMap((e) => [e.toString(), ...e.details.map((d) => `  ${d}`)]),
    });
  }
  return { changes, up: migrationText(changes.map((c) => (c.destructive ? `-- DESTRUCTIVE: ${c.destructive}\n${c.up}` : c.up))), down: migrationText([...changes].reverse().map((c) => c.down)) };
}

function migrationText(statements: string[]): string {
  return statements.map((s) => `${s}\n`).join('\n');
}

const table = quoteIdentifier;
const alter = (path: string, action: string): string => `ALTER TABLE ${table(path)} ${action};`;
const NO_DATA = (what: string): string => `-- This recreates ${what} empty: the down cannot bring back the data the up dropped.`;

function createTable(t: TableModel): Change[] {
  return [
    { up: createTableStatement(t), down: `DROP TABLE ${table(t.path)};`, destructive: null },
    ...t.changefeeds.map((c) => ({ up: addChangefeedStatement(t.path, c), down: alter(t.path, `DROP CHANGEFEED ${quoteIdentifier(c.name)}`), destructive: null })),
  ];
}

function dropTable(t: TableModel): Change {
  const create = [createTableStatement(t), ...t.changefeeds.map((c) => addChangefeedStatement(t.path, c))].join('\n');
  return { up: `DROP TABLE ${table(t.path)};`, down: `${NO_DATA(`table ${t.path}`)}\n${create}`, destructive: `drops table ${t.path} and all its rows` };
}

function recipe(t: string, what: string): string[] {
  return [
    `YDB cannot change ${what} of ${t} in place; by hand, in migrations of their own:`,
    `  1. CREATE TABLE ${t}_new with the new shape;`,
    `  2. copy the rows: UPSERT INTO ${t}_new SELECT ... FROM ${t}; (in batches for a big table);`,
    `  3. move readers and writers to ${t}_new, DROP TABLE ${t}, and ALTER TABLE ${t}_new RENAME TO ${t} if the name matters;`,
    `then write ${t}'s new shape in the desired schema and diff again.`,
  ];
}

function alterTable(from: TableModel, to: TableModel, options: DiffOptions, refusals: MigrateError[]): Change[] {
  /** `rule`: the rulebook's entry that says why YDB cannot, when it has one. */
  const refuse = (what: string, rule?: YdbRuleId): void => {
    const details = [...recipe(from.path, what), ...(rule ? [`(${YDB_RULES[rule].what}: ${whyYdbRefuses(rule)})`] : [])];
    refusals.push(new MigrateError('DIFF_IN_PLACE_IMPOSSIBLE', `table ${from.path}: ${what} cannot change in place (${options.desiredFile})`, { details }));
  };
  if (from.store !== to.store) refuse(`the store (${from.store} → ${to.store})`);
  if (from.primaryKey.join(',') !== to.primaryKey.join(',')) refuse(`the primary key (${from.primaryKey.join(', ')} → ${to.primaryKey.join(', ')})`, 'change-type-or-key');
  if (from.partitionBy.join(',') !== to.partitionBy.join(',')) refuse('PARTITION BY');
  const changes: Change[] = [];
  const path = from.path;

  // Indexes and changefeeds that go or change first: they may name columns that go.
  const indexes = byName(from.indexes, to.indexes, sameJson);
  for (const i of [...indexes.removed, ...indexes.changed.map(([old]) => old)]) {
    changes.push({ up: alter(path, `DROP INDEX ${quoteIdentifier(i.name)}`), down: alter(path, `ADD INDEX ${indexDefinition(i)}`), destructive: `drops index ${i.name} of ${path}` });
  }
  const feeds = byName(from.changefeeds, to.changefeeds, sameJson);
  for (const c of [...feeds.removed, ...feeds.changed.map(([old]) => old)]) {
    changes.push({ up: alter(path, `DROP CHANGEFEED ${quoteIdentifier(c.name)}`), down: addChangefeedStatement(path, c), destructive: `drops changefeed ${c.name} of ${path} (its topic and unread records)` });
  }
  const ttlGoes = from.ttl !== null && !sameJson(from.ttl, to.ttl);
  if (ttlGoes && (to.ttl === null || to.ttl.column !== from.ttl!.column)) changes.push(resetTtl(path, from.ttl!));

  const families = byName(from.families, to.families, sameJson);
  for (const f of families.removed) refuse(`the column family ${f.name} (YDB cannot drop one)`);
  for (const f of families.added) changes.push({ up: alter(path, `ADD FAMILY ${familyClause(f)}`), down: `-- YDB cannot drop column family ${f.name} of ${path}: it stays.`, destructive: null });
  for (const [old, f] of families.changed) changes.push(...familyChanges(path, old, f));

  const columns = byName(from.columns, to.columns, sameJson);
  for (const [old, c] of columns.changed) {
    if (old.type !== c.type || old.notNull !== c.notNull || old.default !== c.default) {
      refuse(`column ${c.name} (${columnDefinition(old)} → ${columnDefinition(c)})`, 'change-type-or-key');
    } else {
      changes.push({ up: alter(path, `ALTER COLUMN ${quoteIdentifier(c.name)} SET FAMILY ${quoteIdentifier(c.family ?? 'default')}`), down: alter(path, `ALTER COLUMN ${quoteIdentifier(c.name)} SET FAMILY ${quoteIdentifier(old.family ?? 'default')}`), destructive: null });
    }
  }
  for (const c of columns.removed) {
    if (from.primaryKey.includes(c.name)) continue; // refused with the primary key
    changes.push({ up: alter(path, `DROP COLUMN ${quoteIdentifier(c.name)}`), down: `${NO_DATA(`column ${c.name} of ${path}`)}\n${alter(path, `ADD COLUMN ${columnDefinition(c)}`)}`, destructive: `drops column ${c.name} of ${path} and its values` });
  }
  for (const c of columns.added) {
    if (to.primaryKey.includes(c.name)) continue; // refused with the primary key
    if (c.notNull && c.default === null) refuse(`a new NOT NULL column ${c.name} without a DEFAULT (YDB cannot fill the existing rows)`, 'not-null-without-default');
    changes.push({ up: alter(path, `ADD COLUMN ${columnDefinition(c)}`), down: alter(path, `DROP COLUMN ${quoteIdentifier(c.name)}`), destructive: null });
  }

  for (const [name, value] of Object.entries(to.settings)) {
    const old = from.settings[name];
    if (old === value) continue;
    changes.push({
      up: alter(path, `SET (${name} = ${value})`),
      down: old === undefined ? `-- ${name} of ${path} was not reported before the up: set it back by hand if needed.` : alter(path, `SET (${name} = ${old})`),
      destructive: null,
    });
  }
  if (to.ttl !== null && !sameJson(from.ttl, to.ttl)) {
    const keptColumn = from.ttl !== null && from.ttl.column === to.ttl.column;
    changes.push({ up: alter(path, `SET (TTL = ${ttlValue(to.ttl)})`), down: keptColumn ? alter(path, `SET (TTL = ${ttlValue(from.ttl!)})`) : alter(path, 'RESET (TTL)'), destructive: null });
  }

  for (const i of [...indexes.added, ...indexes.changed.map(([, now]) => now)]) {
    // YDB builds a UNIQUE index on an existing table only with its server flag on ("Adding a unique index to an existing table is disabled").
    const note = i.mode === 'unique' ? '-- Needs a YDB that allows adding a UNIQUE index to an existing table (a server flag); otherwise recreate the table with it.\n' : '';
    changes.push({ up: `${note}${alter(path, `ADD INDEX ${indexDefinition(i)}`)}`, down: alter(path, `DROP INDEX ${quoteIdentifier(i.name)}`), destructive: null });
  }
  for (const c of [...feeds.added, ...feeds.changed.map(([, now]) => now)]) {
    changes.push({ up: addChangefeedStatement(path, c), down: alter(path, `DROP CHANGEFEED ${quoteIdentifier(c.name)}`), destructive: null });
  }
  return changes;
}

function resetTtl(path: string, ttl: TtlModel): Change {
  return { up: alter(path, 'RESET (TTL)'), down: alter(path, `SET (TTL = ${ttlValue(ttl)})`), destructive: null };
}

function familyChanges(path: string, old: FamilyModel, f: FamilyModel): Change[] {
  const set = (option: 'DATA' | 'COMPRESSION', value: string | null): string => alter(path, `ALTER FAMILY ${quoteIdentifier(f.name)} SET ${option} "${value ?? ''}"`);
  const changes: Change[] = [];
  if (old.data !== f.data) changes.push({ up: set('DATA', f.data), down: set('DATA', old.data), destructive: null });
  if (old.compression !== f.compression) changes.push({ up: set('COMPRESSION', f.compression), down: set('COMPRESSION', old.compression), destructive: null });
  return changes;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Items of two lists matched by name: only in `from`, only in `to`, and in both but different. */
function byName<T extends { name: string }>(from: readonly T[], to: readonly T[], same: (a: T, b: T) => boolean): { removed: T[]; added: T[]; changed: [T, T][] } {
  const before = new Map(from.map((x) => [x.name, x]));
  const after = new Map(to.map((x) => [x.name, x]));
  return {
    removed: from.filter((x) => !after.has(x.name)),
    added: to.filter((x) => !before.has(x.name)),
    changed: to.filter((x) => before.has(x.name) && !same(before.get(x.name)!, x)).map((x): [T, T] => [before.get(x.name)!, x]),
  };
}


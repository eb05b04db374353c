/**
 * From the database's schema to a desired one: the statements of an up
 * migration and of its down, one DDL statement each (YDB compiles a request
 * whole, and the runner sends each DDL statement alone, so no statement
 * relies on one before it in the same request).
 *
 * What YDB cannot do in place — change a primary key, a column's type,
 * nullability or default, a table's store, drop a column family, add a
 * UNIQUE index to a table with rows, or (below the YDB version given) add a
 * column with a DEFAULT — is refused with the manual recipe. What is
 * generated also passes ydb-migrate's lint (./self-lint.ts). A changed index
 * is built anew beside the old one and swapped in (replaceIndex). Tables are
 * renamed when asked (`renames`); a table or column that looks renamed is
 * never silently dropped. Drops (tables, columns, indexes, changefeeds; a
 * changefeed changed, or an index over a dropped column, is dropped and
 * re-added) are destructive and need `allowDrop`; the down of a drop says it
 * cannot bring the data back. Settings the desired schema does not name are left as they
 * are (YDB reports its defaults, which a hand-written schema rarely repeats);
 * TTL absent from it is removed.
 */
import { MigrateError } from '../errors.js';
import { quoteIdentifier } from '../yql/identifier.js';
import { whyYdbRefuses, YDB_RULES, type YdbRuleId } from '../rules/ydb-rules.js';
import { FEATURES, hasFeature, versionRank } from '../rules/versions.js';
import { sameJson, withoutColumnOrder, type ColumnModel, type FamilyModel, type IndexModel, type Schema, type TableModel, type TtlModel } from './model.js';
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
  /** The oldest YDB the migration must run on (lint's --ydb-version); the newest when absent. */
  ydbVersion?: string;
  /** Names the desired schema's file in messages. */
  desiredFile: string;
  /** Tables renamed, old path → new path (`--rename OLD=NEW`): ALTER TABLE ... RENAME TO keeps their rows. */
  renames?: ReadonlyMap<string, string>;
  /** Drop a table and create one of the same columns and key without asking whether it is a rename (`--no-rename-guess`). */
  noRenameGuess?: boolean;
}

export function diffSchemas(current: Schema, desired: Schema, options: DiffOptions): SchemaDiff {
  const refusals: MigrateError[] = [];
  const changes: Change[] = [];
  const want = new Map(desired.tables.map((t) => [t.path, t]));
  const renamed = renamedTables(current, want, options);
  const now = new Map(renamed.tables.map((t) => [t.path, t]));
  const gone = renamed.tables.filter((t) => !want.has(t.path));
  const guesses = options.noRenameGuess ? [] : renameGuesses(gone, desired.tables.filter((t) => !now.has(t.path)));
  refusals.push(...guesses.map((g) => g.refusal));
  const guessed = new Set(guesses.map((g) => g.from));
  // A likely rename is refused as such: its DROP TABLE is not reported again as a drop.
  const refusedAsRenames = new Set<Change>();
  for (const t of gone) {
    const drop = dropTable(t);
    changes.push(drop);
    if (guessed.has(t.path)) refusedAsRenames.add(drop);
  }
  changes.push(...renamed.changes);
  for (const table of desired.tables) {
    const existing = now.get(table.path);
    if (existing) changes.push(...alterTable(existing, table, options, refusals));
    else changes.push(...createTable(table));
  }
  const drops = changes.filter((c) => c.destructive !== null && !refusedAsRenames.has(c));
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

/** The current schema with `--rename`s applied, and their RENAME TO statements; a rename that does not fit the schemas is a usage error. */
function renamedTables(current: Schema, want: ReadonlyMap<string, TableModel>, options: DiffOptions): { tables: TableModel[]; changes: Change[] } {
  const renames = options.renames ?? new Map<string, string>();
  const paths = new Set(current.tables.map((t) => t.path));
  for (const [from, to] of renames) {
    const problem = !paths.has(from) ? `the database has no table ${from}`
      : paths.has(to) ? `the database already has a table ${to}`
      : !want.has(to) ? `${options.desiredFile} has no table ${to}`
      : want.has(from) ? `${options.desiredFile} still has a table ${from}`
      : null;
    if (problem) throw new MigrateError('USAGE', `--rename ${from}=${to}: ${problem}`);
  }
  return {
    tables: current.tables.map((t) => ({ ...t, path: renames.get(t.path) ?? t.path })),
    changes: [...renames].map(([from, to]) => ({ up: alter(from, `RENAME TO ${table(to)}`), down: alter(to, `RENAME TO ${table(from)}`), destructive: null })),
  };
}

/** A table that goes and a new one with the same columns (in any order) and key: most likely a rename, which DROP + CREATE would turn into lost rows. */
function renameGuesses(gone: readonly TableModel[], added: readonly TableModel[]): { from: string; refusal: MigrateError }[] {
  const shape = (t: TableModel): string => JSON.stringify([withoutColumnOrder({ tables: [t], others: [] }).tables[0]!.columns, t.primaryKey]);
  return gone.flatMap((old) => {
    const twin = added.find((t) => shape(t) === shape(old));
    if (!twin) return [];
    const refusal = new MigrateError('DIFF_RENAME_GUESS', `table ${old.path} goes and ${twin.path} comes with the same columns and key: if it is a rename, pass --rename ${old.path}=${twin.path} (ALTER TABLE ... RENAME TO keeps its rows); if not, pass --no-rename-guess`);
    return [{ from: old.path, refusal }];
  });
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

/** `adds`: the change is a new thing (a UNIQUE index), not a changed one. */
function recipe(t: string, what: string, adds: boolean): string[] {
  return [
    `YDB cannot ${adds ? `add ${what} to` : `change ${what} of`} ${t} in place; by hand, in migrations of their own:`,
    `  1. CREATE TABLE ${t}_new with the new shape;`,
    `  2. copy the rows: UPSERT INTO ${t}_new SELECT ... FROM ${t}; (in batches for a big table);`,
    `  3. move readers and writers to ${t}_new, DROP TABLE ${t}, and ALTER TABLE ${t}_new RENAME TO ${t} if the name matters;`,
    `then write ${t}'s new shape in the desired schema and diff again.`,
  ];
}

function alterTable(from: TableModel, to: TableModel, options: DiffOptions, refusals: MigrateError[]): Change[] {
  /** `rule`: the rulebook's entry that says why YDB cannot, when it has one. */
  const refuse = (what: string, rule?: YdbRuleId, otherwise: string[] = [], adds = false): void => {
    const details = [...recipe(from.path, what, adds), ...otherwise, ...(rule ? [`(${YDB_RULES[rule].what}: ${whyYdbRefuses(rule)})`] : [])];
    refusals.push(new MigrateError('DIFF_IN_PLACE_IMPOSSIBLE', `table ${from.path}: ${what} cannot ${adds ? 'be added' : 'change'} in place (${options.desiredFile})`, { details }));
  };
  if (from.store !== to.store) refuse(`the store (${from.store} → ${to.store})`);
  if (from.primaryKey.join(',') !== to.primaryKey.join(',')) refuse(`the primary key (${from.primaryKey.join(', ')} → ${to.primaryKey.join(', ')})`, 'change-type-or-key');
  if (from.partitionBy.join(',') !== to.partitionBy.join(',')) refuse('PARTITION BY');
  const changes: Change[] = [];
  const path = from.path;

  // Indexes and changefeeds that go or change first: they may name columns that go.
  const indexes = byName(from.indexes, to.indexes, sameJson);
  const goingColumns = new Set(from.columns.filter((c) => !to.columns.some((n) => n.name === c.name)).map((c) => c.name));
  // An index over a column that goes must go before it, and a UNIQUE one cannot be added to a table with rows; the others are swapped (replaceIndex).
  const [swapped, rebuilt] = partition(indexes.changed, ([old, now]) => old.mode !== 'unique' && now.mode !== 'unique' && ![...old.columns, ...old.cover].some((c) => goingColumns.has(c)));
  for (const i of [...indexes.removed, ...rebuilt.map(([old]) => old)]) {
    changes.push({ up: alter(path, `DROP INDEX ${quoteIdentifier(i.name)}`), down: readdIndex(path, i), destructive: `drops index ${i.name} of ${path}` });
  }
  const feeds = byName(from.changefeeds, to.changefeeds, sameJson);
  for (const c of [...feeds.removed, ...feeds.changed.map(([old]) => old)]) {
    changes.push({ up: alter(path, `DROP CHANGEFEED ${quoteIdentifier(c.name)}`), down: addChangefeedStatement(path, c), destructive: `drops changefeed ${c.name} of ${path} (its topic and unread records)` });
  }
  const ttlGoes = from.ttl !== null && !sameJson(from.ttl, to.ttl);
  if (ttlGoes && (to.ttl === null || to.ttl.column !== from.ttl!.column)) changes.push(resetTtl(path, from.ttl!));

  const families = byName(from.families, to.families, sameJson);
  for (const f of families.removed) {
    // Every table has its default family; the model leaves it out while it is as YDB creates it.
    if (f.name === DEFAULT_FAMILY) changes.push(...familyChanges(path, f, { ...f, data: null, compression: null }));
    else refuse(`the column family ${f.name} (YDB cannot drop one)`);
  }
  for (const f of families.added) {
    if (f.name === DEFAULT_FAMILY) changes.push(...familyChanges(path, { ...f, data: null, compression: null }, f));
    else changes.push({ up: alter(path, `ADD FAMILY ${familyClause(f)}`), down: `-- YDB cannot drop column family ${f.name} of ${path}: it stays.`, destructive: null });
  }
  for (const [old, f] of families.changed) changes.push(...familyChanges(path, old, f));

  const columns = byName(from.columns, to.columns, sameJson);
  for (const [old, c] of columns.changed) {
    if (old.type !== c.type || old.notNull !== c.notNull || old.default !== c.default) {
      refuse(`column ${c.name} (${columnDefinition(old)} → ${columnDefinition(c)})`, 'change-type-or-key');
    } else {
      changes.push({ up: alter(path, `ALTER COLUMN ${quoteIdentifier(c.name)} SET FAMILY ${quoteIdentifier(c.family ?? 'default')}`), down: alter(path, `ALTER COLUMN ${quoteIdentifier(c.name)} SET FAMILY ${quoteIdentifier(old.family ?? 'default')}`), destructive: null });
    }
  }
  const defaults = canAddDefault(options.ydbVersion);
  const looksRenamed = options.noRenameGuess ? new Map<string, ColumnModel>() : columnRenameGuesses(columns.removed.filter((c) => !from.primaryKey.includes(c.name)), columns.added.filter((c) => !to.primaryKey.includes(c.name)));
  const kept = new Set([...looksRenamed.values()].map((c) => c.name));
  for (const c of columns.removed) {
    if (from.primaryKey.includes(c.name)) continue; // refused with the primary key
    if (kept.has(c.name)) continue; // the recipe, with the new column's ADD
    changes.push({ up: alter(path, `DROP COLUMN ${quoteIdentifier(c.name)}`), down: `${NO_DATA(`column ${c.name} of ${path}`)}\n${readdColumn(path, c, defaults)}`, destructive: `drops column ${c.name} of ${path} and its values` });
  }
  for (const c of columns.added) {
    if (to.primaryKey.includes(c.name)) continue; // refused with the primary key
    if (c.notNull && c.default === null) refuse(`a new NOT NULL column ${c.name} without a DEFAULT (YDB cannot fill the existing rows)`, 'not-null-without-default');
    if (c.default !== null && !defaults) refuse(`a new column ${c.name} with a DEFAULT (${FEATURES.addColumnWithDefault.what} needs YDB ${FEATURES.addColumnWithDefault.since}, newer than --ydb-version ${options.ydbVersion})`, 'newer-than-version');
    const old = looksRenamed.get(c.name);
    changes.push({ up: `${old ? columnRenameRecipe(path, old, c) : ''}${alter(path, `ADD COLUMN ${columnDefinition(c)}`)}`, down: alter(path, `DROP COLUMN ${quoteIdentifier(c.name)}`), destructive: null });
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

  const taken = new Set([...from.indexes, ...to.indexes].map((i) => i.name));
  for (const [old, now] of swapped) changes.push(replaceIndex(path, old, now, taken));
  for (const i of [...indexes.added, ...rebuilt.map(([, now]) => now)]) {
    if (i.mode === 'unique') {
      refuse(`a UNIQUE index ${i.name}`, 'unique-index-on-existing-table', [
        `or, on a YDB whose server enables EnableAddUniqueIndex, write ALTER TABLE ${path} ADD INDEX ${indexDefinition(i)}; by hand (lint: disable unique-index-on-existing-table with that reason).`,
      ], true);
      continue;
    }
    changes.push({ up: alter(path, `ADD INDEX ${indexDefinition(i)}`), down: alter(path, `DROP INDEX ${quoteIdentifier(i.name)}`), destructive: null });
  }
  for (const c of [...feeds.added, ...feeds.changed.map(([, now]) => now)]) {
    changes.push({ up: addChangefeedStatement(path, c), down: alter(path, `DROP CHANGEFEED ${quoteIdentifier(c.name)}`), destructive: null });
  }
  return changes;
}

/**
 * An index whose columns, COVER or mode change, with no time without it: the
 * new one is built under a free name while the old one serves, then the old
 * one is dropped and the new one renamed in its place. YQL's RENAME INDEX
 * refuses an existing target (docs: yql/reference/syntax/alter_table/indexes.md
 * "Renaming an index"; kqp_scheme_ut.cpp AlterTableReplaceIndex), so between
 * those two statements queries naming the index with VIEW fail; only the CLI
 * (`ydb table index rename --replace`) and the SDK swap atomically
 * (docs: dev/secondary-indexes.md "Atomic replacement of a secondary index").
 */
function replaceIndex(path: string, old: IndexModel, now: IndexModel, taken: Set<string>): Change {
  // The up's temporary name is free again once renamed, so the down uses it too.
  const temporary = freeName(`${now.name}_new`, taken);
  const swap = (from: IndexModel, to: IndexModel): string =>
    [
      `-- Index ${to.name} of ${path} is rebuilt as ${temporary} while the old one serves, then swapped in: between the DROP and the RENAME, queries with VIEW ${to.name} fail.`,
      `-- To swap with no such moment, run the ADD alone, then \`ydb table index rename ${path} --index-name ${temporary} --to ${to.name} --replace\` instead of the other two.`,
      alter(path, `ADD INDEX ${indexDefinition({ ...to, name: temporary })}`),
      '',
      alter(path, `DROP INDEX ${quoteIdentifier(from.name)}`),
      '',
      alter(path, `RENAME INDEX ${quoteIdentifier(temporary)} TO ${quoteIdentifier(to.name)}`),
    ].join('\n');
  return { up: swap(old, now), down: swap(now, old), destructive: null };
}

function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
  taken.add(name);
  return name;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** A down's ADD INDEX for an index the up drops; YDB adds a UNIQUE one only with the table. */
function readdIndex(path: string, i: IndexModel): string {
  if (i.mode !== 'unique') return alter(path, `ADD INDEX ${indexDefinition(i)}`);
  return `-- YDB cannot add UNIQUE index ${i.name} back to ${path}, which has rows (unless the server enables EnableAddUniqueIndex): recreate the table with it, copying the rows.`;
}

/** New column name → the dropped column of the same type it most likely replaces, each dropped column used once. */
function columnRenameGuesses(removed: readonly ColumnModel[], added: readonly ColumnModel[]): Map<string, ColumnModel> {
  const left = [...removed];
  const pairs = new Map<string, ColumnModel>();
  for (const c of added) {
    const at = left.findIndex((o) => o.type === c.type);
    if (at >= 0) pairs.set(c.name, left.splice(at, 1)[0]!);
  }
  return pairs;
}

/** YQL has no RENAME COLUMN (the rulebook's not-yql, from its grammar): the column is moved in steps, the old one dropped last. */
function columnRenameRecipe(path: string, old: ColumnModel, c: ColumnModel): string {
  return [
    `-- Column ${old.name} of ${path} looks renamed to ${c.name} (same type ${c.type}). YDB has no RENAME COLUMN, so ${old.name} is kept; to move its values:`,
    `--   1. this migration adds ${c.name};`,
    `--   2. in a migration of its own, copy: BATCH UPDATE ${table(path)} SET ${quoteIdentifier(c.name)} = ${quoteIdentifier(old.name)};`,
    `--      (have the application write both columns first, so rows written meanwhile are not missed);`,
    `--   3. switch readers and writers to ${c.name};`,
    `--   4. drop ${old.name} in a later migration (diff proposes it then).`,
    `-- If it is not a rename, diff with --no-rename-guess.`,
    '',
  ].join('\n');
}

function canAddDefault(ydbVersion: string | undefined): boolean {
  return ydbVersion === undefined || versionRank(ydbVersion) === null || hasFeature(ydbVersion, 'addColumnWithDefault');
}

/**
 * A down's ADD COLUMN for a column the up drops, as YDB can add it to a table
 * with rows: not NOT NULL without a DEFAULT, no DEFAULT before the version
 * that allows one; what it cannot restore is said above it.
 */
function readdColumn(path: string, c: ColumnModel, defaults: boolean): string {
  const keepsDefault = c.default !== null && defaults;
  const addable: ColumnModel = { ...c, default: keepsDefault ? c.default : null, notNull: c.notNull && keepsDefault };
  const lost = [...(c.default !== null && !keepsDefault ? ['DEFAULT'] : []), ...(c.notNull && !addable.notNull ? ['NOT NULL'] : [])];
  const note = lost.length ? `-- YDB cannot add column ${c.name} back with its ${lost.join(' and ')} here: the down re-adds it without.\n` : '';
  return `${note}${alter(path, `ADD COLUMN ${columnDefinition(addable)}`)}`;
}

function resetTtl(path: string, ttl: TtlModel): Change {
  return { up: alter(path, 'RESET (TTL)'), down: alter(path, `SET (TTL = ${ttlValue(ttl)})`), destructive: null };
}

const DEFAULT_FAMILY = 'default';

/**
 * `ALTER FAMILY f SET DATA "pool"` / `SET COMPRESSION "off"|"lz4"` (YDB's
 * docs, yql/reference/syntax/alter_table/family.md; sql_ut_common.h
 * AlterCompressionCorrectUsage): there is no way to unset an option. An
 * option the desired schema does not give is left as it is, except the
 * default family's compression, where "off" is what the model's null means
 * (read.ts reports a default family that is not lz4 as absent).
 */
function familyChanges(path: string, old: FamilyModel, f: FamilyModel): Change[] {
  const unsetMeans = (option: keyof FamilyModel): string | null => (option === 'compression' && f.name === DEFAULT_FAMILY ? 'off' : null);
  const changes: Change[] = [];
  for (const [option, keyword] of [['data', 'DATA'], ['compression', 'COMPRESSION']] as const) {
    const set = (value: string | null): string | null => {
      const given = value ?? unsetMeans(option);
      return given === null ? null : alter(path, `ALTER FAMILY ${quoteIdentifier(f.name)} SET ${keyword} "${given}"`);
    };
    const up = old[option] === f[option] ? null : set(f[option]);
    if (up === null) continue;
    const down = set(old[option]) ?? `-- YDB cannot unset ${keyword} of column family ${f.name} of ${path}: set it back by hand if needed.`;
    changes.push({ up, down, destructive: null });
  }
  return changes;
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


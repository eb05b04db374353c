/**
 * CREATE / ALTER / DROP TABLE. Each statement is atomic by itself and applied
 * at once; a set of them is not (DDL is not transactional in YDB).
 */
import type { AlterAction, ColumnDef, IndexDef, Statement, TableSetting, TtlDef } from './ast.js';
import { EngineError, IssueCode, issue, schemeOperationError, tableNotFound, typeError, unsupported, type Position, type StatusName } from './errors.js';
import { compileExpr } from './expressions.js';
import { exprEnv, resolvePath, type QueryContext } from './context.js';
import { parentFolders } from './paths.js';
import { Table, type ColumnSchema, type IndexSchema, type Row, type TableSchema, type TtlSchema } from './storage.js';
import { formatType, isKeyableType, resolveTypeNode } from './types.js';
import { encodeKey } from './values.js';
import { defaultWriter } from './store-value.js';

type DdlStatement = Extract<Statement, { kind: 'createTable' | 'alterTable' | 'dropTable' }>;
type CreateTable = Extract<Statement, { kind: 'createTable' }>;

export function executeDdl(stmt: DdlStatement, ctx: QueryContext): void {
  switch (stmt.kind) {
    case 'createTable':
      return createTable(stmt, ctx);
    case 'alterTable':
      return alterTable(stmt, ctx);
    case 'dropTable':
      return dropTable(stmt, ctx);
  }
}

/** Row tables' physical settings: accepted, kept, and without effect on the emulator's behaviour. */
const ROW_TABLE_SETTINGS = new Set([
  'AUTO_PARTITIONING_BY_SIZE', 'AUTO_PARTITIONING_BY_LOAD', 'AUTO_PARTITIONING_PARTITION_SIZE_MB',
  'AUTO_PARTITIONING_MIN_PARTITIONS_COUNT', 'AUTO_PARTITIONING_MAX_PARTITIONS_COUNT', 'UNIFORM_PARTITIONS',
  'KEY_BLOOM_FILTER', 'READ_REPLICAS_SETTINGS', 'STORE', 'PARTITION_AT_KEYS',
]);

/** Applies `WITH (...)` / `SET (...)` to `schema`: TTL checked against its columns, the rest kept as written. */
function applySettings(settings: TableSetting[], schema: TableSchema, fail: (reason: string) => never): void {
  for (const s of settings) {
    if (s.ttl) schema.ttl = ttlSchema(s.ttl, schema, fail);
    else Object.assign(schema.settings, tableSettings([s]));
  }
}

const TTL_DATE_TYPES = new Set(['Date', 'Datetime', 'Timestamp']);
const TTL_NUMBER_TYPES = new Set(['Uint32', 'Uint64']);
const TTL_UNITS = new Set(['SECONDS', 'MILLISECONDS', 'MICROSECONDS', 'NANOSECONDS']);

/** SchemeShard's TTL validation (schemeshard_validate_ttl.cpp): a known column of a date type, or numeric with a unit. */
function ttlSchema(def: TtlDef, schema: TableSchema, fail: (reason: string) => never): TtlSchema {
  const column = schema.columns.find((c) => c.name === def.column.name);
  if (!column) fail(`Cannot enable TTL on unknown column: '${def.column.name}'`);
  const type = column.type.kind === 'primitive' ? column.type.name : '';
  if (TTL_DATE_TYPES.has(type)) {
    if (def.unit) fail(`To enable TTL on date type column 'DateTypeColumnModeSettings' should be specified`);
  } else if (TTL_NUMBER_TYPES.has(type)) {
    if (!def.unit) fail(`To enable TTL on integral type column 'ValueSinceUnixEpochModeSettings' should be specified`);
    if (!TTL_UNITS.has(def.unit)) fail(`Invalid unit: ${def.unit}`);
  } else {
    fail(`Unsupported column type`);
  }
  const now = Math.floor(Date.now() / 1000);
  if (def.expireAfterSeconds > now) {
    // schemeshard_info_types.cpp ValidateTtlSettings
    const days = Math.floor(now / 86_400);
    fail(`TTL should be less than ${now} seconds (${days} days, ${Math.floor(days / 365)} years). The ttl behaviour is undefined before 1970.`);
  }
  return { column: column.name, expireAfterSeconds: def.expireAfterSeconds, ...(def.unit ? { unit: def.unit } : {}) };
}

function tableSettings(settings: TableSetting[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const s of settings) {
    const name = s.name.name.toUpperCase();
    if (!ROW_TABLE_SETTINGS.has(name)) throw unsupported(s.name.pos, `Table setting ${name}`);
    if (name === 'STORE' && s.value.toUpperCase() !== 'ROW') throw unsupported(s.name.pos, `STORE = ${s.value}`);
    result[name] = s.value;
  }
  return result;
}

/** A column as defined; its DEFAULT is evaluated only when `evaluate` (type checking runs before named expressions are bound). */
export function columnSchema(def: ColumnDef, ctx: QueryContext, evaluate = true): ColumnSchema {
  const type = resolveTypeNode(def.type);
  if (type.kind === 'optional') {
    throw typeError(def.type.pos, `Invalid type for column: ${def.name.name}. Optional types are not allowed in column definitions, columns are nullable unless NOT NULL`);
  }
  const column: ColumnSchema = { name: def.name.name, type, notNull: def.notNull };
  if (def.defaultValue && evaluate) {
    const value = compileExpr(def.defaultValue, exprEnv(ctx));
    column.defaultValue = defaultWriter(column, value, def.defaultValue.pos)(value.eval({}));
  }
  return column;
}

/** The scheme shard's index checks, texts from ydb/core/base/table_index.cpp `IsCompatibleIndex`. */
function indexSchema(def: IndexDef, schema: TableSchema, fail: (reason: string) => never): IndexSchema {
  if (schema.indexes.some((i) => i.name === def.name.name)) fail(`index with name '${def.name.name}' already exists`);
  for (const c of [...def.columns, ...def.cover]) {
    if (!schema.columns.some((col) => col.name === c.name)) fail(`Unknown column '${c.name}' in index '${def.name.name}'`);
  }
  const columns = def.columns.map((c) => c.name);
  const cover = def.cover.map((c) => c.name);
  const repeated = (names: string[]): string | undefined => names.find((n, i) => names.indexOf(n) !== i);
  const twice = repeated(columns);
  if (twice) fail(`all index key columns should be unique, for example ${twice}`);
  const twiceCovered = repeated(cover);
  if (twiceCovered) fail(`all index data columns should be unique, for example ${twiceCovered}`);
  if (columns.join('\0') === schema.primaryKey.join('\0')) fail("index keys shouldn't be table keys");
  const both = cover.find((c) => columns.includes(c) || schema.primaryKey.includes(c));
  if (both) fail(`the same column can't be used as key and data column for one index, for example ${both}`);
  for (const name of columns) {
    const column = schema.columns.find((c) => c.name === name)!;
    // An index's keys are its table's keys: the types a primary key refuses (Float, Double, Json, Yson) are refused here too.
    if (!isKeyableType(column.type)) fail(`Column ${name} has wrong key type ${formatType(column.type)} for an index key`);
  }
  return { name: def.name.name, columns, cover, async: def.async, unique: def.unique };
}

/** A UNIQUE index cannot be built over rows that already repeat a value. */
function ensureUniqueData(table: Table, index: IndexSchema, fail: (reason: string) => never): void {
  const seen = new Set<string>();
  for (const row of table.rows.values()) {
    const values = index.columns.map((c) => row[c] ?? null);
    if (values.includes(null)) continue;
    const key = encodeKey(values);
    if (seen.has(key)) fail(`Duplicate key found while building unique index '${index.name}'`);
    seen.add(key);
  }
}

function failer(status: StatusName, pos: Position, operation: string): (reason: string) => never {
  return (reason) => {
    throw schemeOperationError(status, pos, operation, reason);
  };
}

function createTable(stmt: CreateTable, ctx: QueryContext): void {
  const path = resolvePath(ctx, stmt.table);
  const fail = failer('SCHEME_ERROR', stmt.pos, 'CREATE TABLE');
  if (!ctx.paths.contains(path)) {
    // kqp_scheme_ut.cpp PathWithNoRoot: GENERIC_ERROR with the Execution issue (1060)
    failer('GENERIC_ERROR', stmt.pos, 'CREATE TABLE')(`Check failed: path: '${path}', error: path is not a subpath of the database ${ctx.paths.database}`);
  }
  const existing = ctx.catalog.get(path);
  if (existing || ctx.catalog.isFolder(path)) {
    if (stmt.ifNotExists && existing) return;
    const type = existing ? 'EPathTypeTable' : 'EPathTypeDir';
    throw schemeOperationError('GENERIC_ERROR', stmt.pos, 'CREATE TABLE',
      `Check failed: path: '${path}', error: path exist, request accepts it (type: ${type}, state: EPathStateNoChanges)`);
  }
  const blocking = parentFolders(path).find((p) => ctx.catalog.get(p));
  if (blocking) fail(`Check failed: path: '${blocking}', error: path is not a directory (type: EPathTypeTable)`);
  ctx.catalog.add(new Table(path, createTableSchema(stmt, ctx)), parentFolders(path).filter((p) => ctx.paths.contains(p)));
}

/**
 * The scheme a CREATE TABLE defines, refused when it is inconsistent in itself.
 * Type checking calls it with `evaluate` false, before anything runs.
 */
export function createTableSchema(stmt: CreateTable, ctx: QueryContext, evaluate = true): TableSchema {
  const fail = failer('SCHEME_ERROR', stmt.pos, 'CREATE TABLE');
  const columns: ColumnSchema[] = [];
  for (const def of stmt.columns) {
    if (columns.some((c) => c.name === def.name.name)) fail(`Duplicate column name: ${def.name.name}`);
    columns.push(columnSchema(def, ctx, evaluate));
  }
  const primaryKey = stmt.primaryKey.map((k) => k.name);
  for (const k of stmt.primaryKey) {
    const column = columns.find((c) => c.name === k.name);
    if (!column) throw typeError(k.pos, `Undefined column: ${k.name}`);
    if (!isKeyableType(column.type)) fail(`Column ${k.name} has wrong key type ${formatType(column.type)}`);
  }
  if (new Set(primaryKey).size !== primaryKey.length) fail('Duplicate column in PRIMARY KEY');
  const schema: TableSchema = { columns, primaryKey, indexes: [], settings: {} };
  applySettings(stmt.settings, schema, fail);
  for (const def of stmt.indexes) schema.indexes.push(indexSchema(def, schema, fail));
  return schema;
}

function dropTable(stmt: Extract<Statement, { kind: 'dropTable' }>, ctx: QueryContext): void {
  const path = resolvePath(ctx, stmt.table);
  if (!ctx.catalog.get(path)) {
    if (stmt.ifExists) return;
    throw tableNotFound(stmt.table.pos, path);
  }
  ctx.catalog.remove(path);
}

/** All actions are checked against a copy of the scheme first, so a failing ALTER changes nothing. */
function alterTable(stmt: Extract<Statement, { kind: 'alterTable' }>, ctx: QueryContext): void {
  const path = resolvePath(ctx, stmt.table);
  const table = ctx.catalog.get(path);
  if (!table) throw tableNotFound(stmt.table.pos, path);
  const fail = failer('SCHEME_ERROR', stmt.pos, 'ALTER TABLE');
  const schema: TableSchema = { ...table.schema, columns: [...table.schema.columns], indexes: [...table.schema.indexes], settings: { ...table.schema.settings } };
  const added: ColumnSchema[] = [];
  let renameTo: string | undefined;
  for (const action of stmt.actions) {
    const target = applyAlterAction(action, schema, table, ctx, fail);
    if (action.kind === 'addColumn') added.push(schema.columns.at(-1)!);
    if (target) renameTo = target;
  }
  if (renameTo !== undefined && !ctx.paths.contains(renameTo)) {
    failer('GENERIC_ERROR', stmt.pos, 'ALTER TABLE')(`Check failed: path: '${renameTo}', error: path is not a subpath of the database ${ctx.paths.database}`);
  }
  if (renameTo !== undefined && (ctx.catalog.get(renameTo) || ctx.catalog.isFolder(renameTo))) {
    fail(`Check failed: path: '${renameTo}', error: path exist, request accepts it`);
  }
  const kept = new Set(schema.columns.map((c) => c.name));
  table.schema = schema;
  table.rewriteRows((row) => {
    const next: Row = {};
    for (const [name, value] of Object.entries(row)) if (kept.has(name)) next[name] = value;
    for (const c of added) next[c.name] = c.defaultValue ?? null;
    return next;
  });
  if (renameTo !== undefined) ctx.catalog.rename(table, renameTo, parentFolders(renameTo).filter((p) => ctx.paths.contains(p)));
}

/** How the scheme shard's refusal of an ALTER reaches the client. */
const ALTER_PROPOSE_FAILED = 'At AlterMainTable state got unsuccess propose result, status: StatusInvalidParameter, reason: ';

/** Applies one action to `schema`; returns the new path for RENAME TO. */
function applyAlterAction(action: AlterAction, schema: TableSchema, table: Table, ctx: QueryContext, fail: (reason: string) => never): string | undefined {
  const refuse = (status: StatusName, reason: string): never => failer(status, action.pos, 'ALTER TABLE')(reason);
  switch (action.kind) {
    case 'addColumn': {
      const column = columnSchema(action.column, ctx);
      if (schema.columns.some((c) => c.name === column.name)) fail(`Column '${column.name}' already exists`);
      // The scheme shard's checks, in its order (schemeshard__operation_alter_table.cpp,
      // schemeshard__operation_create_build_column.cpp from 25.3).
      if (action.column.defaultValue && !ctx.profile.addColumnWithDefault) {
        if (ctx.profile.columnBuild) refuse('PRECONDITION_FAILED', 'Adding columns with defaults is disabled');
        refuse('BAD_REQUEST', `${ALTER_PROPOSE_FAILED}Column addition with default value is not supported now.`);
      }
      if (column.notNull && column.defaultValue === undefined) {
        // KQP refuses it before the scheme shard sees it: ydb/core/kqp/provider/yql_kikimr_exec.cpp (KIKIMR_BAD_REQUEST)
        throw new EngineError('BAD_REQUEST', [
          issue('Execution', { code: IssueCode.EXECUTION, issues: [issue('Cannot add not null column without default value', { position: action.column.name.pos, code: IssueCode.BAD_REQUEST })] }),
        ]);
      }
      schema.columns.push(column);
      return undefined;
    }
    case 'dropColumn': {
      const name = action.name.name;
      if (!schema.columns.some((c) => c.name === name)) fail(`Column '${name}' does not exist`);
      if (schema.primaryKey.includes(name)) fail(`Cannot drop key column '${name}'`);
      // kqp_scheme_ut.cpp DropIndexDataColumn (PRECONDITION_FAILED), CreateTableWithTtlSettings (BAD_REQUEST)
      const index = schema.indexes.find((i) => i.columns.includes(name) || i.cover.includes(name));
      if (index) refuse('PRECONDITION_FAILED', `Cannot drop column '${name}' used by index '${index.name}'`);
      if (schema.ttl?.column === name) refuse('BAD_REQUEST', `Can't drop TTL column: '${name}', disable TTL first`);
      schema.columns = schema.columns.filter((c) => c.name !== name);
      return undefined;
    }
    case 'addIndex': {
      if (action.index.unique && !ctx.profile.uniqueIndexOnExistingTable) {
        refuse('BAD_REQUEST', 'Failed item check: Adding a unique index to an existing table is disabled');
      }
      const index = indexSchema(action.index, schema, fail);
      if (index.unique) ensureUniqueData(table, index, fail);
      schema.indexes.push(index);
      return undefined;
    }
    case 'dropIndex': {
      if (!schema.indexes.some((i) => i.name === action.name.name)) fail(`Index '${action.name.name}' does not exist`);
      schema.indexes = schema.indexes.filter((i) => i.name !== action.name.name);
      return undefined;
    }
    case 'renameTo':
      return resolvePath(ctx, action.target);
    case 'renameIndex': {
      // kqp_scheme_ut.cpp AlterTableRenameIndex; onto an existing index: AlterTableReplaceIndex (SCHEME_ERROR)
      const index = schema.indexes.find((i) => i.name === action.from.name);
      if (!index) fail(`Index '${action.from.name}' does not exist`);
      if (schema.indexes.some((i) => i.name === action.to.name)) fail(`Index '${action.to.name}' already exists`);
      schema.indexes = schema.indexes.map((i) => (i === index ? { ...i, name: action.to.name } : i));
      return undefined;
    }
    case 'setSettings':
      // An ALTER's TTL is checked by the scheme shard's alter: BAD_REQUEST (kqp_scheme_ut.cpp CreateTableWithTtlSettings)
      applySettings(action.settings, schema, (reason) => refuse('BAD_REQUEST', reason));
      return undefined;
    case 'resetSettings':
      for (const name of action.names) {
        if (name.name.toUpperCase() !== 'TTL') throw unsupported(name.pos, `ALTER TABLE RESET (${name.name.toUpperCase()})`);
        delete schema.ttl;
      }
      return undefined;
  }
}

/** The syntax tree of the YQL subset: what the parser produces and the executor consumes. */
import type { Position } from './errors.js';

export interface TypeNode {
  /** Primitive name as written, `Decimal`, or `Optional`. */
  name: string;
  /** Decimal(p, s) arguments. */
  numbers: number[];
  /** Optional<T> argument. */
  item?: TypeNode;
  /** Trailing `?`. */
  nullable: boolean;
  pos: Position;
}

export interface Identifier {
  name: string;
  pos: Position;
}

export type Expr =
  | { kind: 'number'; text: string; suffix: string; isFloat: boolean; pos: Position }
  | { kind: 'string'; bytes: Uint8Array; suffix: string; pos: Position }
  | { kind: 'bool'; value: boolean; pos: Position }
  | { kind: 'null'; pos: Position }
  | { kind: 'column'; name: string; pos: Position }
  | { kind: 'param'; name: string; pos: Position }
  | { kind: 'unary'; op: '-' | '+' | 'NOT'; operand: Expr; pos: Position }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Position }
  | { kind: 'isNull'; operand: Expr; negated: boolean; pos: Position }
  | { kind: 'in'; operand: Expr; list: Expr[]; negated: boolean; pos: Position }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; negated: boolean; pos: Position }
  | { kind: 'call'; name: string; args: Expr[]; typeArgs: TypeNode[]; star: boolean; pos: Position }
  | { kind: 'cast'; operand: Expr; type: TypeNode; pos: Position };

/** The expressions an expression is made of, one level down. */
export function subexpressions(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
    case 'cast':
    case 'isNull':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'in':
      return [e.operand, ...e.list];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export interface ColumnDef {
  name: Identifier;
  type: TypeNode;
  notNull: boolean;
  defaultValue?: Expr;
}

export interface IndexDef {
  name: Identifier;
  unique: boolean;
  async: boolean;
  columns: Identifier[];
  cover: Identifier[];
}

export interface TableSetting {
  name: Identifier;
  value: string;
  /** For `TTL = Interval("...") [DELETE] ON column [AS unit]`. */
  ttl?: TtlDef;
  /** For `PARTITION_AT_KEYS = (k, (k1, k2), ...)`: how many key values each split point has. */
  keyArities?: number[];
}

export interface TtlDef {
  expireAfterSeconds: number;
  column: Identifier;
  /** SECONDS, MILLISECONDS, MICROSECONDS or NANOSECONDS, for a numeric column. */
  unit?: string;
}

/** A table name as written: a plain or backticked identifier, possibly a path. */
export interface TableRef {
  path: string;
  pos: Position;
}

export type AlterAction =
  | { kind: 'addColumn'; column: ColumnDef; pos: Position }
  | { kind: 'dropColumn'; name: Identifier; pos: Position }
  | { kind: 'addIndex'; index: IndexDef; pos: Position }
  | { kind: 'dropIndex'; name: Identifier; pos: Position }
  | { kind: 'renameTo'; target: TableRef; pos: Position }
  | { kind: 'renameIndex'; from: Identifier; to: Identifier; pos: Position }
  | { kind: 'setSettings'; settings: TableSetting[]; pos: Position }
  | { kind: 'resetSettings'; names: Identifier[]; pos: Position };

export interface SelectItem {
  expr: Expr;
  alias?: string;
}

export interface OrderTerm {
  expr: Expr;
  descending: boolean;
}

export type Statement =
  /** `ifNotExists` / `ifExists`: where the `IF` of the guard stands, when there is one. */
  | { kind: 'createTable'; table: TableRef; ifNotExists?: Position; columns: ColumnDef[]; primaryKey: Identifier[]; indexes: IndexDef[]; settings: TableSetting[]; pos: Position }
  | { kind: 'alterTable'; table: TableRef; actions: AlterAction[]; pos: Position }
  | { kind: 'dropTable'; table: TableRef; ifExists?: Position; pos: Position }
  | { kind: 'write'; mode: 'UPSERT' | 'INSERT' | 'REPLACE'; table: TableRef; columns: Identifier[]; rows: Expr[][]; pos: Position }
  | { kind: 'update'; table: TableRef; assignments: { column: Identifier; value: Expr }[]; where?: Expr; pos: Position }
  | { kind: 'delete'; table: TableRef; where?: Expr; pos: Position }
  | { kind: 'select'; items: SelectItem[] | 'star'; from?: TableRef; where?: Expr; orderBy: OrderTerm[]; limit?: Expr; offset?: Expr; pos: Position }
  | { kind: 'declare'; name: string; type: TypeNode; pos: Position }
  | { kind: 'namedExpr'; name: string; value: Expr; pos: Position }
  | { kind: 'pragma'; name: string; args: string[]; pos: Position }
  | { kind: 'commit'; rollback?: boolean; pos: Position };

export type StatementKind = Statement['kind'];

const DDL: ReadonlySet<StatementKind> = new Set(['createTable', 'alterTable', 'dropTable']);
const DML: ReadonlySet<StatementKind> = new Set(['write', 'update', 'delete', 'select']);

export const isDdl = (s: Statement): boolean => DDL.has(s.kind);
export const isDml = (s: Statement): boolean => DML.has(s.kind);

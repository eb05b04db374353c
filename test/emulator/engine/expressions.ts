/**
 * Expressions are type-checked once, before any row is touched (as YQL's type
 * annotation does), and compiled into closures evaluated per row. SQL NULL
 * semantics: NULL propagates through operators; AND/OR are three-valued.
 */
import type { BinaryOp, Expr } from './ast.js';
import { EngineError, issue, typeError, unsupported, type Position } from './errors.js';
import {
  BOOL, NULL_TYPE, baseType, formatType, integerInfo, isFloating, isInteger, isOptional, isStringLike, isTemporal,
  optional, primitive, primitiveByName, primitiveName, resolveTypeNode, sameType, isSafeIntegerWidening,
  type PrimitiveName, type YqlType,
} from './types.js';
import {
  castValue, compareValues, decodeUtf8, fitInteger, fromMicros, isCastable, parseDecimal, parseFromText,
  temporalMicros, utf8Bytes, type Value,
} from './values.js';
import type { Row } from './storage.js';

/** A value known before execution: a parameter or a named expression. */
export interface Constant {
  type: YqlType;
  value: Value;
  /** Literals convert implicitly to a column's type when the value fits. */
  literal: boolean;
}

export interface Compiled extends Constant {
  /** Contains COUNT(*). */
  aggregate: boolean;
  /** Reads no column. */
  constant: boolean;
  eval(row: Row, group?: { count: number }): Value;
}

export interface ExprEnv {
  /** Column types of the row source; undefined when there is no FROM. */
  columns?: ReadonlyMap<string, YqlType>;
  param(name: string, pos: Position): Constant;
  /** Microseconds since the epoch, fixed for the whole query. */
  now: bigint;
  allowAggregates: boolean;
}

const INT_SUFFIX_TYPES: Record<string, PrimitiveName> = { t: 'Int8', s: 'Int16', l: 'Int64', u: 'Uint32', ut: 'Uint8', us: 'Uint16', ul: 'Uint64' };

function constantOf(type: YqlType, value: Value, literal: boolean): Compiled {
  return { type, value, literal, aggregate: false, constant: true, eval: () => value };
}

function derived(type: YqlType, parts: Compiled[], evaluate: (row: Row, group?: { count: number }) => Value): Compiled {
  return {
    type, value: null, literal: false, aggregate: parts.some((p) => p.aggregate), constant: parts.every((p) => p.constant),
    eval: evaluate,
  };
}

/** `T?` when any input may be NULL. */
function propagateOptional(t: YqlType, ...inputs: YqlType[]): YqlType {
  return inputs.some(isOptional) ? optional(t) : t;
}

export function compileExpr(expr: Expr, env: ExprEnv): Compiled {
  switch (expr.kind) {
    case 'number':
      return numberLiteral(expr.text, expr.suffix, expr.isFloat, expr.pos);
    case 'string':
      return stringLiteral(expr.bytes, expr.suffix, expr.pos);
    case 'bool':
      return constantOf(BOOL, expr.value, false);
    case 'null':
      return constantOf(NULL_TYPE, null, true);
    case 'param': {
      const c = env.param(expr.name, expr.pos);
      return constantOf(c.type, c.value, c.literal);
    }
    case 'column':
      return columnRef(expr.name, expr.pos, env);
    case 'unary':
      return unaryExpr(expr.op, expr.operand, expr.pos, env);
    case 'binary':
      return binaryExpr(expr.op, compileExpr(expr.left, env), compileExpr(expr.right, env), expr.pos);
    case 'isNull': {
      const operand = compileExpr(expr.operand, env);
      return derived(BOOL, [operand], (row, g) => (operand.eval(row, g) === null) !== expr.negated);
    }
    case 'in':
      return inExpr(compileExpr(expr.operand, env), expr.list.map((e) => compileExpr(e, env)), expr.negated, expr.pos);
    case 'between': {
      const x = compileExpr(expr.operand, env);
      const inside = binaryExpr('AND', binaryExpr('>=', x, compileExpr(expr.low, env), expr.pos), binaryExpr('<=', x, compileExpr(expr.high, env), expr.pos), expr.pos);
      return expr.negated ? notExpr(inside, expr.pos) : inside;
    }
    case 'cast':
      return castExpr(compileExpr(expr.operand, env), resolveTypeNode(expr.type), expr.pos);
    case 'call':
      return callExpr(expr, env);
  }
}

// ---------------------------------------------------------------- literals

function numberLiteral(text: string, suffix: string, isFloat: boolean, pos: Position): Compiled {
  if (isFloat) {
    const type = suffix === 'f' ? 'Float' : 'Double';
    const n = Number(text);
    return constantOf(primitive(type), type === 'Float' ? Math.fround(n) : n, true);
  }
  const n = BigInt(text.startsWith('-') ? `-${text.slice(1)}` : text);
  const candidates: PrimitiveName[] = suffix ? [INT_SUFFIX_TYPES[suffix]!] : ['Int32', 'Int64', 'Uint64'];
  for (const name of candidates) {
    const v = fitInteger(n, name);
    if (v !== undefined) return constantOf(primitive(name), v, true);
  }
  throw typeError(pos, `Failed to parse number from string: ${text}${suffix}, value is out of range for ${candidates.at(-1)}`);
}

function stringLiteral(bytes: Uint8Array, suffix: string, pos: Position): Compiled {
  switch (suffix) {
    case 'u': {
      const text = decodeUtf8(bytes);
      if (text === undefined) throw typeError(pos, 'Invalid UTF-8 in a Utf8 literal');
      return constantOf(primitive('Utf8'), text, true);
    }
    case 'j': {
      const text = decodeUtf8(bytes);
      const parsed = text === undefined ? undefined : parseFromText(primitive('Json'), text);
      if (parsed === undefined) throw typeError(pos, 'Invalid Json literal');
      return constantOf(primitive('Json'), parsed, true);
    }
    case 'y':
      return constantOf(primitive('Yson'), bytes, true);
    default:
      return constantOf(primitive('String'), bytes, true);
  }
}

function columnRef(name: string, pos: Position, env: ExprEnv): Compiled {
  if (!env.columns) throw typeError(pos, `Column references are not allowed without FROM: '${name}'`);
  const type = env.columns.get(name);
  if (!type) {
    const known = [...env.columns.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    throw typeError(pos, `Member not found: ${name}${known ? `. Did you mean ${known}?` : ''}`);
  }
  return { type, value: null, literal: false, aggregate: false, constant: false, eval: (row) => row[name] ?? null };
}

// ---------------------------------------------------------------- operators

function unaryExpr(op: '-' | '+' | 'NOT', operand: Expr, pos: Position, env: ExprEnv): Compiled {
  if (op === 'NOT') return notExpr(compileExpr(operand, env), pos);
  if (operand.kind === 'number' && op === '-') return numberLiteral(`-${operand.text}`, operand.suffix, operand.isFloat, operand.pos);
  const x = compileExpr(operand, env);
  const name = primitiveName(x.type);
  if (x.type.kind === 'null') return x;
  if (!(isInteger(name) || isFloating(name) || name === 'Interval' || baseType(x.type).kind === 'decimal')) {
    throw typeError(pos, `Unary ${op} expects a number, got ${formatType(x.type)}`);
  }
  if (op === '+') return x;
  const wrap = wrapper(baseType(x.type));
  return derived(x.type, [x], (row, g) => {
    const v = x.eval(row, g);
    return v === null ? null : wrap(typeof v === 'bigint' ? -v : -(v as number));
  });
}

function notExpr(x: Compiled, pos: Position): Compiled {
  ensureBool(x, pos);
  return derived(propagateOptional(BOOL, x.type), [x], (row, g) => {
    const v = x.eval(row, g);
    return v === null ? null : !v;
  });
}

function ensureBool(x: Compiled, pos: Position): void {
  if (x.type.kind !== 'null' && primitiveName(x.type) !== 'Bool') {
    throw typeError(pos, `Expected Bool or Optional<Bool>, but got: ${formatType(x.type)}`);
  }
}

/** Wraps integer results into the result type's range (YQL integer arithmetic wraps on overflow). */
function wrapper(t: YqlType): (v: Value) => Value {
  const info = integerInfo(primitiveName(t));
  if (!info) return (v) => v;
  return (v) => {
    const n = info.signed ? BigInt.asIntN(info.bits, BigInt(v as number | bigint)) : BigInt.asUintN(info.bits, BigInt(v as number | bigint));
    return info.bits === 64 ? n : Number(n);
  };
}

function binaryExpr(op: BinaryOp, l: Compiled, r: Compiled, pos: Position): Compiled {
  switch (op) {
    case 'AND':
    case 'OR':
      return logical(op, l, r, pos);
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(op, l, r, pos);
    case '||':
      return concat(l, r, pos);
    default:
      return arithmetic(op, l, r, pos);
  }
}

function logical(op: 'AND' | 'OR', l: Compiled, r: Compiled, pos: Position): Compiled {
  ensureBool(l, pos);
  ensureBool(r, pos);
  const decisive = op === 'OR';
  return derived(propagateOptional(BOOL, l.type, r.type), [l, r], (row, g) => {
    const a = l.eval(row, g);
    if (a === decisive) return decisive;
    const b = r.eval(row, g);
    if (b === decisive) return decisive;
    return a === null || b === null ? null : !decisive;
  });
}

/** Whether values of the two types can be compared (NULL compares with anything). */
export function comparable(a: YqlType, b: YqlType): boolean {
  if (a.kind === 'null' || b.kind === 'null') return true;
  const x = baseType(a);
  const y = baseType(b);
  if (x.kind === 'decimal' || y.kind === 'decimal') return x.kind === y.kind;
  const p = primitiveName(x)!;
  const q = primitiveName(y)!;
  const numeric = (n: PrimitiveName): boolean => isInteger(n) || isFloating(n);
  if (['Json', 'JsonDocument', 'Yson'].includes(p) || ['Json', 'JsonDocument', 'Yson'].includes(q)) return false;
  return p === q || (numeric(p) && numeric(q)) || (isStringLike(p) && isStringLike(q)) || (isTemporal(p) && isTemporal(q));
}

function comparison(op: BinaryOp, l: Compiled, r: Compiled, pos: Position): Compiled {
  if (!comparable(l.type, r.type)) {
    throw typeError(pos, `Cannot compare ${formatType(l.type)} with ${formatType(r.type)}`);
  }
  const test: Record<string, (c: number) => boolean> = {
    '=': (c) => c === 0, '!=': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0,
  };
  const holds = test[op]!;
  return derived(propagateOptional(BOOL, l.type, r.type), [l, r], (row, g) => {
    const a = l.eval(row, g);
    const b = r.eval(row, g);
    return a === null || b === null ? null : holds(compareValues(l.type, a, r.type, b));
  });
}

function inExpr(x: Compiled, list: Compiled[], negated: boolean, pos: Position): Compiled {
  for (const item of list) {
    if (!comparable(x.type, item.type)) throw typeError(pos, `Cannot compare ${formatType(x.type)} with ${formatType(item.type)}`);
  }
  return derived(propagateOptional(BOOL, x.type, ...list.map((i) => i.type)), [x, ...list], (row, g) => {
    const v = x.eval(row, g);
    if (v === null) return null;
    let sawNull = false;
    for (const item of list) {
      const w = item.eval(row, g);
      if (w === null) sawNull = true;
      else if (compareValues(x.type, v, item.type, w) === 0) return !negated;
    }
    return sawNull ? null : negated;
  });
}

function concat(l: Compiled, r: Compiled, pos: Position): Compiled {
  const p = primitiveName(l.type);
  const q = primitiveName(r.type);
  const ok = (t: YqlType, n: PrimitiveName | undefined): boolean => t.kind === 'null' || isStringLike(n);
  if (!ok(l.type, p) || !ok(r.type, q)) throw typeError(pos, `Cannot concatenate ${formatType(l.type)} and ${formatType(r.type)}`);
  const utf8 = p !== 'String' && q !== 'String';
  const result = propagateOptional(primitive(utf8 ? 'Utf8' : 'String'), l.type, r.type);
  return derived(result, [l, r], (row, g) => {
    const a = l.eval(row, g);
    const b = r.eval(row, g);
    if (a === null || b === null) return null;
    if (utf8) return `${a as string}${b as string}`;
    const bytes = (v: Value): Uint8Array => (typeof v === 'string' ? utf8Bytes(v) : (v as Uint8Array));
    return Uint8Array.from([...bytes(a), ...bytes(b)]);
  });
}

/** The integer type of a mixed-integer operation; a literal adapts to the other side when it fits. */
function integerResult(l: Compiled, r: Compiled): PrimitiveName {
  const p = primitiveName(l.type)!;
  const q = primitiveName(r.type)!;
  if (l.literal && l.constant && l.value !== null && fitInteger(BigInt(l.value as number | bigint), q) !== undefined) return q;
  if (r.literal && r.constant && r.value !== null && fitInteger(BigInt(r.value as number | bigint), p) !== undefined) return p;
  if (isSafeIntegerWidening(p, q)) return q;
  if (isSafeIntegerWidening(q, p)) return p;
  const bits = Math.min(64, Math.max(integerInfo(p)!.bits, integerInfo(q)!.bits) * 2);
  return `Int${bits}` as PrimitiveName;
}

function arithmetic(op: BinaryOp, l: Compiled, r: Compiled, pos: Position): Compiled {
  if (l.type.kind === 'null' || r.type.kind === 'null') {
    const other = l.type.kind === 'null' ? r : l;
    return constantOf(other.type.kind === 'null' ? NULL_TYPE : optional(baseType(other.type)), null, false);
  }
  const p = primitiveName(l.type);
  const q = primitiveName(r.type);
  const mismatch = (): never => {
    throw typeError(pos, `Cannot apply ${op} to ${formatType(l.type)} and ${formatType(r.type)}`);
  };
  if (isInteger(p) && isInteger(q)) {
    const name = integerResult(l, r);
    const mayBeNull = op === '/' || op === '%';
    const result = mayBeNull ? optional(primitive(name)) : propagateOptional(primitive(name), l.type, r.type);
    const wrap = wrapper(primitive(name));
    return derived(result, [l, r], (row, g) => {
      const a = l.eval(row, g);
      const b = r.eval(row, g);
      if (a === null || b === null) return null;
      const x = BigInt(a as number | bigint);
      const y = BigInt(b as number | bigint);
      if ((op === '/' || op === '%') && y === 0n) return null;
      const ops: Record<string, () => bigint> = { '+': () => x + y, '-': () => x - y, '*': () => x * y, '/': () => x / y, '%': () => x % y };
      return wrap(ops[op]!());
    });
  }
  if ((isInteger(p) || isFloating(p)) && (isInteger(q) || isFloating(q))) {
    const name: PrimitiveName = p === 'Float' && (q === 'Float' || isInteger(q)) || q === 'Float' && isInteger(p) ? 'Float' : 'Double';
    return derived(propagateOptional(primitive(name), l.type, r.type), [l, r], (row, g) => {
      const a = l.eval(row, g);
      const b = r.eval(row, g);
      if (a === null || b === null) return null;
      const x = Number(a);
      const y = Number(b);
      const v = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
      return name === 'Float' ? Math.fround(v) : v;
    });
  }
  return temporalArithmetic(op, l, r, mismatch);
}

/** Timestamp ± Interval, Timestamp − Timestamp, Interval ± Interval (and Date/Datetime alike). */
function temporalArithmetic(op: BinaryOp, l: Compiled, r: Compiled, mismatch: () => never): Compiled {
  const p = primitiveName(l.type);
  const q = primitiveName(r.type);
  let result: PrimitiveName;
  if (isTemporal(p) && q === 'Interval' && (op === '+' || op === '-')) result = p!;
  else if (p === 'Interval' && isTemporal(q) && op === '+') result = q!;
  else if (isTemporal(p) && isTemporal(q) && op === '-') result = 'Interval';
  else if (p === 'Interval' && q === 'Interval' && (op === '+' || op === '-')) result = 'Interval';
  else return mismatch();
  const micros = (t: YqlType, v: Value): bigint => (primitiveName(t) === 'Interval' ? (v as bigint) : temporalMicros(primitiveName(t)!, v));
  const type = result === 'Interval' ? propagateOptional(primitive(result), l.type, r.type) : optional(primitive(result));
  return derived(type, [l, r], (row, g) => {
    const a = l.eval(row, g);
    const b = r.eval(row, g);
    if (a === null || b === null) return null;
    const v = op === '+' ? micros(l.type, a) + micros(r.type, b) : micros(l.type, a) - micros(r.type, b);
    return result === 'Interval' ? v : (fromMicros(result, v) ?? null);
  });
}

// ---------------------------------------------------------------- CAST and functions

function castExpr(x: Compiled, target: YqlType, pos: Position): Compiled {
  const to = baseType(target);
  if (to.kind === 'null' || !isCastable(x.type, to)) throw typeError(pos, `Cannot cast type ${formatType(x.type)} into ${formatType(to)}`);
  const from = baseType(x.type);
  const lossless = sameType(from, to) || (isInteger(primitiveName(from)) && isSafeIntegerWidening(primitiveName(from)!, primitiveName(to)!));
  const type = lossless && !isOptional(target) ? (isOptional(x.type) ? optional(to) : to) : optional(to);
  return derived(type, [x], (row, g) => castValue(x.type, x.eval(row, g), to));
}

const AGGREGATES = new Set(['SUM', 'MIN', 'MAX', 'AVG', 'SOME', 'COUNT_IF', 'AGG_LIST', 'AGGREGATE_LIST', 'BOOL_AND', 'BOOL_OR', 'MEDIAN', 'PERCENTILE']);

function callExpr(expr: Extract<Expr, { kind: 'call' }>, env: ExprEnv): Compiled {
  const upper = expr.name.toUpperCase();
  const args = (): Compiled[] => expr.args.map((a) => compileExpr(a, env));
  const arity = (n: number): void => {
    if (expr.args.length !== n) throw typeError(expr.pos, `${expr.name} expects ${n} argument(s), got ${expr.args.length}`);
  };
  switch (upper) {
    case 'COUNT':
      if (!expr.star) throw unsupported(expr.pos, 'COUNT(expression)');
      if (!env.allowAggregates) throw typeError(expr.pos, 'Aggregation is not allowed in this context');
      return { type: primitive('Uint64'), value: null, literal: false, aggregate: true, constant: false, eval: (_row, g) => BigInt(g?.count ?? 0) };
    case 'JUST': {
      arity(1);
      const [x] = args();
      if (isOptional(x!.type)) throw unsupported(expr.pos, 'Just() of an optional value (nested Optional)');
      return derived(optional(x!.type), [x!], (row, g) => x!.eval(row, g));
    }
    case 'NOTHING': {
      const t = resolveTypeNode(expr.typeArgs[0]!);
      if (t.kind !== 'optional') throw typeError(expr.pos, `Nothing() expects an optional type, got ${formatType(t)}`);
      return constantOf(t, null, false);
    }
    case 'CURRENTUTCTIMESTAMP':
    case 'CURRENTUTCDATETIME':
    case 'CURRENTUTCDATE': {
      args(); // dependency arguments are type-checked but do not affect the value
      const name: PrimitiveName = upper === 'CURRENTUTCTIMESTAMP' ? 'Timestamp' : upper === 'CURRENTUTCDATETIME' ? 'Datetime' : 'Date';
      return constantOf(primitive(name), fromMicros(name, env.now) ?? null, false);
    }
    case 'COALESCE':
    case 'NVL':
      return coalesce(args(), expr.pos);
    case 'DECIMAL':
      return decimalLiteral(expr);
    case 'ENSURE':
      return ensure(args(), expr.pos);
    default: {
      const name = primitiveByName(expr.name);
      if (name) return typedLiteral(name, expr);
      if (AGGREGATES.has(upper)) throw unsupported(expr.pos, `Aggregate function ${expr.name}`);
      throw unsupported(expr.pos, `Function ${expr.name}`);
    }
  }
}

function coalesce(items: Compiled[], pos: Position): Compiled {
  if (items.length < 2) throw typeError(pos, 'COALESCE expects at least 2 arguments');
  const typed = items.filter((i) => i.type.kind !== 'null');
  const base = typed.length ? baseType(typed[0]!.type) : NULL_TYPE;
  for (const i of typed) {
    if (!sameType(baseType(i.type), base) && !comparable(i.type, base)) {
      throw typeError(pos, `COALESCE arguments have incompatible types: ${formatType(base)} and ${formatType(i.type)}`);
    }
  }
  const last = items.at(-1)!;
  const type = base.kind === 'null' ? NULL_TYPE : isOptional(last.type) ? optional(base) : base;
  return derived(type, items, (row, g) => {
    for (const i of items) {
      const v = i.eval(row, g);
      if (v !== null) return v;
    }
    return null;
  });
}

/**
 * `Ensure(value, condition [, message])`: the value, or the query fails when it
 * runs and the condition is not true (docs: yql/reference/builtins/basic.md#ensure;
 * text: yql/essentials/minikql/comp_nodes/mkql_ensure.cpp).
 */
function ensure(items: Compiled[], pos: Position): Compiled {
  if (items.length !== 2 && items.length !== 3) throw typeError(pos, `Ensure expects 2 or 3 arguments, got ${items.length}`);
  const [value, condition, message] = items as [Compiled, Compiled, Compiled | undefined];
  const conditionType = baseType(condition.type);
  if (conditionType.kind !== 'null' && primitiveName(conditionType) !== 'Bool') {
    throw typeError(pos, `Ensure expects a Bool condition, got ${formatType(condition.type)}`);
  }
  const messageType = message && primitiveName(baseType(message.type));
  if (message && messageType !== 'String' && messageType !== 'Utf8') {
    throw typeError(pos, `Ensure expects a String or Utf8 message, got ${formatType(message.type)}`);
  }
  return derived(value.type, items, (row, g) => {
    if (condition.eval(row, g) === true) return value.eval(row, g);
    const text = message?.eval(row, g) ?? '';
    const detail = typeof text === 'string' ? text : text instanceof Uint8Array ? Buffer.from(text).toString('utf8') : String(text);
    throw new EngineError('GENERIC_ERROR', [issue(`Condition violated${detail ? `:\n\n${detail}\n\n` : ''}`, { position: pos })]);
  });
}

/** The text of a literal argument of a type constructor (`Date("...")`, `Uint8(5)`). */
function literalText(arg: Expr | undefined, what: string, pos: Position): string {
  if (arg?.kind === 'string') {
    const text = decodeUtf8(arg.bytes);
    if (text !== undefined) return text;
  }
  if (arg?.kind === 'number') return `${arg.text}`;
  if (arg?.kind === 'unary' && arg.op === '-' && arg.operand.kind === 'number') return `-${arg.operand.text}`;
  throw typeError(pos, `${what} expects a string literal argument`);
}

function typedLiteral(name: PrimitiveName, expr: Extract<Expr, { kind: 'call' }>): Compiled {
  if (expr.args.length !== 1) throw typeError(expr.pos, `${name} expects 1 argument, got ${expr.args.length}`);
  const text = literalText(expr.args[0], name, expr.pos);
  const value = parseFromText(primitive(name), text);
  if (value === undefined) throw typeError(expr.pos, `Invalid value "${text}" for type ${name}`);
  return constantOf(primitive(name), value, false);
}

function decimalLiteral(expr: Extract<Expr, { kind: 'call' }>): Compiled {
  if (expr.args.length !== 3) throw typeError(expr.pos, `Decimal expects 3 arguments ("value", precision, scale), got ${expr.args.length}`);
  const text = literalText(expr.args[0], 'Decimal', expr.pos);
  const [precision, scale] = expr.args.slice(1).map((a) => (a.kind === 'number' && !a.isFloat ? Number(a.text) : NaN));
  if (!(precision! >= 1 && precision! <= 35 && scale! >= 0 && scale! <= precision!)) {
    throw typeError(expr.pos, 'Decimal precision and scale must be integer literals, 1 <= precision <= 35, 0 <= scale <= precision');
  }
  const value = parseDecimal(text, precision!, scale!);
  if (value === undefined) throw typeError(expr.pos, `Invalid value "${text}" for type Decimal(${precision},${scale})`);
  return constantOf({ kind: 'decimal', precision: precision!, scale: scale! }, value, false);
}

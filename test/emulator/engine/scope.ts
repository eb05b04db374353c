/**
 * What a query's statements bind as they run: DECLAREd parameters (checked
 * against the values sent with the request) and named expressions (`$x = ...;`).
 * Whether a parameter needs a DECLARE is settled by translate.ts, as are PRAGMAs.
 */
import type { Ydb } from 'ydb-sdk-proto';
import { EngineError, IssueCode, issue, type Position } from './errors.js';
import type { Constant } from './expressions.js';
import { fromTypedValue, type ParamValue } from './proto.js';
import { unknownName } from './translate.js';
import { formatType, sameType, type YqlType } from './types.js';

export class Scope {
  private readonly named = new Map<string, Constant>();
  private readonly params = new Map<string, ParamValue>();

  constructor(params: Record<string, Ydb.ITypedValue>) {
    for (const [key, tv] of Object.entries(params)) {
      const name = key.startsWith('$') ? key.slice(1) : key;
      this.params.set(name, fromTypedValue(`$${name}`, tv));
    }
  }

  /** DECLARE $name AS type: the value must have been sent, with exactly that type (NULL if optional and absent). */
  declare(name: string, type: YqlType, pos: Position): void {
    const given = this.params.get(name);
    if (!given) {
      if (type.kind !== 'optional') throw badRequest(`Missing value for parameter: $${name}`, pos);
      this.params.set(name, { type, value: null });
      return;
    }
    if (!sameType(given.type, type)) {
      throw badRequest(`Parameter $${name} type mismatch, expected: ${formatType(type)}, actual: ${formatType(given.type)}`, pos);
    }
  }

  bind(name: string, value: Constant): void {
    this.named.set(name, value);
  }

  lookup(name: string, pos: Position): Constant {
    const named = this.named.get(name);
    if (named) return named;
    const param = this.params.get(name);
    if (param) return { ...param, literal: false };
    throw unknownName(pos, name);
  }
}

function badRequest(message: string, pos: Position): EngineError {
  return new EngineError('BAD_REQUEST', [issue(message, { position: pos, code: IssueCode.BAD_REQUEST })]);
}

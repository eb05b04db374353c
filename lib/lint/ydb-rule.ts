/** Lint's view of YDB's rulebook: each refusal is an error-level rule, its summary and fix taken from lib/rules/ydb-rules.ts. */
import { YDB_RULES, type YdbRuleId } from '../rules/ydb-rules.js';
import type { ResolvedType } from '../rules/column-types.js';
import type { RuleInfo } from './types.js';

export function ydbRule(id: YdbRuleId): RuleInfo {
  return { id, severity: 'error', summary: YDB_RULES[id].what, fix: YDB_RULES[id].fix };
}

/** How a type reads in a message. */
export function typeName(resolved: ResolvedType, written: string): string {
  if (resolved.kind === 'simple') return resolved.type.name;
  if (resolved.kind === 'decimal') return resolved.name;
  if (resolved.kind === 'serial') return resolved.serial.name;
  if (resolved.kind === 'pg') return resolved.name;
  return written;
}

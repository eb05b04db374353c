/**
 * In-file suppression: `-- ydb-migrate:disable RULE-ID[, RULE-ID...] [reason]`
 * on the line before a statement (that statement), or in the comments that
 * open a file, apart from its first statement (the whole file).
 */
import type { Statement } from '../yql/blocks.js';
import type { Finding, RuleInfo } from './types.js';

export const UNKNOWN_RULE: RuleInfo = {
  id: 'unknown-rule',
  severity: 'error',
  summary: 'a ydb-migrate:disable comment naming a rule that does not exist',
  fix: 'use an id `ydb-migrate lint --help` lists (see README, Lint), or remove it',
};

const DISABLE = /^(\s*--\s*ydb-migrate:disable\s+)([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)/;

interface Suppression {
  rules: Set<string>;
  /** Lines it covers, inclusive; the whole file is 1..Infinity. */
  from: number;
  to: number;
}

/**
 * The findings in `file` that its suppressions leave, plus an `unknown-rule`
 * finding for each unknown id. `text` and `statements` are the file's.
 */
export function applySuppressions(file: string, text: string, statements: readonly Statement[], findings: Finding[], known: ReadonlySet<string>): Finding[] {
  if (!text.includes('ydb-migrate:disable')) return findings;
  const lines = text.split('\n');
  const suppressions: Suppression[] = [];
  const unknown: Finding[] = [];
  lines.forEach((line, i) => {
    const match = DISABLE.exec(line);
    if (!match) return;
    const lineNo = i + 1;
    let column = match[1]!.length + 1;
    const rules = new Set<string>();
    for (const part of match[2]!.split(',')) {
      const id = part.trim();
      const at = column + part.indexOf(id);
      column += part.length + 1;
      if (known.has(id)) rules.add(id);
      else unknown.push({ rule: UNKNOWN_RULE.id, severity: UNKNOWN_RULE.severity, message: `ydb-migrate:disable names ${id}, which is not a lint rule`, fix: UNKNOWN_RULE.fix, location: { file, line: lineNo, column: at } });
    }
    suppressions.push({ rules, ...scopeOf(lineNo, lines, statements) });
  });
  const kept = findings.filter((f) => !suppressions.some((s) => s.rules.has(f.rule) && f.location.line >= s.from && f.location.line <= s.to));
  return [...kept, ...unknown];
}

/**
 * The statement that starts after the comment, with nothing but comments
 * between; the whole file for a comment before the first statement that
 * a blank line keeps apart from it (or in a file with no statements).
 */
function scopeOf(line: number, lines: readonly string[], statements: readonly Statement[]): { from: number; to: number } {
  const next = statements.find((s) => s.line > line);
  const whole = { from: 1, to: Number.POSITIVE_INFINITY };
  if (!next) return statements.length === 0 ? whole : { from: line, to: line };
  const between = lines.slice(line, next.line - 1);
  const adjacent = between.every((l) => /^\s*--/.test(l));
  if (!adjacent && next === statements[0]) return whole;
  if (!adjacent) return { from: line, to: line };
  return { from: next.line, to: next.line + countLines(next.text) - 1 };
}

function countLines(text: string): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

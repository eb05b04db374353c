/**
 * Whether two texts of a migration hold the same statements: their token
 * streams compared without whitespace and comments, which YDB treats as a
 * space ("The comment is not a part of the command and is syntactically
 * equivalent to a space character", ydb/docs/en/core/yql/reference/syntax/lexer.md).
 * A comment whose first character is `+` is an SQL hint (same page, "SQL
 * hints"): it can change the plan, so it counts as part of the statement.
 * Every other token is compared by its exact text: identifiers are
 * case-sensitive in YQL and the lexer cannot tell a keyword from a name, so
 * a change of letter case counts as a change.
 */
import type { SourceLocation } from '../errors.js';
import { tokenize } from './lexer.js';

export interface TextOf {
  text: string;
  /** How the text is named in a location: a file path, or where a stored copy came from. */
  file: string;
}

/** Where two texts first differ, in statement terms. */
export interface StatementChange {
  /** 1-based: which statement of the current text holds the first difference (statements end at `;`). */
  statement: number;
  /** The first differing token of the current text, or its end when the current text stops short. */
  at: SourceLocation;
  /** That token's text in each version; null where that version has no more statements. */
  was: string | null;
  now: string | null;
}

/**
 * Null when `current` differs from `applied` only in whitespace and
 * comments; else where it first differs. Both texts are read whole first,
 * so one that does not lex is always an error (YQL_UNTERMINATED, with its
 * file, line and column), wherever the first difference lies.
 */
export function statementChange(applied: TextOf, current: TextOf): StatementChange | null {
  const before = significantTokens(applied);
  const after = significantTokens(current);
  let statement = 1;
  for (let i = 0; ; i++) {
    const was = before[i]?.text ?? null;
    const now = after[i]?.text ?? null;
    if (was === null && now === null) return null;
    if (was !== now) return { statement, at: after[i]?.at ?? endOf(current), was, now };
    if (now === ';') statement++;
  }
}

/** The tokens of a text that YDB does not read as a space. */
function significantTokens(source: TextOf): { text: string; at: SourceLocation }[] {
  return tokenize(source.text, source.file)
    .filter((t) => t.kind !== 'ws' && !(t.kind === 'comment' && !isHint(t.text)))
    .map((t) => ({ text: t.text, at: { file: source.file, line: t.line, column: t.column } }));
}

function endOf(source: TextOf): SourceLocation {
  const lines = source.text.split('\n');
  return { file: source.file, line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** `--+ ...` or `/*+ ... *\/`: both comment forms open with two characters before the `+`. */
function isHint(comment: string): boolean {
  return comment[2] === '+';
}

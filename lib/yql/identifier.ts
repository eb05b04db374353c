/** YQL identifiers and paths as query text. */

const NEEDS_ESCAPE_IN_IDENTIFIER = /[\\`\x00-\x1f\x7f]/;

/** A YQL identifier or path in backticks, with C escapes for '\', '`' and control characters. */
export function quoteIdentifier(path: string): string {
  if (!NEEDS_ESCAPE_IN_IDENTIFIER.test(path)) return `\`${path}\``;
  const escaped = path.replace(/[\\`\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\' || c === '`') return `\\${c}`;
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `\`${escaped}\``;
}

/**
 * A line diff of two texts (longest common subsequence), printed with `-`
 * for lines only in the first, `+` for lines only in the second and two
 * spaces for lines in both; unchanged runs far from a change are elided.
 */

const CONTEXT = 2;

export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // lengths[i][j]: LCS length of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const lines: { mark: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) lines.push({ mark: ' ', text: a[i++]! }), j++;
    else if (j < b.length && (i === a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) lines.push({ mark: '+', text: b[j++]! });
    else lines.push({ mark: '-', text: a[i++]! });
  }
  const near = (k: number): boolean => lines.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((l) => l.mark !== ' ');
  const shown: string[] = [];
  lines.forEach((line, k) => {
    if (near(k)) shown.push(`${line.mark} ${line.text}`.trimEnd());
    else if (shown[shown.length - 1] !== '  ...') shown.push('  ...');
  });
  return shown.join('\n');
}

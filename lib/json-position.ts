/** Where in a JSON text `JSON.parse` failed, from its message ("... at position 14"); the end for a text cut short. */
import type { SourceLocation } from './errors.js';

export function jsonErrorLocation(file: string, text: string, err: unknown): SourceLocation {
  const message = err instanceof Error ? err.message : '';
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : 0;
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: before[before.length - 1]!.length + 1 };
}

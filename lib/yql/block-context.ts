import { NONE } from './scan.js';
import type { Statement } from './statement.js';

/**
 * A block's context: every PRAGMA before the block, and the named
 * expressions its statements read before they define them themselves: for
 * each such name, its last definition before the block, and, for what that
 * definition reads, their last definitions before it, and so on. Indexed
 * once per file, so that a file of many blocks costs no rescan per block.
 */
export class ContextFinder {
  /** Indexes of the PRAGMA statements, ascending. */
  private readonly pragmas: number[] = [];
  /** For each name, the indexes of the `$name = ...` statements that define it, ascending. */
  private readonly definitions = new Map<string, number[]>();

  /** The finder for `all`; null when it holds no PRAGMA and no `$x = ...`, so that no block has a context. */
  static of(all: Statement[]): ContextFinder | null {
    return all.some(({ role }) => role === 'pragma' || role === 'expr') ? new ContextFinder(all) : null;
  }

  private constructor(private readonly all: Statement[]) {
    all.forEach((statement, index) => {
      if (statement.role === 'pragma') this.pragmas.push(index);
      for (const name of statement.role === 'expr' ? statement.defines : NONE) {
        const at = this.definitions.get(name);
        if (!at) this.definitions.set(name, [index]);
        else if (at[at.length - 1] !== index) at.push(index);
      }
    });
  }

  of(firstIndex: number, lastIndex: number): Statement[] {
    const chosen = new Set<number>();
    const wanted: [name: string, before: number][] = [];
    const definedInBlock = new Set<string>();
    for (let i = firstIndex; i <= lastIndex; i++) {
      const { params, defines } = this.all[i]!;
      for (const name of params) if (!definedInBlock.has(name)) wanted.push([name, firstIndex]);
      for (const name of defines) definedInBlock.add(name);
    }
    for (let next = wanted.pop(); next; next = wanted.pop()) {
      const definition = lastBefore(this.definitions.get(next[0]), next[1]);
      if (definition === -1 || chosen.has(definition)) continue;
      chosen.add(definition);
      for (const name of this.all[definition]!.params) wanted.push([name, definition]);
    }
    const pragmaCount = countBefore(this.pragmas, firstIndex);
    if (pragmaCount === 0 && chosen.size === 0) return NONE;
    const indexes = [...this.pragmas.slice(0, pragmaCount), ...chosen].sort((a, b) => a - b);
    return indexes.map((i) => this.all[i]!);
  }
}

/** How many of the ascending `indexes` are below `limit`. */
function countBefore(indexes: readonly number[], limit: number): number {
  let low = 0;
  let high = indexes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (indexes[mid]! < limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The greatest of the ascending `indexes` below `limit`; -1 when none is. */
function lastBefore(indexes: readonly number[] | undefined, limit: number): number {
  if (!indexes) return -1;
  const count = countBefore(indexes, limit);
  return count === 0 ? -1 : indexes[count - 1]!;
}

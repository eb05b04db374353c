/**
 * The import graph of lib/, read from the sources (static, type-only and
 * dynamic `import('...')` imports alike): no file reaches itself through its
 * imports, and ydb-sdk is imported only inside lib/ydb/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { PACKAGE_ROOT } from '../lib/package-info.js';

const LIB = join(PACKAGE_ROOT, 'lib');
const STATIC = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/g;
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g;

/** Each file's imports (paths relative to lib/, `.js` read as the `.ts` it is built from); packages by name. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(LIB, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(LIB, file), 'utf8');
    const specifiers = [...text.matchAll(STATIC), ...text.matchAll(DYNAMIC)].map((m) => m[1]!);
    graph.set(file, specifiers.map((s) => (s.startsWith('.') ? normalize(join(dirname(file), s)).replace(/\.js$/, '.ts') : s)));
  }
  return graph;
}

/** One circle of the graph as the files along it, or null when it has none (depth-first, each file once). */
export function findCircle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file) || !graph.has(file)) return null;
    path.push(file);
    for (const next of graph.get(file)!) {
      const circle = visit(next);
      if (circle) return circle;
    }
    path.pop();
    done.add(file);
    return null;
  };
  for (const file of graph.keys()) {
    const circle = visit(file);
    if (circle) return circle;
  }
  return null;
}

test('the circle finder finds a circle, and none where there is none', () => {
  assert.deepEqual(findCircle(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts', 'x']], ['c.ts', ['a.ts']]])), ['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  assert.equal(findCircle(new Map([['a.ts', ['b.ts', 'c.ts']], ['b.ts', ['c.ts']], ['c.ts', []]])), null);
});

test('the import graph reads every lib/ file and the imports it knows are there', () => {
  const graph = importGraph();
  assert.ok(graph.get('index.ts')!.includes('migrator.ts'));
  assert.ok(graph.get('migrator.ts')!.includes('schema/verify.ts'), 'a dynamic import counts');
  assert.ok(graph.get('ydb/execute.ts')!.includes('ydb-sdk'));
});

test('no file of lib/ reaches itself through its imports', () => {
  assert.deepEqual(findCircle(importGraph()), null);
});

test('ydb-sdk is imported only inside lib/ydb/ (and by the CLI bundle that loads it)', () => {
  const outside = [...importGraph()].filter(([file, imports]) => imports.includes('ydb-sdk') && !file.startsWith('ydb/') && file !== 'cli/bundled-ydb-sdk.ts');
  assert.deepEqual(outside.map(([file]) => file), []);
});

/**
 * The floor bench/offline measures `sql` against: a node process that reads every file of a
 * migrations directory (as `sql` must) and writes their concatenation, doing nothing else.
 *   node dist/bench/floor.js DIR OUT
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, out] = process.argv.slice(2) as [string, string];
const texts = readdirSync(dir)
  .sort()
  .map((name) => readFileSync(join(dir, name), 'utf8'));
writeFileSync(out, texts.join('\n'));

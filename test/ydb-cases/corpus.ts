/**
 * The whole conformance corpus: every `*.cases.js` module beside this one
 * exports `cases: YdbCase[]`. Files are found at run time, so a source's cases
 * live in a file of their own and no list needs editing when one is added.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { YdbCase } from './case.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every case, in file order then case order; throws when two cases share an id. */
export async function loadCorpus(): Promise<YdbCase[]> {
  const files = readdirSync(here).filter((name) => name.endsWith('.cases.js')).sort();
  const all: YdbCase[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(here, file)).href)) as { cases?: YdbCase[] };
    if (!Array.isArray(module.cases)) throw new Error(`${file} exports no cases array`);
    for (const c of module.cases) {
      if (seen.has(c.id)) throw new Error(`case id ${c.id} appears twice (second in ${file})`);
      seen.add(c.id);
      all.push(c);
    }
  }
  return all;
}

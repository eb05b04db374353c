/** Migration sets for the watch tests, read from files the way watch reads them. */
import { join } from 'node:path';
import { loadMigrationSet, type MigrationSet } from '../../lib/migration.js';
import { tempTree } from '../helpers/cli.js';

/** Each migration as `name: [up, down?]`, listed in this order (plus `extra` manifest lines at the end). */
export type Spec = Record<string, [up: string, down?: string]>;

export async function loadSpec(spec: Spec, extra = ''): Promise<MigrationSet> {
  const files: Record<string, string> = { 'sql/manifest.txt': `${Object.keys(spec).join('\n')}\n${extra}` };
  for (const [name, [up, down]] of Object.entries(spec)) {
    files[`sql/${name}.up.yql`] = up;
    if (down !== undefined) files[`sql/${name}.down.yql`] = down;
  }
  // As watch loads it: files being written (an empty up, an unlisted file) are warnings.
  return loadMigrationSet(join(await tempTree(files), 'sql'), { drafts: 'warn' });
}

export function table(name: string): [up: string, down: string] {
  return [`CREATE TABLE ${name} (id Uint64 NOT NULL, PRIMARY KEY (id));\n`, `DROP TABLE ${name};\n`];
}

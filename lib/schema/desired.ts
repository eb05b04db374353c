/** The database's schema against a desired schema file: what `diff --schema` prints and `create --schema` writes. */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { MigrateError } from '../errors.js';
import type { Migrator } from '../migrator.js';
import { diffSchemas, type SchemaDiff } from './diff.js';
import { parseSchema } from './parse.js';

export async function diffWithFile(migrator: Migrator, file: string, allowDrop: boolean): Promise<SchemaDiff> {
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new MigrateError('SCHEMA_UNREADABLE', `cannot read the desired schema ${shown}: ${(err as Error).message}`, { cause: err });
  }
  const desired = parseSchema(text, shown);
  return diffSchemas(await migrator.schema(), desired, { allowDrop, desiredFile: shown });
}

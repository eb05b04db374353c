/** The database's schema against a desired schema file: what `diff --schema` prints and `create --schema` writes. */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { MigrateError } from '../errors.js';
import type { Migrator } from '../migrator.js';
import { diffSchemas, type DiffOptions, type SchemaDiff } from './diff.js';
import { parseSchema } from './parse.js';
import { refuseLintErrors } from './self-lint.js';

export type DesiredSchemaOptions = Omit<DiffOptions, 'desiredFile'>;

export async function diffWithFile(migrator: Migrator, file: string, options: DesiredSchemaOptions): Promise<SchemaDiff> {
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new MigrateError('SCHEMA_UNREADABLE', `cannot read the desired schema ${shown}: ${(err as Error).message}`, { cause: err });
  }
  const desired = parseSchema(text, shown);
  const current = await migrator.schema();
  const diff = diffSchemas(current, desired, { ...options, desiredFile: shown });
  refuseLintErrors(current, diff, options.ydbVersion);
  return diff;
}

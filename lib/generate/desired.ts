/** The database's schema against a desired schema file: what `diff --schema` prints and `create --schema` writes. */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { MigrateError } from '../errors.js';
import { diffSchemas, type DiffOptions, type SchemaDiff } from '../schema/diff.js';
import type { CurrentSchema } from '../schema/model.js';
import { parseSchema } from '../schema/parse.js';
import { refuseLintErrors } from './self-lint.js';

export type DesiredSchemaOptions = Omit<DiffOptions, 'desiredFile'>;

export interface GeneratedMigration extends SchemaDiff {
  /** `-- current schema: ...`, the first line of what is printed or written. */
  header: string;
}

export async function diffWithFile(current: CurrentSchema, file: string, options: DesiredSchemaOptions): Promise<GeneratedMigration> {
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new MigrateError('SCHEMA_UNREADABLE', `cannot read the desired schema ${shown}: ${(err as Error).message}`, { cause: err });
  }
  const desired = parseSchema(text, shown);
  const diff = diffSchemas(current.schema, desired, { ...options, desiredFile: shown });
  refuseLintErrors(current.schema, diff, options.ydbVersion);
  return { ...diff, header: `-- current schema: ${current.source}\n` };
}

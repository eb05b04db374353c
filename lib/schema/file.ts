/**
 * The config's "schemaFile" (dbmate's habit): the schema as `ydb-migrate
 * schema` prints it, rewritten after every successful up, down, redo and
 * watch run, so schema changes show up in code review; status warns when
 * the file no longer matches the database.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { MigrateError, type Warning } from '../errors.js';
import type { Connection } from '../ydb/driver.js';
import { readSchema } from './read.js';
import { renderSchema } from './render.js';

export async function writeSchemaFile(connection: Connection, historyTable: string, file: string): Promise<void> {
  const text = renderSchema(await readSchema(connection, historyTable));
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new MigrateError('SCHEMA_FILE_WRITE', `the run succeeded, but the schema file ${shown(file)} could not be written: ${(err as Error).message}; run \`ydb-migrate schema -o ${shown(file)}\``, { kind: 'runtime', cause: err });
  }
}

/** A warning when `file` is missing or differs from the database's schema; null when it matches. */
export async function staleSchemaFile(connection: Connection, historyTable: string, file: string): Promise<Warning | null> {
  const text = renderSchema(await readSchema(connection, historyTable));
  let written: string | null;
  try {
    written = await readFile(file, 'utf8');
  } catch {
    written = null;
  }
  if (written === text) return null;
  const why = written === null ? 'does not exist' : "does not match the database's schema";
  return { code: 'SCHEMA_FILE_STALE', message: `the schema file ${shown(file)} ${why}; rewrite it with \`ydb-migrate schema -o ${shown(file)}\` (up, down and redo rewrite it after each run)` };
}

function shown(file: string): string {
  return relative(process.cwd(), file) || file;
}

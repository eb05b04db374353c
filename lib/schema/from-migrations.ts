/**
 * The current schema taken from the migration history instead of a database
 * (`diff --from-migrations`, Atlas-style): every up of the set, in manifest
 * order, replayed by lint's schema model (./replay.ts). What the replay does
 * not keep is refused rather than guessed, since a guess would show up as a
 * change in the generated migration.
 */
import { relative } from 'node:path';
import { MigrateError } from '../errors.js';
import { loadMigrationSet } from '../migration.js';
import { readDdl } from '../yql/ddl.js';
import { canonical, type CurrentSchema } from './model.js';
import { parseSchema } from './parse.js';
import { renderSchema } from './render.js';
import { ReplayedSchema } from './replay.js';

export async function schemaFromMigrations(dir: string): Promise<CurrentSchema> {
  const shown = relative(process.cwd(), dir) || dir;
  const set = await loadMigrationSet(dir);
  const replay = new ReplayedSchema();
  for (const migration of set.migrations) {
    for (const statement of migration.up.statements) replay.apply(readDdl(statement, migration.up.path));
  }
  const tables = replay.tables();
  const unkept = tables.flatMap((t) => replay.unkept(t.path).map((what) => `table ${t.path}: ${what}`));
  const refuse = (details: string[]): never => {
    throw new MigrateError('DIFF_REPLAY_INCOMPLETE', `the migrations in ${shown}, replayed without a database, leave a schema ydb-migrate cannot model exactly; diff against the database instead (without --from-migrations)`, { details });
  };
  if (unkept.length > 0) refuse(unkept);
  // Through the desired-schema reader, so that defaults and settings have the spelling a schema read gives.
  const text = renderSchema(canonical({ tables, others: [] }));
  let schema;
  try {
    schema = parseSchema(text, 'the replayed schema');
  } catch (err) {
    return refuse([(err as Error).message]);
  }
  const last = set.migrations.at(-1)?.name;
  return { schema, source: last ? `replayed from the migrations in ${shown} up to ${last}` : `replayed from the migrations in ${shown} (none yet)` };
}

import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import type { DesiredSchemaOptions, GeneratedMigration } from '../../generate/desired.js';
import type { CurrentSchema } from '../../schema/model.js';
import { redactUserInfo } from '../../ydb/settings.js';
import { action, type ArgsOf, type BuiltArgs, type CommandContext, type GlobalArgs } from '../context.js';
import { openMigrator, withConnectOptions } from '../online.js';

/** What `--schema` says, for `diff` (which needs it) and `create` (where it is optional). */
export const SCHEMA_OPTION = { type: 'string', describe: 'The desired schema: YQL CREATE TABLE statements, as `ydb-migrate schema` prints them' } as const;

/** The options `diff` and `create --schema` share, besides --schema itself. */
export function withSchemaFileOptions<T extends GlobalArgs>(y: Argv<T>) {
  return withConnectOptions(y)
    .option('allow-drop', { type: 'boolean', default: false, describe: 'Allow dropping tables, columns, indexes and changefeeds the desired schema lacks (their data cannot be brought back)' })
    .option('rename', { type: 'string', array: true, describe: 'OLD=NEW: table OLD of the database is NEW in the desired schema (ALTER TABLE ... RENAME TO keeps its rows); repeatable' })
    .option('rename-guess', { type: 'boolean', default: true, describe: 'Refuse a dropped table (or column) and a new one of the same shape as a likely rename; --no-rename-guess drops and adds' })
    .option('from-migrations', { type: 'boolean', default: false, describe: "Take the current schema from the migrations (every up, replayed without a database) instead of reading the database's" })
    .option('ydb-version', { type: 'string', describe: 'The oldest YDB (MAJOR.MINOR) the migration must run on: what it would refuse is not generated (as `lint --ydb-version`)' });
}

const builder = (y: Argv<GlobalArgs>) =>
  withSchemaFileOptions(y)
    .option('schema', { ...SCHEMA_OPTION, demandOption: true })
    .example('$0 diff --schema schema.yql', 'what a migration to schema.yql would run')
    .example('$0 create add_orders --schema schema.yql', 'write it as the next migration')
    .example('$0 diff --schema schema.yql --rename users=accounts', 'table users becomes accounts, rows kept')
    .example('$0 diff --schema schema.yql --from-migrations', 'from the schema the migrations make, not the database (drift does not leak in)');
type SchemaFileArgs = ArgsOf<typeof builder>;
/** What `diff` and `create --schema` both get, besides the file (yargs' own types keep an index signature, so Pick, not Omit). */
type SchemaSourceArgs = Pick<SchemaFileArgs, 'allowDrop' | 'renameGuess' | 'rename' | 'fromMigrations' | 'ydbVersion'>;

/** The migration from the current schema (the database's, or the migrations' with --from-migrations) to the one in `schema`. */
export async function generateMigration(schema: string, args: SchemaSourceArgs, ctx: CommandContext): Promise<GeneratedMigration> {
  const { diffWithFile } = await import('../../generate/desired.js');
  return diffWithFile(await currentSchema(args, ctx), schema, desiredSchemaOptions(args));
}

async function currentSchema(args: SchemaSourceArgs, ctx: CommandContext): Promise<CurrentSchema> {
  if (args.fromMigrations) {
    const { schemaFromMigrations } = await import('../../schema/from-migrations.js');
    return schemaFromMigrations(ctx.config.dir);
  }
  return { schema: await (await openMigrator(ctx)).schema(), source: `read from ${redactUserInfo(ctx.config.connectionString)}` };
}

function desiredSchemaOptions(args: SchemaSourceArgs): DesiredSchemaOptions {
  return {
    allowDrop: args.allowDrop,
    noRenameGuess: !args.renameGuess,
    renames: new Map((args.rename ?? []).map(renamePair)),
    ...(args.ydbVersion === undefined ? {} : { ydbVersion: args.ydbVersion }),
  };
}

function renamePair(given: string): [string, string] {
  const at = given.indexOf('=');
  const [from, to] = [given.slice(0, at).trim(), given.slice(at + 1).trim()];
  if (at < 0 || from === '' || to === '') throw new MigrateError('USAGE', `--rename takes OLD=NEW (table paths as \`schema\` prints them), not "${given}"`);
  return [from, to];
}

export const diffCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'diff',
  describe: 'Print the up and down statements that take the database to the schema in --schema FILE',
  builder,
  handler: action<SchemaFileArgs>(async (args, ctx) => {
    const diff = await generateMigration(args.schema, args, ctx);
    if (ctx.out.json) return ctx.out.data({ ok: true, ...diff });
    if (diff.changes.length === 0) return ctx.out.line(`no differences: ${args.fromMigrations ? 'the migrations reach' : 'the database matches'} ${args.schema}`);
    ctx.out.raw(`${diff.header}-- up\n${diff.up}\n-- down\n${diff.down}`);
  }),
};

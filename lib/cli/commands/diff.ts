import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import { diffWithFile, type DesiredSchemaOptions } from '../../schema/desired.js';
import { action, type GlobalArgs } from '../context.js';
import { openMigrator, withConnectOptions, type ConnectArgs } from '../online.js';

export interface SchemaFileArgs extends ConnectArgs {
  schema: string;
  allowDrop: boolean;
  ydbVersion?: string;
  rename?: string[];
  renameGuess: boolean;
}

/** The options `diff` and `create --schema` share. */
export function withSchemaFileOptions<T extends GlobalArgs>(y: Argv<T>, demand: boolean): Argv<T & SchemaFileArgs> {
  return withConnectOptions(y)
    .option('schema', { type: 'string', demandOption: demand, describe: 'The desired schema: YQL CREATE TABLE statements, as `ydb-migrate schema` prints them' })
    .option('allow-drop', { type: 'boolean', default: false, describe: 'Allow dropping tables, columns, indexes and changefeeds the desired schema lacks (their data cannot be brought back)' })
    .option('rename', { type: 'string', array: true, describe: 'OLD=NEW: table OLD of the database is NEW in the desired schema (ALTER TABLE ... RENAME TO keeps its rows); repeatable' })
    .option('rename-guess', { type: 'boolean', default: true, describe: 'Refuse a dropped table (or column) and a new one of the same shape as a likely rename; --no-rename-guess drops and adds' })
    .option('ydb-version', { type: 'string', describe: 'The oldest YDB (MAJOR.MINOR) the migration must run on: what it would refuse is not generated (as `lint --ydb-version`)' }) as unknown as Argv<T & SchemaFileArgs>;
}

export function desiredSchemaOptions(args: Omit<SchemaFileArgs, 'schema'>): DesiredSchemaOptions {
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

export const diffCommand: CommandModule<GlobalArgs, SchemaFileArgs> = {
  command: 'diff',
  describe: 'Print the up and down statements that take the database to the schema in --schema FILE',
  builder: (y: Argv<GlobalArgs>) =>
    withSchemaFileOptions(y, true)
      .example('$0 diff --schema schema.yql', 'what a migration to schema.yql would run')
      .example('$0 create add_orders --schema schema.yql', 'write it as the next migration')
      .example('$0 diff --schema schema.yql --rename users=accounts', 'table users becomes accounts, rows kept') as unknown as Argv<SchemaFileArgs>,
  handler: action<SchemaFileArgs>(async (args, ctx) => {
    const diff = await diffWithFile(await openMigrator(ctx), args.schema, desiredSchemaOptions(args));
    if (ctx.out.json) return ctx.out.data({ ok: true, ...diff });
    if (diff.changes.length === 0) return ctx.out.line(`no differences: the database matches ${args.schema}`);
    ctx.out.raw(`-- up\n${diff.up}\n-- down\n${diff.down}`);
  }),
};

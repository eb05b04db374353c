import { stat, writeFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import { refuseForeignFile } from '../../offline/output.js';
import { isWrittenSchema, renderSchema } from '../../schema/render.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, withConnectOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withConnectOptions(y)
    .option('output', { alias: 'o', type: 'string', describe: 'Write to FILE instead of stdout; an existing FILE must be an earlier output of `schema`' })
    .option('force', { type: 'boolean', default: false, describe: 'With -o: overwrite FILE even if `schema` did not write it' })
    .example('$0 schema -o schema.yql', 'dump the schema for code review')
    .example('$0 schema --json', 'the schema model as JSON');
type SchemaArgs = ArgsOf<typeof builder>;

export const schemaCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'schema',
  describe: "Print the database's schema as YQL CREATE TABLE statements (sorted, one spelling: diffable); --json prints the model",
  builder,
  handler: action<SchemaArgs>(async (args, ctx) => {
    // Before the database is read: a refused path fails fast, with no connection.
    if (args.output !== undefined && (await isFile(args.output))) await refuseForeignFile(args.output, args.force, isWrittenSchema, 'a schema written by `ydb-migrate schema`');
    const schema = await (await openMigrator(ctx)).schema();
    const text = ctx.out.json ? `${JSON.stringify(schema, null, 2)}\n` : renderSchema(schema);
    if (args.output === undefined) return ctx.out.raw(text);
    try {
      await writeFile(args.output, text);
    } catch (err) {
      throw new MigrateError('SCHEMA_WRITE', `cannot write ${args.output}: ${(err as Error).message}`, { kind: 'runtime', cause: err });
    }
    ctx.out.line(`wrote the schema to ${args.output}`);
    ctx.out.data({ ok: true, file: args.output });
  }),
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

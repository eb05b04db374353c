import type { Argv, CommandModule } from 'yargs';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, reportRun, withLockOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withLockOptions(y)
    .positional('name', { type: 'string', demandOption: true, describe: 'The last migration the database already has' })
    .example('$0 baseline 0003_create_episodes', 'the database already has 0001..0003; up will start at 0004');
type BaselineArgs = ArgsOf<typeof builder>;

export const baselineCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'baseline <name>',
  describe: 'Record every migration up to NAME as applied without running it (for a database made before ydb-migrate)',
  builder,
  handler: action<BaselineArgs>(async (args, ctx) => {
    const migrator = await openMigrator(ctx);
    return reportRun(ctx.out, await migrator.baseline(args.name));
  }),
};

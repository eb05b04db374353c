import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, reportRun, withLockOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withLockOptions(y)
    .positional('name', { type: 'string', demandOption: true, describe: 'The failed migration' })
    .option('applied', { type: 'boolean', default: false, describe: 'Its changes are all in place (you finished them): record it as applied' })
    .option('reverted', { type: 'boolean', default: false, describe: 'None of its changes remain (you undid them): remove its history row' })
    .example('$0 resolve 0004_index_episodes_by_title --reverted', 'after undoing what the failed run left');
type ResolveArgs = ArgsOf<typeof builder>;

export const resolveCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'resolve <name>',
  describe: 'Settle a migration a run left failed, once you have checked the database by hand',
  builder,
  handler: action<ResolveArgs>(async (args, ctx) => {
    if (args.applied === args.reverted) {
      throw new MigrateError('USAGE', 'resolve needs exactly one of --applied or --reverted: say what state you left the database in');
    }
    const migrator = await openMigrator(ctx);
    return reportRun(ctx.out, await migrator.resolve(args.name, args.applied ? 'applied' : 'reverted'));
  }),
};

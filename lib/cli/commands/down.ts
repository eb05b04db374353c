import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import { processTerminal, revertConfirmation } from '../confirm.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { ASSUME_NOT_APPLIED_OPTION, resumeOptions, runInterruptibly, runOptions, withDownTextOption, withPlanOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withDownTextOption(withPlanOptions(y))
    .positional('target', { type: 'string', describe: 'NAME, @TAG or base: the state to stay at; or -N', defaultDescription: '-1' })
    .option('to', { type: 'string', describe: 'Same as TARGET: revert until NAME, @TAG or base is the last applied' })
    .option('resume', { type: 'boolean', default: false, describe: 'Finish the revert a run left failed or applying (no TARGET): check that its requests that ran are unchanged, skip the failed one if its effect shows in the schema, run the rest' })
    .option('assume-not-applied', ASSUME_NOT_APPLIED_OPTION)
    .option('yes', { type: 'boolean', default: false, describe: 'Revert more than one migration of a database not on this machine without asking' })
    .example('$0 down', 'revert the last applied migration')
    .example('$0 down --to @v1', 'revert everything applied after tag v1')
    .example('$0 down base --dry-run', 'show what reverting everything would run');
type DownArgs = ArgsOf<typeof builder>;

export const downCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'down [target]',
  describe: 'Revert applied migrations, latest first (default: the last one)',
  builder,
  handler: action<DownArgs>(async (args, ctx) => {
    if (args.target !== undefined && args.to !== undefined) {
      throw new MigrateError('USAGE', `give the target once: either '${args.target}' or --to ${args.to}`);
    }
    if (args.resume && (args.target ?? args.to) !== undefined) {
      throw new MigrateError('USAGE', `down --resume finishes the revert a run left unfinished and stops there: drop the target '${args.target ?? args.to}'`);
    }
    // The target the run connects to: the profile included, as the Migrator resolves it.
    const { resolveConnection } = await import('../../ydb/settings.js');
    const target = resolveConnection(ctx.config.connection, process.env).target;
    const confirmRevert = args.dryRun ? undefined : await revertConfirmation(target, args.yes, processTerminal);
    return runInterruptibly(ctx, (migrator, stops) => migrator.down(args.to ?? args.target ?? '-1', { ...runOptions(args), downFromFile: args.downFromFile, ...resumeOptions(args), ...stops, ...(confirmRevert ? { confirmRevert } : {}) }));
  }),
};

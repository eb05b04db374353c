import type { Argv, CommandModule } from 'yargs';
import { action, type GlobalArgs } from '../context.js';
import { interruptible, openMigrator, runOptions, withDownTextOption, withPlanOptions, type PlanArgs } from '../online.js';

interface RedoArgs extends PlanArgs {
  downFromFile: boolean;
}

export const redoCommand: CommandModule<GlobalArgs, RedoArgs> = {
  command: 'redo',
  describe: 'Revert the last applied migration and apply it again (for development)',
  builder: (y: Argv<GlobalArgs>) =>
    withDownTextOption(withPlanOptions(y))
      .example('$0 redo', 'run the last migration again after editing it')
      .example('$0 redo --down-from-file', "revert with the down file's current text") as Argv<RedoArgs>,
  handler: action<RedoArgs>(async (args, ctx) => {
    const migrator = await openMigrator(ctx);
    return interruptible(ctx.out, (signal) => migrator.redo({ ...runOptions(args), downFromFile: args.downFromFile, signal }));
  }),
};

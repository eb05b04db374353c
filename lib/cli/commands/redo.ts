import type { Argv, CommandModule } from 'yargs';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { LINT_OPTION, runInterruptibly, runOptions, withDownTextOption, withPlanOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withDownTextOption(withPlanOptions(y))
    .option('lint', LINT_OPTION)
    .example('$0 redo', 'run the last migration again after editing it')
    .example('$0 redo --down-from-file', "revert with the down file's current text");
type RedoArgs = ArgsOf<typeof builder>;

export const redoCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'redo',
  describe: 'Revert the last applied migration and apply it again (for development)',
  builder,
  handler: action<RedoArgs>(async (args, ctx) => {
    return runInterruptibly(ctx, (migrator, stops) => migrator.redo({ ...runOptions(args), downFromFile: args.downFromFile, lint: args.lint, ...stops }));
  }),
};

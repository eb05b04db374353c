import type { Argv, CommandModule } from 'yargs';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { LINT_OPTION, runInterruptibly, runOptions, withPlanOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withPlanOptions(y)
    .positional('target', { type: 'string', default: 'head', describe: 'NAME, @TAG, head or +N' })
    .option('allow-drift', { type: 'boolean', default: false, describe: 'Run although applied files changed, are missing, or a migration is left failed' })
    .option('allow-out-of-order', { type: 'boolean', default: false, describe: 'Also apply pending migrations listed before applied ones' })
    .option('lint', LINT_OPTION)
    .example('$0 up', 'apply everything pending')
    .example('$0 up @v1 -c grpcs://ydb.example.com:2135/prod', 'apply up to tag v1 over TLS')
    .example('$0 up --dry-run --param environment=production', 'show the exact YQL, run nothing');
type UpArgs = ArgsOf<typeof builder>;

export const upCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'up [target]',
  describe: 'Apply pending migrations to YDB, up to TARGET (default head)',
  builder,
  handler: action<UpArgs>(async (args, ctx) => {
    return runInterruptibly(ctx, (migrator, stops) => migrator.up(args.target, { ...runOptions(args), allowDrift: args.allowDrift, allowOutOfOrder: args.allowOutOfOrder, lint: args.lint, ...stops }));
  }),
};

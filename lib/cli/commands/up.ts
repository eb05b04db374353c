import type { Argv, CommandModule } from 'yargs';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { ASSUME_NOT_APPLIED_OPTION, LINT_OPTION, resumeOptions, runInterruptibly, runOptions, withPlanOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withPlanOptions(y)
    .positional('target', { type: 'string', default: 'head', describe: 'NAME, @TAG, head or +N' })
    .option('allow-drift', { type: 'boolean', default: false, describe: 'Run although applied files changed or are missing, or were applied in another order (never over a migration left failed: see --resume)' })
    .option('resume', { type: 'boolean', default: false, describe: 'Finish the migration a run left failed or applying: check that its requests that ran are unchanged, skip the failed one if its effect shows in the schema, run the rest, then go on to TARGET' })
    .option('assume-not-applied', ASSUME_NOT_APPLIED_OPTION)
    .option('allow-out-of-order', { type: 'boolean', default: false, describe: 'Also apply pending migrations listed before applied ones' })
    .option('lint', LINT_OPTION)
    .example('$0 up', 'apply everything pending')
    .example('$0 up @v1 -c grpcs://ydb.example.com:2135/prod', 'apply up to tag v1 over TLS')
    .example('$0 up --dry-run --param environment=production', 'show the exact YQL, run nothing')
    .example('$0 up --resume', 'finish a migration left failed half-way, after fixing the request that failed');
type UpArgs = ArgsOf<typeof builder>;

export const upCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'up [target]',
  describe: 'Apply pending migrations to YDB, up to TARGET (default head)',
  builder,
  handler: action<UpArgs>(async (args, ctx) => {
    return runInterruptibly(ctx, (migrator, stops) => migrator.up(args.target, { ...runOptions(args), allowDrift: args.allowDrift, allowOutOfOrder: args.allowOutOfOrder, lint: args.lint, ...resumeOptions(args), ...stops }));
  }),
};

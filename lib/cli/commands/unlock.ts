import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import { describeHolder } from '../../online/lock-table.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, withConnectOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withConnectOptions(y)
    .option('force', { type: 'boolean', describe: 'Required: removing the lock of a runner that still runs lets two run at once' })
    .example('$0 unlock --force', 'after a runner was killed, instead of waiting for its lease to expire');
type UnlockArgs = ArgsOf<typeof builder>;

export const unlockCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'unlock',
  describe: 'Remove the migration lock left by a runner that is gone',
  builder,
  handler: action<UnlockArgs>(async (args, ctx) => {
    if (!args.force) {
      throw new MigrateError('USAGE', 'unlock removes the lock even if its runner is still working; make sure it is gone, then pass --force');
    }
    const holder = await (await openMigrator(ctx)).unlock();
    ctx.out.line(holder ? `removed the migration lock held by ${describeHolder(holder)}` : 'the migration lock was not held');
    ctx.out.data({ ok: true, removed: holder });
  }),
};

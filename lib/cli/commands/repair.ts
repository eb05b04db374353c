import type { Argv, CommandModule } from 'yargs';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, reportRun, resultLine, withLockOptions } from '../online.js';

const builder = (y: Argv<GlobalArgs>) =>
  withLockOptions(y)
    .positional('names', { type: 'string', array: true, default: [], describe: 'The applied migrations to repair', defaultDescription: 'every applied one whose file changed' })
    .option('down-text', { type: 'boolean', default: false, describe: "Also record each down file's current text as the one down reverts with" })
    .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be recorded; write nothing, take no lock' })
    .example('$0 repair --dry-run', 'list the applied files whose checksums changed')
    .example('$0 repair 0002_add_email --down-text', 'accept its edited up file and its current down file');
type RepairArgs = ArgsOf<typeof builder>;

export const repairCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'repair [names..]',
  describe: "After reviewing edits to applied migration files, record their current checksums (nothing is run)",
  builder,
  handler: action<RepairArgs>(async (args, ctx) => {
    const migrator = await openMigrator(ctx);
    const result = await migrator.repair(args.names, { downText: args.downText, dryRun: args.dryRun });
    for (const r of result.results) {
      ctx.out.line(resultLine(r));
      for (const change of r.changes ?? []) ctx.out.line(`      ${change}`);
    }
    return reportRun(ctx.out, result);
  }),
};

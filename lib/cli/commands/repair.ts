import type { Argv, CommandModule } from 'yargs';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, reportRun, resultLine, withLockOptions } from '../online.js';
import { describeEdit } from '../../online/repair.js';

const builder = (y: Argv<GlobalArgs>) =>
  withLockOptions(y)
    .positional('names', { type: 'string', array: true, default: [], describe: 'The applied migrations to repair', defaultDescription: 'every applied one whose file changed' })
    .option('down-text', { type: 'boolean', default: false, describe: "Also record each down file's current text as the one down reverts with" })
    .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be recorded, and whether each edit is cosmetic or changes statements; write nothing, take no lock' })
    .option('yes', {
      type: 'boolean',
      default: false,
      describe: 'Also record edits that change statements (or that cannot be compared: no applied text in the history), after checking that the database matches the files',
    })
    .example('$0 repair --dry-run', 'list the applied files whose checksums changed, and how')
    .example('$0 repair 0002_add_email --down-text', 'accept its edited up file (comments, whitespace) and its current down file')
    .example('$0 repair 0002_add_email --yes', 'accept an edit that changes a statement, once the database matches it');
type RepairArgs = ArgsOf<typeof builder>;

export const repairCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'repair [names..]',
  describe: 'After reviewing edits to applied migration files, record their current checksums and texts, keeping applied_at (nothing is run); an edit that changes statements needs --yes',
  builder,
  handler: action<RepairArgs>(async (args, ctx) => {
    const migrator = await openMigrator(ctx);
    const result = await migrator.repair(args.names, { downText: args.downText, dryRun: args.dryRun, acceptChangedStatements: args.yes });
    for (const r of result.results) {
      ctx.out.line(resultLine(r));
      for (const change of r.changes ?? []) ctx.out.line(`      ${change}`);
      if (r.edit && r.edit.kind !== 'unchanged') ctx.out.line(`      ${describeEdit(r.edit)}`);
    }
    return reportRun(ctx.out, result);
  }),
};

import type { Argv, CommandModule } from 'yargs';
import { createMigration } from '../../create.js';
import { action, type GlobalArgs } from '../context.js';

interface CreateArgs extends GlobalArgs {
  name: string;
}

export const createCommand: CommandModule<GlobalArgs, CreateArgs> = {
  command: 'create <name>',
  describe: 'Create the next numbered NAME.up.yql / NAME.down.yql and append it to the manifest',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'Short name; a folder prefix is allowed (billing/add_invoices)' })
      .example('$0 create add_episodes', 'writes sql/0004_add_episodes.up.yql and .down.yql')
      .example('$0 create billing/add_invoices', 'numbered inside the billing/ folder') as Argv<CreateArgs>,
  handler: action<CreateArgs>(async (args, { config, out }) => {
    const created = await createMigration(config.dir, args.name);
    out.line(`created ${created.upFile}`);
    out.line(`created ${created.downFile}`);
    out.line(`appended ${created.name} to ${created.manifestFile}`);
    out.data({ ok: true, ...created });
  }),
};

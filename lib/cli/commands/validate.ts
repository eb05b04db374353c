import type { Argv, CommandModule } from 'yargs';
import { validateMigrations } from '../../validate.js';
import { action, type GlobalArgs } from '../context.js';

export const validateCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'validate',
  describe: 'Check the manifest and every migration file, offline',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .example('$0 validate', 'check ./sql')
      .example('$0 validate --dir db/migrations --json', 'machine-readable report for CI'),
  handler: action<GlobalArgs>(async (_args, { config, out }) => {
    const report = await validateMigrations(config.dir, config.params, config.fileParams);
    for (const w of report.warnings) out.warn(w);
    out.line(`ok: ${report.migrations} migration(s), ${report.statements} statement(s) in ${report.blocks} block(s), ${report.warnings.length} warning(s)`);
    out.data({ ok: true, ...report });
  }),
};

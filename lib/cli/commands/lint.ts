import type { Argv, CommandModule } from 'yargs';
import { EXIT_OK, EXIT_RUNTIME } from '../../errors.js';
import { countBySeverity, formatFinding, toSarif } from '../../lint/format.js';
import { lintDirectory, RULES } from '../../lint/lint.js';
import { TOOL_VERSION } from '../../package-info.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';

const builder = (y: Argv<GlobalArgs>) =>
  y
    .positional('names', { type: 'string', array: true, describe: 'Only these migrations (the ones before them are replayed for their schema)' })
    .option('since', { type: 'string', describe: 'Only the migrations after NAME' })
    .option('format', { choices: ['text', 'json', 'sarif'] as const, describe: 'Output format (default text; --json means json); sarif is SARIF 2.1.0 for GitHub code scanning' })
    .option('ydb-version', { type: 'string', describe: 'The oldest YDB (MAJOR.MINOR, e.g. 24.1) the migrations must run on: newer features are errors' })
    .epilogue(`Rules: ${RULES.map((r) => `${r.id} (${r.severity})`).join(', ')}`)
    .example('$0 lint', 'every migration in ./sql')
    .example('$0 lint --since 0004_index', 'only the migrations after 0004_index')
    .example('$0 lint --format sarif > lint.sarif', 'for github/codeql-action/upload-sarif');
type LintArgs = ArgsOf<typeof builder>;

export const lintCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'lint [names..]',
  describe: 'Find, offline, what YDB would refuse in the migrations and what would hurt in production (exit 1 on an error-level finding)',
  builder,
  handler: action<LintArgs>(async (args, { config, out }) => {
    const { set, findings, linted } = await lintDirectory(config.dir, {
      ...(args.names ? { names: args.names } : {}),
      ...(args.since === undefined ? {} : { since: args.since }),
      ...(args.ydbVersion === undefined ? {} : { ydbVersion: args.ydbVersion }),
    });
    const counts = countBySeverity(findings);
    const format = args.format ?? (out.json ? 'json' : 'text');
    if (format === 'sarif') out.raw(`${JSON.stringify(toSarif(findings, RULES, TOOL_VERSION), null, 2)}\n`);
    else if (format === 'json') out.raw(`${JSON.stringify({ ok: counts.error === 0, migrations: linted, counts, findings, warnings: set.warnings })}\n`);
    else {
      for (const w of set.warnings) out.warn(w);
      for (const f of findings) out.line(formatFinding(f));
      out.line(`${linted} migration(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info`);
    }
    return counts.error > 0 ? EXIT_RUNTIME : EXIT_OK;
  }),
};

import type { Argv, CommandModule } from 'yargs';
import { EXIT_OK, exitCodeOf } from '../../errors.js';
import type { VerifyReport, VerifyStep } from '../../schema/verify.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { withLockOptions } from '../online.js';
import type { Output } from '../output.js';

const builder = (y: Argv<GlobalArgs>) =>
  withLockOptions(y)
    .positional('target', { type: 'string', default: 'head', describe: 'NAME, @TAG, head or +N' })
    .option('allow-remote', { type: 'boolean', default: false, describe: 'Also verify against a YDB that is not on this machine (verify applies and reverts migrations)' })
    .example('$0 verify', 'check every pending migration on the local YDB')
    .example('$0 verify @v2 --json', 'up to tag v2, as JSON');
type VerifyArgs = ArgsOf<typeof builder>;

export const verifyCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'verify [target]',
  describe: 'For each pending migration up to TARGET: up, down, check the schema is back as it was, up again (a local YDB only)',
  builder,
  handler: action<VerifyArgs>(async (args, { config, out }) => {
    const { Migrator } = await import('../../migrator.js');
    return report(out, await Migrator.fromConfig(config).verify(args.target, { allowRemote: args.allowRemote }));
  }),
};

const LABEL: Readonly<Record<VerifyStep['status'], string>> = {
  ok: 'ok: down restores the schema, up runs again',
  'up-failed': 'FAILED: its up failed',
  'down-failed': 'FAILED: its down failed',
  'down-differs': 'FAILED: its down does not restore the schema (- before up, + after down)',
  'reapply-failed': 'FAILED: its up failed when run again after its down',
};

function report(out: Output, result: VerifyReport): number {
  const failure = result.error ?? result.steps.find((s) => s.error)?.error ?? null;
  if (out.json) {
    out.data({
      ok: result.ok,
      steps: result.steps.map((s) => ({ ...s, error: s.error?.toJSON() ?? null })),
      error: result.error?.toJSON() ?? null,
    });
    return result.ok ? EXIT_OK : failure ? exitCodeOf(failure) : 1;
  }
  for (const step of result.steps) {
    out.line(`  ${step.name}: ${LABEL[step.status]}`);
    if (step.note) out.line(`    note: ${step.note}`);
    if (step.diff) out.line(step.diff.replace(/^/gm, '    '));
  }
  if (failure) return out.error(failure);
  if (!result.ok) return 1;
  out.line(result.steps.length === 0 ? 'verify: nothing pending' : `verify: ${result.steps.length} migration(s) verified`);
  return EXIT_OK;
}

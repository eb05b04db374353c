import type { Argv, CommandModule } from 'yargs';
import type { StatusEntry, StatusReport } from '../../runner.js';
import { describeHolder } from '../../ydb/lock.js';
import { action, type GlobalArgs } from '../context.js';
import { openMigrator, withConnectOptions, type ConnectArgs } from '../online.js';

export const statusCommand: CommandModule<GlobalArgs, ConnectArgs> = {
  command: 'status',
  describe: "Each migration's state in YDB: applied, pending, changed, missing or failed",
  builder: (y: Argv<GlobalArgs>) =>
    withConnectOptions(y)
      .example('$0 status', 'one line per migration, with when it was applied')
      .example('$0 status --json', 'the same for machines'),
  handler: action<ConnectArgs>(async (_args, ctx) => {
    const report = await (await openMigrator(ctx)).status();
    const { out } = ctx;
    for (const w of report.warnings) out.warn(w);
    if (out.json) out.data({ ok: true, ...report });
    else out.raw(statusText(report));
  }),
};

function statusText(report: StatusReport): string {
  const width = Math.max(0, ...report.entries.map((e) => e.name.length));
  const lines = [`${report.database}, history table ${report.table}`];
  lines.push(...report.entries.map((e) => entryLine(e, width)));
  lines.push(`at ${report.current ?? 'base'}; ${report.pending} pending`);
  for (const d of report.drift) lines.push(`drift: ${d.message}`);
  if (report.lock) lines.push(`locked by ${describeHolder(report.lock)}`);
  return `${lines.join('\n')}\n`;
}

function entryLine(entry: StatusEntry, width: number): string {
  const state = entry.state === 'failed' ? `failed (${entry.recorded})` : entry.outOfOrder ? 'pending (out of order)' : entry.state;
  const when = entry.appliedAt ? entry.appliedAt.toISOString() : '';
  const tags = entry.tags.map((t) => `@${t}`).join(' ');
  return `  ${state.padEnd(22)} ${entry.name.padEnd(width)}  ${when}${tags ? `  ${tags}` : ''}`.trimEnd();
}

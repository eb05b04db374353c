import type { Argv, CommandModule } from 'yargs';
import type { StatusEntry, StatusReport } from '../../online/results.js';
import { describeHolder } from '../../online/lock-table.js';
import { EXIT_OK } from '../../errors.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { openMigrator, withConnectOptions } from '../online.js';

/** `status --check`: the database is not at head as the files describe it (pending, failed or drift). */
export const EXIT_CHECK = 3;

const builder = (y: Argv<GlobalArgs>) =>
  withConnectOptions(y)
    .option('check', { type: 'boolean', default: false, describe: `Exit ${EXIT_CHECK} when anything is pending, failed or drifted (for CI)` })
    .example('$0 status', 'one line per migration, with when it was applied')
    .example('$0 status --check', `exit ${EXIT_CHECK} unless the database matches the files`)
    .example('$0 status --json', 'the same for machines');
type StatusArgs = ArgsOf<typeof builder>;

export const statusCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'status',
  describe: "Each migration's state in YDB: applied, pending, changed, missing or failed",
  builder,
  handler: action<StatusArgs>(async (args, ctx) => {
    const report = await (await openMigrator(ctx)).status();
    const { out } = ctx;
    for (const w of report.warnings) out.warn(w);
    const behind = needsAttention(report);
    if (out.json) out.data({ ok: true, ...report, ...(args.check ? { check: behind.length === 0 ? 'ok' : 'failed' } : {}) });
    else out.raw(statusText(report));
    if (!args.check || behind.length === 0) return EXIT_OK;
    if (!out.json) process.stderr.write(`status --check: ${behind.join(', ')}\n`);
    return EXIT_CHECK;
  }),
};

/** What makes `--check` fail, as `3 pending`, `1 failed`, `2 drift findings`. */
function needsAttention(report: StatusReport): string[] {
  const failed = report.entries.filter((e) => e.state === 'failed').length;
  const drift = report.drift.filter((d) => d.kind !== 'failed').length;
  return [
    ...(report.pending > 0 ? [`${report.pending} pending`] : []),
    ...(failed > 0 ? [`${failed} failed`] : []),
    ...(drift > 0 ? [`${drift} drift finding${drift === 1 ? '' : 's'}`] : []),
  ];
}

function statusText(report: StatusReport): string {
  const rows = report.entries.map((e) => [stateWord(e), e.name, progressText(e), e.appliedAt ? e.appliedAt.toISOString() : '', repairedText(e), e.tags.map((t) => `@${t}`).join(' ')]);
  const lines = [`${report.database}, history table ${report.table}`];
  if (rows.length > 0) lines.push(...table([['STATE', 'MIGRATION', 'PROGRESS', 'APPLIED AT', 'REPAIRED', 'TAGS'], ...rows]));
  lines.push(`at ${report.current ?? 'base'}; ${report.pending} pending`);
  for (const d of report.drift) lines.push(d.kind === 'failed' ? d.message : `drift: ${d.message}`);
  lines.push(...report.recovery.map((line) => `  ${line}`));
  if (report.lock) lines.push(`locked by ${describeHolder(report.lock)}`);
  return `${lines.join('\n')}\n`;
}

/** One word: applied, pending, out-of-order, changed, missing or failed. */
function stateWord(entry: StatusEntry): string {
  return entry.state === 'pending' && entry.outOfOrder ? 'out-of-order' : entry.state;
}

/** How far a failed migration got: `1 of 2 requests ran`; empty when the history has no count. */
function progressText(entry: StatusEntry): string {
  if (!entry.progress) return '';
  const { ran, of } = entry.progress;
  return `${ran}${of === null ? '' : ` of ${of}`} request${(of ?? ran) === 1 ? '' : 's'} ran`;
}

/** When and by whom `repair` last recorded an edit: `2024-06-01T08:00:00.000Z by me@host`; empty when never. */
function repairedText(entry: StatusEntry): string {
  return entry.repaired ? `${entry.repaired.at.toISOString()} by ${entry.repaired.by}` : '';
}

/** Rows as columns, each as wide as its widest cell, two spaces apart; empty columns are left out. */
function table(rows: readonly string[][]): string[] {
  const columns = rows[0]!.map((_, c) => c).filter((c) => rows.slice(1).some((r) => r[c] !== ''));
  const widths = columns.map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${columns.map((c, i) => r[c]!.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

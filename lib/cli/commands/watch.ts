import { constants } from 'node:os';
import { relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXIT_OK } from '../../errors.js';
import { appliedLine, downSavedLine, failureFooter, failureHeadline } from '../../watch/format.js';
import type { WatchEvent, WatchSession } from '../../watch/session.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';
import { showSharedRunEvent, withDeclaredFileParams, withDownTextOption, withLockOptions } from '../online.js';
import type { Output } from '../output.js';
import type { RunEvent } from '../../online/results.js';
import { ProgressLine } from '../progress.js';

const builder = (y: Argv<GlobalArgs>) =>
  withDownTextOption(withLockOptions(y))
    .option('allow-remote', { type: 'boolean', default: false, describe: 'Also watch a YDB that is not on this machine (watch reverts migrations: never point it at a shared database)' })
    .option('debounce', { type: 'number', describe: 'Milliseconds without writes in the migrations directory before a run starts', defaultDescription: '50' })
    .example('$0 watch', 'keep grpc://localhost:2136/local in step with sql/ while you edit')
    .example('$0 watch --json | jq .type', 'one JSON event per line');
type WatchArgs = ArgsOf<typeof builder>;

export const watchCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'watch',
  describe: 'Apply pending migrations to a local YDB, then revert and re-apply migrations whenever their files are saved (Ctrl-C stops); --json prints one event per line',
  builder,
  handler: action<WatchArgs>(async (args, { config, out }) => {
    const { Migrator } = await import('../../migrator.js');
    const session = await Migrator.fromConfig(await withDeclaredFileParams(config, out)).watch({
      allowRemote: args.allowRemote,
      downFromFile: args.downFromFile,
      onEvent: printer(out),
      ...(args.debounce === undefined ? {} : { debounceMs: args.debounce }),
    });
    await stopOnSignal(session, out);
    return EXIT_OK;
  }),
};

/** Prints each event: one JSON line each with --json; else a line per run, failures as banners, warnings. */
function printer(out: Output): (event: WatchEvent) => void {
  if (out.json) return (event) => out.data(event);
  const progress = ProgressLine.for(process.stderr, false);
  return (event) => {
    // Watch events include every RunEvent; the shared ones print as they do for up and down.
    if (showSharedRunEvent(event as RunEvent, out, progress)) return;
    switch (event.type) {
      case 'watching':
        out.line(`watching ${relative(process.cwd(), event.dir) || '.'} (manifest and migration files); database ${event.database}, history table ${event.table}; Ctrl-C stops`);
        break;
      case 'step-end':
        progress.clear();
        break;
      case 'applied':
        out.line(appliedLine(event, new Date()));
        break;
      case 'down-saved':
        out.line(downSavedLine(event, new Date()));
        break;
      case 'failed':
        progress.clear();
        process.stderr.write(`${failureHeadline(event, new Date())}\n`);
        out.error(event.error);
        for (const line of failureFooter(event)) process.stderr.write(`  ${line}\n`);
        break;
      case 'watch-error':
        out.error(event.error);
        break;
      case 'stopped':
        out.line('watch stopped');
        break;
      case 'run-start':
      case 'step-start':
      case 'unchanged':
        break;
    }
  };
}

/**
 * Resolves once SIGINT or SIGTERM has stopped the session: the run in
 * progress ends, the lock is released, the connection closed. A second
 * signal while stopping exits at once.
 */
function stopOnSignal(session: WatchSession, out: Output): Promise<void> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        out.warn({ code: 'WATCH_ABORTED', message: 'stopped at once: a run in progress was cut off; its lock lease expires by itself, and `ydb-migrate status` shows what it left' });
        process.exit(128 + constants.signals[signal]);
      }
      stopping = true;
      session.stop().then(() => {
        for (const s of signals) process.off(s, onSignal);
        resolve();
      }, reject);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}

/**
 * `down` that would revert more than one migration of a database that is not
 * on this machine asks first: on a terminal with a y/N question, elsewhere
 * it needs --yes. One mistyped target must not empty a shared database.
 */
import { MigrateError } from '../errors.js';
import type { Step } from '../online/plan.js';
import type { HostLookup } from '../ydb/local-endpoint.js';
import type { ConnectionTarget } from '../ydb/driver.js';

export interface Terminal {
  /** Both stdin and stderr are terminals: someone can answer. */
  interactive: boolean;
  ask(question: string): Promise<string>;
}

export const processTerminal: Terminal = {
  // A getter: process.stdin is made on first use (a stream, some milliseconds), so only down's question pays for it.
  get interactive() {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY);
  },
  async ask(question) {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

/** The confirmation a down run needs, or undefined when it needs none (--yes, or a database on this machine). */
export async function revertConfirmation(target: ConnectionTarget, yes: boolean, terminal: Terminal, resolveHost?: HostLookup): Promise<((steps: readonly Step[]) => Promise<boolean>) | undefined> {
  if (yes) return undefined;
  // Loaded on demand, as every command imports this file: DNS is down's alone.
  const { notLocalReason } = await import('../ydb/local-endpoint.js');
  const remote = await notLocalReason(target, resolveHost);
  if (remote === null) return undefined;
  return async (steps) => {
    const what = `revert ${steps.length} migrations (${steps.map((s) => s.name).join(', ')}) on ${target.display}`;
    if (!terminal.interactive) {
      throw new MigrateError('CONFIRM_NEEDED', `down would ${what}, a database that is not on this machine (it ${remote}); check the target, then pass --yes to confirm`);
    }
    return /^y(es)?$/i.test((await terminal.ask(`${what}? [y/N] `)).trim());
  };
}

/**
 * The CLI as its yargs builders declare it, read by running each builder against a recorder
 * instead of yargs: every option, positional, default and example, with no help text scraped.
 */
import type { Argv, CommandModule, Options, PositionalOptions } from 'yargs';
import { commands } from '../../lib/cli/commands/index.js';
import { withGlobalOptions } from '../../lib/cli/global-options.js';

export interface OptionDoc {
  name: string;
  positional: boolean;
  aliases: string[];
  type: string;
  /** As the user reads it: yargs' `defaultDescription`, else the default value; '' for none. */
  default: string;
  required: boolean;
  describe: string;
}

export interface CommandDoc {
  /** `up [target]`, as yargs takes it. */
  usage: string;
  describe: string;
  options: OptionDoc[];
  examples: { command: string; says: string }[];
  epilogue: string | null;
  /** Pairs of options that cannot be given together. */
  conflicts: [string, string][];
  /** Pairs [a, b]: giving a needs b. */
  implies: [string, string][];
}

/** Builder calls that change nothing a reader of the reference needs (grouping and hiding in --help, checks whose failures explain themselves). */
const IGNORED = new Set(['group', 'hide', 'version', 'strict', 'wrap', 'check', 'middleware', 'coerce']);

/** yargs' `(a, b)` or `({ a: b })`, where b may be a list, as pairs. */
function pairs(a: string | Record<string, string | string[]>, b?: string | string[]): [string, string][] {
  const entries = typeof a === 'string' ? [[a, b ?? []] as const] : Object.entries(a);
  return entries.flatMap(([key, others]) => [others].flat().map((other): [string, string] => [key, other]));
}

/** Runs `build` against a stand-in for yargs that notes every call; an unknown call is an error, so nothing declared goes unseen. */
export function recordBuilder(build: (y: Argv<any>) => unknown): Omit<CommandDoc, 'usage' | 'describe'> {
  const doc: Omit<CommandDoc, 'usage' | 'describe'> = { options: [], examples: [], epilogue: null, conflicts: [], implies: [] };
  const addOption = (name: string, o: Options | PositionalOptions, positional: boolean): void => {
    const alias = o.alias === undefined ? [] : Array.isArray(o.alias) ? o.alias : [o.alias];
    const given = 'defaultDescription' in o ? o.defaultDescription : undefined;
    const shown = given ?? (o.default === undefined ? '' : typeof o.default === 'string' ? o.default : JSON.stringify(o.default));
    doc.options.push({
      name,
      positional,
      aliases: alias,
      type: o.choices ? (o.choices as unknown[]).map(String).join(' \\| ') : `${o.type ?? 'string'}${'array' in o && o.array ? ' (repeatable)' : ''}`,
      default: shown,
      required: 'demandOption' in o && Boolean(o.demandOption),
      describe: o.describe ?? '',
    });
  };
  const calls: Record<string, (...args: any[]) => void> = {
    option: (name: string, o: Options) => addOption(name, o, false),
    options: (all: Record<string, Options>) => Object.entries(all).forEach(([name, o]) => addOption(name, o, false)),
    positional: (name: string, o: PositionalOptions) => addOption(name, o, true),
    example: (command: string, says: string) => doc.examples.push({ command: command.replace(/\$0/g, 'ydb-migrate'), says }),
    epilogue: (text: string) => (doc.epilogue = text),
    conflicts: (a: string | Record<string, string | string[]>, b?: string | string[]) => doc.conflicts.push(...pairs(a, b)),
    implies: (a: string | Record<string, string | string[]>, b?: string | string[]) => doc.implies.push(...pairs(a, b)),
  };
  const recorder: Argv<any> = new Proxy({} as Argv<any>, {
    get: (_target, method) => (...args: unknown[]) => {
      const call = calls[String(method)];
      if (call) call(...args);
      else if (!IGNORED.has(String(method))) throw new Error(`test/docs/cli-model.ts: a builder calls .${String(method)}(), which the CLI reference does not render yet: add it there`);
      return recorder;
    },
  });
  build(recorder);
  // Positionals first, as a command line reads.
  doc.options.sort((a, b) => Number(b.positional) - Number(a.positional));
  return doc;
}

/** Every command in the order `--help` lists them, with what its builder declares. */
export function commandDocs(): CommandDoc[] {
  return commands.map((c: CommandModule<any, any>) => ({
    usage: String(c.command),
    describe: typeof c.describe === 'string' ? c.describe : '',
    ...recordBuilder(c.builder as (y: Argv<any>) => unknown),
  }));
}

/** The options every command takes. */
export function globalOptionDocs(): OptionDoc[] {
  return recordBuilder(withGlobalOptions).options;
}

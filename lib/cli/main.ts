/**
 * The command line: a thin face over lib/. Commands live one per file in
 * ./commands; the ones that talk to YDB load ydb-sdk only inside their handler.
 */
import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { TOOL_VERSION } from '../package-info.js';
import { EXIT_INPUT } from '../errors.js';
import { commands } from './commands/index.js';
import { withGlobalOptions } from './global-options.js';
import type { GlobalArgs } from './context.js';
import { editDistance, suggestions } from '../suggest.js';

export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  // `ydb-migrate sql | head`: the reader is gone, so stop quietly, as Unix tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
  let parser = withGlobalOptions(yargs(argv)
    .scriptName('ydb-migrate')
    .usage('$0 <command> [options]\n\nManifest-ordered YQL migrations for YDB.'));
  for (const command of commands) parser = parser.command(ownOptionsOnly(command));
  const commandNames = commands.map((c) => String(c.command).split(' ')[0]!);
  skipHelpCache(parser);
  await parser
    .check((args, options) => givenOnce(args, options as unknown as OptionsSeen), true)
    .check((_args, options) => booleansAsBooleans(argv, options as unknown as OptionsSeen), true)
    .demandCommand(1, 'Name a command; see --help.')
    // No yargs' recommendCommands: it offers any command within 3 edits ("version" → verify, "info" → redo); usageMessage suggests.
    .strict()
    .version(TOOL_VERSION)
    .alias('h', 'help')
    .epilogue('Exit codes: 0 ok, 1 runtime or database failure, 2 usage or input error, 3 status --check found pending, failed or drifted migrations, 130/143 stopped by Ctrl-C/SIGTERM.\nDocs: README.md')
    // Unwrapped: an example cut mid-command cannot be copied; the terminal wraps long descriptions.
    .wrap(null)
    .fail((message, err) => {
      // Usage mistakes come as a string (a check's) or as yargs' own YError; any other Error is a fault of ours.
      if (err instanceof Error && err.name !== 'YError') throw err;
      // The same instance, by now set up for the command at hand.
      const known = Object.keys((parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
      const text = usageMessage(message, known, argv, commandNames);
      if (argv.includes('--json')) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'USAGE', kind: 'input', message: text } })}\n`);
      } else {
        const command = commandNames.find((name) => name === argv.find((a) => !a.startsWith('-')));
        process.stderr.write(`error: ${text}\nRun 'ydb-migrate ${command ? `${command} ` : ''}--help' for usage.\n`);
      }
      process.exit(EXIT_INPUT);
    })
    .parseAsync();
  await exitWhenWritten();
}

/**
 * The command is over, so is the process: ydb-sdk keeps retry loops of its
 * own (discovery, session creation) sleeping for up to a minute after its
 * driver is destroyed, which would hold the process that long.
 */
async function exitWhenWritten(): Promise<void> {
  const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

/** What yargs tells a check about the options of the command at hand. */
interface OptionsSeen {
  array: string[];
  boolean: string[];
  alias: Record<string, string[]>;
}

/**
 * yargs reads `--dry-run=yes` (or `=1`, `=on`) as false, so a dry run the
 * user asked for would run for real: a flag's value, when given, must be
 * true or false. The value is not shown: it may be a secret typed in the
 * wrong place.
 */
function booleansAsBooleans(argv: readonly string[], options: OptionsSeen): true | string {
  const flags = new Set(options.boolean.flatMap((name) => [name, ...(options.alias[name] ?? [])]));
  const bad = argv
    .map((arg) => /^--(?:no-)?([^=]+)=(.*)$/s.exec(arg))
    .filter((m): m is RegExpExecArray => m !== null && flags.has(m[1]!) && !/^(true|false)$/.test(m[2]!))
    .map((m) => `--${m[1]}`);
  return bad.length === 0 ? true : [...new Set(bad)].map((flag) => `${flag} is a flag: write ${flag} or --no-${flag.slice(2)} (or =true, =false), not another value`).join('; ');
}

/**
 * yargs turns an option given twice into a list of both values, which nothing downstream expects
 * (`--table a --table b` crashed; `-c` twice joined both). Only --param takes several. The values
 * are not shown: one may be a connection string with a secret.
 */
function givenOnce(args: Record<string, unknown>, options: OptionsSeen): true | string {
  const repeated = Object.entries(args).filter(([key, value]) => Array.isArray(value) && key !== '_' && key.length > 1 && !/[A-Z]/.test(key) && !options.array.includes(key));
  if (repeated.length === 0) return true;
  const names = repeated.map(([key, value]) => {
    const short = (options.alias[key] ?? []).find((a) => a.length === 1);
    return `${short ? `-${short}/` : ''}--${key} is given ${(value as unknown[]).length} times`;
  });
  return `${names.join('; ')}; give it once`;
}

const CONNECTION_OPTIONS = ['connection-string', 'endpoint', 'database', 'profile'] as const;

/**
 * yargs renders the whole help text before running a command's handler, to show it should the
 * handler fail; ours never shows it (see .fail above), so that work, a good part of every
 * command's start-up, is skipped. The hook is yargs' internal API: a yargs that lacks it fails
 * here, on every command, so an upgrade cannot break this quietly.
 */
function skipHelpCache(parser: Argv<GlobalArgs>): void {
  const internal = parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  internal.getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
}

/** Global options a command does not use: its --help leaves them out. */
const UNUSED_GLOBALS: Readonly<Record<string, readonly string[]>> = {
  // create --schema reads the database, so create keeps the connection options.
  create: ['param'],
  validate: ['table', ...CONNECTION_OPTIONS],
  status: ['param'],
  baseline: ['param'],
  resolve: ['param'],
  repair: ['param'],
  unlock: ['dir', 'param'],
};

/** A command whose --help shows only the options it uses, and no --version (the version is the tool's, at the top level). */
function ownOptionsOnly(command: CommandModule<GlobalArgs, any>): CommandModule<GlobalArgs, any> {
  const name = String(command.command).split(' ')[0]!;
  const build = command.builder as (y: Argv<GlobalArgs>) => Argv<GlobalArgs>;
  return { ...command, builder: (y: Argv<GlobalArgs>) => build((UNUSED_GLOBALS[name] ?? []).reduce((z, key) => z.hide(key), y.version(false))) };
}

/** Commands that change the database: a mistyped word must be really close to one to have it suggested. */
const CHANGING = new Set(['up', 'down', 'redo', 'baseline', 'resolve', 'repair', 'unlock', 'watch']);

/**
 * The commands a mistyped first word may have meant: `version` and `help` are the options; a command
 * that changes the database only for a word one edit from it (a swap counts one) that starts with its letter.
 */
export function commandSuggestions(word: string, commandNames: readonly string[]): string[] {
  if (/^(version|help)$/i.test(word)) return [`--${word.toLowerCase()}`];
  return suggestions(word, commandNames).filter((name) => !CHANGING.has(name) || (word[0]!.toLowerCase() === name[0] && editDistance(word.toLowerCase(), name) <= 1));
}

/**
 * yargs' message for unknown flags lists each twice (`dry-runn, dryRunn`)
 * and suggests nothing: one name each, with the closest known option.
 */
export function usageMessage(message: string, knownOptions: readonly string[], argv: readonly string[], commandNames: readonly string[]): string {
  const missing = /^Missing required arguments?: (.*)$/.exec(message);
  if (missing) return `${missing[1]!.split(', ').map((name) => `--${name}`).join(' and ')} ${missing[1]!.includes(',') ? 'are' : 'is'} required`;
  const noValue = /^Not enough arguments following: (.*)$/.exec(message);
  if (noValue) return `--${noValue[1]} needs a value${noValue[1] === 'param' ? ': --param NAME=VALUE' : ''}`;
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (!unknown) return message;
  const names = unknown[1]!.split(', ');
  const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const flags = knownOptions.filter((k) => k.length > 1 && !/[A-Z]/.test(k));
  const shown = names.filter((name) => !(kebab(name) !== name && names.includes(kebab(name))));
  /** The flag as typed (`--name`, `--no-name`, `-n`), or undefined for a positional word. */
  const typed = (name: string): string | undefined =>
    argv.map((a) => a.replace(/=.*$/, '')).find((a) => a === `--${name}` || a === `--no-${name}` || a === `-${name}`);
  const hint = (near: string[]): string => (near.length > 0 ? `; did you mean ${near.join(', ')}?` : '');
  const firstWord = argv.find((a) => !a.startsWith('-'));
  return shown
    .map((name) => {
      const flag = typed(name);
      if (flag === undefined && name === firstWord) return `unknown command '${name}'${hint(commandSuggestions(name, commandNames))}`;
      if (flag === undefined) return `unknown argument '${name}'${hint(suggestions(name, commandNames))}`;
      return `unknown option ${flag}${hint(suggestions(name, flags).map((n) => `--${n}`))}`;
    })
    .join('; ');
}

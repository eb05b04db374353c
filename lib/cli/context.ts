/** What every command handler gets: resolved config and an Output, built from the global flags. */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { resolveConfig, type Config } from '../config.js';
import { EXIT_OK } from '../errors.js';
import { Output } from './output.js';

export interface GlobalArgs {
  dir?: string;
  table?: string;
  config?: string;
  param?: string[];
  json: boolean;
  connectionString?: string;
  endpoint?: string;
  database?: string;
  profile?: string;
}

/** The arguments a command's builder declares, as yargs types them (kebab-case names). */
export type BuiltArgs<B> = B extends (y: Argv<GlobalArgs>) => Argv<infer U> ? U : never;

/** The same as its handler gets them: yargs adds each option's camelCase name. */
export type ArgsOf<B> = ArgumentsCamelCase<BuiltArgs<B>>;

export interface CommandContext {
  config: Config;
  out: Output;
}

/**
 * Wraps a command body: resolves the config, runs the body, prints any error,
 * and sets the exit code (0 ok, 1 runtime/database failure, 2 usage or input error).
 */
export function action<A extends GlobalArgs>(
  body: (args: A, ctx: CommandContext) => Promise<number | void>,
): (args: A) => Promise<void> {
  return async (args: A) => {
    const out = new Output({ json: args.json });
    try {
      const config = await resolveConfig({
        dir: args.dir,
        table: args.table,
        config: args.config,
        param: args.param,
        connectionString: args.connectionString,
        endpoint: args.endpoint,
        database: args.database,
        profile: args.profile,
        ...numberFlags(args),
      });
      process.exitCode = (await body(args, { config, out })) ?? EXIT_OK;
    } catch (err) {
      process.exitCode = out.error(err);
    }
  };
}

function numberFlags(args: GlobalArgs): { lockTimeout?: number; connectTimeout?: number } {
  const a = args as GlobalArgs & { lockTimeout?: number; connectTimeout?: number };
  return {
    ...(a.lockTimeout === undefined ? {} : { lockTimeout: a.lockTimeout }),
    ...(a.connectTimeout === undefined ? {} : { connectTimeout: a.connectTimeout }),
  };
}

/**
 * Settings are resolved once, up front, into an immutable Config:
 * command-line flags > environment variables > config file > defaults.
 * The connection (endpoint, database, credentials) follows the ydb CLI's order instead:
 * flags > the profile named with --profile > environment > the CLI's active profile
 * > config file > defaults. It is resolved when a command connects (lib/ydb/settings.ts),
 * so that the offline commands never read a profile or credentials.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { jsonErrorLocation } from './json-position.js';
import { MigrateError } from './errors.js';
import { checkHistoryTable } from './own-tables.js';
import type { RawParamValue } from './params.js';
import { DEFAULT_CONNECTION_STRING, redactUserInfo, resolveConnection, type ConnectionInputs } from './ydb/settings.js';

export { DEFAULT_CONNECTION_STRING };

export const DEFAULT_DIR = 'sql';
export const DEFAULT_TABLE = 'ydb_migrate_history';
export const DEFAULT_CONFIG_FILE = 'ydb-migrate.json';
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

export interface Config {
  /** Migrations directory, absolute. */
  readonly dir: string;
  readonly table: string;
  readonly params: Readonly<Record<string, RawParamValue>>;
  /**
   * The names in `params` whose value comes from the config file (no --param overrides them): one that
   * no migration declares is only a warning (see withoutUndeclaredFileParams), as one config serves several --dir.
   */
  readonly fileParams: readonly string[];
  /** Where YDB is, as flags, the environment and the config file name it (no profile): for the offline script's header. Never carries user-info. */
  readonly connectionString: string;
  /** True when the connection string came from a flag, the environment or the config file, and could be read. */
  readonly connectionStringGiven: boolean;
  /** What the flags and the config file say about the connection; resolved with the environment and the profile on connect. */
  readonly connection: Readonly<ConnectionInputs>;
  readonly lockTimeoutSeconds: number;
  readonly connectTimeoutSeconds: number;
  /** The config file that was read, if any. */
  readonly configFile: string | null;
  /** "schemaFile": where up/down/redo/watch keep the schema dump (absolute), or null. */
  readonly schemaFile: string | null;
}

/** What flags can set; undefined means "not given". */
export interface ConfigFlags {
  dir?: string;
  table?: string;
  param?: string[];
  connectionString?: string;
  /** -e: `[grpc[s]://]HOST[:PORT]`, as the ydb CLI takes it. */
  endpoint?: string;
  /** -d: the database path. */
  database?: string;
  /** --profile: a ydb CLI profile; without it, the CLI's active profile (if any) is read. */
  profile?: string;
  lockTimeout?: number;
  connectTimeout?: number;
  config?: string;
}

interface ConfigFile {
  dir?: string;
  table?: string;
  params?: Record<string, RawParamValue>;
  connectionString?: string;
  lockTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  schemaFile?: string;
}

/** The config file's keys, each with the check of its value (docs/reference/configuration.md is generated from these keys). */
export const FILE_KEYS: Record<keyof ConfigFile, (v: unknown) => boolean> = {
  dir: (v) => typeof v === 'string' && v !== '',
  table: (v) => typeof v === 'string' && v !== '',
  params: (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) &&
    Object.values(v).every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x)),
  connectionString: (v) => typeof v === 'string' && v !== '',
  lockTimeoutSeconds: (v) => typeof v === 'number' && v >= 0,
  connectTimeoutSeconds: (v) => typeof v === 'number' && v > 0,
  schemaFile: (v) => typeof v === 'string' && v !== '',
};

export async function resolveConfig(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<Config> {
  const { file, path: configFile } = await readConfigFile(flags.config, cwd);
  const connection: ConnectionInputs = {
    ...(flags.connectionString !== undefined ? { connectionString: flags.connectionString } : {}),
    ...(flags.endpoint !== undefined ? { endpoint: flags.endpoint } : {}),
    ...(flags.database !== undefined ? { database: flags.database } : {}),
    ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    ...(file.connectionString !== undefined ? { fileConnectionString: file.connectionString } : {}),
  };
  const flagParams = parseParamFlags(flags.param ?? []);
  const given = flags.connectionString ?? flags.endpoint ?? flags.database ?? (env.YDB_CONNECTION_STRING || file.connectionString);
  const shown = given ? shownAddress(connection, env) : null;
  return Object.freeze({
    dir: resolve(cwd, flags.dir ?? env.YDB_MIGRATE_DIR ?? file.dir ?? DEFAULT_DIR),
    table: checkHistoryTable(flags.table ?? env.YDB_MIGRATE_TABLE ?? file.table ?? DEFAULT_TABLE),
    params: Object.freeze({ ...(file.params ?? {}), ...flagParams }),
    fileParams: Object.freeze(Object.keys(file.params ?? {}).filter((name) => !(name in flagParams))),
    connectionString: shown ?? DEFAULT_CONNECTION_STRING,
    connectionStringGiven: shown !== null,
    connection: Object.freeze(connection),
    lockTimeoutSeconds: flags.lockTimeout ?? file.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
    connectTimeoutSeconds: flags.connectTimeout ?? file.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
    configFile,
    // Relative to the config file's folder, like everything a project's config names.
    schemaFile: file.schemaFile === undefined ? null : resolve(configFile ? dirname(configFile) : cwd, file.schemaFile),
  });
}

/**
 * The address without a profile, for a script header, or null when it cannot be read: a mistake
 * in it is reported when a command connects, and its text, which may hold a secret, is never shown.
 */
function shownAddress(connection: ConnectionInputs, env: NodeJS.ProcessEnv): string | null {
  try {
    return resolveConnection({ ...connection, profile: false }, env).target.display;
  } catch {
    return null;
  }
}

/** `--param env=prod --param n=3` → { env: 'prod', n: '3' }. */
export function parseParamFlags(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq).replace(/^\$/, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new MigrateError('PARAM_BAD_FLAG', `--param expects NAME=VALUE with NAME a YQL identifier, got '${pair}'`);
    }
    if (name in out) {
      throw new MigrateError('PARAM_DUPLICATE', `--param ${name} is given twice; give each parameter once`);
    }
    out[name] = pair.slice(eq + 1);
  }
  return out;
}

async function readConfigFile(explicit: string | undefined, cwd: string): Promise<{ file: ConfigFile; path: string | null }> {
  const path = resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && explicit === undefined) return { file: {}, path: null };
    throw new MigrateError('CONFIG_UNREADABLE', `cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new MigrateError('CONFIG_BAD_JSON', `config file is not valid JSON: ${(err as Error).message}`, {
      location: jsonErrorLocation(path, text.replace(/^\uFEFF/, ''), err),
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MigrateError('CONFIG_BAD_JSON', 'config file must hold a JSON object', { location: { file: path, line: 1, column: 1 } });
  }
  for (const [key, value] of Object.entries(data)) {
    const check = FILE_KEYS[key as keyof ConfigFile];
    if (!check) {
      throw new MigrateError('CONFIG_UNKNOWN_KEY', `unknown key '${key}' in config file; known keys: ${Object.keys(FILE_KEYS).join(', ')}`, {
        location: locate(text, path, key),
      });
    }
    if (!check(value)) {
      // A connection string that is not one may be a token pasted in the wrong place: never shown.
      const shownValue = key === 'connectionString' ? '(not shown, as it may hold a secret); it must be a non-empty string' : redactUserInfo(JSON.stringify(value));
      throw new MigrateError('CONFIG_BAD_VALUE', `config key '${key}' has an invalid value ${shownValue}`, {
        location: locate(text, path, key),
      });
    }
  }
  return { file: data as ConfigFile, path };
}

/** Where `"key"` first appears in the file, so config errors point at the line. */
function locate(text: string, file: string, key: string): { file: string; line: number; column: number } {
  const at = Math.max(0, text.indexOf(JSON.stringify(key)));
  const before = text.slice(0, at).split('\n');
  return { file, line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

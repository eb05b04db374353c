/**
 * Where YDB is and how to log in, resolved once from every source, each
 * setting from the first source that has it:
 *
 *   flags (-c, or -e/-d; the Migrator's options) > environment > ydb CLI profile > config file > defaults
 *
 * The forms follow the `ydb` CLI (ydb/docs/en/core/reference/ydb-cli/_includes/connect.md):
 * `-e [grpc[s]://]HOST[:PORT]` (no scheme: grpcs; no port: 2135) and `-d /PATH`.
 * A connection string (`grpc[s]://HOST:PORT/DATABASE`) names both at once.
 */
import { MigrateError } from '../errors.js';
import { credentialsFromEnv, type Credentials, type CredentialsChoice } from './credentials.js';
import { readProfile, type Profile } from './profile.js';

export const DEFAULT_CONNECTION_STRING = 'grpc://localhost:2136/local';
const EXAMPLE = DEFAULT_CONNECTION_STRING;
const CLI_DEFAULT_PORT = '2135';

export interface ConnectionTarget {
  secure: boolean;
  /** host:port */
  endpoint: string;
  /** e.g. /local */
  database: string;
  /** `grpc://host:port/database`: what messages show; it never carries a secret. */
  display: string;
}

/**
 * A ydb-sdk `Driver` a program already has, spelled out so that the public
 * types never import ydb-sdk (any ydb-sdk 5 Driver fits).
 */
export interface ExistingDriver {
  ready(timeoutMs: number): Promise<boolean>;
  destroy(): Promise<void>;
}

export interface TlsFiles {
  caFile: string | null;
  clientCertFile: string | null;
  clientKeyFile: string | null;
  /** Where the CA file was named, for messages. */
  caFrom: string | null;
}

export interface ConnectionSettings {
  target: ConnectionTarget;
  /** Which source named the endpoint ("-c", "YDB_CONNECTION_STRING", "profile local", ...), or null for the default. */
  endpointFrom: string | null;
  credentials: CredentialsChoice;
  tls: TlsFiles;
}

/** What the caller was told about the connection; undefined means "not given". */
export interface ConnectionInputs {
  /** -c / --connection-string, or the Migrator's connectionString. */
  connectionString?: string;
  /** -e / --endpoint */
  endpoint?: string;
  /** -d / --database */
  database?: string;
  /** --profile NAME; undefined reads the ydb CLI's active profile, false reads no profile. */
  profile?: string | false;
  /** Given by a program: beats every credential variable and profile. */
  credentials?: Credentials;
  /** `connectionString` of the config file. */
  fileConnectionString?: string;
}

interface Address {
  secure: boolean;
  endpoint: string;
  database: string | null;
}

/** Resolves the connection, refusing conflicting flags and reading the profile only when asked or active. */
export function resolveConnection(inputs: ConnectionInputs, env: NodeJS.ProcessEnv): ConnectionSettings {
  if (inputs.connectionString !== undefined && (inputs.endpoint !== undefined || inputs.database !== undefined)) {
    const other = inputs.endpoint !== undefined ? '-e/--endpoint' : '-d/--database';
    throw new MigrateError('CONNECTION_CONFLICT', `-c/--connection-string and ${other} are both given; the connection string names the endpoint and the database already, so give either -c or -e with -d`);
  }
  const flagAddress = inputs.connectionString !== undefined ? parseConnectionString(inputs.connectionString, '-c') : inputs.endpoint !== undefined ? parseEndpoint(inputs.endpoint, '-e') : null;
  if (flagAddress?.database && inputs.database !== undefined && flagAddress.database !== inputs.database) {
    throw new MigrateError('CONNECTION_CONFLICT', `-e names the database ${flagAddress.database} and -d names ${inputs.database}; give the database once`);
  }
  const flagDatabase = inputs.database !== undefined ? checkDatabase(inputs.database, '-d') : flagAddress?.database ?? null;
  const envString = env.YDB_CONNECTION_STRING || undefined;
  const envAddress = envString ? parseConnectionString(envString, 'YDB_CONNECTION_STRING') : null;
  const profile = inputs.profile === false ? null : readProfile(inputs.profile, env);
  const profileAddress = profile?.endpoint ? parseEndpoint(profile.endpoint, `profile ${profile.name}`) : null;
  const profileDatabase = profile?.database ? checkDatabase(profile.database, `profile ${profile.name}`) : profileAddress?.database ?? null;
  const fileAddress = inputs.fileConnectionString ? parseConnectionString(inputs.fileConnectionString, 'the config file') : null;

  const endpoint = first<Address>([
    [flagAddress, inputs.connectionString !== undefined ? '-c' : '-e'],
    [envAddress, 'YDB_CONNECTION_STRING'],
    [profileAddress, `profile ${profile?.name}`],
    [fileAddress, 'the config file'],
  ]);
  const database = first<string>([
    [flagDatabase, inputs.database !== undefined ? '-d' : inputs.connectionString !== undefined ? '-c' : '-e'],
    [envAddress?.database ?? null, 'YDB_CONNECTION_STRING'],
    [profileDatabase, `profile ${profile?.name}`],
    [fileAddress?.database ?? null, 'the config file'],
  ]);
  const fallback = parseConnectionString(DEFAULT_CONNECTION_STRING, 'the default');
  const address = endpoint?.value ?? fallback;
  if (endpoint && !database) {
    throw new MigrateError('CONNECTION_NO_DATABASE', `${endpoint.from} names the endpoint ${address.endpoint} but nothing names the database; add -d /PATH (e.g. -d /local)`);
  }
  const db = database?.value ?? (fallback.database as string);
  const scheme = address.secure ? 'grpcs' : 'grpc';
  return {
    target: { secure: address.secure, endpoint: address.endpoint, database: db, display: `${scheme}://${address.endpoint}${db}` },
    endpointFrom: endpoint?.from ?? null,
    credentials: inputs.credentials ? { credentials: inputs.credentials, from: 'the credentials option' } : credentialsFromEnv(env) ?? profile?.credentials ?? { credentials: { kind: 'anonymous' }, from: null },
    tls: tlsFiles(env, profile),
  };
}

function tlsFiles(env: NodeJS.ProcessEnv, profile: Profile | null): TlsFiles {
  const fromEnv = env.YDB_SSL_ROOT_CERTIFICATES_FILE || null;
  const caFile = fromEnv ?? profile?.caFile ?? null;
  return {
    caFile,
    caFrom: fromEnv ? 'YDB_SSL_ROOT_CERTIFICATES_FILE' : caFile ? `profile ${profile!.name} (ca-file)` : null,
    clientCertFile: profile?.clientCertFile ?? null,
    clientKeyFile: profile?.clientKeyFile ?? null,
  };
}

function first<T>(candidates: [T | null, string][]): { value: T; from: string } | null {
  for (const [value, from] of candidates) if (value !== null) return { value, from };
  return null;
}

/**
 * `grpc://host:2136/local` or `grpcs://host:2135?database=/local` → its parts, or an input
 * error saying how to write it. The text is never echoed with its user-info.
 */
export function parseConnectionString(text: string, from = 'connection string'): ConnectionTarget {
  const address = parseAddress(text, from, { requireScheme: true });
  if (!address.database) throw badAddress(text, from, 'has no database');
  return { ...address, database: address.database, display: `${address.secure ? 'grpcs' : 'grpc'}://${address.endpoint}${address.database}` };
}

/** `-e` as the ydb CLI takes it: `[grpc[s]://]HOST[:PORT]`, no scheme meaning grpcs and no port 2135. */
function parseEndpoint(text: string, from: string): Address {
  return parseAddress(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `grpcs://${text}`, from, { requireScheme: false, shown: text });
}

function parseAddress(text: string, from: string, options: { requireScheme: boolean; shown?: string }): Address {
  const shown = options.shown ?? text;
  const bad = (why: string): never => {
    throw badAddress(shown, from, why);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad('is not a URL');
  }
  if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:') bad(`has the scheme '${url.protocol.slice(0, -1)}', not grpc or grpcs`);
  if (url.username || url.password) {
    throw new MigrateError(
      'CONNECTION_STRING_CREDENTIALS',
      `${describeFrom(from)} '${redactUserInfo(shown)}' carries credentials, which are never read from it; set YDB_USER and YDB_PASSWORD (or another credential variable, or a profile) instead`,
    );
  }
  if (!url.hostname) bad('has no host');
  if (!url.port && options.requireScheme) bad('has no port');
  const extra = [...url.searchParams.keys()].filter((key) => key !== 'database');
  if (extra.length > 0) bad(`has the parameter '${extra[0]}'; only 'database' is understood`);
  const fromPath = url.pathname === '/' ? '' : url.pathname;
  const fromQuery = url.searchParams.get('database') ?? '';
  if (fromPath && fromQuery && fromPath !== fromQuery) bad(`names two databases, ${fromPath} and ${fromQuery}`);
  const database = fromPath || fromQuery;
  if (database && !database.startsWith('/')) bad(`has the database '${database}', which must start with '/'`);
  return { secure: url.protocol === 'grpcs:', endpoint: url.port ? url.host : `${url.host}:${CLI_DEFAULT_PORT}`, database: database || null };
}

function checkDatabase(database: string, from: string): string {
  if (!database.startsWith('/')) throw new MigrateError('CONNECTION_STRING_BAD', `${describeFrom(from)} names the database '${redactUserInfo(database)}', which must start with '/', e.g. /local`);
  return database;
}

function badAddress(text: string, from: string, why: string): MigrateError {
  return new MigrateError('CONNECTION_STRING_BAD', `${describeFrom(from)} '${redactUserInfo(text)}' ${why}; write grpc://HOST:PORT/DATABASE, e.g. ${EXAMPLE} (grpcs:// for TLS)`);
}

function describeFrom(from: string): string {
  return from === 'connection string' ? 'connection string' : `the connection string from ${from}`;
}

/**
 * Hides the user-info of anything that looks like a URL (`scheme://user:pass@host`, or
 * `user:pass@host` with no scheme): a malformed connection string must not print its password.
 */
export function redactUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)?[^\s'"`]*@/gi, (_match, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

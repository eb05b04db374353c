/**
 * Where YDB is and how to log in, resolved once from every source, each
 * setting (endpoint, database, credentials, CA file) from the first source that has it,
 * in the `ydb` CLI's order (TOptionsParseResult::ParseFromProfilesAndEnv in
 * ydb/public/lib/ydb_cli/common/client_command_options.cpp, called by
 * ydb/public/lib/ydb_cli/commands/ydb_root_common.cpp with the named and the active profile):
 *
 *   flags (-c, or -e/-d; the Migrator's options) > the profile named with --profile > environment
 *   > the CLI's active profile > config file > defaults
 *
 * The forms follow the `ydb` CLI (ydb/docs/en/core/reference/ydb-cli/_includes/connect.md):
 * `-e [grpc[s]://]HOST[:PORT]` (no scheme: grpcs; no port: 2135) and `-d /PATH`.
 * A connection string (`grpc[s]://HOST:PORT/DATABASE`) names both at once.
 * A text that is not such a string is never echoed: it may be a token pasted in the wrong place.
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

/** Resolves the connection, refusing conflicting flags and reading profiles only when named or active. */
export function resolveConnection(inputs: ConnectionInputs, env: NodeJS.ProcessEnv): ConnectionSettings {
  if (inputs.connectionString !== undefined && (inputs.endpoint !== undefined || inputs.database !== undefined)) {
    const other = inputs.endpoint !== undefined ? '-e/--endpoint' : '-d/--database';
    throw new MigrateError('CONNECTION_CONFLICT', `-c/--connection-string and ${other} are both given; the connection string names the endpoint and the database already, so give either -c or -e with -d`);
  }
  const flagFrom = inputs.connectionString !== undefined ? '-c' : '-e';
  const flagAddress = inputs.connectionString !== undefined ? parseConnectionString(inputs.connectionString, '-c') : inputs.endpoint !== undefined ? parseEndpoint(inputs.endpoint, '-e') : null;
  if (flagAddress?.database && inputs.database !== undefined && flagAddress.database !== checkDatabase(inputs.database, '-d')) {
    throw new MigrateError('CONNECTION_CONFLICT', `-e names the database ${flagAddress.database} and -d names ${inputs.database}; give the database once`);
  }
  const flagDatabase = inputs.database !== undefined ? checkDatabase(inputs.database, '-d') : flagAddress?.database ?? null;
  const envString = env.YDB_CONNECTION_STRING || undefined;
  const envAddress = envString ? parseConnectionString(envString, 'YDB_CONNECTION_STRING') : null;
  const { named, active } = inputs.profile === false ? { named: null, active: null } : profilesOf(inputs.profile, env);
  const fileAddress = inputs.fileConnectionString ? parseConnectionString(inputs.fileConnectionString, FILE_SOURCE) : null;

  // The ydb CLI's order: flags, the named profile, the environment, the active profile; then ours.
  const endpoint = first<Address>([
    [flagAddress, flagFrom],
    [named?.address ?? null, named?.from ?? ''],
    [envAddress, 'YDB_CONNECTION_STRING'],
    [active?.address ?? null, active?.from ?? ''],
    [fileAddress, FILE_SOURCE],
  ]);
  const database = first<string>([
    [flagDatabase, inputs.database !== undefined ? '-d' : flagFrom],
    [named?.database ?? null, named?.from ?? ''],
    [envAddress?.database ?? null, 'YDB_CONNECTION_STRING'],
    [active?.database ?? null, active?.from ?? ''],
    [fileAddress?.database ?? null, FILE_SOURCE],
  ]);
  const fallback = parseConnectionString(DEFAULT_CONNECTION_STRING, 'the default');
  const address = endpoint?.value ?? fallback;
  if (endpoint && !database) {
    throw new MigrateError('CONNECTION_NO_DATABASE', `${endpoint.from} names the endpoint ${address.endpoint} but nothing names the database; add -d /PATH (e.g. -d /local)`);
  }
  const db = database?.value ?? (fallback.database as string);
  const scheme = address.secure ? 'grpcs' : 'grpc';
  const program: CredentialsChoice | null = inputs.credentials ? { credentials: inputs.credentials, from: 'the credentials option' } : null;
  return {
    target: { secure: address.secure, endpoint: address.endpoint, database: db, display: `${scheme}://${address.endpoint}${db}` },
    endpointFrom: endpoint?.from ?? null,
    credentials: program ?? named?.profile.credentials ?? credentialsFromEnv(env) ?? active?.profile.credentials ?? { credentials: { kind: 'anonymous' }, from: null },
    tls: tlsFiles(env, named?.profile ?? null, active?.profile ?? null),
  };
}

const FILE_SOURCE = 'the config key connectionString';

interface ProfileAddress {
  profile: Profile;
  /** "profile prod" or "the active profile dev", for messages. */
  from: string;
  address: Address | null;
  database: string | null;
}

/** The profile named with --profile and the CLI's active one (unless it is the same), each with its address parsed. */
function profilesOf(name: string | undefined, env: NodeJS.ProcessEnv): { named: ProfileAddress | null; active: ProfileAddress | null } {
  const named = name === undefined ? null : readProfile(name, env);
  const active = readProfile(undefined, env);
  const withAddress = (profile: Profile, from: string): ProfileAddress => {
    const address = profile.endpoint ? parseEndpoint(profile.endpoint, `${from} (endpoint)`) : null;
    return { profile, from, address, database: profile.database ? checkDatabase(profile.database, `${from} (database)`) : address?.database ?? null };
  };
  const relabelled = (profile: Profile): Profile =>
    profile.credentials?.from ? { ...profile, credentials: { ...profile.credentials, from: `the active ${profile.credentials.from}` } } : profile;
  return {
    named: named && withAddress(named, `profile ${named.name}`),
    active: active && active.name !== named?.name ? withAddress(relabelled(active), `the active profile ${active.name}`) : null,
  };
}

function tlsFiles(env: NodeJS.ProcessEnv, named: Profile | null, active: Profile | null): TlsFiles {
  const ca = first<string>([
    [named?.caFile ?? null, `profile ${named?.name} (ca-file)`],
    [env.YDB_SSL_ROOT_CERTIFICATES_FILE || null, 'YDB_SSL_ROOT_CERTIFICATES_FILE'],
    [active?.caFile ?? null, `the active profile ${active?.name} (ca-file)`],
  ]);
  const certs = named?.clientCertFile || named?.clientKeyFile ? named : active;
  return {
    caFile: ca?.value ?? null,
    caFrom: ca?.from ?? null,
    clientCertFile: certs?.clientCertFile ?? null,
    clientKeyFile: certs?.clientKeyFile ?? null,
  };
}

function first<T>(candidates: [T | null, string][]): { value: T; from: string } | null {
  for (const [value, from] of candidates) if (value !== null) return { value, from };
  return null;
}

/**
 * `grpc://host:2136/local` or `grpcs://host:2135?database=/local` → its parts, or an input
 * error naming where the text came from and what is wrong with it, never the text itself.
 */
export function parseConnectionString(text: string, from = 'connection string'): ConnectionTarget {
  const address = parseAddress(text, from, true);
  if (!address.database) throw badAddress(from, 'has no database');
  return { ...address, database: address.database, display: `${address.secure ? 'grpcs' : 'grpc'}://${address.endpoint}${address.database}` };
}

/** `-e` as the ydb CLI takes it: `[grpc[s]://]HOST[:PORT]`, no scheme meaning grpcs and no port 2135. */
function parseEndpoint(text: string, from: string): Address {
  return parseAddress(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `grpcs://${text}`, from, false);
}

/** A host name or an IPv4/IPv6 address: nothing else may reach a message. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/;
/**
 * The characters a YDB path may hold: letters, digits, '-', '_', '.' in each part
 * (ydb/core/tx/schemeshard/schemeshard_path.cpp, TPath::IsValidLeafName → PathPartBrokenAt).
 */
const DATABASE = /^\/[A-Za-z0-9_.\-/]*$/;

function parseAddress(text: string, from: string, requirePort: boolean): Address {
  const bad = (why: string): never => {
    throw badAddress(from, why);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad('is not a URL');
  }
  if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:') bad('does not start with grpc:// or grpcs://');
  if (url.username || url.password) {
    throw new MigrateError(
      'CONNECTION_STRING_CREDENTIALS',
      `${describeFrom(from)} carries credentials (USER:PASSWORD@ before the host), which are never read from it, nor shown; set YDB_USER and YDB_PASSWORD (or another credential variable, or a profile) instead`,
    );
  }
  if (!url.hostname) bad('has no host');
  if (!HOST.test(url.hostname)) bad('has a host with characters no host name holds');
  if (!url.port && requirePort) bad('has no port');
  if (url.hash) bad("has a '#' part");
  if ([...url.searchParams.keys()].some((key) => key !== 'database')) {
    bad("has a query parameter other than 'database' (a token or password is never read from the connection string: use a credential variable or a profile)");
  }
  const fromPath = url.pathname === '/' ? '' : url.pathname;
  const fromQuery = url.searchParams.get('database') ?? '';
  const database = fromPath || fromQuery;
  if (database && !DATABASE.test(database)) bad("has a database that is not a path of letters, digits, '-', '_' and '.' starting with '/'");
  if (fromPath && fromQuery && fromPath !== fromQuery) bad(`names two databases, ${fromPath} and ${checkDatabase(fromQuery, from)}`);
  return { secure: url.protocol === 'grpcs:', endpoint: url.port ? url.host : `${url.host}:${CLI_DEFAULT_PORT}`, database: database || null };
}

function checkDatabase(database: string, from: string): string {
  if (!DATABASE.test(database)) {
    throw new MigrateError('CONNECTION_STRING_BAD', `${from} names a database that is not a path of letters, digits, '-', '_' and '.' starting with '/' (not shown, as it may hold a secret), e.g. /local`);
  }
  return database;
}

function badAddress(from: string, why: string): MigrateError {
  return new MigrateError('CONNECTION_STRING_BAD', `${describeFrom(from)} ${why} (its text is not shown, as it may hold a secret); write grpc://HOST:PORT/DATABASE, e.g. ${EXAMPLE} (grpcs:// for TLS)`);
}

function describeFrom(from: string): string {
  return from === 'connection string' ? 'the connection string' : `the connection string from ${from}`;
}

/**
 * Hides the user-info of anything that looks like a URL (`scheme://user:pass@host`, or
 * `user:pass@host` with no scheme): a malformed connection string must not print its password.
 */
export function redactUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)?[^\s'"`]*@/gi, (_match, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

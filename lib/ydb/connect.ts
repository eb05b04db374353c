/**
 * Connecting to YDB: the connection string, credentials from the environment
 * variables the `ydb` CLI and SDK read, TLS for grpcs://, and a driver that is
 * always destroyed. ydb-sdk is loaded on the first connect, never at import,
 * so the offline commands do not pay for it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect as tcpConnect } from 'node:net';
import type { Driver, IAuthService, ISslCredentials, Logger } from 'ydb-sdk';
import { MigrateError } from '../errors.js';

export type YdbSdk = typeof import('ydb-sdk');

export interface ConnectionTarget {
  secure: boolean;
  /** host:port */
  endpoint: string;
  /** e.g. /local */
  database: string;
  /** `grpc://host:port/database`: what messages show; it never carries a secret. */
  display: string;
}

export type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'access-token'; token: string }
  | { kind: 'static'; user: string; password: string }
  | { kind: 'service-account-key'; file: string }
  | { kind: 'metadata' };

export interface ConnectOptions {
  connectionString: string;
  connectTimeoutSeconds: number;
  /** Where credentials and YDB_SSL_ROOT_CERTIFICATES_FILE are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Connection {
  readonly sdk: YdbSdk;
  readonly driver: Driver;
  readonly target: ConnectionTarget;
  /** The text with every secret of this connection replaced by `***`. */
  mask(text: string): string;
  /** Destroys the driver; safe to call twice. */
  close(): Promise<void>;
}

const EXAMPLE = 'grpc://localhost:2136/local';
const CREDENTIAL_VARIABLES = [
  'YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS',
  'YDB_ANONYMOUS_CREDENTIALS',
  'YDB_METADATA_CREDENTIALS',
  'YDB_ACCESS_TOKEN_CREDENTIALS',
  'YDB_STATIC_CREDENTIALS_USER',
] as const;
const METADATA_PACKAGE = '@yandex-cloud/nodejs-sdk/dist/token-service/metadata-token-service';
const MASK = '***';

/** `grpc://host:2136/local` or `grpcs://host:2135?database=/local` → its parts, or an input error saying how to write it. */
export function parseConnectionString(text: string): ConnectionTarget {
  const shown = text.replace(/\/\/[^/@?]*@/, `//${MASK}@`);
  const bad = (why: string): never => {
    throw new MigrateError('CONNECTION_STRING_BAD', `connection string '${shown}' ${why}; write grpc://HOST:PORT/DATABASE, e.g. ${EXAMPLE} (grpcs:// for TLS)`);
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
      `connection string '${shown}' carries credentials, which are never read from it; set YDB_STATIC_CREDENTIALS_USER and YDB_STATIC_CREDENTIALS_PASSWORD (or another YDB_*_CREDENTIALS variable) instead`,
    );
  }
  if (!url.hostname) bad('has no host');
  if (!url.port) bad('has no port');
  const extra = [...url.searchParams.keys()].filter((key) => key !== 'database');
  if (extra.length > 0) bad(`has the parameter '${extra[0]}'; only 'database' is understood`);
  const fromPath = url.pathname === '/' ? '' : url.pathname;
  const fromQuery = url.searchParams.get('database') ?? '';
  if (fromPath && fromQuery && fromPath !== fromQuery) bad(`names two databases, ${fromPath} and ${fromQuery}`);
  const database = fromPath || fromQuery;
  if (!database.startsWith('/')) bad(database ? `has the database '${database}', which must start with '/'` : 'has no database');
  const endpoint = url.host;
  return { secure: url.protocol === 'grpcs:', endpoint, database, display: `${url.protocol}//${endpoint}${database}` };
}

/**
 * The credentials the environment asks for: the variables of the `ydb` CLI and
 * SDK, plus YDB_STATIC_CREDENTIALS_USER/_PASSWORD; anonymous when none is
 * set. Two at once is an error rather than a silent pick.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials {
  const flag = (name: string): boolean => {
    const value = env[name] ?? '';
    if (value !== '' && value !== '0' && value !== '1') {
      throw new MigrateError('CREDENTIALS_BAD', `${name} must be 1 or 0, got '${value}'`);
    }
    return value === '1';
  };
  const given = CREDENTIAL_VARIABLES.filter((name) =>
    name === 'YDB_ANONYMOUS_CREDENTIALS' || name === 'YDB_METADATA_CREDENTIALS' ? flag(name) : Boolean(env[name]),
  );
  if (given.length > 1) {
    throw new MigrateError('CREDENTIALS_AMBIGUOUS', `${given.join(' and ')} are both set; set only the one that names how to log in to YDB`);
  }
  if (!env.YDB_STATIC_CREDENTIALS_USER && env.YDB_STATIC_CREDENTIALS_PASSWORD) {
    throw new MigrateError('CREDENTIALS_BAD', 'YDB_STATIC_CREDENTIALS_PASSWORD is set without YDB_STATIC_CREDENTIALS_USER; set the user too');
  }
  switch (given[0]) {
    case 'YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS':
      return { kind: 'service-account-key', file: env.YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS! };
    case 'YDB_METADATA_CREDENTIALS':
      return { kind: 'metadata' };
    case 'YDB_ACCESS_TOKEN_CREDENTIALS':
      return { kind: 'access-token', token: env.YDB_ACCESS_TOKEN_CREDENTIALS! };
    case 'YDB_STATIC_CREDENTIALS_USER':
      return { kind: 'static', user: env.YDB_STATIC_CREDENTIALS_USER!, password: env.YDB_STATIC_CREDENTIALS_PASSWORD ?? '' };
    default:
      return { kind: 'anonymous' };
  }
}

/** Replaces every occurrence of each non-empty secret by `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s !== '').reduce((masked, secret) => masked.split(secret).join(MASK), text);
}

function secretsOf(credentials: Credentials): string[] {
  if (credentials.kind === 'access-token') return [credentials.token];
  if (credentials.kind === 'static') return [credentials.password];
  return [];
}

/**
 * Opens a driver and waits, at most the connect timeout, until YDB answers
 * discovery. Every failure is a MigrateError that says what to do; the driver
 * is destroyed on every path that does not hand it over.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  const env = options.env ?? process.env;
  const target = parseConnectionString(options.connectionString);
  refuseEndpointOverride(target);
  const credentials = credentialsFromEnv(env);
  const secrets = secretsOf(credentials);
  const mask = (text: string): string => maskSecrets(text, secrets);
  const timeoutMs = Math.round(options.connectTimeoutSeconds * 1000);
  const sslCredentials = target.secure ? await readRootCertificates(env) : undefined;
  const sdk = await loadSdk();
  const authService = makeAuthService(sdk, credentials, target, sslCredentials, timeoutMs);
  const driver = new sdk.Driver({
    connectionString: `${target.secure ? 'grpcs' : 'grpc'}://${target.endpoint}${target.database}`,
    authService,
    ...(sslCredentials ? { sslCredentials } : {}),
    logger: SILENT_LOGGER,
  });
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => (closed ??= driver.destroy());
  try {
    const ready = await driver.ready(timeoutMs);
    if (!ready) throw await unreachable(target, options.connectTimeoutSeconds);
  } catch (err) {
    await close();
    throw err instanceof MigrateError ? err : refused(target, credentials, mask(reasonOf(err)), err);
  }
  return { sdk, driver, target, mask, close };
}

/** Runs `work` on a fresh connection and always destroys it, whatever happens. */
export async function withConnection<T>(options: ConnectOptions, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await connect(options);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

async function loadSdk(): Promise<YdbSdk> {
  const sdk = (await import('ydb-sdk')).default;
  // The table-session pool would open a session nobody uses and, when YDB is
  // unreachable, reject that promise unhandled. Sessions are made on demand.
  Reflect.set(sdk.TableSessionPool, 'SESSION_MIN_LIMIT', 0);
  return sdk;
}

/** The SDK reads YDB_ENDPOINT from the process environment on every call, and silently sends queries there instead. */
function refuseEndpointOverride(target: ConnectionTarget): void {
  const override = process.env.YDB_ENDPOINT;
  if (!override || override.replace(/^[a-z]+:\/\//, '') === target.endpoint) return;
  throw new MigrateError(
    'YDB_ENDPOINT_CONFLICT',
    `YDB_ENDPOINT is set to '${override}', which makes ydb-sdk send every query there instead of to ${target.display}; unset YDB_ENDPOINT and give the address with -c or YDB_CONNECTION_STRING`,
  );
}

async function readRootCertificates(env: NodeJS.ProcessEnv): Promise<ISslCredentials | undefined> {
  const file = env.YDB_SSL_ROOT_CERTIFICATES_FILE;
  if (!file) return undefined; // the SDK's bundled and the system roots
  try {
    return { rootCertificates: await readFile(file) };
  } catch (err) {
    throw new MigrateError('TLS_ROOTS_UNREADABLE', `cannot read YDB_SSL_ROOT_CERTIFICATES_FILE ${file} (${messageOf(err)}); point it at a PEM file with the CA that signed YDB's certificate`);
  }
}

function makeAuthService(
  sdk: YdbSdk,
  credentials: Credentials,
  target: ConnectionTarget,
  sslCredentials: ISslCredentials | undefined,
  timeoutMs: number,
): IAuthService {
  switch (credentials.kind) {
    case 'anonymous':
      return new sdk.AnonymousAuthService();
    case 'access-token':
      return new sdk.TokenAuthService(credentials.token);
    case 'static':
      return new sdk.StaticCredentialsAuthService(credentials.user, credentials.password, target.endpoint, SILENT_LOGGER, {
        ...(sslCredentials ? { sslCredentials } : {}),
        tokenRequestTimeout: timeoutMs,
      });
    case 'service-account-key':
      return new sdk.IamAuthService(readServiceAccountKey(sdk, credentials.file), SILENT_LOGGER);
    case 'metadata':
      requireMetadataPackage();
      return new sdk.MetadataAuthService();
  }
}

function readServiceAccountKey(sdk: YdbSdk, file: string): ReturnType<YdbSdk['getSACredentialsFromJson']> {
  let key: ReturnType<YdbSdk['getSACredentialsFromJson']>;
  try {
    key = sdk.getSACredentialsFromJson(file);
  } catch (err) {
    throw new MigrateError('CREDENTIALS_KEY_FILE', `cannot read the service account key file ${file} named by YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS (${messageOf(err)}); give the JSON key file that \`yc iam key create\` writes`);
  }
  if (!key.serviceAccountId || !key.accessKeyId || !key.privateKey) {
    throw new MigrateError('CREDENTIALS_KEY_FILE', `${file} named by YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS lacks service_account_id, id or private_key; give the JSON key file that \`yc iam key create\` writes`);
  }
  return key;
}

/** The SDK's metadata credentials load an optional package on first use and fail deep inside discovery without it. */
function requireMetadataPackage(): void {
  try {
    createRequire(import.meta.url).resolve(METADATA_PACKAGE);
  } catch {
    throw new MigrateError('CREDENTIALS_METADATA_PACKAGE', 'YDB_METADATA_CREDENTIALS=1 needs the package @yandex-cloud/nodejs-sdk, which is not installed; install it next to ydb-migrate, or use another YDB_*_CREDENTIALS variable');
  }
}

async function unreachable(target: ConnectionTarget, seconds: number): Promise<MigrateError> {
  const reason = await probeTcp(target.endpoint, 1000, target.secure);
  return new MigrateError(
    'YDB_UNREACHABLE',
    `cannot reach YDB at ${target.display} within ${seconds} s (${reason}); check that YDB runs there and that -c / YDB_CONNECTION_STRING is right, or raise --connect-timeout`,
    { kind: 'runtime' },
  );
}

const HOW: Readonly<Record<Credentials['kind'], string>> = {
  anonymous: 'anonymously (no YDB_*_CREDENTIALS variable is set)',
  'access-token': 'with the token in YDB_ACCESS_TOKEN_CREDENTIALS',
  static: 'as the user in YDB_STATIC_CREDENTIALS_USER',
  'service-account-key': 'with the key in YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS',
  metadata: 'with metadata credentials (YDB_METADATA_CREDENTIALS)',
};

/** YDB answered, but not with a session: usually credentials or the database name. */
function refused(target: ConnectionTarget, credentials: Credentials, reason: string, cause: unknown): MigrateError {
  const how = HOW[credentials.kind];
  return new MigrateError(
    'YDB_CONNECT_FAILED',
    `YDB at ${target.display} refused the connection made ${how}: ${reason}; check the credentials and the database name`,
    { kind: 'runtime', cause },
  );
}

/** Why a TCP connection to host:port fails, in words, to tell "nothing listens" from "no such host". */
function probeTcp(endpoint: string, timeoutMs: number, secure: boolean): Promise<string> {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(endpoint.slice(colon + 1));
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (reason: string): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done('no answer'));
    socket.once('connect', () =>
      done(`the port accepts connections but does not answer as YDB${secure ? ' over TLS; if it serves plain gRPC, write grpc:// instead of grpcs://' : '; if it serves TLS, write grpcs://'}`),
    );
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done('connection refused: nothing listens on that port');
      else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') done(`host ${host} not found`);
      else done(err.code ?? err.message);
    });
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What YDB said: its issues, or the gRPC status details the SDK buries in JSON. */
function reasonOf(err: unknown): string {
  const issues = (err as { issues?: { message?: string }[] } | null)?.issues;
  if (Array.isArray(issues) && issues.length > 0) return issues.map((i) => i.message ?? '').join('; ');
  const message = messageOf(err);
  const details = /"details":("(?:[^"\\]|\\.)*")/.exec(message)?.[1];
  return details ? (JSON.parse(details) as string) : message;
}

const quiet = (): void => {};
/** The SDK logs to the console by default; a CLI must not, and its messages could name secrets. */
const SILENT_LOGGER: Logger = { fatal: quiet, error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet };

/**
 * Connecting to YDB: settings resolved by ./settings.ts, a bounded probe of
 * the endpoint (./probe.ts) so that every failure names its cause, then a
 * ydb-sdk driver that is always destroyed (unless the caller owns it).
 * ydb-sdk is loaded on the first connect, never at import, so the offline
 * commands do not pay for it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Driver, IAuthService, ISslCredentials, Logger } from 'ydb-sdk';
import { MigrateError } from '../errors.js';
import { ydbStatusCode } from '../error-codes.js';
import { watchAnswers, type AnswerWatch, type Refusal } from './answers.js';
import { describeLogin, secretsOf, type Credentials } from './credentials.js';
import type { ProbeFailure } from './probe.js';
import { redactUserInfo, resolveConnection, type ConnectionSettings, type ConnectionTarget, type TlsFiles } from './settings.js';

import type { ConnectOptions, Connection } from './connection.js';

export { parseConnectionString, type ConnectionTarget } from './settings.js';
export type { ConnectOptions, Connection } from './connection.js';
export type YdbSdk = typeof import('ydb-sdk');

/** ydb-sdk's module and the driver behind a Connection: for lib/ydb/ only. */
export interface SdkHandle {
  readonly sdk: YdbSdk;
  readonly driver: Driver;
  /** What YDB refused the SDK's own calls; null for a caller's driver. */
  readonly answers: AnswerWatch | null;
}

const HANDLES = new WeakMap<Connection, SdkHandle>();

/** The driver behind a connection made by connect(). */
export function sdkOf(connection: Connection): SdkHandle {
  const handle = HANDLES.get(connection);
  if (!handle) throw new Error('sdkOf: not a connection made by connect()');
  return handle;
}

function connection(handle: SdkHandle, fields: Connection): Connection {
  HANDLES.set(fields, handle);
  return fields;
}

const METADATA_PACKAGE = '@yandex-cloud/nodejs-sdk/dist/token-service/metadata-token-service';
const MASK = '***';

/** Replaces every occurrence of each non-empty secret by `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s !== '').reduce((masked, secret) => masked.split(secret).join(MASK), text);
}

/**
 * Probes the endpoint, opens a driver and waits until YDB answers discovery,
 * all within the connect timeout. Every failure is a MigrateError that says
 * what to check; the driver is destroyed on every path that does not hand it over.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  const settings = 'settings' in options ? options.settings : resolveConnection({ connectionString: options.connectionString, profile: false }, options.env ?? process.env);
  const secrets = secretsOf(settings.credentials.credentials);
  const mask = (text: string): string => redactUserInfo(maskSecrets(text, secrets));
  const sdk = await loadSdk();
  if (options.driver) {
    const driver = options.driver as Driver;
    return connection({ sdk, driver, answers: null }, { target: targetOf(driver) ?? settings.target, mask, close: async () => undefined });
  }
  const { target } = settings;
  refuseEndpointOverride(target);
  const timeoutMs = Math.round(options.connectTimeoutSeconds * 1000);
  const deadline = Date.now() + timeoutMs;
  const tls = target.secure ? await readTlsFiles(settings.tls) : undefined;
  const authService = makeAuthService(sdk, settings.credentials.credentials, target, tls, timeoutMs);
  // Loaded here, with Node's HTTP/2, TLS and DNS modules, so that commands that never connect do not load them.
  const probe = await import('./probe.js');
  const failure = await probe.probeEndpoint(target, { timeoutMs, ...(tls ? { tls: { ca: tls.rootCertificates, cert: tls.clientCertChain, key: tls.clientPrivateKey } } : {}) });
  if (failure) throw unreachable(settings, failure);
  const answers = watchAnswers(sdk);
  const driver = new sdk.Driver({
    connectionString: `${target.secure ? 'grpcs' : 'grpc'}://${target.endpoint}${target.database}`,
    authService,
    ...(tls ? { sslCredentials: tls } : {}),
    logger: SILENT_LOGGER,
    clientOptions: answers.clientOptions,
    retrier: ONE_ATTEMPT,
  });
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => (closed ??= destroyDriver(driver));
  try {
    const ready = await driver.ready(Math.max(1, deadline - Date.now()));
    if (!ready) throw discoveryUnfinished(settings, options.connectTimeoutSeconds, answers.last(), mask);
  } catch (err) {
    await close();
    throw err instanceof MigrateError ? err : refused(probe, settings, mask(reasonOf(err)), err, statusName(sdk, err));
  }
  return connection({ sdk, driver, answers }, { target, mask, close });
}

/**
 * ydb-sdk's query client would repeat a failed session acquisition on its
 * own, bounded by nothing but the call's timeout; runRequest decides on
 * retries and bounds them (./execute.ts), so the SDK makes one attempt.
 */
const ONE_ATTEMPT = {
  async retry<T>(ctx: unknown, fn: (ctx: unknown, logger: Logger, attempt: number) => Promise<{ result?: T; err?: unknown }>): Promise<T> {
    const outcome = await fn(ctx, SILENT_LOGGER, 0);
    if (outcome.err !== undefined) throw outcome.err;
    return outcome.result as T;
  },
} as unknown as NonNullable<ConstructorParameters<YdbSdk['Driver']>[0]['retrier']>;

/** Runs `work` on a fresh connection and always closes it, whatever happens. */
export async function withConnection<T>(options: ConnectOptions, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await connect(options);
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

/** Where a caller's driver points, read from its settings (ydb-sdk keeps them private), for messages. */
function targetOf(driver: Driver): ConnectionTarget | null {
  const settings = Reflect.get(driver, 'clientSettings') as { database?: string; sslCredentials?: unknown } | undefined;
  const discovery = Reflect.get(driver, 'discoveryService') as { grpcServiceClient?: { getChannel(): { getTarget(): string } } } | undefined;
  const endpoint = discovery?.grpcServiceClient?.getChannel().getTarget().replace(/^dns:/, '');
  if (!settings?.database || !endpoint) return null;
  const scheme = settings.sslCredentials ? 'grpcs' : 'grpc';
  return { secure: Boolean(settings.sslCredentials), endpoint, database: settings.database, display: `${scheme}://${endpoint}${settings.database}` };
}

/** How long closing waits for YDB to delete the sessions: a courtesy, see destroyDriver. */
const CLOSE_WAIT_MS = 2000;

/**
 * Closes a driver, never failing and within CLOSE_WAIT_MS. driver.destroy()
 * deletes the sessions: it first ends each session's AttachSession stream,
 * with which YDB closes the session anyway (the attach RPC sends KQP a
 * close-session request when its client goes: ydb/core/grpc_services/query/
 * rpc_attach_session.cpp, HandleReady), so a DeleteSession that fails
 * (BAD_SESSION, SESSION_EXPIRED, TIMEOUT) or that ydb-sdk keeps retrying
 * leaves nothing behind, and must not fail a run that did its work.
 * driver.destroy() also leaves the discovery service's gRPC channel open,
 * and with it a call that never ends against an endpoint that stopped
 * answering: the process would not exit. Closing the channel ends it; a
 * discovery retry that ydb-sdk still has pending then finds a stand-in that
 * refuses, rather than the closed channel, which throws where nothing catches.
 */
async function destroyDriver(driver: Driver): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
  await Promise.race([driver.destroy().catch(() => undefined), waited]);
  clearTimeout(timer);
  const discovery = Reflect.get(driver, 'discoveryService') as { grpcServiceClient?: { close(): void } } | undefined;
  if (!discovery) return;
  discovery.grpcServiceClient?.close();
  Reflect.set(discovery, 'api', CLOSED_API);
}

/** Every method of a closed service's API: refuses, as a promise. */
const CLOSED_API = new Proxy({}, { get: () => () => Promise.reject(new Error('the connection to YDB is closed')) });

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
    `YDB_ENDPOINT is set to another address (not shown, as it may hold a secret), which makes ydb-sdk send every query there instead of to ${target.display}; unset YDB_ENDPOINT and give the address with -c, -e/-d or YDB_CONNECTION_STRING`,
  );
}

/** The CA (else the SDK's bundled and the system roots) and the client certificate, for grpcs://. */
async function readTlsFiles(files: TlsFiles): Promise<ISslCredentials> {
  const read = async (file: string | null, what: string, from: string | null): Promise<Buffer | undefined> => {
    if (!file) return undefined;
    try {
      return await readFile(file);
    } catch (err) {
      throw new MigrateError('TLS_FILE_UNREADABLE', `cannot read the ${what} ${file}${from ? ` named by ${from}` : ''} (${messageOf(err)}); point it at a PEM file`);
    }
  };
  const rootCertificates = await read(files.caFile, 'CA file', files.caFrom);
  const clientCertChain = await read(files.clientCertFile, 'client certificate', 'the profile (client-cert-file)');
  const clientPrivateKey = await read(files.clientKeyFile, 'client key', 'the profile (client-cert-key-file)');
  return { ...(rootCertificates ? { rootCertificates } : {}), ...(clientCertChain ? { clientCertChain } : {}), ...(clientPrivateKey ? { clientPrivateKey } : {}) };
}

function makeAuthService(sdk: YdbSdk, credentials: Credentials, target: ConnectionTarget, sslCredentials: ISslCredentials | undefined, timeoutMs: number): IAuthService {
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
    case 'service-account-key': {
      const key = readServiceAccountKey(sdk, credentials.file);
      return new sdk.IamAuthService(credentials.iamEndpoint ? { ...key, iamEndpoint: credentials.iamEndpoint } : key, SILENT_LOGGER);
    }
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
    throw new MigrateError('CREDENTIALS_KEY_FILE', `cannot read the service account key file ${file} (${messageOf(err)}); give the JSON key file that \`yc iam key create\` writes`);
  }
  if (!key.serviceAccountId || !key.accessKeyId || !key.privateKey) {
    throw new MigrateError('CREDENTIALS_KEY_FILE', `the service account key file ${file} lacks service_account_id, id or private_key; give the JSON key file that \`yc iam key create\` writes`);
  }
  return key;
}

/** The SDK's metadata credentials load an optional package on first use and fail deep inside discovery without it. */
function requireMetadataPackage(): void {
  try {
    createRequire(import.meta.url).resolve(METADATA_PACKAGE);
  } catch {
    throw new MigrateError('CREDENTIALS_METADATA_PACKAGE', 'metadata credentials need the package @yandex-cloud/nodejs-sdk, which is not installed; install it next to ydb-migrate, or log in another way');
  }
}

/** The endpoint could not serve us: what happened, and where the address came from. */
function unreachable(settings: ConnectionSettings, failure: ProbeFailure): MigrateError {
  const from = settings.endpointFrom ? `the address comes from ${settings.endpointFrom}` : 'no address was given, so this is the default (give one with -c, -e/-d, YDB_CONNECTION_STRING or --profile)';
  return new MigrateError(`YDB_${failure.code}`, `cannot connect to YDB at ${settings.target.display}: ${failure.reason} (${from})`);
}

/** Discovery still retried when the connect timeout passed: what YDB kept answering, if it answered. */
function discoveryUnfinished(settings: ConnectionSettings, seconds: number, refusal: Refusal | null, mask: (text: string) => string): MigrateError {
  if (refusal?.method !== 'ListEndpoints') {
    return unreachable(settings, { code: 'NO_ANSWER', reason: `YDB did not finish discovery within ${seconds} s; raise --connect-timeout if it is just slow` });
  }
  return discoveryFailed(settings, refusal.status, mask(refusal.message), `kept answering it with ${refusal.status} for ${seconds} s (--connect-timeout)`);
}

/** YDB answered the discovery call with a status that is not about the login. */
function discoveryFailed(settings: ConnectionSettings, status: string, reason: string, how: string): MigrateError {
  const advice = status === 'OVERLOADED' ? 'YDB is overloaded: run again later, or raise --connect-timeout to wait longer' : 'YDB cannot serve this database now: check its health (`ydb monitoring healthcheck`), then run again';
  return new MigrateError(ydbStatusCode(status), `cannot connect to YDB at ${settings.target.display}: its discovery call (ListEndpoints) ${how}${reason ? `: ${reason}` : ''}; ${advice}`);
}

/** Statuses with which YDB says who is asking is the problem: the credentials, not the database's health. */
const LOGIN_STATUSES = new Set(['UNAUTHORIZED', 'UNAUTHENTICATED']);

/** YDB answered, but not with endpoints: the database name, the credentials, or the status it gave. */
function refused(probe: typeof import('./probe.js'), settings: ConnectionSettings, reason: string, cause: unknown, status: string | null): MigrateError {
  if (probe.isUnknownDatabase(reason)) {
    return new MigrateError('YDB_UNKNOWN_DATABASE', `cannot connect to YDB at ${settings.target.display}: ${probe.unknownDatabase(settings.target.database, reason).reason}`, { cause });
  }
  if (status !== null && !LOGIN_STATUSES.has(status)) return discoveryFailed(settings, status, reason, `answered ${status}`);
  const login = describeLogin(settings.credentials);
  return new MigrateError(
    'YDB_AUTH_FAILED',
    `YDB at ${settings.target.display} refused the login made ${login}: ${reason}; check the credentials (token, user and password, key file) and that this user may use ${settings.target.database}`,
    { cause },
  );
}

/** The YDB status name of an error ydb-sdk raised (`SCHEME_ERROR`), or null. */
export function statusName(sdk: YdbSdk, err: unknown): string | null {
  const status = (err as { constructor?: { status?: unknown } } | null)?.constructor?.status;
  return err instanceof sdk.YdbError && typeof status === 'number' ? (sdk.StatusCode[status] ?? String(status)) : null;
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

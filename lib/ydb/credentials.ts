/**
 * How to log in to YDB, as plain data (no ydb-sdk types): what a program
 * passes to the Migrator, or what the environment variables of the `ydb` CLI
 * and of ydb-sdk ask for.
 *
 * The `ydb` CLI's variables and their order are in its docs,
 * ydb/docs/en/core/reference/ydb-cli/_includes/auth/env_cloud.md, env_static.md and
 * env_oauth2.md (IAM_TOKEN, YC_TOKEN, USE_METADATA_CREDENTIALS, SA_KEY_FILE,
 * YDB_TOKEN, YDB_USER/YDB_PASSWORD, YDB_OAUTH2_KEY_FILE; the CLI's source,
 * ydb/public/lib/ydb_cli/commands/ydb_root_common.cpp, lists the same in
 * SetAuthMethodsEnvPriority). The CLI takes the first it finds; we refuse two
 * at once, since a silent pick logs in as someone unexpected.
 */
import { MigrateError } from '../errors.js';

export type Credentials =
  | { kind: 'anonymous' }
  /** An access token sent as is: a YDB token or an IAM token. */
  | { kind: 'access-token'; token: string }
  /** A YDB user and password (login). */
  | { kind: 'static'; user: string; password: string }
  /** A service account's JSON key file (`yc iam key create`); `iamEndpoint` overrides the SDK's default. */
  | { kind: 'service-account-key'; file: string; iamEndpoint?: string }
  /** The metadata service of a cloud VM (needs the optional package @yandex-cloud/nodejs-sdk). */
  | { kind: 'metadata' };

/** Credentials and, for messages, where they came from (never their values). */
export interface CredentialsChoice {
  credentials: Credentials;
  /** e.g. "YDB_TOKEN", "profile prod", "the credentials option"; null when none were given (anonymous). */
  from: string | null;
}

/** Each variable family that names one way to log in, in the `ydb` CLI's order, then ydb-sdk's. */
const ENV_KINDS: readonly { variables: readonly string[]; read: (env: NodeJS.ProcessEnv) => Credentials | null }[] = [
  { variables: ['IAM_TOKEN'], read: (env) => token(env.IAM_TOKEN) },
  { variables: ['YC_TOKEN'], read: (env) => (env.YC_TOKEN ? unusable('YC_TOKEN', 'a Yandex OAuth token, which must be exchanged for an IAM token; ydb-sdk cannot do that exchange. Set IAM_TOKEN=$(yc iam create-token) instead') : null) },
  { variables: ['USE_METADATA_CREDENTIALS'], read: (env) => (flag(env, 'USE_METADATA_CREDENTIALS') ? { kind: 'metadata' } : null) },
  { variables: ['SA_KEY_FILE'], read: (env) => (env.SA_KEY_FILE ? { kind: 'service-account-key', file: env.SA_KEY_FILE } : null) },
  { variables: ['YDB_TOKEN'], read: (env) => token(env.YDB_TOKEN) },
  { variables: ['YDB_USER', 'YDB_PASSWORD'], read: (env) => login(env, 'YDB_USER', 'YDB_PASSWORD') },
  { variables: ['YDB_OAUTH2_KEY_FILE'], read: (env) => (env.YDB_OAUTH2_KEY_FILE ? unusable('YDB_OAUTH2_KEY_FILE', 'OAuth 2.0 token exchange, which ydb-sdk does not implement; use a token (YDB_TOKEN), a user and password, or a service account key') : null) },
  { variables: ['YDB_ACCESS_TOKEN_CREDENTIALS'], read: (env) => token(env.YDB_ACCESS_TOKEN_CREDENTIALS) },
  { variables: ['YDB_STATIC_CREDENTIALS_USER', 'YDB_STATIC_CREDENTIALS_PASSWORD'], read: (env) => login(env, 'YDB_STATIC_CREDENTIALS_USER', 'YDB_STATIC_CREDENTIALS_PASSWORD') },
  { variables: ['YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS'], read: (env) => (env.YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS ? { kind: 'service-account-key', file: env.YDB_SERVICE_ACCOUNT_KEY_FILE_CREDENTIALS } : null) },
  { variables: ['YDB_METADATA_CREDENTIALS'], read: (env) => (flag(env, 'YDB_METADATA_CREDENTIALS') ? { kind: 'metadata' } : null) },
  { variables: ['YDB_ANONYMOUS_CREDENTIALS'], read: (env) => (flag(env, 'YDB_ANONYMOUS_CREDENTIALS') ? { kind: 'anonymous' } : null) },
];

/** Every credential variable this tool reads, for the README and for messages. */
export const CREDENTIAL_VARIABLES: readonly string[] = ENV_KINDS.flatMap((k) => k.variables);

/**
 * The credentials the environment names, or null when it names none.
 * Two ways at once is an input error naming the variables (never their values).
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): CredentialsChoice | null {
  const set = ENV_KINDS.filter((kind) => kind.variables.some((name) => Boolean(env[name]) && !(isFlag(name) && env[name] === '0')));
  if (set.length > 1) {
    const names = set.map((kind) => kind.variables.filter((name) => env[name]).join('+'));
    throw new MigrateError('CREDENTIALS_AMBIGUOUS', `${names.join(' and ')} are all set, each naming a way to log in to YDB; unset all but one`);
  }
  const kind = set[0];
  const credentials = kind?.read(env) ?? null;
  return kind && credentials ? { credentials, from: kind.variables.filter((name) => env[name]).join('+') } : null;
}

function token(value: string | undefined): Credentials | null {
  return value ? { kind: 'access-token', token: value } : null;
}

function login(env: NodeJS.ProcessEnv, userVariable: string, passwordVariable: string): Credentials {
  const user = env[userVariable];
  if (!user) throw new MigrateError('CREDENTIALS_BAD', `${passwordVariable} is set without ${userVariable}; set the user too`);
  return { kind: 'static', user, password: env[passwordVariable] ?? '' };
}

const FLAGS = new Set(['USE_METADATA_CREDENTIALS', 'YDB_METADATA_CREDENTIALS', 'YDB_ANONYMOUS_CREDENTIALS']);
const isFlag = (name: string): boolean => FLAGS.has(name);

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name] ?? '';
  if (value !== '' && value !== '0' && value !== '1') throw new MigrateError('CREDENTIALS_BAD', `${name} must be 1 or 0, got '${value}'`);
  return value === '1';
}

function unusable(name: string, why: string): never {
  throw new MigrateError('CREDENTIALS_UNSUPPORTED', `${name} is set, naming ${why}`);
}

/** The secret strings of a set of credentials: what every message must mask. */
export function secretsOf(credentials: Credentials): string[] {
  if (credentials.kind === 'access-token') return [credentials.token];
  if (credentials.kind === 'static') return [credentials.password];
  return [];
}

/** "with the token from YDB_TOKEN", for messages about a refused login. */
export function describeLogin(choice: CredentialsChoice): string {
  const from = choice.from ? ` from ${choice.from}` : '';
  switch (choice.credentials.kind) {
    case 'anonymous':
      return choice.from ? `anonymously (${choice.from})` : `anonymously (no credentials were given: set one of ${CREDENTIAL_VARIABLES.filter((n) => !n.includes('PASSWORD')).join(', ')}, or use --profile)`;
    case 'access-token':
      return `with the token${from}`;
    case 'static':
      return `as the user '${choice.credentials.user}'${from}`;
    case 'service-account-key':
      return `with the service account key ${choice.credentials.file}${from}`;
    case 'metadata':
      return `with metadata credentials${from}`;
  }
}

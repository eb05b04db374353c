/**
 * The `ydb` CLI's connection profiles, read from its own file so that a YDB
 * user's working setup works here too.
 *
 * Location: `$HOME/ydb/config/config.yaml` (ydb/docs/en/core/reference/ydb-cli/profile/_includes/index.md,
 * "Where profiles are stored"; the CLI builds it as HomeDir/ydb/config/config.yaml in
 * ydb/public/lib/ydb_cli/commands/ydb_root_common.cpp). Format (profile_manager.cpp and the
 * CLI's profile tests):
 *
 *   active_profile: local          # used when no profile is named (profile/_includes/activate.md)
 *   profiles:
 *     local:
 *       endpoint: grpc://localhost:2136
 *       database: /local
 *       ca-file: /path/ca.pem
 *       authentication: { method: static-credentials, data: { user: u, password-file: /p } }
 *
 * Authentication methods the CLI writes: anonymous-auth, ydb-token, iam-token, token-file,
 * static-credentials, sa-key-file (+ iam-endpoint), use-metadata-credentials, yc-token,
 * yc-token-file, oauth2-key-file. The last three need exchanges ydb-sdk does not implement
 * and are refused by name.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as Yaml from 'yaml';
import { MigrateError } from '../errors.js';
import type { CredentialsChoice } from './credentials.js';

export interface Profile {
  name: string;
  file: string;
  endpoint: string | null;
  database: string | null;
  caFile: string | null;
  clientCertFile: string | null;
  clientKeyFile: string | null;
  credentials: CredentialsChoice | null;
}

// Loaded when a profile file exists, not at import: the YAML parser is over half of the code every command would otherwise read at start.
const requireFromHere = createRequire(import.meta.url);
const yaml = (): typeof Yaml => requireFromHere('yaml') as typeof Yaml;

/** Where the `ydb` CLI keeps its profiles for the user whose HOME is in `env`. */
export function profileFilePath(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), 'ydb', 'config', 'config.yaml');
}

/**
 * The profile NAME, or the active one when `name` is undefined; null when
 * no profile is named and none is active (or there is no profile file).
 */
export function readProfile(name: string | undefined, env: NodeJS.ProcessEnv): Profile | null {
  const file = profileFilePath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (name === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MigrateError('PROFILE_UNREADABLE', `cannot read the ydb CLI's profile file ${file} (${(err as Error).message}); create the profile with \`ydb config profile create ${name ?? 'NAME'}\``);
  }
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new MigrateError('PROFILE_BAD_YAML', `the ydb CLI's profile file is not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      location: { file, line: pos?.line ?? 1, column: pos?.col ?? 1 },
    });
  }
  const root = asMap(doc) ?? {};
  const profiles = asMap(root.profiles) ?? {};
  const chosen = name ?? (typeof root.active_profile === 'string' ? root.active_profile : undefined);
  if (chosen === undefined) return null;
  const entry = profiles[chosen];
  if (entry === undefined) {
    // The CLI ignores an active profile that no longer exists (profile_manager.cpp GetActiveProfile); so do we.
    if (name === undefined) return null;
    const known = Object.keys(profiles);
    throw new MigrateError('PROFILE_UNKNOWN', `no profile '${name}' in ${file}; ${known.length ? `its profiles: ${known.join(', ')}` : 'it holds no profiles'} (\`ydb config profile list\`)`);
  }
  const fields = asMap(entry) ?? {};
  const where = `profile ${chosen}`;
  const text_ = (key: string): string | null => {
    const value = fields[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || value === '') throw badProfile(file, where, `'${key}' must be a non-empty string`);
    return value;
  };
  if (fields['client-cert-key-password-file'] !== undefined) {
    throw new MigrateError('PROFILE_UNSUPPORTED', `${where} in ${file} has client-cert-key-password-file: ydb-sdk cannot use an encrypted client key; decrypt it (openssl pkey) and point client-cert-key-file at the result`);
  }
  return {
    name: chosen,
    file,
    endpoint: text_('endpoint'),
    database: text_('database'),
    caFile: text_('ca-file'),
    clientCertFile: text_('client-cert-file'),
    clientKeyFile: text_('client-cert-key-file'),
    credentials: profileCredentials(fields, file, where, text_('iam-endpoint')),
  };
}

function profileCredentials(fields: Record<string, unknown>, file: string, where: string, iamEndpoint: string | null): CredentialsChoice | null {
  if (fields.authentication === undefined || fields.authentication === null) return null;
  const auth = asMap(fields.authentication);
  const method = auth?.method;
  if (!auth || typeof method !== 'string') throw badProfile(file, where, "'authentication' must hold a 'method'");
  const from = `${where} (${method})`;
  const data = auth.data;
  const dataText = (): string => {
    if (typeof data !== 'string' || data === '') throw badProfile(file, where, `authentication method ${method} needs its 'data'`);
    return data;
  };
  switch (method) {
    case 'anonymous-auth':
      return { credentials: { kind: 'anonymous' }, from };
    case 'ydb-token':
    case 'iam-token':
      return { credentials: { kind: 'access-token', token: dataText() }, from };
    case 'token-file':
      return { credentials: { kind: 'access-token', token: readSecretFile(dataText(), from) }, from };
    case 'static-credentials': {
      const login = asMap(data);
      const user = login?.user;
      if (typeof user !== 'string' || user === '') throw badProfile(file, where, "static-credentials need 'data: { user: NAME, password | password-file }'");
      if (login!.password !== undefined && login!['password-file'] !== undefined) throw badProfile(file, where, 'static-credentials have both password and password-file; keep one');
      const passwordFile = login!['password-file'];
      const password = typeof passwordFile === 'string' ? readSecretFile(passwordFile, from) : String(login!.password ?? '');
      return { credentials: { kind: 'static', user, password }, from };
    }
    case 'sa-key-file':
      return { credentials: { kind: 'service-account-key', file: dataText(), ...(iamEndpoint ? { iamEndpoint } : {}) }, from };
    case 'use-metadata-credentials':
      return { credentials: { kind: 'metadata' }, from };
    case 'yc-token':
    case 'yc-token-file':
      throw new MigrateError('PROFILE_UNSUPPORTED', `${where} in ${file} logs in with ${method}, a Yandex OAuth token that must be exchanged for an IAM token; ydb-sdk cannot do that exchange. Set IAM_TOKEN=$(yc iam create-token), or give the profile an sa-key-file or iam-token`);
    case 'oauth2-key-file':
      throw new MigrateError('PROFILE_UNSUPPORTED', `${where} in ${file} logs in with oauth2-key-file (OAuth 2.0 token exchange), which ydb-sdk does not implement; use a token, a user and password, or a service account key`);
    default:
      throw new MigrateError('PROFILE_UNSUPPORTED', `${where} in ${file} logs in with the method '${method}', which ydb-migrate does not know; use a token, a user and password, or a service account key`);
  }
}

/** A token or password kept in a file, as the CLI reads it: the whole file, without the trailing newline. */
function readSecretFile(path: string, from: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new MigrateError('PROFILE_UNREADABLE', `cannot read ${path}, named by ${from} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function asMap(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function badProfile(file: string, where: string, why: string): MigrateError {
  return new MigrateError('PROFILE_BAD', `${where} in ${file}: ${why} (see \`ydb config profile get\`)`);
}

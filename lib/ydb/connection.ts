/**
 * A connection as the rest of ydb-migrate sees it. No ydb-sdk type appears
 * here, so the public declarations (RunResult, LockHolder, WatchEvent, ...)
 * never pull ydb-sdk's own typings into a user's compile; the driver stays
 * in lib/ydb/driver.ts (sdkOf).
 */
import type { ConnectionSettings, ConnectionTarget, ExistingDriver } from './settings.js';

export type ConnectOptions = ({ settings: ConnectionSettings } | ConnectionStringOptions) & {
  connectTimeoutSeconds: number;
  /** A driver the caller made and owns: used as it is, never destroyed. */
  driver?: ExistingDriver;
};

/** The short way in (tests, tools): a connection string, credentials from `env` (default process.env), no profile. */
export interface ConnectionStringOptions {
  connectionString: string;
  env?: NodeJS.ProcessEnv;
}

export interface Connection {
  readonly target: ConnectionTarget;
  /** The text with every secret of this connection, and the user-info of any URL, replaced by `***`. */
  mask(text: string): string;
  /** Destroys the driver (unless the caller owns it); safe to call twice. */
  close(): Promise<void>;
}

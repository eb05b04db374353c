/**
 * What the online tests share: a database (the test emulator, or a real YDB
 * when YDB_CONNECTION_STRING is set), the CLI of this very build run as a
 * child process, and a way to read tables back through ydb-sdk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_TABLE } from '../../lib/config.js';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { connect } from '../../lib/ydb/driver.js';
import { runRequest } from '../../lib/ydb/execute.js';
import { quoteIdentifier } from '../../lib/yql/identifier.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { cleanEnv, tempTree, type CliResult } from '../helpers/cli.js';

export { tempTree, type CliResult };

/** Set: the suite runs against this real YDB instead of the emulator. */
export const REAL_YDB = process.env.YDB_CONNECTION_STRING || null;
/** The database the suite runs in: the real YDB's (path or `?database=` of its connection string), else the emulator's. */
export const DATABASE = REAL_YDB ? (new URL(REAL_YDB).searchParams.get('database') ?? new URL(REAL_YDB).pathname) : '/local';
/** For `test(name, { skip: NEEDS_EMULATOR }, ...)`: tests that inject faults or count RPCs. */
export const NEEDS_EMULATOR = REAL_YDB ? 'needs the test emulator itself (fault injection, its RPC log or its tables), not a real YDB' : false;

export interface TestDatabase {
  connectionString: string;
  /** The history table `cli` runs with: unique on a shared real YDB, the default on an emulator of its own. */
  table: string;
  /** null against a real YDB. */
  emulator: Emulator | null;
  stop(): Promise<void>;
}

/**
 * The real YDB when one is set, else a fresh emulator. `private` always
 * gives a fresh emulator: for tests that apply the example sql/, whose
 * table names are fixed, so that parallel test files cannot collide.
 */
export async function startDatabase(options: { private?: boolean } = {}): Promise<TestDatabase> {
  if (REAL_YDB && !options.private) return { connectionString: REAL_YDB, table: unique('ydb_migrate_test_history'), emulator: null, stop: async () => undefined };
  const emulator = await startEmulator();
  return { connectionString: emulator.connectionString, table: DEFAULT_TABLE, emulator, stop: () => emulator.stop() };
}

/**
 * One test's setting: a database (stopped when the test ends), a prefix `p`
 * for the names it creates, its project made from `files(p)`, and a history
 * table of its own.
 */
export async function setUp(t: TestContext, files: (p: string) => Record<string, string>): Promise<{ db: TestDatabase; p: string; cwd: string; table: string }> {
  const db = await startDatabase();
  t.after(() => db.stop());
  const p = unique('t');
  return { db, p, cwd: await tempTree(files(p)), table: `${p}_history` };
}

/** A name no other test uses, so tests can share a real database. */
export function unique(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

const MAIN = pathToFileURL(fileURLToPath(new URL('../../lib/cli/main.js', import.meta.url))).href;
const ENTRY = 'const { main } = await import(process.argv[1]); await main(process.argv.slice(2));';

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Before the script, e.g. ['--import', hook]. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** Runs the CLI compiled next to this test, as users run it, with a clean environment plus `env`. */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The CLI as a running child, for tests that kill it halfway. */
export function startCli(args: string[], options: CliOptions): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--input-type=module', '-e', ENTRY, MAIN, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
  return { child, done };
}

/** A temporary copy of the example migrations in sql/ (with ydb-migrate.json), as a project directory. */
export async function exampleProject(): Promise<string> {
  const root = await tempTree();
  await cp(join(PACKAGE_ROOT, 'sql'), join(root, 'sql'), { recursive: true });
  await cp(join(PACKAGE_ROOT, 'ydb-migrate.json'), join(root, 'ydb-migrate.json'));
  return root;
}

/** Every row of a table, read through ydb-sdk; null when the table does not exist. */
export async function readTable(db: TestDatabase, table: string, orderBy?: string): Promise<Record<string, unknown>[] | null> {
  const connection = await connect({ connectionString: db.connectionString, connectTimeoutSeconds: 5, env: {} });
  try {
    const text = `SELECT * FROM ${quoteIdentifier(table)}${orderBy ? ` ORDER BY ${orderBy}` : ''};`;
    const [[rows = []] = []] = await runRequest(connection, { kind: 'transaction', queries: [{ text, bindings: [], source: null }] });
    return rows;
  } catch (err) {
    if ((err as { code?: string }).code === 'YDB_SCHEME_ERROR') return null;
    throw err;
  } finally {
    await connection.close();
  }
}

/** Runs one query of the test's own (DDL as a scheme request, else a transaction) through ydb-sdk. */
export async function runQuery(db: TestDatabase, kind: 'scheme' | 'transaction', text: string): Promise<void> {
  const connection = await connect({ connectionString: db.connectionString, connectTimeoutSeconds: 5, env: {} });
  try {
    const query = { text, bindings: [], source: null };
    await runRequest(connection, kind === 'scheme' ? { kind, query } : { kind, queries: [query] });
  } finally {
    await connection.close();
  }
}

/** The history rows' lasting fields, oldest first. */
export async function historyOf(db: TestDatabase, table = db.table): Promise<{ name: string; state: string; position: number }[]> {
  const rows = (await readTable(db, table, '`position`')) ?? [];
  return rows.map((r) => ({ name: String(r.name), state: String(r.state), position: Number(r.position) }));
}

/** Runs the CLI against `db` from `cwd`. */
export function cli(db: TestDatabase, cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd, env: { YDB_CONNECTION_STRING: db.connectionString, YDB_MIGRATE_TABLE: db.table, ...env } });
}

/** Resolves once `stream` has printed text matching `pattern`: what a test waits for instead of sleeping. */
export function untilOutput(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: string | Buffer): void => {
      seen += String(d);
      if (!pattern.test(seen)) return;
      stream.off('data', onData);
      resolve();
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`the output ended without ${pattern}:\n${seen}`)));
  });
}

/** Polls until `predicate` holds; fails after `ms`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A project whose migrations each create a table `${t}_NAME` (and drop it down), listed as in `manifest` (tags included). */
export function tableSet(t: string, manifest: string): Record<string, string> {
  const files: Record<string, string> = { 'sql/manifest.txt': manifest };
  for (const name of manifest.split('\n').filter((line) => line !== '' && !line.startsWith('@'))) {
    const x = name.replace(/^\d+_/, '');
    files[`sql/${name}.up.yql`] = `CREATE TABLE ${t}_${x} (id Uint64 NOT NULL, PRIMARY KEY (id));\n`;
    files[`sql/${name}.down.yql`] = `DROP TABLE ${t}_${x};\n`;
  }
  return files;
}

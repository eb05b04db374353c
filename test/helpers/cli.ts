/** Runs the real CLI (bin/ydb-migrate → dist) as a child process, the way users do. */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-info.js';

export const CLI = join(PACKAGE_ROOT, 'bin', 'ydb-migrate');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Environment without the user's YDB/ydb-migrate settings, so tests see only what they set. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(YDB_|IAM_TOKEN$|YC_TOKEN$|SA_KEY_FILE$|USE_METADATA_CREDENTIALS$|NO_COLOR|FORCE_COLOR|SOURCE_DATE_EPOCH)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number; cli?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.cli ?? CLI, ...args], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A fresh temporary directory with the given files (paths relative to it). */
export async function tempTree(files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ydb-migrate-test-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/**
 * Every shell example in README.md and the guides in docs/ runs here, so an example that stops
 * working fails `make test`. The convention (docs/local-development.md#documentation tells writers):
 *   ```sh            run, top to bottom, with `bash -e`, in the guide's own copy of the example
 *                    project (sql/ and ydb-migrate.json) and against the guide's own test emulator;
 *                    `ydb-migrate` is this build's CLI, and grpc://localhost:2136/local (or
 *                    127.0.0.1) means that emulator. A command expected to fail says so in shell:
 *                    `ydb-migrate status --check || echo "exit $?"`.
 *   ```sh no-run …   not run (Docker, make targets that start servers or the suite itself, a
 *                    remote database); listed as skipped with the words after `no-run`.
 * The blocks of one file share its project and database, in order: a guide reads as one session.
 * The ```ts example of docs/programmatic-api.md is compiled and run by test/package.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { startEmulator } from '../emulator/index.js';
import { CLI, cleanEnv, tempTree } from '../helpers/cli.js';

export interface ShellExample {
  file: string;
  line: number;
  text: string;
  /** Why it is not run; null: it runs. */
  notRun: string | null;
}

/** The ```sh blocks of a Markdown text, with the line each starts on. */
export function shellExamples(file: string, markdown: string): ShellExample[] {
  const examples: ShellExample[] = [];
  const fence = /^```sh( no-run ?(.*))?\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(fence)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    examples.push({ file, line, text: m[3]!, notRun: m[1] === undefined ? null : m[2]!.trim().replace(/^\((.*)\)$/, '$1') || 'marked no-run' });
  }
  return examples;
}

/** README.md and every guide in docs/ (the generated references hold no examples of their own). */
async function documents(): Promise<string[]> {
  const guides = (await readdir(join(PACKAGE_ROOT, 'docs'))).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...guides.map((f) => `docs/${f}`)];
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

test('the example convention: ```sh runs, ```sh no-run is listed with its reason', () => {
  const md = 'text\n```sh\nydb-migrate up\n```\n\n```sh no-run needs Docker\nmake ydb\n```\n```yql\nSELECT 1;\n```\n';
  assert.deepEqual(shellExamples('x.md', md), [
    { file: 'x.md', line: 2, text: 'ydb-migrate up\n', notRun: null },
    { file: 'x.md', line: 6, text: 'make ydb\n', notRun: 'needs Docker' },
  ]);
});

// The documents run side by side (each has its own emulator and project); the blocks of one, in order.
test('the shell examples of README.md and the guides run', { concurrency: true }, async (top) => {
  const runs = [];
  for (const file of await documents()) {
    const examples = shellExamples(file, await readFile(join(PACKAGE_ROOT, file), 'utf8'));
    if (examples.length > 0) runs.push(top.test(file, (t) => runExamples(t, examples)));
  }
  await Promise.all(runs);
});

async function runExamples(t: TestContext, examples: readonly ShellExample[]): Promise<void> {
  const running = examples.filter((e) => e.notRun === null);
  let emulator: Awaited<ReturnType<typeof startEmulator>> | null = null;
  let cwd = '';
  let env: NodeJS.ProcessEnv = {};
  if (running.length > 0) {
    emulator = await startEmulator();
    t.after(() => emulator?.stop());
    cwd = await tempTree();
    await cp(join(PACKAGE_ROOT, 'sql'), join(cwd, 'sql'), { recursive: true });
    await cp(join(PACKAGE_ROOT, 'ydb-migrate.json'), join(cwd, 'ydb-migrate.json'));
    const bin = join(cwd, '.bin');
    await mkdir(bin);
    await symlink(CLI, join(bin, 'ydb-migrate'));
    env = cleanEnv({ PATH: `${bin}:${process.env.PATH ?? ''}`, YDB_CONNECTION_STRING: emulator.connectionString, NO_COLOR: '1' });
  }
  for (const example of examples) {
    const first = example.text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
    const name = `${example.file}:${example.line}: ${first.trim()}`;
    if (example.notRun !== null) {
      await t.test(name, { skip: `not run: ${example.notRun}` }, () => {});
      continue;
    }
    await t.test(name, async () => {
      const script = example.text.replace(/grpc:\/\/(localhost|127\.0\.0\.1):2136\/local/g, emulator!.connectionString);
      const { status, output } = await bash(script, cwd, env);
      assert.equal(status, 0, `${example.file}:${example.line}: the example failed (exit ${status}):\n${example.text}\n--- its output:\n${output}`);
    });
  }
}

test('no shell example escapes the convention under another fence (bash, shell, console, zsh)', async () => {
  const escaped: string[] = [];
  for (const file of await documents()) {
    const text = await readFile(join(PACKAGE_ROOT, file), 'utf8');
    for (const m of text.matchAll(/^```(bash|shell|console|zsh)\b/gm)) escaped.push(`${file}:${text.slice(0, m.index).split('\n').length}: \`\`\`${m[1]}`);
  }
  assert.deepEqual(escaped, [], 'fence shell examples as ```sh (run) or ```sh no-run REASON');
});

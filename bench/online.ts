/**
 * bench/online: applies N small migrations with `ydb-migrate up` (a child
 * process, as users run it) against the test emulator (in this process).
 * Prints wall time, the RPCs the emulator answered (split into the
 * migrations' own requests — one per DDL statement, one per run of DML —,
 * the extra per migration, and the fixed cost of a run, measured by a second
 * `up` with nothing to do), the RPCs per migration against the goal (its
 * requests plus at most one), and the client's CPU per migration. Asserts nothing.
 * Also `status` with nothing to do against a bare `node -e 0` (start-up and one history read), and
 * whether this Node takes the code caches of the bundled CLI's files (without them it compiles them).
 *   node dist/bench/online.js [N]      (default: 1000)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyTableDdl } from '../lib/online/history-table.js';
import { lockTableDdl } from '../lib/online/lock-table.js';
import { PACKAGE_ROOT } from '../lib/package-info.js';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import { codeCacheUse } from '../test/helpers/code-cache.js';

const CLI = join(PACKAGE_ROOT, 'bin', 'ydb-migrate');
const HOOK = join(PACKAGE_ROOT, 'bench', 'measure-exit.mjs');
const BUNDLED_FILES = ['cli.cjs', 'ydb-sdk.cjs'].map((name) => join(PACKAGE_ROOT, 'dist', 'cli', name));

interface Kind {
  label: string;
  /** Requests each migration's text makes: one per DDL statement, one per run of DML statements. */
  requests: number;
  text(i: number): string;
}

const KINDS: Kind[] = [
  { label: 'DML only', requests: 1, text: (i) => `UPSERT INTO bench (id, note) VALUES (${i}, "row ${i}"u);\n` },
  { label: 'DDL only', requests: 1, text: (i) => `CREATE TABLE t_${i} (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));\n` },
  { label: 'DDL + DML', requests: 2, text: (i) => `CREATE TABLE t_${i} (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));\nUPSERT INTO t_${i} (id, note) VALUES (1, "row ${i}"u);\n` },
  {
    label: '3 DDL + DML',
    requests: 4,
    text: (i) =>
      `CREATE TABLE t_${i} (id Uint64 NOT NULL, PRIMARY KEY (id));\nALTER TABLE t_${i} ADD COLUMN note Utf8;\n` +
      `ALTER TABLE t_${i} ADD INDEX t_${i}_by_note GLOBAL ON (note);\nUPSERT INTO t_${i} (id, note) VALUES (1, "row ${i}"u);\n`,
  },
];

async function project(kind: Kind, n: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ydb-migrate-bench-online-'));
  const dir = join(root, 'sql');
  await mkdir(dir);
  const names = Array.from({ length: n }, (_, i) => `${String(i + 1).padStart(5, '0')}_step`);
  await Promise.all(names.map((name, i) => writeFile(join(dir, `${name}.up.yql`), kind.text(i + 1))));
  await writeFile(join(dir, 'manifest.txt'), `${names.join('\n')}\n`);
  return root;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  rpcs: number;
}

/** Runs `node ARGS` as a child process (the CLI as users run it, or a bare node) and reports its wall time, its own CPU time and the RPCs the emulator answered meanwhile. */
function runNode(emulator: Emulator, cwd: string, args: string[]): Promise<Run> {
  const report = join(cwd, 'usage.json');
  emulator.log.clear();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, ...args], {
      cwd,
      env: { ...process.env, YDB_CONNECTION_STRING: emulator.connectionString, YDB_MIGRATE_BENCH_REPORT: report },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', async (status) => {
      const wallMs = performance.now() - started;
      if (status !== 0) return reject(new Error(`node ${args.join(' ')} failed (${status}): ${stderr}`));
      const usage = JSON.parse(await readFile(report, 'utf8')) as { userMicros: number; systemMicros: number };
      resolve({ wallMs, cpuMs: (usage.userMicros + usage.systemMicros) / 1000, rpcs: emulator.log.length });
    });
  });
}

const up = (emulator: Emulator, cwd: string) => runNode(emulator, cwd, [CLI, 'up']);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** `status` on an up-to-date database against a bare `node -e 0`, interleaved, medians of 9 after a warm-up. */
async function statusVersusNode(emulator: Emulator, cwd: string): Promise<void> {
  const status: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round <= 9; round++) {
    const a = await runNode(emulator, cwd, [CLI, 'status']);
    const b = await runNode(emulator, cwd, ['-e', '0']);
    if (round > 0) status.push(a.wallMs), bare.push(b.wallMs);
  }
  const [s, b] = [median(status), median(bare)];
  console.log(`  status with nothing to do: ${s.toFixed(0)} ms vs node -e 0 ${b.toFixed(0)} ms = ${(s / b).toFixed(2)}× (goal <= 4×); code caches of cli.cjs, ydb-sdk.cjs: ${codeCacheUse(BUNDLED_FILES).join(', ')}`);
}

const TABLE = 'ydb_migrate_history';
const n = Number(process.argv[2] ?? 1000);
console.log(`bench/online: ${n} migrations, ydb-migrate up as a child process against the in-process emulator (node ${process.version})`);
for (const kind of KINDS) {
  const emulator = await startEmulator();
  const cwd = await project(kind, n);
  try {
    // The tables a first run creates (two more RPCs, once per database) are made beforehand, so the figures are those of every run.
    const setup = ['CREATE TABLE bench (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));', historyTableDdl(TABLE), lockTableDdl(TABLE)];
    emulator.engine.execute({ text: setup.join('\n'), params: {}, mode: 'notx' });
    const run = await up(emulator, cwd);
    const idle = await up(emulator, cwd);
    if (kind === KINDS[0]) await statusVersusNode(emulator, cwd);
    const requests = n * kind.requests;
    const perMigration = (run.rpcs - idle.rpcs) / n;
    console.log(
      `  ${kind.label.padEnd(11)} wall ${run.wallMs.toFixed(0)} ms (${(run.wallMs / n).toFixed(2)} ms/migration); ` +
        `RPCs ${run.rpcs} = ${requests} requests + ${(perMigration - kind.requests).toFixed(2)}/migration + ${idle.rpcs} per run; ` +
        `${perMigration.toFixed(2)} RPCs/migration (goal <= ${kind.requests} + 1); ` +
        `client CPU ${((run.cpuMs - idle.cpuMs) / n).toFixed(2)} ms/migration (${run.cpuMs.toFixed(0)} ms total, ${idle.cpuMs.toFixed(0)} ms for a run with nothing to do)`,
    );
  } finally {
    await emulator.stop();
    await rm(cwd, { recursive: true, force: true });
  }
}

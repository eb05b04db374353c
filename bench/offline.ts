/**
 * bench/offline: the offline figures, each from whole processes, printed from ONE run:
 *  - `sql` at 100, 1,000 and 10,000 migrations, and the floor it is measured against
 *    (a node process that reads the same files and writes their concatenation);
 *  - the bytes of bookkeeping the script adds per migration (the 10,000-migration script against
 *    the one for its first migration, each minus its up files), and the script's size at 10,000;
 *  - `lint` against `validate` at 10,000 migrations;
 *  - `--version` against `node -e 0` (start-up);
 *  - peak memory of `sql` at 10,000, and of `validate`/`sql` on one 20 MB file of 350,000 statements;
 *  - Alembic's `upgrade head --sql` on an equivalent chain, side by side, when `python3 -m alembic`
 *    is available (Debian: `apt-get install python3-alembic`); skipped with a note otherwise.
 * Each pair of commands runs interleaved (A B A B ...) and the medians are quoted, so a ratio holds
 * while the machine's speed drifts. Goals are printed beside the figures; nothing is asserted.
 *   node dist/bench/offline.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAlembicChain, findAlembicPython } from './alembic-chain.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'ydb-migrate');
const hook = join(root, 'bench', 'measure-exit.mjs');
const floor = fileURLToPath(new URL('./floor.js', import.meta.url));
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;

interface Sample {
  wallMs: number;
  /** Of the measured process itself; NaN for a process the hook cannot enter (python). */
  peakMiB: number;
}

interface Command {
  argv: string[];
  cwd?: string;
  /** Whether `argv[0]` is node, so the exit hook can report the process's own peak memory. */
  node: boolean;
}

const nodeCommand = (...args: string[]): Command => ({ argv: [process.execPath, ...args], node: true });

function runOnce(command: Command, report: string): Sample {
  const [program, ...args] = command.argv as [string, ...string[]];
  const argv = command.node ? ['--import', hook, ...args] : args;
  rmSync(report, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(program, argv, {
    // Not the caller's folder: its ydb-migrate.json (params, dir) would apply to the synthetic sets.
    cwd: command.cwd ?? dirname(report),
    env: { ...process.env, YDB_MIGRATE_BENCH_REPORT: report },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.argv.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.slice(0, 2000)}`);
  const peakMiB = command.node ? (JSON.parse(readFileSync(report, 'utf8')) as { maxRssKiB: number }).maxRssKiB / 1024 : Number.NaN;
  return { wallMs, peakMiB };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Figure {
  wallMs: number;
  peakMiB: number;
}

/** Runs the commands interleaved, one warm-up round first, and returns each one's medians. */
function measure(work: string, commands: Command[], runs = RUNS): Figure[] {
  const report = join(work, 'usage.json');
  const samples = commands.map(() => [] as Sample[]);
  for (let round = 0; round <= runs; round++) {
    commands.forEach((command, i) => {
      const sample = runOnce(command, report);
      if (round > 0) samples[i]!.push(sample);
    });
  }
  return samples.map((s) => ({ wallMs: median(s.map((x) => x.wallMs)), peakMiB: median(s.map((x) => x.peakMiB)) }));
}

/** N synthetic migrations: a table and a row each, with a ';' inside a string, a tag every 100. */
function writeMigrations(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 1; i <= n; i++) {
    const name = `${String(i).padStart(5, '0')}_step_${i}`;
    names.push(name);
    if (i % 100 === 0) names.push(`@release_${i / 100}`);
    writeFileSync(
      join(dir, `${name}.up.yql`),
      `-- synthetic migration ${i}\nCREATE TABLE t_${i} (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));\n` +
        `UPSERT INTO t_${i} (id, note) VALUES (1, "row ${i}; with a ';' inside"u);\n`,
    );
    writeFileSync(join(dir, `${name}.down.yql`), `DROP TABLE t_${i};\n`);
  }
  writeFileSync(join(dir, 'manifest.txt'), `${names.join('\n')}\n`);
}

/** One migration whose up file holds `statements` statements (about 57 bytes each). */
function writeBigMigration(dir: string, statements: number): number {
  mkdirSync(dir, { recursive: true });
  const lines = ['CREATE TABLE big (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));'];
  for (let i = 1; i < statements; i++) lines.push(`UPSERT INTO big (id, note) VALUES (${i}, "row ${i}; x"u);`);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(dir, '00001_big.up.yql'), text);
  writeFileSync(join(dir, '00001_big.down.yql'), 'DROP TABLE big;\n');
  writeFileSync(join(dir, 'manifest.txt'), '00001_big\n');
  return Buffer.byteLength(text);
}

/** The bytes of `count` migrations' own up files, as `writeMigrations` names them. */
function upBytes(dir: string, count: number): number {
  let total = 0;
  for (let i = 1; i <= count; i++) total += statSync(join(dir, `${String(i).padStart(5, '0')}_step_${i}.up.yql`)).size;
  return total;
}

/**
 * What the script adds to its migrations' own text, per migration: the script for the whole set
 * against the one for its first migration, so that the header and the guard cancel out.
 */
function bookkeeping(dir: string, n: number): { perMigration: number; scriptBytes: number; ownBytes: number } {
  const sizeOf = (args: string[]): number => {
    const out = join(work, 'range.yql');
    runOnce(nodeCommand(cli, 'sql', '--dir', dir, ...args, '-o', out), join(work, 'usage.json'));
    return statSync(out).size;
  };
  const [one, all] = [sizeOf(['--to', `${String(1).padStart(5, '0')}_step_1`]), sizeOf([])];
  const [ownOne, ownAll] = [upBytes(dir, 1), upBytes(dir, n)];
  return { perMigration: (all - ownAll - (one - ownOne)) / (n - 1), scriptBytes: all, ownBytes: ownAll };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (x: number) => `${(x / 1e6).toFixed(1)} MB`;
const mib = (x: number) => `${x.toFixed(0)} MiB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const row = (label: string, value: string, goal = '') => console.log(`  ${label.padEnd(58)} ${value.padEnd(34)} ${goal}`);

const sqlCommand = (dir: string, out: string) => nodeCommand(cli, 'sql', '--dir', dir, '-o', out);

const work = mkdtempSync(join(tmpdir(), 'ydb-migrate-bench-'));
try {
  console.log(`bench/offline: whole processes, medians of ${RUNS} interleaved runs after a warm-up (node ${process.version})`);

  const [version, bare] = measure(work, [nodeCommand(cli, '--version'), nodeCommand('-e', '0')]);
  row('--version vs node -e 0', `${ms(version!.wallMs)} vs ${ms(bare!.wallMs)} = ${ratio(version!.wallMs, bare!.wallMs)}`, 'goal ≤ 2×');

  for (const n of [100, 1000, 10000]) {
    const dir = join(work, `sql-${n}`);
    writeMigrations(dir, n);
    if (n === 10000) {
      const [tool, base] = measure(work, [sqlCommand(dir, join(work, 'out.yql')), nodeCommand(floor, dir, join(work, 'floor.yql'))]);
      row(`sql, ${n} migrations`, `${ms(tool!.wallMs)}, peak ${mib(tool!.peakMiB)}`, 'goal ≤ 100 MiB');
      row(`  vs the floor (read the ${2 * n} files, write them joined)`, `${ms(base!.wallMs)} = ${ratio(tool!.wallMs, base!.wallMs)}`, 'goal ≤ 1.5×');
      const { perMigration, scriptBytes, ownBytes } = bookkeeping(dir, n);
      row(`bookkeeping bytes per migration (1 vs ${n})`, `${perMigration.toFixed(0)} B`, 'goal ≤ 300 B');
      row(`script size, ${n} migrations`, `${mb(scriptBytes)} for ${mb(ownBytes)} of up files`);
      const [lint, validate] = measure(work, [nodeCommand(cli, 'lint', '--dir', dir), nodeCommand(cli, 'validate', '--dir', dir)]);
      row(`lint vs validate, ${n} migrations`, `${ms(lint!.wallMs)} vs ${ms(validate!.wallMs)} = ${ratio(lint!.wallMs, validate!.wallMs)}`, 'goal ≤ 1.5×');
    } else {
      const [tool] = measure(work, [sqlCommand(dir, join(work, 'out.yql'))]);
      row(`sql, ${n} migrations`, `${ms(tool!.wallMs)}, peak ${mib(tool!.peakMiB)}`);
    }
  }

  const bigDir = join(work, 'big');
  const bytes = writeBigMigration(bigDir, 350_000);
  const [validateBig, sqlBig] = measure(work, [nodeCommand(cli, 'validate', '--dir', bigDir), sqlCommand(bigDir, join(work, 'big.yql'))], 1);
  const big = `one ${(bytes / 1e6).toFixed(0)} MB file of 350,000 statements`;
  row(`validate, ${big}`, `${ms(validateBig!.wallMs)}, peak ${mib(validateBig!.peakMiB)}`, 'goal ≤ 300 MiB');
  row(`sql, ${big}`, `${ms(sqlBig!.wallMs)}, peak ${mib(sqlBig!.peakMiB)}`, 'goal ≤ 300 MiB');

  const python = findAlembicPython();
  if (!python) {
    console.log('  Alembic: skipped (no `python3 -m alembic`; on Debian: apt-get install python3-alembic)');
  } else {
    for (const [n, goal] of [[100, 2], [10000, 10]] as const) {
      const chain = join(work, `alembic-${n}`);
      writeAlembicChain(chain, n);
      const alembic: Command = { argv: [python.executable, '-m', 'alembic', 'upgrade', 'head', '--sql'], cwd: chain, node: false };
      const [ours, theirs] = measure(work, [sqlCommand(join(work, `sql-${n}`), join(work, "out.yql")), alembic], n === 10000 ? 3 : RUNS);
      row(`Alembic ${python.version} upgrade head --sql, ${n} revisions`, `${ms(theirs!.wallMs)} vs sql ${ms(ours!.wallMs)}: ${ratio(theirs!.wallMs, ours!.wallMs)} faster`, `goal ≥ ${goal}×`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

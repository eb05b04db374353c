/**
 * bench/offline: generates N synthetic migrations and times `ydb-migrate sql`
 * end to end as a whole process (start-up, loading, planning, rendering,
 * writing). Prints wall time and peak memory; asserts nothing.
 *   node dist/bench/offline.js [N ...]      (default: 1000 10000)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'ydb-migrate');
const hook = join(root, 'bench', 'measure-exit.mjs');
const RUNS = 5;

function makeMigrations(dir: string, n: number): void {
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

function runOnce(dir: string, out: string, report: string): { wallMs: number; maxRssMiB: number; cpuMs: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', hook, cli, 'sql', '--dir', dir, '-o', out], {
    env: { ...process.env, YDB_MIGRATE_BENCH_REPORT: report },
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`ydb-migrate sql failed (${result.status}): ${result.stderr}`);
  const usage = JSON.parse(readFileSync(report, 'utf8')) as { maxRssKiB: number; userMicros: number; systemMicros: number };
  return { wallMs, maxRssMiB: usage.maxRssKiB / 1024, cpuMs: (usage.userMicros + usage.systemMicros) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
console.log(`bench/offline: ydb-migrate sql as a whole process, median of ${RUNS} runs (node ${process.version})`);
for (const n of sizes.length ? sizes : [1000, 10000]) {
  const work = mkdtempSync(join(tmpdir(), 'ydb-migrate-bench-'));
  try {
    const dir = join(work, 'sql');
    mkdirSync(dir);
    makeMigrations(dir, n);
    const runs = Array.from({ length: RUNS }, () => runOnce(dir, join(work, 'out.yql'), join(work, 'usage.json')));
    const bytes = statSync(join(work, 'out.yql')).size;
    console.log(
      `  ${String(n).padStart(6)} migrations: wall ${median(runs.map((r) => r.wallMs)).toFixed(0)} ms ` +
        `(min ${Math.min(...runs.map((r) => r.wallMs)).toFixed(0)}), cpu ${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms, ` +
        `peak RSS ${median(runs.map((r) => r.maxRssMiB)).toFixed(1)} MiB, script ${(bytes / 1024 / 1024).toFixed(2)} MiB`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

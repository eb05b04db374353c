/**
 * bench/watch: latency of `watch` from a file write to its "applied" event,
 * over N edits (default 50) against the test emulator (in this process, on
 * the same event loop), with the default debounce. Two edits: the last of
 * five migrations (1 revert + 1 apply) and the first (5 reverts + 5 applies).
 * Prints p50 and p95 of the latency, of the database's own execution time
 * (the emulator engine's time, measured inside it), of the run as the client
 * sees it (every round trip: lock, history, migrations, release), and of
 * what is left beyond each. Asserts nothing.
 *   node dist/bench/watch.js [N]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from '../lib/migrator.js';
import type { WatchEvent } from '../lib/watch/session.js';
import { DEFAULT_DEBOUNCE_MS } from '../lib/watch/session.js';
import { startEmulator, type Emulator } from '../test/emulator/index.js';

const N = Number(process.argv[2] ?? 50);
const NAMES = ['0001_t1', '0002_t2', '0003_t3', '0004_t4', '0005_t5'];

const upText = (name: string, column: string): string => `CREATE TABLE ${name.slice(5)} (id Uint64 NOT NULL, ${column} Utf8, PRIMARY KEY (id));\n`;

async function project(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'ydb-migrate-bench-watch-')), 'sql');
  await mkdir(dir);
  await writeFile(join(dir, 'manifest.txt'), `${NAMES.join('\n')}\n`);
  for (const name of NAMES) {
    await writeFile(join(dir, `${name}.up.yql`), upText(name, 'note'));
    await writeFile(join(dir, `${name}.down.yql`), `DROP TABLE ${name.slice(5)};\n`);
  }
  return dir;
}

/** Adds up the time the emulator's engine spends executing, i.e. the database's own work. */
function timeEngine(emulator: Emulator): () => number {
  let total = 0;
  const engine = emulator.engine as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['execute', 'beginTransaction', 'commit', 'rollback']) {
    const original = engine[method]!.bind(emulator.engine);
    engine[method] = (...args: unknown[]) => {
      const started = performance.now();
      try {
        return original(...args);
      } finally {
        total += performance.now() - started;
      }
    };
  }
  return () => total;
}

/** Resolves with the next event of `type`. */
function nextEvent(listeners: Set<(e: WatchEvent) => void>, type: WatchEvent['type']): Promise<WatchEvent> {
  return new Promise((resolve) => {
    const listener = (event: WatchEvent): void => {
      if (event.type !== type) return;
      listeners.delete(listener);
      resolve(event);
    };
    listeners.add(listener);
  });
}

interface Sample {
  latency: number;
  engine: number;
  run: number;
}

async function measure(label: string, edited: string): Promise<void> {
  const emulator = await startEmulator();
  const engineMs = timeEngine(emulator);
  const dir = await project();
  const listeners = new Set<(e: WatchEvent) => void>();
  const failures: string[] = [];
  const session = await new Migrator({ dir, connectionString: emulator.connectionString, env: {} }).watch({
    onEvent: (event) => {
      if (event.type === 'failed') failures.push(event.error.toString());
      for (const listener of listeners) listener(event);
    },
  });
  try {
    await nextEvent(listeners, 'applied');
    const samples: Sample[] = [];
    for (let i = 1; i <= N; i++) {
      const applied = nextEvent(listeners, 'applied');
      const engineBefore = engineMs();
      const written = performance.now();
      await writeFile(join(dir, `${edited}.up.yql`), upText(edited, `v${i}`));
      const event = (await applied) as Extract<WatchEvent, { type: 'applied' }>;
      samples.push({ latency: performance.now() - written, engine: engineMs() - engineBefore, run: event.totalMs });
    }
    if (failures.length > 0) throw new Error(`runs failed: ${failures.join('\n')}`);
    const row = (what: string, values: number[]): string => `    ${what.padEnd(48)} p50 ${percentile(values, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(values, 95).toFixed(1).padStart(6)} ms`;
    console.log(`  ${label}`);
    console.log(row('write → applied', samples.map((s) => s.latency)));
    console.log(row("database's own execution (emulator engine)", samples.map((s) => s.engine)));
    console.log(row('run as the client sees it (all round trips)', samples.map((s) => s.run)));
    console.log(row('beyond the database execution', samples.map((s) => s.latency - s.engine)));
    console.log(row('beyond the run (file events, debounce, reading)', samples.map((s) => s.latency - s.run)));
  } finally {
    await session.stop();
    await emulator.stop();
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

console.log(`bench/watch: ${N} edits each, debounce ${DEFAULT_DEBOUNCE_MS} ms, emulator in this process (node ${process.version})`);
await measure(`edit the last of ${NAMES.length} migrations (1 revert + 1 apply)`, NAMES[NAMES.length - 1]!);
await measure(`edit the first of ${NAMES.length} migrations (${NAMES.length} reverts + ${NAMES.length} applies)`, NAMES[0]!);

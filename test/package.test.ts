/**
 * The npm package as a user gets it: `npm pack` of this build, installed into
 * a fresh project in a temporary folder, then used four ways against the
 * emulator: the CLI through npx, ESM import, CommonJS require, and TypeScript
 * (strict, NodeNext and commonjs without esModuleInterop).
 *
 * Offline by design, and one install per run: after `npm ci` the npm cache holds
 * every dependency's tarball but not the registry's package documents, so a bare
 * `npm install x.tgz --offline` cannot resolve version ranges. The fresh project
 * therefore gets a lockfile made of this repository's own resolutions (the
 * non-dev entries of package-lock.json), and `npm ci --offline` installs from the cache.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../lib/package-info.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { tempTree } from './helpers/cli.js';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const MIGRATIONS = {
  'manifest.txt': '0001_users\n0002_orders\n',
  '0001_users.up.yql': 'CREATE TABLE users (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  '0001_users.down.yql': 'DROP TABLE users;\n',
  '0002_orders.up.yql': 'CREATE TABLE orders (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  '0002_orders.down.yql': 'DROP TABLE orders;\n',
};

/** One program, compiled under both TypeScript configurations: it must type-check under strict. */
const TS_APP = `import { Migrator, MigrateError, type Credentials, type RunResult } from 'ydb-migrate';

const credentials: Credentials = { kind: 'anonymous' };

async function main(): Promise<void> {
  const migrator = new Migrator({ dir: process.argv[2] ?? 'sql', connectionString: process.env.TARGET, table: process.env.TABLE, credentials, connectTimeoutSeconds: 5 });
  const result: RunResult = await migrator.up(process.argv[3] ?? 'head');
  if (!result.ok) {
    const message: string = result.error.message;
    const isError: boolean = result.error instanceof MigrateError;
    console.log(JSON.stringify({ ok: false, message, isError }));
    return;
  }
  const nothing: null = result.error;
  console.log(JSON.stringify({ ok: true, applied: result.results.map((r) => r.name), nothing }));
}

void main();
`;

interface Installed {
  dir: string;
  tarball: string;
  files: string[];
}

let emulator: Emulator;
let installed: Installed;

before(async () => {
  emulator = await startEmulator();
  installed = await packAndInstall();
});
after(async () => {
  await emulator?.stop();
  if (installed) await rm(installed.dir, { recursive: true, force: true });
});

async function packAndInstall(): Promise<Installed> {
  const dir = await tempTree();
  for (const use of ['cli', 'esm', 'cjs', 'nodenext', 'commonjs']) {
    // Each way of use gets its own migrations, tables and history table on the one emulator.
    const own = (text: string): string => text.replaceAll('users', `users_${use}`).replaceAll('orders', `orders_${use}`);
    await mkdir(join(dir, `sql-${use}`));
    for (const [name, text] of Object.entries(MIGRATIONS)) await writeFile(join(dir, `sql-${use}`, own(name)), own(text));
  }
  // --ignore-scripts: `make test` has built dist/ already, and prepack's rebuild would race the test files running beside this one.
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: PACKAGE_ROOT });
  const packed = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0]!;
  const tarball = join(dir, packed.filename);
  const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { 'ydb-migrate': `file:./${packed.filename}` } }));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(await consumerLock(packed.filename, pkg)));
  await run(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir });
  return { dir, tarball, files: packed.files.map((f) => f.path).sort() };
}

/** A lockfile for the fresh project: ydb-migrate from the tarball, its dependencies as this repository resolved them. */
async function consumerLock(filename: string, pkg: { version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> }): Promise<unknown> {
  const lock = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; version?: string; resolved?: string }> };
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { 'ydb-migrate': `file:./${filename}` } },
    'node_modules/ydb-migrate': { version: pkg.version, resolved: `file:${filename}`, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // Without `resolved`, npm would ask the registry where the tarball is; the cache knows it by this URL.
    packages[path] = { ...entry, resolved: entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

test('the tarball holds what a user needs and nothing of the build around it', () => {
  const files = installed.files;
  for (const needed of ['LICENSE', 'README.md', 'package.json', 'bin/ydb-migrate', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/cli/main.js', 'dist/cli/main.js', 'templates/offline-run.sh.hbs']) {
    assert.ok(files.includes(needed), `${needed} is missing from the tarball: ${files.join(', ')}`);
  }
  const stray = files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts') || f.startsWith('dist/test') || f.startsWith('dist/bench') || f.startsWith('lib/') || f.startsWith('test/'));
  assert.deepEqual(stray, [], 'no source maps (their sources do not ship), sources or tests');
});

test('npx ydb-migrate --help runs the installed CLI', async () => {
  const { stdout } = await run(NPM, ['exec', '--offline', '--no', '--', 'ydb-migrate', '--help'], { cwd: installed.dir });
  assert.match(stdout, /^ydb-migrate <command> \[options\]/);
  assert.match(stdout, /--profile/);
});

test('the installed CLI migrates the emulator', async () => {
  const { stdout } = await run(join(installed.dir, 'node_modules', '.bin', 'ydb-migrate'), ['up', '--dir', 'sql-cli', '--table', 'cli_history', '-c', emulator.connectionString, '--json'], { cwd: installed.dir });
  assert.deepEqual((JSON.parse(stdout) as { results: { name: string }[] }).results.map((r) => r.name), ['0001_users_cli', '0002_orders_cli']);
});

test('ESM import and CommonJS require both give the Migrator, and it runs against the emulator', async () => {
  await writeFile(
    join(installed.dir, 'esm.mjs'),
    `import { Migrator } from 'ydb-migrate';\nconst r = await new Migrator({ dir: 'sql-esm', table: 'esm_history', connectionString: process.env.TARGET }).up();\nconsole.log(JSON.stringify({ ok: r.ok, applied: r.results.map((x) => x.name) }));\n`,
  );
  await writeFile(
    join(installed.dir, 'cjs.cjs'),
    `const { Migrator, MigrateError } = require('ydb-migrate');\nconst { version } = require('ydb-migrate/package.json');\nnew Migrator({ dir: 'sql-cjs', table: 'cjs_history', connectionString: process.env.TARGET }).up('0001_users_cjs').then((r) => console.log(JSON.stringify({ ok: r.ok, applied: r.results.map((x) => x.name), version, errorClass: typeof MigrateError })));\n`,
  );
  const env = { ...process.env, TARGET: emulator.connectionString };
  const esm = await run(process.execPath, ['esm.mjs'], { cwd: installed.dir, env });
  assert.deepEqual(JSON.parse(esm.stdout), { ok: true, applied: ['0001_users_esm', '0002_orders_esm'] });
  const cjs = await run(process.execPath, ['cjs.cjs'], { cwd: installed.dir, env });
  assert.deepEqual(JSON.parse(cjs.stdout), { ok: true, applied: ['0001_users_cjs'], version: JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version, errorClass: 'function' });
});

test('TypeScript strict compiles against the types (NodeNext, and commonjs without esModuleInterop), and the output runs', async () => {
  const configs: [string, string, Record<string, unknown>][] = [
    ['nodenext', 'app.mts', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['commonjs', 'app.ts', { module: 'commonjs', esModuleInterop: false }],
  ];
  for (const [name, file, options] of configs) {
    const project = join(installed.dir, `ts-${name}`);
    await tempWrite(project, file, TS_APP);
    await tempWrite(project, 'tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', outDir: 'out', types: ['node'], skipLibCheck: false, ...options }, files: [file] }));
    const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project }).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
    assert.ok(!('failed' in compiled), `${name}: tsc failed:\n${compiled.stdout}`);
    const out = join('out', file.replace(/\.mts$/, '.mjs').replace(/\.ts$/, '.js'));
    const env = { ...process.env, TARGET: emulator.connectionString, TABLE: `${name}_history` };
    const ran = await run(process.execPath, [out, join('..', `sql-${name}`)], { cwd: project, env });
    assert.deepEqual(JSON.parse(ran.stdout), { ok: true, applied: [`0001_users_${name}`, `0002_orders_${name}`], nothing: null }, name);
    // A failure comes back as data whose error type-checks after `if (!result.ok)`.
    const failed = await run(process.execPath, [out, join('..', `sql-${name}`), 'no_such_migration'], { cwd: project, env });
    assert.equal((JSON.parse(failed.stdout) as { ok: boolean; isError: boolean }).isError, true, failed.stdout);
  }
});

test("the programmatic API guide's example compiles with tsc --init's settings in an ES module and a CommonJS project, and runs in both", async () => {
  const guide = await readFile(join(PACKAGE_ROOT, 'docs', 'programmatic-api.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)\n```/.exec(guide)?.[1];
  assert.ok(example, 'docs/programmatic-api.md has a ```ts example');
  // Each project migrates the example sql/ with the default history table: the CommonJS one gets an emulator of its own.
  const own = await startEmulator();
  try {
    for (const [type, target] of [['module', emulator], ['commonjs', own]] as const) {
      const project = join(installed.dir, `api-${type}`);
      await tempWrite(project, 'package.json', JSON.stringify({ name: `api-${type}`, private: true, type }));
      await tempWrite(project, 'index.ts', `${example}\n`);
      await cp(join(PACKAGE_ROOT, 'sql'), join(project, 'sql'), { recursive: true });
      await run(process.execPath, [TSC, '--init'], { cwd: project });
      const config = await readFile(join(project, 'tsconfig.json'), 'utf8');
      assert.match(config, /"types": \[\]/, "tsc --init's tsconfig names no types");
      await writeFile(join(project, 'tsconfig.json'), config.replace('"types": []', '"types": ["node"]'));
      const compiled = await run(process.execPath, [TSC, '-p', '.'], { cwd: project }).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
      assert.ok(!('failed' in compiled), `${type}: tsc failed on the guide's example:\n${compiled.stdout}`);
      const ran = await run(process.execPath, ['index.js'], { cwd: project, env: { ...process.env, YDB_CONNECTION_STRING: target.connectionString } });
      assert.match(ran.stdout, /^0001_create_series applied$/m, `${type}: ${ran.stdout}`);
      assert.match(ran.stdout, /^at 0005_app_settings_and_seed, 0 pending, \d+ tables$/m, `${type}: ${ran.stdout}`);
    }
  } finally {
    await own.stop();
  }
});

async function tempWrite(dir: string, file: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), text);
}

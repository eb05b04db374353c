// The CLI as shipped: dist/lib/cli/main.js (tsc's output) bundled by esbuild into dist/cli/, so that
// start-up reads a few files instead of hundreds, and compiles next to nothing: the CLI is one CommonJS
// file, cli.cjs, and ydb-sdk (3.7 MB, loaded by the online commands only) another, ydb-sdk.cjs, both
// loaded through V8 code caches (lib/cli/code-cache.ts) by the ES module main.js that bin/ydb-migrate
// imports. The caches are written here: the bundled CLI runs `up` against the test emulator, and what
// V8 compiled for that run, the loading and the calls alike, is saved (scripts/record-code-cache.mjs).
// The library (dist/lib) stays tsc's plain modules.
// dist/cli-bundle.json (not shipped) records which file holds what (the tests use it to check that offline
// commands never load ydb-sdk).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheFileOf, seedCodeCache } from '../dist/lib/cli/code-cache.js';
import { startEmulator } from '../dist/test/emulator/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
const sdkFile = `${outdir}/ydb-sdk.cjs`;
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Short to parse, names kept so that a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  // An optional peer of ydb-sdk (metadata credentials), resolved at run time when the user installed it.
  external: ['@yandex-cloud/nodejs-sdk'],
  metafile: true,
  logLevel: 'warning',
};
rmSync(outdir, { recursive: true, force: true });
const sdk = await build({
  ...common,
  stdin: { contents: "module.exports = require('ydb-sdk');", resolveDir: root, sourcefile: 'ydb-sdk-entry.cjs' },
  outfile: sdkFile,
  format: 'cjs',
});
/**
 * string-width, with which yargs and its layout helpers measure help text, does costly work when it is
 * imported: an Intl.Segmenter (a process's first loads ICU's word-break data, ~20 ms) and, in version 8,
 * a Unicode-sets regular expression of every emoji (~15-30 ms). Every import of it gets a stand-in that
 * loads the real module when first called: only help and usage errors ever measure text.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === 'lazy-string-width' ? undefined : { path: args.resolveDir, namespace: 'lazy-string-width' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      resolveDir: args.path,
      contents: "let real; export default function stringWidth(text, options) { real ??= require('string-width').default; return real(text, options); }",
    }));
  },
};
/** The CLI's `import('ydb-sdk')` gets the CommonJS file above, loaded through its code cache. */
const cachedSdk = {
  name: 'cached-ydb-sdk',
  setup(b) {
    b.onResolve({ filter: /^ydb-sdk$/ }, () => ({ path: `${root}dist/lib/cli/bundled-ydb-sdk.js` }));
  },
};
const cli = await build({
  ...common,
  entryPoints: ['dist/lib/cli/main.js'],
  outfile: `${outdir}/cli.cjs`,
  format: 'cjs',
  plugins: [cachedSdk, lazyStringWidth],
  define: { 'import.meta.url': '__importMetaUrl' },
  // Strict, as the ES modules it is made of; import.meta.url is the file's own URL.
  banner: { js: `"use strict";var __importMetaUrl=require("node:url").pathToFileURL(__filename).href;` },
});
const entry = await build({ ...common, entryPoints: ['dist/lib/cli/bundled-main.js'], outfile: `${outdir}/main.js`, format: 'esm' });
await writeCodeCaches([`${outdir}/cli.cjs`, sdkFile]);
const merged = (key) => Object.assign({}, ...[sdk, cli, entry].map((result) => result.metafile[key]));
writeFileSync(`${root}dist/cli-bundle.json`, JSON.stringify({ inputs: merged('inputs'), outputs: merged('outputs') }));

/**
 * Applies one migration (DDL) with the bundled CLI against the test emulator, then a second (DDL and DML)
 * in a run that reads the first from the history: that run saves the code caches of `files` as it exits.
 */
async function writeCodeCaches(files) {
  for (const file of files) seedCodeCache(file);
  const seeded = files.map((file) => statSync(codeCacheFileOf(file)).size);
  const emulator = await startEmulator();
  const project = mkdtempSync(join(tmpdir(), 'ydb-migrate-code-cache-'));
  try {
    mkdirSync(join(project, 'sql'));
    const migrations = {
      'manifest.txt': '0001_table\n0002_rows\n',
      '0001_table.up.yql': 'CREATE TABLE warm (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));\n',
      '0002_rows.up.yql': 'ALTER TABLE warm ADD COLUMN n Int64;\nUPSERT INTO warm (id, note, n) VALUES (1, "a"u, 2);\n',
    };
    for (const [name, text] of Object.entries(migrations)) writeFileSync(join(project, 'sql', name), text);
    await runCli(project, emulator, ['up', '0001_table']);
    await runCli(project, emulator, ['up'], ['--import', `${root}scripts/record-code-cache.mjs`]);
  } finally {
    await emulator.stop();
    rmSync(project, { recursive: true, force: true });
  }
  files.forEach((file, i) => {
    if (statSync(codeCacheFileOf(file)).size <= seeded[i]) throw new Error(`the warm-up run saved no code cache for ${file}`);
  });
}

/** Runs `node NODE_ARGS bin/ydb-migrate ARGS` in `project` against the emulator (which answers from this process: never synchronously). */
function runCli(project, emulator, args, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, `${root}bin/ydb-migrate`, ...args], { cwd: project, env: { ...process.env, YDB_CONNECTION_STRING: emulator.connectionString }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`warm-up run ${args.join(' ')} failed (${code}): ${stderr}`))));
  });
}

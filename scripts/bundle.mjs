// The CLI as shipped: dist/lib/cli/main.js (tsc's output) bundled by esbuild into dist/cli/, so that
// start-up reads a few files instead of hundreds. ES modules with code splitting: whatever a
// command loads with `import()` (ydb-sdk and the online runner, watch mode) lands in chunks of its
// own that offline commands never read. The library (dist/lib) stays tsc's plain modules.
// ydb-sdk itself (3.7 MB, most of an online command's start-up was compiling it) is bundled apart as
// one CommonJS file, dist/cli/ydb-sdk.cjs, that lib/cli/code-cache.ts loads through a V8 code cache
// written here, after running it once.
// dist/cli-bundle.json (not shipped) records which file holds what (the tests use it to check that offline
// commands never load ydb-sdk).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeCodeCache } from '../dist/lib/cli/code-cache.js';

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
  outdir,
  splitting: true,
  format: 'esm',
  plugins: [cachedSdk],
  inject: ['scripts/lazy-segmenter.mjs'],
  define: { 'Intl.Segmenter': 'LazyIntlSegmenter' },
  // CommonJS code inside the bundle (yargs' dependencies) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __ydbMigrateRequire } from 'node:module'; const require = __ydbMigrateRequire(import.meta.url);" },
});
writeCodeCache(sdkFile);
const merged = (key) => ({ ...sdk.metafile[key], ...cli.metafile[key] });
writeFileSync(`${root}dist/cli-bundle.json`, JSON.stringify({ inputs: merged('inputs'), outputs: merged('outputs') }));

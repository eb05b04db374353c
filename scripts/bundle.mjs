// The CLI as shipped: dist/lib/cli/main.js (tsc's output) bundled by esbuild into dist/cli/, so that
// start-up reads a few files instead of hundreds. ES modules with code splitting: whatever a
// command loads with `import()` (ydb-sdk and the online runner, watch mode) lands in chunks of its
// own that offline commands never read. The library (dist/lib) stays tsc's plain modules.
// dist/cli-bundle.json (not shipped) records which chunk holds what (the tests use it to check that offline
// commands never load ydb-sdk).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['dist/lib/cli/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Short to parse, names kept so that a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  // An optional peer of ydb-sdk (metadata credentials), resolved at run time when the user installed it.
  external: ['@yandex-cloud/nodejs-sdk'],
  // CommonJS code inside the bundle (ydb-sdk, its gRPC stack) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __ydbMigrateRequire } from 'node:module'; const require = __ydbMigrateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(`${root}dist/cli-bundle.json`, JSON.stringify(result.metafile));

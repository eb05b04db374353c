/**
 * The bundled CLI's entry, dist/cli/main.js (what bin/ydb-migrate imports): the CLI itself is one
 * CommonJS file beside it, dist/cli/cli.cjs, loaded through its code cache (./code-cache.ts).
 */
import { fileURLToPath } from 'node:url';
import { loadCommonJs } from './code-cache.js';

const cli = loadCommonJs(fileURLToPath(new URL('cli.cjs', import.meta.url))).exports as typeof import('./main.js');

export const main = cli.main;

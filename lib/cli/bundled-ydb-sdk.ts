/**
 * What `import('ydb-sdk')` gives in the bundled CLI (scripts/bundle.mjs puts this module in the
 * package's place): ydb-sdk bundled as one CommonJS file beside the CLI's own, loaded through
 * its code cache. Not part of the library, which imports the package itself.
 */
import { fileURLToPath } from 'node:url';
import { loadCommonJs } from './code-cache.js';

export default loadCommonJs(fileURLToPath(new URL('ydb-sdk.cjs', import.meta.url))).exports;

/** What becomes of the code caches of the bundled CLI's files when a fresh Node process (with `nodeArgs`) loads them. */
import { execFileSync } from 'node:child_process';
import type { CodeCacheUse } from '../../lib/cli/code-cache.js';

export function codeCacheUse(files: string[], nodeArgs: string[] = []): CodeCacheUse[] {
  const loader = new URL('../../lib/cli/code-cache.js', import.meta.url).href;
  const script = `import { loadCommonJs } from ${JSON.stringify(loader)}; console.log(JSON.stringify(${JSON.stringify(files)}.map((f) => loadCommonJs(f).cache)));`;
  return JSON.parse(execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8', stdio: 'pipe' })) as CodeCacheUse[];
}

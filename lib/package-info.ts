import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root, found by walking up from this module to the
 * package.json named ydb-migrate, so templates resolve the same way from
 * dist/, a test build dir, or node_modules.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === 'ydb-migrate') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('ydb-migrate: cannot find its own package.json; the installation is broken');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

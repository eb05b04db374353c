/**
 * Migration sets other people wrote for YDB (each file cites its source):
 * YDB accepts them, so lint must give them no error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintDirectory } from '../../lib/lint/lint.js';
import { PACKAGE_ROOT } from '../../lib/package-info.js';

const ROOT = join(PACKAGE_ROOT, 'test/fixtures/public-sets');

for (const set of readdirSync(ROOT).sort()) {
  test(`public set ${set}: no lint error`, async () => {
    const { findings, linted } = await lintDirectory(join(ROOT, set));
    assert.ok(linted > 0);
    assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${f.location.file}:${f.location.line}: ${f.message} [${f.rule}]`), []);
  });
}

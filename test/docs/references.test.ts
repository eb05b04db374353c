/**
 * docs/reference/ is generated from the code (test/docs/generate.ts): each file must be what the
 * generator writes today, and every environment variable lib/ reads must be documented there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-info.js';
import { CREDENTIAL_VARIABLES } from '../../lib/ydb/credentials.js';
import { ENVIRONMENT, references } from './generate.js';

for (const [path, expected] of Object.entries(references())) {
  test(`${path} is what the code says today`, async () => {
    const actual = await readFile(join(PACKAGE_ROOT, path), 'utf8').catch(() => '(missing)');
    assert.ok(actual === expected, `${path} is stale: the code it is generated from changed. Run \`make docs\` and commit the result.`);
  });
}

test('every environment variable lib/ reads is in the configuration reference', async () => {
  const files = (await readdir(join(PACKAGE_ROOT, 'lib'), { recursive: true })).filter((f) => f.endsWith('.ts'));
  const sources = await Promise.all(files.map((f) => readFile(join(PACKAGE_ROOT, 'lib', f), 'utf8')));
  const read = new Set(sources.flatMap((s) => [...s.matchAll(/\benv\??\.([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1]!)));
  const documented = new Set([...Object.keys(ENVIRONMENT), ...CREDENTIAL_VARIABLES]);
  assert.ok(read.size > 10, 'the scan of lib/ found the variables it reads');
  assert.deepEqual([...read].filter((name) => !documented.has(name)).sort(), [], 'add these to ENVIRONMENT in test/docs/generate.ts, then run `make docs`');
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

test('every link between README.md and docs/ reaches a file and, with #, a heading in it', async () => {
  const guides = (await readdir(join(PACKAGE_ROOT, 'docs'), { recursive: true })).filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
  const broken: string[] = [];
  let checked = 0;
  for (const file of ['README.md', ...guides]) {
    const text = await readFile(join(PACKAGE_ROOT, file), 'utf8');
    const prose = text.replace(/^```[\s\S]*?^```$/gm, '');
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const linked = path === '' ? file : join(file, '..', path);
      const linkedText = await readFile(join(PACKAGE_ROOT, linked), 'utf8').catch(() => null);
      checked++;
      if (linkedText === null) broken.push(`${file}: ${target} (no such file)`);
      else if (anchor !== undefined && !linkedText.replace(/^```[\s\S]*?^```$/gm, '').split('\n').some((l) => /^#+ /.test(l) && anchorOf(l.replace(/^#+ /, '')) === anchor)) {
        broken.push(`${file}: ${target} (no such heading)`);
      }
    }
  }
  assert.ok(checked > 30, `the links were found (${checked})`);
  assert.deepEqual(broken, []);
});

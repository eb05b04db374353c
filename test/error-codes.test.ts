/**
 * The error codes: one catalogue (lib/error-codes.ts), the generated reference held to it,
 * no code listed that nothing throws, and an unknown code refused by the compiler.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, ydbStatusCode, type CatalogueCode } from '../lib/error-codes.js';
import { EXIT_INPUT, EXIT_RUNTIME, exitCodeOf, MigrateError } from '../lib/errors.js';
import { PACKAGE_ROOT } from '../lib/package-info.js';

// Never called: the compiler is what this checks (tsc fails the build if the directive is not needed).
export function unknownCodesDoNotCompile(): MigrateError {
  // @ts-expect-error a code the catalogue does not list
  return new MigrateError('UNKNOWN_CODE', 'a typo');
}

test('the error reference (docs/reference/errors.md) lists every catalogued code once, with its kind and exit code', async () => {
  const reference = await readFile(join(PACKAGE_ROOT, 'docs', 'reference', 'errors.md'), 'utf8');
  const section = reference.split('## Error codes')[1] ?? '';
  const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \| (\w+) \| ([\d /]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
  const exitOf = (code: string, info: { exit?: string }): string => info.exit ?? String(exitCodeOf(new MigrateError(code as CatalogueCode, '')));
  const expected = Object.entries(ERROR_CODES).map(([code, info]) => [code, info.kind, exitOf(code, info), info.means]);
  const byCode = (a: (string | undefined)[], b: (string | undefined)[]): number => a[0]!.localeCompare(b[0]!);
  assert.deepEqual(rows.sort(byCode), expected.sort(byCode), 'docs/reference/errors.md is stale: run `make docs`');
});

test("a code's kind sets the exit code: input 2, runtime 1", () => {
  assert.equal(exitCodeOf(new MigrateError('PLAN_UNKNOWN_TARGET', '')), EXIT_INPUT);
  assert.equal(exitCodeOf(new MigrateError('LOCK_TIMEOUT', '')), EXIT_RUNTIME);
  assert.equal(exitCodeOf(new MigrateError(ydbStatusCode('SCHEME_ERROR'), '')), EXIT_RUNTIME);
  assert.equal(exitCodeOf(new MigrateError('no-primary-key', '')), EXIT_INPUT);
});

test("a YDB status becomes YDB_<STATUS>; what is not one of YDB's statuses becomes YDB_ERROR", () => {
  assert.equal(ydbStatusCode('PRECONDITION_FAILED'), 'YDB_PRECONDITION_FAILED');
  assert.equal(ydbStatusCode('400070'), 'YDB_ERROR');
  assert.equal(ydbStatusCode(null), 'YDB_ERROR');
});

test('every catalogued code is used somewhere in lib/ (no code is listed that nothing throws)', async () => {
  const sources = await Promise.all(
    (await readdir(join(PACKAGE_ROOT, 'lib'), { recursive: true }))
      .filter((f) => f.endsWith('.ts'))
      .map(async (f) => {
        const source = await readFile(join(PACKAGE_ROOT, 'lib', f), 'utf8');
        // The catalogue itself does not count; the code after it (YDB_ERROR's fallback) does.
        return f === 'error-codes.ts' ? source.split('} as const satisfies')[1]! : source;
      }),
  );
  const text = sources.join('\n');
  // The connection probe's failures are named without the YDB_ prefix that driver.ts adds.
  const unused = Object.keys(ERROR_CODES).filter((code) => !text.includes(`'${code}'`) && !(code.startsWith('YDB_') && text.includes(`'${code.slice(4)}'`)));
  assert.deepEqual(unused, []);
});

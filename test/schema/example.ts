/** The schema tests' starting point: the example sql/ applied to an emulator of its own, and its schema dump. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { cli, exampleProject, startDatabase, type TestDatabase } from '../online/harness.js';

export async function exampleApplied(t: TestContext): Promise<{ db: TestDatabase; cwd: string; before: string }> {
  const db = await startDatabase({ private: true });
  t.after(() => db.stop());
  const cwd = await exampleProject();
  assert.equal((await cli(db, cwd, ['up'])).status, 0);
  const before = (await cli(db, cwd, ['schema'])).stdout;
  return { db, cwd, before };
}

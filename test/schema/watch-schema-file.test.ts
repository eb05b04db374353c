import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Migrator } from '../../lib/migrator.js';
import { startEmulator } from '../emulator/index.js';
import { tempTree } from '../helpers/cli.js';
import { EventLog } from '../watch/events.js';

test('watch rewrites the schema file after each successful run', async (t) => {
  const emulator = await startEmulator();
  const root = await tempTree({
    'sql/manifest.txt': '0001_a\n',
    'sql/0001_a.up.yql': 'CREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
    'sql/0001_a.down.yql': 'DROP TABLE a;\n',
  });
  const schemaFile = join(root, 'schema.yql');
  const migrator = new Migrator({ dir: join(root, 'sql'), connectionString: emulator.connectionString, env: {}, schemaFile });
  const events = new EventLog();
  const session = await migrator.watch({ debounceMs: 50, onEvent: events.push });
  t.after(async () => {
    await session.stop();
    await emulator.stop();
  });
  await events.expect('applied');
  assert.match(await readFile(schemaFile, 'utf8'), /CREATE TABLE `a` \(\n {4}`id` Uint64 NOT NULL,\n {4}PRIMARY KEY \(`id`\)\n\);/);

  await writeFile(join(root, 'sql', '0001_a.up.yql'), 'CREATE TABLE a (id Uint64 NOT NULL, note Utf8, PRIMARY KEY (id));\n');
  await events.expect('applied');
  assert.match(await readFile(schemaFile, 'utf8'), /`note` Utf8,/);
});

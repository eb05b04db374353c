/** The CLI reference reads the builders through a recorder: what it records, and what it refuses to skip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Argv } from 'yargs';
import { commandDocs, recordBuilder } from './cli-model.js';

test('a builder is read as its options (positionals first), defaults as a user reads them, examples, conflicts and implications', () => {
  const doc = recordBuilder((y: Argv<any>) =>
    y
      .option('to', { alias: 'o', type: 'string', describe: 'where', defaultDescription: 'head' })
      .option('yes', { type: 'boolean', default: false, describe: 'no prompt' })
      .positional('target', { type: 'string', default: 'head', describe: 'NAME' })
      .conflicts({ yes: ['to'] })
      .implies('to', 'yes')
      .group(['to'], 'Options:')
      .example('$0 up @v1', 'to tag v1'),
  );
  assert.deepEqual(doc.options.map((o) => [o.name, o.positional, o.aliases, o.type, o.default]), [
    ['target', true, [], 'string', 'head'],
    ['to', false, ['o'], 'string', 'head'],
    ['yes', false, [], 'boolean', 'false'],
  ]);
  assert.deepEqual(doc.examples, [{ command: 'ydb-migrate up @v1', says: 'to tag v1' }]);
  assert.deepEqual(doc.conflicts, [['yes', 'to']]);
  assert.deepEqual(doc.implies, [['to', 'yes']]);
});

test('a builder call the reference does not render is an error naming it, not a silent gap', () => {
  assert.throws(() => recordBuilder((y: Argv<any>) => (y as unknown as { deprecateOption(n: string): unknown }).deprecateOption('old')), /\.deprecateOption\(\), which the CLI reference does not render/);
});

test('every command of the CLI is read, each with a description and its options described', () => {
  const docs = commandDocs();
  assert.ok(docs.some((c) => c.usage === 'up [target]'));
  const undescribed = docs.flatMap((c) => [...(c.describe ? [] : [c.usage]), ...c.options.filter((o) => !o.describe).map((o) => `${c.usage} --${o.name}`)]);
  assert.deepEqual(undescribed, [], 'every command and option has a describe (the reference shows it)');
});

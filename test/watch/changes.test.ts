import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSets, needsRun } from '../../lib/watch/changes.js';
import { loadSpec, table } from './sets.js';

const base = { '0001_a': table('a'), '0002_b': table('b'), '0003_c': table('c') };

test('a save that leaves every text as it was changes nothing and needs no run', async () => {
  const changes = compareSets(await loadSpec(base), await loadSpec(base));
  assert.deepEqual(changes, { editedUp: [], editedDown: [], added: [], removed: [], reordered: false });
  assert.equal(needsRun(changes), false);
});

test('a CRLF or BOM re-save is the same text (files are normalized when read)', async () => {
  const crlf = { ...base, '0002_b': [`\uFEFF${table('b')[0].replace(/\n/g, '\r\n')}`, table('b')[1]] as [string, string] };
  assert.equal(needsRun(compareSets(await loadSpec(base), await loadSpec(crlf))), false);
});

test('an edited up file needs a run; only it is named', async () => {
  const edited = { ...base, '0002_b': [`CREATE TABLE b (id Uint64 NOT NULL, v Utf8, PRIMARY KEY (id));\n`, table('b')[1]] as [string, string] };
  const changes = compareSets(await loadSpec(base), await loadSpec(edited));
  assert.deepEqual(changes.editedUp, ['0002_b']);
  assert.deepEqual(changes.editedDown, []);
  assert.equal(needsRun(changes), true);
});

test('a saved down file, or one that appears, is noted but needs no run', async () => {
  const before = await loadSpec({ ...base, '0003_c': [table('c')[0]] });
  const after = await loadSpec({ ...base, '0001_a': [table('a')[0], 'DROP TABLE IF EXISTS a;\n'] });
  const changes = compareSets(before, after);
  assert.deepEqual(changes.editedDown, ['0001_a', '0003_c']);
  assert.equal(needsRun(changes), false);
});

test('manifest edits: appended and removed names, and a new order, each need a run', async () => {
  const before = await loadSpec(base);
  const appended = compareSets(before, await loadSpec({ ...base, '0004_d': table('d') }));
  assert.deepEqual([appended.added, appended.removed, appended.reordered], [['0004_d'], [], false]);
  const removed = compareSets(before, await loadSpec({ '0001_a': base['0001_a'], '0003_c': base['0003_c'] }));
  assert.deepEqual([removed.added, removed.removed, removed.reordered], [[], ['0002_b'], false]);
  const reordered = compareSets(before, await loadSpec({ '0002_b': base['0002_b'], '0001_a': base['0001_a'], '0003_c': base['0003_c'] }));
  assert.deepEqual([reordered.added, reordered.removed, reordered.reordered], [[], [], true]);
  for (const changes of [appended, removed, reordered]) assert.equal(needsRun(changes), true);
});

test('a manifest edit that only adds comments or tags needs no run', async () => {
  assert.equal(needsRun(compareSets(await loadSpec(base), await loadSpec(base, '# a note\n@v1\n'))), false);
});

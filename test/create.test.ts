import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { createMigration } from '../lib/create.js';
import { tempTree } from './helpers/cli.js';

test('create in an empty directory writes the pair and a manifest with a header', async () => {
  const root = await tempTree();
  const dir = join(root, 'sql');
  const created = await createMigration(dir, 'create_users', root);
  assert.equal(created.name, '0001_create_users');
  assert.equal(created.upFile, join('sql', '0001_create_users.up.yql'));
  const manifest = await readFile(join(dir, 'manifest.txt'), 'utf8');
  assert.match(manifest, /^# ydb-migrate manifest/);
  assert.ok(manifest.endsWith('\n0001_create_users\n'));
  assert.match(await readFile(join(dir, '0001_create_users.up.yql'), 'utf8'), /0001_create_users: up/);
  assert.match(await readFile(join(dir, '0001_create_users.down.yql'), 'utf8'), /0001_create_users: down/);
});

test('create continues the highest number at its width, in a folder too', async () => {
  const root = await tempTree({
    'sql/manifest.txt': '00007_a\n@v1\nbilling/00012_b\n',
    'sql/00007_a.up.yql': 'SELECT 1;',
    'sql/billing/00012_b.up.yql': 'SELECT 1;',
  });
  const created = await createMigration(join(root, 'sql'), 'billing/add_invoices', root);
  assert.equal(created.name, 'billing/00013_add_invoices');
  await access(join(root, 'sql', 'billing', '00013_add_invoices.up.yql'));
  assert.equal(await readFile(join(root, 'sql', 'manifest.txt'), 'utf8'), '00007_a\n@v1\nbilling/00012_b\nbilling/00013_add_invoices\n');
});

test('create keeps CRLF manifests CRLF and mends a missing final newline', async () => {
  const root = await tempTree({ 'sql/manifest.txt': '0001_a\r\n0002_b', 'sql/0001_a.up.yql': '', 'sql/0002_b.up.yql': '' });
  await createMigration(join(root, 'sql'), 'c', root);
  assert.equal(await readFile(join(root, 'sql', 'manifest.txt'), 'utf8'), '0001_a\r\n0002_b\r\n0003_c\r\n');
});

test('create never overwrites: an existing down file leaves nothing behind', async () => {
  const root = await tempTree({ 'sql/manifest.txt': '0001_a\n', 'sql/0001_a.up.yql': '', 'sql/0002_b.down.yql': 'keep me' });
  await assert.rejects(createMigration(join(root, 'sql'), 'b', root), (err: Error & { code: string }) => {
    assert.equal(err.code, 'CREATE_EXISTS');
    assert.match(err.message, /0002_b\.down\.yql already exists/);
    return true;
  });
  await assert.rejects(access(join(root, 'sql', '0002_b.up.yql')), { code: 'ENOENT' });
  assert.equal(await readFile(join(root, 'sql', '0002_b.down.yql'), 'utf8'), 'keep me');
  assert.equal(await readFile(join(root, 'sql', 'manifest.txt'), 'utf8'), '0001_a\n');
});

test('create refuses bad names, numbered names and a broken manifest', async () => {
  const root = await tempTree({ 'sql/manifest.txt': '0001_a\n0001_a\n', 'sql/0001_a.up.yql': '' });
  await assert.rejects(createMigration(join(root, 'sql'), 'b', root), { code: 'CREATE_BAD_MANIFEST' });
  await writeFile(join(root, 'sql', 'manifest.txt'), '0001_a\n');
  await assert.rejects(createMigration(join(root, 'sql'), '../escape', root), (err: Error & { code: string }) => err.code.startsWith('MANIFEST_'));
  await assert.rejects(createMigration(join(root, 'sql'), 'has space', root), (err: Error & { code: string }) => err.code.startsWith('MANIFEST_'));
  await assert.rejects(createMigration(join(root, 'sql'), '0002_numbered', root), { code: 'CREATE_NUMBERED' });
  assert.equal(await readFile(join(root, 'sql', 'manifest.txt'), 'utf8'), '0001_a\n');
});

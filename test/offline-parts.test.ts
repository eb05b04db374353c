/**
 * `sql --format parts`: what each file holds, what run.sh does when a part
 * fails (with a stand-in for the `ydb` CLI), and where `-o` may write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadMigrationSet } from '../lib/migration.js';
import { renderOfflineScript } from '../lib/offline/script.js';
import { renderOfflineParts } from '../lib/offline/parts.js';
import { PACKAGE_ROOT } from '../lib/package-info.js';
import { splitStatements } from '../lib/yql/blocks.js';
import { runCli, tempTree } from './helpers/cli.js';

const FILES = {
  'ydb-migrate.json': '{ "dir": "sql" }',
  'sql/manifest.txt': '0001_items\n0002_fill\n',
  'sql/0001_items.up.yql': 'PRAGMA TablePathPrefix("app");\nCREATE TABLE items (id Uint64 NOT NULL, env Utf8, PRIMARY KEY (id));\nDECLARE $env AS Utf8;\nUPSERT INTO items (id, env) VALUES (1, $env);\n',
  'sql/0001_items.down.yql': 'PRAGMA TablePathPrefix("app");\nDROP TABLE items;\n',
  'sql/0002_fill.up.yql': '$n = 2;\nUPSERT INTO `app/items` (id) VALUES ($n);\n',
  'sql/0002_fill.down.yql': 'DELETE FROM `app/items` WHERE id = 2;\n',
};

async function partsOf(files: Record<string, string>, direction: 'up' | 'down' = 'up', from = 'base') {
  const set = await loadMigrationSet(join(await tempTree(files), 'sql'));
  return renderOfflineParts({ set, direction, from, to: direction === 'up' ? 'head' : 'base', table: 'ydb_migrate_history', params: { env: 'prod' } });
}

test('every part is one query of its own: no COMMIT, its own PRAGMA and bound values, and valid for the lexer', async () => {
  const { parts } = await partsOf(FILES);
  assert.deepEqual(parts.map((p) => p.file), [
    '001-history-table.yql',
    '002-lock-table.yql',
    '003-guard.yql',
    '004-0001_items.up-1.yql',
    '005-0001_items.up-2.yql',
    '006-0001_items.up-applied.yql',
    '007-0002_fill.up-1.yql',
  ]);
  for (const part of parts) {
    const statements = splitStatements(part.text, part.file);
    assert.ok(statements.length > 0, part.file);
    assert.ok(statements.every((s) => s.role !== 'commit'), `${part.file} holds no COMMIT`);
  }
  assert.match(parts[2]!.text, /\nUPSERT INTO `ydb_migrate_history` [^\n]*\nVALUES \('0001_items'u, 1u, [^\n]*'applying'u[^\n]*\);\n$/, "the first migration is recorded 'applying' by the guard's part, which took the lease");
  const [create, fill] = [parts[3]!.text, parts[4]!.text];
  assert.match(create, /^PRAGMA TablePathPrefix\("app"\);\nCREATE TABLE items/m, 'the PRAGMA goes with each part of its migration');
  assert.match(fill, /^\$env = 'prod'u;\nPRAGMA TablePathPrefix\("app"\);\n/m, 'the parameter is bound as a literal in the part that reads it');
  assert.doesNotMatch(fill, /DECLARE/);
  assert.doesNotMatch(fill, /ydb_migrate_history/, 'no history write shares a query with a PRAGMA that would reach it');
  assert.match(parts[5]!.text, /^SELECT Ensure\(0, COUNT\(\*\) = 1, [^\n]*\nUPSERT INTO `ydb_migrate_history`[^]*'applied'u/m, 'so it is a part of its own, after the lease check');
  assert.match(parts[6]!.text, /^\$n = 2;\nUPSERT INTO `app\/items`[^]*UPSERT INTO `ydb_migrate_history`[^]*'applied'u[^]*DELETE FROM `ydb_migrate_history_lock`/m,
    "a migration of one DML block records itself in the same query, and the last write frees the lock");
  const released = await partsOf(FILES, 'down', 'head');
  assert.match(released.parts.at(-1)!.text, /DELETE FROM `ydb_migrate_history_lock`/);
});

test("a migration of one DML block with a PRAGMA is recorded 'applying' first: its history write cannot share its query, so a stop between them shows it failed", async () => {
  const { parts } = await partsOf({
    'sql/manifest.txt': '0001_fill\n',
    'sql/0001_fill.up.yql': 'PRAGMA TablePathPrefix("app");\nUPSERT INTO items (id) VALUES (1);\n',
  });
  assert.deepEqual(parts.map((p) => p.file), ['001-history-table.yql', '002-lock-table.yql', '003-guard.yql', '004-0001_fill.up-1.yql', '005-0001_fill.up-applied.yql']);
  assert.match(parts[2]!.text, /'0001_fill'u, 1u, [^\n]*'applying'u/);
  assert.doesNotMatch(parts[3]!.text, /ydb_migrate_history/);
  assert.match(parts[4]!.text, /^UPSERT INTO `ydb_migrate_history` \(`name`, `state`, `applied_at`\) VALUES \('0001_fill'u, 'applied'u/m);
});

test('the single script refuses a PRAGMA, which only parts can scope to its migration, and points to --format parts', async () => {
  const set = await loadMigrationSet(join(await tempTree(FILES), 'sql'));
  assert.throws(() => renderOfflineScript({ set, direction: 'up', from: 'base', to: 'head', table: 'h', params: { env: 'prod' } }), /a PRAGMA cannot be kept inside its migration[^]*`sql --format parts`/);
});

test('a BATCH UPDATE is a part of its own, recorded by a part of its own, for `ydb sql -f` to run outside a transaction', async () => {
  const { parts } = await partsOf({
    'sql/manifest.txt': '0001_items\n',
    'sql/0001_items.up.yql': 'UPSERT INTO items (id) VALUES (1);\nBATCH UPDATE items SET v = 0 WHERE v IS NULL;\n',
  });
  assert.deepEqual(parts.slice(3).map((p) => p.text.split('\n')[1]!.split(' ').slice(0, 2).join(' ')), ['UPSERT INTO', 'BATCH UPDATE', 'SELECT Ensure(0,']);
  assert.match(parts[2]!.text, /'applying'u/);
  assert.equal(splitStatements(parts[4]!.text, parts[4]!.file).filter((st) => st.role !== 'expr').length, 1, 'the BATCH statement is alone in its query');
  assert.match(parts[5]!.text, /'applied'u[^]*DELETE FROM `ydb_migrate_history_lock`/);
});

/** Runs run.sh with YDB_CLI standing in for `ydb`: it logs each file and fails on the one named FAIL_AT. */
async function runRunScript(dir: string, failAt: string): Promise<{ status: number | null; stderr: string; ran: string[] }> {
  const fake = join(dir, '..', 'fake-ydb.sh');
  await writeFile(fake, '#!/bin/sh\n# fake ydb: "$@" is: sql -f FILE\necho "$3" >> "$LOG"\n[ "$3" != "$FAIL_AT" ]\n');
  const log = join(dir, '..', 'ran.log');
  await writeFile(log, '');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [join(dir, 'run.sh')], { env: { PATH: process.env.PATH ?? '', YDB_CLI: `sh ${fake}`, LOG: log, FAIL_AT: failAt }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', async (status) => resolve({ status, stderr, ran: (await readFile(log, 'utf8')).split('\n').filter(Boolean) }));
  });
}

test('run.sh runs the parts in order with `ydb sql -f`, stops at the first failure and says which migration and part failed and what to do', async () => {
  const cwd = await tempTree(FILES);
  const res = await runCli(['sql', '--format', 'parts', '-o', 'release', '--param', 'env=prod'], { cwd });
  assert.equal(res.status, 0, res.stderr);
  const dir = join(cwd, 'release');
  const files = (await readdir(dir)).sort();
  assert.equal(files.at(-1), 'run.sh');

  const all = await runRunScript(dir, 'none');
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(all.ran, files.filter((f) => f.endsWith('.yql')));
  assert.match(all.stderr, /every part ran; the database is at 0002_fill/);

  const failed = await runRunScript(dir, '005-0001_items.up-2.yql');
  assert.equal(failed.status, 1);
  assert.deepEqual(failed.ran, files.slice(0, 5), 'nothing after the failed part ran');
  assert.match(failed.stderr, /005-0001_items\.up-2\.yql failed \(up 0001_items: part 2 of 2 \(sql\/0001_items\.up\.yql:4:1\)\)/);
  assert.match(failed.stderr, /0001_items is recorded 'applying': its parts before this one are applied\. [^\n]*unlock --force[^\n]*ydb-migrate up --resume[^\n]*ydb-migrate resolve 0001_items --applied/);

  const guard = await runRunScript(dir, '003-guard.yql');
  assert.equal(guard.status, 1);
  assert.match(guard.stderr, /Nothing was changed by this run/);
});

test('-o refuses the migrations directory and a file that sql did not write, unless --force; it replaces its own output', async () => {
  const cwd = await tempTree({ ...FILES, 'notes.txt': 'my notes\n', 'sql/0001_items.up.yql': 'CREATE TABLE items (id Uint64 NOT NULL, PRIMARY KEY (id));\n' });
  const manifest = await readFile(join(cwd, 'sql/manifest.txt'), 'utf8');
  for (const target of ['sql/manifest.txt', 'sql/release.yql', 'sql']) {
    const res = await runCli(['sql', '-o', target], { cwd });
    assert.equal(res.status, 2, target);
    assert.match(res.stderr, /refusing to write sql[^:]*: it is inside the migrations directory \S*sql, /);
  }
  assert.equal(await readFile(join(cwd, 'sql/manifest.txt'), 'utf8'), manifest);

  const notes = await runCli(['sql', '-o', 'notes.txt'], { cwd });
  assert.equal(notes.status, 2);
  assert.match(notes.stderr, /notes\.txt: it exists and is not a script written by `ydb-migrate sql`.*--force/);
  assert.equal(await readFile(join(cwd, 'notes.txt'), 'utf8'), 'my notes\n');

  assert.equal((await runCli(['sql', '-o', 'release.yql'], { cwd })).status, 0);
  const again = await runCli(['sql', '--to', '0001_items', '-o', 'release.yql'], { cwd });
  assert.equal(again.status, 0, again.stderr);
  assert.match(await readFile(join(cwd, 'release.yql'), 'utf8'), /from base to 0001_items/);
  assert.equal((await runCli(['sql', '-o', 'notes.txt', '--force'], { cwd })).status, 0);

  assert.equal((await runCli(['sql', '--format', 'parts', '-o', 'out'], { cwd })).status, 0);
  const fewer = await runCli(['sql', '--format', 'parts', '--to', '0001_items', '-o', 'out'], { cwd });
  assert.equal(fewer.status, 0, fewer.stderr);
  assert.ok(!(await readdir(join(cwd, 'out'))).some((f) => f.includes('0002_fill')), 'no stale part of the earlier output remains');
  await writeFile(join(cwd, 'out', 'README'), 'mine\n');
  const foreign = await runCli(['sql', '--format', 'parts', '-o', 'out'], { cwd });
  assert.equal(foreign.status, 2);
  assert.match(foreign.stderr, /it holds README, which is not a part or run\.sh/);
  const usage = await runCli(['sql', '--format', 'parts'], { cwd });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /-o DIR/);
});

test('the example migrations give parts the project lexer reads back as the same statements the single script runs', async () => {
  const set = await loadMigrationSet(join(PACKAGE_ROOT, 'sql'));
  const req = { set, direction: 'up' as const, from: 'base', to: 'head', table: 'ydb_migrate_history', params: { environment: 'x' } };
  // The script binds its own values once at its top, under names the splitter refuses in migrations; each part spells them out.
  let script = renderOfflineScript(req).text;
  const own = [...script.matchAll(/^(\$ydb_migrate_\w+) = ('.*'u);\n/gm)];
  assert.deepEqual(own.map((m) => m[1]).sort(), ['$ydb_migrate_by', '$ydb_migrate_lease_lost', '$ydb_migrate_owner']);
  for (const [line, name, literal] of own) script = script.replace(line, '').replaceAll(name!, literal!);
  const single = splitStatements(script, 'script.yql').filter((s) => s.role !== 'commit').map((s) => s.text.trim());
  const parts = renderOfflineParts(req).parts.flatMap((p) => splitStatements(p.text, p.file).map((s) => s.text.trim()));
  assert.deepEqual(parts.filter((t) => !t.startsWith('$environment =')), single.filter((t) => !t.startsWith('$environment =') && !t.startsWith('/* DECLARE')));
});

test('a migration kept in a subfolder gives part files named without its `/`, written into the one -o folder, and run.sh runs them', async () => {
  const cwd = await tempTree({
    'ydb-migrate.json': '{ "dir": "sql" }',
    'sql/manifest.txt': '0001_items\nbilling/0002_add_invoices\n',
    'sql/0001_items.up.yql': 'CREATE TABLE items (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
    'sql/billing/0002_add_invoices.up.yql': 'CREATE TABLE invoices (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO invoices (id) VALUES (1);\n',
  });
  const res = await runCli(['sql', '--format', 'parts', '-o', 'release'], { cwd });
  assert.equal(res.status, 0, res.stderr);
  const dir = join(cwd, 'release');
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files.filter((f) => f.includes('billing')), [
    '006-billing-0002_add_invoices.up-1.yql',
    '007-billing-0002_add_invoices.up-2.yql',
  ]);
  assert.match(await readFile(join(dir, '005-0001_items.up-applied.yql'), 'utf8'), /'billing\/0002_add_invoices'u[^]*'applying'u/, "the next migration's 'applying' write rides with this one's 'applied' write");
  assert.match(await readFile(join(dir, '007-billing-0002_add_invoices.up-2.yql'), 'utf8'), /UPSERT INTO invoices[^]*'billing\/0002_add_invoices'u[^]*'applied'u/, 'the history still names the migration as the manifest does');
  const all = await runRunScript(dir, 'none');
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(all.ran, files.filter((f) => f.endsWith('.yql')));
  const failed = await runRunScript(dir, '006-billing-0002_add_invoices.up-1.yql');
  assert.match(failed.stderr, /006-billing-0002_add_invoices\.up-1\.yql failed \(up billing\/0002_add_invoices: part 1 of 2 \(sql\/billing\/0002_add_invoices\.up\.yql:1:1\)\)/);
});

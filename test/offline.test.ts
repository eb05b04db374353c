import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadMigrationSet } from '../lib/migration.js';
import type { OfflineRequest } from '../lib/offline/range.js';
import { renderOfflineScript } from '../lib/offline/script.js';
import { MigrateError } from '../lib/errors.js';
import { splitStatements } from '../lib/yql/blocks.js';
import { decodeStringLiteral, tokenize } from '../lib/yql/lexer.js';
import { tempTree } from './helpers/cli.js';

const FILES = {
  'sql/manifest.txt': '0001_schema\n0002_mixed\n@v1\n0003_data\n',
  'sql/0001_schema.up.yql': 'CREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\n',
  'sql/0001_schema.down.yql': 'DROP TABLE a;\n',
  'sql/0002_mixed.up.yql':
    '-- keeps this comment for the reviewer\nCREATE TABLE b (id Uint64 NOT NULL, env Utf8, PRIMARY KEY (id));\n' +
    'DECLARE $env AS Utf8;\nUPSERT INTO b (id, env) VALUES (1, $env);\n',
  'sql/0002_mixed.down.yql': "DELETE FROM b WHERE id = 1;\nDROP TABLE b; -- it's gone\n",
  'sql/0003_data.up.yql': 'UPSERT INTO a (id) VALUES (2)',
};

async function render(overrides: Partial<OfflineRequest> = {}, files: Record<string, string> = FILES) {
  return renderFrom(await tempTree(files), overrides);
}

async function renderFrom(root: string, overrides: Partial<OfflineRequest> = {}) {
  const set = await loadMigrationSet(join(root, 'sql'));
  return renderOfflineScript({ set, direction: 'up', from: 'base', to: 'head', table: 'ydb_migrate_history', params: { env: 'prod' }, ...overrides });
}

/** The script as the project's splitter reads it: it refuses in migrations the `$ydb_migrate_` names the script binds for itself. */
function splittable(script: string): string {
  return script.replaceAll('$ydb_migrate_', '$own_');
}

/** The script's COMMIT-separated parts, comments dropped (by the project's lexer: strings may hold `--`), as the Scripting service sees them. */
function parts(script: string): string[] {
  const code = tokenize(script, 'script.yql').filter((t) => t.kind !== 'comment').map((t) => t.text).join('');
  return code
    .split(/^\s*COMMIT;$/m)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The parts after the guard, which are the migrations' own and their history writes. */
function migrationParts(script: string): string[] {
  const p = parts(script);
  return p.slice(p.findIndex((x) => x.startsWith('SELECT Ensure(')) + 1);
}

test('up from base to head: every migration, DDL and DML in separate parts, params bound once at the top', async () => {
  const { text, steps } = await render();
  assert.deepEqual(steps.map((s) => s.name), ['0001_schema', '0002_mixed', '0003_data']);
  assert.match(text, /^\$env = 'prod'u;$/m);
  assert.doesNotMatch(text.replace(/\/\*[\s\S]*?\*\//g, ''), /^\s*DECLARE/m, 'no executable DECLARE is left');
  assert.match(text, /keeps this comment for the reviewer/);
  const p = parts(text);
  assert.match(p[0]!, /CREATE TABLE IF NOT EXISTS `ydb_migrate_history`/);
  const createB = p.findIndex((x) => x.includes('CREATE TABLE b'));
  assert.ok(createB > 0);
  assert.doesNotMatch(p[createB]!, /UPSERT/, 'the DDL block stands alone in its part');
  const dataPart = p.find((x) => x.includes('UPSERT INTO b'))!;
  assert.match(dataPart, /UPSERT INTO `ydb_migrate_history`[\s\S]*'0002_mixed'u/, 'history row commits with the data');
  const schemaHistory = p.findIndex((x) => /'0001_schema'u/.test(x));
  assert.doesNotMatch(p[schemaHistory]!, /CREATE TABLE a/, 'after DDL, the history write is its own part');
  assert.match(text, /UPSERT INTO a \(id\) VALUES \(2\);/, 'a last statement without ; is closed');
  assert.ok(text.trimEnd().endsWith('COMMIT;'));
});

test('the same inputs give a byte-identical script', async () => {
  const root = await tempTree(FILES);
  const a = await renderFrom(root);
  const b = await renderFrom(root);
  assert.equal(a.text, b.text);
  const stamped = await renderFrom(root, { generatedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) });
  assert.match(stamped.text, /^-- Generated: +2024-01-02T03:04:05\.000Z$/m);
  assert.doesNotMatch(a.text, /Generated/);
});

test('ranges: --from NAME to @TAG runs only what lies between', async () => {
  const { steps, text } = await render({ from: '0001_schema', to: '@v1' });
  assert.deepEqual(steps.map((s) => s.name), ['0002_mixed']);
  assert.doesNotMatch(text, /CREATE TABLE a /);
});

test('down runs down files in reverse and deletes history rows', async () => {
  const { steps, text } = await render({ direction: 'down', from: '@v1', to: 'base' });
  assert.deepEqual(steps.map((s) => `${s.direction} ${s.name}`), ['down 0002_mixed', 'down 0001_schema']);
  assert.match(text, /DELETE FROM `ydb_migrate_history` WHERE `name` = '0002_mixed'u;/);
  assert.ok(text.indexOf('DROP TABLE b') < text.indexOf('DROP TABLE a'));
  const p = migrationParts(text);
  const deleteRow = p.find((x) => x.includes('DELETE FROM b'))!;
  assert.doesNotMatch(deleteRow, /DROP TABLE/, 'DML and DDL of the down file are separate parts');
});

test('down through a migration without a down file is refused, naming it', async () => {
  await assert.rejects(render({ direction: 'down', from: 'head', to: 'base' }), (err: MigrateError) => {
    assert.equal(err.code, 'DOWN_MISSING');
    assert.match(err.message, /0003_data has no down file/);
    return true;
  });
});

test('a missing parameter value names the DECLARE: file:line:col', async () => {
  await assert.rejects(render({ params: {} }), (err: MigrateError) => {
    assert.equal(err.code, 'PARAM_MISSING');
    assert.deepEqual(err.location && { line: err.location.line, column: err.location.column }, { line: 3, column: 1 });
    assert.match(err.location!.file, /0002_mixed\.up\.yql$/);
    assert.match(err.message, /--param env=VALUE/);
    return true;
  });
});

test('a value that does not parse as the declared type is refused at the DECLARE', async () => {
  const files = { ...FILES, 'sql/0003_data.up.yql': 'DECLARE $n AS Uint8;\nUPSERT INTO a (id) VALUES ($n);' };
  await assert.rejects(render({ params: { env: 'x', n: '300' } }, files), (err: MigrateError) => {
    assert.equal(err.code, 'PARAM_INVALID');
    assert.equal(err.location?.line, 1);
    return true;
  });
});

test('one parameter declared with two types cannot be bound once', async () => {
  const files = { ...FILES, 'sql/0003_data.up.yql': 'DECLARE $env AS Uint32;\nUPSERT INTO a (id) VALUES ($env);' };
  await assert.rejects(render({ params: { env: '1' } }, files), { code: 'PARAM_TYPE_CONFLICT' });
});

test('string values are escaped, never able to break out of their literal', async () => {
  const hostile = 'it\'s "prod"\n; DROP TABLE a; -- \\ \u0000 ok';
  const { text } = await render({ params: { env: hostile } });
  const statements = splitStatements(splittable(text), 'script.yql');
  const assignment = statements.find((s) => s.text.startsWith('$env'))!;
  const strings = tokenize(assignment.text, 'script.yql').filter((t) => t.kind === 'string');
  assert.equal(strings.length, 1);
  assert.equal(new TextDecoder().decode(decodeStringLiteral(strings[0]!.text).bytes), hostile);
  assert.equal(statements.filter((s) => /^DROP TABLE a\b/.test(s.text)).length, 0, 'the value did not become a statement');
});

test('an empty range gives a valid script that only ensures the tables, checks the history and frees the lock it took', async () => {
  const { text, steps } = await render({ from: 'head', to: 'head' });
  assert.equal(steps.length, 0);
  assert.match(text, /Nothing to run/);
  const p = parts(text);
  assert.deepEqual(p.map((x) => x.split(/\s+/).slice(0, 2).join(' ')), ['$ydb_migrate_owner =', 'CREATE TABLE', 'SELECT Ensure(`name`,', 'SELECT Ensure(0,']);
  assert.match(p[0]!, /^\$ydb_migrate_owner = 'offline-script-[0-9a-f]{16}'u;\n\$ydb_migrate_by = 'ydb-migrate offline script'u;\n\$ydb_migrate_lease_lost = 'this script no longer holds the migration lock[^\n]*'u;\n/, 'the lock owner, who applied and the lease-lost message are bound once, at the top');
  assert.match(p[3]!, /^SELECT Ensure\(0, COUNT\(\*\) = 1, \$ydb_migrate_lease_lost\)[^\n]*;\nDELETE FROM `ydb_migrate_history_lock` WHERE id = 'migrate'u AND owner = \$ydb_migrate_owner;$/);
});

const DEPENDENT_DDL = [
  'CREATE TABLE c (id Uint64 NOT NULL, PRIMARY KEY (id));',
  'ALTER TABLE c ADD COLUMN v Utf8; ALTER TABLE c ADD INDEX c_by_v GLOBAL ON (v);',
  '$v = "x"u;',
  'UPSERT INTO c (id, v) VALUES (1, $v);',
  'DROP TABLE a;',
].join('\n');

test('COMMIT follows every DDL statement, so each one is compiled against the schema the ones before it left', async () => {
  const files = { ...FILES, 'sql/0003_data.up.yql': DEPENDENT_DDL };
  const { text } = await render({ from: '@v1' }, files);
  const guard = parts(text).find((x) => x.includes('AS lock_holder'))!;
  assert.match(guard, /\nUPSERT INTO `ydb_migrate_history` [^;]*'0003_data'u[^;]*'applying'u[^;]*;$/, "the row is 'applying' before the first part: written with the guard, which took the lease");
  const p = migrationParts(text);
  assert.deepEqual(p.slice(0, 5).map((x) => x.split(/\s+/).slice(0, 2).join(' ')), ['CREATE TABLE', 'ALTER TABLE', 'ALTER TABLE', '$v =', 'DROP TABLE']);
  assert.match(p[3]!, /^\$v = "x"u;\nUPSERT INTO c/, 'the named expression stays with the DML that reads it');
  assert.match(p[5]!, /^SELECT Ensure\(0, COUNT\(\*\) = 1[^\n]*lock_held[^\n]*\nUPSERT INTO `ydb_migrate_history` [^;]*'applied'u[^;]*;\nDELETE FROM `ydb_migrate_history_lock`/, 'after a DDL last statement the history write is its own part, after the lease check, and the last one frees the lock');
  assert.equal(p.length, 6);
});

test('an explicit COMMIT between blocks is not doubled', async () => {
  const files = { ...FILES, 'sql/0003_data.up.yql': 'UPSERT INTO a (id) VALUES (2);\nCOMMIT;\nDROP TABLE a;\n' };
  const { text } = await render({ from: '@v1' }, files);
  assert.match(text, /UPSERT INTO a \(id\) VALUES \(2\);\nCOMMIT;\nDROP TABLE a;\nCOMMIT;\nSELECT Ensure\(0, [^\n]*lock_held[^\n]*\nUPSERT INTO `ydb_migrate_history`/);
});

/** Asserts that rendering with `up` as 0003_data's text is refused with `code` at line:column of that file. */
async function refused(up: string, code: string, line: number, column: number, message: RegExp): Promise<void> {
  await assert.rejects(render({}, { ...FILES, 'sql/0003_data.up.yql': up }), (err: MigrateError) => {
    assert.equal(err.code, code);
    assert.match(err.location!.file, /0003_data\.up\.yql$/);
    assert.deepEqual([err.location!.line, err.location!.column], [line, column]);
    assert.match(err.message, message);
    return true;
  });
}

test('CREATE TABLE ... AS SELECT and BATCH statements are refused with their location and how to run them', async () => {
  await refused('SELECT 1;\n  CREATE TABLE c (PRIMARY KEY (id)) AS SELECT * FROM a;', 'OFFLINE_UNSUPPORTED', 2, 3, /CREATE TABLE \.\.\. AS SELECT.*`ydb-migrate up`/);
  await refused('BATCH UPDATE a SET id = 1;', 'OFFLINE_UNSUPPORTED', 1, 1, /BATCH UPDATE\/DELETE.*`ydb-migrate up`/);
});

test('a PRAGMA is refused: the Scripting service would apply it to the whole script', async () => {
  await refused('-- dir\nPRAGMA TablePathPrefix("/local/app");\nUPSERT INTO a (id) VALUES (2);', 'OFFLINE_UNSUPPORTED', 2, 1, /every other migration and the history writes.*online/);
});

test("a migration may not read another migration's named expression or parameter; defining its own is fine", async () => {
  const defines = { ...FILES, 'sql/0001_schema.up.yql': '$n = 7;\nCREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\n' };
  await assert.rejects(render({}, { ...defines, 'sql/0003_data.up.yql': 'UPSERT INTO a (id) VALUES ($n);' }), {
    code: 'OFFLINE_FOREIGN_NAME',
    message: /\$n is bound by .*0001_schema\.up\.yql, not by this migration/,
  });
  await assert.rejects(render({}, { ...FILES, 'sql/0003_data.up.yql': 'UPSERT INTO a (id) VALUES (1) -- $env\n;\nSELECT $env;' }), { code: 'OFFLINE_FOREIGN_NAME' });
  await assert.rejects(render({}, { ...FILES, 'sql/0001_schema.up.yql': 'CREATE TABLE a (id Uint64 NOT NULL, PRIMARY KEY (id));\nSELECT $env;' }), {
    code: 'OFFLINE_FOREIGN_NAME',
    message: /\$env is bound by .*0002_mixed\.up\.yql/,
  }, 'a parameter a later migration declares is bound at the top too');
  const { text } = await render({}, { ...defines, 'sql/0003_data.up.yql': '$n = 8;\nUPSERT INTO a (id) VALUES ($n);' });
  assert.match(text, /\$n = 8;\nUPSERT INTO a \(id\) VALUES \(\$n\);/);
});

test("a migration's checksum and down text are written once, with its 'applying' row; its 'applied' write names the row and sets only its state and time", async () => {
  const { text } = await render();
  // 0002_mixed's 'applying' row is written at the end of 0001_schema's section, with that one's 'applied' write: one part, one lease check.
  const joint = text.slice(text.indexOf('-- ===== up 0001_schema'), text.indexOf('-- ===== up 0003_data'));
  assert.equal(joint.split("'DELETE FROM b WHERE id = 1;\\nDROP TABLE b; -- it\\'s gone\\n'u").length - 1, 1, 'the down text once');
  const checksum = /'0002_mixed'u, 2u, '([0-9a-f]{64})'u/.exec(joint)![1]!;
  assert.equal(text.split(checksum).length - 1, 1, 'the checksum once');
  assert.match(joint, /^UPSERT INTO `ydb_migrate_history` \(`name`, `state`, `applied_at`\) VALUES \('0002_mixed'u, 'applied'u, CurrentUtcTimestamp\(\)\);$/m);
  const lease = /^SELECT Ensure\(0, COUNT\(\*\) = 1, \$ydb_migrate_lease_lost\) AS lock_held FROM `ydb_migrate_history_lock` WHERE id = 'migrate'u AND owner = \$ydb_migrate_owner;$/m;
  const sections = text.split(/^-- ===== /m).slice(2);
  assert.equal(sections.length, 3);
  for (const section of sections) {
    const writes = migrationParts(`SELECT Ensure(x);\nCOMMIT;\n${section}`).filter((part) => part.includes('`ydb_migrate_history`'));
    assert.equal(writes.length, 1, 'each migration closes with one part of history writes');
    assert.match(writes[0]!, lease, 'which checks the lease');
  }
  assert.equal(joint.split('UPDATE `ydb_migrate_history_lock` SET expires_at').length - 1, 2, 'and renews it, but for the last');
  const data = text.slice(text.indexOf('-- ===== up 0003_data'));
  assert.match(data, /^UPSERT INTO `ydb_migrate_history` \(`name`, `position`, `checksum`[^;]*'applied'u[^;]*;$/m, 'a migration of one DML block writes its whole row once, with its data');
});

test("each migration's section opens with one line naming it, then the migration's own text; its bookkeeping follows, from the lease check to the section's last COMMIT", async () => {
  const { text } = await render();
  const section = text.slice(text.indexOf('\n-- ===== up 0002_mixed') + 1, text.indexOf('\n-- ===== up 0003_data'));
  const lines = section.split('\n');
  assert.equal(lines[0], '-- ===== up 0002_mixed', 'the header line names the migration; the file follows from the name, as the script header says');
  assert.equal(lines[1], '-- keeps this comment for the reviewer', "the migration's own first line comes right after it");
  assert.match(text, /holds NAME\.up\.yql \(in the manifest's folder\) as written/);
  const bookkeeping = lines.slice(lines.findIndex((l) => l.startsWith('SELECT Ensure(0, ')));
  assert.ok(bookkeeping.length > 1 && bookkeeping.every((l) => l === '' || l === 'COMMIT;' || /ydb_migrate_/.test(l)), `every bookkeeping line names the tool's tables or values:\n${bookkeeping.join('\n')}`);
  assert.ok(!lines.slice(0, lines.length - bookkeeping.length).some((l) => /ydb_migrate_/.test(l)), "no bookkeeping before the migration's own statements end");
  assert.match(section, /^UPDATE `ydb_migrate_history_lock` SET expires_at = CurrentUtcTimestamp\(\) \+ Interval\('PT1H'\) WHERE id = 'migrate'u;$/m, 'the renewal names the row by its key: the check in the same part found it held by this script');
});

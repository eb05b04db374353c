import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { MigrateError, MigrateErrors } from '../lib/errors.js';
import { checksumOf, decodeUtf8, loadMigrationSet } from '../lib/migration.js';

const scratch = await mkdtemp(join(tmpdir(), 'ydb-migrate-load-'));
after(() => rm(scratch, { recursive: true, force: true }));

/** A fresh migrations directory holding `files` (path → content). */
async function migrationsDir(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'sql-'));
  const paths = Object.keys(files).map((path) => join(dir, path));
  for (const folder of new Set(paths.map((path) => dirname(path)))) await mkdir(folder, { recursive: true });
  await Promise.all(Object.values(files).map((content, i) => writeFile(paths[i]!, content)));
  return dir;
}

/** How the loader shows a path: relative to the working directory. */
function shown(dir: string, file: string): string {
  return relative(process.cwd(), join(dir, file));
}

async function loadErrors(dir: string): Promise<MigrateError[]> {
  try {
    await loadMigrationSet(dir);
  } catch (err) {
    if (err instanceof MigrateErrors) return err.errors;
    if (err instanceof MigrateError) return [err];
    throw err;
  }
  assert.fail('loading should have failed');
}

const CREATE_USERS = 'CREATE TABLE users (id Uint64, PRIMARY KEY (id));\n';

test('loads the listed migrations in manifest order with texts, checksums and blocks', async () => {
  const dir = await migrationsDir({
    'manifest.txt': '0001_users\n@v1\nbilling/0002_invoices\n',
    '0001_users.up.yql': CREATE_USERS + "UPSERT INTO users (id) VALUES (1);\n",
    '0001_users.down.yql': 'DROP TABLE users;\n',
    'billing/0002_invoices.up.yql': 'CREATE TABLE invoices (id Uint64, PRIMARY KEY (id));\n',
  });
  const set = await loadMigrationSet(dir);
  assert.equal(set.dir, dir);
  assert.equal(set.manifest.path, shown(dir, 'manifest.txt'));
  assert.deepEqual(set.manifest.tags, [{ tag: 'v1', afterIndex: 0, line: 2 }]);
  assert.deepEqual(set.warnings, []);
  assert.deepEqual(set.migrations.map((m) => [m.name, m.index, m.manifestLine]), [
    ['0001_users', 0, 1],
    ['billing/0002_invoices', 1, 3],
  ]);
  const [users, invoices] = set.migrations;
  assert.equal(users!.up.path, shown(dir, '0001_users.up.yql'));
  assert.equal(users!.up.checksum, checksumOf(users!.up.text));
  assert.deepEqual(users!.up.blocks.map((b) => b.kind), ['ddl', 'dml']);
  assert.equal(users!.down?.text, 'DROP TABLE users;\n');
  assert.equal(invoices!.down, null);
  assert.equal(invoices!.up.path, shown(dir, 'billing/0002_invoices.up.yql'));
});

test('a BOM and CRLF line endings do not change the text or its checksum', async () => {
  const dir = await migrationsDir({
    'manifest.txt': '\uFEFF0001_users\r\n',
    '0001_users.up.yql': '\uFEFF' + CREATE_USERS.replace('\n', '\r\n'),
  });
  const [users] = (await loadMigrationSet(dir)).migrations;
  assert.equal(users!.up.text, CREATE_USERS);
  assert.equal(users!.up.checksum, checksumOf(CREATE_USERS));
});

/** A YQL text of exactly `bytes` bytes (at least 4); from 65,560 on, a '€' (three bytes) straddles the 64 KiB mark. */
function textOfSize(bytes: number): string {
  const head = bytes >= 65_560 ? `-- ${'x'.repeat(65_532)}€\n` : '';
  const statement = "SELECT 'é';\n"; // 13 bytes
  const used = Buffer.byteLength(head);
  const count = Math.floor((bytes - used - 4) / 13);
  const padding = bytes - used - count * 13;
  return `${head}${statement.repeat(count)}--${' '.repeat(padding - 3)}\n`;
}

test('files of any size load whole and apart, each checksummed as the sha256 of its bytes', async () => {
  // Around the reader's 64 KiB buffer: one short of it, exactly it, one over, and far over; a small
  // file after each shows that nothing of the previous file stays behind.
  const sizes = [65_535, 65_536, 65_537, 300_000];
  const files: Record<string, string> = { 'manifest.txt': sizes.map((_, i) => `${i}_big\n${i}_small\n`).join('') };
  sizes.forEach((bytes, i) => {
    files[`${i}_big.up.yql`] = textOfSize(bytes);
    files[`${i}_small.up.yql`] = `SELECT ${i};\n`;
  });
  const set = await loadMigrationSet(await migrationsDir(files));
  assert.deepEqual(
    set.migrations.map((m) => Buffer.byteLength(m.up.text)),
    sizes.flatMap((bytes) => [bytes, 10]),
  );
  for (const { name, up } of set.migrations) {
    const written = files[`${name}.up.yql`]!;
    assert.equal(up.text, written);
    assert.equal(up.checksum, createHash('sha256').update(written).digest('hex'));
  }
  assert.equal(set.migrations[6]!.up.statements.length, Math.floor((300_000 - 65_539 - 4) / 13));
});

test('checksumOf ignores BOM and line-ending style but not content', () => {
  const lf = checksumOf('SELECT 1;\nSELECT 2;\n');
  assert.match(lf, /^[0-9a-f]{64}$/);
  assert.equal(checksumOf('\uFEFFSELECT 1;\r\nSELECT 2;\r\n'), lf);
  assert.equal(checksumOf('SELECT 1;\rSELECT 2;\r'), lf);
  assert.notEqual(checksumOf('SELECT 1;\nSELECT 3;\n'), lf);
});

test('a missing directory or manifest says how to start one', async () => {
  const missing = join(scratch, 'no-such-dir', 'sql');
  const [noDir] = await loadErrors(missing);
  assert.equal(noDir!.code, 'MIGRATIONS_DIR_NOT_FOUND');
  assert.match(noDir!.message, /ydb-migrate create NAME/);

  const empty = await migrationsDir({});
  const [noManifest] = await loadErrors(empty);
  assert.equal(noManifest!.code, 'MANIFEST_NOT_FOUND');
  assert.match(noManifest!.message, new RegExp(`${shown(empty, 'manifest.txt')} does not exist.*ydb-migrate create NAME`));

  const file = join(await migrationsDir({ 'x.txt': '' }), 'x.txt');
  const [notDir] = await loadErrors(file);
  assert.equal(notDir!.code, 'MIGRATIONS_DIR_NOT_DIRECTORY');
});

test('a missing up file is located at its manifest line, with a case hint when one is near', async () => {
  const dir = await migrationsDir({
    'manifest.txt': '0001_users\n  0002_Orders\n0003_gone\n',
    '0001_users.up.yql': CREATE_USERS,
    '0002_orders.up.yql': CREATE_USERS,
  });
  const errors = await loadErrors(dir);
  assert.deepEqual(errors.map((e) => [e.code, e.location]), [
    ['MANIFEST_MISSING_UP', { file: shown(dir, 'manifest.txt'), line: 2, column: 3 }],
    ['MANIFEST_MISSING_UP', { file: shown(dir, 'manifest.txt'), line: 3, column: 1 }],
    ['UNLISTED_FILE', { file: shown(dir, '0002_orders.up.yql'), line: 1, column: 1 }],
  ]);
  assert.match(errors[0]!.message, /found 0002_orders\.up\.yql, but names are case-sensitive/);
  assert.match(errors[1]!.message, /has no up file .*0003_gone\.up\.yql; create it or remove the line/);
});

test('a manifest line with a typo gets "did you mean" from the up files present', async () => {
  const dir = await migrationsDir({
    'manifest.txt': '0001_users\n0002_create_order\n',
    '0001_users.up.yql': CREATE_USERS,
    '0002_create_orders.up.yql': CREATE_USERS,
    'billing/0003_invoices.up.yql': CREATE_USERS,
  });
  const errors = await loadErrors(dir);
  assert.equal(errors[0]!.toString(), `${shown(dir, 'manifest.txt')}:2:1: migration '0002_create_order' has no up file ${shown(dir, '0002_create_order.up.yql')}; did you mean '0002_create_orders'? fix the name on this line, or create the file [MANIFEST_MISSING_UP]`);
});

test('a migration file the manifest does not list is an error unless it says it is unlisted on purpose; watch sees it as a warning', async () => {
  const dir = await migrationsDir({
    'manifest.txt': '0001_users\n',
    '0001_users.up.yql': CREATE_USERS,
    '0002_forgotten.up.yql': CREATE_USERS,
    '0002_forgotten.down.yql': 'DROP TABLE users;\n',
    'old/0000_legacy.down.yql': '-- kept for the record\n-- ydb-migrate: unlisted\nDROP TABLE legacy;\n',
  });
  const errors = await loadErrors(dir);
  assert.deepEqual(errors.map((e) => [e.code, e.location?.file, e.location?.line]), [
    ['UNLISTED_FILE', shown(dir, '0002_forgotten.down.yql'), 1],
    ['UNLISTED_FILE', shown(dir, '0002_forgotten.up.yql'), 1],
  ]);
  assert.match(errors[1]!.message, /is not run because .*manifest\.txt does not list '0002_forgotten'; add the name to the manifest, delete the file, or, to keep it unlisted on purpose, add the line '-- ydb-migrate: unlisted' to it/);
  const watched = await loadMigrationSet(dir, { drafts: 'warn' });
  assert.deepEqual(watched.warnings.map((w) => w.code), ['UNLISTED_FILE', 'UNLISTED_FILE']);
});

test('an up file or manifest that is a FIFO is refused at once, not read (which would wait for a writer)', async () => {
  const dir = await migrationsDir({ 'manifest.txt': '0001_users\n0002_pipe\n', '0001_users.up.yql': CREATE_USERS });
  execFileSync('mkfifo', [join(dir, '0002_pipe.up.yql'), join(dir, '0003_stray.up.yql')]);
  const errors = await loadErrors(dir);
  assert.deepEqual(errors.map((e) => e.toString()), [
    `${shown(dir, 'manifest.txt')}:2:1: ${shown(dir, '0002_pipe.up.yql')} is a FIFO (named pipe), not a regular file; ydb-migrate reads only regular files (reading this one could wait forever): replace it with a file [FILE_NOT_REGULAR]`,
    `${shown(dir, '0003_stray.up.yql')}:1:1: ${shown(dir, '0003_stray.up.yql')} is not run because ${shown(dir, 'manifest.txt')} does not list '0003_stray'; add the name to the manifest, delete the file, or, to keep it unlisted on purpose, add the line '-- ydb-migrate: unlisted' to it [UNLISTED_FILE]`,
  ]);
  const pipedManifest = await migrationsDir({});
  execFileSync('mkfifo', [join(pipedManifest, 'manifest.txt')]);
  await assert.rejects(loadMigrationSet(pipedManifest), { code: 'FILE_NOT_REGULAR' });
});

test('every problem in the set is reported at once', async () => {
  const dir = await migrationsDir({
    'manifest.txt': '0001_ok\n0002_bad_yql\n0002_bad_yql\n0003_latin1\n0004_missing\n',
    '0001_ok.up.yql': CREATE_USERS,
    '0002_bad_yql.up.yql': 'CREATE TABLE t (id Uint64, PRIMARY KEY (id));\n\n  FROBNICATE t;\n',
    '0003_latin1.up.yql': Buffer.from('-- caf\xe9\nSELECT 1;\n', 'latin1'),
  });
  const err = await loadMigrationSet(dir).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof MigrateErrors);
  assert.equal(err.kind, 'input');
  assert.deepEqual(err.errors.map((e) => `${e.code} ${e.location?.file}:${e.location?.line}:${e.location?.column}`), [
    `MANIFEST_DUPLICATE_NAME ${shown(dir, 'manifest.txt')}:3:1`,
    `YQL_UNKNOWN_STATEMENT ${shown(dir, '0002_bad_yql.up.yql')}:3:3`,
    `FILE_NOT_UTF8 ${shown(dir, '0003_latin1.up.yql')}:1:7`,
    `MANIFEST_MISSING_UP ${shown(dir, 'manifest.txt')}:5:1`,
  ]);
  assert.equal(err.details.length, 4);
});

test('one problem is thrown as itself', async () => {
  const dir = await migrationsDir({ 'manifest.txt': '0001_a.up.yql\n' });
  const err = await loadMigrationSet(dir).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof MigrateError && !(err instanceof MigrateErrors));
  assert.equal(err.code, 'MANIFEST_BAD_NAME');
});

test('a manifest that is not UTF-8 is located at the bad byte', async () => {
  const dir = await migrationsDir({ 'manifest.txt': Buffer.from([0x30, 0x30, 0x0a, 0x61, 0x62, 0xff, 0x0a]) });
  const [error] = await loadErrors(dir);
  assert.equal(error!.code, 'FILE_NOT_UTF8');
  assert.deepEqual(error!.location, { file: shown(dir, 'manifest.txt'), line: 2, column: 3 });
  assert.match(error!.message, /save the file as UTF-8/);
});

test('decodeUtf8 locates invalid and truncated sequences in UTF-16 columns', () => {
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  assert.equal(decodeUtf8(utf8('ясно\n'), 'f.yql'), 'ясно\n');
  const at = (bytes: Uint8Array) => {
    try {
      decodeUtf8(bytes, 'f.yql');
    } catch (err) {
      assert.ok(err instanceof MigrateError);
      return err.location;
    }
    assert.fail('should not decode');
  };
  // A stray continuation byte after two Cyrillic letters on line 2.
  assert.deepEqual(at(Buffer.concat([utf8('a\nяя'), Buffer.from([0x80])])), { file: 'f.yql', line: 2, column: 3 });
  // A 3-byte sequence cut short at the end of the file.
  assert.deepEqual(at(Buffer.concat([utf8('x😀'), Buffer.from([0xe2, 0x82])])), { file: 'f.yql', line: 1, column: 4 });
  // An overlong encoding of '/'.
  assert.deepEqual(at(Buffer.from([0x41, 0xc0, 0xaf])), { file: 'f.yql', line: 1, column: 2 });
});

test('an unreadable file is an error naming it, at its manifest line', async () => {
  const dir = await migrationsDir({ 'manifest.txt': '0001_a\n' });
  await symlink(join(dir, '0001_a.up.yql'), join(dir, '0001_a.up.yql')); // a loop: ELOOP
  const [error] = await loadErrors(dir);
  assert.equal(error!.code, 'FILE_UNREADABLE');
  assert.deepEqual(error!.location, { file: shown(dir, 'manifest.txt'), line: 1, column: 1 });
  assert.match(error!.message, new RegExp(`cannot read ${shown(dir, '0001_a.up.yql')} \\(.*\\); check that it exists and is readable`));
});

test('migrations in a symlinked folder inside the migrations directory load like any other', async () => {
  const dir = await migrationsDir({ 'manifest.txt': 'shared/0001_a\n', 'real/0001_a.up.yql': CREATE_USERS, 'real/0001_a.down.yql': 'DROP TABLE users;' });
  await symlink(join(dir, 'real'), join(dir, 'shared'));
  const [migration] = (await loadMigrationSet(dir)).migrations;
  assert.equal(migration!.up.text, CREATE_USERS);
  assert.equal(migration!.down?.text, 'DROP TABLE users;');
});

test('an up file or folder that is a symlink to outside the migrations directory is refused at its manifest line, like ..', async () => {
  const outside = await migrationsDir({ '0001_a.up.yql': CREATE_USERS, '0002_b.up.yql': CREATE_USERS });
  const dir = await migrationsDir({ 'manifest.txt': 'shared/0001_a\n0002_b\n' });
  await symlink(outside, join(dir, 'shared'));
  await symlink(join(outside, '0002_b.up.yql'), join(dir, '0002_b.up.yql'));
  const errors = await loadErrors(dir);
  assert.deepEqual(errors.map((e) => [e.code, e.location?.line, e.location?.column]), [['MIGRATION_OUTSIDE_DIR', 1, 1], ['MIGRATION_OUTSIDE_DIR', 2, 1]]);
  assert.match(errors[0]!.message, /shared\/0001_a\.up\.yql is a symlink to .*, outside the migrations directory/);
});

test('a migration path that is a directory is an error at its manifest line', async () => {
  const dir = await migrationsDir({ 'manifest.txt': '# first\n  0001_a\n', '0001_a.up.yql/keep': '' });
  const [error] = await loadErrors(dir);
  assert.equal(error!.toString(), `${shown(dir, 'manifest.txt')}:2:3: ${shown(dir, '0001_a.up.yql')} is a directory, not a migration file; rename the folder or fix the name on this line [MIGRATION_IS_DIRECTORY]`);
});

test('a 1 MB name is cut in messages', async () => {
  const name = `0001_${'x'.repeat(1_000_000)}`;
  const dir = await migrationsDir({ 'manifest.txt': `${name}\n` });
  const [error] = await loadErrors(dir);
  assert.ok(error!.toString().length < 400, `${error!.toString().length} characters`);
  assert.match(error!.message, /0001_x+…x{10} \(1000005 characters\)' has a folder or file name longer than 255 characters/);
});

test('an up file with nothing to run is refused unless it says so; watch, stray non-migration .yql files: warnings', async () => {
  const files = {
    'manifest.txt': '0001_users\n0002_empty\n0003_release\n',
    '0001_users.up.yql': CREATE_USERS,
    '0002_empty.up.yql': '-- nothing here yet\n/* really */\n',
    '0003_release.up.yql': '-- marks release 2.0\n-- ydb-migrate: nothing to do\n',
    'seed.yql': 'SELECT 1;',
    'notes.md': 'not YQL',
  };
  const dir = await migrationsDir(files);
  const errors = await loadErrors(dir);
  assert.deepEqual(errors.map((e) => e.toString()), [
    `${shown(dir, '0002_empty.up.yql')}:1:1: ${shown(dir, '0002_empty.up.yql')} has nothing to run, so applying '0002_empty' would record it applied with nothing changed; write the change, or, if it truly has nothing to do, add the line '-- ydb-migrate: nothing to do' [EMPTY_UP]`,
  ]);
  const set = await loadMigrationSet(dir, { drafts: 'warn' });
  assert.equal(set.migrations.length, 3);
  assert.deepEqual(set.warnings.map((w) => [w.code, w.location?.file]), [
    ['EMPTY_UP', shown(dir, '0002_empty.up.yql')],
    ['UNKNOWN_YQL_FILE', shown(dir, 'seed.yql')],
  ]);
  assert.match(set.warnings[1]!.message, /NAME\.up\.yql and NAME\.down\.yql/);
});

test('an empty manifest is an empty set', async () => {
  const set = await loadMigrationSet(await migrationsDir({ 'manifest.txt': '# nothing yet\n' }));
  assert.deepEqual(set.migrations, []);
  assert.deepEqual(set.warnings, []);
});

test('more migrations than files read at once load completely and in order', async () => {
  const count = 150;
  const names = Array.from({ length: count }, (_, i) => `m/${String(i).padStart(5, '0')}_step`);
  const files: Record<string, string> = { 'manifest.txt': names.join('\n') };
  for (const name of names) {
    files[`${name}.up.yql`] = `UPSERT INTO t (id) VALUES (${name.length});`;
    files[`${name}.down.yql`] = 'DELETE FROM t;';
  }
  const set = await loadMigrationSet(await migrationsDir(files));
  assert.deepEqual(set.migrations.map((m) => m.name), names);
  assert.ok(set.migrations.every((m, i) => m.index === i && m.down !== null));
});

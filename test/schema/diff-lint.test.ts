/**
 * A property of the generator: whatever `diff` and `create --schema` emit
 * passes ydb-migrate's own lint with no error, at every YDB version, or the
 * change is refused (never written). Cases are schema pairs, YQL as a user writes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../lib/errors.js';
import { FEATURES, OLDEST_SUPPORTED_VERSION } from '../../lib/rules/versions.js';
import { diffSchemas, type DiffOptions, type SchemaDiff } from '../../lib/schema/diff.js';
import { parseSchema } from '../../lib/schema/parse.js';
import { refuseLintErrors } from '../../lib/generate/self-lint.js';

const USERS = 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, PRIMARY KEY (id))';
const USERS_INDEXED = 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, INDEX by_email GLOBAL SYNC ON (email) COVER (name), PRIMARY KEY (id))';

/** [current, desired, extra options]: each a change the generator must handle. */
const CASES: Record<string, [string, string, Partial<DiffOptions>?]> = {
  'a new table': [`${USERS};`, `${USERS}; CREATE TABLE orders (id Uint64 NOT NULL, total Double, PRIMARY KEY (id));`],
  'a dropped table': [`${USERS}; CREATE TABLE orders (id Uint64 NOT NULL, PRIMARY KEY (id));`, `${USERS};`],
  'a new column': [`${USERS};`, 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, city Utf8, PRIMARY KEY (id));'],
  'a new column with a DEFAULT': [`${USERS};`, 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, city Utf8 NOT NULL DEFAULT "x"u, PRIMARY KEY (id));'],
  'a dropped NOT NULL column with a DEFAULT': ['CREATE TABLE users (id Uint64 NOT NULL, state Utf8 NOT NULL DEFAULT "new"u, PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, PRIMARY KEY (id));'],
  'a dropped NOT NULL column': ['CREATE TABLE users (id Uint64 NOT NULL, state Utf8 NOT NULL, PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, PRIMARY KEY (id));'],
  'a new index': [`${USERS};`, `${USERS_INDEXED};`],
  'a dropped index': [`${USERS_INDEXED};`, `${USERS};`],
  'a COVER change': [`${USERS_INDEXED};`, 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, INDEX by_email GLOBAL SYNC ON (email) COVER (name, age), PRIMARY KEY (id));'],
  'a dropped UNIQUE index': ['CREATE TABLE users (id Uint64 NOT NULL, email Utf8, INDEX by_email GLOBAL UNIQUE SYNC ON (email), PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, PRIMARY KEY (id));'],
  'a UNIQUE index on an existing table': [`${USERS};`, 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, INDEX by_email GLOBAL UNIQUE SYNC ON (email), PRIMARY KEY (id));'],
  'a UNIQUE index on a new table': ['', 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, INDEX by_email GLOBAL UNIQUE SYNC ON (email), PRIMARY KEY (id));'],
  'a TTL': [`${USERS};`, 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, seen Timestamp, PRIMARY KEY (id)) WITH (TTL = Interval("P30D") ON seen);'],
  'a setting': [`${USERS};`, `${USERS} WITH (AUTO_PARTITIONING_BY_LOAD = ENABLED);`],
  'the default family compressed': [`${USERS};`, 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, name Utf8, age Uint32, FAMILY default (COMPRESSION = "lz4"), PRIMARY KEY (id));'],
  'the default family no longer compressed': ['CREATE TABLE users (id Uint64 NOT NULL, email Utf8, FAMILY default (COMPRESSION = "lz4"), PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8, PRIMARY KEY (id));'],
  'a new family for a column': ['CREATE TABLE users (id Uint64 NOT NULL, email Utf8, PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8 FAMILY cold, FAMILY cold (DATA = "rot", COMPRESSION = "lz4"), PRIMARY KEY (id));'],
  "a family's compression unset": ['CREATE TABLE users (id Uint64 NOT NULL, email Utf8 FAMILY cold, FAMILY cold (DATA = "rot", COMPRESSION = "lz4"), PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8 FAMILY cold, FAMILY cold (DATA = "rot"), PRIMARY KEY (id));'],
  "a family's compression changed": ['CREATE TABLE users (id Uint64 NOT NULL, email Utf8 FAMILY cold, FAMILY cold (COMPRESSION = "off"), PRIMARY KEY (id));', 'CREATE TABLE users (id Uint64 NOT NULL, email Utf8 FAMILY cold, FAMILY cold (COMPRESSION = "lz4"), PRIMARY KEY (id));'],
  'a renamed table': [`${USERS};`, USERS.replace('users', 'accounts') + ';', { renames: new Map([['users', 'accounts']]) }],
  'a renamed table, changed too': [`${USERS_INDEXED};`, 'CREATE TABLE accounts (id Uint64 NOT NULL, email Utf8, name Utf8, INDEX by_email GLOBAL SYNC ON (email) COVER (name), PRIMARY KEY (id));', { renames: new Map([['users', 'accounts']]) }],
  'a column that looks renamed': [`${USERS};`, 'CREATE TABLE users (id Uint64 NOT NULL, mail Utf8, name Utf8, age Uint32, PRIMARY KEY (id));'],
};

const VERSIONS = [undefined, OLDEST_SUPPORTED_VERSION, FEATURES.addColumnWithDefault.since];

function generate(name: string, version: string | undefined): SchemaDiff | MigrateError {
  const [current, desired, extra] = CASES[name]!;
  try {
    return diffSchemas(parseSchema(current, 'current.yql'), parseSchema(desired, 'desired.yql'), { allowDrop: true, desiredFile: 'desired.yql', ...(version ? { ydbVersion: version } : {}), ...extra });
  } catch (err) {
    if (err instanceof MigrateError) return err;
    throw err;
  }
}

for (const name of Object.keys(CASES)) {
  test(`${name}: the generated up and down pass lint at every YDB version, or nothing is generated`, () => {
    for (const version of VERSIONS) {
      const diff = generate(name, version);
      if (diff instanceof MigrateError) {
        assert.match(diff.code, /^DIFF_/, `${version}: ${diff.message}`);
        continue;
      }
      assert.doesNotThrow(() => refuseLintErrors(parseSchema(CASES[name]![0], 'current.yql'), diff, version), `${version}:\n-- up\n${diff.up}\n-- down\n${diff.down}`);
    }
  });
}

test('families: only ALTER FAMILY ... SET with "off" or "lz4", and the default family is altered, never added', () => {
  const compressed = generate('the default family compressed', undefined) as SchemaDiff;
  assert.equal(compressed.up, 'ALTER TABLE `users` ALTER FAMILY `default` SET COMPRESSION "lz4";\n');
  assert.equal(compressed.down, 'ALTER TABLE `users` ALTER FAMILY `default` SET COMPRESSION "off";\n');
  const plain = generate('the default family no longer compressed', undefined) as SchemaDiff;
  assert.equal(plain.up, 'ALTER TABLE `users` ALTER FAMILY `default` SET COMPRESSION "off";\n');
  const unset = generate("a family's compression unset", undefined) as SchemaDiff;
  assert.equal(unset.changes.length, 0, 'an option the desired schema leaves out is left as it is (YDB cannot unset it)');
  const changed = generate("a family's compression changed", undefined) as SchemaDiff;
  assert.equal(changed.up, 'ALTER TABLE `users` ALTER FAMILY `cold` SET COMPRESSION "lz4";\n');
  assert.equal(changed.down, 'ALTER TABLE `users` ALTER FAMILY `cold` SET COMPRESSION "off";\n');
  for (const name of Object.keys(CASES).filter((n) => /famil/.test(n))) {
    const diff = generate(name, undefined) as SchemaDiff;
    assert.doesNotMatch(`${diff.up}${diff.down}`, /ADD FAMILY `default`|""/, name);
  }
});

test('a UNIQUE index on an existing table is refused with the recipe and the server flag; on a new table it is part of CREATE TABLE', () => {
  const refused = generate('a UNIQUE index on an existing table', undefined);
  assert.ok(refused instanceof MigrateError);
  assert.equal(refused.code, 'DIFF_IN_PLACE_IMPOSSIBLE');
  assert.match(refused.message, /table users: a UNIQUE index by_email cannot be added in place/);
  assert.match(refused.details.join('\n'), /CREATE TABLE users_new with the new shape[^]*EnableAddUniqueIndex, write ALTER TABLE users ADD INDEX `by_email` GLOBAL UNIQUE ON \(`email`\); by hand/);
  const created = generate('a UNIQUE index on a new table', undefined) as SchemaDiff;
  assert.match(created.up, /INDEX `by_email` GLOBAL UNIQUE ON \(`email`\)/);
});

test('before YDB 26.1 a new column with a DEFAULT is refused, and a dropped one comes back in the down without what YDB cannot add', () => {
  const refused = generate('a new column with a DEFAULT', OLDEST_SUPPORTED_VERSION);
  assert.ok(refused instanceof MigrateError);
  assert.match(refused.message, /a new column city with a DEFAULT \(ADD COLUMN \.\.\. DEFAULT on an existing table needs YDB 26\.1, newer than --ydb-version 24\.1\)/);
  const old = generate('a dropped NOT NULL column with a DEFAULT', OLDEST_SUPPORTED_VERSION) as SchemaDiff;
  assert.match(old.down, /-- YDB cannot add column state back with its DEFAULT and NOT NULL here: the down re-adds it without\.\nALTER TABLE `users` ADD COLUMN `state` Utf8;/);
  const recent = generate('a dropped NOT NULL column with a DEFAULT', FEATURES.addColumnWithDefault.since) as SchemaDiff;
  assert.match(recent.down, /ALTER TABLE `users` ADD COLUMN `state` Utf8 NOT NULL DEFAULT 'new'u;/);
});

test('a table rename is RENAME TO first in the up and last in the down, with the changes made under the new name', () => {
  const diff = generate('a renamed table, changed too', undefined) as SchemaDiff;
  assert.equal(diff.up, [
    'ALTER TABLE `users` RENAME TO `accounts`;',
    '-- DESTRUCTIVE: drops column age of accounts and its values\nALTER TABLE `accounts` DROP COLUMN `age`;',
  ].map((l) => `${l}\n`).join('\n'));
  assert.match(diff.down, /ALTER TABLE `accounts` RENAME TO `users`;\n$/);
  assert.throws(() => diffSchemas(parseSchema(`${USERS};`, 'c'), parseSchema(USERS.replace('users', 'accounts') + ';', 'd'), { allowDrop: true, desiredFile: 'd' }), /\[DIFF_RENAME_GUESS\]|pass --rename users=accounts/);
});

test('a COVER change builds the new index under a free name and swaps it in, never leaving the table without it while it builds', () => {
  const diff = generate('a COVER change', undefined) as SchemaDiff;
  assert.equal(diff.changes.length, 1);
  assert.equal(diff.changes[0]!.destructive, null);
  assert.match(diff.up, /ALTER TABLE `users` ADD INDEX `by_email_new` GLOBAL SYNC ON \(`email`\) COVER \(`name`, `age`\);\n\nALTER TABLE `users` DROP INDEX `by_email`;\n\nALTER TABLE `users` RENAME INDEX `by_email_new` TO `by_email`;\n$/);
  assert.match(diff.up, /`ydb table index rename users --index-name by_email_new --to by_email --replace`/);
  assert.match(diff.down, /ADD INDEX `by_email_new` GLOBAL SYNC ON \(`email`\) COVER \(`name`\);\n\nALTER TABLE `users` DROP INDEX `by_email`;\n\nALTER TABLE `users` RENAME INDEX `by_email_new` TO `by_email`;\n$/);
  const taken = diffSchemas(
    parseSchema('CREATE TABLE t (id Uint64 NOT NULL, a Utf8, INDEX i GLOBAL ON (a), INDEX i_new GLOBAL ON (a), PRIMARY KEY (id));', 'c'),
    parseSchema('CREATE TABLE t (id Uint64 NOT NULL, a Utf8, INDEX i GLOBAL ASYNC ON (a), INDEX i_new GLOBAL ON (a), PRIMARY KEY (id));', 'd'),
    { desiredFile: 'd' },
  );
  assert.match(taken.up, /ADD INDEX `i_new2` GLOBAL ASYNC ON \(`a`\);[^]*RENAME INDEX `i_new2` TO `i`;/);
});

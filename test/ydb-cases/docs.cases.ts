/**
 * YDB's documentation examples of table DDL (ydb-platform/ydb, ydb/docs/en/core/...):
 * every one is valid YQL that YDB accepts, so lint must give none of them an
 * error. Where an example alters a table, the setup creates one with the
 * columns the example names.
 */
import type { YdbCase } from './case.js';

const DOCS = 'ydb/docs/en/core';
const ok = { ok: true } as const;

function doc(page: string, section: string, n: number, yql: string, setup: string[] = [], service: YdbCase['service'] = 'query'): YdbCase {
  const stem = page.replace(/^.*\/syntax\//, '').replace(/\.md$/, '');
  return { id: `docs/${stem}/${n}`, source: { file: `${DOCS}/${page}`, test: section }, setup, yql, service, expect: ok };
}

const CREATE = 'yql/reference/syntax/create_table/index.md';
const FAMILY = 'yql/reference/syntax/create_table/family.md';
const WITH = 'yql/reference/syntax/create_table/with.md';
const INDEX = 'yql/reference/syntax/create_table/secondary_index.md';
const COLUMNS = 'yql/reference/syntax/alter_table/columns.md';
const ALTER_FAMILY = 'yql/reference/syntax/alter_table/family.md';
const INDEXES = 'yql/reference/syntax/alter_table/indexes.md';
const CHANGEFEED = 'yql/reference/syntax/alter_table/changefeed.md';
const SET = 'yql/reference/syntax/alter_table/set.md';
const RENAME = 'yql/reference/syntax/alter_table/rename.md';
const TTL = 'recipes/yql/ttl.md';
const SERIAL = 'yql/reference/types/serial.md';

/** Tables the ALTER examples act on, with the columns they name. */
const series = 'CREATE TABLE `series` (\n    series_id Uint64,\n    title Utf8,\n    series_info Utf8,\n    release_date Uint64,\n    expire_at Timestamp,\n    PRIMARY KEY (series_id)\n);';
const episodes = 'CREATE TABLE episodes (\n    series_id Uint64,\n    season_id Uint64,\n    episode_id Uint64,\n    title Utf8,\n    PRIMARY KEY (series_id, season_id, episode_id)\n);';
const withFamilies = 'CREATE TABLE series_with_families (\n    series_id Uint64,\n    title Utf8,\n    series_info Utf8 FAMILY family_large,\n    release_date Uint64,\n    PRIMARY KEY (series_id),\n    FAMILY default (\n        DATA = "ssd",\n        COMPRESSION = "off"\n    ),\n    FAMILY family_large (\n        DATA = "rot",\n        COMPRESSION = "lz4"\n    )\n);';
const mytable = 'CREATE TABLE `mytable` (\n    id Uint64,\n    created_at Timestamp,\n    modified_at Uint32,\n    PRIMARY KEY (id)\n);';
const users = 'CREATE TABLE users (\n    user_hash Uint64,\n    user_id Serial,\n    name Utf8,\n    email Utf8,\n    PRIMARY KEY (user_hash, user_id)\n);';
const feed = (options: string) => `ALTER TABLE \`series\` ADD CHANGEFEED \`updates_feed\` WITH (\n    FORMAT = 'JSON',\n    MODE = 'UPDATES'${options}\n);`;

export const cases: YdbCase[] = [
  doc(CREATE, 'Examples of table creation: row-oriented', 1, 'CREATE TABLE my_rows (\n  a Uint64,\n  b Uint64,\n  c Float,\n  PRIMARY KEY (a, b)\n);'),
  doc(CREATE, 'Examples of table creation: DEFAULT value', 2, 'CREATE TABLE table_with_default (\n  id Uint64,\n  name String DEFAULT "unknown",\n  score Double NOT NULL DEFAULT 0.0,\n  PRIMARY KEY (id)\n);'),
  doc(CREATE, 'Examples of table creation: partitioning options', 3, 'CREATE TABLE my_partitioned (\n  a Uint64,\n  b Uint64,\n  c Float,\n  PRIMARY KEY (a, b)\n)\nWITH (\n  AUTO_PARTITIONING_BY_SIZE = ENABLED,\n  AUTO_PARTITIONING_PARTITION_SIZE_MB = 512\n);'),
  doc(CREATE, 'Examples of table creation: column-oriented', 4, 'CREATE TABLE table_name (\n  a Uint64 NOT NULL,\n  b Timestamp NOT NULL,\n  c Float,\n  PRIMARY KEY (a, b)\n)\nPARTITION BY HASH(b)\nWITH (\n  STORE = COLUMN\n);'),
  doc(CREATE, 'Examples of table creation: column-oriented, partition count', 5, 'CREATE TABLE table_name (\n  a Uint64 NOT NULL,\n  b Timestamp NOT NULL,\n  c Float,\n  PRIMARY KEY (a, b)\n)\nPARTITION BY HASH(b)\nWITH (\n  STORE = COLUMN,\n  AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 10\n);'),
  doc(FAMILY, 'Example: row-oriented table', 1, withFamilies),
  doc(FAMILY, 'Example: column-oriented table', 2, 'CREATE TABLE series_with_families (\n    series_id Uint64 NOT NULL,\n    title Utf8,\n    series_info Utf8 FAMILY family_large,\n    release_date Uint64,\n    PRIMARY KEY (series_id),\n    FAMILY default (\n        COMPRESSION = "lz4"\n    ),\n    FAMILY family_large (\n        COMPRESSION = "zstd",\n        COMPRESSION_LEVEL = 5\n    )\n)\nWITH (STORE = COLUMN);'),
  doc(WITH, 'WITH: partitioning', 1, 'CREATE TABLE my_table (\n    id Uint64,\n    title Utf8,\n    PRIMARY KEY (id)\n)\nWITH (\n    AUTO_PARTITIONING_BY_SIZE = ENABLED,\n    AUTO_PARTITIONING_PARTITION_SIZE_MB = 512\n);'),
  doc(WITH, 'Time to Live: row-oriented table', 2, 'CREATE TABLE my_table (\n    id Uint64,\n    title Utf8,\n    expire_at Timestamp,\n    PRIMARY KEY (id)\n)\nWITH (\n    TTL = Interval("PT0S") ON expire_at\n);'),
  doc(WITH, 'Time to Live: column-oriented table', 3, 'CREATE TABLE table_name (\n    a Uint64 NOT NULL,\n    b Timestamp NOT NULL,\n    c Float,\n    PRIMARY KEY (a, b)\n)\nPARTITION BY HASH(b)\nWITH (\n    STORE = COLUMN,\n    TTL = Interval("PT0S") ON b\n);'),
  doc(INDEX, 'Example', 1, 'CREATE TABLE my_table (\n    a Uint64,\n    b Bool,\n    c Utf8,\n    d Date,\n    INDEX idx_d GLOBAL ON (d),\n    INDEX idx_ba GLOBAL ASYNC ON (b, a) COVER (c),\n    INDEX idx_bc GLOBAL UNIQUE SYNC ON (b, c),\n    PRIMARY KEY (a)\n)'),
  doc(COLUMNS, 'ADD COLUMN: example', 1, 'ALTER TABLE episodes ADD COLUMN views Uint64;', [episodes]),
  doc(COLUMNS, 'ADD COLUMN: with DEFAULT', 2, 'ALTER TABLE episodes ADD COLUMN rate Double NOT NULL DEFAULT 5.0;', [episodes]),
  doc(COLUMNS, 'ADD COLUMN: with DEFAULT, alternative syntax', 3, 'ALTER TABLE episodes ADD COLUMN rate Double (DEFAULT 5.0, NOT NULL);', [episodes]),
  doc(COLUMNS, 'DROP COLUMN: example', 4, 'ALTER TABLE episodes DROP COLUMN views;', [episodes, 'ALTER TABLE episodes ADD COLUMN views Uint64;']),
  doc(ALTER_FAMILY, 'Creating column groups', 1, 'ALTER TABLE series_with_families ADD FAMILY family_small (\n    DATA = "ssd",\n    COMPRESSION = "off"\n);', [withFamilies]),
  doc(ALTER_FAMILY, 'Modifying column groups', 2, 'ALTER TABLE series_with_families ALTER COLUMN release_date SET FAMILY family_small;', [withFamilies, 'ALTER TABLE series_with_families ADD FAMILY family_small (\n    DATA = "ssd",\n    COMPRESSION = "off"\n);']),
  doc(ALTER_FAMILY, 'Modifying column groups: in one ALTER TABLE', 3, 'ALTER TABLE series_with_families\n    ADD FAMILY family_small (\n        DATA = "ssd",\n        COMPRESSION = "off"\n    ),\n    ALTER COLUMN release_date SET FAMILY family_small;', [withFamilies]),
  doc(ALTER_FAMILY, 'Changing compression codec', 4, 'ALTER TABLE series_with_families ALTER FAMILY default SET COMPRESSION "lz4";', [withFamilies]),
  doc(INDEXES, 'Adding an index', 1, 'ALTER TABLE `series` ADD INDEX `title_index` GLOBAL ON (`title`);', [series]),
  doc(INDEXES, 'Altering an index', 2, 'ALTER TABLE `series` ALTER INDEX `title_index` SET (\n    AUTO_PARTITIONING_BY_LOAD = ENABLED,\n    AUTO_PARTITIONING_MIN_PARTITIONS_COUNT = 5\n);', [series, 'ALTER TABLE `series` ADD INDEX `title_index` GLOBAL ON (`title`);']),
  doc(INDEXES, 'Deleting an index', 3, 'ALTER TABLE `series` DROP INDEX `title_index`;', [series, 'ALTER TABLE `series` ADD INDEX `title_index` GLOBAL ON (`title`);']),
  doc(INDEXES, 'Renaming an index', 4, 'ALTER TABLE `series` RENAME INDEX `title_index` TO `title_index_new`;', [series, 'ALTER TABLE `series` ADD INDEX `title_index` GLOBAL ON (`title`);']),
  doc(CHANGEFEED, 'ADD CHANGEFEED: updates in JSON', 1, feed(''), [series]),
  doc(CHANGEFEED, 'ADD CHANGEFEED: retention period', 2, feed(",\n    RETENTION_PERIOD = Interval('PT12H')"), [series]),
  doc(CHANGEFEED, 'ADD CHANGEFEED: virtual timestamps', 3, feed(',\n    VIRTUAL_TIMESTAMPS = TRUE'), [series]),
  doc(CHANGEFEED, 'ADD CHANGEFEED: barriers', 4, feed(",\n    VIRTUAL_TIMESTAMPS = TRUE,\n    BARRIERS_INTERVAL = Interval('PT10S')"), [series]),
  doc(CHANGEFEED, 'ADD CHANGEFEED: initial scan', 5, feed(',\n    INITIAL_SCAN = TRUE'), [series]),
  doc(CHANGEFEED, 'ADD CHANGEFEED: topic autopartitioning', 6, feed(",\n    TOPIC_AUTO_PARTITIONING = 'ENABLED',\n    TOPIC_MIN_ACTIVE_PARTITIONS = 2"), [series]),
  doc(CHANGEFEED, 'DROP CHANGEFEED', 7, 'ALTER TABLE `series` DROP CHANGEFEED `updates_feed`;', [series, feed('')]),
  doc(SET, 'Modifying additional table parameters: TTL', 1, 'ALTER TABLE series SET (TTL = Interval("PT0S") ON expire_at);', [series]),
  doc(SET, 'Resetting additional table parameters', 2, 'ALTER TABLE series RESET (TTL);', [series, 'ALTER TABLE series SET (TTL = Interval("PT0S") ON expire_at);']),
  doc(RENAME, 'Renaming a table', 1, 'ALTER TABLE series RENAME TO series_archive;', [series]),
  doc(TTL, 'Enabling TTL for an existing table', 1, 'ALTER TABLE `mytable` SET (TTL = Interval("PT1H") ON created_at);', [mytable]),
  doc(TTL, 'Enabling TTL for an existing table: numeric column', 2, 'ALTER TABLE `mytable` SET (TTL = Interval("PT1H") ON modified_at AS SECONDS);', [mytable]),
  doc(TTL, 'Enabling TTL for a newly created table', 3, 'CREATE TABLE `mytable` (\n    id Uint64,\n    expire_at Timestamp,\n    PRIMARY KEY (id)\n) WITH (\n    TTL = Interval("PT1H") ON expire_at\n);'),
  doc(TTL, 'Disabling TTL', 4, 'ALTER TABLE `mytable` RESET (TTL);', [mytable, 'ALTER TABLE `mytable` SET (TTL = Interval("PT1H") ON created_at);']),
  doc(SERIAL, 'Usage Example', 1, users),
  doc(SERIAL, 'Usage Example: writes', 2, "UPSERT INTO users (user_hash, name, email) VALUES (123456789, 'Alice', 'alice@example.com');\nINSERT INTO users (user_hash, name, email) VALUES (987654321, 'Bob', 'bob@example.com');\nREPLACE INTO users (user_hash, name, email) VALUES (111111111, 'John', 'john@example.com');", [users], 'dml'),
  doc(SERIAL, 'Usage Example: explicit value', 3, "UPSERT INTO users (user_hash, user_id, name, email) VALUES (222222222, 10, 'Peter', 'peter@example.com');", [users], 'dml'),
  doc(SERIAL, 'Suboptimal Schema Example', 4, 'CREATE TABLE users_bad (\n    user_id Serial,\n    name Utf8,\n    email Utf8,\n    PRIMARY KEY (user_id)\n);'),
];

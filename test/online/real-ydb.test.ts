/**
 * The same cycle against a real YDB, when YDB_CONNECTION_STRING names one
 * (e.g. the local-ydb Docker image of `make ydb`). Everything it creates
 * lives under one fresh folder and is dropped at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Migrator } from '../../lib/index.js';
import { connect } from '../../lib/ydb/driver.js';
import { runRequest } from '../../lib/ydb/execute.js';
import { cli, historyOf, readTable, REAL_YDB, startDatabase, tempTree, unique } from './harness.js';

const SKIP = REAL_YDB ? false : 'YDB_CONNECTION_STRING is not set: set it (e.g. grpc://localhost:2136/local after `make ydb`) to run this against a real YDB';

test('against a real YDB: up → status → down → up → down base, through the CLI and the API', { skip: SKIP }, async () => {
  const db = await startDatabase();
  const folder = unique('ydb_migrate_test');
  const table = `${folder}/history`;
  const cwd = await tempTree({
    'sql/manifest.txt': '0001_items\n@v1\n0002_seed\n0003_index\n',
    'sql/0001_items.up.yql': `CREATE TABLE \`${folder}/items\` (id Uint64 NOT NULL, title Utf8, PRIMARY KEY (id));\n`,
    'sql/0001_items.down.yql': `DROP TABLE \`${folder}/items\`;\n`,
    'sql/0002_seed.up.yql': `DECLARE $title AS Utf8;\nUPSERT INTO \`${folder}/items\` (id, title) VALUES (1, $title);\n`,
    'sql/0002_seed.down.yql': `DELETE FROM \`${folder}/items\` WHERE id = 1;\n`,
    'sql/0003_index.up.yql': `ALTER TABLE \`${folder}/items\` ADD INDEX items_by_title GLOBAL SYNC ON (title);\n`,
    'sql/0003_index.down.yql': `ALTER TABLE \`${folder}/items\` DROP INDEX items_by_title;\n`,
  });
  try {
    const up = await cli(db, cwd, ['up', '--table', table, '--param', 'title=first']);
    assert.equal(up.status, 0, up.stderr);
    assert.deepEqual((await historyOf(db, table)).map((r) => [r.name, r.state]), [['0001_items', 'applied'], ['0002_seed', 'applied'], ['0003_index', 'applied']]);
    assert.deepEqual(await readTable(db, `${folder}/items`), [{ id: 1n, title: 'first' }]);
    const status = await cli(db, cwd, ['status', '--table', table]);
    assert.match(status.stdout, /at 0003_index; 0 pending/);

    const migrator = new Migrator({ dir: join(cwd, 'sql'), connectionString: db.connectionString, table, params: { title: 'second' } });
    const down = await migrator.down('@v1');
    assert.deepEqual(down.results.map((r) => `${r.name}:${r.status}`), ['0003_index:reverted', '0002_seed:reverted'], down.error?.message);
    assert.deepEqual(await readTable(db, `${folder}/items`), []);
    const again = await migrator.up();
    assert.equal(again.ok, true, again.error?.message);
    assert.deepEqual(await readTable(db, `${folder}/items`), [{ id: 1n, title: 'second' }]);
    const base = await migrator.down('base');
    assert.equal(base.ok, true, base.error?.message);
    assert.equal(await readTable(db, `${folder}/items`), null);
  } finally {
    const connection = await connect({ connectionString: db.connectionString, connectTimeoutSeconds: 10 });
    try {
      for (const t of [`${folder}/items`, table, `${table}_lock`]) {
        await runRequest(connection, { kind: 'scheme', query: { text: `DROP TABLE IF EXISTS \`${t}\`;`, bindings: [], source: null } });
      }
    } finally {
      await connection.close();
    }
  }
});

/** Destructive DDL in an up: it throws data away, and its down cannot bring the data back. */
import type { RuleFamily } from './types.js';

const KEEP = 'suppress with a reason once the data is known to be unneeded (-- ydb-migrate:disable RULE reason)';

export const destructiveRules: RuleFamily = {
  rules: [
    { id: 'drop-table', severity: 'warning', summary: 'DROP TABLE in an up', fix: `make sure no reader needs the table and its rows are kept elsewhere; ${KEEP}` },
    { id: 'drop-column', severity: 'warning', summary: 'ALTER TABLE ... DROP COLUMN in an up', fix: `stop reading and writing the column in a release before dropping it; ${KEEP}` },
    { id: 'drop-index', severity: 'warning', summary: 'ALTER TABLE ... DROP INDEX in an up', fix: `queries with VIEW on the index fail once it is gone: remove them first; ${KEEP}` },
  ],
  statement({ ddl, side, file }, report) {
    if (side !== 'up') return;
    if (ddl.kind === 'drop-table') report('drop-table', file, ddl.table, `DROP TABLE ${ddl.table.name} deletes the table and every row in it; the down cannot restore the rows`);
    if (ddl.kind !== 'alter-table') return;
    for (const action of ddl.actions) {
      if (action.kind === 'drop-column') report('drop-column', file, action.column, `DROP COLUMN ${action.column.name} deletes that column's data in every row of ${ddl.table.name}; the down cannot restore it`);
      if (action.kind === 'drop-index') report('drop-index', file, action.index, `DROP INDEX ${action.index.name} on ${ddl.table.name}: queries that read it (VIEW ${action.index.name}) start failing, and rebuilding it takes a full table scan`);
    }
  },
};

/** What YDB cannot do to an existing table in place: there is no statement for it, or the server refuses it. */
import { FEATURES, hasFeature, type Feature } from './ydb-versions.js';
import type { Position } from '../schema/statement.js';
import type { RuleFamily } from './types.js';

export const inPlaceRules: RuleFamily = {
  rules: [
    { id: 'change-type-or-key', severity: 'error', summary: "changing a column's type or a table's primary key", fix: 'YDB has no statement for it: create a new table (or column) with the new shape, copy the data over, then switch readers and drop the old one' },
    { id: 'drop-key-column', severity: 'error', summary: 'dropping a primary key column', fix: 'a key column cannot be dropped: create a table with the new key, copy the data, drop the old table' },
    { id: 'not-null-without-default', severity: 'error', summary: 'ADD COLUMN ... NOT NULL without DEFAULT', fix: 'add the column nullable, fill it, then enforce it in the application (or give it a DEFAULT on YDB 26.1+)' },
    { id: 'unique-index-on-existing-table', severity: 'error', summary: 'a UNIQUE index added to an existing table', fix: "declare the UNIQUE index in CREATE TABLE; YDB refuses it on an existing table unless the server enables EnableAddUniqueIndex (then suppress with that reason)" },
    { id: 'newer-than-version', severity: 'error', summary: 'a feature newer than --ydb-version', fix: 'rewrite without it, or raise --ydb-version if every target server is that new' },
  ],
  statement(ctx, report) {
    const { ddl, file } = ctx;
    const needs = (feature: Feature, at: Position) => {
      const version = ctx.options.ydbVersion;
      if (version !== undefined && !hasFeature(version, feature)) {
        report('newer-than-version', file, at, `${FEATURES[feature].what} needs YDB ${FEATURES[feature].since}, newer than --ydb-version ${version}`);
      }
    };
    if (ddl.kind === 'create-table' && ddl.ifNotExists) needs('tableExistenceGuards', ddl.table);
    if (ddl.kind === 'drop-table' && ddl.ifExists) needs('tableExistenceGuards', ddl.table);
    if (ddl.kind !== 'alter-table') return;
    const key = new Set(ctx.schema.table(ddl.table.name)?.primaryKey ?? []);
    for (const action of ddl.actions) {
      if (action.kind === 'change-type-or-key') {
        report('change-type-or-key', file, action.at, `YDB cannot change ${action.what} of table ${ddl.table.name} in place`);
      } else if (action.kind === 'drop-column' && key.has(action.column.name)) {
        report('drop-key-column', file, action.column, `column ${action.column.name} is in the primary key of table ${ddl.table.name}`);
      } else if (action.kind === 'add-column') {
        const { column } = action;
        if (column.notNull && !column.hasDefault) report('not-null-without-default', file, column, `column ${column.name} is added NOT NULL with no DEFAULT: the rows already in ${ddl.table.name} would have no value`);
        if (column.hasDefault) needs('addColumnWithDefault', column);
      } else if (action.kind === 'add-index' && action.index.unique) {
        const { index } = action;
        report('unique-index-on-existing-table', file, index, `UNIQUE index ${index.name} is added to an existing table: YDB refuses it unless the server flag EnableAddUniqueIndex is on`);
      }
    }
  },
};


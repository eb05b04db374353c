/** What YDB cannot do to an existing table in place: there is no statement for it, or the server refuses it. */
import { FEATURES, hasFeature, type Feature } from '../rules/versions.js';
import type { Position } from '../yql/ddl.js';
import type { RuleFamily } from './types.js';
import { ydbRule } from './ydb-rule.js';

export const inPlaceRules: RuleFamily = {
  rules: (['change-type-or-key', 'drop-key-column', 'not-null-without-default', 'unique-index-on-existing-table', 'newer-than-version'] as const).map(ydbRule),
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
        if (column.notNull && column.default === null) report('not-null-without-default', file, column, `column ${column.name} is added NOT NULL with no DEFAULT: the rows already in ${ddl.table.name} would have no value`);
        if (column.default !== null) needs('addColumnWithDefault', column);
      } else if (action.kind === 'add-index' && action.index.unique) {
        const { index } = action;
        report('unique-index-on-existing-table', file, index, `UNIQUE index ${index.name} is added to an existing table: YDB refuses it unless the server flag EnableAddUniqueIndex is on`);
      }
    }
  },
};


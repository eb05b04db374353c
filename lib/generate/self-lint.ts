/**
 * What `diff` and `create --schema` write must pass ydb-migrate's own lint:
 * the generated up and down are linted as the migration after one that
 * creates the current schema, at the YDB version given. A lint error means
 * YDB would refuse the migration, so it is never written.
 */
import { checksumOf } from '../checksum.js';
import { MigrateError } from '../errors.js';
import { formatFinding } from '../lint/format.js';
import { lintMigrations } from '../lint/lint.js';
import type { Migration, MigrationText } from '../migration.js';
import { toBlocks } from '../yql/blocks.js';
import type { SchemaDiff } from '../schema/diff.js';
import type { Schema } from '../schema/model.js';
import { renderSchema } from '../schema/render.js';

export function refuseLintErrors(current: Schema, diff: Pick<SchemaDiff, 'up' | 'down'>, ydbVersion: string | undefined): void {
  const base: Migration = { name: 'current_schema', index: 0, manifestLine: 1, up: text('current schema', renderSchema(current)), down: null };
  const generated: Migration = { name: 'generated', index: 1, manifestLine: 2, up: text('generated up', diff.up), down: text('generated down', diff.down) };
  const errors = lintMigrations([base, generated], { only: (m) => m === generated, ...(ydbVersion === undefined ? {} : { ydbVersion }) }).filter((f) => f.severity === 'error');
  if (errors.length === 0) return;
  throw new MigrateError('DIFF_LINT', `the generated migration would be refused by YDB${ydbVersion ? ` ${ydbVersion}` : ''} (its lint finds ${errors.length} error(s)); nothing was generated: change the desired schema in smaller steps, or write this migration by hand`, {
    details: errors.map(formatFinding),
  });
}

function text(path: string, body: string): MigrationText {
  return { path, text: body, checksum: checksumOf(body), ...toBlocks(body, path) };
}

/** Data migrations: what fails on a re-run, what touches every row in one transaction, what is not atomic. */
import { tokenize } from '../yql/lexer.js';
import type { AnalyzedFile, RuleFamily } from './types.js';

export const dataRules: RuleFamily = {
  rules: [
    { id: 'prefer-upsert', severity: 'warning', summary: 'INSERT in a request that a later request of the same file can leave applied on its own', fix: 'write UPSERT (or REPLACE): INSERT fails on a key that exists, so a rerun after a partial run stops here' },
    { id: 'unbounded-update-delete', severity: 'warning', summary: 'UPDATE or DELETE without WHERE on a table this migration did not just create', fix: 'write BATCH UPDATE / BATCH DELETE (YDB applies it partition by partition, each in its own transaction), or bound it with WHERE' },
    { id: 'mixed-ddl-dml', severity: 'warning', summary: 'a data change after DDL in the same migration file', fix: 'put the data change in a migration of its own: the DDL before it is not undone when it fails, and the failed migration needs a hand-made `resolve`' },
  ],
  everyStatement: true,
  statement({ statement, file, createdByMigration, request, lastRequest }, report) {
    if (statement.role !== 'dml') return;
    if (statement.keyword === 'INSERT') {
      // The last request (and a file of one DML request) commits with the migration's history row (lib/ydb/protocol.ts): it cannot be repeated.
      if (request >= lastRequest) return;
      report('prefer-upsert', file, statement, 'this INSERT commits on its own before a later request of the file; if that one fails, the rerun of the migration meets its rows and fails with "Conflict with existing key"');
    } else if (statement.keyword === 'UPDATE' || statement.keyword === 'DELETE') {
      const words = tokenize(statement.text, file).filter((t) => t.kind === 'word' || t.kind === 'quoted');
      if (words.some((t) => /^(WHERE|ON)$/i.test(t.text))) return;
      const target = words[statement.keyword === 'DELETE' && /^FROM$/i.test(words[1]?.text ?? '') ? 2 : 1];
      const table = target?.kind === 'quoted' ? target.text.slice(1, -1) : target?.text;
      if (table === undefined || createdByMigration.has(table)) return;
      report('unbounded-update-delete', file, statement, `${statement.keyword} without WHERE changes every row of ${table} in one transaction, which YDB aborts past its transaction limits on a large table`);
    }
  },
  migration({ up, down }, report) {
    for (const f of down ? [up, down] : [up]) mixed(f, report);
  },
};

function mixed(file: AnalyzedFile, report: Parameters<NonNullable<RuleFamily['migration']>>[1]): void {
  const ddl = file.statements.filter((s) => s.statement.role === 'ddl');
  const firstData = file.statements.find((s) => (s.statement.role === 'dml' || s.statement.role === 'batch') && ddl.some((d) => d.request < s.request));
  if (!firstData) return;
  const before = ddl.filter((d) => d.request < firstData.request).map((d) => firstWords(d.statement.text));
  const stays = before.length === 1 ? 'stays' : 'stay';
  report('mixed-ddl-dml', file.path, firstData.statement, `not atomic with the DDL before it: if this data change fails, ${before.join('; ')} ${stays} applied, the runner records the migration as failed, and \`up\` refuses to go on until you check the database and run \`ydb-migrate resolve\``);
}

/** `CREATE TABLE app_settings (...)` → `CREATE TABLE app_settings`. */
function firstWords(text: string): string {
  return text.split(/[\s(;]+/).slice(0, 3).join(' ');
}

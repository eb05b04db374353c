/** Data migrations: what fails on a re-run, what touches every row in one transaction, what is not atomic. */
import { tokenize } from '../yql/lexer.js';
import type { AnalyzedFile, RuleFamily } from './types.js';

export const dataRules: RuleFamily = {
  rules: [
    { id: 'prefer-upsert', severity: 'warning', summary: 'INSERT in a migration', fix: 'write UPSERT (or REPLACE): INSERT fails on a key that exists, so a retried or re-applied migration stops here' },
    { id: 'unbounded-update-delete', severity: 'warning', summary: 'UPDATE or DELETE without WHERE on a table this migration did not just create', fix: 'write BATCH UPDATE / BATCH DELETE (YDB applies it partition by partition, each in its own transaction), or bound it with WHERE' },
    { id: 'mixed-ddl-dml', severity: 'warning', summary: 'a data change after DDL in the same migration file', fix: 'put the data change in a migration of its own, or make it safe to retry (UPSERT), since the DDL before it is not undone when it fails' },
  ],
  everyStatement: true,
  statement({ statement, file, createdByMigration }, report) {
    if (statement.role !== 'dml') return;
    if (statement.keyword === 'INSERT') {
      report('prefer-upsert', file, statement, 'INSERT fails with "Conflict with existing key" when a row is already there, e.g. when the migration is re-applied after a partial run');
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
  report('mixed-ddl-dml', file.path, firstData.statement, `not atomic with the DDL before it: if this data change fails, ${before.join('; ')} stay${before.length === 1 ? 's' : ''} applied but the migration is not recorded, so the next up runs ${before.length === 1 ? 'it' : 'them'} again`);
}

/** `CREATE TABLE app_settings (...)` → `CREATE TABLE app_settings`. */
function firstWords(text: string): string {
  return text.split(/[\s(;]+/).slice(0, 3).join(' ');
}

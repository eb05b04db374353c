/** Statements the runner treats specially: worth knowing before a migration meets `sql` or a server. */
import type { RuleFamily } from './types.js';

export const runnerRules: RuleFamily = {
  rules: [
    { id: 'pragma-online-only', severity: 'info', summary: 'a PRAGMA: the migration cannot go into an offline script', fix: 'apply it online (`ydb-migrate up`), or write full table paths instead of PRAGMA TablePathPrefix' },
    { id: 'runs-alone', severity: 'info', summary: 'BATCH UPDATE/DELETE or CREATE TABLE ... AS SELECT: a request of its own, with no transaction', fix: 'apply it online (`ydb-migrate up`); `sql` cannot put it in an offline script, and a failure midway leaves part of it done' },
  ],
  everyStatement: true,
  statement({ statement, file }, report) {
    if (statement.role === 'pragma') {
      const prefix = /^PRAGMA\s+TablePathPrefix\b/i.test(statement.text);
      report(
        'pragma-online-only',
        file,
        statement,
        prefix
          ? 'PRAGMA TablePathPrefix reaches every table of each request of this file online, but `sql` refuses it (one script would apply it to every migration); lint reads table names as written'
          : '`sql` refuses a migration with a PRAGMA: an offline script is one program, where the PRAGMA would reach every other migration',
      );
    } else if (statement.role === 'batch' || statement.createsFromSelect) {
      const what = statement.role === 'batch' ? `BATCH ${statement.text.split(/\s+/)[1]?.toUpperCase()}` : 'CREATE TABLE ... AS SELECT';
      report('runs-alone', file, statement, `${what} runs as a request of its own with no transaction: \`sql\` refuses it, and if it fails midway the rows it already changed stay changed`);
    }
  },
};

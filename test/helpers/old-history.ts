/**
 * The history table as ydb-migrate created it before it kept `requests_done`:
 * written out here, not derived from lib/online/history-table.ts, so that tests start from
 * what users' databases really hold.
 */
export function oldHistoryTableDdl(table: string): string {
  return [
    `CREATE TABLE \`${table}\` (`,
    '    `name` Utf8 NOT NULL,',
    '    `position` Uint32,',
    '    `checksum` Utf8,',
    '    `down_text` Utf8,',
    '    `state` Utf8,',
    '    `applied_at` Timestamp,',
    '    `applied_by` Utf8,',
    '    `tool_version` Utf8,',
    '    PRIMARY KEY (`name`)',
    ');',
  ].join('\n');
}

/** An applied row as the earlier version wrote it. */
export function oldAppliedRow(table: string, name: string, checksum: string, downText: string): string {
  return (
    `UPSERT INTO \`${table}\` (\`name\`, \`position\`, \`checksum\`, \`down_text\`, \`state\`, \`applied_at\`, \`applied_by\`, \`tool_version\`)\n` +
    `VALUES ('${name}'u, 1u, '${checksum}'u, '${downText}'u, 'applied'u, CurrentUtcTimestamp(), 'dba@old-host'u, '0.0.9'u);`
  );
}

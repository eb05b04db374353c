/**
 * The history table as earlier versions of ydb-migrate created it: version 1
 * (before `requests_done`) and version 2 (before `up_text`, `repaired_at`
 * and `repaired_by`). Written out here, not derived from
 * lib/online/history-table.ts, so that tests start from what users'
 * databases really hold.
 */
export function oldHistoryTableDdl(table: string, version: 1 | 2): string {
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
    ...(version === 2 ? ['    `requests_done` Uint32,'] : []),
    '    PRIMARY KEY (`name`)',
    ');',
  ].join('\n');
}

/** An applied row as an earlier version wrote it (both wrote these columns; version 2 left `requests_done` NULL). */
export function oldAppliedRow(table: string, name: string, checksum: string, downText: string, position = 1): string {
  return (
    `UPSERT INTO \`${table}\` (\`name\`, \`position\`, \`checksum\`, \`down_text\`, \`state\`, \`applied_at\`, \`applied_by\`, \`tool_version\`)\n` +
    `VALUES ('${name}'u, ${position}u, '${checksum}'u, '${downText}'u, 'applied'u, CurrentUtcTimestamp(), 'dba@old-host'u, '0.0.9'u);`
  );
}

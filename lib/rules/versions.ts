/**
 * YDB releases and the features that arrived in them: one list for `lint
 * --ydb-version` and the test emulator's version profile
 * (test/emulator/engine/profile.ts), so that the two agree on what a given
 * server accepts. Sources per gate: test/emulator/engine/SUBSET.md ("Version profile").
 */

/** The oldest YDB ydb-migrate supports: `CREATE TABLE IF NOT EXISTS` / `DROP TABLE IF EXISTS` arrived in 24.1. */
export const OLDEST_SUPPORTED_VERSION = '24.1';

export const FEATURES = {
  tableExistenceGuards: { since: '24.1', what: 'IF [NOT] EXISTS on CREATE/DROP TABLE' },
  implicitParameters: { since: '25.1', what: 'a parameter used without DECLARE' },
  columnBuild: { since: '25.3', what: "the scheme shard's column build" },
  addColumnWithDefault: { since: '26.1', what: 'ADD COLUMN ... DEFAULT on an existing table' },
} as const;

export type Feature = keyof typeof FEATURES;

/** `24.1` → 24001; null when not `MAJOR.MINOR`. */
export function versionRank(version: string): number | null {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  return match ? Number(match[1]) * 1000 + Number(match[2]) : null;
}

/** Whether YDB `version` (well-formed, see versionRank) has the feature. */
export function hasFeature(version: string, feature: Feature): boolean {
  return versionRank(version)! >= versionRank(FEATURES[feature].since)!;
}

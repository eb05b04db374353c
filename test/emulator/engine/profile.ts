/**
 * The YDB server the emulator stands in for: its version gates the DDL that
 * changed between releases, a server flag gates UNIQUE indexes on existing
 * tables, and the YQL parser decides how issue columns are counted.
 * SUBSET.md ("Version profile") lists each gate with its source. The
 * versions come from lib/rules/versions.ts, which `lint --ydb-version` reads too.
 */
import { FEATURES, hasFeature, OLDEST_SUPPORTED_VERSION, versionRank } from '../../../lib/rules/versions.js';

export { OLDEST_SUPPORTED_VERSION };

/** The newest version a gate names: a server from it on has every feature the profiles know. */
export const NEWEST_KNOWN_VERSION = Object.values(FEATURES)
  .map((f) => f.since as string)
  .reduce((newest, v) => (versionRank(v)! > versionRank(newest)! ? v : newest), OLDEST_SUPPORTED_VERSION);

export interface ProfileOptions {
  /** `MAJOR.MINOR`, e.g. `24.1` (default) or `26.1`. */
  ydbVersion?: string;
  /** The server flag `EnableAddUniqueIndex` (off by default in YDB). */
  uniqueIndexOnExistingTable?: boolean;
  /**
   * `antlr4` (YDB's default parser since 25.2, selectable before) counts issue
   * columns in Unicode code points; `antlr3` (older servers) counts UTF-8 bytes.
   * Default `antlr4`, whatever the version: the tool reads code points.
   */
  yqlParser?: YqlParser;
}

export type YqlParser = 'antlr4' | 'antlr3';

export interface YdbProfile {
  readonly version: string;
  /** IF [NOT] EXISTS on CREATE/DROP TABLE (24.1+). */
  readonly tableExistenceGuards: boolean;
  /** A parameter sent with the request is usable without DECLARE (25.1+). */
  readonly implicitParameters: boolean;
  /** ADD COLUMN ... DEFAULT on an existing table (26.1+). */
  readonly addColumnWithDefault: boolean;
  /**
   * ADD COLUMN ... DEFAULT goes through the scheme shard's column build (25.3+),
   * which refuses it with its own text while the feature is off.
   */
  readonly columnBuild: boolean;
  readonly uniqueIndexOnExistingTable: boolean;
  readonly yqlParser: YqlParser;
}

/** Throws TypeError on a malformed version or parser name. */
export function ydbProfile(options: ProfileOptions = {}): YdbProfile {
  const version = options.ydbVersion ?? OLDEST_SUPPORTED_VERSION;
  if (versionRank(version) === null) throw new TypeError(`emulator: ydbVersion must look like 24.1, got "${version}"`);
  const parser = options.yqlParser ?? 'antlr4';
  if (parser !== 'antlr4' && parser !== 'antlr3') throw new TypeError(`emulator: yqlParser must be antlr4 or antlr3, got "${String(parser)}"`);
  return {
    version,
    tableExistenceGuards: hasFeature(version, 'tableExistenceGuards'),
    implicitParameters: hasFeature(version, 'implicitParameters'),
    addColumnWithDefault: hasFeature(version, 'addColumnWithDefault'),
    columnBuild: hasFeature(version, 'columnBuild'),
    uniqueIndexOnExistingTable: options.uniqueIndexOnExistingTable ?? false,
    yqlParser: parser,
  };
}

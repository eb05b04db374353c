/**
 * One case of the conformance corpus: a request a migration tool would send,
 * and what YDB answers, taken from YDB's own test suites or docs (cited). The
 * corpus is data: the emulator's runner (emulator.test.ts) and lint's runner
 * (lint.test.ts) both answer to every case.
 */

/** YDB's status names, as `Ydb.StatusIds` spells them. */
export type YdbStatus =
  | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'INTERNAL_ERROR' | 'ABORTED' | 'UNAVAILABLE' | 'OVERLOADED'
  | 'SCHEME_ERROR' | 'GENERIC_ERROR' | 'TIMEOUT' | 'BAD_SESSION' | 'PRECONDITION_FAILED'
  | 'ALREADY_EXISTS' | 'NOT_FOUND' | 'SESSION_EXPIRED' | 'CANCELLED' | 'UNDETERMINED' | 'UNSUPPORTED';

export type Expectation =
  | { ok: true }
  | {
      ok: false;
      status: YdbStatus;
      /** A substring of one of the issues' messages (YDB's own words, from the cited source). */
      text?: string;
      issueCode?: number;
    };

export interface YdbCase {
  /** Unique across the corpus: `<source file stem>/<test name>[/<n>]`. */
  id: string;
  /** Where YDB asserts this outcome: a path in ydb-platform/ydb and the test (or doc section). */
  source: { file: string; test: string };
  /** Requests that must succeed first, each sent alone through `service` (the schema the case starts from). */
  setup?: string[];
  /** The request under test, sent as one request. */
  yql: string;
  /** query: Query service, no transaction (how `up` sends DDL); scripting: Scripting ExecuteYql (the offline script); dml: Query service in a serializable transaction. */
  service: 'query' | 'scripting' | 'dml';
  /** The server the outcome holds for; omitted fields take the newest behaviour the emulator profiles know. */
  ydb?: { version?: string; uniqueIndexOnExistingTable?: boolean };
  expect: Expectation;
  /**
   * Lint's duty: by default a refused case must get a lint error and an accepted one none.
   * `skip` (with why) exempts a refused case lint cannot decide from the migration's text: it depends
   * on data or on server state, or it is YQL that lint does not read. Runners count skips in their figures.
   */
  lint?: { skip: string };
}

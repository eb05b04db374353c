/**
 * Shorthands for writing corpus files: one builder per YDB source file numbers
 * the cases of each test (`<stem>/<test>/<n>`) and fills in the source, so a
 * case file is the YQL and YDB's outcome, nothing else.
 */
import type { Expectation, YdbCase, YdbStatus } from './case.js';

export type Draft = Omit<YdbCase, 'id' | 'source' | 'service' | 'expect'> & { service?: YdbCase['service'] };

export const OK: Expectation = { ok: true };

export function refused(status: YdbStatus, text?: string, issueCode?: number): Expectation {
  return { ok: false, status, ...(text === undefined ? {} : { text }), ...(issueCode === undefined ? {} : { issueCode }) };
}

export class CaseFile {
  readonly cases: YdbCase[] = [];
  private readonly counts = new Map<string, number>();

  /** `file`: the YDB source path; `stem`: the id prefix. */
  constructor(private readonly file: string, private readonly stem: string) {}

  /** Adds one case of `test`; `yql` is sent as one request. */
  add(test: string, yql: string, expect: Expectation, draft: Omit<Draft, 'yql'> = {}): this {
    const n = (this.counts.get(test) ?? 0) + 1;
    this.counts.set(test, n);
    const { service, ...rest } = draft;
    this.cases.push({ id: `${this.stem}/${test}/${n}`, source: { file: this.file, test }, service: service ?? 'query', yql, expect, ...rest });
    return this;
  }
}

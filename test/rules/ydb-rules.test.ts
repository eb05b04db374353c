import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../lib/lint/lint.js';
import { YDB_RULES } from '../../lib/rules/ydb-rules.js';

test('the rulebook and lint agree: every YDB refusal is a lint error, every lint error (but unknown-rule) a YDB refusal', () => {
  const errors = RULES.filter((r) => r.severity === 'error' && r.id !== 'unknown-rule').map((r) => r.id).sort();
  assert.deepEqual(errors, Object.keys(YDB_RULES).sort());
  for (const rule of RULES.filter((r) => r.id in YDB_RULES)) {
    const entry = YDB_RULES[rule.id as keyof typeof YDB_RULES];
    assert.equal(rule.summary, entry.what);
    assert.equal(rule.fix, entry.fix);
  }
});

test('every rule cites where YDB has it', () => {
  for (const [id, rule] of Object.entries(YDB_RULES)) assert.match(rule.source, /^(ydb|yql|lib)\/[\w/.-]+/, id);
});

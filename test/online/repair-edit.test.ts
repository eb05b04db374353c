import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEdit } from '../../lib/online/repair.js';

const at = { file: 'sql/0002_b.up.yql', line: 3, column: 5 };

test('each kind of edit is told in one line, a changed statement with where and what', () => {
  assert.equal(describeEdit({ kind: 'cosmetic' }), 'cosmetic: only comments and whitespace differ from the applied text');
  assert.match(describeEdit({ kind: 'unknown' }), /^cannot tell whether statements changed: the history holds no applied text/);
  assert.equal(
    describeEdit({ kind: 'statements', statement: 2, at, was: 'Utf8', now: 'String' }),
    'statements changed: statement 2 differs at sql/0002_b.up.yql:3:5 (`Utf8` applied, `String` now)',
  );
  assert.match(describeEdit({ kind: 'statements', statement: 3, at, was: null, now: 'DROP' }), /\(nothing applied, `DROP` now\)$/, 'a statement added at the end');
  assert.match(describeEdit({ kind: 'statements', statement: 2, at, was: 'ALTER', now: null }), /\(`ALTER` applied, nothing now\)$/, 'the file stops short');
});

test('a long or multi-line token is shown by its start, on one line', () => {
  const literal = `@@${'line of text\n'.repeat(20)}@@`;
  const line = describeEdit({ kind: 'statements', statement: 1, at, was: literal, now: "'x'" });
  assert.ok(line.includes('(`@@line of text line of text line of t...` applied'), line);
  assert.doesNotMatch(line, /\n/);
});

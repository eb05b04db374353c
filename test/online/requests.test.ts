import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedName, type HistoryWrite } from '../../lib/online/history-table.js';
import { bindParam } from '../../lib/params.js';
import { mapPosition, type Query, type Request } from '../../lib/ydb/execute.js';
import { planRequests, type StepInput } from '../../lib/online/requests.js';
import { encodeRequestsRan } from '../../lib/online/requests-ran.js';
import { toBlocks } from '../../lib/yql/blocks.js';

function input(name: string, text: string, params: Record<string, string> = {}): StepInput {
  const path = `sql/${name}.up.yql`;
  const parsed = toBlocks(text, path);
  const row: HistoryWrite = { name, position: 1, checksum: 'c'.repeat(64), downText: null, state: 'applying', appliedBy: 'me@here', toolVersion: '0', requestsDone: null, requestsRan: null, upText: text };
  return {
    direction: 'up',
    name,
    text: { path, text, ...parsed },
    params: parsed.declarations.map((d) => bindParam(d, path, params)),
    row,
    done: { kind: 'upsert', row: { ...row, state: 'applied' } },
  };
}

/** Each request as kind + the history states it writes + whether it runs a block. */
function shape(request: Request): string {
  const queries: Query[] = request.kind === 'scheme' ? [request.query] : request.queries;
  const writes = queries.flatMap((q) => q.bindings.filter((b) => ['applying', 'applied', 'failed'].includes(String(b.value))).map((b) => String(b.value)));
  const block = queries.some((q) => q.source) ? '+block' : '';
  return `${request.kind}${block}${writes.length ? `[${writes.join(',')}]` : ''}`;
}

const DDL = 'CREATE TABLE t (id Uint64 NOT NULL, PRIMARY KEY (id));\n';
const DML = 'UPSERT INTO t (id) VALUES (1);\n';

test('one DML block: one transaction with its history row; DDL: applying first, applied with the next write', () => {
  const { steps, pending } = planRequests([input('a', DDL), input('b', DML), input('c', DDL), input('d', DDL + DML), input('e', '-- nothing\n')], 'h');
  assert.deepEqual(steps.map((s) => s.requests.map((r) => shape(r.request))), [
    ['transaction[applying]', 'scheme+block'],
    ['transaction+block[applied,applied]'],
    ['transaction[applying]', 'scheme+block'],
    ['transaction[applied,applying]', 'scheme+block', 'transaction+block[applied]'],
    [],
  ]);
  assert.deepEqual(pending.map((c) => (c.kind === 'upsert' ? `${c.row.name}:${c.row.state}` : changedName(c))), ['e:applied'], 'an empty text only records itself, with the release');
  assert.deepEqual(steps.map((s) => s.failure !== null), [true, false, true, true, false], 'only steps with an applying row record a failure');
  assert.deepEqual(steps[1]!.requests[0]!.carried.map((c) => (c.kind === 'upsert' ? c.row.name : '')), ['a'], "a's applied row rides with b and is re-sent if b fails");
});

test('a resume sends only the blocks from where it starts, its applying row keeping the record of those before; past the end, only the done write', () => {
  const text = DDL + DDL.replace(' t ', ' u ') + DML;
  const from2 = planRequests([{ ...input('a', text), resume: { from: 2 } }], 'h').steps[0]!;
  assert.deepEqual(from2.requests.map((r) => [shape(r.request), r.block]), [['transaction[applying]', null], ['transaction+block[applied]', 2]]);
  const marker = (from2.requests[0]!.request as { queries: Query[] }).queries[0]!;
  const blocks = toBlocks(text, 'sql/a.up.yql').blocks;
  assert.deepEqual(marker.bindings.filter((b) => b.value === 2 || b.value === encodeRequestsRan('up', blocks.slice(0, 2), null)).length, 2, 'requests_done 2 and the checksums of the two that ran');
  assert.equal(from2.resumed, true);

  const { steps, pending } = planRequests([{ ...input('a', text), resume: { from: 3 } }, input('b', DDL)], 'h');
  assert.deepEqual(steps[0]!.requests, []);
  assert.deepEqual(steps[1]!.requests.map((r) => shape(r.request)), ['transaction[applied,applying]', 'scheme+block'], "a's applied row rides with b's first write");
  assert.equal(pending.length, 1);
});

test('COMMIT splits DML into two transactions, so such a migration gets an applying row too', () => {
  const { steps } = planRequests([input('a', `${DML}COMMIT;\n${DML}`)], 'h');
  assert.deepEqual(steps[0]!.requests.map((r) => shape(r.request)), ['transaction[applying]', 'transaction+block', 'transaction+block[applied]']);
});

test("a block gets the DECLAREs it borrows on one line before it, and positions map back past that line", () => {
  const text = 'DECLARE $n AS Uint64;\nCREATE TABLE t (id Uint64 NOT NULL, PRIMARY KEY (id));  UPSERT INTO t (id)\nVALUES ($n);\n';
  const { steps } = planRequests([input('a', text, { n: '5' })], 'h');
  const dml = steps[0]!.requests[2]!.request;
  assert.equal(dml.kind, 'transaction');
  const query = (dml as { queries: Query[] }).queries[0]!;
  assert.match(query.text, /^DECLARE \$n AS Uint64;( DECLARE \$ydb_migrate_\d+ AS [^;]+;)*\nUPSERT INTO t \(id\)\nVALUES \(\$n\);\nUPSERT INTO `h`/);
  assert.deepEqual(query.bindings.find((b) => b.name === '$n'), { name: '$n', type: { kind: 'primitive', name: 'Uint64' }, value: 5n });
  const source = query.source!;
  assert.deepEqual(mapPosition(source, query.text, { row: 2, column: 13 }), { file: 'sql/a.up.yql', line: 2, column: 57 + 12 }, 'first row: shifted by where the block starts');
  assert.deepEqual(mapPosition(source, query.text, { row: 3, column: 9 }), { file: 'sql/a.up.yql', line: 3, column: 9 });
  assert.deepEqual(mapPosition(source, query.text, { row: 1, column: 30 }), { file: 'sql/a.up.yql', line: 2, column: 57 }, 'the DECLARE line is ours: the block start');
  assert.deepEqual(mapPosition(source, query.text, { row: 4, column: 1 }), { file: 'sql/a.up.yql', line: 2, column: 57 }, 'so is the history write after it');
});

test('YDB counts columns in code points; the file in UTF-16 units: a position after an astral character is converted', () => {
  const text = 'UPSERT INTO t (id, note) VALUES (1, "😀é"u); UPSERT INTO nope (id) VALUES (2);\n';
  const { steps } = planRequests([input('a', text)], 'h');
  const query = (steps[0]!.requests[0]!.request as { queries: Query[] }).queries[0]!;
  const row = query.text.split('\n').findIndex((line) => line.includes('nope')) + 1;
  const codePoints = [...query.text.split('\n')[row - 1]!.slice(0, query.text.split('\n')[row - 1]!.indexOf('nope'))].length + 1;
  const at = mapPosition(query.source!, query.text, { row, column: codePoints });
  assert.equal(text.split('\n')[at.line - 1]!.slice(at.column - 1, at.column + 3), 'nope');
  assert.equal(at.column, codePoints + 1, 'one more UTF-16 unit than code points: the emoji is two units');
});

test('a DML block with a PRAGMA gets the history write as a second query of its transaction, out of the PRAGMA\'s reach', () => {
  const { steps } = planRequests([input('a', 'PRAGMA TablePathPrefix("app");\nCREATE TABLE t (id Uint64 NOT NULL, PRIMARY KEY (id));\nUPSERT INTO t (id) VALUES (1);\n'), input('b', DML)], 'h');
  const [marker, ddl, dml] = steps[0]!.requests.map((r) => r.request);
  assert.equal(marker!.kind === 'transaction' && marker!.queries[0]!.text.includes('PRAGMA'), false);
  assert.equal(ddl!.kind === 'scheme' && ddl!.query.text.startsWith('PRAGMA TablePathPrefix("app");\nCREATE TABLE t'), true, 'the DDL carries the PRAGMA');
  assert.equal(dml!.kind, 'transaction');
  const [block, history] = (dml as { queries: Query[] }).queries;
  assert.match(block!.text, /^PRAGMA TablePathPrefix\("app"\);\nUPSERT INTO t/);
  assert.doesNotMatch(block!.text, /UPSERT INTO `h`/);
  assert.match(history!.text, /UPSERT INTO `h`/);
  assert.equal(history!.source, null);
  const next = steps[1]!.requests[0]!.request as { queries: Query[] };
  assert.equal(next.queries.length, 1, 'a block without PRAGMAs keeps its history write in its own query');
  assert.doesNotMatch(next.queries[0]!.text, /PRAGMA/, 'nothing leaks into the next migration');
});

test('CREATE TABLE ... AS SELECT and BATCH UPDATE/DELETE are each a request of their own with no transaction', () => {
  const text = `${DML}CREATE TABLE c (PRIMARY KEY (id)) AS SELECT * FROM t;\nBATCH UPDATE t SET id = id WHERE id > 5;\nBATCH DELETE FROM t WHERE id > 9;\n${DML}`;
  const { steps } = planRequests([input('a', text)], 'h');
  assert.deepEqual(steps[0]!.requests.map((r) => shape(r.request)), ['transaction[applying]', 'transaction+block', 'scheme+block', 'scheme+block', 'scheme+block', 'transaction+block[applied]']);
  const alone = steps[0]!.requests.slice(2, 5).map((r) => (r.request.kind === 'scheme' ? r.request.query.text : ''));
  assert.deepEqual(alone.map((q) => q.split(' ').slice(0, 2).join(' ')), ['CREATE TABLE', 'BATCH UPDATE', 'BATCH DELETE']);
});

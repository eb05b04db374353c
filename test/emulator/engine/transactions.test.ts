import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IssueCode } from './errors.js';
import { assertFails, engineWithRows, rowsOf, run } from './helpers.js';
import type { Engine, Transaction } from './index.js';

const inTx = (engine: Engine, tx: Transaction, text: string): unknown => run(engine, text, 'tx', {}, tx);

const names = (engine: Engine, tx?: Transaction): unknown[] =>
  rowsOf(run(engine, 'SELECT name FROM t ORDER BY id;', tx ? 'tx' : 'notx', {}, tx).resultSets[0]).map((r) => r.name);

describe('transactions', () => {
  it('first commit wins; the second transaction that read the same row gets ABORTED 2001 and applies nothing', () => {
    const engine = engineWithRows();
    const a = engine.beginTransaction();
    const b = engine.beginTransaction();
    inTx(engine, a, 'SELECT n FROM t WHERE id = 1;');
    inTx(engine, b, 'SELECT n FROM t WHERE id = 1;');
    inTx(engine, a, 'UPDATE t SET n = 11 WHERE id = 1;');
    inTx(engine, b, "UPDATE t SET n = 12 WHERE id = 1; UPSERT INTO t (id, name) VALUES (8, 'eight');");
    engine.commit(a);
    assertFails(() => engine.commit(b), { status: 'ABORTED', message: 'Transaction locks invalidated. Table: `/local/t`.', code: IssueCode.LOCKS_INVALIDATED });
    assert.deepEqual(engine.readTable('t').map((r) => r.n), [11, 20, null]);
    assert.equal(engine.findTransaction(b.id), undefined);
  });

  it('a scanned range is invalidated by a new row in it', () => {
    const engine = engineWithRows();
    const tx = engine.beginTransaction();
    inTx(engine, tx, 'SELECT COUNT(*) FROM t WHERE n > 5;');
    run(engine, "UPSERT INTO t (id, name, n) VALUES (7, 'seven', 70);");
    inTx(engine, tx, "UPSERT INTO t (id, name) VALUES (9, 'nine');");
    assertFails(() => engine.commit(tx), { status: 'ABORTED', code: IssueCode.LOCKS_INVALIDATED, message: 'Transaction locks invalidated' });
  });

  it('reads of unrelated keys and blind writes do not conflict', () => {
    const engine = engineWithRows();
    const a = engine.beginTransaction();
    const b = engine.beginTransaction();
    inTx(engine, a, 'SELECT * FROM t WHERE id = 1;');
    inTx(engine, b, "UPSERT INTO t (id, name) VALUES (1, 'blind');");
    inTx(engine, b, "UPDATE t SET name = 'by b' WHERE id = 2;");
    engine.commit(b);
    inTx(engine, a, "UPSERT INTO t (id, name) VALUES (2, 'by a');");
    assertFails(() => engine.commit(a), { status: 'ABORTED', message: 'Transaction locks invalidated' });

    const c = engine.beginTransaction();
    const d = engine.beginTransaction();
    inTx(engine, c, 'SELECT * FROM t WHERE id = 3;');
    inTx(engine, c, "UPSERT INTO t (id, name) VALUES (1, 'c');");
    inTx(engine, d, "UPSERT INTO t (id, n) VALUES (1, 99);");
    engine.commit(d);
    engine.commit(c);
    assert.deepEqual(engine.readTable('t')[0], { id: 1n, name: 'c', n: 99 });
  });

  it('sees its own writes; others see them only after commit, all at once', () => {
    const engine = engineWithRows();
    const tx = engine.beginTransaction();
    inTx(engine, tx, "UPSERT INTO t (id, name) VALUES (1, 'uno'); DELETE FROM t WHERE id = 3;");
    assert.deepEqual(names(engine, tx), ['uno', 'two']);
    assert.deepEqual(names(engine), ['one', 'two', 'three']);
    const other = engine.beginTransaction();
    assert.deepEqual(names(engine, other), ['one', 'two', 'three']);
    engine.commit(tx);
    assert.deepEqual(names(engine), ['uno', 'two']);
  });

  it('rollback discards the writes and ends the transaction', () => {
    const engine = engineWithRows();
    const tx = engine.beginTransaction();
    inTx(engine, tx, 'DELETE FROM t;');
    engine.rollback(tx);
    assert.equal(engine.readTable('t').length, 3);
    assertFails(() => engine.commit(tx), { status: 'NOT_FOUND', message: 'Transaction not found' });
    assertFails(() => inTx(engine, tx, 'SELECT 1;'), { status: 'NOT_FOUND', message: 'Transaction not found' });
  });

  it('a failed query ends its transaction, as in YDB', () => {
    const engine = engineWithRows();
    const tx = engine.beginTransaction();
    inTx(engine, tx, "UPSERT INTO t (id, name) VALUES (5, 'five');");
    assertFails(() => inTx(engine, tx, 'INSERT INTO t (id) VALUES (1);'), { status: 'PRECONDITION_FAILED', message: 'Conflict with existing key.' });
    assert.equal(tx.active, false);
    assertFails(() => engine.commit(tx), { status: 'NOT_FOUND', message: 'Transaction not found' });
    assert.equal(engine.readTable('t').length, 3);
  });

  it('a scheme change after a read aborts the transaction', () => {
    const engine = engineWithRows();
    const tx = engine.beginTransaction();
    inTx(engine, tx, 'SELECT * FROM t WHERE id = 1;');
    run(engine, 'ALTER TABLE t ADD COLUMN extra Utf8;');
    assertFails(() => engine.commit(tx), { status: 'ABORTED', message: 'Transaction locks invalidated' });
  });

  it('commits a notx DML query as its own transaction', () => {
    const engine = engineWithRows();
    const tx = engine.beginTransaction();
    inTx(engine, tx, 'SELECT * FROM t WHERE id = 2;');
    run(engine, 'UPDATE t SET n = 0 WHERE id = 2;');
    assert.equal(engine.readTable('t')[1]!.n, 0);
    inTx(engine, tx, "UPSERT INTO t (id, name) VALUES (2, 'x');");
    assertFails(() => engine.commit(tx), { status: 'ABORTED', message: 'Transaction locks invalidated' });
  });
});

/**
 * Sessions and the transactions they own. A session id is valid until it is
 * deleted (or, for Query sessions, its attach stream closes); after that YDB
 * answers BAD_SESSION. A transaction id is only valid in the session that
 * began it, and only until it commits, rolls back or fails.
 */
import { randomUUID } from 'node:crypto';
import type { Engine, Transaction } from './engine/index.js';
import { YdbFailure } from './status.js';

export type SessionKind = 'table' | 'query';

/** `tx_control` of Table and Query requests: which transaction, and whether to commit it. */
export interface TxControl {
  txId?: string | null;
  beginTx?: TxSettings | null;
  commitTx?: boolean | null;
}

/** `TransactionSettings`: exactly one mode is set. */
export interface TxSettings {
  serializableReadWrite?: object | null;
  snapshotReadOnly?: object | null;
  onlineReadOnly?: object | null;
  staleReadOnly?: object | null;
}

/** YDB's issue code for KIKIMR_TRANSACTION_NOT_FOUND. */
const TRANSACTION_NOT_FOUND = 2015;

export class Session {
  private readonly transactions = new Map<string, Transaction>();
  private readonly closeListeners: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly id: string,
    readonly kind: SessionKind,
    private readonly engine: Engine,
  ) {}

  begin(settings: TxSettings | null | undefined): Transaction {
    requireSerializable(settings);
    const tx = this.engine.beginTransaction();
    this.transactions.set(tx.id, tx);
    return tx;
  }

  commit(txId: string): void {
    const tx = this.transaction(txId);
    this.transactions.delete(txId);
    this.engine.commit(tx);
  }

  rollback(txId: string): void {
    const tx = this.transaction(txId);
    this.transactions.delete(txId);
    this.engine.rollback(tx);
  }

  /**
   * Runs `work` in the transaction `control` names (an open one, or a new one),
   * then commits it if asked. A failure rolls the transaction back and forgets
   * it, as YDB invalidates a transaction on error. Returns the transaction
   * when it stays open, so the caller can report its id.
   */
  run<R>(control: TxControl, work: (tx: Transaction) => R): { result: R; openTx?: Transaction } {
    const tx = control.txId ? this.transaction(control.txId) : control.beginTx ? this.begin(control.beginTx) : undefined;
    if (!tx) throw YdbFailure.of('BAD_REQUEST', 'tx_control must name a transaction: set tx_id or begin_tx');
    let result: R;
    try {
      result = work(tx);
    } catch (err) {
      this.discard(tx);
      throw err;
    }
    if (!control.commitTx) return { result, openTx: tx };
    this.commit(tx.id);
    return { result };
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const tx of this.transactions.values()) this.discard(tx);
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private transaction(txId: string): Transaction {
    const tx = this.transactions.get(txId);
    if (tx?.active) return tx;
    this.transactions.delete(txId);
    throw YdbFailure.of('NOT_FOUND', `Transaction not found: ${txId}`, TRANSACTION_NOT_FOUND);
  }

  private discard(tx: Transaction): void {
    this.transactions.delete(tx.id);
    if (tx.active) this.engine.rollback(tx);
  }
}

export class Sessions {
  private readonly open = new Map<string, Session>();
  /** Ids handed out and since closed: deleting them again is not an error. */
  private readonly closedIds = new Set<string>();

  constructor(private readonly engine: Engine) {}

  create(kind: SessionKind): Session {
    // The shape of YDB's ids; clients treat them as opaque strings.
    const id = `ydb://session/3?node_id=1&id=${Buffer.from(randomUUID()).toString('base64url')}`;
    const session = new Session(id, kind, this.engine);
    this.open.set(id, session);
    return session;
  }

  /** The open session with this id, or BAD_SESSION. */
  get(id: string, kind: SessionKind): Session {
    const session = this.open.get(id);
    if (!session || session.kind !== kind) throw YdbFailure.of('BAD_SESSION', `Session not found: ${id}`);
    return session;
  }

  /** Deletes a session; deleting one already closed succeeds, an id never issued is BAD_SESSION. */
  delete(id: string, kind: SessionKind): void {
    if (this.closedIds.has(id)) return;
    this.get(id, kind);
    this.close(id);
  }

  close(id: string): void {
    const session = this.open.get(id);
    if (!session) return;
    this.open.delete(id);
    this.closedIds.add(id);
    session.close();
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }
}

function requireSerializable(settings: TxSettings | null | undefined): void {
  if (settings?.serializableReadWrite) return;
  const mode = Object.keys(settings ?? {}).find((key) => settings?.[key as keyof TxSettings]) ?? 'none';
  throw YdbFailure.of(
    'BAD_REQUEST',
    `The emulator supports only serializable_read_write transactions; tx_mode ${mode} is not implemented`,
  );
}

/**
 * Serializable transactions with optimistic locks, as YDB runs them: a
 * transaction sees committed data plus its own buffered writes; it records what
 * it read (keys, or whole tables for scans); at commit, if anything it read was
 * changed by a commit made after its first read, it is ABORTED ("Transaction
 * locks invalidated") and nothing of it is applied. Blind writes never conflict.
 */
import { randomUUID } from 'node:crypto';
import { EngineError, IssueCode, issue, locksInvalidated } from './errors.js';
import type { Catalog, Row, Table } from './storage.js';

export interface Transaction {
  readonly id: string;
  readonly active: boolean;
}

/**
 * A buffered change of one row. `merge` is UPSERT's blind write: it sets some
 * columns of whatever row is committed when the transaction commits (or of a
 * new row made of `defaults`), so it needs no lock.
 */
export type Change =
  | { kind: 'put'; row: Row }
  | { kind: 'delete' }
  | { kind: 'merge'; values: Row; defaults: Row };

/** The row a change leaves on top of `base` (undefined: no row). */
export function resolveChange(change: Change, base: Row | undefined): Row | undefined {
  switch (change.kind) {
    case 'put':
      return change.row;
    case 'delete':
      return undefined;
    case 'merge':
      return { ...(base ?? change.defaults), ...change.values };
  }
}

/** One change equivalent to `first` followed by `second`. */
function combine(first: Change, second: Change): Change {
  if (second.kind !== 'merge') return second;
  if (first.kind === 'merge') return { kind: 'merge', values: { ...first.values, ...second.values }, defaults: first.defaults };
  return { kind: 'put', row: resolveChange(second, resolveChange(first, undefined))! };
}

interface ReadSet {
  keys: Set<string>;
  scanned: boolean;
  schemaVersion: number;
}

export class Tx implements Transaction {
  active = true;
  private readonly writes = new Map<Table, { changes: Map<string, Change>; schemaVersion: number }>();
  private readonly reads = new Map<Table, ReadSet>();
  /** Commit version current at the first read: later commits to what was read break the locks. */
  private snapshot: number | undefined;

  constructor(
    readonly id: string,
    private readonly currentVersion: () => number,
  ) {}

  private readSet(table: Table): ReadSet {
    this.snapshot ??= this.currentVersion();
    let set = this.reads.get(table);
    if (!set) {
      set = { keys: new Set(), scanned: false, schemaVersion: table.schemaVersion };
      this.reads.set(table, set);
    }
    return set;
  }

  /** A point read by primary key; records a lock on that key (present or not). */
  read(table: Table, key: string): Row | undefined {
    this.readSet(table).keys.add(key);
    return this.view(table, key);
  }

  /** The row as this transaction sees it, without taking a lock (for blind writes). */
  view(table: Table, key: string): Row | undefined {
    const change = this.writes.get(table)?.changes.get(key);
    const committed = table.rows.get(key);
    return change ? resolveChange(change, committed) : committed;
  }

  /** A full scan in key order; records a lock on the whole table (new rows count). */
  scan(table: Table): Row[] {
    this.readSet(table).scanned = true;
    const keys = new Set([...table.rows.keys(), ...(this.writes.get(table)?.changes.keys() ?? [])]);
    const rows: Row[] = [];
    for (const key of keys) {
      const row = this.view(table, key);
      if (row) rows.push(row);
    }
    return rows.sort(table.compareByKey);
  }

  /** Buffers a change; visible to this transaction only until commit. */
  write(table: Table, key: string, change: Change): void {
    let entry = this.writes.get(table);
    if (!entry) {
      entry = { changes: new Map(), schemaVersion: table.schemaVersion };
      this.writes.set(table, entry);
    }
    const previous = entry.changes.get(key);
    entry.changes.set(key, previous ? combine(previous, change) : change);
  }

  /** The first table whose locks were broken, if any. */
  brokenLock(catalog: Catalog): Table | undefined {
    for (const [table, set] of this.reads) {
      if (catalog.get(table.path) !== table || table.schemaVersion !== set.schemaVersion) return table;
      const since = this.snapshot ?? 0;
      if (set.scanned ? table.lastChange > since : [...set.keys].some((k) => (table.keyVersions.get(k) ?? 0) > since)) {
        return table;
      }
    }
    return undefined;
  }

  /** The first written table whose scheme changed after the write. */
  changedScheme(catalog: Catalog): Table | undefined {
    for (const [table, entry] of this.writes) {
      if (catalog.get(table.path) !== table || table.schemaVersion !== entry.schemaVersion) return table;
    }
    return undefined;
  }

  applyTo(version: number): void {
    for (const [table, entry] of this.writes) {
      const rows = new Map<string, Row | null>();
      for (const [key, change] of entry.changes) rows.set(key, resolveChange(change, table.rows.get(key)) ?? null);
      table.apply(rows, version);
    }
  }
}

export class TransactionManager {
  private version = 0;
  private readonly open = new Map<string, Tx>();

  constructor(private readonly catalog: Catalog) {}

  begin(): Tx {
    const tx = new Tx(`01emu${randomUUID().replace(/-/g, '')}`, () => this.version);
    this.open.set(tx.id, tx);
    return tx;
  }

  find(id: string): Tx | undefined {
    return this.open.get(id);
  }

  /** Applies the transaction atomically, or throws ABORTED and applies nothing. */
  commit(tx: Tx): void {
    this.ensureActive(tx);
    this.close(tx);
    const broken = tx.brokenLock(this.catalog);
    if (broken) throw locksInvalidated(broken.path);
    const changed = tx.changedScheme(this.catalog);
    if (changed) {
      throw new EngineError('ABORTED', [
        issue(`Table '${changed.path}' scheme changed.`, { code: IssueCode.SCHEME_MISMATCH }),
      ]);
    }
    tx.applyTo(++this.version);
  }

  rollback(tx: Tx): void {
    this.ensureActive(tx);
    this.close(tx);
  }

  /** Ends a transaction without applying it (YDB does so when a query in it fails). */
  close(tx: Tx): void {
    tx.active = false;
    this.open.delete(tx.id);
  }

  ensureActive(tx: Tx): void {
    if (!tx.active || this.open.get(tx.id) !== tx) {
      throw new EngineError('NOT_FOUND', [
        issue(`Transaction not found: ${tx.id}`, { code: IssueCode.TRANSACTION_NOT_FOUND }),
      ]);
    }
  }
}

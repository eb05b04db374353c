/** What a migration file is cut into: statements, and the blocks (requests) they are grouped into (see blocks.ts). */

export type StatementRole = 'ddl' | 'dml' | 'batch' | 'pragma' | 'declare' | 'expr' | 'commit';

export interface Declaration {
  /** Without the `$`. */
  name: string;
  /** As written, comments left out, e.g. 'Utf8', 'Optional<Int32>', 'Decimal(22,9)'. */
  typeText: string;
  /** Where its DECLARE starts, 1-based. */
  line: number;
  column: number;
}

export interface Statement {
  role: StatementRole;
  /** `source.slice(start, end)`, including the trailing ';' when present. */
  text: string;
  start: number;
  end: number;
  /** Position of its first token, 1-based. */
  line: number;
  column: number;
  /** First word upper-cased (e.g. 'CREATE', 'UPSERT', 'DECLARE'); '' for `$x = ...` and `(SELECT ...)`. */
  keyword: string;
  /** For role 'declare'. */
  declaration?: Declaration;
  /** `$names` the statement reads (not the one a DECLARE or `$x = ...` defines), without `$`, unique, in order. */
  params: string[];
  /** For role 'expr': the names `$a, $b = ...` binds, without `$`. */
  defines: string[];
  /** `CREATE TABLE ... AS SELECT`: YDB runs it only alone, with no transaction, and not in the Scripting service. */
  createsFromSelect: boolean;
}

/** One piece of a block's text: a statement (or run of statements) copied from the file. */
export interface TextPiece {
  /** 1-based row of the block text where the piece starts. */
  row: number;
  /** Where the piece starts in the file, 1-based. */
  line: number;
  column: number;
}

export interface Block {
  /** 'ddl': one DDL statement; 'batch': one BATCH UPDATE/DELETE; 'dml': a run of DML statements. */
  kind: 'ddl' | 'dml' | 'batch';
  /** Its own statements: the DDL/BATCH statement, or the DML run with the PRAGMA/DECLARE/`$x = ...` between them. */
  statements: Statement[];
  /** What it carries from earlier in the file: every PRAGMA, then the named expressions it reads, in file order. */
  context: Statement[];
  /** From the first own statement's start to the last one's end. */
  start: number;
  end: number;
  line: number;
  column: number;
  /**
   * The request text: each context statement, then the own statements as
   * written, joined by line breaks. A YDB position (row, col) inside it maps
   * back to the file with `blockPosition`.
   */
  text: string;
  pieces: TextPiece[];
  /** `$names` the block reads (its context included) that the file DECLAREs (anywhere), unique, in order. */
  params: string[];
}

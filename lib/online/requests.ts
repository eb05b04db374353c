/**
 * The history-state protocol: a run's steps → the requests that carry them
 * out (each block's, with the history writes planned into them). Pure, so a dry run shows exactly what a real run sends.
 *
 * - A text of a single DML block runs as one transaction together with its
 *   history write: it is applied and recorded, or neither. The history write
 *   shares the block's query, unless the block has PRAGMAs: then it is a
 *   second query of the same transaction, out of their reach.
 * - Any other text (DDL, or DML that `COMMIT;` splits) first writes its row
 *   as 'applying'; the final write ('applied' for up, the row's removal for
 *   down) goes into the last block's transaction when that block is DML, and
 *   otherwise rides along the run's next write: the next step's first
 *   transaction, or the final one that releases the lock. A step thus costs
 *   at most one request beyond its blocks.
 * - A failure after the 'applying' row is written leaves it 'failed'; a crash
 *   leaves it 'applying'. Both show as failed until `resolve`.
 */
import type { BoundParam } from '../params.js';
import { QueryBuilder, type Request } from '../ydb/execute.js';
import type { Block, Declaration } from '../yql/blocks.js';
import { addHistoryChanges, type HistoryChange, type HistoryWrite } from './history-table.js';
import { encodeRequestsRan } from './requests-ran.js';

/** The text a step runs: a migration file, or a down text kept in the history. */
export interface StepText {
  /** Display path for messages and positions. */
  path: string;
  text: string;
  blocks: Block[];
  declarations: Declaration[];
}

export interface StepInput {
  direction: 'up' | 'down';
  name: string;
  text: StepText;
  params: BoundParam[];
  /** The row as it is while the step runs ('applying'), and after a failure ('failed'). */
  row: HistoryWrite;
  /** What records the step as done: the 'applied' row (up) or the row's removal (down). */
  done: HistoryChange;
  /** A resume of a migration a run left unfinished: its first `from` blocks ran (or landed) and are not sent again. */
  resume?: { from: number };
}

export interface PlannedRequest {
  request: Request;
  /** The block it runs (0-based), or null for a history write alone. */
  block: number | null;
  /** Earlier steps' changes committed by this request: to be written again if it fails. */
  carried: HistoryChange[];
}

export interface PlannedStep {
  direction: 'up' | 'down';
  name: string;
  file: string;
  /** The blocks of the text it runs, all of them: the ones a resume skips included. */
  blocks: readonly Block[];
  requests: PlannedRequest[];
  /** The 'failed' row, written when a request after the first fails; null when the step is a single transaction. */
  failure: HistoryWrite | null;
  /** Resumes an unfinished row: the history holds that row, so it is never put back as if nothing had run. */
  resumed: boolean;
}

export interface RunRequests {
  steps: PlannedStep[];
  /** Changes still to commit after the last step: they go with the lock's release. */
  pending: HistoryChange[];
}

function hasPragmas(block: Block): boolean {
  return [...block.context, ...block.statements].some((s) => s.role === 'pragma');
}

export function planRequests(inputs: readonly StepInput[], table: string): RunRequests {
  let pending: HistoryChange[] = [];
  const steps = inputs.map((input) => {
    const planned = planStep(input, table, pending);
    pending = planned.carryOut;
    return planned.step;
  });
  return { steps, pending };
}

function planStep(input: StepInput, table: string, carryIn: HistoryChange[]): { step: PlannedStep; carryOut: HistoryChange[] } {
  const { blocks, path } = input.text;
  const subject = `migration ${input.name}${input.direction === 'down' ? ' (down)' : ''}`;
  const withChanges = (changes: HistoryChange[]): QueryBuilder => addHistoryChanges(new QueryBuilder(), table, changes);
  const blockRequest = (index: number, changes: HistoryChange[], carried: HistoryChange[]): PlannedRequest => {
    const block = blocks[index]!;
    if (block.kind !== 'dml') return { request: { kind: 'scheme', query: new QueryBuilder().buildBlock(block, input.params, subject, path) }, block: index, carried };
    // YDB applies a query's last TablePathPrefix to every table in it (sql_table_path_prefix_ut.cpp, LegacyModeUsesFinalPrefix):
    // with PRAGMAs in the block, ydb-migrate's own statements go in a query of their own.
    const queries = changes.length > 0 && hasPragmas(block)
      ? [new QueryBuilder().buildBlock(block, input.params, subject, path), withChanges(changes).build()]
      : [withChanges(changes).buildBlock(block, input.params, subject, path)];
    return { request: { kind: 'transaction', queries }, block: index, carried };
  };
  const step = (requests: PlannedRequest[], failure: HistoryWrite | null): PlannedStep => ({
    direction: input.direction,
    name: input.name,
    file: path,
    blocks,
    requests,
    failure,
    resumed: input.resume !== undefined,
  });

  const from = input.resume?.from ?? 0;
  if (from >= blocks.length) return { step: step([], null), carryOut: [...carryIn, input.done] };
  if (from === 0 && blocks.length === 1 && blocks[0]!.kind === 'dml') {
    return { step: step([blockRequest(0, [...carryIn, input.done], carryIn)], null), carryOut: [] };
  }
  // A resumed row keeps its record of what ran, so a crash now still leaves it.
  const ran = input.resume ? { requestsDone: from, requestsRan: encodeRequestsRan(input.direction, blocks.slice(0, from), null) } : {};
  const marker: PlannedRequest = {
    request: { kind: 'transaction', queries: [withChanges([...carryIn, { kind: 'upsert', row: { ...input.row, ...ran, state: 'applying' } }]).build()] },
    block: null,
    carried: carryIn,
  };
  const lastIsDml = blocks[blocks.length - 1]!.kind === 'dml';
  const requests = blocks.slice(from).map((_, k) => blockRequest(from + k, lastIsDml && from + k === blocks.length - 1 ? [input.done] : [], []));
  return {
    step: step([marker, ...requests], { ...input.row, state: 'failed' }),
    carryOut: lastIsDml ? [] : [input.done],
  };
}

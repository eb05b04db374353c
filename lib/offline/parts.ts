/**
 * `sql --format parts`: the offline range as one self-contained query per
 * file, for `ydb sql -f` (the Query service, one query per call, no COMMIT
 * inside). Each file carries its own context: the PRAGMAs and named
 * expressions of its migration that it needs, and the declared parameters
 * it reads bound as literals. So, unlike the single script, a part can hold
 * a PRAGMA scoped to its migration, a BATCH UPDATE/DELETE or a CREATE TABLE
 * ... AS SELECT (each is a query of its own). A `run.sh` runs them in order
 * and stops at the first failure, saying what to do next.
 */
import type { BoundParam } from '../params.js';
import { bindParam } from '../params.js';
import { renderTemplate } from '../templates.js';
import type { Block } from '../yql/blocks.js';
import { encodeLiteral } from '../yql/literal.js';
import { carriesHistory, headerFields, joint, marksApplying, prepareOfflineRange, type OfflineRange, type OfflineRequest, type OfflineScript } from './range.js';
import { leaseStatements, OFFLINE_LEASE_SECONDS, type LeaseStatements } from './guard.js';

/** The first line of every file `sql --format parts` writes: how a later run recognises its own output. */
export const PARTS_MARK = '-- ydb-migrate offline part';
export const RUN_SCRIPT_MARK = '# ydb-migrate offline parts runner';
export const RUN_SCRIPT = 'run.sh';

export interface OfflinePart {
  /** `NNN-what.yql`, numbered in run order. */
  file: string;
  /** What it does, for run.sh's messages: `up 0002_bump: part 2 of 3 (sql/0002_bump.up.yql:4:1)`. */
  what: string;
  text: string;
}

export interface OfflineParts extends Pick<OfflineScript, 'steps'> {
  parts: OfflinePart[];
  /** run.sh */
  runScript: string;
}

interface Draft {
  slug: string;
  what: string;
  query: string;
  /** What run.sh says when this part fails. */
  advice: string;
}

export function renderOfflineParts(req: OfflineRequest): OfflineParts {
  const range = prepareOfflineRange(req);
  // Each part is a query of its own: it carries the lease-lost message as a literal.
  const lease = leaseStatements(req.table, range.owner);
  const leaseHours = OFFLINE_LEASE_SECONDS / 3600;
  const nothingChanged = 'Nothing was changed by this run. Fix the cause shown above, then run run.sh again.';
  const first = joint(range, 0, lease);
  const drafts: Draft[] = [
    ...range.tables.map((query, i): Draft => ({
      slug: i === 0 ? 'history-table' : 'lock-table',
      what: `ensure the ${i === 0 ? 'history' : 'lock'} table`,
      query,
      advice: `${nothingChanged} This needs YDB 24.1 or newer (CREATE TABLE IF NOT EXISTS).`,
    })),
    {
      slug: 'guard',
      what: `check that the history is at ${range.fromState} and take the migration lock${first ? `; ${marked(range, 0)}` : ''}`,
      query: first ? `${range.guard}\n${first}` : range.guard,
      advice: `${nothingChanged} The message above says what the guard found: if the database is at another state, generate the parts for it with \`ydb-migrate sql --format parts --from STATE\`; if another run holds the lock, wait for it.`,
    },
    ...range.steps.flatMap((_, i) => stepDrafts(range, i, lease, req, leaseHours)),
  ];
  if (range.steps.length === 0) drafts.push({ slug: 'release-lock', what: 'release the migration lock', query: `${lease.check}\n${lease.release}`, advice: `Nothing else remains: run \`ydb-migrate unlock --force\` if \`ydb-migrate status\` shows this run's lock.` });

  const width = String(drafts.length).length < 3 ? 3 : String(drafts.length).length;
  const parts = drafts.map((d, i): OfflinePart & { advice: string } => {
    const file = `${String(i + 1).padStart(width, '0')}-${d.slug}.yql`;
    return { file, what: d.what, advice: d.advice, text: `${PARTS_MARK} ${i + 1} of ${drafts.length}: ${d.what}\n${d.query}\n` };
  });
  const header = headerFields(req, range);
  const runScript = renderTemplate('offline-run.sh.hbs', {
    ...header,
    // Built here: a shell `${...}` next to a template field reads as Handlebars' triple brace.
    cliDefault: `: "\${YDB_CLI:=ydb -e ${String(header.endpoint)} -d ${String(header.database)}}"`,
    mark: RUN_SCRIPT_MARK,
    parts: parts.map((p) => ({ line: `part ${p.file} ${shellQuote(p.what)} ${shellQuote(p.advice)}` })),
  });
  return { parts: parts.map(({ file, what, text }) => ({ file, what, text })), runScript, steps: header.steps };
}

/** What a part that carries the `index`th step's 'applying' write says of it. */
function marked(range: OfflineRange, index: number): string {
  const { direction, name } = range.steps[index]!;
  return `record ${direction} ${name} 'applying'`;
}

/**
 * A migration's parts: each block with its context, and the joint to the
 * next migration (its done write, the next one's 'applying' write) in the
 * last block's part or in one of its own.
 */
function stepDrafts(range: OfflineRange, index: number, lease: LeaseStatements, req: OfflineRequest, leaseHours: number): Draft[] {
  const { name, direction, text } = range.steps[index]!;
  // A migration kept in a subfolder (`billing/0003_add_invoices`) gives a file name, not a path, in the one output folder.
  const slug = name.replaceAll('/', '-');
  const after = joint(range, index + 1, lease);
  const nextMarked = index + 1 < range.steps.length && marksApplying(range.steps[index + 1]!) ? `, and ${marked(range, index + 1)}` : '';
  const params = text.declarations.map((d) => bindParam(d, text.path, req.params));
  const blocks = text.blocks;
  const last = blocks[blocks.length - 1];
  const doneInLast = last !== undefined && carriesHistory(last);
  const pending =
    !marksApplying(range.steps[index]!)
      ? `${name} ran as one transaction, so none of it is applied; the history is as before it. Fix the cause, free the lock with \`ydb-migrate unlock --force\`, and continue with \`ydb-migrate up\` or with parts generated \`--from\` the migration before ${name}.`
      : `${name} is recorded 'applying': its parts before this one are applied. Free the lock with \`ydb-migrate unlock --force\` (or let its ${leaseHours} h lease run out), then finish it online with \`ydb-migrate up --resume\` (the file unchanged: it checks the schema for what ran), or check what they changed and settle it with \`ydb-migrate resolve ${name} --applied\` (or \`--reverted\`) and continue with \`ydb-migrate up\` or with parts generated \`--from\` the state reached.`;
  const drafts: Draft[] = blocks.map((block, i): Draft => {
    const withDone = doneInLast && i === blocks.length - 1;
    return {
      slug: `${slug}.${direction}-${i + 1}`,
      what: `${direction} ${name}: part ${i + 1} of ${blocks.length} (${text.path}:${block.line}:${block.column})${withDone ? nextMarked : ''}`,
      query: `${blockQuery(block, params)}${withDone ? `\n${after}` : ''}`,
      advice: pending,
    };
  });
  if (!doneInLast) {
    const done = direction === 'up' ? 'applied' : 'reverted';
    drafts.push({
      slug: `${slug}.${direction}-${done}`,
      what: `${direction} ${name}: record it ${done}${nextMarked}`,
      query: after,
      advice: `${name} ran whole but is still recorded 'applying'. Settle it with \`ydb-migrate resolve ${name} --${done}\`, free the lock with \`ydb-migrate unlock --force\`, then continue with \`ydb-migrate up\`.`,
    });
  }
  return drafts;
}

/**
 * The block's request text with each declared parameter it reads bound as a
 * named expression at the top, and its own DECLAREs turned into comments
 * (a name may not be both declared and bound).
 */
function blockQuery(block: Block, params: readonly BoundParam[]): string {
  let text = block.text;
  for (const statement of block.statements) {
    if (statement.declaration) text = text.replace(statement.text, `/* DECLARE $${statement.declaration.name} AS ${statement.declaration.typeText}; bound at the top of this part */`);
  }
  const bound = params.filter((p) => block.params.includes(p.name)).map((p) => `$${p.name} = ${encodeLiteral(p.type, p.value)};`);
  const terminated = text.trimEnd().endsWith(';') ? text.trimEnd() : `${text.trimEnd()};`;
  return [...bound, terminated].join('\n');
}

/** A POSIX shell word that stands for `text` exactly. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

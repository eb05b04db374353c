/**
 * A down must undo its up: `down`, `redo` and watch's revert run it, and a
 * down that leaves an object behind (or does not bring a dropped one back)
 * makes the next `up` of the migration fail or the schema drift.
 */
import { emptyDownHint, isUnmarkedEmptyDown } from '../down-text.js';
import type { AlterAction, NameAt } from '../yql/ddl.js';
import type { AnalyzedFile, AnalyzedStatement, Report, RuleFamily } from './types.js';

export const reversibilityRules: RuleFamily = {
  rules: [
    { id: 'down-missing', severity: 'warning', summary: 'a migration without a down file, or with one that has no statements', fix: "write the statements that undo the up in NAME.down.yql, or the line '-- ydb-migrate: nothing to undo' when there is truly nothing" },
    { id: 'down-does-not-undo', severity: 'warning', summary: 'an object the up creates that the down does not drop, or one the up drops that the down does not recreate', fix: 'add the matching DROP (or CREATE/ADD) to the down, in reverse order of the up' },
    { id: 'down-not-partial-safe', severity: 'info', summary: 'a down that fails after a partial up: DROP TABLE without IF EXISTS or ALTER TABLE of a table, or a DROP of a column, index or changefeed, that a later request of the up makes', fix: 'write DROP TABLE IF EXISTS alone for such a table (it takes its indexes and changefeeds along), so the down also undoes an up that stopped before that request (watch relies on it)' },
  ],
  migration(ctx, report) {
    const { up, down } = ctx;
    const name = ctx.migration.name;
    if (!down) {
      report('down-missing', up.path, { line: 1, column: 1 }, `migration ${name} has no down file: \`down\` cannot undo it`);
      return;
    }
    // An empty down marked as having nothing to undo is checked like any other: the up may still create something.
    if (ctx.migration.down && isUnmarkedEmptyDown(ctx.migration.down)) {
      report('down-missing', down.path, { line: 1, column: 1 }, `${down.path} has no statements, so \`down\`, \`redo\` and watch refuse to revert ${name}; ${emptyDownHint(name)}`);
      return;
    }
    undoes(up, down, report);
    partialSafe(up, down, report);
  },
};

interface Change {
  /** `table`, or `table` + kind + name for a part of it. */
  key: string;
  table: string;
  /** How the change reads in a message: `table t`, `column c of table t`. */
  shown: string;
  at: NameAt;
  statement: AnalyzedStatement;
}

/** What each statement of a file creates and drops. */
function changes(file: AnalyzedFile): { created: Change[]; dropped: Change[] } {
  const created: Change[] = [];
  const dropped: Change[] = [];
  for (const statement of file.statements) {
    const { ddl } = statement;
    if (ddl.kind === 'create-table') created.push(whole(ddl.table, statement));
    else if (ddl.kind === 'drop-table') dropped.push(whole(ddl.table, statement));
    else if (ddl.kind === 'alter-table') {
      for (const action of ddl.actions) {
        const part = partOf(action);
        if (!part) continue;
        const change: Change = { key: partKey(ddl.table.name, part.kind, part.name.name), table: ddl.table.name, shown: `${part.kind} ${part.name.name} of table ${ddl.table.name}`, at: part.name, statement };
        (part.adds ? created : dropped).push(change);
      }
    }
  }
  return { created, dropped };
}

function whole(table: NameAt, statement: AnalyzedStatement): Change {
  return { key: table.name, table: table.name, shown: `table ${table.name}`, at: table, statement };
}

function partOf(action: AlterAction): { kind: string; name: NameAt; adds: boolean } | null {
  switch (action.kind) {
    case 'add-column': return { kind: 'column', name: action.column, adds: true };
    case 'drop-column': return { kind: 'column', name: action.column, adds: false };
    case 'add-index': return { kind: 'index', name: action.index, adds: true };
    case 'drop-index': return { kind: 'index', name: action.index, adds: false };
    case 'add-changefeed': return { kind: 'changefeed', name: action.changefeed, adds: true };
    case 'drop-changefeed': return { kind: 'changefeed', name: action.changefeed, adds: false };
    default: return null;
  }
}

function undoes(up: AnalyzedFile, down: AnalyzedFile, report: Report): void {
  const upChanges = changes(up);
  const downChanges = changes(down);
  const keys = (list: Change[]) => new Set(list.map((c) => c.key));
  const downDrops = keys(downChanges.dropped);
  const downCreates = keys(downChanges.created);
  for (const c of upChanges.created) {
    if (downDrops.has(c.key) || downDrops.has(c.table)) continue;
    report('down-does-not-undo', up.path, c.at, `the up creates ${c.shown}, which ${down.path} does not drop`);
  }
  for (const c of upChanges.dropped) {
    if (downCreates.has(c.key) || downCreates.has(c.table)) continue;
    report('down-does-not-undo', up.path, c.at, `the up drops ${c.shown}, which ${down.path} does not recreate`);
  }
}

function partialSafe(up: AnalyzedFile, down: AnalyzedFile, report: Report): void {
  let firstRequest = Infinity;
  for (const s of up.statements) if (s.request >= 0 && s.request < firstRequest) firstRequest = s.request;
  // What the up makes only after its first request: a partial run may have stopped before it.
  const createdLater = new Set<string>();
  const addedLater = new Set<string>();
  for (const s of up.statements) {
    if (s.request <= firstRequest) continue;
    if (s.ddl.kind === 'create-table') createdLater.add(s.ddl.table.name);
    else if (s.ddl.kind === 'alter-table') {
      for (const action of s.ddl.actions) {
        const part = partOf(action);
        if (part?.adds) addedLater.add(partKey(s.ddl.table.name, part.kind, part.name.name));
      }
    }
  }
  if (createdLater.size + addedLater.size === 0) return;
  const stopped = 'if the up stopped before it, this down fails here and the rest of it does not run';
  for (const { ddl } of down.statements) {
    if (ddl.kind === 'drop-table' && !ddl.ifExists && createdLater.has(ddl.table.name)) {
      report('down-not-partial-safe', down.path, ddl.table, `table ${ddl.table.name} is created in a later request of the up; ${stopped}`);
    } else if (ddl.kind === 'alter-table' && createdLater.has(ddl.table.name)) {
      report('down-not-partial-safe', down.path, ddl.table, `table ${ddl.table.name} is created in a later request of the up; ${stopped} (DROP TABLE IF EXISTS alone also drops its indexes and changefeeds)`);
    } else if (ddl.kind === 'alter-table') {
      for (const action of ddl.actions) {
        const part = partOf(action);
        if (part && !part.adds && addedLater.has(partKey(ddl.table.name, part.kind, part.name.name))) {
          report('down-not-partial-safe', down.path, part.name, `${part.kind} ${part.name.name} of table ${ddl.table.name} is added in a later request of the up; ${stopped}${part.kind === 'column' ? '' : ` (when the down drops the table anyway, DROP TABLE IF EXISTS drops its ${part.kind}s too)`}`);
        }
      }
    }
  }
}

function partKey(table: string, kind: string, name: string): string {
  return `${table}\u0000${kind}\u0000${name}`;
}

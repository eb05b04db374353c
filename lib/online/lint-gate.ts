/**
 * `up` and `redo` refuse to apply a migration whose up file lint rates an
 * error (what YDB would refuse: an unknown type, a key column that does not
 * exist...), so a run never leaves such a migration failed half-way.
 *
 * Lint itself is offline, but which migrations a run applies is known only
 * from the history: an applied migration with an error (recorded by
 * `baseline` or `resolve --applied`, or older than a rule) must never block
 * a run, so the check comes with the plan. A real run plans first from the
 * history read without the lock, which writes nothing, and an input error
 * there ends it: the refusal comes before the lock is taken and before any
 * migration's request. A dry run is refused alike.
 */
import { MigrateError } from '../errors.js';
import { lintMigrations } from '../lint/lint.js';
import { formatFinding } from '../lint/format.js';
import type { Finding } from '../lint/types.js';
import type { StepChooser } from './under-lock.js';

/**
 * Rules that hold only if the migrations built every table: a database that
 * predates them (`baseline`) has tables no migration creates, which YDB
 * alters and drops gladly. `lint` still reports them; a run leaves them to YDB.
 */
const ASSUMES_ONLY_MIGRATIONS: ReadonlySet<string> = new Set(['missing-table']);

/** `choose`, refusing a plan that would apply a migration whose up file has a lint error. */
export function refusingLintErrors(choose: StepChooser): StepChooser {
  return (set, history) => {
    const plan = choose(set, history);
    const applies = new Map(plan.steps.flatMap((s) => (s.direction === 'up' && s.migration ? [[s.migration.up.path, s.name] as const] : [])));
    if (applies.size === 0) return plan;
    const names = new Set(applies.values());
    // Only the migrations it applies are checked; the ones before are replayed for the schema they see.
    const errors = lintMigrations(set.migrations, { errorsOnly: true, only: (m) => names.has(m.name) }).filter(
      (f) => f.severity === 'error' && !ASSUMES_ONLY_MIGRATIONS.has(f.rule) && applies.has(f.location.file),
    );
    if (errors.length > 0) throw lintRefusal(errors, applies);
    return plan;
  };
}

function lintRefusal(errors: readonly Finding[], applies: ReadonlyMap<string, string>): MigrateError {
  const refused = [...new Set(errors.map((f) => applies.get(f.location.file)!))];
  return new MigrateError(
    'LINT_REFUSED',
    `refusing to apply ${refused.join(', ')}: lint rates ${refused.length === 1 ? 'it' : 'them'} an error YDB would refuse; nothing ran. ` +
      'Fix the statements below; if lint is wrong, disable the rule for the statement with a `-- ydb-migrate:disable RULE-ID` comment on the line before it, or run with --no-lint',
    { location: errors[0]!.location, details: errors.map(formatFinding) },
  );
}

/**
 * Lint's runner over the conformance corpus: each case is linted as a
 * migration set — its setup requests as the migrations before, its YQL as the
 * migration under test. A case YDB refuses must get a lint error (unless
 * `lint.skip` says why lint cannot know); a case YDB accepts must get none,
 * in the setup or the case. The figures line says how far lint agrees.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../lib/errors.js';
import { lintMigrations } from '../../lib/lint/lint.js';
import type { Finding } from '../../lib/lint/types.js';
import { migrations } from '../lint/helpers.js';
import type { YdbCase } from './case.js';
import { loadCorpus } from './corpus.js';

const corpus = await loadCorpus();

/** What ydb-migrate says of the case statically: the loader's refusal, or lint's errors (`setup` on the setup migrations, `yql` on the migration under test). */
type Verdict = { loader: MigrateError; setup?: never; yql?: never } | { loader?: never; setup: Finding[]; yql: Finding[] };

function lintCase(c: YdbCase): Verdict {
  const setup = (c.setup ?? []).map((text, i): [string, string, null] => [`s${i}`, text, null]);
  let set;
  try {
    set = migrations(...setup, ['case', c.yql, null]);
  } catch (error) {
    // The tool refuses to load the migration (a statement it does not send, say): as static a refusal as lint's.
    if (error instanceof MigrateError) return { loader: error };
    throw error;
  }
  const errors = lintMigrations(set, c.ydb?.version === undefined ? {} : { ydbVersion: c.ydb.version })
    .filter((f) => f.severity === 'error')
    // A server that allows a UNIQUE index on an existing table: the rule's own suppression.
    .filter((f) => !(c.ydb?.uniqueIndexOnExistingTable && f.rule === 'unique-index-on-existing-table'));
  return { setup: errors.filter((f) => f.location.file !== 'case.up.yql'), yql: errors.filter((f) => f.location.file === 'case.up.yql') };
}

const figures = { refused: 0, caught: 0, byLoader: 0, skipped: 0, accepted: 0, falseErrors: 0 };
const shown = (verdict: Verdict) => verdict.loader ? `loader: ${verdict.loader.message}` : [...verdict.setup, ...verdict.yql].map((f) => `${f.rule}: ${f.message}`).join('\n');

for (const c of corpus) {
  const verdict = lintCase(c);
  if (c.expect.ok) {
    figures.accepted++;
    const said = shown(verdict);
    if (said !== '') figures.falseErrors++;
    test(`${c.id}: YDB accepts it, lint gives no error`, () => assert.equal(said, ''));
  } else if (c.lint) {
    figures.skipped++;
    test(`${c.id}: YDB refuses it; lint skips (${c.lint.skip})`, () => assert.ok(c.lint!.skip.length > 0));
  } else {
    figures.refused++;
    // The loader reads the setup and the case together: its refusal must point into the case, not the setup.
    const loaderOnCase = verdict.loader?.location?.file === 'case.up.yql';
    if (loaderOnCase) figures.byLoader++;
    else if (verdict.yql && verdict.yql.length > 0) figures.caught++;
    test(`${c.id}: YDB refuses it (${c.expect.status}), lint gives an error`, () => {
      if (verdict.loader) return assert.ok(loaderOnCase, `the loader refuses the setup: ${verdict.loader.message}`);
      assert.equal(shown({ setup: verdict.setup, yql: [] }), '', 'the setup is accepted by YDB: no error there');
      assert.ok(verdict.yql.length > 0, `no lint error for: ${c.yql}`);
    });
  }
}

after(() => {
  const { refused, caught, byLoader, skipped, accepted, falseErrors } = figures;
  console.log(
    `lint on the corpus: recall ${caught + byLoader}/${refused} refused cases (${caught} by lint, ${byLoader} refused by the loader); ` +
      `false errors on ${falseErrors}/${accepted} accepted cases; ${skipped} skipped`,
  );
});

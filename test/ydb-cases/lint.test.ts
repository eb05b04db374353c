/**
 * Lint's runner over the conformance corpus: each case is linted as a
 * migration set — its setup requests as the migrations before, its YQL as the
 * migration under test. A case YDB refuses must get a lint error (unless
 * `lint.skip` says why lint cannot know); a case YDB accepts must get none,
 * in the setup or the case. The figures line says how far lint agrees.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintMigrations } from '../../lib/lint/lint.js';
import type { Finding } from '../../lib/lint/types.js';
import { migrations } from '../lint/helpers.js';
import type { YdbCase } from './case.js';
import { loadCorpus } from './corpus.js';

const corpus = await loadCorpus();

/** The errors lint gives the case: `setup` on the setup migrations, `yql` on the migration under test. */
function lintCase(c: YdbCase): { setup: Finding[]; yql: Finding[] } {
  const set = migrations(...(c.setup ?? []).map((text, i): [string, string, null] => [`s${i}`, text, null]), ['case', c.yql, null]);
  const errors = lintMigrations(set, c.ydb?.version === undefined ? {} : { ydbVersion: c.ydb.version })
    .filter((f) => f.severity === 'error')
    // A server that allows a UNIQUE index on an existing table: the rule's own suppression.
    .filter((f) => !(c.ydb?.uniqueIndexOnExistingTable && f.rule === 'unique-index-on-existing-table'));
  return { setup: errors.filter((f) => f.location.file !== 'case.up.yql'), yql: errors.filter((f) => f.location.file === 'case.up.yql') };
}

const figures = { refused: 0, caught: 0, skipped: 0, accepted: 0, falseErrors: 0 };
const shown = (findings: Finding[]) => findings.map((f) => `${f.rule}: ${f.message}`).join('\n');

for (const c of corpus) {
  const { setup, yql } = lintCase(c);
  if (c.expect.ok) {
    figures.accepted++;
    if (setup.length + yql.length > 0) figures.falseErrors++;
    test(`${c.id}: YDB accepts it, lint gives no error`, () => assert.equal(shown([...setup, ...yql]), ''));
  } else if (c.lint) {
    figures.skipped++;
    test(`${c.id}: YDB refuses it; lint skips (${c.lint.skip})`, () => assert.ok(c.lint!.skip.length > 0));
  } else {
    figures.refused++;
    if (yql.length > 0) figures.caught++;
    test(`${c.id}: YDB refuses it (${c.expect.status}), lint gives an error`, () => {
      assert.equal(shown(setup), '', 'the setup is accepted by YDB: no error there');
      assert.ok(yql.length > 0, `no lint error for: ${c.yql}`);
    });
  }
}

after(() => {
  const { refused, caught, skipped, accepted, falseErrors } = figures;
  console.log(`lint on the corpus: recall ${caught}/${refused} refused cases; false errors on ${falseErrors}/${accepted} accepted cases; ${skipped} skipped`);
});

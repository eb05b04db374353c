import type { Argv, CommandModule } from 'yargs';
import { MigrateError } from '../../errors.js';
import { loadMigrationSet } from '../../migration.js';
import type { OfflineRequest } from '../../offline/range.js';
import { forEachBatch, writePartsDirectory, writeScriptFile } from '../../offline/output.js';
import { offlineScriptChunks } from '../../offline/script.js';
import { renderOfflineParts } from '../../offline/parts.js';
import { requireDeclaredParams, withoutUndeclaredFileParams } from '../../params.js';
import { action, type ArgsOf, type BuiltArgs, type GlobalArgs } from '../context.js';

const builder = (y: Argv<GlobalArgs>) =>
  y
    .positional('direction', { choices: ['up', 'down'], default: 'up', describe: 'Apply (up) or revert (down) the range' })
    .option('from', { type: 'string', describe: 'State before the script: NAME, @TAG, base or head (up: default base; down: required)' })
    .option('to', { type: 'string', describe: 'State after it: NAME, @TAG, head, base, +N or -N (up: default head; down: default -1)' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the script to FILE (with --format parts: into DIR) instead of stdout' })
    .option('format', { choices: ['script', 'parts'], default: 'script', describe: 'script: one file for `ydb scripting yql -f`; parts: one query per file and a run.sh for `ydb sql -f` (needs -o DIR)' })
    .option('force', { type: 'boolean', default: false, describe: 'Let -o write inside the migrations directory or over a file that `sql` did not write' })
    .option('timestamp', { type: 'boolean', default: false, describe: 'Put the generation time in the header (SOURCE_DATE_EPOCH honoured)' })
    .example('$0 sql > release.yql', 'every migration, from an empty database to head')
    .example('$0 sql --from 0003_add_index --to @v2 -o v2.yql', 'what takes a database at 0003_add_index to tag v2')
    .example('$0 sql down --from head --to 0002_seasons', 'revert everything after 0002_seasons')
    .example('$0 sql --format parts -o release/', 'one query per file and release/run.sh, for `ydb sql -f`')
    .example('$0 sql --param env=prod', 'bind a declared parameter as a literal');
type SqlArgs = ArgsOf<typeof builder>;

export const sqlCommand: CommandModule<GlobalArgs, BuiltArgs<typeof builder>> = {
  command: 'sql [direction]',
  describe: 'Write ONE literal-bound YQL script for a range of migrations (offline, for a DBA)',
  builder,
  handler: action<SqlArgs>(async (args, { config, out }) => {
    const direction = args.direction === 'down' ? 'down' : 'up';
    if (direction === 'down' && args.from === undefined) {
      throw new MigrateError('USAGE', 'sql down needs --from NAME|@TAG|head: the state the database is in before the script');
    }
    if (args.format === 'parts' && !args.output) {
      throw new MigrateError('USAGE', 'sql --format parts writes a directory of files: give it with -o DIR');
    }
    const set = await loadMigrationSet(config.dir);
    const { params, warnings: unused } = withoutUndeclaredFileParams(set, config.params, config.fileParams);
    for (const w of [...set.warnings, ...unused]) out.warn(w);
    requireDeclaredParams(set, params);
    const request: OfflineRequest = {
      set,
      direction,
      from: args.from ?? 'base',
      to: args.to ?? (direction === 'up' ? 'head' : '-1'),
      table: config.table,
      params,
      scriptFile: args.output ?? null,
      connectionString: config.connectionStringGiven ? config.connectionString : null,
      generatedAt: args.timestamp ? generationTime() : null,
    };
    const target = args.output ? { path: args.output, migrationsDir: config.dir, force: args.force } : null;
    if (args.format === 'parts' && target) {
      const parts = renderOfflineParts(request);
      await writePartsDirectory(target, parts);
      out.line(`wrote ${parts.parts.length} part(s) and run.sh to ${target.path}: ${parts.steps.length} migration(s) ${direction}`);
      out.data({ ok: true, direction, format: 'parts', output: target.path, steps: parts.steps, parts: parts.parts.map((p) => ({ file: p.file, what: p.what })) });
      return;
    }
    const script = offlineScriptChunks(request);
    if (target) {
      await writeScriptFile(target, script.chunks());
      out.line(`wrote ${target.path}: ${script.steps.length} migration(s) ${direction}`);
    } else if (!args.json) {
      forEachBatch(script.chunks(), (batch) => out.raw(batch));
    }
    out.data({ ok: true, direction, format: 'script', output: args.output ?? null, steps: script.steps, ...(args.output || !args.json ? {} : { script: [...script.chunks()].join('') }) });
  }),
};

/** Reproducible builds: SOURCE_DATE_EPOCH (seconds) wins over the clock. */
function generationTime(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date();
  if (!/^\d+$/.test(epoch)) throw new MigrateError('BAD_SOURCE_DATE_EPOCH', `SOURCE_DATE_EPOCH must be whole seconds since 1970, got '${epoch}'`);
  return new Date(Number(epoch) * 1000);
}

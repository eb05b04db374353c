/**
 * The command line: a thin face over lib/. Commands live one per file in
 * ./commands; the ones that talk to YDB load ydb-sdk only inside their handler.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { TOOL_VERSION } from '../package-info.js';
import { EXIT_INPUT } from '../errors.js';
import { commands } from './commands/index.js';

export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  // `ydb-migrate sql | head`: the reader is gone, so stop quietly, as Unix tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
  let parser = yargs(argv)
    .scriptName('ydb-migrate')
    .usage('$0 <command> [options]\n\nManifest-ordered YQL migrations for YDB.')
    .option('dir', { type: 'string', describe: 'Migrations directory holding manifest.txt (env YDB_MIGRATE_DIR)', defaultDescription: './sql' })
    .option('table', { type: 'string', describe: 'History table (env YDB_MIGRATE_TABLE)', defaultDescription: 'ydb_migrate_history' })
    .option('config', { type: 'string', describe: 'Config file', defaultDescription: './ydb-migrate.json if present' })
    .option('param', { type: 'string', array: true, describe: 'Value of a declared parameter, NAME=VALUE (repeatable)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output (one JSON document)' })
    .option('connection-string', { alias: 'c', type: 'string', describe: 'YDB connection string (env YDB_CONNECTION_STRING)', defaultDescription: 'grpc://localhost:2136/local' })
    .group(['dir', 'table', 'config', 'param', 'json', 'connection-string'], 'Global options:');
  for (const command of commands) parser = parser.command(command);
  await parser
    .demandCommand(1, 'Name a command; see --help.')
    .recommendCommands()
    .strict()
    .version(TOOL_VERSION)
    .alias('h', 'help')
    .epilogue('Exit codes: 0 ok, 1 runtime or database failure, 2 usage or input error, 3 status --check found pending, failed or drifted migrations, 130/143 stopped by Ctrl-C/SIGTERM.\nDocs: README.md')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${message}\nRun 'ydb-migrate --help' for usage.\n`);
      process.exit(EXIT_INPUT);
    })
    .parseAsync();
}

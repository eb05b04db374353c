/** The options every command takes, declared once: main.ts adds them to the parser, and the CLI reference (docs/) is generated from them. */
import type { Argv } from 'yargs';

export function withGlobalOptions(y: Argv) {
  return y
    .option('dir', { type: 'string', requiresArg: true, describe: 'Migrations directory holding manifest.txt (env YDB_MIGRATE_DIR)', defaultDescription: './sql' })
    .option('table', { type: 'string', requiresArg: true, describe: 'History table (env YDB_MIGRATE_TABLE)', defaultDescription: 'ydb_migrate_history' })
    .option('config', { type: 'string', requiresArg: true, describe: 'Config file', defaultDescription: './ydb-migrate.json if present' })
    // One value per --param: `sql --param k=v down` must leave `down` to the command.
    .option('param', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'Value of a declared parameter, NAME=VALUE (repeatable)' })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output (one JSON document)' })
    .option('connection-string', { alias: 'c', type: 'string', requiresArg: true, describe: 'YDB connection string, grpc[s]://HOST:PORT/DATABASE (env YDB_CONNECTION_STRING)', defaultDescription: 'grpc://localhost:2136/local' })
    .option('endpoint', { alias: 'e', type: 'string', requiresArg: true, describe: "YDB endpoint as the ydb CLI takes it, [grpc[s]://]HOST[:PORT] (instead of -c)" })
    .option('database', { alias: 'd', type: 'string', requiresArg: true, describe: 'Database path, e.g. /local (with -e)' })
    .option('profile', { alias: 'p', type: 'string', requiresArg: true, describe: 'A ydb CLI profile (~/ydb/config/config.yaml): endpoint, database, CA file, credentials', defaultDescription: "the ydb CLI's active profile, if any" })
    .group(['dir', 'table', 'config', 'param', 'json', 'connection-string', 'endpoint', 'database', 'profile'], 'Global options:');
}

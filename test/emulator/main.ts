/**
 * The emulator as a process:
 *   node dist/test/emulator/main.js --port 2136 [--host 127.0.0.1] [--database /local]
 *        [--token T] [--user U --password P]
 *        [--ydb-version 24.1] [--enable-add-unique-index] [--yql-parser antlr4|antlr3]
 * Prints the connection string as the first line of stdout; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ydbProfile, type YqlParser } from './engine/profile.js';
import { startEmulator, type EmulatorOptions } from './server.js';

const USAGE =
  'usage: main.js [--port N] [--host H] [--database /local] [--token T] [--user U --password P]\n' +
  '               [--ydb-version 24.1] [--enable-add-unique-index] [--yql-parser antlr4|antlr3]';

function optionsFrom(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      database: { type: 'string' },
      token: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'ydb-version': { type: 'string' },
      'enable-add-unique-index': { type: 'boolean' },
      'yql-parser': { type: 'string' },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  const { 'ydb-version': ydbVersion, 'enable-add-unique-index': uniqueIndexOnExistingTable, 'yql-parser': yqlParser, ...rest } = values;
  const profile = { ydbVersion, uniqueIndexOnExistingTable, yqlParser: yqlParser as YqlParser | undefined };
  ydbProfile(profile); // refuses a malformed version or parser here, with the usage
  return { ...rest, port, ...profile };
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = optionsFrom(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const emulator = await startEmulator(options).catch((err: unknown) => {
    // gRPC says "No address added out of total 1 resolved" for a port in use: name the port.
    if (!String((err as Error).message).includes('EADDRINUSE')) throw err;
    throw new Error(`port ${options.port} on ${options.host ?? '127.0.0.1'} is already in use (another emulator, or a YDB?); stop what holds it, or pick another port`);
  });
  process.stdout.write(`${emulator.connectionString}\n`);
  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`emulator: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

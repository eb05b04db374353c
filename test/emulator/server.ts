/** Assembles an emulator: one engine, its sessions, the gRPC services, a bound server. */
import type { ServerHttp2Session } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { Access, type AccessOptions } from './access.js';
import { Engine, type ProfileOptions } from './engine/index.js';
import { Faults } from './faults.js';
import type { Gate } from './rpc.js';
import { RpcLog } from './rpc-log.js';
import { authService } from './services/auth.js';
import { discoveryService } from './services/discovery.js';
import { queryService } from './services/query.js';
import { schemeService } from './services/scheme.js';
import { scriptingService } from './services/scripting.js';
import { tableService } from './services/table.js';
import { Sessions } from './sessions.js';

/** `ydbVersion` (default 24.1, the oldest the tool supports), `uniqueIndexOnExistingTable`, `yqlParser`: see engine/profile.ts. */
export interface EmulatorOptions extends AccessOptions, ProfileOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default `/local`, as in the local-ydb docker image. */
  database?: string;
}

export interface Emulator {
  /** `grpc://127.0.0.1:PORT/local`, ready for `new Driver({ connectionString })`. */
  readonly connectionString: string;
  readonly port: number;
  readonly database: string;
  readonly engine: Engine;
  readonly log: RpcLog;
  readonly faults: Faults;
  /** Ends every session (closing attach streams) and shuts the server down. */
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const database = options.database ?? '/local';
  if (!/^\/[^/]/.test(database) || database.endsWith('/')) {
    throw new TypeError(`emulator: database must be an absolute path like /local, got "${database}"`);
  }
  const { ydbVersion, uniqueIndexOnExistingTable, yqlParser } = options;
  const engine = new Engine({ ydbVersion, uniqueIndexOnExistingTable, yqlParser, database });
  const sessions = new Sessions(engine);
  const server = new grpc.Server();
  const gate: Gate = {
    database,
    access: new Access(options),
    faults: new Faults(),
    log: new RpcLog(),
    dropConnection: (peer) => dropConnection(server, peer),
  };
  let port = 0;
  for (const service of [
    discoveryService(gate, () => ({ host, port })),
    authService(gate),
    tableService(gate, engine, sessions),
    queryService(gate, engine, sessions),
    scriptingService(gate, engine),
    schemeService(gate, engine),
  ]) {
    server.addService(service.definition, service.implementation);
  }
  port = await bind(server, `${host}:${options.port ?? 0}`);
  return {
    connectionString: `grpc://${host}:${port}${database}`,
    port,
    database,
    engine,
    log: gate.log,
    faults: gate.faults,
    async stop() {
      sessions.closeAll();
      server.forceShutdown();
    },
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/**
 * grpc-js offers no public way to close one client's connection; its server
 * keeps the HTTP/2 sessions in a private `sessions` map, which this reaches.
 */
function dropConnection(server: grpc.Server, peer: string): void {
  const sessions = (server as unknown as { sessions?: Map<ServerHttp2Session, unknown> }).sessions;
  if (!(sessions instanceof Map)) {
    throw new Error('emulator: this @grpc/grpc-js version hides its sessions; dropConnection faults cannot work');
  }
  for (const session of sessions.keys()) {
    const { remoteAddress, remotePort } = session.socket;
    if (`${remoteAddress}:${remotePort}` === peer) session.destroy();
  }
}

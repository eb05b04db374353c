/**
 * A YDB look-alike for tests: the real ydb-sdk talks gRPC to it, a YQL subset
 * engine answers. See README.md for what it covers.
 */
export { startEmulator, type Emulator, type EmulatorOptions } from './server.js';
export type { Faults, FaultSpec, FaultHandle } from './faults.js';
export type { RpcLog, RpcLogEntry, ServiceName } from './rpc-log.js';

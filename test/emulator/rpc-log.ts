/** The record of every RPC the emulator answered, so tests can count round trips. */

export type ServiceName = 'discovery' | 'table' | 'query' | 'scripting' | 'auth' | 'scheme';

export interface RpcLogEntry {
  service: ServiceName;
  /** The RPC's name as in the proto, e.g. `ExecuteQuery`. */
  method: string;
  /** The YQL text the request carried, if any. */
  query?: string;
  /**
   * `SUCCESS`, a YDB status name, `grpc:<CODE>` for transport-level answers
   * (e.g. `grpc:UNAUTHENTICATED`), or `DROPPED` when a fault cut the connection.
   */
  status: string;
  /** Epoch milliseconds when the call arrived. */
  at: number;
}

export class RpcLog extends Array<RpcLogEntry> {
  // map/filter/slice on a log give plain arrays, not more logs.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  clear(): void {
    this.length = 0;
  }

  /** Entries of one RPC, e.g. `log.calls('ExecuteQuery')`. */
  calls(method: string, service?: ServiceName): RpcLogEntry[] {
    return this.filter((e) => e.method === method && (service === undefined || e.service === service));
  }
}

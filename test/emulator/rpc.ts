/**
 * The path every call takes: decode, check database and token, apply any
 * injected fault, run the handler, turn failures into YDB answers, log.
 * Services declare their RPCs with `unary`/`serverStream`; `defineService`
 * turns them into a grpc-js service definition written by hand (the
 * ydb-sdk-proto package only ships client stubs).
 */
import * as grpc from '@grpc/grpc-js';
import type { Access } from './access.js';
import type { Faults, FiredFault } from './faults.js';
import type { RpcLog, ServiceName } from './rpc-log.js';
import type { StatusName } from './engine/index.js';
import { asYdbFailure, GrpcFailure, YdbFailure } from './status.js';

/**
 * A protobufjs static message class (`Ydb.Table.CreateSessionRequest`, ...).
 * Requests are typed by the decoded class, responses by the plain `I...`
 * interface that handlers return; NoInfer keeps each inferred from one side.
 */
interface RequestType<Req> {
  decode(data: Uint8Array): Req;
  encode(message: NoInfer<Req>): { finish(): Uint8Array };
}

interface ResponseType<Res> {
  encode(message: Res): { finish(): Uint8Array };
  decode(data: Uint8Array): NoInfer<Res>;
}

interface RpcSpec<Req, Res> {
  request: RequestType<Req>;
  response: ResponseType<Res>;
  /** The YQL text a request carries, for the log and for fault matching. */
  queryOf?: (req: NoInfer<Req>) => string | null | undefined;
  /** How this RPC reports a YDB status: inside an Operation, or in the response's own status fields. */
  failure: (failure: YdbFailure) => NoInfer<Res>;
  /** Skips the database and token checks (Login: no token exists yet, the sdk sends no database). */
  open?: boolean;
}

export interface UnarySpec<Req, Res> extends RpcSpec<Req, Res> {
  handle(req: NoInfer<Req>): NoInfer<Res> | Promise<NoInfer<Res>>;
}

export interface StreamSpec<Req, Res> extends RpcSpec<Req, Res> {
  /** Writes the response parts; the stream ends when the returned promise settles. */
  stream(req: NoInfer<Req>, out: StreamOut<NoInfer<Res>>): void | Promise<void>;
}

export interface StreamOut<Res> {
  write(part: Res): void;
  /** Settles when the client cancels the call or its connection goes away. */
  readonly gone: Promise<void>;
}

/** What every call passes through, shared by all services of one emulator. */
export interface Gate {
  readonly database: string;
  readonly access: Access;
  readonly faults: Faults;
  readonly log: RpcLog;
  /** Closes the HTTP/2 connection of the peer (`ip:port`). */
  dropConnection(peer: string): void;
}

interface Binding {
  definition: grpc.MethodDefinition<unknown, unknown>;
  handler: grpc.UntypedHandleCall;
}

/** An RPC ready to be bound under a name in a service. */
export type Rpc = (where: { gate: Gate; service: ServiceName; protoService: string; method: string }) => Binding;

const CUT_DETAILS = 'Stream cut by an emulator fault';

export function unary<Req, Res>(spec: UnarySpec<Req, Res>): Rpc {
  return (where) => {
    const handler: grpc.handleUnaryCall<Req, Res> = (call, callback) => {
      const attempt = new Attempt(where, spec.queryOf?.(call.request) ?? undefined);
      const answer = async (): Promise<void> => {
        const fault = await attempt.admit(spec, call);
        if (fault === 'unanswered') return;
        if (fault?.status) return callback(null, spec.failure(attempt.injected(fault.status, fault.message)));
        let response: Res;
        try {
          response = await spec.handle(call.request);
        } catch (err) {
          if (err instanceof GrpcFailure) throw err;
          return callback(null, spec.failure(attempt.failed(err)));
        }
        if (fault?.cutStream) throw new GrpcFailure(grpc.status.UNAVAILABLE, CUT_DETAILS);
        attempt.succeeded();
        callback(null, response);
      };
      answer().catch((err: unknown) => callback(attempt.transportFailure(err)));
    };
    return { definition: definition(where, spec, false), handler: handler as grpc.UntypedHandleCall };
  };
}

export function serverStream<Req, Res>(spec: StreamSpec<Req, Res>): Rpc {
  return (where) => {
    const handler: grpc.handleServerStreamingCall<Req, Res> = (call) => {
      const attempt = new Attempt(where, spec.queryOf?.(call.request) ?? undefined);
      const gone = new Promise<void>((resolve) => call.once('cancelled', () => resolve()));
      let finished = false;
      const finish = (error?: grpc.ServiceError): void => {
        if (finished) return;
        finished = true;
        if (error) call.emit('error', error);
        else call.end();
      };
      const answer = async (): Promise<void> => {
        const fault = await attempt.admit(spec, call);
        if (fault === 'unanswered') return;
        if (fault?.status) {
          call.write(spec.failure(attempt.injected(fault.status, fault.message)));
          return finish();
        }
        const out: StreamOut<Res> = {
          gone,
          write(part) {
            if (finished) return;
            call.write(part);
            if (fault?.cutStream) finish(attempt.transportFailure(new GrpcFailure(grpc.status.UNAVAILABLE, CUT_DETAILS)));
            else attempt.succeeded(); // logged once, when the first part shows the call went through
          },
        };
        try {
          await spec.stream(call.request, out);
          attempt.succeeded(); // a stream that wrote nothing still gets its log entry
        } catch (err) {
          if (err instanceof GrpcFailure) throw err;
          if (!finished) call.write(spec.failure(attempt.failed(err)));
        }
        finish();
      };
      answer().catch((err: unknown) => finish(attempt.transportFailure(err)));
    };
    return { definition: definition(where, spec, true), handler: handler as grpc.UntypedHandleCall };
  };
}

/** A grpc-js service built from named RPCs: `server.addService(s.definition, s.implementation)`. */
export function defineService(
  gate: Gate,
  service: ServiceName,
  protoService: string,
  rpcs: Record<string, Rpc>,
): { definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation } {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [method, rpc] of Object.entries(rpcs)) {
    const binding = rpc({ gate, service, protoService, method });
    definition[method] = binding.definition;
    implementation[method] = binding.handler;
  }
  return { definition, implementation };
}

function definition<Req, Res>(
  where: { protoService: string; method: string },
  spec: RpcSpec<Req, Res>,
  responseStream: boolean,
): grpc.MethodDefinition<unknown, unknown> {
  const typed: grpc.MethodDefinition<Req, Res> = {
    path: `/${where.protoService}/${where.method}`,
    requestStream: false,
    responseStream,
    requestSerialize: (value) => Buffer.from(spec.request.encode(value).finish()),
    requestDeserialize: (bytes) => spec.request.decode(bytes),
    responseSerialize: (value) => Buffer.from(spec.response.encode(value).finish()),
    responseDeserialize: (bytes) => spec.response.decode(bytes),
  };
  return typed as grpc.MethodDefinition<unknown, unknown>;
}

/** What the gate needs of a grpc-js call, unary or streaming. */
interface IncomingCall {
  readonly metadata: grpc.Metadata;
  readonly cancelled: boolean;
  getPeer(): string;
}

/** One call's passage through the gate, and its single log entry. */
class Attempt {
  private readonly at = Date.now();
  private logged = false;

  constructor(
    private readonly where: { gate: Gate; service: ServiceName; method: string },
    private readonly query: string | undefined,
  ) {}

  /**
   * Checks database and token, then applies the fault that strikes this call,
   * if any. 'unanswered': the connection was dropped, or the client left
   * during a delay, so the call must neither run nor answer.
   */
  async admit(spec: { open?: boolean }, call: IncomingCall): Promise<FiredFault | 'unanswered' | undefined> {
    const { gate, service, method } = this.where;
    const { metadata } = call;
    if (!spec.open) {
      const database = firstValue(metadata, 'x-ydb-database');
      // No header means the root database, which is the configured one.
      if (database !== undefined && database !== gate.database) throw GrpcFailure.unauthenticated('Unknown database');
      gate.access.check(firstValue(metadata, 'x-ydb-auth-ticket'));
    }
    const fault = gate.faults.take(service, method, this.query);
    if (!fault) return undefined;
    if (fault.delayMs > 0 || fault.holdUntil) {
      if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      await fault.holdUntil?.catch(() => undefined);
      if (call.cancelled) {
        this.record('grpc:CANCELLED');
        return 'unanswered';
      }
    }
    if (fault.dropConnection) {
      this.record('DROPPED');
      gate.dropConnection(call.getPeer());
      return 'unanswered';
    }
    return fault;
  }

  /** The answer a fault with a `status` gives instead of running the call. */
  injected(status: StatusName, message: string): YdbFailure {
    return this.failed(YdbFailure.of(status, message));
  }

  failed(err: unknown): YdbFailure {
    const failure = asYdbFailure(err);
    this.record(failure.status);
    return failure;
  }

  succeeded(): void {
    this.record('SUCCESS');
  }

  transportFailure(err: unknown): grpc.ServiceError {
    const failure = err instanceof GrpcFailure ? err : new GrpcFailure(grpc.status.INTERNAL, String(err));
    this.record(`grpc:${grpc.status[failure.code]}`);
    return Object.assign(new Error(failure.message), { code: failure.code, details: failure.message, metadata: new grpc.Metadata() });
  }

  private record(status: string): void {
    if (this.logged) return;
    this.logged = true;
    const { service, method, gate } = this.where;
    gate.log.push({ service, method, ...(this.query === undefined ? {} : { query: this.query }), status, at: this.at });
  }
}

function firstValue(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : value.toString();
}

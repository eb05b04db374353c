/**
 * What YDB last refused to the calls ydb-sdk makes on its own (discovery,
 * session creation), which the SDK retries out of our sight and, once our
 * retry time is up, never reports: so that a message can name the status
 * YDB gave instead of "timeout".
 */
/** ydb-sdk's module, as driver.ts loads it. */
type YdbSdk = typeof import('ydb-sdk');

/** The last refusal of one of the watched calls, by YDB or by the transport on the way. */
export interface Refusal {
  /** The RPC, e.g. `CreateSession`. */
  method: string;
  /** YDB's status name, e.g. `OVERLOADED`. */
  status: string;
  /** YDB's issues, joined; may be empty. */
  message: string;
  /** performance.now() when it came. */
  at: number;
}

/** ydb-sdk's channels carry raw bytes: each watched response decoded to its YDB status and issues. */
type Decode = (sdk: YdbSdk, bytes: Uint8Array) => { status?: number | null; issues?: { message?: string | null }[] | null } | null | undefined;

const WATCHED: Readonly<Record<string, Decode>> = {
  '/Ydb.Discovery.V1.DiscoveryService/ListEndpoints': (sdk, bytes) => sdk.Ydb.Discovery.ListEndpointsResponse.decode(bytes).operation,
  '/Ydb.Query.V1.QueryService/CreateSession': (sdk, bytes) => sdk.Ydb.Query.CreateSessionResponse.decode(bytes),
  '/Ydb.Table.V1.TableService/CreateSession': (sdk, bytes) => sdk.Ydb.Table.CreateSessionResponse.decode(bytes).operation,
  '/Ydb.Table.V1.TableService/DescribeTable': (sdk, bytes) => sdk.Ydb.Table.DescribeTableResponse.decode(bytes).operation,
  '/Ydb.Scheme.V1.SchemeService/ListDirectory': (sdk, bytes) => sdk.Ydb.Scheme.ListDirectoryResponse.decode(bytes).operation,
};
const SUCCESS = 400000;
/** gRPC's own failures, under the names ydb-sdk gives them (its TransportError classes). */
const TRANSPORT: Readonly<Record<number, string>> = { 1: 'CLIENT_CANCELED', 4: 'CLIENT_DEADLINE_EXCEEDED', 8: 'CLIENT_RESOURCE_EXHAUSTED', 14: 'TRANSPORT_UNAVAILABLE' };

/** The slice of grpc-js's CallProperties this reads: the method's path and the unary call's callback. */
interface CallProperties {
  methodDefinition: { path: string };
  callback?: (err: unknown, value?: unknown) => void;
}

export interface AnswerWatch {
  /** grpc client options for the SDK's Driver, which passes them to each of its gRPC clients. */
  readonly clientOptions: object;
  /** The last refusal seen since `since` (performance.now()), or null. */
  last(since?: number): Refusal | null;
}

export function watchAnswers(sdk: YdbSdk): AnswerWatch {
  let last: Refusal | null = null;
  const observe = (path: string, decode: Decode, err: unknown, value: unknown): void => {
    const method = path.slice(path.lastIndexOf('/') + 1);
    const failure = err as { code?: number; details?: string } | null;
    const transport = TRANSPORT[failure?.code ?? -1];
    if (transport) last = { method, status: transport, message: failure?.details ?? '', at: performance.now() };
    if (!(value instanceof Uint8Array)) return;
    try {
      const answer = decode(sdk, value);
      const status = answer?.status ?? SUCCESS;
      if (status === SUCCESS) return;
      last = { method, status: sdk.StatusCode[status] ?? String(status), message: (answer?.issues ?? []).map((i) => i.message ?? '').join('; '), at: performance.now() };
    } catch {
      // Not decodable: the SDK reports it on its own path.
    }
  };
  const callInvocationTransformer = (call: CallProperties): CallProperties => {
    const decode = WATCHED[call.methodDefinition.path];
    const callback = call.callback;
    if (!decode || !callback) return call;
    return { ...call, callback: (err, value) => (observe(call.methodDefinition.path, decode, err, value), callback(err, value)) };
  };
  return { clientOptions: { callInvocationTransformer }, last: (since = 0) => (last && last.at >= since ? last : null) };
}

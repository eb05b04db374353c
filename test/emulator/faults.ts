/**
 * Fault injection: make the Nth matching call fail, stall, lose its stream or
 * its connection, so tests can see how a client copes with a misbehaving YDB.
 */
import type { StatusName } from './engine/index.js';
import type { ServiceName } from './rpc-log.js';

export interface FaultSpec {
  /** RPC name as in the proto, e.g. `ExecuteQuery`, `CreateSession`. */
  method: string;
  /** Restrict to one service when a method name exists in several (CreateSession). */
  service?: ServiceName;
  /** Only calls whose query text matches count. */
  match?: RegExp;
  /** 1-based index of the first matching call that fails; default 1. */
  nth?: number;
  /** How many consecutive matching calls fail, from the nth on; default 1. */
  times?: number;
  /** Answer with this YDB status instead of running the call. */
  status?: StatusName;
  /** Issue text for `status`; default names the fault. */
  message?: string;
  /** Wait this long before handling the call (combines with the other effects). */
  delayMs?: number;
  /** Hold the call until this settles, then handle it (after delayMs; combines with the other effects): the test decides when it goes on. */
  holdUntil?: Promise<unknown>;
  /** Run the call, deliver only its first message, then fail the stream with gRPC UNAVAILABLE. */
  cutStream?: boolean;
  /** Close the client's connection instead of answering. */
  dropConnection?: boolean;
}

/** A fault that applies to the call at hand. */
export interface FiredFault {
  readonly status?: StatusName;
  readonly message: string;
  readonly delayMs: number;
  readonly holdUntil: Promise<unknown> | null;
  readonly cutStream: boolean;
  readonly dropConnection: boolean;
}

/** What `faults.add` returns: how often the fault has fired, and a way to withdraw it. */
export interface FaultHandle {
  readonly fired: number;
  remove(): void;
}

class ArmedFault implements FaultHandle {
  seen = 0;
  fired = 0;

  constructor(
    readonly spec: FaultSpec,
    private readonly owner: Faults,
  ) {}

  matches(service: ServiceName, method: string, query: string | undefined): boolean {
    if (this.spec.method !== method) return false;
    if (this.spec.service !== undefined && this.spec.service !== service) return false;
    if (this.spec.match === undefined) return true;
    this.spec.match.lastIndex = 0; // a /g regex must not carry state between calls
    return query !== undefined && this.spec.match.test(query);
  }

  /** Counts a matching call; true when this call is one the fault fails. */
  strikes(): boolean {
    this.seen += 1;
    const nth = this.spec.nth ?? 1;
    const times = this.spec.times ?? 1;
    if (this.seen < nth || this.fired >= times) return false;
    this.fired += 1;
    return true;
  }

  remove(): void {
    this.owner.remove(this);
  }
}

export class Faults {
  private armed: ArmedFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    validate(spec);
    const fault = new ArmedFault(spec, this);
    this.armed.push(fault);
    return fault;
  }

  clear(): void {
    this.armed = [];
  }

  remove(fault: FaultHandle): void {
    this.armed = this.armed.filter((f) => f !== fault);
  }

  /**
   * Called once per incoming call. Every matching fault counts the call; the
   * first (in order of `add`) that strikes decides what happens to it.
   */
  take(service: ServiceName, method: string, query: string | undefined): FiredFault | undefined {
    let chosen: ArmedFault | undefined;
    for (const fault of this.armed) {
      if (fault.matches(service, method, query) && fault.strikes()) chosen ??= fault;
    }
    if (!chosen) return undefined;
    const { spec } = chosen;
    return {
      ...(spec.status === undefined ? {} : { status: spec.status }),
      message: spec.message ?? `Fault injected by the emulator into ${method}`,
      delayMs: spec.delayMs ?? 0,
      holdUntil: spec.holdUntil ?? null,
      cutStream: spec.cutStream ?? false,
      dropConnection: spec.dropConnection ?? false,
    };
  }
}

function validate(spec: FaultSpec): void {
  if (!spec.method) throw new TypeError('faults.add: `method` is required, e.g. { method: "ExecuteQuery", status: "UNAVAILABLE" }');
  for (const key of ['nth', 'times'] as const) {
    const value = spec[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RangeError(`faults.add: \`${key}\` must be an integer >= 1, got ${value}`);
    }
  }
  if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) {
    throw new RangeError(`faults.add: \`delayMs\` must be >= 0, got ${spec.delayMs}`);
  }
  const hasEffect = spec.status !== undefined || spec.delayMs !== undefined || spec.holdUntil !== undefined || spec.cutStream || spec.dropConnection;
  if (!hasEffect) {
    throw new TypeError('faults.add: give at least one effect: status, delayMs, holdUntil, cutStream or dropConnection');
  }
  if (spec.status !== undefined && (spec.cutStream || spec.dropConnection)) {
    throw new TypeError('faults.add: `status` answers the call, so it cannot be combined with cutStream or dropConnection');
  }
}

/**
 * A bounded look at the endpoint before ydb-sdk is let near it: DNS, TCP,
 * TLS, HTTP/2, then one gRPC discovery call, each phase under one deadline,
 * every socket closed by us. It tells apart what the SDK reports as one
 * timeout (nothing listens, no such host, no answer, TLS on one side only,
 * not a gRPC or not a YDB endpoint, unknown database), and it keeps the SDK
 * from starting calls that can hang forever against a silent port.
 */
import { lookup } from 'node:dns/promises';
import { connect as http2Connect, constants as h2, type ClientHttp2Session } from 'node:http2';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ConnectionTarget } from './settings.js';

/** Why the endpoint cannot serve us: a code and the words for "what happened; what to check". */
export interface ProbeFailure {
  code: 'HOST_NOT_FOUND' | 'NOTHING_LISTENS' | 'NO_ANSWER' | 'TLS_MISMATCH' | 'TLS_UNTRUSTED' | 'NOT_YDB' | 'UNKNOWN_DATABASE' | 'NETWORK';
  reason: string;
}

export interface ProbeOptions {
  timeoutMs: number;
  /** TLS material for grpcs://: CA, client certificate and key. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
}

type Phase = 'dns' | 'tcp' | 'tls' | 'http2' | 'grpc';

const DISCOVERY_PATH = '/Ydb.Discovery.V1.DiscoveryService/ListEndpoints';
const GRPC_UNIMPLEMENTED = 12;

/** Resolves null when YDB's discovery service answered (whatever it said about credentials), else why not. */
export function probeEndpoint(target: ConnectionTarget, options: ProbeOptions): Promise<ProbeFailure | null> {
  const colon = target.endpoint.lastIndexOf(':');
  const host = target.endpoint.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(target.endpoint.slice(colon + 1));
  const seconds = options.timeoutMs / 1000;
  let phase: Phase = 'dns';
  let socket: Socket | null = null;
  let session: ClientHttp2Session | null = null;

  return new Promise<ProbeFailure | null>((resolve) => {
    let settled = false;
    const finish = (outcome: ProbeFailure | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session?.destroy();
      socket?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(silent(phase, host, seconds, target.secure)), options.timeoutMs);
    const fail = (err: NodeJS.ErrnoException): void => finish(classify(err, phase, host, port, target.secure));

    lookup(host)
      .then(() => {
        if (settled) return;
        phase = 'tcp';
        socket = tcpConnect({ host, port });
        socket.once('error', fail);
        socket.once('connect', () => (target.secure ? startTls() : startHttp2(socket!)));
      })
      .catch(fail);

    const startTls = (): void => {
      phase = 'tls';
      const secure: TLSSocket = tlsConnect({ socket: socket!, servername: isIp(host) ? undefined : host, ALPNProtocols: ['h2'], ...options.tls });
      socket = secure;
      secure.once('error', fail);
      secure.once('secureConnect', () => {
        if (secure.alpnProtocol !== 'h2') {
          finish({ code: 'NOT_YDB', reason: `${where(host, port)} speaks TLS but not HTTP/2 (it offered ${secure.alpnProtocol || 'no protocol'}), so it is a web server, not YDB's gRPC port; check the port (YDB listens on 2135 for grpcs:// and 2136 for grpc:// by default)` });
        } else {
          startHttp2(secure);
        }
      });
    };

    const startHttp2 = (transport: Socket): void => {
      phase = 'http2';
      transport.removeAllListeners('error');
      session = http2Connect(`${target.secure ? 'https' : 'http'}://${target.endpoint}`, { createConnection: () => transport });
      session.once('error', fail);
      session.once('close', () => finish(closedEarly(phase, host, port, target.secure)));
      session.once('remoteSettings', () => discover(session!));
    };

    const discover = (h2session: ClientHttp2Session): void => {
      phase = 'grpc';
      const request = h2session.request({
        [h2.HTTP2_HEADER_METHOD]: 'POST',
        [h2.HTTP2_HEADER_PATH]: DISCOVERY_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
        'x-ydb-database': target.database,
      });
      request.on('error', fail);
      let headers: Record<string, unknown> = {};
      request.on('response', (h) => {
        headers = h;
        if (h[':status'] !== 200 || !String(h['content-type'] ?? '').startsWith('application/grpc')) {
          finish({ code: 'NOT_YDB', reason: `${where(host, port)} is an HTTP/2 server but not a gRPC one (HTTP status ${String(h[':status'])}); check the port (YDB's gRPC port is 2135 or 2136 by default)` });
        } else if (h['grpc-status'] !== undefined) {
          finish(grpcOutcome(h, host, port, target.database));
        }
      });
      request.on('trailers', (trailers) => finish(grpcOutcome({ ...headers, ...trailers }, host, port, target.database)));
      request.on('data', () => undefined);
      request.on('end', () => finish(null));
      request.end(grpcFrame(listEndpointsRequest(target.database)));
    };
  });
}

function grpcOutcome(h: Record<string, unknown>, host: string, port: number, database: string): ProbeFailure | null {
  const status = Number(h['grpc-status'] ?? 0);
  const message = decodeURIComponent(String(h['grpc-message'] ?? ''));
  if (status === GRPC_UNIMPLEMENTED) {
    return { code: 'NOT_YDB', reason: `${where(host, port)} is a gRPC server without YDB's discovery service (UNIMPLEMENTED), so it is not YDB; check the host and port` };
  }
  if (isUnknownDatabase(message)) return unknownDatabase(database, message);
  return null;
}

export function isUnknownDatabase(message: string): boolean {
  return /unknown database|database .*(not found|does not exist|not exist)/i.test(message);
}

export function unknownDatabase(database: string, said: string): ProbeFailure {
  return { code: 'UNKNOWN_DATABASE', reason: `YDB answered but does not know the database ${database} (${said}); check -d / the path after the port (the local-ydb image serves /local)` };
}

/** What it means that the deadline passed in each phase. */
function silent(phase: Phase, host: string, seconds: number, secure: boolean): ProbeFailure {
  switch (phase) {
    case 'dns':
      return { code: 'HOST_NOT_FOUND', reason: `the name ${host} did not resolve within ${seconds} s; check the host name and your DNS` };
    case 'tcp':
      return { code: 'NO_ANSWER', reason: `no answer from ${host} within ${seconds} s (the connection was neither accepted nor refused: a firewall dropping packets, or a host that is down); check the host, the port and the network path` };
    case 'tls':
      return { code: 'TLS_MISMATCH', reason: `the port accepted the connection but did not complete a TLS handshake within ${seconds} s; if it serves plain gRPC, write grpc:// instead of grpcs://` };
    default:
      return { code: 'NO_ANSWER', reason: `the port accepted the connection but did not answer${phase === 'grpc' ? ' the discovery call' : ' as an HTTP/2 (gRPC) server'} within ${seconds} s, so it is not a working YDB endpoint${secure ? '' : '; if it serves TLS, write grpcs://'}; check the port, or raise --connect-timeout if YDB is just slow` };
  }
}

function classify(err: NodeJS.ErrnoException, phase: Phase, host: string, port: number, secure: boolean): ProbeFailure {
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { code: 'HOST_NOT_FOUND', reason: `host ${host} not found (${code}); check the host name in the endpoint` };
  }
  if (code === 'ECONNREFUSED') {
    const local = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(host);
    return {
      code: 'NOTHING_LISTENS',
      reason: `nothing listens on ${where(host, port)} (connection refused); check the port${local ? ". No YDB on this machine? `make emulator` starts the test emulator (not a real YDB) and prints the connection string to use; `make ydb` starts a real one in Docker" : ' and that YDB runs there'}`,
    };
  }
  if (phase === 'tls') {
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code) || /certificate/i.test(err.message)) {
      return { code: 'TLS_UNTRUSTED', reason: `the TLS certificate of ${where(host, port)} is not trusted (${code || err.message}); point YDB_SSL_ROOT_CERTIFICATES_FILE (or the profile's ca-file) at the CA that signed it` };
    }
    return { code: 'TLS_MISMATCH', reason: `${where(host, port)} does not speak TLS (${code || err.message}); if it serves plain gRPC, write grpc:// instead of grpcs://` };
  }
  if (phase === 'http2') return closedEarly(phase, host, port, secure);
  return { code: 'NETWORK', reason: `the connection to ${where(host, port)} failed: ${code || err.message}; check the network path` };
}

function closedEarly(phase: Phase, host: string, port: number, secure: boolean): ProbeFailure {
  if (phase !== 'http2') return { code: 'NETWORK', reason: `${where(host, port)} closed the connection during the discovery call; check that it is YDB` };
  return {
    code: 'NOT_YDB',
    reason: `${where(host, port)} accepted the connection but does not speak HTTP/2 (gRPC): it may be a web server or another service${secure ? '' : ', or a TLS port (then write grpcs:// instead of grpc://)'}; check the port (YDB's gRPC port is 2136 for grpc:// and 2135 for grpcs:// by default)`,
  };
}

function where(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** Ydb.Discovery.ListEndpointsRequest { database = 1 }, protobuf-encoded. */
function listEndpointsRequest(database: string): Buffer {
  const bytes = Buffer.from(database, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), varint(bytes.length), bytes]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A gRPC message frame: uncompressed flag, 4-byte big-endian length, the message. */
function grpcFrame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

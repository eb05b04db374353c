/**
 * Watch reverts migrations whenever files change, so by default it runs only
 * against a YDB on this machine: an endpoint whose host resolves to loopback
 * addresses only.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { MigrateError, type ErrorCode } from '../errors.js';
import type { ConnectionTarget } from './settings.js';

/** Resolves a host name to its addresses, as `dns.lookup(host, { all: true })` does. */
export type HostLookup = (host: string) => Promise<string[]>;

const systemLookup: HostLookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) !== 6 || address.includes('%')) return false;
  // The URL parser writes IPv6 in its shortest form: ::1, and ::ffff:7fxx:xxxx for a mapped 127.x.y.z.
  const canonical = new URL(`http://[${address}]`).hostname;
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}

/** Why a command needs a local YDB: the start of its refusal. */
const WATCH_REASON = 'watch reverts and re-applies migrations whenever files change, so it only runs';

/** Throws WATCH_REMOTE_REFUSED (or `code`) unless `target` is on this machine or `allowRemote` is set. */
export async function requireLocalEndpoint(
  target: ConnectionTarget,
  allowRemote: boolean,
  resolveHost: HostLookup = systemLookup,
  { code, reason }: { code: ErrorCode; reason: string } = { code: 'WATCH_REMOTE_REFUSED', reason: WATCH_REASON },
): Promise<void> {
  if (allowRemote) return;
  const why = await notLocalReason(target, resolveHost);
  if (why === null) return;
  throw new MigrateError(
    code,
    `${reason} against a YDB on this machine, and ${target.display} ${why}; point -c at a local YDB (e.g. grpc://localhost:2136/local), or pass --allow-remote if this database is yours to break`,
  );
}

/** null when `target`'s host resolves to loopback addresses only; else why it does not count as on this machine. */
export async function notLocalReason(target: ConnectionTarget, resolveHost: HostLookup = systemLookup): Promise<string | null> {
  const host = new URL(`grpc://${target.endpoint}`).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch (err) {
    return `cannot be checked: its host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  const remote = addresses.filter((a) => !isLoopbackAddress(a));
  if (addresses.length === 0 || remote.length > 0) {
    const shown = remote.length > 0 ? remote : addresses;
    // An address given as the host resolves to itself: "its host 192.0.2.2 is 192.0.2.2" says nothing.
    return shown.length === 1 && shown[0] === host ? `is not: ${host} is not a loopback address` : `is not: its host ${host} is ${shown.join(', ') || 'no address'}`;
  }
  return null;
}

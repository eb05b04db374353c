import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../lib/errors.js';
import { isLoopbackAddress, requireLocalEndpoint, type HostLookup } from '../../lib/ydb/local-endpoint.js';
import { parseConnectionString } from '../../lib/ydb/driver.js';

const target = (cs: string) => parseConnectionString(cs);
const resolvesTo = (...addresses: string[]): HostLookup => async () => addresses;

test('loopback addresses: 127.0.0.0/8, ::1 in any spelling, and IPv4 loopback mapped into IPv6', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ['10.0.0.1', '192.168.1.2', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'fe80::1', 'fe80::1%lo', '::', 'localhost', '']) assert.equal(isLoopbackAddress(a), false, a);
});

test('a host on this machine passes: names and literal addresses', async () => {
  await requireLocalEndpoint(target('grpc://localhost:2136/local'), false, resolvesTo('::1', '127.0.0.1'));
  await requireLocalEndpoint(target('grpc://127.0.0.1:2136/local'), false);
  await requireLocalEndpoint(target('grpc://[::1]:2136/local'), false);
});

test('a remote host is refused, naming it and --allow-remote', async () => {
  await assert.rejects(requireLocalEndpoint(target('grpc://db.example.com:2136/prod'), false, resolvesTo('10.0.0.5')), (err: MigrateError) => {
    assert.equal(err.code, 'WATCH_REMOTE_REFUSED');
    assert.equal(err.kind, 'input');
    assert.match(err.message, /grpc:\/\/db\.example\.com:2136\/prod is not: its host db\.example\.com is 10\.0\.0\.5/);
    assert.match(err.message, /--allow-remote/);
    return true;
  });
  await assert.rejects(requireLocalEndpoint(target('grpcs://192.0.2.10:2135/local'), false), /is not: 192\.0\.2\.10 is not a loopback address/);
});

test('a name that resolves to loopback and elsewhere is refused: the driver may pick either', async () => {
  await assert.rejects(requireLocalEndpoint(target('grpc://dev:2136/local'), false, resolvesTo('127.0.0.1', '10.1.1.1')), /its host dev is 10\.1\.1\.1/);
});

test('a host that does not resolve is refused: it cannot be checked', async () => {
  const fails: HostLookup = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere'), { code: 'ENOTFOUND' });
  };
  await assert.rejects(requireLocalEndpoint(target('grpc://nowhere:2136/local'), false, fails), /cannot be checked: its host nowhere does not resolve \(ENOTFOUND\)/);
});

test('--allow-remote lets any host through without looking it up', async () => {
  let looked = false;
  await requireLocalEndpoint(target('grpc://db.example.com:2136/prod'), true, async () => {
    looked = true;
    return ['10.0.0.5'];
  });
  assert.equal(looked, false);
});

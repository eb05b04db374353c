/**
 * The emulator's runner over the conformance corpus: every case goes through
 * the real ydb-sdk to an emulator playing the server the case names (one
 * emulator per profile, every table dropped between cases), and the emulator
 * must answer YDB's outcome — or refuse honestly with "... is not supported by
 * the test emulator". Accepting what YDB refuses is always a failure.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { NEWEST_KNOWN_VERSION } from '../emulator/engine/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { connect, execute, failureOf, ONE_SHOT_TX, RawClient, runScript, type Driver, type Failure } from '../emulator/conformance/support.js';
import { Ydb } from '../emulator/ydb-proto.js';
import type { YdbCase } from './case.js';
import { loadCorpus } from './corpus.js';

const NOT_SUPPORTED = /is not supported by the (ydb-migrate )?test emulator/;
const SUCCESS = Ydb.StatusIds.StatusCode.SUCCESS;

interface Server {
  ydb: Emulator;
  driver: Driver;
  raw: RawClient;
}

/** What the server answered: success, or a status and its issues. */
type Outcome = { ok: true } | ({ ok: false; statusName: string } & Failure);

function statusName(status: number): string {
  return Ydb.StatusIds.StatusCode[status] ?? `status ${status}`;
}

async function send(server: Server, service: YdbCase['service'], yql: string): Promise<Outcome> {
  if (service === 'scripting') {
    const outcome = await runScript(server.raw, yql);
    return outcome.status === SUCCESS ? { ok: true } : { ok: false, statusName: statusName(outcome.status), ...outcome };
  }
  const work = execute(server.driver, yql, service === 'dml' ? { txControl: ONE_SHOT_TX } : {});
  try {
    await work;
    return { ok: true };
  } catch {
    const failure = await failureOf(work);
    return { ok: false, statusName: statusName(failure.status), ...failure };
  }
}

/** The profile key a case runs under; cases sharing it share one emulator. */
function profileKey(c: YdbCase): string {
  return `${c.ydb?.version ?? NEWEST_KNOWN_VERSION}${c.ydb?.uniqueIndexOnExistingTable ? '+unique' : ''}`;
}


const servers = new Map<string, Promise<Server>>();
function serverFor(c: YdbCase): Promise<Server> {
  const key = profileKey(c);
  let server = servers.get(key);
  if (!server) {
    server = (async () => {
      const ydb = await startEmulator({ ydbVersion: c.ydb?.version ?? NEWEST_KNOWN_VERSION, uniqueIndexOnExistingTable: c.ydb?.uniqueIndexOnExistingTable ?? false });
      return { ydb, driver: await connect(ydb), raw: new RawClient(ydb) };
    })();
    servers.set(key, server);
  }
  return server;
}

/** Drops every table a case left, so the next case starts from an empty database. */
function dropAll(ydb: Emulator): void {
  for (const path of ydb.engine.listTables()) {
    ydb.engine.execute({ text: `DROP TABLE \`${ydb.database}/${path}\`;`, params: {}, mode: 'scheme' });
  }
}

type Verdict = 'agree' | 'not-supported';

/** Throws (an assertion) when the emulator's outcome contradicts YDB's. */
function judge(c: YdbCase, got: Outcome): Verdict {
  const { expect } = c;
  if (!got.ok && NOT_SUPPORTED.test(got.text)) return 'not-supported';
  if (expect.ok) {
    assert.ok(got.ok, `YDB accepts this; the emulator refused it with ${got.ok ? '' : `${got.statusName}: ${got.text}`}`);
    return 'agree';
  }
  assert.ok(!got.ok, `YDB refuses this with ${expect.status}${expect.text ? ` "${expect.text}"` : ''}; the emulator accepted it`);
  assert.equal(got.statusName, expect.status, `status differs; the emulator said:\n${got.text}`);
  if (expect.text) assert.ok(got.text.includes(expect.text), `no issue contains "${expect.text}"; the emulator said:\n${got.text}`);
  if (expect.issueCode !== undefined) {
    assert.ok(got.issues.some((i) => i.issueCode === expect.issueCode), `no issue has code ${expect.issueCode}; the emulator said:\n${got.text}`);
  }
  return 'agree';
}

const corpus = await loadCorpus();
const figures = { cases: 0, agree: 0, notSupported: 0, failed: 0, bySource: new Map<string, { cases: number; agree: number; notSupported: number }>() };

describe('the emulator answers YDB\'s outcome for every corpus case', () => {
  after(async () => {
    for (const server of servers.values()) {
      const { ydb, driver, raw } = await server;
      raw.close();
      await driver.destroy();
      await ydb.stop();
    }
    const bySource = [...figures.bySource].map(([file, f]) => `${file}: ${f.cases} cases, ${f.agree} agree, ${f.notSupported} not supported`).join('; ');
    console.log(`emulator conformance: ${figures.cases} cases, ${figures.agree} agree, ${figures.notSupported} not supported by the emulator, ${figures.failed} disagree (${bySource})`);
  });

  for (const c of corpus) {
    test(c.id, async () => {
      const server = await serverFor(c);
      dropAll(server.ydb);
      const source = c.source.file.split('/').at(-1)!;
      const counts = figures.bySource.get(source) ?? { cases: 0, agree: 0, notSupported: 0 };
      figures.bySource.set(source, counts);
      figures.cases++;
      counts.cases++;
      let verdict: Verdict | undefined;
      for (const step of c.setup ?? []) {
        const outcome = await send(server, c.service === 'dml' ? 'query' : c.service, step);
        if (!outcome.ok && NOT_SUPPORTED.test(outcome.text)) verdict = 'not-supported';
        else assert.ok(outcome.ok, `setup failed: ${step}\n${outcome.ok ? '' : outcome.text}`);
        if (verdict) break;
      }
      try {
        verdict ??= judge(c, await send(server, c.service, c.yql));
        if (verdict === 'agree') {
          figures.agree++;
          counts.agree++;
        } else {
          figures.notSupported++;
          counts.notSupported++;
        }
      } catch (err) {
        figures.failed++;
        throw err;
      }
    });
  }

  test('the corpus holds at least 250 cases', () => {
    assert.ok(corpus.length >= 250, `only ${corpus.length} cases`);
  });
});

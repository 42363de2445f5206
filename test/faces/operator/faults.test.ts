import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { cccClient } from '../../helpers/ccc.js';
import { makeSandboxApp, op } from './helpers.js';
import { call } from '../rackspace/helpers.js';
import { MimecastClient, type MimecastTransport } from '../../../src/client/mimecast.js';
import { injectRequest, type InjectedResponse } from '../../helpers/transport.js';
import { disableAccount } from '../../../src/domain/suspension.js';
import { toResponseStatus } from '../../../src/faces/ccc/errors.js';
import { tallyStatements } from '../../../src/store/tally.js';
import { seededDraw } from '../../../src/operator/fault-injector.js';

/** Everything a client sees of an answer but the request's own id and the time of day. */
function wire(res: { status: number; headers: Record<string, string>; body: string }) {
  const { 'x-request-id': _id, date: _date, ...headers } = res.headers;
  return { status: res.status, headers, body: res.body };
}

/** A Mimecast client whose answers are kept raw, to compare byte for byte. */
function rawMimecast(t: TestApp, credentials: Fixture['reader']['mimecast'], seen: InjectedResponse[]): MimecastClient {
  const transport: MimecastTransport = async (req) => {
    const res = await injectRequest(t.app, { ...req, url: new URL(req.url).pathname });
    seen.push(res);
    return { status: res.status, headers: res.headers, text: res.body };
  };
  return new MimecastClient({ baseUrl: 'http://partnerhub.test', credentials, transport, now: () => t.clock.now() });
}

for (const kind of STORE_KINDS) {
  describe(`sandbox faults on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeSandboxApp(kind, { rackspaceReadsPerMinute: 1, mimecastRateLimit: 1, mimecastRateWindowMs: 60_000 });
      fx = await buildFixture(t.app.domain);
    });
    after(async () => t?.close());
    beforeEach(async () => {
      assert.equal((await op(t, 'DELETE', '/faults')).status, 200);
      t.clock.advance(10 * 60_000);
    });

    it('Rackspace: a throttle rule answers exactly as the real throttling does (403 "Exceeded request limits"), JSON and XML', async () => {
      for (const format of ['json', 'xml'] as const) {
        t.clock.advance(2 * 60_000);
        const get = (who: typeof fx.resellerAdminA, guid: number | string) => call(t, who, { method: 'GET', path: `/v1/customers/${guid}`, format });
        assert.equal((await get(fx.resellerAdminA, fx.a1.accountNumber)).status, 200);
        const real = await get(fx.resellerAdminA, fx.a1.accountNumber);
        assert.equal(real.status, 403);
        assert.match(real.body, /Exceeded request limits/);

        const rule = await op(t, 'POST', '/faults', { face: 'rackspace', method: 'GET', path: '/v1/customers/:accountNumber', principal: fx.resellerAdminB.principal.email, action: { kind: 'throttle' }, times: 1 });
        assert.equal(rule.status, 201, JSON.stringify(rule.body));
        const faulted = await get(fx.resellerAdminB, fx.b1.accountNumber);
        assert.deepEqual(wire(faulted as any), wire(real as any), format);
        // Used up: the rule stays listed with nothing remaining.
        assert.equal((await op(t, 'GET', '/faults')).body[0].remaining, 0);
      }
    });

    it('Mimecast: a throttle rule answers exactly as the real rate limit does (429 with X-RateLimit-*)', async () => {
      const seen: InjectedResponse[] = [];
      const provisioning = rawMimecast(t, fx.provisioning.mimecast, seen);
      assert.equal((await provisioning.getAccount()).status, 200);
      assert.equal((await provisioning.getAccount()).status, 429);
      const real = seen.at(-1)!;
      assert.equal(real.headers['x-ratelimit-remaining'], '0');

      await op(t, 'POST', '/faults', { face: 'mimecast', path: '/api/account/get-account', principal: fx.reader.principal.guid, action: { kind: 'throttle' } });
      assert.equal((await rawMimecast(t, fx.reader.mimecast, seen).getAccount()).status, 429);
      assert.deepEqual(wire(seen.at(-1)!), wire(real));
    });

    it('CCC: a throttle rule answers as the face answers the domain’s own limit (429 TooManyRequests); a 503 in ResponseStatus', async () => {
      await disableAccount(t.app.domain, fx.resellerAdminA.actor, fx.a2.guid);
      const refusal = await disableAccount(t.app.domain, fx.resellerAdminA.actor, fx.a2.guid).then(
        () => assert.fail('the second disable within 5 minutes must be refused'),
        (e: unknown) => e,
      );
      const expected = toResponseStatus(refusal, {} as any);
      assert.equal(expected.status, 429);

      await op(t, 'POST', '/faults', { face: 'ccc', method: 'GET', action: { kind: 'throttle' }, times: 1 });
      const client = cccClient(t.app, fx.reader.ccc.apiKey);
      const faulted = await client.request('GET', `/api/services/${fx.a1.guid}`);
      assert.equal(faulted.status, 429);
      assert.deepEqual(JSON.parse(faulted.body), { responseStatus: expected.responseStatus });
      assert.equal((await client.request('GET', `/api/services/${fx.a1.guid}`)).status, 200, 'times: 1 fails one request only');

      await op(t, 'POST', '/faults', { face: 'ccc', action: { kind: 'error', status: 503 } });
      const unavailable = await client.request('GET', `/api/services/${fx.a1.guid}`);
      assert.equal(unavailable.status, 503);
      assert.deepEqual(JSON.parse(unavailable.body), { responseStatus: { errorCode: 'ServiceUnavailable', message: 'Service Unavailable', errors: [] } });
    });

    it('matches by principal, method and path: other requests pass; listed, removed one by one', async () => {
      const added = await op(t, 'POST', '/faults', { path: '/api/services/*', method: 'DELETE', action: { kind: 'error', status: 500, message: 'boom' } });
      const byPrincipal = await op(t, 'POST', '/faults', { principal: fx.resellerAdminB.principal.guid, action: { kind: 'error', status: 502 } });
      const reader = cccClient(t.app, fx.reader.ccc.apiKey);
      assert.equal((await reader.request('GET', `/api/services/${fx.a1.guid}`)).status, 200, 'GET is not DELETE; the reader is not reseller B');
      assert.equal((await cccClient(t.app, fx.resellerAdminB.ccc.apiKey).request('GET', `/api/services/${fx.b1.guid}`)).status, 502);
      assert.equal((await op(t, 'GET', '/faults')).body.length, 2);
      assert.equal((await op(t, 'DELETE', `/faults/${byPrincipal.body.guid}`)).status, 204);
      assert.equal((await cccClient(t.app, fx.resellerAdminB.ccc.apiKey).request('GET', `/api/services/${fx.b1.guid}`)).status, 200);
      assert.deepEqual((await op(t, 'GET', '/faults')).body.map((r: { guid: string }) => r.guid), [added.body.guid]);
      assert.equal((await op(t, 'DELETE', `/faults/${byPrincipal.body.guid}`)).status, 404);
    });

    it('a probability under a seed fails the same requests every run', async () => {
      const run = async () => {
        await op(t, 'DELETE', '/faults');
        await op(t, 'POST', '/faults', { face: 'ccc', probability: 0.5, seed: 'repeatable', action: { kind: 'error', status: 503 } });
        const client = cccClient(t.app, fx.reader.ccc.apiKey);
        const statuses: number[] = [];
        for (let i = 0; i < 16; i++) statuses.push((await client.request('GET', `/api/services/${fx.a1.guid}`)).status);
        return statuses;
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      const expected = Array.from({ length: 16 }, (_, n) => (seededDraw('repeatable', n) < 0.5 ? 503 : 200));
      assert.deepEqual(first, expected);
      assert.ok(first.includes(503) && first.includes(200), first.join(' '));
    });

    it('with no rule, a request reads nothing more than without the sandbox', async () => {
      const client = cccClient(t.app, fx.reader.ccc.apiKey);
      // The earlier tests' rule changes reach the cache late on PostgreSQL: let them land first.
      await t.ts.store.changes.settled();
      await client.request('GET', `/api/services/${fx.a1.guid}`);
      const { tally } = await tallyStatements(() => client.request('GET', `/api/services/${fx.a1.guid}`));
      assert.ok(!tally.sql.some((s) => /fault_rules/.test(s)), tally.sql.join('\n'));
      // A rule added, then cleared: the cache is told, and the next request reads the (empty) rules once.
      await op(t, 'POST', '/faults', { face: 'mimecast', action: { kind: 'drop' } });
      await op(t, 'DELETE', '/faults');
      // PostgreSQL also announces both writes through the store, late: let them land before counting.
      await t.ts.store.changes.settled();
      const reread = await tallyStatements(() => client.request('GET', `/api/services/${fx.a1.guid}`));
      assert.equal(reread.tally.sql.filter((s) => /fault_rules/.test(s)).length, 1);
      const after = await tallyStatements(() => client.request('GET', `/api/services/${fx.a1.guid}`));
      assert.equal(after.tally.sql.filter((s) => /fault_rules/.test(s)).length, 0);
    });

    it('latency delays the answer but answers normally', async () => {
      await op(t, 'POST', '/faults', { face: 'ccc', action: { kind: 'latency', ms: 1 } });
      assert.equal((await cccClient(t.app, fx.reader.ccc.apiKey).request('GET', `/api/services/${fx.a1.guid}`)).status, 200);
    });

    it('a dropped connection: the client sees the socket close without an answer, and the handler does not run', async () => {
      await op(t, 'POST', '/faults', { face: 'ccc', method: 'DELETE', action: { kind: 'drop' } });
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = t.app.server.address() as AddressInfo;
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}/api/services/${fx.a1.guid}`, { method: 'DELETE', headers: { authorization: `Bearer ${fx.provisioning.ccc.apiKey}` } }),
        (e: Error) => e instanceof TypeError,
      );
      const still = await cccClient(t.app, fx.reader.ccc.apiKey).request('GET', `/api/services/${fx.a1.guid}`);
      assert.equal(still.status, 200, 'the account was not deleted');
    });
  });
}

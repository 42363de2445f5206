import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import type { TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { makeSandboxApp, makeSecondInstance, op, type Instance } from './helpers.js';
import { call, UNTHROTTLED } from '../rackspace/helpers.js';
import { deliverWebhooks } from '../../../src/domain/webhook-delivery.js';
import { verifyWebhook, WebhookVerificationError } from '../../../src/client/webhooks.js';
import { wallTime } from '../../../src/domain/clock.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1: answers with the next status of its script (200 when the script is done), or not at all. */
class Receiver {
  readonly got: Received[] = [];
  script: number[] = [];
  hang = false;
  readonly hanging: ServerResponse[] = [];
  #arrived: (() => void) | null = null;
  readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.got.push({ headers: req.headers, body });
      this.#arrived?.();
      if (this.hang) return void this.hanging.push(res);
      res.writeHead(this.script.shift() ?? 200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  arrival(): Promise<void> {
    return new Promise((r) => (this.#arrived = r));
  }
  events(secret: string, now: number): { id: string; type: string; accountGuid: string; data: Record<string, unknown> }[] {
    return this.got.map((g) => verifyWebhook({ body: g.body, signature: g.headers['partnerhub-signature'], secret, now }));
  }
  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

for (const kind of STORE_KINDS) {
  describe(`webhooks on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let receiver: Receiver;
    let secret: string;
    let subscription: string;
    const now = () => wallTime(t.app.domain.clock).getTime();
    const deliver = () => deliverWebhooks(t.app.domain, { timeoutMs: 60_000 });

    before(async () => {
      t = await makeSandboxApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.app.domain);
      receiver = new Receiver();
      await receiver.start();
    });
    after(async () => {
      await receiver?.stop();
      await t?.close();
    });
    beforeEach(async () => {
      for (const s of (await op(t, 'GET', '/webhooks')).body) await op(t, 'DELETE', `/webhooks/${s.guid}`);
      const created = await op(t, 'POST', '/webhooks', { principal: fx.resellerAdminA.principal.email, url: receiver.url });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ({ secret, guid: subscription } = created.body);
      receiver.got.length = 0;
      receiver.script = [];
      receiver.hang = false;
      t.clock.advance(10 * 60_000);
    });

    it('a local receiver gets signed events of the subscriber’s subtree, in order', async () => {
      const created = await call(t, fx.resellerAdminA, { method: 'POST', path: '/v1/customers', fields: { name: 'Hooked Customer' } });
      assert.ok(created.status < 300, created.body);
      assert.equal((await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a1.accountNumber}`, fields: { city: 'Paris' } })).status, 200);
      assert.equal((await call(t, fx.resellerAdminA, { method: 'POST', path: `/v1/customers/${fx.a1.accountNumber}/disable` })).status, 200);
      // Reseller B's customer is outside the subscriber's subtree.
      assert.equal((await call(t, fx.resellerAdminB, { method: 'PUT', path: `/v1/customers/${fx.b1.accountNumber}`, fields: { city: 'Lyon' } })).status, 200);

      const run = await deliver();
      assert.deepEqual(run, { ran: true, delivered: 3, retrying: 0, failed: 0 });
      const events = receiver.events(secret, now());
      assert.deepEqual(events.map((e) => e.type), ['account.created', 'account.updated', 'account.status_changed']);
      assert.equal(events[2].accountGuid, fx.a1.guid);
      assert.deepEqual([events[2].data.oldStatus, events[2].data.newStatus], [fx.a1.status, 'AccountSuspended']);
      assert.equal((events[2] as unknown as { actor: { email: string } }).actor.email, fx.resellerAdminA.principal.email);
      assert.ok(events.every((e) => e.accountGuid !== fx.b1.guid));
      assert.throws(() => verifyWebhook({ body: receiver.got[0].body, signature: receiver.got[0].headers['partnerhub-signature'], secret: 'whsec_wrong', now: now() }), WebhookVerificationError);
      assert.throws(() => verifyWebhook({ body: receiver.got[0].body.replace('Hooked', 'Hacked'), signature: receiver.got[0].headers['partnerhub-signature'], secret, now: now() }), WebhookVerificationError);
      assert.deepEqual(await deliver(), { ran: true, delivered: 0, retrying: 0, failed: 0 }, 'each once');
    });

    it('fails twice then succeeds: retried with backoff in business time, later events of the account wait, every attempt logged; replay', async () => {
      receiver.script = [500, 503];
      await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a2.accountNumber}`, fields: { city: 'Rome' } });
      assert.deepEqual(await deliver(), { ran: true, delivered: 0, retrying: 1, failed: 0 });
      await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a2.accountNumber}`, fields: { city: 'Oslo' } });
      assert.deepEqual(await deliver(), { ran: true, delivered: 0, retrying: 0, failed: 0 }, 'not due yet, and the second waits behind the first');
      t.clock.advance(30_000);
      assert.deepEqual(await deliver(), { ran: true, delivered: 0, retrying: 1, failed: 0 });
      t.clock.advance(59_000);
      assert.equal((await deliver()).retrying + (await deliver()).delivered, 0, 'the second backoff is a minute');
      t.clock.advance(1_000);
      assert.deepEqual(await deliver(), { ran: true, delivered: 2, retrying: 0, failed: 0 });
      const events = receiver.events(secret, now());
      assert.equal(events.length, 4);
      assert.deepEqual(events.map((e) => (e.data.after as { city: string }).city), ['Rome', 'Rome', 'Rome', 'Oslo']);
      assert.equal(new Set(events.slice(0, 3).map((e) => e.id)).size, 1, 'the same event, retried');

      const log = (await op(t, 'GET', `/webhooks/deliveries?subscription=${subscription}`)).body;
      assert.equal(log.length, 2);
      const first = log[1];
      assert.equal(first.state, 'delivered');
      assert.deepEqual(first.log.map((a: { status: number }) => a.status), [500, 503, 200]);
      assert.equal(first.log[2].responseBody, 'thanks');

      const replay = await op(t, 'POST', `/webhooks/deliveries/${first.guid}/replay`);
      assert.equal(replay.status, 201);
      assert.deepEqual(await deliver(), { ran: true, delivered: 1, retrying: 0, failed: 0 });
      const again = receiver.got.at(-1)!;
      assert.equal(verifyWebhook<{ id: string }>({ body: again.body, signature: again.headers['partnerhub-signature'], secret, now: now() }).id, events[0].id);
      assert.equal(again.headers['partnerhub-delivery-id'], replay.body.guid);
    });

    it('gives up after a day of failures and moves on', async () => {
      receiver.script = Array(40).fill(500);
      await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a2.accountNumber}`, fields: { city: 'Kyiv' } });
      let failed = 0;
      for (let i = 0; i < 40 && !failed; i++) {
        failed = (await deliver()).failed;
        t.clock.advance(2 * 60 * 60_000);
      }
      assert.equal(failed, 1);
      const [d] = (await op(t, 'GET', `/webhooks/deliveries?subscription=${subscription}`)).body;
      assert.equal(d.state, 'failed');
      assert.ok(d.attempts > 5 && d.attempts < 30, String(d.attempts));
    });

    it('two app instances deliver each event once', async () => {
      const other: Instance = await makeSecondInstance(t);
      try {
        for (const city of ['A', 'B', 'C', 'D', 'E']) await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a1.accountNumber}`, fields: { city } });
        for (let i = 0; i < 3; i++) await Promise.all([deliverWebhooks(t.app.domain), deliverWebhooks(other.app.domain), deliverWebhooks(t.app.domain)]);
        const ids = receiver.events(secret, now()).map((e) => e.id);
        assert.equal(ids.length, 5);
        assert.equal(new Set(ids).size, 5);
      } finally {
        await other.close();
      }
    });

    it('a receiver that never answers does not block requests', async () => {
      receiver.hang = true;
      await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a1.accountNumber}`, fields: { city: 'Nowhere' } });
      const arrived = receiver.arrival();
      const delivering = deliverWebhooks(t.app.domain, { timeoutMs: 120_000 });
      await arrived;
      // The delivery is waiting for an answer: requests, including changes that write events, go on.
      const edit = await call(t, fx.resellerAdminA, { method: 'PUT', path: `/v1/customers/${fx.a1.accountNumber}`, fields: { city: 'Somewhere' } });
      assert.equal(edit.status, 200);
      assert.equal((await call(t, fx.resellerAdminA, { method: 'GET', path: `/v1/customers/${fx.a1.accountNumber}` })).status, 200);
      for (const r of receiver.hanging.splice(0)) r.destroy();
      const run = await delivering;
      assert.equal(run.retrying, 1);
      const [d] = (await op(t, 'GET', `/webhooks/deliveries?subscription=${subscription}&state=pending`)).body.slice(-1);
      assert.ok(d.log[0].error, JSON.stringify(d));
    });
  });
}
